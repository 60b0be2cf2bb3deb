"""Errors a user can act on, and the one place that turns them into a message and exit code."""

from __future__ import annotations

import sys


class UsageError(Exception):
    """Bad input from the user (an unknown market, a missing file): exit 2."""


class StateError(Exception):
    """The progress database cannot be used (corrupt, locked, unwritable): exit 2."""


def report_and_exit(err: Exception) -> None:
    from csdrill.content.problems import ContentError

    if isinstance(err, ContentError):
        for problem in err.problems:
            print(problem, file=sys.stderr)
        count = len(err.problems)
        print(
            f"csdrill: {count} problem{'s' if count != 1 else ''} in the decks; "
            "fix them (see `csdrill lint`) and try again",
            file=sys.stderr,
        )
        sys.exit(2)
    if isinstance(err, (UsageError, StateError)):
        print(f"csdrill: {err}", file=sys.stderr)
        sys.exit(2)
    print(
        f"csdrill: internal error: {type(err).__name__}: {err}\n"
        "Please report this; set CSDRILL_DEBUG=1 to see the traceback.",
        file=sys.stderr,
    )
    sys.exit(1)
