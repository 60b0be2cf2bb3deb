"""The current time, or the moment CSDRILL_NOW names for replaying a session."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from csdrill.errors import UsageError
from csdrill.i18n import _

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
            _("CSDRILL_NOW is not an ISO date-time: '{value}' (e.g. 2026-11-30 or 2026-11-30T09:00:00+01:00)").format(
                value=fixed)
        ) from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise UsageError(
            _("CSDRILL_NOW must be between {earliest}-01-01 and {latest}-12-31, not '{value}'").format(
                earliest=EARLIEST_YEAR, latest=LATEST_YEAR, value=fixed)
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
