"""Text from outside (decks, quizzes, markets.yaml, user names, the database) made safe to print.

A terminal obeys control characters: ESC starts sequences that clear the screen, set the window
title or plant hyperlinks, and the C1 controls (U+0080-U+009F) do the same on many terminals. Rich
drops only a few of them. Every such character is shown as a visible escape (`\\x1b`) instead, so a
hostile deck or user name cannot act on the terminal, and the reader still sees that it was there.
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, and lone surrogates (bytes Python could not
# decode in argv or the environment, which no stream can encode).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape: show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character (but TAB and newline) shown as a visible escape."""
    return _UNSAFE.sub(_escape, text)


def is_safe(text: str) -> bool:
    """True when `text` has nothing that `visible` would change."""
    return _UNSAFE.search(text) is None
