"""Later releases, imported with Anki's desktop default options into a real collection (the `anki`
package): a note type that gains a field, a card that is retired and comes back, a card whose kind
changes, a learner coming from the first edition."""

# The `world` and `collection` fixtures come from test_anki_export, imported by name: pytest finds them
# there, and ruff takes every test's parameter of that name for a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import dataclasses
import shutil

import pytest

from csdrill.anki.fields import note_fields
from csdrill.anki.identity import note_guid
from csdrill.anki.notetypes import NOTE_TYPES
from csdrill.anki.package import Selection
from csdrill.content.problems import ContentError
from tests.conftest import write
from tests.test_anki_export import (  # noqa: F401  (fixtures)
    T0,
    collection,
    edit,
    export,
    import_apkg,
    notes_by_card_id,
    world,
)

pytest.importorskip("anki.collection")

DAY = 86_400
FACT_IDS = {"de-reg-widerruf-frist", "de-reg-escape", "eu-reg-withdrawal-period"}


def review_everything(col) -> int:
    """Answer every due card "Good", as a learner's first session would; returns the reviews logged."""
    col.decks.select(col.decks.id("csdrill"))
    while (card := col.sched.getCard()) is not None:
        col.sched.answerCard(card, 3)
    return col.db.scalar("SELECT count() FROM revlog")


def scheduling(col) -> dict:
    return dict(((nid, ord_), (ivl, due, queue, reps)) for nid, ord_, ivl, due, queue, reps in
                col.db.all("SELECT nid, ord, ivl, due, queue, reps FROM cards"))


def release_with_a_hint_field():
    """Release N+1 as a later csdrill makes it: the fact note type's first spare field becomes
    "Hint" (same slot, so the same field id), shown on the front."""
    fact = NOTE_TYPES["fact"]
    fields = list(fact.fields)
    fields[fields.index("Spare 1")] = "Hint"
    template = fact.templates[0]
    hint = '{{#Hint}}<div class="meta">Hint: {{Hint}}</div>{{/Hint}}'
    template = dataclasses.replace(template, front=template.front.replace("{{Choices}}", hint + "{{Choices}}"),
                                   back=template.back.replace("{{Choices}}", hint + "{{Choices}}"))
    return {**NOTE_TYPES, "fact": dataclasses.replace(fact, fields=tuple(fields), templates=(template,))}


def with_hints(card, languages):
    values = note_fields(card, languages)
    if card.kind == "fact":
        values["Hint"] = f"Think of the {card.market} rules"
    return values


def note_type_names(col) -> list[str]:
    return sorted(m.name for m in col.models.all_names_and_ids() if m.name.startswith("csdrill"))


# --- a note type gains a field ------------------------------------------------------------------------


def test_a_release_whose_note_type_gains_a_field_updates_every_note_in_place(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "n.apkg").path)
    reviews = review_everything(collection)
    before = notes_by_card_id(collection)
    cards_before = scheduling(collection)
    assert reviews >= collection.card_count() == 11

    result = export(world, tmp_path / "n1.apkg", now=T0 + DAY, note_types=release_with_a_hint_field(),
                    make_fields=with_hints)
    log = import_apkg(collection, result.path)  # the desktop's defaults: no merging, "if newer"

    assert len(log.conflicting) == len(log.new) == 0
    assert {n.fields[6] for n in log.updated} == FACT_IDS  # the Card ID field
    assert note_type_names(collection) == ["csdrill fact", "csdrill phrase", "csdrill scenario", "csdrill true/false"]
    fact = collection.models.by_name("csdrill fact")
    assert [f["name"] for f in fact["flds"]][NOTE_TYPES["fact"].fields.index("Spare 1")] == "Hint"
    after = notes_by_card_id(collection)
    assert {cid: n.id for cid, n in after.items()} == {cid: n.id for cid, n in before.items()}
    for card_id in FACT_IDS:
        note = after[card_id]
        assert note["Hint"].startswith("Think of the ")
        assert note.mod == T0 + DAY
        assert "Hint: Think of the" in note.cards()[0].question()
    # the reviews and every card's schedule are untouched
    assert collection.db.scalar("SELECT count() FROM revlog") == reviews
    assert scheduling(collection) == cards_before


def test_with_merge_note_types_on_the_same_release_also_updates_in_place(world, tmp_path, collection):
    """Learners who followed the first edition's advice kept "Merge note types" on: that works too."""
    import_apkg(collection, export(world, tmp_path / "n.apkg").path, merge_notetypes=True)

    result = export(world, tmp_path / "n1.apkg", now=T0 + DAY, note_types=release_with_a_hint_field(),
                    make_fields=with_hints)
    log = import_apkg(collection, result.path, merge_notetypes=True)

    assert len(log.conflicting) == len(log.new) == 0
    assert {n.fields[6] for n in log.updated} == FACT_IDS
    assert all(notes_by_card_id(collection)[cid]["Hint"] for cid in FACT_IDS)
    assert len(note_type_names(collection)) == 4


def test_adding_a_field_instead_of_filling_a_spare_breaks_the_default_import(world, tmp_path, collection):
    """Why the spare fields: a note type with one field more is a new schema to Anki, which then keeps
    a `+` copy and skips every note of that type as conflicting (issue 16, item 2)."""
    import_apkg(collection, export(world, tmp_path / "n.apkg").path)
    fact = NOTE_TYPES["fact"]
    longer = {**NOTE_TYPES, "fact": dataclasses.replace(fact, fields=(*fact.fields, "Hint"))}

    log = import_apkg(collection, export(world, tmp_path / "n1.apkg", now=T0 + DAY, note_types=longer).path)

    assert "csdrill fact+" in note_type_names(collection)
    assert len(log.conflicting) == 3


# --- from the first edition ---------------------------------------------------------------------------


def first_edition_package(folder, path, now=T0):
    """A package as csdrill 0.1 wrote it: genanki note types with fields named but without ids, the
    first edition's field lists, and the same GUIDs."""
    import genanki

    from csdrill.anki.package import plan_decks
    from csdrill.selection import select_cards
    from tests.test_anki_export import library_of

    library = library_of(folder)
    old_fields = {"fact": ["Question", "Choices", "Answer"], "truefalse": ["Statement", "Answer"],
                  "phrase": ["Phrase", "Meaning", "Language", "Register", "Use", "Alternatives"],
                  "scenario": ["Situation", "Options", "Best", "Why"]}
    models = {}
    for kind, names in old_fields.items():
        names = [*names, "Explanation", "Chinese", "Source", "Card ID"]
        templates = [{"name": "Card", "qfmt": "{{" + names[0] + "}}", "afmt": "{{FrontSide}}<hr id=answer>{{Card ID}}"}]
        if kind == "phrase":
            templates.append({"name": "Production", "qfmt": "{{Meaning}}", "afmt": "{{FrontSide}}<hr>{{Phrase}}"})
        models[kind] = (genanki.Model(NOTE_TYPES[kind].id, NOTE_TYPES[kind].name, fields=[{"name": n} for n in names],
                                      templates=templates), names)
    decks = []
    for planned in plan_decks(library, select_cards(library, ["de"])):
        deck = genanki.Deck(planned.id, planned.name)
        for card in planned.cards:
            model, names = models[card.kind]
            values = note_fields(card)
            deck.add_note(genanki.Note(model=model, fields=[values.get(n, "") for n in names], guid=note_guid(card.id),
                                       tags=["csdrill", f"market::{card.market}"]))
        decks.append(deck)
    genanki.Package(decks).write_to_file(path, timestamp=now)
    return path


def test_a_first_edition_collection_upgrades_once_with_merge_then_defaults_work(world, tmp_path, collection):
    import_apkg(collection, first_edition_package(world, tmp_path / "old.apkg"))
    reviews = review_everything(collection)

    # The one import docs/anki.md asks of first-edition learners: merge note types, update notes always.
    log = import_apkg(collection, export(world, tmp_path / "n.apkg", now=T0 + DAY).path,
                      merge_notetypes=True, update_notes=1)

    assert len(log.conflicting) == len(log.new) == 0 and len(log.updated) == 8
    assert len(note_type_names(collection)) == 4
    assert notes_by_card_id(collection)["de-reg-widerruf-frist"]["Right choice"] == "A"
    # the first edition's loose tags are gone from every note; "Clear unused tags" drops them from the list
    assert not [t for n in notes_by_card_id(collection).values() for t in n.tags if not t.startswith("csdrill::")]
    collection.tags.clear_unused_tags()
    assert [tag for tag in collection.tags.all() if not tag.startswith("csdrill::")] == ["csdrill"]  # the root

    # …and from then on, the desktop's defaults carry a later release's new field.
    later = export(world, tmp_path / "n1.apkg", now=T0 + 2 * DAY, note_types=release_with_a_hint_field(),
                   make_fields=with_hints)
    log = import_apkg(collection, later.path)
    assert len(log.conflicting) == len(log.new) == 0
    assert {n.fields[6] for n in log.updated} == FACT_IDS
    assert len(note_type_names(collection)) == 4
    assert collection.db.scalar("SELECT count() FROM revlog") == reviews


# --- retired cards --------------------------------------------------------------------------------------


def without_card(world, tmp_path, relative, card_id, name="edited"):
    copy = tmp_path / name
    shutil.copytree(world, copy)
    path = copy / relative
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"  - id: {card_id}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id: ")), len(lines))
    path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    return copy


def test_a_removed_card_comes_once_more_marked_retired_and_can_be_suspended_with_one_search(
        world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "v1.apkg").path)
    reviews = review_everything(collection)
    note_id = notes_by_card_id(collection)["de-reg-escape"].id
    gone = without_card(world, tmp_path, "de/regulation.yaml", "de-reg-escape")

    result = export(gone, tmp_path / "v2.apkg", now=T0 + DAY)
    log = import_apkg(collection, result.path)

    assert result.retired == 1 and "(1 retired)" in result.summary()
    assert [n.fields[6] for n in log.updated] == ["de-reg-escape"] and len(log.new) == 0
    note = collection.get_note(note_id)
    assert "csdrill::retired" in note.tags
    assert note["Retired"].startswith("RETIRED on 2023-11-15")
    assert note["Question"].startswith("What does &lt;b&gt;")  # the card as it was, still readable
    assert '<div class="retired">RETIRED on' in note.cards()[0].question()
    assert collection.db.scalar("SELECT count() FROM revlog") == reviews

    retired = collection.find_cards("tag:csdrill::retired")
    collection.sched.suspend_cards(retired)  # what docs/anki.md tells learners to do
    assert [collection.get_card(c).queue for c in retired] == [-1]

    # a rebuild sends it again, unchanged: nothing to update
    again = export(gone, tmp_path / "v3.apkg", now=T0 + 2 * DAY)
    assert again.retired == 1 and again.changed == 0
    assert len(import_apkg(collection, again.path).updated) == 0


def test_a_retired_card_that_comes_back_loses_its_mark(world, tmp_path, collection):
    import_apkg(collection, export(world, tmp_path / "v1.apkg").path)
    gone = without_card(world, tmp_path, "de/regulation.yaml", "de-reg-escape")
    import_apkg(collection, export(gone, tmp_path / "v2.apkg", now=T0 + DAY).path)

    back = export(world, tmp_path / "v3.apkg", now=T0 + 2 * DAY)
    log = import_apkg(collection, back.path)

    assert back.retired == 0
    assert [n.fields[6] for n in log.updated] == ["de-reg-escape"]
    note = notes_by_card_id(collection)["de-reg-escape"]
    assert note["Retired"] == "" and "csdrill::retired" not in note.tags
    assert collection.note_count() == 8


def test_retired_cards_go_only_with_their_own_market_and_only_for_a_while(world, tmp_path):
    gone = without_card(world, tmp_path, "de/regulation.yaml", "de-reg-escape")
    export(world, tmp_path / "v1.apkg", markets=())

    assert export(gone, tmp_path / "fr.apkg", markets=("fr",), now=T0 + DAY, selection=Selection(("fr",))).retired == 0
    assert export(gone, tmp_path / "de.apkg", now=T0 + DAY, selection=Selection(("de",))).retired == 1
    assert export(gone, tmp_path / "de-phrases.apkg", now=T0 + DAY,
                  selection=Selection(("de",), ("phrase",))).retired == 0
    assert export(gone, tmp_path / "all.apkg", markets=(), now=T0 + 100 * DAY).retired == 1
    assert export(gone, tmp_path / "late.apkg", markets=(), now=T0 + 200 * DAY).retired == 0
    assert export(world, tmp_path / "again.apkg", markets=(), now=T0 + 201 * DAY).notes == 9


def test_cards_of_other_markets_are_not_retired_by_a_market_export(world, tmp_path):
    export(world, tmp_path / "all.apkg", markets=())

    assert export(world, tmp_path / "de.apkg", now=T0 + DAY, selection=Selection(("de",))).retired == 0


# --- a card that changes its kind ----------------------------------------------------------------------


def test_a_card_whose_kind_changed_under_the_same_id_stops_the_export(world, tmp_path, isolated_home):
    export(world, tmp_path / "v1.apkg")
    changed = tmp_path / "changed"
    shutil.copytree(world, changed)
    edit(changed, "de/etiquette.yaml", "    statement: Duzen ist im Kundenservice immer in Ordnung.\n    true: no",
         "    q: Ist Duzen im Kundenservice immer in Ordnung?\n    a: Nein")

    with pytest.raises(ContentError) as caught:
        export(changed, tmp_path / "v2.apkg", now=T0 + DAY)

    (problem,) = caught.value.problems
    assert problem.location.path.endswith("etiquette.yaml") and problem.location.line == 6
    assert "'de-eti-du-myth' was exported to Anki as a true/false card and is now a fact card" in problem.message
    assert "new id" in problem.message
    assert not (tmp_path / "v2.apkg").exists()


CHANGED_KIND_MARKETS = "markets:\n  - code: zz\n    name: Zedland\n    languages: [de]\n"


def test_cli_reports_a_changed_kind_with_its_location_and_exit_2(cli, tmp_path):
    decks = tmp_path / "decks"
    write(decks, "markets.yaml", CHANGED_KIND_MARKETS)
    write(decks, "zz.yaml", "deck: zz\ntitle: Z\nmarket: zz\ntopic: skill\ncards:\n"
                            "  - id: zz-1\n    statement: Der Himmel ist blau.\n    true: yes\n    explain: Tagsüber.\n")
    env = {"CSDRILL_BUILTIN": "0"}
    first = cli("export", "anki", "--decks", str(decks), "-o", str(tmp_path / "a.apkg"), env=env)
    assert first.returncode == 0, first.stderr
    write(decks, "zz.yaml", "deck: zz\ntitle: Z\nmarket: zz\ntopic: skill\ncards:\n"
                            "  - id: zz-1\n    q: Welche Farbe hat der Himmel?\n    a: Blau\n    explain: Tagsüber.\n")

    run = cli("export", "anki", "--decks", str(decks), "-o", str(tmp_path / "b.apkg"), env=env)

    assert run.returncode == 2
    first_line = run.stderr.splitlines()[0]
    assert first_line.startswith(f"{decks / 'zz.yaml'}:6:")
    assert "'zz-1' was exported to Anki as a true/false card and is now a fact card" in first_line
    assert run.stderr.splitlines()[-1] == (
        f"csdrill: nothing written to {tmp_path / 'b.apkg'}; change the card ids above and export again")
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert not (tmp_path / "b.apkg").exists()
