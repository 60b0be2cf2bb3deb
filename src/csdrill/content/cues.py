"""Answer cues: how often a right answer can be spotted without knowing it.

An exam measures knowledge only if "pick the longest option", "pick the first one" or "say false"
does not score. This module counts those give-aways per market and judges them against limits.
"Longest" is measured in characters after stripping surrounding whitespace, and must be strict:
an answer that ties with another option is not a cue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from csdrill.content.model import Card
from csdrill.i18n import N_, say

SCENARIO_LONGEST_OVERALL = 0.35  # best reply strictly longest, all scenarios together
SCENARIO_LONGEST_PER_MARKET = 0.45  # ... and in any one market
FACT_LONGEST_OVERALL = 0.35  # right answer strictly the longest choice, all fact cards with choices
FALSE_SHARE_PER_MARKET = (0.40, 0.60)  # true/false cards whose answer is "false", per market
# Below this many cards of a kind a market's share says little (3 true/false cards cannot be
# 40-60 % false), so the market is reported but not judged on that kind.
MIN_CARDS = 5

OVERALL = "all"


def strictly_longest(answer: str, options: Iterable[str]) -> bool:
    """Is `answer` longer than every other option (characters, surrounding whitespace stripped)?"""
    length = len(answer.strip())
    others = [option for option in options if option != answer]
    return bool(others) and all(length > len(option.strip()) for option in others)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class CueCounts:
    """Cue counts of one market (or of all markets together)."""

    market: str
    scenarios: int = 0
    best_longest: int = 0
    best_first: int = 0
    facts: int = 0  # fact cards with choices
    answer_longest: int = 0
    answer_first: int = 0
    truefalse: int = 0
    false: int = 0

    def add(self, card: Card) -> None:
        if card.kind == "scenario" and card.options:
            self.scenarios += 1
            self.best_longest += strictly_longest(card.best, card.options)
            self.best_first += card.options[0] == card.best
        elif card.kind == "fact" and card.choices:
            self.facts += 1
            self.answer_longest += strictly_longest(card.a, card.choices)
            self.answer_first += card.choices[0] == card.a
        elif card.kind == "truefalse":
            self.truefalse += 1
            self.false += card.truth is False

    @property
    def best_longest_share(self) -> float | None:
        return _share(self.best_longest, self.scenarios)

    @property
    def answer_longest_share(self) -> float | None:
        return _share(self.answer_longest, self.facts)

    @property
    def false_share(self) -> float | None:
        return _share(self.false, self.truefalse)

    def to_dict(self) -> dict:
        return {
            "market": self.market,
            "scenario": {
                "cards": self.scenarios,
                "best_longest": self.best_longest,
                "best_longest_share": self.best_longest_share,
                "best_first": self.best_first,
                "best_first_share": _share(self.best_first, self.scenarios),
            },
            "fact": {
                "cards": self.facts,
                "answer_longest": self.answer_longest,
                "answer_longest_share": self.answer_longest_share,
                "answer_first": self.answer_first,
                "answer_first_share": _share(self.answer_first, self.facts),
            },
            "truefalse": {
                "cards": self.truefalse,
                "false": self.false,
                "false_share": self.false_share,
            },
        }


def _pct(share: float) -> str:
    return f"{share * 100:.0f} %"


@dataclass
class CueReport:
    """Cue counts per market and overall, and the limits they break."""

    markets: dict[str, CueCounts]
    overall: CueCounts
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {
            "thresholds": {
                "scenario_best_longest_overall_max": SCENARIO_LONGEST_OVERALL,
                "scenario_best_longest_market_max": SCENARIO_LONGEST_PER_MARKET,
                "fact_answer_longest_overall_max": FACT_LONGEST_OVERALL,
                "truefalse_false_share_market_min": FALSE_SHARE_PER_MARKET[0],
                "truefalse_false_share_market_max": FALSE_SHARE_PER_MARKET[1],
                "min_cards": MIN_CARDS,
            },
            "overall": self.overall.to_dict(),
            "markets": [counts.to_dict() for counts in self.markets.values()],
            "failures": [getattr(failure, "english", failure) for failure in self.failures],  # JSON: English
            "ok": self.ok,
        }


def measure(cards: Iterable[Card]) -> CueReport:
    """Count the cues of these cards per market (a card counts for the market of its deck)."""
    overall = CueCounts(OVERALL)
    markets: dict[str, CueCounts] = {}
    for card in cards:
        markets.setdefault(card.market, CueCounts(card.market)).add(card)
        overall.add(card)
    report = CueReport(dict(sorted(markets.items())), overall)
    report.failures = judge(report)
    return report


def judge(report: CueReport) -> list[str]:
    """One sentence per limit broken, overall first, then market by market."""
    failures = []
    total = report.overall
    if total.scenarios >= MIN_CARDS and total.best_longest_share > SCENARIO_LONGEST_OVERALL:
        failures.append(
            say(N_("all markets: the best scenario reply is the strictly longest option in {count} of {total} "
                   "scenarios ({share}; limit {limit})"), count=total.best_longest, total=total.scenarios,
                share=_pct(total.best_longest_share), limit=_pct(SCENARIO_LONGEST_OVERALL))
        )
    if total.facts >= MIN_CARDS and total.answer_longest_share > FACT_LONGEST_OVERALL:
        failures.append(
            say(N_("all markets: the right answer is the strictly longest choice in {count} of {total} fact cards "
                   "({share}; limit {limit})"), count=total.answer_longest, total=total.facts,
                share=_pct(total.answer_longest_share), limit=_pct(FACT_LONGEST_OVERALL))
        )
    low, high = FALSE_SHARE_PER_MARKET
    for code, counts in report.markets.items():
        if counts.scenarios >= MIN_CARDS and counts.best_longest_share > SCENARIO_LONGEST_PER_MARKET:
            failures.append(
                say(N_("{market}: the best scenario reply is the strictly longest option in {count} of {total} "
                       "scenarios ({share}; limit {limit} per market)"), market=code, count=counts.best_longest,
                    total=counts.scenarios, share=_pct(counts.best_longest_share),
                    limit=_pct(SCENARIO_LONGEST_PER_MARKET))
            )
        if counts.truefalse >= MIN_CARDS and not low <= counts.false_share <= high:
            failures.append(
                say(N_("{market}: {count} of {total} true/false cards are false ({share}; keep between {low} and "
                       "{high})"), market=code, count=counts.false, total=counts.truefalse,
                    share=_pct(counts.false_share), low=_pct(low), high=_pct(high))
            )
    return failures
