"""Answer cues: `csdrill lint --cues` on a trainer's deck, and the limits on the built-in decks."""

from __future__ import annotations

import json

from csdrill.content.cues import (
    FACT_LONGEST_OVERALL,
    FALSE_SHARE_PER_MARKET,
    SCENARIO_LONGEST_OVERALL,
    SCENARIO_LONGEST_PER_MARKET,
    measure,
    strictly_longest,
)
from tests.conftest import write


def scenario(n: int, best: str, others: list[str]) -> str:
    options = "\n".join(f"      - {json.dumps(o)}" for o in [best, *others])
    return f"""\
  - id: zz-scn-{n}
    situation: Situation {n}.
    options:
{options}
    best: {json.dumps(best)}
    why: Because.
"""


def truefalse(n: int, truth: str) -> str:
    return f"""\
  - id: zz-tf-{n}
    statement: Statement {n}.
    true: {truth}
    explain: Because.
"""


def deck(cards: list[str]) -> str:
    return "deck: zz-cues\ntitle: Zedland cues\nmarket: zz\ntopic: etiquette\ncards:\n" + "".join(cards)


LONG_BEST = "Apologise for the delay and promise an answer by Friday"
CUED = [scenario(i, LONG_BEST, ["Blame the carrier", "Say nothing"]) for i in range(5)]
# The same lesson with wrong replies as long and plausible as the right one.
UNCUED = [
    scenario(i, "Apologise and answer by Friday",
             ["Promise a full refund today whatever the reason", "Explain at length that carriers cause delays"])
    for i in range(5)
]
BALANCED_TF = [truefalse(i, "yes" if i % 2 else "no") for i in range(6)]


def test_strictly_longest_ignores_surrounding_whitespace_and_ties():
    assert strictly_longest("abcd", ["abcd", "abc", "ab"])
    assert not strictly_longest("  abc  ", ["  abc  ", "abcd"])
    assert not strictly_longest("abcd ", ["abcd ", "  dcba"])  # a tie is not a cue


def test_cued_deck_fails_lint_cues_and_names_the_market(cli, deck_dir):
    write(deck_dir, "cued.yaml", deck(CUED + BALANCED_TF))
    plain = cli("lint", str(deck_dir))
    assert plain.returncode == 0, plain.stdout + plain.stderr  # cues are only judged when asked for
    result = cli("lint", str(deck_dir), "--cues")
    assert result.returncode == 1
    assert "zz: the best scenario reply is the strictly longest option in 5 of 5 scenarios (100 %" in result.stdout
    assert "1 cue limit exceeded" in result.stderr or "2 cue limits exceeded" in result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("zz "))
    assert "5/5 100 %" in row and "3/6  50 %" in row


def test_uncued_deck_passes_lint_cues(cli, deck_dir):
    write(deck_dir, "uncued.yaml", deck(UNCUED + BALANCED_TF))
    result = cli("lint", str(deck_dir), "--cues")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cues:" not in result.stdout


def test_true_false_outside_the_band_fails(cli, deck_dir):
    all_false = [truefalse(i, "no") for i in range(5)]
    write(deck_dir, "myths.yaml", deck(UNCUED + all_false))
    result = cli("lint", str(deck_dir), "--cues")
    assert result.returncode == 1
    assert "zz: 5 of 5 true/false cards are false (100 %; keep between 40 % and 60 %)" in result.stdout


def test_a_market_with_few_cards_of_a_kind_is_reported_not_judged(cli, deck_dir):
    write(deck_dir, "small.yaml", deck([*CUED[:2], truefalse(0, "no")]))
    result = cli("lint", str(deck_dir), "--cues")
    assert result.returncode == 0, result.stdout
    assert "2/2 100 %" in result.stdout


def test_lint_cues_json(cli, deck_dir):
    write(deck_dir, "cued.yaml", deck(CUED + BALANCED_TF))
    result = cli("lint", str(deck_dir), "--cues", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["problems"] == []
    cues = report["cues"]
    assert cues["ok"] is False and len(cues["failures"]) == 2  # zz and all markets together
    zz = next(m for m in cues["markets"] if m["market"] == "zz")
    assert zz["scenario"] == {"cards": 5, "best_longest": 5, "best_longest_share": 1.0,
                              "best_first": 5, "best_first_share": 1.0}
    assert zz["truefalse"] == {"cards": 6, "false": 3, "false_share": 0.5}
    assert zz["fact"]["cards"] == 0 and zz["fact"]["answer_longest_share"] is None
    assert cues["thresholds"]["scenario_best_longest_market_max"] == SCENARIO_LONGEST_PER_MARKET
    assert "cues" not in json.loads(cli("lint", str(deck_dir), "--json").stdout)


def test_builtin_decks_keep_answer_cues_within_the_limits(builtin_content):
    """Issue 14 §1: picking the longest option or always answering "false" must not pay off."""
    report = measure(builtin_content.library.cards.values())
    total = report.overall
    assert total.best_longest_share <= SCENARIO_LONGEST_OVERALL, total.to_dict()
    assert total.answer_longest_share <= FACT_LONGEST_OVERALL, total.to_dict()
    low, high = FALSE_SHARE_PER_MARKET
    over = {
        code: counts.to_dict()
        for code, counts in report.markets.items()
        if (counts.scenarios and counts.best_longest_share > SCENARIO_LONGEST_PER_MARKET)
        or (counts.truefalse and not low <= counts.false_share <= high)
    }
    assert not over, over
    assert report.ok, report.failures
