"""Where a typed answer differs from the right one, marked character by character.

The two texts are aligned on the same comparison key the grading uses (csdrill.answers), so what
grading ignores (punctuation, spacing, case, ae for ä, 頂き for いただき) is never marked. Differing
characters are styled and also put in [brackets], so the marks survive NO_COLOR and a pipe;
`[‸]` in the typed answer marks where characters are missing.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from csdrill.answers import comparison_units
from csdrill.i18n import _

MISSING = "‸"
CLOSE_ENOUGH = 0.5  # below this a wrong answer shares too little with the right one to mark


def _marks(typed: str, expected: str) -> tuple[set[int], set[int], set[int], float]:
    """Indices of differing characters in typed and in expected, positions in typed where characters
    are missing, and how much of the key the two share (0 to 1)."""
    from difflib import SequenceMatcher  # only after a typed answer, never before the first card

    got, want = comparison_units(typed), comparison_units(expected)
    matcher = SequenceMatcher(None, [u.char for u in got], [u.char for u in want], autojunk=False)
    typed_marks: set[int] = set()
    expected_marks: set[int] = set()
    missing: set[int] = set()
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(got[i1:i2], want[j1:j2], strict=True))
            continue
        for unit in got[i1:i2]:
            typed_marks.update(range(unit.start, unit.end))
        for unit in want[j1:j2]:
            expected_marks.update(range(unit.start, unit.end))
        if i1 == i2:  # nothing typed where the answer has something
            missing.add(got[i1 - 1].end if i1 else 0)
    # A character only partly matched (ö typed as o: the o matches, the e of "oe" is missing) is
    # marked on both sides, so the typed o is marked opposite the ö rather than a bare caret.
    for got_unit, want_unit in pairs:
        if got_unit.start in typed_marks or want_unit.start in expected_marks:
            typed_marks.update(range(got_unit.start, got_unit.end))
            expected_marks.update(range(want_unit.start, want_unit.end))
    missing = {position for position in missing
               if position not in typed_marks and position - 1 not in typed_marks}
    return typed_marks, expected_marks, missing, matcher.ratio()


def _marked(text: str, marks: set[int], missing: set[int], style: str) -> Text:
    line = Text()
    index = 0
    while index <= len(text):
        if index in missing:
            line.append(f"[{MISSING}]", style=style)
        if index == len(text):
            break
        if index in marks:
            end = index
            while end < len(text) and end in marks:
                end += 1
            line.append("[", style="dim")
            line.append(text[index:end], style=style)
            line.append("]", style="dim")
            index = end
        else:
            line.append(text[index])
            index += 1
    return line


def answer_diff(typed: str, expected: str) -> tuple[Text, Text] | None:
    """The typed answer and the right one, differences marked; None when they share too little."""
    typed_marks, expected_marks, missing, similarity = _marks(typed, expected)
    if similarity < CLOSE_ENOUGH:
        return None
    return (_marked(typed, typed_marks, missing, "bold red underline"),
            _marked(expected, expected_marks, set(), "bold green underline"))


def show_answer_diff(console: Console, typed: str | None, expected: str | None) -> None:
    """Two aligned lines, "You typed" over "Answer", when the typed answer is close to the right one."""
    if not typed or not expected:
        return
    lines = answer_diff(typed, expected)
    if lines is None:
        return
    # A grid keeps a long answer wrapped under itself (folded where a script has no spaces),
    # so the two lines stay comparable at any width.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    typed_line, expected_line = lines
    grid.add_row("  " + _("You typed:"), typed_line)
    grid.add_row("  " + _("Answer:"), expected_line)
    console.print(grid)
