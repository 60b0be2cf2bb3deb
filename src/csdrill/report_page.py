"""The trainer's report as one self-contained HTML document: tables with the numbers, small inline SVG
charts drawn from the same numbers, print CSS for A4. No script, font, image or style is fetched: a
Content-Security-Policy forbids it, so the page reads the same mailed, offline or printed."""

from __future__ import annotations

from html import escape
from statistics import median

from csdrill.content.vocabulary import topic_label
from csdrill.gaps import as_percent
from csdrill.i18n import _, current

_CSS = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bar: #0b6bcb; --bad: #b42318; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC",
  "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; color: var(--ink); margin: 2rem auto; max-width: 64rem;
  padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
  border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
.meta, .note { color: var(--muted); font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.5rem; text-align: start; vertical-align: top; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
caption { text-align: start; font-weight: 600; padding-bottom: 0.3rem; }
figure { margin: 0.6rem 0; } figcaption { color: var(--muted); font-size: 0.85rem; }
svg { max-width: 100%; height: auto; font-family: inherit; }
svg text { fill: var(--ink); font-size: 11px; }
.heat td.cell { text-align: center; min-width: 4.5rem; }
.empty { color: var(--muted); font-style: italic; }
.q { max-width: 28rem; }
details.more summary { cursor: pointer; color: var(--bar); }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } table, figure, tr { break-inside: avoid; }
  details.more { display: none; }
  a { color: inherit; } a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 8pt; word-break: break-all; }
}
"""
# Beyond this many rows a table shows the rows that need a trainer first; every row stays in the file,
# in a folded table that is not printed, so 1,000 learners still make a page that reads and prints.
LONG_TABLE_ROWS = 50
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _num(value, shown: str | None = None, kind: str = "") -> str:
    data = "" if value is None else f' data-value="{escape(str(value))}"'
    return f'<td class="num"{data} data-kind="{kind}">{escape(shown if shown is not None else str(value))}</td>'


def _text(value: str | None) -> str:
    # dir=auto lets an Arabic question run right to left inside a left-to-right page.
    return f'<td dir="auto">{escape(value or "—")}</td>'


def _bar_chart(label: str, rows: list[tuple[str, float]], maximum: float, fmt) -> str:
    """Horizontal bars, one per row; the numbers are in the table that follows the chart."""
    if not rows:
        return ""
    height = 22 * len(rows) + 10
    parts = [f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 640 {height}" width="640" height="{height}">']
    for i, (name, value) in enumerate(rows):
        y = 6 + 22 * i
        width = 0 if maximum <= 0 else 380 * value / maximum
        parts.append(f'<text x="0" y="{y + 13}">{escape(name[:28])}</text>')
        parts.append(f'<rect x="200" y="{y}" width="{width:.1f}" height="16" fill="#0b6bcb"></rect>')
        parts.append(f'<text x="{206 + width:.1f}" y="{y + 13}">{escape(fmt(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _column_chart(label: str, rows: list[tuple[str, int]]) -> str:
    if not rows:
        return ""
    peak = max(v for _d, v in rows) or 1
    width = 640
    step = (width - 40) / len(rows)
    parts = [f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {width} 160" width="{width}" height="160">']
    for i, (day, value) in enumerate(rows):
        h = 120 * value / peak
        x = 30 + i * step
        parts.append(f'<rect x="{x:.1f}" y="{130 - h:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                     f'fill="#0b6bcb"><title>{escape(day)}: {value}</title></rect>')
    parts.append(f'<text x="30" y="148">{escape(rows[0][0])}</text>')
    parts.append(f'<text x="{width - 10}" y="148" text-anchor="end">{escape(rows[-1][0])}</text>')
    parts.append(f'<text x="0" y="14">{peak}</text><line x1="28" y1="130" x2="{width}" y2="130" stroke="#59636e"/>')
    parts.append("</svg>")
    return "".join(parts)


def _heat_colour(share: float | None) -> str:
    if share is None:
        return "#ffffff"
    # From white to a mid blue; the dark text keeps a contrast of at least 5:1 on every step.
    light = int(245 - 150 * share)
    return f"rgb({light}, {int(250 - 110 * share)}, 255)"


def _table(table_id: str, caption: str | None, columns: list[tuple[str, bool]], rows: list[str]) -> str:
    """A table of numbers: `columns` are (translated label, numeric?) pairs, `rows` ready <tr> markup."""
    numeric_class = ' class="num"'
    head = "".join(f"<th{numeric_class if numeric else ''}>{escape(label)}</th>" for label, numeric in columns)
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table id="{table_id}">{title}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _folded(table_id: str, columns: list[tuple[str, bool]], rows: list[str]) -> str:
    """Every row, in a table folded away on screen and left out of print."""
    summary = _("All {count} rows (not printed)").format(count=len(rows))
    table = _table(table_id, None, columns, rows)
    return f'<details class="more"><summary>{escape(summary)}</summary>{table}</details>'


def _section(section_id: str, title: str, parts: list[str], empty: str | None = None) -> str:
    content = "".join(parts) if parts else f'<p class="empty">{escape(empty or "")}</p>'
    return f'<section id="{section_id}"><h2>{escape(title)}</h2>{content}</section>'


def render(report, gaps, library, latest_rows: list[dict], *, title: str | None = None) -> str:
    """The whole page as text."""
    title = title or _("csdrill — team report")
    # The page's language tag, e.g. zh-Hans: translators give it as the translation of "en".
    language = _("en")
    meta = _("Generated {moment} · {count} learners").format(moment=report.generated_at, count=len(report.learners))
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{escape(language)}" dir="ltr"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f'<header><h1>{escape(title)}</h1><p class="meta">{escape(meta)}</p></header>',
        _pass_rate_section(report),
        _mastery_section(report),
        _gaps_section(gaps, library),
        _risk_section(report),
        _activity_section(report),
        _latest_section(latest_rows),
        "</body></html>",
    ])


def _pass_rate_section(report) -> str:
    if not report.pass_rates:
        return _section("pass-rates", _("Exam pass rates"), [], _("No complete exam attempt yet."))
    label = _("Share of learners whose latest attempt passed, per quiz")
    chart = _bar_chart(label, [(r.quiz, r.rate) for r in report.pass_rates], 1.0, as_percent)
    rates = [f'<tr data-quiz="{escape(r.quiz)}">{_text(r.quiz)}{_num(r.learners, kind="learners")}'
             f'{_num(r.passed, kind="passed")}{_num(r.rate, as_percent(r.rate), "rate")}</tr>'
             for r in report.pass_rates]
    weeks = [f"<tr>{_text(w.quiz)}{_text(w.week)}{_num(w.attempts, kind='attempts')}"
             f"{_num(w.passed, kind='passed')}{_num(w.rate, as_percent(w.rate), 'rate')}</tr>"
             for w in report.pass_rates_by_week]
    return _section("pass-rates", _("Exam pass rates"), [
        f"<figure>{chart}<figcaption>{escape(label)}.</figcaption></figure>",
        _table("pass-rate-table", _("Pass rate per quiz"),
               [(_("quiz"), False), (_("learners"), True), (_("passed"), True), (_("pass rate"), True)], rates),
        _table("pass-rate-weeks", _("Pass rate over time (weeks start on Monday)"),
               [(_("quiz"), False), (_("week"), False), (_("attempts"), True), (_("passed"), True),
                (_("pass rate"), True)], weeks),
    ])


def _mastery_section(report) -> str:
    note = _("Share of each learner’s cards in the topic whose memory is mature (FSRS stability of 21 days "
             "or more). Darker is better; an empty cell means no card of the topic drilled yet.")
    if not report.topics:
        return _section("mastery", _("Mastery per learner and topic"), [], _("Nobody has drilled a card yet."))

    def row(user: str) -> str:
        cells = "".join(
            f'<td class="num cell" data-value="{"" if share is None else share}" '
            f'style="background:{_heat_colour(share)}">{"" if share is None else as_percent(share)}</td>'
            for share in (report.mastery[user][topic] for topic in report.topics))
        return f'<tr data-user="{escape(user)}">{_text(user)}{cells}</tr>'

    columns = [(_("learner"), False)] + [(topic_label(topic), True) for topic in report.topics]
    learners = report.learners
    if len(learners) <= LONG_TABLE_ROWS:
        table = _table("mastery-heatmap", _("Mastery heat map"), columns, [row(user) for user in learners])
        return _section("mastery", _("Mastery per learner and topic"),
                        [f'<p class="note">{escape(note)}</p>', table.replace("<table ", '<table class="heat" ', 1)])

    def mean(user: str) -> float:
        shares = [s for s in report.mastery[user].values() if s is not None]
        return sum(shares) / len(shares) if shares else -1.0  # nothing drilled yet: first of all

    weakest = sorted(learners, key=lambda user: (mean(user), user))[:LONG_TABLE_ROWS]
    caption = _("Mastery heat map: the {shown} learners with the lowest mastery of {total}, weakest first").format(
        shown=len(weakest), total=len(learners))
    table = _table("mastery-heatmap", caption, columns, [row(user) for user in weakest])
    per_topic = []
    for topic in report.topics:
        shares = [report.mastery[user][topic] for user in learners if report.mastery[user][topic] is not None]
        middle = median(shares) if shares else None
        per_topic.append(f'<tr data-topic="{escape(topic)}">{_text(topic_label(topic))}'
                         f'{_num(len(shares), kind="learners")}{_num(middle, as_percent(middle), "median")}'
                         f'{_num(sum(1 for s in shares if s < 0.5), kind="below_half")}</tr>')
    summary = _table("mastery-topics", _("Cohort mastery per topic"),
                     [(_("topic"), False), (_("learners"), True), (_("median"), True), (_("below 50%"), True)],
                     per_topic)
    return _section("mastery", _("Mastery per learner and topic"), [
        f'<p class="note">{escape(note)}</p>', summary, table.replace("<table ", '<table class="heat" ', 1),
        _folded("mastery-all", columns, [row(user) for user in learners])])


def _gaps_section(gaps, library) -> str:
    note = _("Cards most learners missed at the first try (impact = learners × miss rate). "
             "Look one up with csdrill show CARD_ID.")
    if not gaps:
        return _section("gaps", _("Top knowledge gaps"), [], _("Not enough answers yet to rank cards."))
    chart = _bar_chart(_("Impact of each gap"), [(g.card_id, g.impact) for g in gaps],
                       max(g.impact for g in gaps), lambda value: f"{value:.1f}")
    rows = []
    chinese = current() == "zh"
    for g in gaps:
        card = library.cards[g.card_id]
        question = escape(card.front)
        if chinese and card.zh_prompt:  # the agents' trainers read the question in Chinese too
            question += f'<div lang="zh-Hans">{escape(card.zh_prompt)}</div>'
        source = (f'<a href="{escape(card.source.url)}" rel="noreferrer">{escape(card.source.title)}</a>'
                  if card.source else "—")
        rows.append(
            f'<tr data-card="{escape(g.card_id)}">{_text(g.card_id)}'
            f'<td class="q" dir="auto">{question}</td>{_text(card.answer)}'
            f'{_num(g.learners, kind="learners")}'
            f'{_num(g.first_try_correct_rate, as_percent(g.first_try_correct_rate), "first_try_correct_rate")}'
            f'{_num(g.lapse_rate, as_percent(g.lapse_rate), "lapse_rate")}{_text(g.common_wrong_answer)}'
            f"<td>{source}</td></tr>")
    columns = [(_("card"), False), (_("question"), False), (_("answer"), False), (_("learners"), True),
               (_("first-try correct"), True), (_("lapse rate"), True), (_("most common wrong answer"), False),
               (_("source"), False)]
    return _section("gaps", _("Top knowledge gaps"), [
        f'<p class="note">{escape(note)}</p>', f"<figure>{chart}</figure>",
        _table("gaps-table", _("Knowledge gaps"), columns, rows)])


def _risk_section(report) -> str:
    reasons = {"idle": _("no recent activity"), "below_pass_mark": _("latest exam below the pass mark"),
               "leeches": _("many leeches (cards forgotten again and again)")}
    if not report.at_risk:
        return _section("at-risk", _("Learners at risk"), [], _("Nobody is at risk."))

    def row(r) -> str:
        return (f'<tr data-user="{escape(r.user)}">{_text(r.user)}{_text(r.last_active)}'
                f'{_num(r.idle_days, "—" if r.idle_days is None else str(r.idle_days), "idle_days")}'
                f'{_text(", ".join(r.failed_quizzes) or None)}{_num(r.leeches, kind="leeches")}'
                f'{_text("; ".join(reasons[x] for x in r.reasons))}</tr>')

    columns = [(_("learner"), False), (_("last active"), False), (_("days idle"), True),
               (_("quizzes below the pass mark"), False), (_("leeches"), True), (_("why"), False)]
    if len(report.at_risk) <= LONG_TABLE_ROWS:
        return _section("at-risk", _("Learners at risk"), [_table("at-risk-table", None, columns,
                                                                   [row(r) for r in report.at_risk])])
    # Most reasons first, then the most leeches, the longest idle (never active counts as longest).
    urgent = sorted(report.at_risk, key=lambda r: (-len(r.reasons), -r.leeches,
                                                   -(r.idle_days if r.idle_days is not None else 10**9), r.user))
    caption = _("The {shown} most urgent of {total} learners at risk (most reasons first)").format(
        shown=LONG_TABLE_ROWS, total=len(urgent))
    return _section("at-risk", _("Learners at risk"), [
        _table("at-risk-table", caption, columns, [row(r) for r in urgent[:LONG_TABLE_ROWS]]),
        _folded("at-risk-all", columns, [row(r) for r in report.at_risk])])


def _activity_section(report) -> str:
    label = _("Answers per day over the last {days} days").format(days=len(report.activity))
    active = [d for d in report.activity if d.reviews]
    rows = [f"<tr>{_text(d.date)}{_num(d.reviews, kind='reviews')}{_num(d.learners, kind='learners')}</tr>"
            for d in active]
    chart = _column_chart(label, [(d.date, d.reviews) for d in report.activity])
    if not active:
        return _section("activity", _("Activity per day"), [], _("No answers in the last {days} days.").format(
            days=len(report.activity)))
    return _section("activity", _("Activity per day"), [
        f"<figure>{chart}<figcaption>{escape(label)}.</figcaption></figure>",
        _table("activity-table", _("Days with answers (days without any are left out)"),
               [(_("day"), False), (_("answers"), True), (_("active learners"), True)], rows),
    ])


def _latest_section(rows: list[dict]) -> str:
    title = _("Exam results: latest and best per learner")
    if not rows:
        return _section("results", title, [], _("No complete exam attempt yet."))
    yes, no = _("yes"), _("no")

    def line(r: dict) -> str:
        return (f'<tr data-quiz="{escape(r["quiz"])}" data-user="{escape(r["user"])}">{_text(r["quiz"])}'
                f'{_text(r["user"])}{_num(r["attempts"], kind="attempts")}'
                f'{_num(r["latest_score"], as_percent(r["latest_score"]), "latest_score")}'
                f'<td data-value="{str(bool(r["latest_passed"])).lower()}">'
                f'{escape(yes if r["latest_passed"] else no)}</td>'
                f'{_num(r["best_score"], as_percent(r["best_score"]), "best_score")}</tr>')

    columns = [(_("quiz"), False), (_("learner"), False), (_("attempts"), True), (_("latest score"), True),
               (_("latest passed"), False), (_("best score"), True)]
    if len(rows) <= LONG_TABLE_ROWS:
        return _section("results", title, [_table("results-table", None, columns, [line(r) for r in rows])])
    lowest = sorted(rows, key=lambda r: (r["latest_score"], r["quiz"], r["user"]))[:LONG_TABLE_ROWS]
    caption = _("The {shown} lowest latest scores of {total}").format(shown=len(lowest), total=len(rows))
    return _section("results", title, [_table("results-table", caption, columns, [line(r) for r in lowest]),
                                       _folded("results-all", columns, [line(r) for r in rows])])
