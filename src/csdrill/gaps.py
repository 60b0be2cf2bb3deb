"""Knowledge gaps: the cards a cohort of learners misses most, and its mastery per market and topic.

The figures come from the review log alone, summed up per card in SQL, so the log is never loaded:

- learners: distinct learners who answered the card (in the period);
- first-try correct rate: of the first answers ever given to the card (state `new`), the share not
  rated Again; its complement is the miss rate;
- lapse rate: of the answers given while the card was in review, the share rated Again (forgotten);
- impact: learners × miss rate — how many people the gap actually hurts, so a card three learners
  all missed ranks below one forty learners missed half the time;
- common wrong answer: the wrong option chosen most often, for choice questions.

A card is ranked only once at least `min_learners` learners have met it: below that one learner's
slip would top the list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime

from csdrill.stats.figures import MASTERED_STABILITY_DAYS


def as_percent(rate: float | None) -> str:
    """A rate as the trainer's views show it: a whole percent, or a dash when there is none."""
    return "—" if rate is None else f"{rate:.0%}"


@dataclass(frozen=True)
class CardGap:
    card_id: str
    market: str
    topic: str
    learners: int
    first_answers: int
    first_try_correct_rate: float | None
    miss_rate: float
    review_answers: int
    lapse_rate: float | None
    impact: float
    common_wrong_answer: str | None
    common_wrong_count: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Mastery:
    market: str
    topic: str
    learners: int
    cards_met: int  # (learner, card) pairs with a memory
    mastered: int
    mastery: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CardTally:
    """One card's answers in the period, as the store sums them up."""

    card_id: str
    learners: int
    first_answers: int
    first_correct: int
    review_answers: int
    lapses: int


def rank_gaps(tallies, wrong_answers, library, *, min_learners: int = 3, cards: set[str] | None = None,
              limit: int | None = None) -> list[CardGap]:
    """The cards worth a trainer's time, most impact first.

    `wrong_answers` holds (card_id, answer, count) rows of wrong choice answers; `cards`, when given,
    limits the ranking to those card ids (a market's or a topic's).
    """
    wrong: dict[str, Counter] = {}
    for card_id, answer, count in wrong_answers:
        wrong.setdefault(card_id, Counter())[answer] += count
    gaps = []
    for tally in tallies:
        card = library.cards.get(tally.card_id)
        if card is None or (cards is not None and tally.card_id not in cards):
            continue  # a retired card, or outside the scope asked for
        if tally.learners < min_learners or tally.first_answers == 0:
            continue
        correct_rate = tally.first_correct / tally.first_answers
        miss_rate = 1 - correct_rate
        common = wrong.get(tally.card_id, Counter()).most_common()
        # Ties go to the alphabetically first answer, so the same log always names the same option.
        top = min(common, key=lambda pair: (-pair[1], pair[0])) if common else None
        gaps.append(CardGap(
            card_id=card.id, market=card.market, topic=card.topic, learners=tally.learners,
            first_answers=tally.first_answers, first_try_correct_rate=round(correct_rate, 4),
            miss_rate=round(miss_rate, 4), review_answers=tally.review_answers,
            lapse_rate=round(tally.lapses / tally.review_answers, 4) if tally.review_answers else None,
            impact=round(tally.learners * miss_rate, 4),
            common_wrong_answer=top[0] if top else None, common_wrong_count=top[1] if top else 0,
        ))
    gaps.sort(key=lambda g: (-g.impact, -g.miss_rate, g.card_id))
    return gaps[:limit] if limit else gaps


def cohort_mastery(mastery_rows) -> list[Mastery]:
    """Per market and topic: of the (learner, card) memories, the share that is mastered.

    `mastery_rows` are read_mastery's (user, market, topic, memories, mature) rows, one per learner,
    market and topic; a card drilled in two directions counts once per direction, as each is remembered
    separately.
    """
    learners: Counter = Counter()
    met: Counter = Counter()
    mastered: Counter = Counter()
    for _user, market, topic, memories, mature in mastery_rows:
        key = (market, topic)
        learners[key] += 1
        met[key] += memories
        mastered[key] += mature
    return [
        Mastery(market=m, topic=t, learners=learners[(m, t)], cards_met=met[(m, t)],
                mastered=mastered[(m, t)], mastery=round(mastered[(m, t)] / met[(m, t)], 4))
        for m, t in sorted(met)
    ]


def _cohort_condition(db, users: list[str] | None, column: str = "user") -> str:
    """An SQL condition on `column` for the cohort (None: everyone), through a temporary table."""
    if users is None:
        return "1=1"
    db.execute("CREATE TEMP TABLE IF NOT EXISTS gap_cohort (user TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("DELETE FROM temp.gap_cohort")
    db.executemany("INSERT OR IGNORE INTO temp.gap_cohort VALUES (?)", [(u,) for u in users])
    return f"{column} IN (SELECT user FROM temp.gap_cohort)"


def read_mastery(db, library, users: list[str] | None = None, cards: set[str] | None = None) -> list[tuple]:
    """(user, market, topic, memories, mature memories) per learner, market and topic, from card_state.

    Only the library's cards count (only `cards`, when given). They go into a temporary table, so SQL
    groups the memories and one row per learner and topic reaches Python, not one per memory (at
    2,000,000 memories: 1.4 s instead of 3.8 s).
    """
    condition = _cohort_condition(db, users, "s.user")
    db.execute("CREATE TEMP TABLE IF NOT EXISTS gap_card (card_id TEXT PRIMARY KEY, market TEXT, topic TEXT) "
               "WITHOUT ROWID")
    db.execute("DELETE FROM temp.gap_card")
    db.executemany("INSERT INTO temp.gap_card VALUES (?, ?, ?)",
                   ((c.id, c.market, c.topic) for c in library.cards.values() if cards is None or c.id in cards))
    # is_mature, in SQL.
    return db.execute(
        "SELECT s.user, k.market, k.topic, COUNT(*), SUM(s.state = 'review' AND IFNULL(s.stability, 0) >= ?) "
        f"FROM card_state AS s JOIN temp.gap_card AS k ON k.card_id = s.card_id WHERE {condition} "
        "GROUP BY s.user, k.market, k.topic",
        (MASTERED_STABILITY_DAYS,),
    ).fetchall()


def read_tallies(db, since: datetime | None, users: list[str] | None, to_db) -> tuple[list[CardTally], list]:
    """Card tallies and wrong choice answers from a local store's database connection.

    Three counts, not one GROUP BY card_id with COUNT(DISTINCT user): that one sorted every answer by
    card (11 s for 10,000,000 answers), while each of these reads an index and sorts few rows. Learners
    per card come from (user, card_id) groups read in the order of reviews_by_card; only the answers
    given before a card reached review are sorted (first answers, learning, relearning); lapses come
    from their small partial index; answers in review are all answers less the others.
    """
    condition, params = _cohort_condition(db, users), []
    if since is not None:
        condition += " AND answered_at >= ?"
        params.append(to_db(since))
    if since is None:
        per_card = ("SELECT card_id, COUNT(*), SUM(answers) FROM (SELECT user, card_id, COUNT(*) AS answers "
                    f"FROM reviews WHERE {condition} GROUP BY user, card_id) GROUP BY card_id")
    else:
        # reviews_by_card has no answered_at: for a period, the time index and a sort of its answers.
        per_card = f"SELECT card_id, COUNT(DISTINCT user), COUNT(*) FROM reviews WHERE {condition} GROUP BY card_id"
    db.execute("BEGIN")  # one read transaction: every count sees the same log
    try:
        learners = db.execute(per_card, params).fetchall()
        before_review = {row[0]: row[1:] for row in db.execute(
            "SELECT card_id, SUM(state_before = 'new'), SUM(state_before = 'new' AND rating > 1), COUNT(*) "
            f"FROM reviews WHERE {condition} AND state_before != 'review' GROUP BY card_id", params)}
        lapses = dict(db.execute(
            f"SELECT card_id, COUNT(*) FROM reviews WHERE {condition} AND rating = 1 AND state_before = 'review' "
            "GROUP BY card_id", params).fetchall())
        wrong = db.execute(
            "SELECT card_id, answer, COUNT(*) FROM reviews "
            f"WHERE {condition} AND rating = 1 AND mode = 'choice' AND answer IS NOT NULL AND answer != '' "
            "GROUP BY card_id, answer",
            params,
        ).fetchall()
    finally:
        db.execute("COMMIT")
    tallies = []
    for card_id, learner_count, answers in learners:
        first, first_correct, not_in_review = before_review.get(card_id, (0, 0, 0))
        tallies.append(CardTally(card_id, learner_count, first, first_correct, answers - not_in_review,
                                 lapses.get(card_id, 0)))
    return tallies, wrong
