"""The .apkg itself: csdrill's note types, notes and decks with stable IDs and stable mod times.

genanki supplies the collection schema and the note-type and deck JSON. The notes and cards rows
are written here, in bulk, as genanki.Note.write_to_db writes them (same columns, ids, card ords),
because genanki's one-note-at-a-time path was most of the time of a 10,000-note export.
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
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from csdrill.anki.fields import note_fields
from csdrill.anki.identity import deck_id, deck_name, note_guid, note_tags
from csdrill.anki.modtimes import ModTimes, NoteHasher, content_hash, default_state_path
from csdrill.anki.notetypes import NOTE_TYPES, NoteType
from csdrill.content.model import Card, Library
from csdrill.errors import StateError

Progress = Callable[[int, int], None]  # (notes written, notes in total)

# genanki's schema, split so the indexes are built once over all rows instead of row by row (faster,
# and the same database: the indexes come last in genanki's schema too).
_STATEMENTS = [statement.strip() for statement in APKG_SCHEMA.split(";") if statement.strip()]
_TABLES = ";\n".join(s for s in _STATEMENTS if not s.upper().startswith("CREATE INDEX")) + ";"
_INDEXES = ";\n".join(s for s in _STATEMENTS if s.upper().startswith("CREATE INDEX")) + ";"


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
        self.field_names = note_type.fields
        self.hash_note = NoteHasher(note_type.id, note_type.fields)

    def to_json(self, timestamp: float, deck_id: int) -> dict:
        data = super().to_json(timestamp, deck_id)
        data["mod"] = self.mod
        return data

    def card_ords(self, fields: list[str]) -> list[int]:
        """The templates that make a card from these fields: genanki's rule (Note._front_back_cards)."""
        return [ord_ for ord_, test, needed in self._card_rules if test(map(fields.__getitem__, needed))]

    @cached_property
    def _card_rules(self) -> list[tuple[int, Callable, list[int]]]:
        return [(ord_, any if any_or_all == "any" else all, needed) for ord_, any_or_all, needed in self._req]


class Note(NamedTuple):
    """One note as the notes table holds it, with the card ords it makes."""

    guid: str
    mid: int  # its note type's id
    flds: str  # the field values joined by \x1f
    sfld: str  # the sort field: the first field, as genanki writes it
    tags: str  # joined by spaces
    mod: int
    card_ords: list[int]


@dataclass
class Deck:
    """An Anki deck with its cards, and the titles of the csdrill decks they come from."""

    id: int
    name: str
    cards: list[Card] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)

    def to_json(self) -> dict:
        description = html.escape(" · ".join(sorted(self.titles)))
        return genanki.Deck(self.id, self.name, description).to_json()


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


def plan_decks(library: Library, cards: Iterable[Card]) -> list[Deck]:
    """One deck per (market or pool, topic), sorted by name, the order genanki writes decks in."""
    decks: dict[str, Deck] = {}  # by name
    by_topic: dict[tuple[str, str], Deck] = {}  # the same decks by (market, topic)
    titles = {deck.id: deck.title for deck in library.decks}
    for card in cards:
        deck = by_topic.get((card.market, card.topic))
        if deck is None:
            name = deck_name(library.markets[card.market], card.topic)
            deck = by_topic[(card.market, card.topic)] = decks.setdefault(name, Deck(deck_id(name), name))
        deck.cards.append(card)
        deck.titles.add(titles[card.deck])
    return [decks[name] for name in sorted(decks)]


class NoteMaker:
    """Cards into notes of csdrill's note types; note types and notes keep the mods of `mod_times`."""

    def __init__(self, mod_times: ModTimes, now: int, note_types: Mapping[str, NoteType] = NOTE_TYPES):
        self.mod_times = mod_times
        self.now = now
        self.note_types = note_types
        self.models: dict[str, StableModel] = {}
        self.changed = 0  # notes new or changed since the last export

    def model(self, kind: str) -> StableModel:
        model = self.models.get(kind)
        if model is None:
            note_type = self.note_types[kind]
            digest = content_hash(_model_content(note_type))
            mod = self.mod_times.stamp(f"notetype:{note_type.id}", digest, self.now)
            model = self.models[kind] = StableModel(note_type, mod)
        return model

    def __call__(self, card: Card) -> Note:
        model = self.model(card.kind)
        values = note_fields(card)
        fields = [values.get(name, "") for name in model.field_names]
        tags = note_tags(card)
        guid = note_guid(card.id)
        flds, tags_text = "\x1f".join(fields), " ".join(tags)
        fingerprint = model.hash_note.fingerprint(flds, tags_text, len(tags))
        mod = self.mod_times.kept(guid, fingerprint)
        if mod is None:
            mod = self.mod_times.stamp(guid, model.hash_note(fields, tags), self.now, fingerprint)
            self.changed += guid in self.mod_times.changed
        return Note(guid, model.model_id, flds, fields[0], tags_text, mod, model.card_ords(fields))


def _collection_json(cursor, decks: list[Deck], make_note: NoteMaker, timestamp: float) -> None:
    """Decks and note types into the `col` row, as genanki.Deck.write_to_db puts them there."""
    (decks_json,) = cursor.execute("SELECT decks FROM col").fetchone()
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    all_decks, all_models = json.loads(decks_json), json.loads(models_json)
    for deck in decks:
        all_decks[str(deck.id)] = deck.to_json()
        # genanki gives a note type the id of the last deck holding one of its notes
        for kind in dict.fromkeys(card.kind for card in deck.cards):
            model = make_note.model(kind)
            all_models[str(model.model_id)] = model.to_json(timestamp, deck.id)
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(all_decks), json.dumps(all_models)))


def write_collection(
    cursor, decks: list[Deck], make_note: NoteMaker, timestamp: float, progress: Progress | None = None
) -> int:
    """The Anki collection: genanki's schema, then a note per card and its cards. Returns the cards.

    Each note is made as it is written, so no export holds all its notes at once. Ids come from one
    counter started at the export time in milliseconds, note then its cards, deck by deck, as
    genanki numbers them; notes and cards carry the note's own mod, never the export time.
    """
    cursor.executescript(_TABLES)
    cursor.executescript(APKG_COL)
    _collection_json(cursor, decks, make_note, timestamp)
    ids = itertools.count(int(timestamp * 1000))
    total = sum(len(deck.cards) for deck in decks)
    cards = []

    def note_rows():
        done = 0
        for deck in decks:
            for card in deck.cards:
                note = make_note(card)
                note_id = next(ids)
                cards.extend([(next(ids), note_id, deck.id, ord_, note.mod) for ord_ in note.card_ords])
                yield (note_id, note.guid, note.mid, note.mod, f" {note.tags} ", note.flds, note.sfld)
                done += 1  # executemany asks for the next row once this one is in
                if progress:
                    progress(done, total)

    # The columns genanki leaves at fixed values are constants here, so each row binds fewer values.
    cursor.executemany(
        "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) "
        "VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')",  # csum: left to Anki, as genanki does
        note_rows(),
    )
    cursor.executemany(
        "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, "
        "odid, flags, data) VALUES (?, ?, ?, ?, ?, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        cards,
    )
    cursor.executescript(_INDEXES)
    return len(cards)


def write_apkg(
    decks: list[Deck], make_note: NoteMaker, path: Path, timestamp: float, progress: Progress | None = None
) -> int:
    """The .apkg: the collection and an empty media list, zipped. Returns the number of cards.

    The collection is built in a scratch file (not in memory, so a large export needs little
    memory) that is then removed.
    """
    fd, db_path = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    try:
        conn = sqlite3.connect(db_path)
        try:
            # A scratch file: nothing to recover after a crash, so no journal and no fsync. Pages of 8 KiB
            # hold whole notes better than 4 KiB ones: a smaller file, written faster.
            conn.execute("PRAGMA page_size = 8192")
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            cards = write_collection(conn.cursor(), decks, make_note, timestamp, progress)
            conn.commit()
        finally:
            conn.close()
        # Level 1: a fifth of the default level's time on a 10,000-note collection, for a file ~18% larger.
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            out.write(db_path, "collection.anki2")
            out.writestr("media", json.dumps({}))
    finally:
        Path(db_path).unlink(missing_ok=True)
    return cards


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
        decks = plan_decks(library, cards)
        make_note = NoteMaker(mod_times, int(now), note_types)
        card_count = write_apkg(decks, make_note, tmp, now, progress)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if mod_times.unsaved:
        try:
            mod_times.save()
        except OSError as err:
            raise StateError(f"wrote {output}, but cannot save {mod_times.path}: {err.strerror or err}") from err
    return AnkiExport(
        path=output,
        notes=sum(len(deck.cards) for deck in decks),
        cards=card_count,
        decks=len(decks),
        changed=make_note.changed,
    )
