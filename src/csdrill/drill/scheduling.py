"""FSRS scheduling. The only module that touches the `fsrs` package; the rest sees `Memory`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import fsrs

from csdrill.i18n import _

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
_STATE_NAMES = {fsrs.State.Learning: "learning", fsrs.State.Review: "review", fsrs.State.Relearning: "relearning"}
_STATES = {name: state for state, name in _STATE_NAMES.items()}


@dataclass(frozen=True)
class Memory:
    """What the scheduler knows about one card in one direction for one learner."""

    state: str  # learning | review | relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def utc(moment: datetime) -> datetime:
    """fsrs insists on `timezone.utc` exactly; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Scheduler:
    """FSRS-6 with its default parameters and a chosen desired retention.

    Fuzzing is off so that a replayed history always gives the same intervals.
    """

    def __init__(self, desired_retention: float = 0.9):
        if not 0.7 <= desired_retention <= 0.99:
            raise ValueError(_("desired retention must be between 0.70 and 0.99"))
        self.desired_retention = desired_retention
        self._fsrs = fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=False)

    def review(self, memory: Memory | None, rating: int, now: datetime) -> Memory:
        """The memory after answering with `rating` (1 Again … 4 Easy) at `now`."""
        card, _log = self._fsrs.review_card(_to_fsrs(memory, now), fsrs.Rating(rating), utc(now))
        return _from_fsrs(card)

    def retrievability(self, memory: Memory | None, now: datetime) -> float:
        """Predicted probability of recall at `now` (0 for a card never reviewed)."""
        if memory is None:
            return 0.0
        return float(self._fsrs.get_card_retrievability(_to_fsrs(memory, now), utc(now)))


def _to_fsrs(memory: Memory | None, now: datetime) -> fsrs.Card:
    # An explicit card_id: without one, fsrs.Card sleeps a millisecond to make a unique id.
    if memory is None:
        return fsrs.Card(card_id=1, due=utc(now))
    return fsrs.Card(
        card_id=1,
        state=_STATES[memory.state],
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=utc(memory.due),
        last_review=utc(memory.last_review) if memory.last_review else None,
    )


def _from_fsrs(card: fsrs.Card) -> Memory:
    return Memory(
        state=_STATE_NAMES[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
