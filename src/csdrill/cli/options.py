"""Options shared by several commands, and the content loading they imply."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from csdrill.i18n import _

DecksOption = typer.Option(
    None,
    "--decks",
    metavar="DIR",
    help=_("Extra deck folder (repeatable); also read from CSDRILL_DECKS, separated by ':'."),
)
JsonOption = typer.Option(False, "--json", help=_("Print JSON for scripts instead of a table."))


def load_content(decks: list[Path] | None):
    """Built-in plus extra decks, or ContentError (exit 2) when any deck is broken."""
    from csdrill.content.loader import extra_deck_dirs, load_or_raise

    return load_or_raise(extra_deck_dirs(decks), freeze=True)  # a CLI run keeps its content until exit


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
