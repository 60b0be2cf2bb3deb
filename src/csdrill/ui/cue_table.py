"""The answer-cue report of `csdrill lint --cues` as plain text (it is read in pipes and CI logs)."""

from __future__ import annotations

import textwrap

from csdrill.content import cues
from csdrill.content.cues import CueCounts, CueReport
from csdrill.i18n import N_, _

# Two header rows keep the table inside 80 columns: what is measured, then which cue.
GROUPS = ((1, N_("scenario: best reply")), (3, N_("fact: right answer")), (5, N_("true/false")))
COLUMNS = (N_("market"), N_("longest"), N_("first"), N_("longest"), N_("first"), N_("false"))


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
    from rich.cells import cell_len  # headings in Chinese are two columns a character

    rows = [tuple(_(c) for c in COLUMNS), *(_row(c) for c in report.markets.values()), _row(report.overall)]
    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    starts = [sum(widths[:i]) + 2 * i for i in range(len(widths))]
    groups = ""
    for column, label in GROUPS:
        groups += " " * max(0, starts[column] - cell_len(groups)) + _(label)
    lines = [_("Answer cues per market (fact: cards with choices)"), groups]

    def pad(text: str, width: int, right: bool) -> str:
        space = " " * max(0, width - cell_len(text))
        return space + text if right else text + space

    for row in rows:
        cells = [pad(row[0], widths[0], False),
                 *(pad(cell, w, True) for cell, w in zip(row[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
    low, high = (_percent(limit) for limit in cues.FALSE_SHARE_PER_MARKET)
    limits = _(
        "Limits: best reply strictly longest in at most {scenarios_overall} of scenarios overall and "
        "{scenarios_per_market} per market; answer strictly longest in at most {facts_overall} of fact cards; "
        "{low} to {high} of true/false cards false per market (a market with fewer than {min_cards} cards of "
        "a kind is not judged on it)."
    ).format(scenarios_overall=_percent(cues.SCENARIO_LONGEST_OVERALL),
             scenarios_per_market=_percent(cues.SCENARIO_LONGEST_PER_MARKET),
             facts_overall=_percent(cues.FACT_LONGEST_OVERALL), low=low, high=high, min_cards=cues.MIN_CARDS)
    # Chinese has no spaces to break at: wrap by display width, folding where needed.
    lines += _wrap(limits, 78)
    lines += [_("cues: {failure}").format(failure=failure) for failure in report.failures]
    return lines


def _wrap(text: str, width: int) -> list[str]:
    from rich.cells import cell_len

    from csdrill.ui.wrapping import break_lines

    if cell_len(text) == len(text):
        return textwrap.wrap(text, width=width)
    shielded = text.replace("\u00a0", "\ue000")  # keep "35 %" together: a no-break space is no break
    return [shielded[start:end].replace("\ue000", "\u00a0") for start, end in break_lines(shielded, width)]


def print_cue_report(report: CueReport) -> None:
    print("\n".join(cue_lines(report)))
