"""Wrapping that also breaks between Chinese (and Japanese, Korean) characters.

Rich breaks lines only at spaces, so a Chinese sentence, which has none, is moved whole to the next
line and then cut at the edge. Here a line may also break between two wide characters, as Chinese
typesetting does, but never before closing punctuation (，。）…) nor after opening punctuation
(（“《…); English words still break only at spaces, and a word longer than the line is folded.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.text import Text

_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3" \
        "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
NO_LINE_START = set("，。、；：？！）」』”’》〉】…,.;:?!)]%")
NO_LINE_END = set("（「『“‘《〈【([")


def break_lines(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` wrapped to `width` cells, spaces at the breaks left out."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    start = used = 0
    line_tokens: list[tuple[int, int, str]] = []

    def close(end: int) -> None:
        nonlocal start, used, line_tokens
        lines.append((start, end))
        start, used, line_tokens = end, 0, []

    index = 0
    while index < len(tokens):
        t_start, t_end, token = tokens[index]
        if token.isspace():
            if not line_tokens:  # no spaces at the start of a line
                start = t_end
            else:
                line_tokens.append(tokens[index])
                used += cell_len(token)
            index += 1
            continue
        size = cell_len(token)
        if used + size <= width or not line_tokens:
            if size > width and not line_tokens:  # a word longer than the line: fold it
                cut, cells = t_start, 0
                while cut < t_end and cells + cell_len(text[cut]) <= width:
                    cells += cell_len(text[cut])
                    cut += 1
                cut = max(cut, t_start + 1)
                close(cut)
                tokens[index] = (cut, t_end, text[cut:t_end])
                if cut >= t_end:
                    index += 1
                continue
            line_tokens.append(tokens[index])
            used += size
            index += 1
            continue
        # The token does not fit: break before it, or earlier to keep punctuation with its word.
        break_at = len(line_tokens)
        while break_at > 1 and _starts_badly(line_tokens, break_at, token):
            break_at -= 1
        while break_at > 1 and line_tokens[break_at - 1][2][-1] in NO_LINE_END:
            break_at -= 1
        kept = line_tokens[:break_at]
        while kept and kept[-1][2].isspace():
            kept.pop()
        end = kept[-1][1] if kept else t_start
        carried = line_tokens[break_at:]
        close(end)
        while carried and carried[0][2].isspace():
            carried.pop(0)
        if carried:
            start = carried[0][0]
            line_tokens = carried
            used = sum(cell_len(t[2]) for t in carried)
        else:
            start = t_start
    if line_tokens:
        while line_tokens and line_tokens[-1][2].isspace():
            line_tokens.pop()
        if line_tokens:
            lines.append((start, line_tokens[-1][1]))
    return lines or [(0, 0)]


def _starts_badly(line_tokens: list, at: int, token: str) -> bool:
    """Would a line starting at token `at` (the waiting `token` past the end) start with closing punctuation?"""
    following = line_tokens[at][2] if at < len(line_tokens) else token
    return following[0] in NO_LINE_START and not line_tokens[at - 1][2].isspace()


def wrap_text(text: Text, width: int) -> list[Text]:
    """`text` cut into lines of at most `width` cells, its styles kept."""
    return [text[start:end] for start, end in break_lines(text.plain, width)]


class Paragraph:
    """`text` wrapped to the width, each line after the first indented under the text, not the label."""

    def __init__(self, text: Text | str, label: Text | str = "", style: str = ""):
        self.text = text if isinstance(text, Text) else Text(text, style=style)
        self.label = label if isinstance(label, Text) else Text(label, style="dim")

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        indent = self.label.cell_len
        room = max(8, options.max_width - indent)
        for number, line in enumerate(wrap_text(self.text, room)):
            yield Text.assemble(self.label if number == 0 else " " * indent, line)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.label.cell_len
        whole = indent + self.text.cell_len
        return Measurement(min(whole, indent + 8), whole).with_maximum(options.max_width)


def labelled(label: str, text: Text | str, style: str = "") -> Paragraph:
    """A translated label ("Why:", "原因：") and its text: a space after an ASCII colon only, since the
    full-width colon carries its own space."""
    separator = "" if label.endswith(("：", " ")) else " "
    return Paragraph(text, Text(label + separator, style="dim"), style)
