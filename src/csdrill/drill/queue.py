"""Which items a session asks, in what order: due ones first, then new ones up to a daily allowance,
and, as in Anki, the ones failed in this session again once their learning step is due."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from csdrill.drill.items import PRODUCE, RECOGNISE, Item

# Anki's default "learn ahead limit": at the end of a session, a failed card whose next step is at
# most this far away is asked now rather than left for a session that may not come today.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class Queue:
    due: list[Item]
    new: list[Item]
    new_allowance_left: int  # how many more new items today's allowance still permits

    @property
    def items(self) -> list[Item]:
        return self.due + self.new


def drilled_in_mode(item: Item, mode: str) -> bool:
    """`typed` drills what can be typed: a phrase only by producing it (nobody types a free gloss)."""
    return not (mode == "typed" and item.direction == RECOGNISE)


def fresh_items(items: list[Item], known_keys: set[tuple[str, str]], mode: str = "auto") -> list[Item]:
    """Items never seen that may be introduced now, in the library's order.

    A phrase is produced only once it has been recognised in an earlier session, except in `typed`
    mode, which asks for production from the first card.
    """
    return [
        item for item in items
        if item.key not in known_keys and drilled_in_mode(item, mode)
        and (mode == "typed" or item.direction != PRODUCE or (item.card.id, RECOGNISE) in known_keys)
    ]


def build_queue(
    items: list[Item],
    due_keys: list[tuple[str, str]],
    known_keys: set[tuple[str, str]],
    introduced_today: int,
    new_per_day: int,
    limit: int,
    rng: random.Random,
    mode: str = "auto",
) -> Queue:
    """`due_keys` arrive most overdue first; new items are those never seen, shuffled by `rng`."""
    by_key = {item.key: item for item in items}
    due = [by_key[key] for key in due_keys if key in by_key and drilled_in_mode(by_key[key], mode)][:limit]
    allowance = max(0, new_per_day - introduced_today)
    fresh = fresh_items(items, known_keys, mode)
    rng.shuffle(fresh)
    room = max(0, limit - len(due))
    new = fresh[: min(allowance, room)]
    return Queue(due=due, new=new, new_allowance_left=allowance - len(new))


def first_due(upcoming: list[tuple[str, str, datetime]], keys: set[tuple[str, str]]) -> datetime | None:
    """The earliest due time among `upcoming` rows that belong to this session's items."""
    for card_id, direction, due in upcoming:
        if (card_id, direction) in keys:
            return due
    return None


@dataclass(frozen=True)
class Turn:
    item: Item
    number: int  # which of the planned cards this is (a card asked again keeps its number)
    again: bool  # asked again after being failed in this session


class SessionQueue:
    """The planned items in order, with failed ones slotted back in once their step is due.

    Pure: the caller passes the time in. A failed item comes back as soon as it is due, before the
    next planned item; when the planned items are done, those due within `learn_ahead` come
    back too, soonest first. An item answered right is not asked again in this session.
    """

    def __init__(self, planned: list[Item], learn_ahead: timedelta = LEARN_AHEAD):
        self.planned = deque(planned)
        self.total = len(planned)
        self.learn_ahead = learn_ahead
        self.waiting: dict[tuple[str, str], tuple[datetime, Item]] = {}
        self.started = 0
        self._numbers: dict[tuple[str, str], int] = {}

    def next(self, now: datetime) -> Turn | None:
        item = self._waiting_by(now)
        if item is None and self.planned:
            item = self.planned.popleft()
            self.started += 1
            self._numbers[item.key] = self.started
            return Turn(item, self.started, False)
        if item is None:
            item = self._waiting_by(now + self.learn_ahead)
        if item is None:
            return None
        return Turn(item, self._numbers.get(item.key, self.started), True)

    def _waiting_by(self, moment: datetime) -> Item | None:
        ready = [(due, key) for key, (due, _item) in self.waiting.items() if due <= moment]
        if not ready:
            return None
        _due, key = min(ready)
        return self.waiting.pop(key)[1]

    def answered(self, item: Item, failed: bool, due: datetime) -> None:
        """After each answer: a failed item waits for its step (`due`), a right one is done."""
        if failed:
            self.waiting[item.key] = (due, item)
        else:
            self.waiting.pop(item.key, None)
