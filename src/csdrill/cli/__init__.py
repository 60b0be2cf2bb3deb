"""The `csdrill` command line: a thin layer that parses options and calls the library."""

from __future__ import annotations

import os
import sys

import typer

from csdrill import __version__

app = typer.Typer(
    name="csdrill",
    help=(
        "Drills and flashcards for cross-border e-commerce customer service: per-market law, "
        "etiquette, phrases and scenarios, with spaced repetition, exams and Anki export.\n\n"
        "Exit codes: 0 ok · 1 a check failed (exam below pass mark, lint found problems) · "
        "2 bad usage or bad input · 130 interrupted (after saving)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        print(f"csdrill {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """csdrill: drills for cross-border customer service."""


# Importing the command modules registers their commands on `app`.
from csdrill.cli import content, exam, export, quiz, stats, team  # noqa: E402,F401


def main() -> None:
    """Run the CLI; content and state errors become a message and exit 2, never a traceback."""
    from csdrill.errors import report_and_exit

    try:
        app()  # usage errors exit 2 and Ctrl-C exits 130 inside typer itself
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as err:
        if os.environ.get("CSDRILL_DEBUG"):
            raise
        report_and_exit(err)
