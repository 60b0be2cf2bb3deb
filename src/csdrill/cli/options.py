"""Options shared by several commands, and the content loading they imply."""

from __future__ import annotations

import json
import re
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
LocalOption = typer.Option(
    False, "--local", help=_("Read this machine's progress file even when CSDRILL_TEAM_DB names a team database."))


def load_content(decks: list[Path] | None):
    """Built-in plus extra decks, or ContentError (exit 2) when any deck is broken."""
    from csdrill.content.loader import extra_deck_dirs, load_or_raise

    return load_or_raise(extra_deck_dirs(decks), freeze=True)  # a CLI run keeps its content until exit


# JSON escapes C0 controls itself; C1 controls, DEL and undecodable bytes (lone surrogates) pass
# through ensure_ascii=False raw and could act on a terminal, so they are written as \\u escapes.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")


def print_json(data) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    print(_RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text))
