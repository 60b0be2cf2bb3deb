"""`csdrill stats`: a learner's progress at a glance, drawn in the terminal or as JSON."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from csdrill.cli import app
from csdrill.cli.options import DecksOption, JsonOption, LocalOption, load_content, print_json
from csdrill.i18n import _

STATS_HELP = _(
    "Progress at a glance: reviews, true retention, streak, due forecast, activity heatmap, hardest cards.\n\n"
    "Days are calendar days in your local time zone (set TZ to change it). Without --market every "
    "review counts and cards seen / total are listed for each market you have drilled. Mastery is the "
    "share of what you have seen that FSRS expects you to remember for 21 days or more.\n\n"
    "JSON keys (--json; see docs/stats.md): user, now, today, market, reviews {today, last_7_days, "
    "last_30_days, total}, retention {true, target, answers, remembered, days}, cards {seen, total, "
    "mastery}, topics {TOPIC: {seen, total, mastery}}, markets [{code, name, seen, total, mastery, "
    "topics}], forecast [{date, due}] (14 days, overdue on the first), activity {weeks, start, peak, "
    "days [{date, reviews, level 0-4}]}, streak {current, longest, reviewed_today}, hardest "
    "[{card_id, direction, lapses, leech, market, topic}], leeches, leech_lapses, "
    "mastered_stability_days."
)


@app.command(help=STATS_HELP)
def stats(
    market: str = typer.Option(None, "--market", "-m",
                               help=_("Only this market's cards (its own and its pools').")),
    user: str = typer.Option(None, "--user", "-u",
                             help=_("Learner name (default: CSDRILL_USER, then your login name).")),
    retention: float = typer.Option(0.9, "--retention", min=0.7, max=0.99,
                                    help=_("Target retention to compare the true retention with.")),
    as_json: bool = JsonOption,
    decks: list[Path] = DecksOption,
    local: bool = LocalOption,
) -> None:
    """Progress at a glance (help: STATS_HELP)."""
    from csdrill.cli.content import resolve_market
    from csdrill.clock import now_utc
    from csdrill.stats import compute_stats, market_scope, read_summary
    from csdrill.store import default_user
    from csdrill.team.progress import open_progress

    library = load_content(decks).library
    code = resolve_market(library, market, allow_pool=True) if market else None
    user = user or default_user()
    now = now_utc()
    with open_progress(local) as progress:  # the team database's log with CSDRILL_TEAM_DB
        summary = read_summary(progress, user, now, market_scope(library, code))
        memories = progress.memories(user)
    figures = compute_stats(summary, memories, library, now, code, retention)
    if as_json:
        print_json({"user": user, **figures.to_dict()})
        return

    from csdrill.ui.console import safe_console
    from csdrill.ui.stats_view import no_reviews_message, render_stats

    # NO_COLOR drops every escape code (bold too), not only colours; pipes get plain text anyway.
    console = safe_console(highlight=False, color_system=None if os.environ.get("NO_COLOR") else "auto")
    if figures.reviews.total == 0:
        console.print(no_reviews_message(user, code, _market_to_start(library, code)))
        return
    render_stats(console, figures, user, library.markets[code].name if code else None)


def _market_to_start(library, code: str | None) -> str:
    """The market to suggest for a first quiz: the one asked about, else de, else the first market."""
    if code and not library.markets[code].pool:
        return code
    markets = sorted(c for c, m in library.markets.items() if not m.pool)
    if "de" in markets or not markets:
        return "de"
    return markets[0]
