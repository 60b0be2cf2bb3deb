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
from collections.abc import Sequence
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path

from csdrill.anki.scratch import atomic_write
from csdrill.anki.state_file import read_notes

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


def note_content(notetype_id: int, fields: dict[str, str], tags: Sequence[str]) -> dict:
    """What a note's mod follows: its note type, its field values by name, its tags."""
    return {"notetype": notetype_id, "fields": fields, "tags": list(tags)}


class NoteHasher:
    """`content_hash(note_content(...))` for the notes of one note type, in a little over half the time.

    The stored hashes are those of json.dumps's canonical text, so this fills exactly that text
    (keys sorted, no spaces, the same string escaping) into a template made once per note type; a
    different text would count every note as changed once and overwrite learners' own edits on re-import.
    """

    def __init__(self, notetype_id: int, field_names: Sequence[str]):
        order = sorted(range(len(field_names)), key=field_names.__getitem__)
        # itemgetter of one index returns the item itself, not a 1-tuple
        self._sorted = itemgetter(*order) if len(order) > 1 else lambda values: (values[order[0]],)
        fields = ",".join(encode_basestring(field_names[i]).replace("%", "%%") + ":%s" for i in order)
        self._template = '{"fields":{' + fields + f'}},"notetype":{int(notetype_id)},"tags":[%s]}}'
        # For fingerprints: the format's version (1), the note type id and its field names.
        self._fields = len(field_names)
        self._note_type = f"1\x1e{int(notetype_id)}\x1e" + "\x1f".join(field_names) + "\x1e"

    def __call__(self, values: Sequence[str], tags: Sequence[str]) -> str:
        """The hash of the note with these field values (in note-type order) and tags."""
        text = self._template % (*map(encode_basestring, self._sorted(values)), ",".join(map(encode_basestring, tags)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def fingerprint(self, flds: str, tags: str, tag_count: int) -> str | None:
        """A cheaper hash of the same content, from the note as Anki stores it: `flds`, the field
        values joined by \\x1f, and `tags`, the tags joined by spaces. The text hashed holds the note
        type and its field names, then the tags' length, so it tells any two notes apart; None
        when the joins would not (a value holding \\x1f, a tag holding a space)."""
        if flds.count("\x1f") != self._fields - 1 or tags.count(" ") != max(tag_count - 1, 0):
            return None
        text = f"{self._note_type}{tag_count}:{len(tags)}:{tags}{flds}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class ModTimes:
    """Key (a note GUID, or `notetype:<id>`) → [content hash, mod in whole seconds], and for notes a
    third item, the note's fingerprint (NoteHasher.fingerprint) when it has one.

    The content hash decides; the fingerprint only saves computing it for a note whose fingerprint
    is still the one recorded with that hash. Versions that know no fingerprint read the first two
    items and replace an entry whole, so a fingerprint never outlives its hash.
    """

    def __init__(self, path: Path, entries: dict[str, list] | None = None):
        self.path = path
        self.entries: dict[str, list] = entries or {}
        self.changed: set[str] = set()
        self.unsaved = False  # entries changed, or fingerprints added, since the file was read

    @classmethod
    def load(cls, path: Path) -> ModTimes:
        notes = read_notes(path, _FORMAT, _unusable)
        return cls(path) if notes is None else cls(path, notes)

    def kept(self, key: str, fingerprint: str | None) -> int | None:
        """The recorded mod, if `fingerprint` is the one recorded with it (the content is unchanged)."""
        previous = self.entries.get(key)
        if fingerprint and previous and len(previous) > 2 and previous[2] == fingerprint:
            return int(previous[1])
        return None

    def stamp(self, key: str, digest: str, now: int, fingerprint: str | None = None) -> int:
        """The mod for content hashed to `digest`: the old one if unchanged, else `now` (later than the old one)."""
        previous = self.entries.get(key)
        if previous and previous[0] == digest:
            mod = int(previous[1])
            if fingerprint and previous[2:3] != [fingerprint]:
                self.entries[key] = [digest, mod, fingerprint]
                self.unsaved = True
            return mod
        mod = max(int(now), int(previous[1]) + 1) if previous else int(now)
        self.entries[key] = [digest, mod, fingerprint] if fingerprint else [digest, mod]
        self.changed.add(key)
        self.unsaved = True
        return mod

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.unsaved = True

    def save(self) -> None:
        """Write atomically, so an interrupted export never leaves a half-written file."""
        # One note per line, written by hand: json.dump with an indent runs the pure-Python encoder.
        notes = ",\n".join(
            f"{encode_basestring(key)}:[{encode_basestring(entry[0])},{int(entry[1])}"
            + (f",{encode_basestring(entry[2])}]" if len(entry) > 2 else "]")
            for key, entry in sorted(self.entries.items())
        )
        text = f'{{"format":{_FORMAT},"notes":{{\n{notes}\n}}}}\n'
        atomic_write(self.path, text)


def _unusable(path: Path, why) -> str:
    return (
        f"cannot read the Anki export state {path} ({why}); delete it to start over "
        "(every note then counts as changed once, and re-importing overwrites learners' own edits)"
    )
