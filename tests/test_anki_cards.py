"""What a learner sees in Anki: the built-in export imported into a real collection (the `anki`
package) with the desktop's default options, its cards rendered by Anki itself."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from html.parser import HTMLParser

import pytest

from csdrill.anki.package import export_anki
from csdrill.content.loader import load
from tests.conftest import write
from tests.test_anki_export import T0, default_options, export, import_apkg, notes_by_card_id

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection


@pytest.fixture(scope="module")
def builtin(tmp_path_factory):
    """The built-in decks exported and imported once with Anki's default options, for every test here."""
    result = load(today=date.today(), include_builtin=True)
    if result.problems:
        pytest.skip(f"built-in content has {len(result.problems)} lint problem(s)")
    folder = tmp_path_factory.mktemp("builtin-anki")
    library = result.library
    exported = export_anki(library, list(library.cards.values()), folder / "csdrill.apkg",
                           state_path=folder / "anki-notes.json", now=T0)
    col = Collection(str(folder / "collection.anki2"))
    log = import_apkg(col, exported.path)
    assert len(log.new) == len(library.cards) and len(log.conflicting) == 0
    yield library, col
    col.close()


# --- choices --------------------------------------------------------------------------------------


def right_positions(col) -> dict[int, list[int]]:
    """For every note with lettered choices: number of choices → the right answer's 0-based positions."""
    positions = defaultdict(list)
    for nid in col.find_notes('"note:csdrill fact" OR "note:csdrill scenario"'):
        note = col.get_note(nid)
        choices = note["Choices"] if "Choices" in note else note["Options"]
        items = re.findall(r'<li( class="right")?><span class="label">([A-Z])</span>', choices)
        if not items:
            continue  # a fact card without choices: answered free
        assert [label for _, label in items] == list("ABCDEFGH"[: len(items)])
        (right,) = [i for i, (mark, _) in enumerate(items) if mark]
        assert items[right][1] == note["Right choice"]
        positions[len(items)].append(right)
    return positions


def test_right_answer_position_is_near_uniform_across_the_builtin_export(builtin):
    _, col = builtin
    positions = right_positions(col)

    cards = sum(len(p) for p in positions.values())
    assert cards > 400  # 344 fact cards with choices and 144 scenarios when this was written
    first = sum(p.count(0) for p in positions.values())
    expected = sum(len(p) / n for n, p in positions.items())  # what a uniform position would give
    assert abs(first - expected) / cards <= 0.10
    for n, found in positions.items():
        if len(found) >= 50:
            shares = Counter(found)
            assert all(abs(shares[i] / len(found) - 1 / n) <= 0.10 for i in range(n)), (n, shares)


def test_choice_order_is_stable_and_marked_only_on_the_back(builtin, tmp_path):
    library, col = builtin
    again = export_anki(library, list(library.cards.values()), tmp_path / "again.apkg",
                        state_path=tmp_path / "anki-notes.json", now=T0 + 86_400)
    other = Collection(str(tmp_path / "other.anki2"))
    try:
        import_apkg(other, again.path)
        assert right_positions(other) == right_positions(col)
    finally:
        other.close()

    note = col.get_note(col.find_notes('"note:csdrill fact" "Right choice:_*"')[0])
    card = note.cards()[0]
    front, back = card.question(), card.answer()
    assert '<div class="front">' in front and '<div class="back">' in back
    # the stylesheet marks the right choice only inside .back
    assert re.search(r"\.back li\.right\s*\{[^}]*font-weight: 700", card.css())
    assert not re.search(r"(^|[\s,}])li\.right", card.css().replace(".back li.right", ""))
    assert f'<span class="label">{note["Right choice"]}</span>' in back.split('<hr id="answer">')[1]


# --- phrases: type-in and speech ------------------------------------------------------------------


def test_production_card_types_the_phrase_and_anki_speaks_it_in_its_language(builtin):
    _, col = builtin
    note = col.get_note(col.find_notes('"Card ID:sa-phr-salam-greeting"')[0])
    recognition, production = sorted(note.cards(), key=lambda c: c.ord)

    assert "[[type:Phrase]]" in production.question()  # Anki's type-in box
    phrase = re.sub("<[^>]+>", "", note["Phrase"])
    # the desktop reviewer compares what was typed with the raw field, as here (qt/aqt/reviewer.py)
    good = col.compare_answer(note["Phrase"], phrase)
    assert "typeGood" in good and "typeBad" not in good and "typeMissed" not in good
    wrong = col.compare_answer(note["Phrase"], "مرحبا")
    assert "typeMissed" in wrong or "typeBad" in wrong
    assert "Say it in the customer's language: Arabic" in production.question()
    assert "(ar)" not in production.question().split("</style>")[1]

    def speech(tags):
        return [(tag.lang, tag.field_text) for tag in tags if type(tag).__name__ == "TTSTag"]

    assert speech(recognition.question_av_tags()) == [("ar_SA", phrase)]
    assert speech(production.question_av_tags()) == []  # the front must not say the answer
    assert speech(production.answer_av_tags()) == [("ar_SA", phrase)]


def test_every_phrase_has_speech_in_its_own_language(builtin):
    library, col = builtin
    for nid in col.find_notes('"note:csdrill phrase"'):
        note = col.get_note(nid)
        card = library.cards[note["Card ID"]]
        lang = re.fullmatch(r"\[anki:tts lang=([a-z]+)_([A-Z]+)\].+\[/anki:tts\]", note["Speech"])
        assert lang and lang.group(1) == card.lang.split("-")[0], note["Speech"]


def test_fact_cards_show_their_accepted_answers_on_the_back(builtin):
    library, col = builtin
    card = next(c for c in library.cards.values() if c.kind == "fact" and c.accept)
    note = col.get_note(col.find_notes(f'"Card ID:{card.id}"')[0])
    back = note.cards()[0].answer()

    assert "Also right:" in back
    assert all(re.sub("<[^>]+>", "", note["Also accepted"]).count(a) for a in card.accept)


# --- tags -----------------------------------------------------------------------------------------


def test_every_tag_is_under_csdrill(builtin):
    _, col = builtin
    tags = col.tags.all()
    assert tags and all(tag.startswith("csdrill::") for tag in tags)
    assert {"csdrill::market::de", "csdrill::topic::regulation"} <= set(tags)


def test_a_trainer_tag_never_matches_a_market_search(tmp_path, collection_factory):
    world = tmp_path / "w"
    write(world, "markets.yaml", "markets:\n  - code: de\n    name: Germany\n    languages: [de]\n"
                                 "  - code: fr\n    name: France\n    languages: [fr]\n")
    write(world, "de.yaml", "deck: de-x\ntitle: x\nmarket: de\ntopic: skill\ncards:\n"
                            "  - id: de-x-1\n    q: Frage?\n    a: Antwort\n    tags: [market::fr, Zoll und Steuern]\n")
    col = collection_factory()
    import_apkg(col, export(world, tmp_path / "x.apkg", markets=()).path)

    assert col.find_notes("tag:csdrill::market::fr") == []
    assert len(col.find_notes("tag:csdrill::market::de")) == 1
    assert sorted(col.get_note(col.find_notes("")[0]).tags) == [
        "csdrill::market::de", "csdrill::tag::Zoll_und_Steuern", "csdrill::tag::market::fr", "csdrill::topic::skill"]


# --- styling --------------------------------------------------------------------------------------

NIGHT = (".nightMode", ".night_mode")


def css_rules(css: str) -> list[tuple[list[str], dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip()) for name, _, value in
            (d.partition(":") for d in body.split(";") if ":" in d))
        rules.append(([s.strip() for s in selectors.split(",")], declarations))
    return rules


def luminance(colour: str) -> float:
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def day_selector(selector: str) -> str:
    for name in NIGHT:
        selector = selector.replace(name, "")
    return selector.strip()


def colours_by_mode(css: str) -> dict[str, dict[str, str]]:
    """Selector (without the night-mode class) → its text colour in day and in night mode; a
    selector without a night rule keeps its day colour at night."""
    day, night, background = {}, {}, {}
    for selectors, declarations in css_rules(css):
        for selector in selectors:
            is_night = any(name in selector for name in NIGHT)
            if "background" in declarations and day_selector(selector) == ".card":
                background["night" if is_night else "day"] = declarations["background"]
            if "color" in declarations and declarations["color"].startswith("#"):
                (night if is_night else day)[day_selector(selector)] = declarations["color"]
    return {"background": background, "day": day, "night": {s: night.get(s, c) for s, c in day.items()} | night}


def test_every_text_colour_has_4_5_contrast_in_day_and_night_mode(builtin):
    _, col = builtin
    for model in col.models.all():
        if not model["name"].startswith("csdrill"):
            continue
        css = model["css"]
        colours = colours_by_mode(css)
        assert set(colours["background"]) == {"day", "night"}
        assert len(colours["day"]) >= 8
        for mode in ("day", "night"):
            low = {s: round(contrast(c, colours["background"][mode]), 2) for s, c in colours[mode].items()
                   if contrast(c, colours["background"][mode]) < 4.5}
            assert low == {}, (model["name"], mode, low)
        # Anki puts `card` and the night-mode classes on the same element (<body>)
        assert not re.search(r"\.night_?[mM]ode\s+\.card(?![-\w])", css)


def test_contrast_check_catches_a_low_contrast_colour():
    colours = colours_by_mode(".card { color: #111111; background: #ffffff; }\n"
                              ".card.nightMode { color: #eeeeee; background: #1e1e1e; }\n"
                              ".zh { color: #57606a; }\n.nightMode .zh { color: #6e7781; }")
    assert round(contrast(colours["night"][".zh"], colours["background"]["night"]), 2) == 3.67
    assert contrast(colours["day"][".zh"], colours["background"]["day"]) > 4.5


class LanguageCheck(HTMLParser):
    """Text in a non-Latin script outside any element with lang (and, for Arabic, dir)."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None, str | None]] = []
        self.untagged: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            attrs = dict(attrs)
            self.stack.append((tag, attrs.get("lang"), attrs.get("dir")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(tag in ("style", "script") for tag, _, _ in self.stack):
            return
        langs = [lang for _, lang, _ in self.stack if lang]
        dirs = [d for _, _, d in self.stack if d]
        non_latin = re.search(r"[\u3040-\u30ff\u3400-\u9fff\u0600-\u06ff\uac00-\ud7af]", data)
        arabic = re.search(r"[\u0600-\u06ff]", data)
        if (non_latin and not langs) or (arabic and not dirs):
            self.untagged.append(data)


def test_every_non_latin_text_carries_its_language_and_direction(builtin):
    _, col = builtin
    checked = 0
    for cid in col.find_cards("tag:csdrill::*"):
        card = col.get_card(cid)
        for side in (card.question(), card.answer()):
            check = LanguageCheck()
            check.feed(side)
            assert check.untagged == [], (card.note()["Card ID"], check.untagged[:3])
        checked += 1
    assert checked > 1500


def test_japanese_and_chinese_get_fonts_of_their_own(builtin):
    _, col = builtin
    css = col.models.by_name("csdrill fact")["css"]
    fonts = {lang: decl.get("font-family", "") for selectors, decl in css_rules(css) for lang in
             ("ja", "zh") if f":lang({lang})" in selectors}
    assert "Noto Sans CJK JP" in fonts["ja"] and "Noto Sans CJK SC" in fonts["zh"]
    japanese = col.get_note(col.find_notes('"Card ID:jp-eti-keigo-three-kinds"')[0])
    assert '<span lang="ja">' in japanese["Question"]
    assert 'lang="zh-CN"' in japanese.cards()[0].answer()  # the Chinese gloss stays Chinese


def test_decks_describe_the_version_and_how_to_update(builtin):
    from csdrill import __version__

    _, col = builtin
    decks = {d.name: col.decks.get(d.id) for d in col.decks.all_names_and_ids() if d.name.startswith("csdrill")}
    assert {"csdrill", "csdrill::Germany", "csdrill::Germany::Regulation"} <= set(decks)
    for name, deck in decks.items():
        assert f"csdrill {__version__}, exported 2023-11-14." in deck["desc"], name
        assert "File → Import" in deck["desc"]
    assert "tag:csdrill::retired" in decks["csdrill"]["desc"]
    assert "Germany — " in decks["csdrill::Germany::Regulation"]["desc"]


def test_defaults_are_what_the_desktop_offers(tmp_path):
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        options = default_options(col)
        assert options.merge_notetypes is False
        assert options.update_notes == options.update_notetypes == 0  # IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
        assert options.with_scheduling is False
    finally:
        col.close()


@pytest.fixture
def collection_factory(tmp_path):
    made = []

    def make():
        folder = tmp_path / f"anki{len(made)}"
        folder.mkdir()
        made.append(Collection(str(folder / "collection.anki2")))
        return made[-1]

    yield make
    for col in made:
        col.close()


def test_rebuild_of_the_builtin_export_changes_no_note(builtin, tmp_path):
    library, _ = builtin
    state = tmp_path / "anki-notes.json"
    export_anki(library, list(library.cards.values()), tmp_path / "a.apkg", state_path=state, now=T0)
    again = export_anki(library, list(library.cards.values()), tmp_path / "b.apkg", state_path=state, now=T0 + 60)
    assert again.changed == 0


def test_notes_by_card_id_helper_still_finds_every_note(builtin):
    library, col = builtin
    assert len(notes_by_card_id(col)) == len(library.cards)


CHINESE_DECK = """\
deck: zz-scn
title: Zedland scenarios
market: zz
topic: scenario
cards:
  - id: zz-scn-refund
    situation: Ein Kunde will sein Geld zurück.
    zh_prompt: 一位客户要求退款。
    options: [Erstatten, Ablehnen, Ignorieren]
    zh_options: [退款, 拒绝, 不理]
    best: Erstatten
    why: Das Gesetz verlangt es.
"""


def test_chinese_prompt_is_a_hint_on_the_front_and_chinese_options_show_on_the_back(tmp_path, collection_factory):
    world = tmp_path / "w"
    write(world, "markets.yaml", "markets:\n  - code: zz\n    name: Zedland\n    languages: [de]\n")
    write(world, "zz.yaml", CHINESE_DECK)
    col = collection_factory()
    import_apkg(col, export(world, tmp_path / "x.apkg", markets=()).path)
    card = col.get_note(col.find_notes("")[0]).cards()[0]
    front, back = card.question(), card.answer()

    # Anki's hint: a link that reveals the Chinese prompt, hidden until tapped
    assert re.search(r'<a class="?hint"?[^>]*>\s*Chinese prompt</a>', front)
    hidden = re.search(r'<div id="?hint[0-9a-f]+"? class="?hint"? style="display: none">(.*?)</div>', front)
    assert hidden and hidden.group(1) == '<span lang="zh-CN">一位客户要求退款。</span>'
    # each option's Chinese sits with its option (shown by the stylesheet on the back only)
    options = re.findall(r'<li[^>]*><span class="label">(.)</span> (\w+)<span class="zh-option" lang="zh-CN">(\w+)</span>',
                         back)
    assert sorted((text, zh) for _, text, zh in options) == sorted(
        [("Erstatten", "退款"), ("Ablehnen", "拒绝"), ("Ignorieren", "不理")])
    assert re.search(r"\.front \.zh-option\s*\{\s*display: none", card.css())


@pytest.mark.parametrize(("value", "languages", "expected"), [
    ("Plain text", ("de",), "Plain text"),
    ("お待ちください", ("en",), '<span lang="ja">お待ちください</span>'),
    ("尊敬語", ("ja",), '<span lang="ja">尊敬語</span>'),
    ("尊敬语", ("de",), '<span lang="zh-CN">尊敬语</span>'),
    ("شكرًا لك", ("ar", "en"), '<span lang="ar" dir="rtl">شكرًا لك</span>'),
    ("Say «شكرًا لك» & smile (谢谢)", ("en",),
     'Say «<span lang="ar" dir="rtl">شكرًا لك</span>» &amp; smile (<span lang="zh-CN">谢谢</span>)'),
    ("Спасибо", ("de",), '<span lang="ru">Спасибо</span>'),
])
def test_non_latin_text_is_tagged_with_its_language(value, languages, expected):
    from csdrill.anki.fields import text

    assert text(value, languages) == expected


def test_language_names_and_speech_languages():
    from csdrill.anki.fields import language_name, speech_language

    assert [language_name(code) for code in ("ar", "pt-BR", "en-GB", "xx")] == [
        "Arabic", "Portuguese (Brazil)", "English (UK)", "xx"]
    assert [speech_language(code) for code in ("ar", "pt-BR", "de", "es-MX", "xx")] == [
        "ar_SA", "pt_BR", "de_DE", "es_MX", "xx"]


def test_check_database_and_empty_cards_find_nothing(builtin):
    _, col = builtin
    assert col.fix_integrity() == ("Database rebuilt and optimized.", True)  # Tools → Check Database
    assert len(col.get_empty_cards().notes) == 0  # Tools → Empty Cards
