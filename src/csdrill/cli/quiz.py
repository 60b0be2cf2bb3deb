"""`csdrill quiz` and `csdrill reviews`: the daily drill and its log."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer

from csdrill.cli import app
from csdrill.cli.options import DecksOption, JsonOption, load_content, print_json
from csdrill.clock import now_utc
from csdrill.content.vocabulary import TOPICS
from csdrill.errors import UsageError
from csdrill.i18n import _, ngettext

MODE_HELP = _(
    "auto: the fitting mode per card (scenarios and cards with choices → choice, producing a phrase → "
    "typed, the rest → flash); flash: reveal, then rate 1-4; choice: pick an option; typed: type the answer."
)
ZH_HELP = _("Also show each card's Chinese (zh_prompt, zh_options, a phrase's zh) before you answer; "
            "always on in the Chinese interface.")
QUIZ_HELP = _(
    "Drill a market with spaced repetition: due cards first, then new ones.\n\n"
    "Every answer is saved before the next card shows. A card you miss comes back later in the "
    "session once its learning step is due (or within 20 minutes, at the end). In a terminal a "
    "number key answers at once; q, Esc or Ctrl-C ends the session with a summary (exit 130). "
    "When stdin is not a terminal, a plain line mode reads one answer per line (option numbers, "
    "ratings 1-4) and ends cleanly at end of input; a line that cannot be an answer stops it "
    "with exit 2, naming the line.\n\n"
    "Example: printf '1\\n2\\n' | csdrill quiz --market de --mode choice --limit 2"
)


def check_topics(library, market: str, topics: list[str]) -> tuple[str, ...]:
    from csdrill.cli.content import check_topic

    for topic in topics:
        check_topic(topic)
        if not library.market_cards(market, (topic,)):
            have = [t for t in TOPICS if library.market_cards(market, (t,))]
            raise UsageError(_("market '{market}' has no {topic} cards; it has: {topics}").format(
                market=market, topic=topic, topics=", ".join(have)))
    return tuple(topics)


@app.command(help=QUIZ_HELP)
def quiz(
    market: str = typer.Option(
        ..., "--market", "-m",
        help=_("Market to drill, e.g. de, us, jp (see `csdrill markets`). Its pools (eu, global) come along; "
               "a pool cannot be drilled by itself.")),
    topic: list[str] = typer.Option(
        None, "--topic", "-t", help=_("Only these topics (repeatable): {topics}.").format(topics=", ".join(TOPICS))),
    mode: str = typer.Option("auto", "--mode", help=MODE_HELP),
    new: int = typer.Option(
        10, "--new", min=0,
        help=_("New cards per day for this market (cards already introduced today in it count).")),
    limit: int = typer.Option(
        50, "--limit", min=1,
        help=_("Most cards in this session (a missed card asked again does not count twice).")),
    user: str = typer.Option(
        None, "--user", "-u", help=_("Learner name (default: CSDRILL_USER, then your login name).")),
    retention: float = typer.Option(
        0.9, "--retention", min=0.7, max=0.99, help=_("Desired retention for FSRS scheduling.")),
    seed: int = typer.Option(
        None, "--seed", help=_("Seed for the order of new cards and options (replayable sessions).")),
    learn_ahead: int = typer.Option(
        20, "--learn-ahead", min=0, metavar="MINUTES",
        help=_("At the end of a session, ask again the missed cards due within this many minutes (Anki's "
               "learn-ahead limit); 0 asks only those already due.")),
    zh: bool = typer.Option(False, "--zh", help=ZH_HELP),
    decks: list[Path] = DecksOption,
) -> None:
    """Drill a market with spaced repetition (help: QUIZ_HELP)."""
    from csdrill.cli.content import resolve_market
    from csdrill.drill.items import items_for
    from csdrill.drill.questions import MODES
    from csdrill.drill.queue import build_queue, first_due, fresh_items
    from csdrill.drill.scheduling import Scheduler
    from csdrill.drill.session import Session, humanise_interval, start_of_today
    from csdrill.store import Store, default_user
    from csdrill.ui.console import stdout
    from csdrill.ui.prompts import EndOfInput, prompts_for_terminal
    from csdrill.ui.quiz_loop import run_session
    from csdrill.ui.quiz_view import ask_for_chinese

    if mode not in MODES:
        raise UsageError(_("unknown mode '{mode}'; modes: {modes}").format(mode=mode, modes=", ".join(MODES)))
    ask_for_chinese(zh)
    library = load_content(decks).library
    code = resolve_market(library, market)
    topics = check_topics(library, code, topic or [])
    cards = library.market_cards(code, topics)
    user = user or default_user()
    rng = random.Random(seed)
    console = stdout()
    prompts = prompts_for_terminal()
    now = now_utc()

    with Store() as store:
        items = items_for(cards)
        keys = {item.key for item in items}
        due = store.due_keys(user, now)
        known = store.known_keys(user)
        introduced = len(store.introduced_in_market(user, start_of_today(now), code, keys))
        queue = build_queue(items, due, known, introduced, new, limit, rng, mode)
        if not queue.items:
            unseen = len(fresh_items(items, known, mode))
            upcoming = first_due(store.next_due(user, now), keys)
            if upcoming:
                console.print(_("Nothing is due. The next card is due {when} ({time}).").format(
                    when=humanise_interval(upcoming - now), time=f"{upcoming.astimezone():%Y-%m-%d %H:%M}"))
            else:
                console.print(_("Nothing is due."))
            if not unseen or not new:
                return
            more = min(unseen, new)
            try:
                agreed = prompts.confirm(
                    _("You have met today's {new} new cards for this market. Learn {more} more now?").format(
                        new=new, more=more))
            except (EndOfInput, KeyboardInterrupt):
                agreed = False
            if not agreed:
                console.print(_("{unseen} new cards are waiting: run with --new {count} to learn more today.").format(
                    unseen=unseen, count=introduced + new))
                return
            queue = build_queue(items, due, known, 0, more, limit, rng, mode)
        session = Session(store, Scheduler(retention), user, items, now_utc, market=code)
        interrupted, _ended = run_session(session, queue.items, cards, mode, prompts, console, rng,
                                          learn_ahead=timedelta(minutes=learn_ahead))
    from csdrill.team.autosync import sync_after_session
    sync_after_session(user)  # team database (CSDRILL_TEAM_DB): send the answers; never fails the session
    if interrupted:
        raise typer.Exit(130)


@app.command(help=_("The review log: every answer ever given, for backups and trainers."))
def reviews(
    user: str = typer.Option(None, "--user", "-u", help=_("Only this learner (default: everyone).")),
    since: str = typer.Option(None, "--since", help=_("Only reviews on or after this date (YYYY-MM-DD).")),
    as_json: bool = JsonOption,
) -> None:
    """The review log: every answer ever given, for backups and trainers."""
    from csdrill.store import Store

    start = None
    if since:
        try:
            start = datetime.fromisoformat(since).replace(tzinfo=UTC)
        except ValueError:
            raise UsageError(_("--since must be a date YYYY-MM-DD, not '{value}'").format(value=since)) from None
    with Store() as store:
        rows = [r.to_dict() for r in store.reviews(user, start)]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table
    from rich.text import Text

    from csdrill.ui.console import stdout

    table = Table(title=ngettext("{count} review", "{count} reviews", len(rows)).format(count=len(rows)),
                  title_justify="left")
    for column in (_("answered at"), _("user"), _("card id"), _("direction"), _("mode"), _("rating"),
                   _("duration ms")):
        table.add_column(column)
    from csdrill.ui.stats_view import DIRECTIONS

    for row in rows:
        cells = [str(row[c]) if row[c] is not None else "" for c in
                 ("answered_at", "user", "card_id", "direction", "mode", "rating", "duration_ms")]
        cells[3] = _(DIRECTIONS[cells[3]]) if cells[3] in DIRECTIONS else cells[3]
        table.add_row(*(Text(cell) for cell in cells))  # a user name is no markup
    stdout().print(table)
