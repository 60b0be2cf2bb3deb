"""The .apkg itself: genanki models, notes and decks with stable IDs and stable mod times.

This is the only module that imports genanki; the CLI imports it inside the export command.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import secrets
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import genanki

from csdrill.anki.fields import note_fields
from csdrill.anki.identity import deck_id, deck_name, note_guid, note_tags
from csdrill.anki.modtimes import ModTimes, default_state_path
from csdrill.anki.notetypes import NOTE_TYPES, NoteType
from csdrill.content.model import Card, Library
from csdrill.errors import StateError

Progress = Callable[[int, int], None]  # (notes written, notes in total)


class StableModel(genanki.Model):
    """A genanki model whose `mod` is csdrill's, not the export time."""

    def __init__(self, note_type: NoteType, mod: int):
        super().__init__(
            model_id=note_type.id,
            name=note_type.name,
            fields=[{"name": name} for name in note_type.fields],
            templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in note_type.templates],
            css=note_type.css,
        )
        self.mod = mod

    def to_json(self, timestamp: float, deck_id: int) -> dict:
        data = super().to_json(timestamp, deck_id)
        data["mod"] = self.mod
        return data


class StableNote(genanki.Note):
    """A note whose `mod` is csdrill's: genanki.Note.write_to_db stamps notes and cards with the
    export time it is given, so pass it the note's own mod instead."""

    def __init__(self, *, mod: int, on_written: Callable[[], None] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.mod = mod
        self.on_written = on_written

    def write_to_db(self, cursor, timestamp: float, deck_id, id_gen):
        super().write_to_db(cursor, self.mod, deck_id, id_gen)
        if self.on_written:
            self.on_written()


@dataclass(frozen=True)
class AnkiExport:
    """What an export wrote."""

    path: Path
    notes: int
    cards: int  # Anki cards: a phrase note makes two
    decks: int
    changed: int  # notes new or changed since the last export on this machine

    def summary(self) -> str:
        return f"{self.notes} notes, {self.cards} cards, {self.decks} decks → {self.path}"


def _model_content(note_type: NoteType) -> dict:
    return {
        "name": note_type.name,
        "fields": list(note_type.fields),
        "templates": [[t.name, t.front, t.back] for t in note_type.templates],
        "css": note_type.css,
    }


def build_package(
    library: Library,
    cards: Iterable[Card],
    mod_times: ModTimes,
    now: int,
    note_types: Mapping[str, NoteType] = NOTE_TYPES,
    progress: Progress | None = None,
) -> genanki.Package:
    """One note per card, in one deck per (market or pool, topic); models and notes keep their mods."""
    cards = list(cards)
    written = itertools.count(1)

    def tick() -> None:
        if progress:
            progress(next(written), len(cards))

    models: dict[str, StableModel] = {}
    decks: dict[str, genanki.Deck] = {}
    titles: dict[str, set[str]] = {}
    for card in cards:
        note_type = note_types[card.kind]
        if card.kind not in models:
            mod = mod_times.stamp(f"notetype:{note_type.id}", _model_content(note_type), now)
            models[card.kind] = StableModel(note_type, mod)
        values = note_fields(card)
        fields = [values.get(name, "") for name in note_type.fields]
        tags = note_tags(card)
        guid = note_guid(card.id)
        content = {"notetype": note_type.id, "fields": dict(zip(note_type.fields, fields, strict=True)),
                   "tags": tags}
        note = StableNote(
            model=models[card.kind], fields=fields, tags=tags, guid=guid,
            mod=mod_times.stamp(guid, content, now), on_written=tick,
        )
        name = deck_name(library.markets[card.market], card.topic)
        if name not in decks:
            decks[name] = genanki.Deck(deck_id(name), name)
        decks[name].add_note(note)
        titles.setdefault(name, set()).add(library.deck_of(card).title)
    for name, deck in decks.items():
        deck.description = html.escape(" · ".join(sorted(titles[name])))
    return genanki.Package([decks[name] for name in sorted(decks)])


def write_apkg(package: genanki.Package, path: Path, timestamp: float) -> None:
    """Write the package like genanki.Package.write_to_file, but remove the scratch database."""
    fd, db_path = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    try:
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
            out.write(db_path, "collection.anki2")
            out.writestr("media", json.dumps({}))
    finally:
        Path(db_path).unlink(missing_ok=True)


def export_anki(
    library: Library,
    cards: Iterable[Card],
    output: Path,
    *,
    state_path: Path | None = None,
    now: float | None = None,
    note_types: Mapping[str, NoteType] = NOTE_TYPES,
    progress: Progress | None = None,
) -> AnkiExport:
    """Write `cards` to the .apkg `output` (replaced atomically) and remember each note's mod.

    OSError when `output` cannot be written; StateError when the mod-time state cannot be used.
    """
    now = time.time() if now is None else now
    mod_times = ModTimes.load(state_path or default_state_path())
    output = Path(output)
    # Created with open(), not mkstemp, so the package gets the usual permissions (umask).
    tmp = output.parent / f".{output.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    open(tmp, "xb").close()
    try:
        package = build_package(library, cards, mod_times, int(now), note_types, progress)
        write_apkg(package, tmp, now)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        mod_times.save()
    except OSError as err:
        raise StateError(f"wrote {output}, but cannot save {mod_times.path}: {err.strerror or err}") from err
    notes = [note for deck in package.decks for note in deck.notes]
    return AnkiExport(
        path=output,
        notes=len(notes),
        cards=sum(len(note.cards) for note in notes),
        decks=len(package.decks),
        changed=sum(1 for note in notes if note.guid in mod_times.changed),
    )
