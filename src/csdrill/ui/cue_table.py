"""The answer-cue report of `csdrill lint --cues` as plain text (it is read in pipes and CI logs)."""

from __future__ import annotations

from csdrill.content import cues
from csdrill.content.cues import CueCounts, CueReport

COLUMNS = ("market", "best longest", "best first", "answer longest", "answer first", "true/false false")


def _cell(part: int, whole: int) -> str:
    if not whole:
        return "-"
    return f"{part}/{whole} {part / whole * 100:3.0f} %"


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
    lines = ["Answer cues (scenario: best reply; fact cards with choices: answer; true/false: share false)"]
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
    low, high = (round(limit * 100) for limit in cues.FALSE_SHARE_PER_MARKET)
    lines.append(
        f"Limits: best reply strictly longest in at most {round(cues.SCENARIO_LONGEST_OVERALL * 100)} % of "
        f"scenarios overall and {round(cues.SCENARIO_LONGEST_PER_MARKET * 100)} % per market; answer strictly "
        f"longest in at most {round(cues.FACT_LONGEST_OVERALL * 100)} % of fact cards; {low}-{high} % of "
        f"true/false cards false per market (a market with fewer than {cues.MIN_CARDS} cards of a kind is "
        "not judged on it)."
    )
    lines += [f"cues: {failure}" for failure in report.failures]
    return lines


def print_cue_report(report: CueReport) -> None:
    print("\n".join(cue_lines(report)))
