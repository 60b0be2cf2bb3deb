"""Asking the learner: single-key prompts in a terminal, or plain numbered lines from a pipe.

Both print nothing of the card themselves (the views print the question and every option in full
first) and raise `EndOfInput` when no more answers can come, so a session never hangs. Either
kind of prompt ends a session the same way: KeyboardInterrupt (Ctrl-C, or `q`/Esc in a terminal).
"""

from __future__ import annotations

import sys
from typing import TextIO

from csdrill.drill.truth import read_truth
from csdrill.errors import UsageError
from csdrill.i18n import N_, _
from csdrill.safe_text import visible

RATING_CHOICES = (N_("Again"), N_("Hard"), N_("Good"), N_("Easy"))
YES_WORDS = frozenset({"y", "yes", "j", "ja", "o", "oui", "s", "si", "sí", "sim", "是", "好", "对", "はい"})


class EndOfInput(Exception):
    """stdin is exhausted: end the session cleanly, after saving."""


NOT_A_NUMBER = N_("input line {line}: {text} is not a number from 1 to {count}; the answers before it are saved")
NOT_TRUE_OR_FALSE = N_("input line {line}: {text} is neither true nor false (true/false, yes/no, 1/2); "
                       "the answers before it are saved")
ASK_NUMBER_AGAIN = N_("Please answer with a number from 1 to {count}.")
ASK_TRUTH_AGAIN = N_("Please answer true or false (also yes/no, 1/2).")
RATING_LINE = N_("How well did you know it? 1 Again · 2 Hard · 3 Good · 4 Easy: ")


class UnusableAnswer(UsageError):
    """A script's answer line that cannot be an answer: stop (exit 2) rather than shift every later line."""

    def __init__(self, line_number: int, message: str):
        self.line_number = line_number
        super().__init__(message)


class LinePrompts:
    """For pipes and scripts: one answer per line; numbers for options and ratings (1-4).

    From a script an unusable line is an error naming the line: asking again would take the next
    line as this answer and shift every later one. From a person at a terminal (stdin a tty while
    stdout is piped) it asks again.
    """

    def __init__(self, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout):
        self.stdin, self.stdout = stdin, stdout
        self.lines_read = 0
        self.scripted = not _isatty(stdin)

    def _line(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise EndOfInput
        self.lines_read += 1
        answer = line.rstrip("\r\n")
        if self.scripted:  # echo piped answers so the transcript reads like a session
            self.stdout.write(visible(answer) + "\n")  # a piped line may carry escape sequences
        return answer

    def _unusable(self, error: str, ask_again: str, text: str, **values) -> None:
        """`error` and `ask_again` are whole sentences with named placeholders (ready for gettext)."""
        if self.scripted:
            raise UnusableAnswer(self.lines_read, _(error).format(line=self.lines_read, text=repr(text), **values))
        self.stdout.write(_(ask_again).format(**values) + "\n")

    def _number(self, prompt: str, count: int) -> int:
        while True:
            text = self._line(prompt).strip()
            if text.isascii() and text.isdigit() and len(text) <= len(str(count)) and 1 <= int(text) <= count:
                return int(text) - 1
            self._unusable(NOT_A_NUMBER, ASK_NUMBER_AGAIN, text, count=count)

    def discard_typeahead(self) -> None:
        """Lines typed ahead are a script's next answers: keep them."""

    def show(self, console, renderable) -> None:
        console.print(renderable)

    def choose(self, options: tuple[str, ...]) -> int:
        return self._number(_("Answer (1-{count}): ").format(count=len(options)), len(options))

    def typed(self, hint: str) -> str:
        return self._line("> ")

    def true_or_false(self, hint: str) -> bool:
        while True:
            text = self._line("> ").strip()
            value = read_truth(text)
            if value is not None:
                return value
            self._unusable(NOT_TRUE_OR_FALSE, ASK_TRUTH_AGAIN, text)

    def reveal(self) -> None:
        self._line(_("Press Enter to show the answer "))

    def rate(self) -> int:
        return self._number(_(RATING_LINE), 4) + 1

    def confirm(self, question: str) -> bool:
        return self._line(_("{question} [y/N] ").format(question=question)).strip().casefold() in YES_WORDS


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def prompts_for_terminal():
    """Interactive prompts when both ends are a terminal; plain lines otherwise."""
    if _isatty(sys.stdin) and _isatty(sys.stdout):
        from csdrill.ui.keys import KeyPrompts

        return KeyPrompts()
    return LinePrompts()
