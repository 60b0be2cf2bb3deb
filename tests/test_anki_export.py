"""Anki export, checked by importing the packages into real Anki collections (the `anki` package)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from csdrill.anki.identity import deck_id, note_guid
from csdrill.anki.modtimes import NoteHasher, content_hash, note_content
from csdrill.anki.notetypes import NOTE_TYPES
from csdrill.anki.package import export_anki
from csdrill.content.loader import load
from csdrill.selection import select_cards
from tests.conftest import write

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection
ImportAnkiPackageRequest = anki_collection.ImportAnkiPackageRequest

TODAY = date(2026, 11, 22)
# Export times are passed in, so every mod is predictable. In the past, so that a learner's own
# edit (stamped with the real clock) is newer than the package, as it would be in real life.
T0 = 1_700_000_000

WORLD_MARKETS = """\
markets:
  - code: global
    name: Global service skills
    languages: [en]
    pool: true
  - code: eu
    name: European Union
    languages: [en]
    pool: true
    includes: [global]
  - code: de
    name: Germany
    languages: [de]
    includes: [eu, global]
  - code: fr
    name: France
    languages: [fr]
    includes: [eu, global]
"""

DE_REGULATION = """\
deck: de-regulation
title: Germany — consumer law
market: de
topic: regulation
cards:
  - id: de-reg-widerruf-frist
    q: Wie lange dauert die Widerrufsfrist für Waren?
    a: 14 Tage ab Erhalt der Ware
    choices: [7 Tage, 14 Tage ab Erhalt der Ware, 30 Tage]
    explain: § 355 Abs. 2 BGB; sie beginnt mit dem Erhalt der Ware.
    zh: 德国商品撤回期为 14 天，自收货之日起算。
    tags: [withdrawal period, core]
    source:
      title: BGB § 355 Abs. 2
      url: https://www.gesetze-im-internet.de/bgb/__355.html?x=1&y="2"
      verified: 2026-11-01
  - id: de-reg-escape
    q: "What does <b>x</b> & <script>alert(1)</script> show?"
    a: "Literal text: <b>x</b> & <script>"
    explain: Card text is never HTML.
    source:
      title: Test & check
      url: https://example.org/a?b=1&c=2
      verified: 2026-11-01
"""

DE_ETIQUETTE = """\
deck: de-etiquette
title: Germany — etiquette
market: de
topic: etiquette
cards:
  - id: de-eti-du-myth
    statement: Duzen ist im Kundenservice immer in Ordnung.
    true: no
    explain: Siezen ist der Standard, außer die Marke duzt ausdrücklich.
  - id: de-phr-verzoegerung
    lang: de
    text: Bitte entschuldigen Sie die Verzögerung bei Ihrer Lieferung.
    meaning: Please accept our apologies for the delay to your delivery.
    zh: 对于您的包裹延误，我们深表歉意。
    register: formal
    use: First line of a reply about a late parcel.
    accept: [Entschuldigen Sie bitte die Verzögerung bei Ihrer Lieferung.]
"""

EU_REGULATION = """\
deck: eu-regulation
title: EU consumer law
market: eu
topic: regulation
cards:
  - id: eu-reg-withdrawal-period
    q: How long is the EU right of withdrawal for goods bought online?
    a: 14 days
    explain: Art. 9(1) CRD.
    source:
      title: Directive 2011/83/EU, Art. 9
      url: https://eur-lex.europa.eu/eli/dir/2011/83/oj
      verified: 2026-11-22
"""

GLOBAL_SKILLS = """\
deck: global-skills
title: Global service skills
market: global
topic: skill
cards:
  - id: gl-phr-ja-wait
    lang: ja
    text: お待たせして申し訳ございません。
    meaning: I am sorry to have kept you waiting.
    zh: 让您久等了，非常抱歉。
    register: formal
  - id: gl-phr-ar-patience
    lang: ar
    text: شكرًا لصبرك، سنرد عليك خلال ٢٤ ساعة.
    meaning: Thank you for your patience; we will reply within 24 hours.
    zh: 感谢您的耐心，我们将在24小时内回复。
  - id: gl-scn-late
    situation: A customer writes, angry, that the parcel is five days late.
    options: [Apologise and give a date, Blame the carrier, Say nothing]
    best: Apologise and give a date
    why: A concrete commitment restores trust.
"""

FR_ETIQUETTE = """\
deck: fr-etiquette
title: France — etiquette
market: fr
topic: etiquette
cards:
  - id: fr-eti-vous
    statement: Le vouvoiement est la norme.
    true: yes
    explain: Vous, sauf si la marque tutoie.
"""


@pytest.fixture
def world(tmp_path) -> Path:
    """A small, known world: de inherits eu and global; fr must not leak into a de export."""
    folder = tmp_path / "world"
    write(folder, "markets.yaml", WORLD_MARKETS)
    write(folder, "de/regulation.yaml", DE_REGULATION)
    write(folder, "de/etiquette.yaml", DE_ETIQUETTE)
    write(folder, "eu/regulation.yaml", EU_REGULATION)
    write(folder, "global/skills.yaml", GLOBAL_SKILLS)
    write(folder, "fr/etiquette.yaml", FR_ETIQUETTE)
    return folder


def library_of(folder: Path):
    result = load([folder], include_builtin=False, today=TODAY)
    assert result.problems == []
    return result.library


def export(folder: Path, output: Path, markets=("de",), now=T0, **kwargs):
    library = library_of(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # genanki warns about unescaped HTML in fields
        return export_anki(library, select_cards(library, markets), output, now=now, **kwargs)


@pytest.fixture
def collection(tmp_path):
    """A fresh, empty Anki collection."""
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def default_options(col):
    """The import options Anki's desktop import page starts with: the backend's own presets
    (a new collection: no merging of note types, update notes and note types "if newer")."""
    return col._backend.get_import_anki_package_presets()


def import_apkg(col, path: Path, **options):
    """Import as a learner does, with the desktop's default options unless a test says otherwise."""
    opts = default_options(col)
    for name, value in options.items():
        setattr(opts, name, value)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=opts)).log
    col.models._clear_cache()  # pylib keeps note types it has read; the desktop reloads them after an import
    return log


def package_rows(path: Path, tmp_path: Path, query: str) -> list:
    """Rows of the collection inside an .apkg."""
    import sqlite3

    db = tmp_path / f"{path.stem}-rows.anki2"
    with zipfile.ZipFile(path) as z:
        db.write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(db)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def notes_by_card_id(col) -> dict:
    return {col.get_note(nid)["Card ID"]: col.get_note(nid) for nid in col.find_notes("tag:csdrill")}


def edit(folder: Path, relative: str, old: str, new: str) -> None:
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- what lands in Anki ---------------------------------------------------------------------------


def test_market_export_imports_every_card_of_its_pool(world, tmp_path, collection):
    expected = select_cards(library_of(world), ["de"])
    result = export(world, tmp_path / "de.apkg")

    log = import_apkg(collection, result.path)

    assert len(log.new) == len(expected) == result.notes == collection.note_count() == 8
    assert {n["Card ID"] for n in notes_by_card_id(collection).values()} == {c.id for c in expected}
    assert "fr-eti-vous" not in notes_by_card_id(collection)
    # phrase notes (one German, a Japanese and an Arabic one from the global pool) make two cards each
    assert collection.card_count() == result.cards == 8 + 3
    assert result.summary() == f"8 notes, 11 cards, 4 decks → {tmp_path / 'de.apkg'}"


def test_note_types_have_the_expected_fields(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "de.apkg").path)

    fields = {m["name"]: [f["name"] for f in m["flds"]] for m in collection.models.all()}
    common = ["Explanation", "Chinese", "Source", "Card ID"]  # the first edition's, in their first-edition slots
    added = ["Chinese prompt", "Retired", "Spare 1", "Spare 2", "Spare 3", "Spare 4"]
    assert fields["csdrill fact"] == ["Question", "Choices", "Answer", *common, "Right choice", "Also accepted",
                                      *added]
    assert fields["csdrill true/false"] == ["Statement", "Answer", *common, *added]
    assert fields["csdrill phrase"] == ["Phrase", "Meaning", "Language", "Register", "Use", "Alternatives",
                                        *common, "Speech", *added]
    assert fields["csdrill scenario"] == ["Situation", "Options", "Best", "Why", *common, "Right choice", *added]
    # Anki matches fields by these ids on import: they must arrive, distinct and fixed by slot
    ids = [f["id"] for m in collection.models.all() if m["name"].startswith("csdrill") for f in m["flds"]]
    assert None not in ids and len(set(ids)) == len(ids)
    assert collection.models.by_name("csdrill fact")["flds"][0]["id"] == NOTE_TYPES["fact"].field_id(0)
    templates = {m["name"]: [t["name"] for t in m["tmpls"]] for m in collection.models.all()}
    assert templates["csdrill phrase"] == ["Recognition", "Production"]
    ids = {m["name"]: m["id"] for m in collection.models.all()}
    assert {ids[nt.name] for nt in NOTE_TYPES.values()} == {1_733_061_001, 1_733_061_002, 1_733_061_003,
                                                            1_733_061_004}


def test_pools_get_their_own_decks_and_tags_name_the_card_market(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "de.apkg").path)
    notes = notes_by_card_id(collection)

    def decks_of(card_id):
        return {collection.decks.name(card.did) for card in notes[card_id].cards()}

    assert decks_of("de-reg-widerruf-frist") == {"csdrill::Germany::Regulation"}
    assert decks_of("de-phr-verzoegerung") == {"csdrill::Germany::Etiquette"}
    assert decks_of("eu-reg-withdrawal-period") == {"csdrill::European Union::Regulation"}
    assert decks_of("gl-phr-ja-wait") == {"csdrill::Global service skills::Skill"}
    assert sorted(notes["de-reg-widerruf-frist"].tags) == sorted(
        ["csdrill::market::de", "csdrill::topic::regulation", "csdrill::tag::withdrawal_period", "csdrill::tag::core"])
    assert sorted(notes["eu-reg-withdrawal-period"].tags) == ["csdrill::market::eu", "csdrill::topic::regulation"]


def test_all_markets_export_holds_each_shared_card_once(world, tmp_path, collection):
    result = export(world, tmp_path / "all.apkg", markets=())
    log = import_apkg(collection, result.path)

    assert len(log.new) == collection.note_count() == len(library_of(world).cards) == 9
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {"csdrill::European Union::Regulation", "csdrill::France::Etiquette"} <= names
    assert not [n for n in names if "Germany::European Union" in n or "France::Global" in n]


def test_fields_match_the_yaml_text_exactly(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "de.apkg").path)
    notes = notes_by_card_id(collection)

    fact = notes["de-reg-widerruf-frist"]
    assert fact["Question"] == "Wie lange dauert die Widerrufsfrist für Waren?"
    assert fact["Answer"] == "14 Tage ab Erhalt der Ware"
    assert fact["Chinese"] == "德国商品撤回期为 14 天，自收货之日起算。"
    assert fact["Explanation"] == "§ 355 Abs. 2 BGB; sie beginnt mit dem Erhalt der Ware."
    # shuffled in an order fixed by the card id, lettered, the right one marked
    assert re.findall(r'<li( class="right")?><span class="label">(.)</span> (.*?)</li>', fact["Choices"]) == [
        (' class="right"', "A", "14 Tage ab Erhalt der Ware"), ("", "B", "7 Tage"), ("", "C", "30 Tage")]
    assert fact["Right choice"] == "A"
    assert notes["de-eti-du-myth"]["Statement"] == "Duzen ist im Kundenservice immer in Ordnung."
    assert notes["de-eti-du-myth"]["Answer"] == "False"
    assert notes["de-phr-verzoegerung"]["Phrase"] == (
        '<span lang="de">Bitte entschuldigen Sie die Verzögerung bei Ihrer Lieferung.</span>')
    assert notes["gl-phr-ja-wait"]["Phrase"] == '<span lang="ja">お待たせして申し訳ございません。</span>'
    assert notes["gl-phr-ar-patience"]["Phrase"] == (
        '<span lang="ar" dir="rtl">شكرًا لصبرك، سنرد عليك خلال ٢٤ ساعة.</span>')
    assert notes["gl-scn-late"]["Best"] == "Apologise and give a date"


def test_anki_sees_a_copy_of_an_imported_note_as_a_duplicate(world, tmp_path, collection):
    """The package leaves the sort field's checksum (csum) to Anki, as genanki does; Anki sets it on
    import, so its duplicate check (which reads it) works on csdrill notes."""
    import_apkg(collection, export(world, tmp_path / "de.apkg").path)
    original = notes_by_card_id(collection)["de-reg-widerruf-frist"]
    copy = collection.new_note(original.note_type())
    copy.fields[0] = original.fields[0]

    from anki.notes import NoteFieldsCheckResult

    assert copy.fields_check() == NoteFieldsCheckResult.DUPLICATE
    assert collection.db.scalar("SELECT count() FROM notes WHERE csum = 0") == 0


def test_source_becomes_a_link_with_an_escaped_href(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "de.apkg").path)
    source = notes_by_card_id(collection)["de-reg-widerruf-frist"]["Source"]

    assert source.startswith(
        '<a href="https://www.gesetze-im-internet.de/bgb/__355.html?x=1&amp;y=&quot;2&quot;">BGB § 355 Abs. 2</a>')
    assert "verified 2026-11-01" in source


def test_html_in_a_card_shows_as_literal_text(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "de.apkg").path)
    note = notes_by_card_id(collection)["de-reg-escape"]

    assert note["Question"] == "What does &lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt; show?"
    assert html.unescape(note["Question"]) == "What does <b>x</b> & <script>alert(1)</script> show?"
    question = note.cards()[0].question()
    assert "&lt;script&gt;" in question
    assert "<script>" not in question and "<b>x</b>" not in question
    assert 'href="https://example.org/a?b=1&amp;c=2"' in note["Source"]
    assert "Test &amp; check" in note["Source"]


def test_arabic_phrases_render_right_to_left(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "de.apkg").path)
    note = notes_by_card_id(collection)["gl-phr-ar-patience"]
    recognition, production = sorted(note.cards(), key=lambda c: c.ord)

    assert '<span lang="ar" dir="rtl">شكرًا لصبرك، سنرد عليك خلال ٢٤ ساعة.</span>' in recognition.question()
    assert 'dir="rtl">شكرًا' in production.answer()
    german = notes_by_card_id(collection)["de-phr-verzoegerung"].cards()[0].question()
    assert '<span lang="de">Bitte' in german and "rtl" not in german.split("</style>")[-1]


# --- re-imports update in place -----------------------------------------------------------------------


def test_importing_the_same_file_twice_adds_nothing(world, tmp_path, collection):
    path = export(world, tmp_path / "de.apkg").path
    import_apkg(collection, path)

    log = import_apkg(collection, path)

    assert len(log.new) == 0 and len(log.updated) == 0
    assert len(log.duplicate) == collection.note_count() == 8


def test_rebuild_without_changes_keeps_every_mod_and_updates_nothing(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "v1.apkg").path)
    before = {cid: n.mod for cid, n in notes_by_card_id(collection).items()}

    result = export(world, tmp_path / "v2.apkg", now=T0 + 3600)
    log = import_apkg(collection, result.path)

    assert result.changed == 0
    assert len(log.new) == len(log.updated) == 0
    assert {cid: n.mod for cid, n in notes_by_card_id(collection).items()} == before == dict.fromkeys(before, T0)


def test_reimport_after_editing_a_card_updates_only_that_note(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "v1.apkg").path)
    before = notes_by_card_id(collection)
    copy = tmp_path / "edited"
    shutil.copytree(world, copy)
    edit(copy, "de/regulation.yaml", "a: 14 Tage ab Erhalt der Ware", "a: 14 Tage ab Erhalt der Ware (§ 355 BGB)")
    edit(copy, "de/regulation.yaml", "[7 Tage, 14 Tage ab Erhalt der Ware,", "[7 Tage, 14 Tage ab Erhalt der Ware (§ 355 BGB),")

    result = export(copy, tmp_path / "v2.apkg", now=T0 + 60)
    log = import_apkg(collection, result.path)

    assert result.changed == 1
    assert len(log.updated) == 1 and len(log.new) == 0
    after = notes_by_card_id(collection)
    assert collection.note_count() == len(before) == 8
    changed = after["de-reg-widerruf-frist"]
    assert changed.id == before["de-reg-widerruf-frist"].id  # the same note, so review history stays
    assert changed["Answer"] == "14 Tage ab Erhalt der Ware (§ 355 BGB)"
    assert changed.mod == T0 + 60
    untouched = {cid: (n.mod, n.fields) for cid, n in after.items() if cid != "de-reg-widerruf-frist"}
    assert untouched == {cid: (n.mod, n.fields) for cid, n in before.items() if cid != "de-reg-widerruf-frist"}


def test_learners_own_edits_on_untouched_notes_survive_a_reimport(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "v1.apkg").path)
    mine = notes_by_card_id(collection)["eu-reg-withdrawal-period"]
    mine["Explanation"] = "My own mnemonic"
    collection.update_note(mine)
    copy = tmp_path / "edited"
    shutil.copytree(world, copy)
    edit(copy, "de/etiquette.yaml", "explain: Siezen", "explain: Grundsätzlich Siezen")

    import_apkg(collection, export(copy, tmp_path / "v2.apkg", now=T0 + 60).path)

    notes = notes_by_card_id(collection)
    assert notes["eu-reg-withdrawal-period"]["Explanation"] == "My own mnemonic"
    assert notes["de-eti-du-myth"]["Explanation"].startswith("Grundsätzlich Siezen")


def test_same_second_rebuild_still_updates_the_changed_note(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "v1.apkg").path)
    copy = tmp_path / "edited"
    shutil.copytree(world, copy)
    edit(copy, "eu/regulation.yaml", "a: 14 days", "a: 14 calendar days")

    log = import_apkg(collection, export(copy, tmp_path / "v2.apkg", now=T0).path)

    assert [n.fields[2] for n in log.updated] == ["14 calendar days"]
    assert notes_by_card_id(collection)["eu-reg-withdrawal-period"].mod == T0 + 1


def test_guid_comes_from_the_card_id_only(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "v1.apkg").path)
    copy = tmp_path / "edited"
    shutil.copytree(world, copy)
    edit(copy, "global/skills.yaml", "situation: A customer writes", "situation: A customer in Lyon writes")

    import_apkg(collection, export(copy, tmp_path / "v2.apkg", now=T0 + 5).path)

    note = notes_by_card_id(collection)["gl-scn-late"]
    assert note.guid == note_guid("gl-scn-late")
    assert note["Situation"].startswith("A customer in Lyon")
    assert collection.note_count() == 8


def test_mod_state_hashes_the_notes_content_as_json(world, tmp_path, isolated_home):
    """The hashes in anki-notes.json are a contract with every trainer's machine: the JSON content hash
    of a note's type, fields by name and tags, as csdrill 0.1.0 computed it. Were the scheme to change,
    the first export after an upgrade would count every note as changed and overwrite learners' edits."""
    path = export(world, tmp_path / "de.apkg").path
    names = {nt.id: nt.fields for nt in NOTE_TYPES.values()}

    notes = json.loads((isolated_home / "anki-notes.json").read_text(encoding="utf-8"))["notes"]
    rows = package_rows(path, tmp_path, "SELECT guid, mid, flds, tags FROM notes")
    assert len(rows) == 8
    for guid, mid, flds, tags in rows:
        content = note_content(mid, dict(zip(names[mid], flds.split("\x1f"), strict=True)), tags.split())
        assert notes[guid][:2] == [content_hash(content), T0]


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.text(min_size=1), min_size=1, max_size=8, unique=True), data=st.data())
def test_note_hash_is_the_json_content_hash(names, data):
    values = data.draw(st.lists(st.text(), min_size=len(names), max_size=len(names)))
    tags = data.draw(st.lists(st.text(), max_size=4))
    notetype_id = data.draw(st.integers(min_value=0, max_value=2**31))

    assert NoteHasher(notetype_id, names)(values, tags) == content_hash(
        note_content(notetype_id, dict(zip(names, values, strict=True)), tags))


def test_mod_state_without_fingerprints_keeps_every_mod(world, tmp_path, isolated_home):
    """A state file written before fingerprints (or by a version that drops them) still decides by
    its hashes: nothing counts as changed, and the fingerprints are added for the next export."""
    export(world, tmp_path / "v1.apkg")
    state = isolated_home / "anki-notes.json"
    data = json.loads(state.read_text(encoding="utf-8"))
    old = {key: entry[:2] for key, entry in data["notes"].items()}
    state.write_text(json.dumps({"format": 1, "notes": old}, indent=0), encoding="utf-8")

    result = export(world, tmp_path / "v2.apkg", now=T0 + 3600)

    assert result.changed == 0
    notes = json.loads(state.read_text(encoding="utf-8"))["notes"]
    assert {key: entry[:2] for key, entry in notes.items()} == old
    assert all(len(entry) == 3 for key, entry in notes.items() if not key.startswith("notetype:"))


# Few characters, among them the separators, so that different notes often join to the same text.
_PIECES = st.text(alphabet=["a", " ", "\x1f", ":"], max_size=2)
_NOTES = st.tuples(st.lists(_PIECES, min_size=3, max_size=3), st.lists(_PIECES, max_size=2))


@settings(max_examples=2000, deadline=None)
@given(first=_NOTES, second=_NOTES)
@example(first=(["a", "", ""], []), second=(["a", "", ""], [""]))
@example(first=(["a", "", ""], ["a"]), second=(["", "", ""], ["", "a"]))
@example(first=(["b", "", ""], ["a"]), second=(["", "", ""], ["ab"]))  # the same tags + flds text
def test_note_fingerprint_tells_different_notes_apart(first, second):
    hasher = NoteHasher(1_733_061_001, ["Question", "Choices", "Answer"])

    def fingerprint(note):
        values, tags = note
        return hasher.fingerprint("\x1f".join(values), " ".join(tags), len(tags))

    if fingerprint(first) is not None and fingerprint(first) == fingerprint(second):
        assert first == second


def test_note_fingerprint_follows_the_note_type():
    note_types = [(1_733_061_001, ["Question", "Answer"]), (1_733_061_002, ["Question", "Answer"]),
                  (1_733_061_001, ["Question", "Hint"])]

    prints = {NoteHasher(notetype_id, names).fingerprint("q\x1fa", "csdrill", 1) for notetype_id, names in note_types}

    assert len(prints) == 3 and None not in prints


@settings(max_examples=300, deadline=None)
@given(card_id=st.text())
def test_guid_is_genankis_guid_of_the_card_id(card_id):
    from genanki import guid_for

    assert note_guid(card_id) == guid_for("csdrill", card_id)


def test_rebuild_without_changes_leaves_the_mod_state_untouched(world, tmp_path, isolated_home):
    export(world, tmp_path / "v1.apkg")
    state = isolated_home / "anki-notes.json"
    before = (state.read_bytes(), state.stat().st_mtime_ns)

    result = export(world, tmp_path / "v2.apkg", now=T0 + 3600)

    assert result.changed == 0
    assert (state.read_bytes(), state.stat().st_mtime_ns) == before


def test_every_field_passes_genankis_html_check(world, tmp_path):
    """genanki warns about text that looks like a broken tag; csdrill writes the notes table itself,
    so it runs genanki's check here, over every field of a package."""
    from genanki import Note

    path = export(world, tmp_path / "de.apkg", markets=()).path
    fields = [field for (flds,) in package_rows(path, tmp_path, "SELECT flds FROM notes") for field in flds.split("\x1f")]

    assert len(fields) > 50
    assert [f for f in fields if Note._find_invalid_html_tags_in_field(f)] == []


def test_unreadable_mod_state_stops_the_export_instead_of_touching_every_note(world, tmp_path, isolated_home):
    from csdrill.errors import StateError

    (isolated_home / "anki-notes.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(StateError, match=r"anki-notes\.json"):
        export(world, tmp_path / "de.apkg")
    assert not list(tmp_path.glob("*.apkg")) and not list(tmp_path.glob(".*.tmp"))


def test_mod_state_lives_in_csdrill_home(world, tmp_path, isolated_home):
    export(world, tmp_path / "de.apkg")

    assert (isolated_home / "anki-notes.json").is_file()


def test_deck_ids_are_stable_and_distinct():
    names = [f"csdrill::{m}::{t}" for m in ("Germany", "France", "European Union") for t in ("Regulation", "Phrase")]
    ids = [deck_id(name) for name in names]
    assert ids == [deck_id(name) for name in names]
    assert len(set(ids)) == len(ids)
    assert all(1 << 30 <= i < 1 << 31 for i in ids)


def test_package_holds_fixed_ids_and_stable_mods(world, tmp_path):
    """Two builds of unchanged content are the same notes with the same mods, whatever the time."""
    import sqlite3

    def rows(path):
        db = tmp_path / f"{path.stem}.anki2"
        with zipfile.ZipFile(path) as z:
            db.write_bytes(z.read("collection.anki2"))
        con = sqlite3.connect(db)
        try:
            return sorted(con.execute("SELECT guid, mid, mod, flds, tags FROM notes"))
        finally:
            con.close()

    first = rows(export(world, tmp_path / "a.apkg", now=T0).path)
    second = rows(export(world, tmp_path / "b.apkg", now=T0 + 86_400).path)
    assert first == second
    assert {row[2] for row in first} == {T0}


# --- the command line ---------------------------------------------------------------------------------


TRAINER_DECK = """\
deck: test-trainer-de
title: A trainer's own German cards
market: de
topic: phrase
cards:
  - id: test-trainer-de-phr-groesse
    lang: de
    text: Die Größe fällt klein aus – bitte eine Nummer größer bestellen.
    meaning: The size runs small; please order one size up.
    zh: 尺码偏小，请选大一号。
"""


def test_cli_export_de_with_a_trainer_deck_imports_the_whole_pool(cli, tmp_path, collection, builtin_content):
    trainer = tmp_path / "trainer"
    write(trainer, "de-extra.yaml", TRAINER_DECK)
    expected = load([trainer], today=date.today()).library.market_cards("de")
    output = tmp_path / "out" / "de.apkg"
    output.parent.mkdir()

    run = cli("export", "anki", "--market", "de", "--decks", str(trainer), "--output", str(output))

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().startswith(f"{len(expected)} notes, ")
    assert run.stdout.strip().endswith(f"decks → {output}")
    log = import_apkg(collection, output)
    assert len(log.new) == collection.note_count() == len(expected)
    note = notes_by_card_id(collection)["test-trainer-de-phr-groesse"]
    assert note["Phrase"] == '<span lang="de">Die Größe fällt klein aus – bitte eine Nummer größer bestellen.</span>'
    names = {collection.decks.name(c.did) for n in notes_by_card_id(collection).values() for c in n.cards()}
    assert "csdrill::Germany::Phrase" in names
    assert all(n.startswith(("csdrill::Germany::", "csdrill::European Union::", "csdrill::Global service skills::"))
               for n in names)


def test_cli_full_builtin_export_imports_cleanly(cli, tmp_path, collection, builtin_content):
    run = cli("export", "anki", cwd=tmp_path, timeout=300)

    assert run.returncode == 0, run.stderr
    output = tmp_path / "csdrill.apkg"
    assert re.fullmatch(r"\d+ notes, \d+ cards, \d+ decks → csdrill\.apkg", run.stdout.strip())
    log = import_apkg(collection, output)
    assert len(log.new) == collection.note_count() == len(builtin_content.library.cards)
    assert len(log.conflicting) == len(log.missing_notetype) == len(log.missing_deck) == 0
    assert len(import_apkg(collection, output).new) == 0


def test_cli_default_file_name_names_the_market(cli, tmp_path, builtin_content):
    run = cli("export", "anki", "--market", "de", "--topic", "regulation", cwd=tmp_path)

    assert run.returncode == 0, run.stderr
    assert (tmp_path / "csdrill-de.apkg").is_file()
    assert run.stdout.strip().endswith("→ csdrill-de.apkg")


def test_cli_unknown_market_is_a_usage_error(cli, tmp_path, builtin_content):
    run = cli("export", "anki", "--market", "dee", cwd=tmp_path)

    assert run.returncode == 2
    assert "unknown market 'dee'" in run.stderr and "did you mean 'de'" in run.stderr
    assert not list(tmp_path.iterdir())


def test_cli_unknown_topic_is_a_usage_error(cli, tmp_path, builtin_content):
    run = cli("export", "anki", "--topic", "regulations", cwd=tmp_path)

    assert run.returncode == 2
    assert "unknown topic 'regulations'" in run.stderr


@pytest.mark.parametrize("where", ["missing-folder/out.apkg", "read-only/out.apkg", ".", "x" * 300 + ".apkg"])
def test_cli_unwritable_output_is_a_usage_error(cli, tmp_path, where, builtin_content):
    (tmp_path / "read-only").mkdir()
    (tmp_path / "read-only").chmod(0o555)
    if where.startswith("read-only") and os.access(tmp_path / "read-only", os.W_OK):
        pytest.skip("running as a user who can write anywhere (root)")
    try:
        run = cli("export", "anki", "--market", "de", "--output", str(tmp_path / where))
    finally:
        (tmp_path / "read-only").chmod(0o755)

    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(f"csdrill: cannot write {tmp_path / where}")
    assert "Traceback" not in run.stderr
    assert not list((tmp_path / "read-only").iterdir())


def test_progress_reports_every_note(world, tmp_path):
    calls = []
    result = export(world, tmp_path / "de.apkg", progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (result.notes, result.notes)
    assert [done for done, _ in calls] == list(range(1, result.notes + 1))


def test_version_does_not_import_genanki():
    code = (
        "import sys\n"
        "sys.argv = ['csdrill', '--version']\n"
        "from csdrill.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('genanki' in sys.modules, 'csdrill.anki.package' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["csdrill", run.stdout.split()[1], "False", "False"]


# --- temporary files ------------------------------------------------------------------------------------


def test_a_killed_export_leaves_nothing_in_the_system_temp_folder_and_the_next_run_cleans_up(tmp_path):
    """SIGKILL a real export while it writes: its temporary files are next to the output only (never
    in the system temp folder), and the next export to the same file removes them."""
    import signal
    import time

    decks = tmp_path / "decks"
    write(decks, "markets.yaml", "markets:\n  - code: zz\n    name: Zedland\n    languages: [de]\n")
    cards = "".join(f"  - id: zz-big-{i}\n    q: Frage {i}?\n    a: Antwort {i}\n    explain: Weil {i}.\n"
                    for i in range(6_000))
    write(decks, "zz.yaml", "deck: zz-big\ntitle: Big\nmarket: zz\ntopic: skill\ncards:\n" + cards)
    system_tmp, out = tmp_path / "system-tmp", tmp_path / "out"
    system_tmp.mkdir()
    out.mkdir()
    env = {**os.environ, "CSDRILL_BUILTIN": "0", "TMPDIR": str(system_tmp)}
    command = [sys.executable, "-m", "csdrill", "export", "anki", "--decks", str(decks), "-o", str(out / "big.apkg")]

    export_run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob(".big.apkg.*.anki2.tmp")) and export_run.poll() is None:
            assert time.monotonic() < deadline, "the export never started writing"
            time.sleep(0.002)
        export_run.send_signal(signal.SIGKILL)
    finally:
        export_run.wait(timeout=60)
    assert export_run.returncode == -signal.SIGKILL, "the export ended before it could be killed"

    left = sorted(p.name for p in out.iterdir())
    assert left and all(re.fullmatch(rf"\.big\.apkg\.{export_run.pid}\.[0-9a-f]+(\.anki2)?\.tmp", n) for n in left)
    assert list(system_tmp.iterdir()) == []

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["big.apkg"]
    assert list(system_tmp.iterdir()) == []


def test_temporary_files_of_a_running_export_are_left_alone(tmp_path):
    from csdrill.anki.scratch import remove_stale

    target = tmp_path / "x.apkg"
    ours = tmp_path / f".x.apkg.{os.getpid()}.abcd1234.tmp"
    dead = tmp_path / ".x.apkg.999999999.abcd1234.anki2.tmp"  # above any Linux pid_max
    unrelated = tmp_path / ".y.apkg.999999999.abcd1234.tmp"
    for path in (ours, dead, unrelated):
        path.write_bytes(b"")

    assert remove_stale(target) == [dead]
    assert ours.exists() and unrelated.exists() and not dead.exists()


def test_summary_counts_in_words_a_person_would_use(tmp_path):
    from csdrill.anki.package import AnkiExport

    assert AnkiExport(tmp_path / "x.apkg", notes=1, cards=1, decks=1, changed=0).summary() == (
        f"1 note, 1 card, 1 deck → {tmp_path / 'x.apkg'}")
    assert AnkiExport(tmp_path / "x.apkg", notes=3, cards=4, decks=2, changed=0, retired=1).summary() == (
        f"3 notes (1 retired), 4 cards, 2 decks → {tmp_path / 'x.apkg'}")
