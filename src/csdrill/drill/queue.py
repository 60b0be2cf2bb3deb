"""Which items a session asks, in what order: due ones first, then new ones up to a daily allowance."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from csdrill.drill.items import PRODUCE, RECOGNISE, Item


@dataclass(frozen=True)
class Queue:
    due: list[Item]
    new: list[Item]
    new_allowance_left: int  # how many more new items today's allowance still permits

    @property
    def items(self) -> list[Item]:
        return self.due + self.new


def build_queue(
    items: list[Item],
    due_keys: list[tuple[str, str]],
    known_keys: set[tuple[str, str]],
    introduced_today: int,
    new_per_day: int,
    limit: int,
    rng: random.Random,
) -> Queue:
    """`due_keys` arrive most overdue first; new items are those never seen, shuffled by `rng`."""
    by_key = {item.key: item for item in items}
    due = [by_key[key] for key in due_keys if key in by_key][:limit]
    allowance = max(0, new_per_day - introduced_today)
    # A phrase is produced only once it has been recognised in an earlier session.
    fresh = [
        item for item in items
        if item.key not in known_keys
        and (item.direction != PRODUCE or (item.card.id, RECOGNISE) in known_keys)
    ]
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
