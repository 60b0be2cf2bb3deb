"""What `csdrill stats` draws: summary lines, coverage table, due forecast bars, heatmap, hardest cards.

Every chart reads without colour: bars are block characters and heatmap levels are the shades
"·░▒▓█", so NO_COLOR and pipes lose nothing but the tint.
"""

from __future__ import annotations

from datetime import timedelta

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from csdrill.i18n import N_, _, ngettext
from csdrill.stats.figures import LEECH_LAPSES, MASTERED_STABILITY_DAYS, Coverage, Stats

BAR = "█"
SHADES = "·░▒▓█"  # heatmap level 0 (no reviews) … 4 (the busiest day)
SHADE_STYLES = ("bright_black", "green4", "green3", "green1", "bold bright_green")
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"),
          N_("Oct"), N_("Nov"), N_("Dec"))
DIRECTIONS = {"recognise": N_("recognise"), "produce": N_("produce"), "recall": N_("recall")}
TOPICS = {"regulation": N_("regulation"), "etiquette": N_("etiquette"), "phrase": N_("phrase"),
          "scenario": N_("scenario"), "skill": N_("skill")}


def weekday_name(day) -> str:
    return _(WEEKDAYS[day.weekday()])


def short_day(day) -> str:
    """'Mon 07 Dec' in English, '12月07日 周一' in Chinese."""
    return _("{weekday} {day} {month}").format(weekday=weekday_name(day), day=f"{day.day:02d}",
                                                 month=_(MONTHS[day.month - 1]))


def long_day(day) -> str:
    return _("{weekday} {day} {month} {year}").format(weekday=weekday_name(day), day=f"{day.day:02d}",
                                                       month=_(MONTHS[day.month - 1]), year=day.year)

FORECAST_BAR_MAX = 40
PROGRESS_BAR = 10


def render_stats(console: Console, stats: Stats, user: str, market_name: str | None = None) -> None:
    """Print every section, each fitting the console's width."""
    if stats.market:
        heading = _("Progress of {user} · market {market} ({name}) · {date}")
    else:
        heading = _("Progress of {user} · all markets · {date}")
    console.print(Text(heading.format(user=user, market=stats.market, name=market_name, date=long_day(stats.today)),
                       style="bold"))
    console.print(summary_lines(stats))
    console.print()
    console.print(coverage_table(stats))
    console.print()
    console.print(forecast_chart(stats, console.width))
    console.print()
    console.print(activity_heatmap(stats))
    console.print()
    console.print(hardest_cards(stats))


def _label(text: str) -> str:
    """A summary line's label, padded to one width (in display columns) so the values align."""
    from rich.cells import cell_len

    return text + " " * max(1, 11 - cell_len(text))


def summary_lines(stats: Stats) -> Text:
    r, ret, s = stats.reviews, stats.retention, stats.streak
    text = Text()
    text.append(_label(_("Reviews")), style="dim")
    text.append(_("today {today} · last 7 days {week} · last 30 days {month} · all {total}").format(
        today=r.today, week=r.last_7_days, month=r.last_30_days, total=r.total) + "\n")
    text.append(_label(_("Retention")), style="dim")
    if ret.true is None:
        text.append(_("no answers on review cards in the last {days} days").format(days=ret.days))
    else:
        text.append(f"{ret.true:.0%}", style=_grade_style(ret.true, ret.target))
        text.append(" " + _("of {answers} review answers remembered (last {days} days)").format(
            answers=ret.answers, days=ret.days))
    text.append(" · " + _("target {target}").format(target=f"{ret.target:.0%}") + "\n")
    text.append(_label(_("Streak")), style="dim")
    text.append(ngettext("{count} day", "{count} days", s.current).format(count=s.current), style="bold")
    text.append(" · " + _("longest {days}").format(days=s.longest))
    if s.current and not s.reviewed_today:
        text.append(" · " + _("review today to keep it going"), style="yellow")
    return text


def topic_name(topic: str | None) -> str:
    return _(TOPICS[topic]) if topic in TOPICS else (topic or "")


def coverage_table(stats: Stats) -> Table:
    title = _("Cards seen, and mastery (stable {days}+ days)").format(days=f"{MASTERED_STABILITY_DAYS:.0f}")
    table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(_("market / topic"))
    table.add_column(_("seen"), justify="right")
    table.add_column("", no_wrap=True)
    table.add_column(_("mastery"), justify="right")
    for market in stats.markets:
        table.add_row(*_coverage_cells(Text(f"{market.code} {market.name}", style="bold"), market.cards))
        for topic, figures in market.topics.items():
            table.add_row(*_coverage_cells(Text(f"  {topic_name(topic)}"), figures))
    return table


def _coverage_cells(label: Text, figures: Coverage) -> tuple:
    filled = round(PROGRESS_BAR * figures.seen / figures.total) if figures.total else 0
    if figures.seen and not filled:
        filled = 1
    bar = Text(BAR * filled, style="cyan")
    bar.append("░" * (PROGRESS_BAR - filled), style="bright_black")
    # Progress, not a grade against a target: mastery grows over weeks, so a low figure is not an alarm.
    mastery = Text("–") if figures.mastery is None else Text(f"{figures.mastery:.0%}", style="bold")
    return label, f"{figures.seen}/{figures.total}", bar, mastery


def forecast_chart(stats: Stats, width: int) -> Text:
    """One bar per day; bar length is proportional to the count, the busiest day FORECAST_BAR_MAX wide."""
    from rich.cells import cell_len

    peak = max((d.count for d in stats.forecast), default=0)
    label_width = max((cell_len(short_day(d.day)) for d in stats.forecast), default=10)
    room = max(10, min(FORECAST_BAR_MAX, width - label_width - 2 - len(str(peak))))
    title = _("Due in the next {days} days (overdue cards count today)").format(days=len(stats.forecast))
    text = Text(title + "\n", style="bold")
    for n, day in enumerate(stats.forecast):
        length = bar_length(day.count, peak, room)
        label = short_day(day.day)
        text.append(label + " " * (label_width - cell_len(label) + 1), style="bold" if n == 0 else "dim")
        text.append(BAR * length, style="magenta")
        text.append(f"{' ' if length else ''}{day.count}")
        if n < len(stats.forecast) - 1:
            text.append("\n")
    return text


def bar_length(count: int, peak: int, room: int) -> int:
    """Proportional to `count`, `room` for the peak; never zero for a non-zero count."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, round(room * count / peak))


def activity_heatmap(stats: Stats) -> Text:
    """Seven rows (Monday..Sunday) by one column per week, the current week last."""
    grid = stats.activity
    from rich.cells import cell_len

    legend = _("({none} none, {shades} up to {peak} a day)").format(
        none=SHADES[0], shades=" ".join(SHADES[1:]), peak=grid.peak)
    space = "" if legend.startswith("（") else " "  # a full-width bracket carries its own space
    text = Text(_("Reviews per day, last {weeks} weeks").format(weeks=grid.weeks) + space, style="bold")
    text.append(legend + "\n", style="dim")
    text.append(_month_header(stats) + "\n", style="dim")
    for weekday, name in enumerate(WEEKDAYS):
        shown = _(name)
        text.append(shown + " " * max(1, 5 - cell_len(shown)), style="dim")
        for week in range(grid.weeks):
            cell = grid.cell(week, weekday)
            if cell is None:
                text.append("  ")
            else:
                text.append(SHADES[cell.level], style=SHADE_STYLES[cell.level])
                text.append(" ")
        text.rstrip()
        if weekday < 6:
            text.append("\n")
    return text


def _month_header(stats: Stats) -> str:
    """Each month's name above the week column holding its first day."""
    grid = stats.activity
    line = [" "] * (5 + 2 * grid.weeks)
    for week in range(grid.weeks):
        monday = grid.start + timedelta(weeks=week)
        sunday = monday + timedelta(days=6)
        if monday.day == 1 or sunday.month != monday.month:
            column = 5 + 2 * week
            cells = _month_cells(_(MONTHS[sunday.month - 1]))
            line[column:column + len(cells)] = cells
    return "".join(line[:5 + 2 * grid.weeks + 1]).rstrip()


def _month_cells(name: str) -> list[str]:
    """A month's name as one entry per terminal column (a wide character, then an empty entry)."""
    from rich.cells import cell_len

    cells = []
    for char in name:
        cells.append(char)
        cells.extend([""] * (cell_len(char) - 1))
    return cells


def hardest_cards(stats: Stats) -> Group | Text:
    if not stats.hardest:
        return Text(_("Hardest cards: none forgotten after being learnt yet."), style="dim")
    table = Table(title=Text(_("Hardest cards (most lapses)")), title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False)
    table.add_column(_("card"), overflow="fold")
    table.add_column(_("direction"))
    table.add_column(_("topic"))
    table.add_column(_("lapses"), justify="right")
    table.add_column("")
    for card in stats.hardest:
        table.add_row(Text(card.card_id), _(DIRECTIONS[card.direction]) if card.direction in DIRECTIONS
                      else card.direction, topic_name(card.topic) if card.topic else _("(deleted card)"),
                      str(card.lapses), Text(_("leech"), style="bold red") if card.leech else "")
    hint = Text()
    if stats.leeches:
        hint.append(ngettext("{count} leech ({lapses}+ lapses): rewrite or split it.",
                             "{count} leeches ({lapses}+ lapses): rewrite or split them.", stats.leeches).format(
            count=stats.leeches, lapses=LEECH_LAPSES) + " ")
    hint.append(_("Open a card:") + " ")
    hint.append(f"csdrill show {stats.hardest[0].card_id}", style="bold")
    return Group(table, hint)


def no_reviews_message(user: str, market: str | None, start_market: str) -> Text:
    if market:
        first = _("No reviews yet for {user} in market {market}. Start drilling with:").format(user=user, market=market)
    else:
        first = _("No reviews yet for {user}. Start drilling with:").format(user=user)
    return Text.assemble(
        first + "\n\n    ",
        (f"csdrill quiz --market {start_market}", "bold"),
        "\n\n" + _("then come back to `csdrill stats` to watch your progress."),
    )


def _grade_style(value: float, target: float) -> str:
    if value >= target:
        return "green"
    return "yellow" if value >= target - 0.15 else "red"
