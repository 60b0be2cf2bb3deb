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

from csdrill.stats.figures import LEECH_LAPSES, MASTERED_STABILITY_DAYS, Coverage, Stats

BAR = "█"
SHADES = "·░▒▓█"  # heatmap level 0 (no reviews) … 4 (the busiest day)
SHADE_STYLES = ("bright_black", "green4", "green3", "green1", "bold bright_green")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FORECAST_BAR_MAX = 40
PROGRESS_BAR = 10


def render_stats(console: Console, stats: Stats, user: str, market_name: str | None = None) -> None:
    """Print every section, each fitting the console's width."""
    scope = f"market {stats.market} ({market_name})" if stats.market else "all markets"
    console.print(Text.assemble(("Progress of ", "bold"), (user, "bold cyan"), f" · {scope} · ",
                                f"{stats.today:%a %d %b %Y}"))
    console.print(summary_lines(stats))
    console.print()
    console.print(coverage_table(stats))
    console.print()
    console.print(forecast_chart(stats, console.width))
    console.print()
    console.print(activity_heatmap(stats))
    console.print()
    console.print(hardest_cards(stats))


def summary_lines(stats: Stats) -> Text:
    r, ret, s = stats.reviews, stats.retention, stats.streak
    text = Text()
    text.append("Reviews    ", style="dim")
    text.append(f"today {r.today} · last 7 days {r.last_7_days} · last 30 days {r.last_30_days} · "
                f"all {r.total}\n")
    text.append("Retention  ", style="dim")
    if ret.true is None:
        text.append(f"no answers on review cards in the last {ret.days} days")
    else:
        text.append(f"{ret.true:.0%}", style=_grade_style(ret.true, ret.target))
        text.append(f" of {ret.answers} review answers remembered (last {ret.days} days)")
    text.append(f" · target {ret.target:.0%}\n")
    text.append("Streak     ", style="dim")
    text.append(f"{s.current} day{'s' if s.current != 1 else ''}", style="bold")
    text.append(f" · longest {s.longest}")
    if s.current and not s.reviewed_today:
        text.append(" · review today to keep it going", style="yellow")
    return text


def coverage_table(stats: Stats) -> Table:
    title = "Cards seen, and mastery (stable {days}+ days)".format(days=f"{MASTERED_STABILITY_DAYS:.0f}")
    table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("market / topic")
    table.add_column("seen", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("mastery", justify="right")
    for market in stats.markets:
        table.add_row(*_coverage_cells(Text(f"{market.code} {market.name}", style="bold"), market.cards))
        for topic, figures in market.topics.items():
            table.add_row(*_coverage_cells(Text(f"  {topic}"), figures))
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
    peak = max((d.count for d in stats.forecast), default=0)
    room = max(10, min(FORECAST_BAR_MAX, width - len("Mon 01 Jan") - 2 - len(str(peak))))
    text = Text(f"Due in the next {len(stats.forecast)} days (overdue cards count today)\n", style="bold")
    for n, day in enumerate(stats.forecast):
        length = bar_length(day.count, peak, room)
        text.append(f"{day.day:%a %d %b} ", style="bold" if n == 0 else "dim")
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
    text = Text(f"Reviews per day, last {grid.weeks} weeks ", style="bold")
    text.append(f"({SHADES[0]} none, {' '.join(SHADES[1:])} up to {grid.peak} a day)\n", style="dim")
    text.append(_month_header(stats) + "\n", style="dim")
    for weekday, name in enumerate(WEEKDAYS):
        text.append(f"{name}  ", style="dim")
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
            line[column:column + 3] = f"{sunday:%b}"
    return "".join(line[:5 + 2 * grid.weeks + 1]).rstrip()


def hardest_cards(stats: Stats) -> Group | Text:
    if not stats.hardest:
        return Text("Hardest cards: none forgotten after being learnt yet.", style="dim")
    table = Table(title=Text("Hardest cards (most lapses)"), title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False)
    table.add_column("card", overflow="fold")
    table.add_column("direction")
    table.add_column("topic")
    table.add_column("lapses", justify="right")
    table.add_column("")
    for card in stats.hardest:
        table.add_row(Text(card.card_id), card.direction, card.topic or "(deleted card)", str(card.lapses),
                      Text("leech", style="bold red") if card.leech else "")
    hint = Text()
    if stats.leeches:
        hint.append(f"{stats.leeches} leech{'es' if stats.leeches != 1 else ''} "
                    f"({LEECH_LAPSES}+ lapses): rewrite or split {'them' if stats.leeches != 1 else 'it'}. ")
    hint.append("Open a card: ")
    hint.append(f"csdrill show {stats.hardest[0].card_id}", style="bold")
    return Group(table, hint)


def no_reviews_message(user: str, market: str | None, start_market: str) -> Text:
    where = f" in market {market}" if market else ""
    return Text.assemble(
        f"No reviews yet for {user}{where}. Start drilling with:\n\n    ",
        (f"csdrill quiz --market {start_market}", "bold"),
        "\n\nthen come back to `csdrill stats` to watch your progress.",
    )


def _grade_style(value: float, target: float) -> str:
    if value >= target:
        return "green"
    return "yellow" if value >= target - 0.15 else "red"
