"""Figures by local day: the due forecast, the activity heatmap and the review streak.

A "day" is a calendar day in the learner's local time zone (`tz`; None means the system's,
as `datetime.astimezone()` gives it, so daylight saving is honoured for every moment).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

FORECAST_DAYS = 14
HEATMAP_WEEKS = 12
LEVELS = 4  # intensity levels above "no reviews"


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day `moment` falls on in the local time zone."""
    return moment.astimezone(tz).date()


def day_start(day: date, tz: tzinfo | None = None) -> datetime:
    """The first moment (in UTC) of a calendar day in the local time zone.

    A midnight has two readings (fold 0 and 1) that differ only at a clock change: where clocks
    skip midnight, one is the moment they jump, which starts the day, and the other an hour earlier,
    still the day before (zoneinfo and the system's zone disagree on which fold is which); where
    midnight comes twice, the first starts the day. So: the earliest reading that falls on the day.
    """
    midnight = datetime(day.year, day.month, day.day, tzinfo=tz)  # naive for tz None: the system's zone
    readings = [midnight.replace(fold=fold).astimezone(UTC) for fold in (0, 1)]
    return min((t for t in readings if local_day(t, tz) >= day), default=max(readings))


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class HeatDay:
    day: date
    reviews: int
    level: int  # 0 (none) … LEVELS (the busiest day)


@dataclass(frozen=True)
class Heatmap:
    """Review activity, one cell per day, in whole weeks Monday..Sunday ending with this week."""

    start: date  # a Monday
    weeks: int
    peak: int
    days: tuple[HeatDay, ...]  # from `start` up to and including today; later days are not listed

    def cell(self, week: int, weekday: int) -> HeatDay | None:
        """The day in column `week` (0 oldest) and row `weekday` (0 Monday), None for days to come."""
        index = week * 7 + weekday
        return self.days[index] if index < len(self.days) else None


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive days with reviews, ending today (or yesterday if none yet today)
    longest: int
    reviewed_today: bool


def due_forecast(dues: Iterable[datetime], today: date, tz: tzinfo | None = None,
                 days: int = FORECAST_DAYS) -> list[DayCount]:
    """How many cards fall due on each of the next `days` days; overdue ones count on day 0."""
    counts = [0] * days
    for due in dues:
        offset = (local_day(due, tz) - today).days
        if offset < days:
            counts[max(0, offset)] += 1
    return [DayCount(today + timedelta(days=n), count) for n, count in enumerate(counts)]


def intensity(count: int, peak: int) -> int:
    """0 for no reviews, else 1..LEVELS in proportion to the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * count / peak)))


def heatmap(per_day: Counter[date], today: date, weeks: int = HEATMAP_WEEKS) -> Heatmap:
    """The last `weeks` calendar weeks (Monday first), GitHub-style; this week is the last column."""
    start = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    span = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    peak = max((per_day.get(day, 0) for day in span), default=0)
    cells = tuple(HeatDay(day, per_day.get(day, 0), intensity(per_day.get(day, 0), peak)) for day in span)
    return Heatmap(start=start, weeks=weeks, peak=peak, days=cells)


def streak(active: set[date], today: date) -> Streak:
    """Runs of consecutive days with at least one review."""
    reviewed_today = today in active
    current, day = 0, today if reviewed_today else today - timedelta(days=1)
    while day in active:
        current += 1
        day -= timedelta(days=1)
    longest = run = 0
    previous = None
    for day in sorted(active):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    return Streak(current=current, longest=longest, reviewed_today=reviewed_today)
