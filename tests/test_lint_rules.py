"""Every lint rule, each with a failing and a passing example, checked through the real loader."""

from __future__ import annotations

from datetime import date

import pytest

from csdrill.content.loader import load
from tests.conftest import write

TODAY = date(2026, 11, 22)

GOOD_FACT = """\
deck: zz-regulation
title: Zedland law
market: zz
topic: regulation
cards:
  - id: zz-reg-one
    q: How long is the withdrawal period?
    a: 14 days
    choices: [7 days, 14 days, 30 days]
    explain: Art. 9(1).
    source:
      title: Directive 2011/83/EU, Art. 9
      url: https://eur-lex.europa.eu/eli/dir/2011/83/oj
      verified: 2026-01-02
"""

GOOD_MIXED = """\
deck: zz-mixed
title: Zedland mixed
market: zz
topic: etiquette
cards:
  - id: zz-eti-myth
    statement: Yellow tape offends every customer.
    true: no
    explain: Folklore with no support.
  - id: zz-phr-hello
    lang: de
    text: Guten Tag, Frau Müller!
    meaning: Good afternoon, Ms Müller!
    zh: 您好，穆勒女士！
    register: formal
  - id: zz-scn-late
    situation: A parcel is late.
    options: [Apologise and give a date, Blame the carrier, Say nothing]
    best: Apologise and give a date
    why: A concrete commitment restores trust.
"""


def problems_for(deck_dir, text: str, name: str = "deck.yaml"):
    write(deck_dir, name, text)
    return load([deck_dir], include_builtin=False, today=TODAY).problems


def test_good_decks_have_no_problems(deck_dir):
    write(deck_dir, "mixed.yaml", GOOD_MIXED)
    result = load([deck_dir], include_builtin=False, today=TODAY)
    write(deck_dir, "fact.yaml", GOOD_FACT)
    result = load([deck_dir], include_builtin=False, today=TODAY)
    assert result.problems == []
    assert set(result.library.cards) == {"zz-reg-one", "zz-eti-myth", "zz-phr-hello", "zz-scn-late"}
    kinds = {c.id: c.kind for c in result.library.cards.values()}
    assert kinds == {"zz-reg-one": "fact", "zz-eti-myth": "truefalse", "zz-phr-hello": "phrase",
                     "zz-scn-late": "scenario"}
    assert result.library.cards["zz-eti-myth"].truth is False


# (rule, base text, old, new, expected message fragment, expected line)
RULES = [
    ("syntax error", GOOD_FACT, "a: 14 days", "a: [14 days", "YAML syntax error", 9),
    ("unknown key with hint", GOOD_FACT, "explain:", "explian:", "unknown key 'explian' in card 'zz-reg-one' (did you mean 'explain'?)", 10),
    ("missing field", GOOD_FACT, "    a: 14 days\n", "", "card 'zz-reg-one' is missing required field 'a'", 6),
    ("wrong type", GOOD_FACT, "choices: [7 days, 14 days, 30 days]", "choices: 14 days", "'choices' must be a list", 9),
    ("unknown market", GOOD_FACT, "market: zz", "market: zx", "unknown market 'zx' (did you mean 'zz'?)", 3),
    ("unknown topic", GOOD_FACT, "topic: regulation", "topic: regulations", "'topic' must be one of", 4),
    ("choices without the answer", GOOD_FACT, "[7 days, 14 days, 30 days]", "[7 days, 15 days, 30 days]", "does not contain the answer '14 days'", 9),
    ("choices repeating the answer", GOOD_FACT, "[7 days, 14 days, 30 days]", "[7 days, 14 days, 14 Days]", "'choices' repeats '14 Days'", 9),
    ("regulation without source", GOOD_FACT, GOOD_FACT[GOOD_FACT.index("    source:"):], "", "in a regulation deck but has no 'source'", 6),
    ("malformed url", GOOD_FACT, "https://eur-lex.europa.eu/eli/dir/2011/83/oj", "eur-lex.europa.eu/eli", "'url' is not a valid http(s) URL", 13),
    ("malformed date", GOOD_FACT, "2026-01-02", "2 Jan 2026", "'verified' must be an ISO date", 14),
    ("future date", GOOD_FACT, "2026-01-02", "2027-01-02", "date 2027-01-02 is in the future", 14),
    ("source without title", GOOD_FACT, "      title: Directive 2011/83/EU, Art. 9\n", "", "missing required field 'title'", 12),
    ("bad card id", GOOD_FACT, "id: zz-reg-one", "id: ZZ Reg One", "'id' must be lowercase letters and digits", 6),
    ("duplicate key", GOOD_FACT, "    a: 14 days\n", "    a: 14 days\n    a: 15 days\n", "duplicate key 'a' (first at line 8)", 9),
    ("phrase without lang", GOOD_MIXED, "    lang: de\n", "", "card 'zz-phr-hello' is missing required field 'lang'", 10),
    ("phrase without zh", GOOD_MIXED, "    zh: 您好，穆勒女士！\n", "", "missing required field 'zh'", 10),
    ("bad language tag", GOOD_MIXED, "lang: de", "lang: german!", "'lang' must be a BCP 47 tag", 11),
    ("bad register", GOOD_MIXED, "register: formal", "register: formell", "'register' must be one of formal, neutral, informal", 15),
    ("true/false not yes or no", GOOD_MIXED, "true: no", "true: maybe", "'true' must be yes or no", 8),
    ("true/false without explain", GOOD_MIXED, "    explain: Folklore with no support.\n", "", "missing required field 'explain'", 6),
    ("best not among options", GOOD_MIXED, "best: Apologise and give a date", "best: Apologise", "'best' must be the exact text of one of the options", 19),
    ("too few options", GOOD_MIXED, ", Say nothing]", "]", "a scenario needs 3 or 4 options, not 2", 18),
    ("kind cannot be told", GOOD_MIXED, "    situation: A parcel is late.\n", "", "cannot tell what kind of card this is", 16),
    ("mixed kinds", GOOD_MIXED, "    situation: A parcel is late.\n", "    situation: A parcel is late.\n    q: Why?\n", "card mixes fields of fact and scenario", 16),
    ("zh_options not parallel to options", GOOD_MIXED, "    why: A concrete", "    zh_options: [道歉并给出日期, 归咎快递]\n    why: A concrete", "'zh_options' must have one entry per option (3), not 2", 20),
    ("space between Chinese characters", GOOD_MIXED, "zh: 您好，穆勒女士！", "zh: 您好，穆勒 女士！", "'zh' has a space between two Chinese characters ('勒 女')", 14),
    ("not a csdrill file", GOOD_FACT, "deck: zz-regulation", "dek: zz-regulation", "not a csdrill file", 1),
    ("empty cards", GOOD_MIXED, GOOD_MIXED[GOOD_MIXED.index("  - id: zz-eti-myth"):], "  []\n", "'cards' must be a non-empty list", 6),
]


@pytest.mark.parametrize(("rule", "base", "old", "new", "message", "line"), RULES, ids=[r[0] for r in RULES])
def test_lint_rule_reports_problem_at_its_line(deck_dir, rule, base, old, new, message, line):
    assert old in base, "test case must change the good example"
    assert problems_for(deck_dir, base) == [], "the passing example must be clean"
    problems = problems_for(deck_dir, base.replace(old, new, 1))
    matching = [p for p in problems if message in p.message]
    assert matching, f"expected {message!r} in {[str(p) for p in problems]}"
    assert matching[0].location.line == line
    assert matching[0].location.path.endswith("deck.yaml")


def test_all_problems_of_a_file_are_reported(deck_dir):
    broken = GOOD_FACT.replace("explain:", "explian:").replace("2026-01-02", "soon").replace(
        "market: zz", "market: qq"
    )
    messages = [p.message for p in problems_for(deck_dir, broken)]
    assert len(messages) == 3, messages


def test_duplicate_card_id_names_both_places(deck_dir):
    write(deck_dir, "a.yaml", GOOD_FACT)
    problems = problems_for(deck_dir, GOOD_FACT.replace("deck: zz-regulation", "deck: zz-other"), "b.yaml")
    assert len(problems) == 1
    text = str(problems[0])
    assert "card id 'zz-reg-one' is already used at" in text
    assert "a.yaml:6:5" in text and "b.yaml:6:5" in text


def test_duplicate_deck_id_is_reported(deck_dir):
    write(deck_dir, "a.yaml", GOOD_FACT)
    problems = problems_for(deck_dir, GOOD_FACT.replace("zz-reg-one", "zz-reg-two"), "b.yaml")
    assert ["deck id 'zz-regulation' is already used" in p.message for p in problems] == [True]


def test_alias_bomb_is_rejected_quickly(deck_dir):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    bomb += "deck: *i\n"
    problems = problems_for(deck_dir, bomb)
    assert any("alias bomb" in p.message for p in problems)


def test_small_aliases_are_fine(deck_dir):
    text = GOOD_FACT.replace("    source:\n", "    source: &src\n")
    text += "  - id: zz-reg-two\n    q: Who pays?\n    a: The consumer\n    source: *src\n"
    assert problems_for(deck_dir, text) == []


def test_markets_include_unknown_and_cycle(deck_dir):
    write(deck_dir, "markets.yaml", """\
    markets:
      - code: zz
        name: Zedland
        languages: [de]
        includes: [yy, pool1]
      - code: pool1
        name: Pool
        languages: [en]
        includes: [zz]
    """)
    messages = [p.message for p in problems_for(deck_dir, GOOD_FACT)]
    assert "market 'zz' includes unknown market 'yy'" in messages
    assert "market 'zz' includes itself" in messages


def test_market_redefined_by_trainer_folder_is_reported(deck_dir, tmp_path):
    other = tmp_path / "more"
    write(other, "markets.yaml", "markets:\n  - code: zz\n    name: Again\n    languages: [en]\n")
    write(deck_dir, "fact.yaml", GOOD_FACT)
    problems = load([deck_dir, other], include_builtin=False, today=TODAY).problems
    assert any("market 'zz' is already defined at" in p.message for p in problems)
