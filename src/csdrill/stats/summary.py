"""The review log boiled down to what `csdrill stats` shows: answers per local day, lapses per card.

`read_summary` has the store count in SQL, so a log of a million reviews is never loaded;
`summarise` counts a list of reviews in Python (a replayed history, a test). Both give the same summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from csdrill.drill.scheduling import AGAIN
from csdrill.stats.calendar import day_start, local_day

if TYPE_CHECKING:
    from csdrill.store import Review, Store


@dataclass(frozen=True)
class DayAnswers:
    answers: int  # every answer given that day
    reviewing: int  # answers to cards in the review state (learnt, not new or (re)learning)
    forgotten: int  # of those, the ones rated Again: lapses


@dataclass(frozen=True)
class ReviewSummary:
    """Answers up to a moment, in a scope of cards, by calendar day in one time zone."""

    days: dict[date, DayAnswers]  # only days with answers
    lapses: dict[tuple[str, str], int]  # per card × direction, only those with lapses


def summarise(reviews: Iterable[Review], now: datetime, cards: set[str] | None = None,
              tz: tzinfo | None = None) -> ReviewSummary:
    """The summary of `reviews` given up to `now`, on `cards` (None: every card), by local day in `tz`."""
    answers: Counter[date] = Counter()
    reviewing: Counter[date] = Counter()
    forgotten: Counter[date] = Counter()
    lapses: Counter[tuple[str, str]] = Counter()
    for r in reviews:
        if r.answered_at > now or (cards is not None and r.card_id not in cards):
            continue
        day = local_day(r.answered_at, tz)
        answers[day] += 1
        if r.state_before == "review":
            reviewing[day] += 1
            if r.rating == AGAIN:
                forgotten[day] += 1
                lapses[(r.card_id, r.direction)] += 1
    return ReviewSummary(days={day: DayAnswers(n, reviewing[day], forgotten[day]) for day, n in answers.items()},
                         lapses=dict(lapses))


def read_summary(store: Store, user: str, now: datetime, cards: set[str] | None = None,
                 tz: tzinfo | None = None) -> ReviewSummary:
    """The same summary for `user`'s log in the store, counted there by the UTC span of each local day."""
    first = store.first_answer_at(user, now)
    if first is None:
        return ReviewSummary(days={}, lapses={})
    start, today = local_day(first, tz), local_day(now, tz)
    days = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    starts = [day_start(day, tz) for day in [*days, today + timedelta(days=1)]]
    spans, lapses = store.tally_answers(user, starts, now, cards)
    return ReviewSummary(days={days[n]: DayAnswers(answers, reviewing, forgotten)
                               for n, answers, reviewing, forgotten in spans}, lapses=lapses)
