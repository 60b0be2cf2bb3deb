"""The standard streams made dependable before a command runs, and the end of output handled.

A closed descriptor is plugged with /dev/null, so no file csdrill opens (the progress database)
can take its number and receive output; text that the output encoding cannot carry is replaced,
not fatal; a reader that goes away (`| head`) ends csdrill quietly, as it ends other Unix tools.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys


class OutputGone(Exception):
    """The reader of standard output went away (a broken pipe)."""


def plug_closed_descriptors() -> bool:
    """Open /dev/null on each of descriptors 0-2 that is closed; True when standard output was closed."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:
        spare = os.open(os.devnull, os.O_RDWR)
        if spare != fd:
            os.dup2(spare, fd)
            os.close(spare)
    if 0 in closed:  # reading it gives end of input, which line mode handles as such
        sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    if 1 in closed:
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    if 2 in closed:
        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    return 1 in closed


def tolerate_encodings() -> None:
    """Characters the terminal's encoding lacks (PYTHONIOENCODING=ascii) become '?', undecodable input bytes U+FFFD."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):  # a stream already closed or detached
                reconfigure(errors="replace")


def guard_broken_pipe(callback):
    """Wrap a command so a broken pipe reaches main() as OutputGone.

    Click turns BrokenPipeError into a silent exit 1, which a script cannot tell from a failed check.
    """

    @functools.wraps(callback)
    def guarded(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except BrokenPipeError as err:
            raise OutputGone() from err

    return guarded


def end_as_broken_pipe() -> None:
    """End the way `yes | head` ends `yes`: killed by SIGPIPE, with nothing more printed."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # Python's own flush at exit must not fail again
        os.close(devnull)
    except OSError:
        pass
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    sys.exit(141)  # 128 + SIGPIPE, where there are no signals


def flush_stdout() -> None:
    """Flush standard output now, so a write error (a full disk) is reported, not lost at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()
