"""Errors a user can act on, and the one place that turns them into a message and exit code."""

from __future__ import annotations

import contextlib
import errno
import sys

# What a failing write to a stream reports: a full disk or quota, a file too large, a failing device.
_WRITE_ERRORS = frozenset((errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF))


class UsageError(Exception):
    """Bad input from the user (an unknown market, a missing file): exit 2."""


class StateError(Exception):
    """The progress database cannot be used (corrupt, locked, unwritable): exit 2."""


def _say(message: str) -> None:
    """One message on stderr; nothing in it can act on the terminal, and a failing stderr is ignored."""
    from csdrill.safe_text import visible

    with contextlib.suppress(OSError, ValueError):
        print(visible(message), file=sys.stderr)


def report_and_exit(err: Exception) -> None:
    import sqlite3

    from csdrill.content.problems import ContentError
    from csdrill.i18n import _, ngettext

    if isinstance(err, ContentError):
        for problem in err.problems:
            _say(str(problem))
        count = len(err.problems)
        _say("csdrill: " + ngettext(
            "{count} problem in the decks; fix it (see `csdrill lint`) and try again",
            "{count} problems in the decks; fix them (see `csdrill lint`) and try again", count).format(count=count))
        sys.exit(2)
    if isinstance(err, (UsageError, StateError)):
        _say(f"csdrill: {err}")
        sys.exit(2)
    if isinstance(err, sqlite3.Error):  # raised outside the store's own guard: still the database's fault
        _say("csdrill: " + _("the progress database cannot be used: {reason}").format(reason=err))
        sys.exit(2)
    if isinstance(err, OSError):
        if err.filename:
            _say(f"csdrill: {err.filename}: {err.strerror or err}")
        elif err.errno in _WRITE_ERRORS:  # no file named: standard output's, flushed at the end
            _say("csdrill: " + _("cannot write to standard output: {reason}").format(reason=err.strerror or err))
        elif err.errno == errno.ENOENT:  # os.getcwd() is the one call that fails so without a file name
            _say("csdrill: " + _("the current folder no longer exists; change to another folder and try again"))
        else:
            _say(f"csdrill: {err.strerror or err}")
        sys.exit(2)
    _say("csdrill: " + _("internal error: {error}: {detail}\n"
                         "Please report this; set CSDRILL_DEBUG=1 to see the traceback.").format(
        error=type(err).__name__, detail=err))
    sys.exit(1)
