"""Scheduling state from the review log: the one replay, the same on every machine.

The log is the source of truth; card memories are derived from it. Replaying the same reviews gives the
same memories everywhere because the order is fixed (answer time, then the review's global id), each
review is scheduled with the desired retention it was given with, and the scheduler does not fuzz.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from csdrill.drill.scheduling import AGAIN, Memory, Scheduler

DEFAULT_RETENTION = 0.9  # what reviews recorded before retention was (schema < 3) were scheduled with


@dataclass(frozen=True)
class LoggedReview:
    """What the replay needs of one review."""

    uid: str
    card_id: str
    direction: str
    rating: int
    answered_at: datetime
    state_before: str
    retention: float | None = None


@dataclass(frozen=True)
class CardState:
    """One card × direction after replaying its reviews: the memory and the counts the store keeps."""

    memory: Memory
    introduced_at: datetime
    reps: int
    lapses: int


def replay(reviews: Iterable[LoggedReview]) -> dict[tuple[str, str], CardState]:
    """Every card × direction's state after its reviews, applied in (answered_at, uid) order."""
    schedulers: dict[float, Scheduler] = {}
    states: dict[tuple[str, str], CardState] = {}
    for review in sorted(reviews, key=lambda r: (r.answered_at, r.uid)):
        retention = review.retention or DEFAULT_RETENTION
        scheduler = schedulers.get(retention) or schedulers.setdefault(retention, Scheduler(retention))
        key = (review.card_id, review.direction)
        before = states.get(key)
        memory = scheduler.review(before.memory if before else None, review.rating, review.answered_at)
        # A lapse as record_review counts it: the log's own state_before, so every machine agrees.
        lapse = int(review.rating == AGAIN and review.state_before == "review")
        if before is None:
            states[key] = CardState(memory, review.answered_at, 1, lapse)
        else:
            states[key] = CardState(memory, before.introduced_at, before.reps + 1, before.lapses + lapse)
    return states
