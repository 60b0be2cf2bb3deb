"""Note modification times that change only when a note's content changes.

genanki stamps every note with the export time. Anki updates a note on import only when the
package's copy is newer than the learner's, so a per-export stamp would either rewrite every note
(overwriting a learner's own edits on cards nobody changed) or, for a rebuild within the same
second, update none. Instead each note keeps its `mod` until its content hash changes; then it
gets the current time, strictly later than before.

The state is one small JSON file, `anki-notes.json` under CSDRILL_HOME, shared by every export
on this machine: a card has the same note whichever market it is exported with.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from csdrill.errors import StateError

STATE_FILE = "anki-notes.json"
_FORMAT = 1


def default_state_path() -> Path:
    """anki-notes.json next to the progress store (CSDRILL_HOME, else the user data folder)."""
    from csdrill.store import default_home

    return default_home() / STATE_FILE


def content_hash(content) -> str:
    """A hash of JSON-able content (field values, tags, note type)."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ModTimes:
    """Key (a note GUID, or `notetype:<id>`) → (content hash, mod in whole seconds)."""

    def __init__(self, path: Path, entries: dict[str, list] | None = None):
        self.path = path
        self.entries: dict[str, list] = entries or {}
        self.changed: set[str] = set()

    @classmethod
    def load(cls, path: Path) -> ModTimes:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as err:
            raise StateError(_unusable(path, err)) from err
        notes = data.get("notes") if isinstance(data, dict) else None
        if not isinstance(notes, dict) or data.get("format") != _FORMAT:
            raise StateError(_unusable(path, "unknown format"))
        return cls(path, notes)

    def stamp(self, key: str, content, now: int) -> int:
        """The mod for `content`: the old one if unchanged, else `now` (later than the old one)."""
        digest = content_hash(content)
        previous = self.entries.get(key)
        if previous and previous[0] == digest:
            return int(previous[1])
        mod = max(int(now), int(previous[1]) + 1) if previous else int(now)
        self.entries[key] = [digest, mod]
        self.changed.add(key)
        return mod

    def save(self) -> None:
        """Write atomically, so an interrupted export never leaves a half-written file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": _FORMAT, "notes": dict(sorted(self.entries.items()))}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".anki-notes-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=0)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _unusable(path: Path, why) -> str:
    return (
        f"cannot read the Anki export state {path} ({why}); delete it to start over "
        "(every note then counts as changed once, and re-importing overwrites learners' own edits)"
    )
