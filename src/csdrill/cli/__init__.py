"""The `csdrill` command line: a thin layer that parses options and calls the library."""

from __future__ import annotations

import os
import sys

from csdrill import i18n

# Before typer is imported: it translates its own labels ("Options", "Commands" …) at import time.
i18n.activate(i18n.choose_language(sys.argv[1:], os.environ))

import typer  # noqa: E402

from csdrill import __version__  # noqa: E402
from csdrill.i18n import _  # noqa: E402

app = typer.Typer(
    name="csdrill",
    help=_(
        "Drills and flashcards for cross-border e-commerce customer service: per-market law, "
        "etiquette, phrases and scenarios, with spaced repetition, exams and Anki export.\n\n"
        "Exit codes: 0 ok · 1 a check failed (exam below pass mark, lint found problems) · "
        "2 bad usage or bad input · 130 interrupted (after saving).\n\n"
        "Interface language: --lang or CSDRILL_LANG (en, zh), else the locale (LANG)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _check_language(value: str | None) -> str | None:
    if value is not None and value.strip().lower() not in i18n.LANGUAGES:
        raise typer.BadParameter(_("'{value}' is not an interface language; use en or zh.").format(value=value))
    return value


def _version(value: bool) -> None:
    if value:
        print(f"csdrill {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=_("Print the version and exit.")
    ),
    lang: str = typer.Option(
        None, "--lang", metavar="en|zh", callback=_check_language,
        help=_("Interface language (default: CSDRILL_LANG, else the locale)."),
    ),
) -> None:
    """csdrill: drills for cross-border customer service."""


# Importing the command modules registers their commands on `app`.
from csdrill.cli import content, exam, export, gaps, quiz, stats, team  # noqa: E402,F401


def _guard_commands(typer_app: typer.Typer) -> None:
    from csdrill.cli.streams import guard_broken_pipe

    for command in typer_app.registered_commands:
        command.callback = guard_broken_pipe(command.callback)
    for group in typer_app.registered_groups:
        _guard_commands(group.typer_instance)


def _check_user_argument(args: list[str]) -> None:
    """A --user that could not be stored or shown safely is refused before anything runs."""
    names = []
    for index, arg in enumerate(args):
        if arg in ("--user", "-u") and index + 1 < len(args):
            names.append(args[index + 1])
        elif arg.startswith("--user="):
            names.append(arg[len("--user="):])
        elif arg.startswith("-u") and not arg.startswith("--") and len(arg) > 2:
            names.append(arg[2:])
    if names:
        from csdrill.store import check_user_name  # only then: the store is not light to import

        for name in names:
            check_user_name(name, "--user")


def main() -> None:
    """Run the CLI; content and state errors become a message and exit 2, never a traceback."""
    from csdrill.cli import streams
    from csdrill.errors import report_and_exit

    stdout_was_closed = streams.plug_closed_descriptors()
    streams.tolerate_encodings()
    _guard_commands(app)
    from csdrill.cli.help_labels import translate_help_labels

    translate_help_labels(app)
    try:
        try:
            if stdout_was_closed:
                from csdrill.errors import UsageError

                raise UsageError(_("standard output is closed, so nothing could be shown; "
                                   "redirect it to a file or /dev/null instead of closing it"))
            _check_user_argument(sys.argv[1:])
            app()  # usage errors exit 2 and Ctrl-C exits 130 inside typer itself
        finally:
            streams.flush_stdout()
    except KeyboardInterrupt:
        print("\n" + _("interrupted"), file=sys.stderr)
        sys.exit(130)
    except streams.OutputGone:
        streams.end_as_broken_pipe()
    except BrokenPipeError:  # at the final flush
        streams.end_as_broken_pipe()
    except Exception as err:
        if os.environ.get("CSDRILL_DEBUG"):
            raise
        report_and_exit(err)
