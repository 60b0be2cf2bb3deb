"""What earlier exports on this machine sent to Anki, note by note, for the two things a package
cannot otherwise get right: a card removed from the decks (its note is sent once more, marked
retired, from the copy kept here) and a card whose kind changed under the same id (Anki cannot
change a note's type on import, so the export stops and says what to do).

`anki-history.json`, next to `anki-notes.json`: note GUID → the card id, note type id, market,
topic, Anki deck, field values (joined by \\x1f, as Anki stores them), tags, and the date the card
was found retired. It is read only when a note changed or a card went missing, and written only
when it changed, so a rebuild of unchanged decks never touches it.
"""

from __future__ import annotations

import json
from pathlib import Path

from csdrill.anki.scratch import atomic_write
from csdrill.anki.state_file import read_notes

HISTORY_FILE = "anki-history.json"
_FORMAT = 1
# How long a retired card's note is still sent (marked retired): long enough for a learner who
# skips a release or two; after that a new learner's first import no longer gets it.
RETIRED_FOR_DAYS = 180


class History:
    def __init__(self, path: Path, notes: dict[str, dict] | None = None, existed: bool = False):
        self.path = path
        self.notes: dict[str, dict] = notes or {}
        self.existed = existed  # False: earlier exports are unknown, so this one records every note
        self.dirty = False

    @classmethod
    def load(cls, path: Path) -> History:
        notes = read_notes(path, _FORMAT, _unusable)
        return cls(path) if notes is None else cls(path, notes, existed=True)

    def record(self, guid: str, card_id: str, notetype_id: int, market: str, topic: str, deck: str,
               flds: str, tags: str) -> None:
        """Remember a note as this export sent it (a retired mark, if any, is dropped: the card is back)."""
        self.notes[guid] = {"card": card_id, "notetype": notetype_id, "market": market, "topic": topic,
                            "deck": deck, "flds": flds, "tags": tags}
        self.dirty = True

    def retire(self, guid: str, day: str) -> dict:
        """The entry of a note whose card is gone, marked with the day it was first found gone."""
        entry = self.notes[guid]
        if "retired" not in entry:
            entry["retired"] = day
            self.dirty = True
        return entry

    def forget(self, guid: str) -> None:
        if self.notes.pop(guid, None) is not None:
            self.dirty = True

    def save(self) -> None:
        lines = ",\n".join(f"{json.dumps(guid)}:{json.dumps(entry, ensure_ascii=False, sort_keys=True)}"
                           for guid, entry in sorted(self.notes.items()))
        atomic_write(self.path, f'{{"format":{_FORMAT},"notes":{{\n{lines}\n}}}}\n')


def _unusable(path: Path, why) -> str:
    return (
        f"cannot read the Anki export history {path} ({why}); delete it to start over "
        "(cards removed before then are no longer sent marked retired)"
    )
