"""`csdrill gaps`: the cards a cohort keeps getting wrong, for the trainer's next session."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import typer

from csdrill.cli import app
from csdrill.cli.options import DecksOption, JsonOption, LocalOption, load_content, print_json
from csdrill.errors import UsageError
from csdrill.i18n import _


def read_cohort(path: Path | None) -> list[str] | None:
    """Learner names from a file, one per line ('#' starts a comment); None means everyone."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise UsageError(_("cannot read --users file {path}: {reason}").format(path=path, reason=reason)) from None
    users = [line.split("#", 1)[0].strip() for line in lines]
    users = [u for u in users if u]
    if not users:
        raise UsageError(_("--users file {path} names no learner (one name per line)").format(path=path))
    return users


def parse_since(value: str | None) -> datetime | None:
    """The start of a local calendar day, as an aware datetime."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(_("--since must be a date YYYY-MM-DD, not '{value}'").format(value=value)) from None
    return datetime.combine(day, time()).astimezone()


GAPS_HELP = _(
    "The cards the cohort misses most, and its mastery per market and topic.\n\n"
    "Per card: learners who met it, first-try correct rate, lapse rate, the wrong option chosen most "
    "often, and the card id to look up with `csdrill show`. Sorted by impact = learners × miss rate. "
    "Mastery: the share of learners' card memories that are mature (FSRS stability ≥ 21 days).\n\n"
    "JSON keys (--json): learners, since, min_learners, cards [{card_id, market, topic, learners, "
    "first_answers, first_try_correct_rate, miss_rate, review_answers, lapse_rate, impact, "
    "common_wrong_answer, common_wrong_count}], mastery [{market, topic, learners, cards_met, mastered, "
    "mastery}].\n\n"
    "With CSDRILL_TEAM_DB set it reads the team database (add --local for this machine's progress file): a "
    "trainer's login sees the whole team, an agent's login only its own answers. Mastery there comes from the "
    "card states each agent's `csdrill sync` sends."
)


@app.command(help=GAPS_HELP)
def gaps(
    market: str = typer.Option(None, "--market", "-m", help=_("Only this market's cards (its own and its pools').")),
    topic: str = typer.Option(None, "--topic", "-t", help=_("Only this topic: regulation, etiquette, phrase, …")),
    since: str = typer.Option(None, "--since", metavar="DATE", help=_("Only answers from this day on (YYYY-MM-DD).")),
    users: Path = typer.Option(
        None, "--users", metavar="FILE", help=_("Only these learners: a file with one name per line.")),
    min_learners: int = typer.Option(
        3, "--min-learners", min=1, help=_("Rank a card only once this many learners have met it.")),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help=_("How many cards to list.")),
    as_json: bool = JsonOption,
    decks: list[Path] = DecksOption,
    local: bool = LocalOption,
) -> None:
    """The cards the cohort misses most, and its mastery per market and topic (help: GAPS_HELP)."""
    from csdrill.cli.content import resolve_market
    from csdrill.content.vocabulary import TOPICS
    from csdrill.gaps import cohort_mastery, rank_gaps
    from csdrill.team.progress import open_progress

    library = load_content(decks).library
    if topic is not None and topic not in TOPICS:
        raise UsageError(_("unknown topic '{topic}'; topics: {topics}").format(topic=topic, topics=", ".join(TOPICS)))
    scope = None
    if market or topic:
        code = resolve_market(library, market, allow_pool=True) if market else None
        pool = library.market_cards(code) if code else library.cards.values()
        scope = {c.id for c in pool if topic is None or c.topic == topic}
    cohort = read_cohort(users)
    start = parse_since(since)
    with open_progress(local) as progress:
        tallies, wrong = progress.card_tallies(start, cohort)
        mastery_rows = progress.mastery_rows(library, cohort, scope)
        learners = progress.learner_count(start) if cohort is None else len(cohort)
    ranked = rank_gaps(tallies, wrong, library, min_learners=min_learners, cards=scope, limit=limit)
    mastery = cohort_mastery(mastery_rows)
    if as_json:
        print_json({"learners": learners, "since": start.date().isoformat() if start else None,
                    "min_learners": min_learners, "cards": [g.to_dict() for g in ranked],
                    "mastery": [m.to_dict() for m in mastery]})
        return
    from csdrill.ui.console import stdout
    from csdrill.ui.gaps_view import render_gaps

    render_gaps(stdout(), ranked, mastery, library, learners, min_learners)
