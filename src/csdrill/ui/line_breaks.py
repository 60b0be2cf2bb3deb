"""Where a line may break in Chinese (and Japanese, Korean) text: between any two wide characters, but
never before closing punctuation (，。）…) nor after opening punctuation (（“《…).

Rich breaks lines only at spaces, so a Chinese sentence, which has none, is pushed whole to the next
line and then cut or ended with "…" — in typer's help tables as much as in csdrill's own views.
`allow_breaks_between_wide_characters` teaches Rich's word splitter the rule above; for text without
wide characters its words are exactly Rich's own, so English wraps as before.
"""

from __future__ import annotations

import re

WIDE = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
        "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6")
CLOSING = "，。、；：？！）」』”’》〉】…"
OPENING = "（「『“‘《〈【"
# A "word" as Rich's wrapper sees it: one wide character, or a run of other non-space characters, with
# the closing punctuation after it, the opening punctuation before it and the spaces around it.
WORD = re.compile(rf"\s*[{OPENING}]*(?:[{WIDE}]|[^\s{WIDE}]+)[{CLOSING}]*\s*")


def allow_breaks_between_wide_characters() -> None:
    """Make Rich (and so typer's help) break lines between Chinese characters, for this process."""
    from rich import _wrap
    from rich.text import Text

    _wrap.re_word = WORD
    Text.rstrip_end = _rstrip_end


def _rstrip_end(self, size: int) -> None:
    """Rich's Text.rstrip_end measured in cells, not characters: otherwise the space at the end of a
    wrapped line holding wide characters stays, the line is one cell too wide and ends in "…"."""
    from rich.cells import cell_len

    excess = cell_len(self.plain) - size
    if excess > 0:
        trailing = len(self.plain) - len(self.plain.rstrip())
        if trailing:
            self.right_crop(min(trailing, excess))
