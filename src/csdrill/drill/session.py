"""A quiz session: records each answer through the scheduler into the store, and sums up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from csdrill.drill.items import Item
from csdrill.drill.questions import Outcome, Question
from csdrill.drill.scheduling import Memory, Scheduler
from csdrill.i18n import ngettext
from csdrill.store import Review, Store


@dataclass
class Summary:
    reviewed: int = 0  # cards, each counted once however often it was asked
    correct: int = 0  # cards answered right the first time they were asked in this session
    new_learned: int = 0
    due_tomorrow: int = 0
    saved: int = 0  # answers, repeats included
    relearned: int = 0  # cards failed and asked again in this session
    by_mode: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class Session:
    """Apply answers for one user; `clock` gives the current UTC time (tests pass their own)."""

    def __init__(self, store: Store, scheduler: Scheduler, user: str, items: list[Item],
                 clock: Callable[[], datetime], market: str | None = None):
        self.store, self.scheduler, self.user, self.clock = store, scheduler, user, clock
        self.items = items
        self.market = market  # recorded with each answer: today's new cards are counted per market
        self.memories: dict[tuple[str, str], Memory | None] = {}  # read lazily, one card at a time
        self.asked: set[tuple[str, str]] = set()
        self.relearned: set[tuple[str, str]] = set()
        self.summary = Summary()

    def _memory(self, item: Item) -> Memory | None:
        if item.key not in self.memories:
            self.memories[item.key] = self.store.memory(self.user, *item.key)
        return self.memories[item.key]

    def is_new(self, item: Item) -> bool:
        return self._memory(item) is None

    def record(self, question: Question, outcome: Outcome, asked_at: datetime) -> Memory:
        """Schedule and save one answer (committed before this returns)."""
        item = question.item
        now = self.clock()
        before = self._memory(item)
        after = self.scheduler.review(before, outcome.rating, now)
        review = Review(
            user=self.user, card_id=item.card.id, direction=item.direction, rating=outcome.rating,
            mode=question.mode, answered_at=now,
            duration_ms=max(0, int((now - asked_at).total_seconds() * 1000)),
            state_before=before.state if before else "new", answer=outcome.given,
            retention=self.scheduler.desired_retention,
        )
        self.store.record_review(review, after, self.market)
        self.memories[item.key] = after
        s = self.summary
        s.saved += 1
        if item.key in self.asked:
            self.relearned.add(item.key)
            s.relearned = len(self.relearned)
        else:
            self.asked.add(item.key)
            s.reviewed += 1
            s.correct += outcome.correct
        s.new_learned += before is None
        s.by_mode[question.mode] = s.by_mode.get(question.mode, 0) + 1
        return after

    def finish(self, end_of_tomorrow: datetime) -> Summary:
        """Sum up. `due_tomorrow`: this session's cards due on the next local calendar day (not today)."""
        from csdrill.stats.calendar import day_start, local_day  # not needed before the first card

        keys = {item.key for item in self.items}
        start, end = (day_start(local_day(end_of_tomorrow) - timedelta(days=n)) for n in (1, 0))
        before = set(self.store.due_keys(self.user, start - timedelta(microseconds=1)))
        due = self.store.due_keys(self.user, end - timedelta(microseconds=1))
        self.summary.due_tomorrow = sum(1 for key in due if key in keys and key not in before)
        return self.summary


def humanise_interval(delta: timedelta) -> str:
    """'in 10 minutes', 'in 3 days', 'in 2 months' — how an agent thinks of the next review."""
    seconds = max(0, delta.total_seconds())
    units = (
        (365 * 86400, lambda n: ngettext("in {count} year", "in {count} years", n)),
        (30 * 86400, lambda n: ngettext("in {count} month", "in {count} months", n)),
        (86400, lambda n: ngettext("in {count} day", "in {count} days", n)),
        (3600, lambda n: ngettext("in {count} hour", "in {count} hours", n)),
        (60, lambda n: ngettext("in {count} minute", "in {count} minutes", n)),
    )
    for size, message in units:
        if seconds >= size or size == 60:
            count = max(1, round(seconds / size))
            return message(count).format(count=count)
    return ""  # pragma: no cover


def end_of_tomorrow(now: datetime) -> datetime:
    from csdrill.stats.calendar import day_start, local_day

    return day_start(local_day(now) + timedelta(days=2))


def start_of_today(now: datetime) -> datetime:
    return now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
