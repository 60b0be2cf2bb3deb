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

from csdrill.stats.figures import is_mature


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


def cohort_mastery(memory_rows, library, cards: set[str] | None = None) -> list[Mastery]:
    """Per market and topic: of the (learner, card) memories, the share that is mastered.

    `memory_rows` are (user, card_id, state, stability) rows; a card drilled in two directions counts
    once per direction, as each is remembered separately.
    """
    learners: dict[tuple[str, str], set[str]] = {}
    met: Counter = Counter()
    mastered: Counter = Counter()
    for user, card_id, state, stability in memory_rows:
        card = library.cards.get(card_id)
        if card is None or (cards is not None and card_id not in cards):
            continue
        key = (card.market, card.topic)
        learners.setdefault(key, set()).add(user)
        met[key] += 1
        if is_mature(state, stability):
            mastered[key] += 1
    return [
        Mastery(market=m, topic=t, learners=len(learners[(m, t)]), cards_met=met[(m, t)],
                mastered=mastered[(m, t)], mastery=round(mastered[(m, t)] / met[(m, t)], 4))
        for m, t in sorted(met)
    ]


def read_tallies(db, since: datetime | None, users: list[str] | None, to_db) -> tuple[list, list, list]:
    """Card tallies, wrong choice answers and memories from a local store's database connection."""
    where, params = ["1=1"], []
    if since is not None:
        where.append("answered_at >= ?")
        params.append(to_db(since))
    if users is not None:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS gap_cohort (user TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("DELETE FROM gap_cohort")
        db.executemany("INSERT OR IGNORE INTO gap_cohort VALUES (?)", [(u,) for u in users])
        where.append("user IN (SELECT user FROM gap_cohort)")
    condition = " AND ".join(where)
    tallies = [
        CardTally(*row)
        for row in db.execute(
            "SELECT card_id, COUNT(DISTINCT user), "
            "SUM(state_before = 'new'), SUM(state_before = 'new' AND rating > 1), "
            "SUM(state_before = 'review'), SUM(state_before = 'review' AND rating = 1) "
            f"FROM reviews WHERE {condition} GROUP BY card_id",
            params,
        )
    ]
    wrong = db.execute(
        "SELECT card_id, answer, COUNT(*) FROM reviews "
        f"WHERE {condition} AND rating = 1 AND mode = 'choice' AND answer IS NOT NULL AND answer != '' "
        "GROUP BY card_id, answer",
        params,
    ).fetchall()
    memory_where = "user IN (SELECT user FROM gap_cohort)" if users is not None else "1=1"
    memories = db.execute(
        f"SELECT user, card_id, state, stability FROM card_state WHERE {memory_where}"
    ).fetchall()
    return tallies, wrong, memories
