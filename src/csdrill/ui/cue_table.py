"""The answer-cue report of `csdrill lint --cues` as plain text (it is read in pipes and CI logs)."""

from __future__ import annotations

import textwrap

from csdrill.content import cues
from csdrill.content.cues import CueCounts, CueReport

# Two header rows keep the table inside 80 columns: what is measured, then which cue.
GROUPS = ((1, "scenario: best reply"), (3, "fact: right answer"), (5, "true/false"))
COLUMNS = ("market", "longest", "first", "longest", "first", "false")


def _cell(part: int, whole: int) -> str:
    if not whole:
        return "-"
    return f"{part}/{whole} {part / whole * 100:3.0f} %"


def _percent(share: float) -> str:
    return f"{round(share * 100)}\u00a0%"  # no-break space: the wrapped line never ends in "35"


def _row(counts: CueCounts) -> tuple[str, ...]:
    return (
        counts.market,
        _cell(counts.best_longest, counts.scenarios),
        _cell(counts.best_first, counts.scenarios),
        _cell(counts.answer_longest, counts.facts),
        _cell(counts.answer_first, counts.facts),
        _cell(counts.false, counts.truefalse),
    )


def cue_lines(report: CueReport) -> list[str]:
    """A heading, one row per market and one for all, the limits, then each limit broken."""
    rows = [COLUMNS, *(_row(c) for c in report.markets.values()), _row(report.overall)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    starts = [sum(widths[:i]) + 2 * i for i in range(len(widths))]
    groups = ""
    for column, label in GROUPS:
        groups = groups.ljust(starts[column]) + label
    lines = ["Answer cues per market (fact: cards with choices)", groups]
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
    low, high = (_percent(limit) for limit in cues.FALSE_SHARE_PER_MARKET)
    lines += textwrap.wrap(
        f"Limits: best reply strictly longest in at most {_percent(cues.SCENARIO_LONGEST_OVERALL)} of "
        f"scenarios overall and {_percent(cues.SCENARIO_LONGEST_PER_MARKET)} per market; answer strictly "
        f"longest in at most {_percent(cues.FACT_LONGEST_OVERALL)} of fact cards; {low} to {high} of "
        f"true/false cards false per market (a market with fewer than {cues.MIN_CARDS} cards of a kind is "
        "not judged on it).",
        width=78,
    )
    lines += [f"cues: {failure}" for failure in report.failures]
    return lines


def print_cue_report(report: CueReport) -> None:
    print("\n".join(cue_lines(report)))
