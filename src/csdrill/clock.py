"""The current time, or the moment CSDRILL_NOW names for replaying a session."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from csdrill.errors import UsageError

# Dates are stored as fixed-width text with four-digit years, and schedules reach up to a century
# ahead of "now": a replayed moment must leave room on both sides.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2999


def now_utc() -> datetime:
    """The current time; CSDRILL_NOW (ISO 8601) replays a session at a chosen moment."""
    fixed = os.environ.get("CSDRILL_NOW", "").strip()
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise UsageError(
            f"CSDRILL_NOW is not an ISO date-time: '{fixed}' (e.g. 2026-11-30 or 2026-11-30T09:00:00+01:00)"
        ) from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise UsageError(
            f"CSDRILL_NOW must be between {EARLIEST_YEAR}-01-01 and {LATEST_YEAR}-12-31, not '{fixed}'"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
