"""Asking the learner: questionary in a terminal, or plain numbered lines from a pipe.

Both raise `EndOfInput` when no more answers can come, so a session never hangs.
"""

from __future__ import annotations

import sys
from typing import TextIO

RATING_CHOICES = ("Again", "Hard", "Good", "Easy")


class EndOfInput(Exception):
    """stdin is exhausted: end the session cleanly, after saving."""


class LinePrompts:
    """For pipes and scripts: one answer per line; numbers for options and ratings (1-4)."""

    shows_options_itself = False

    def __init__(self, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout):
        self.stdin, self.stdout = stdin, stdout

    def _line(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise EndOfInput
        answer = line.rstrip("\r\n")
        if not self.stdin.isatty():  # echo piped answers so the transcript reads like a session
            self.stdout.write(answer + "\n")
        return answer

    def _number(self, prompt: str, count: int) -> int:
        while True:
            text = self._line(prompt).strip()
            if text.isdigit() and 1 <= int(text) <= count:
                return int(text) - 1
            self.stdout.write(f"Please answer with a number from 1 to {count}.\n")

    def choose(self, options: tuple[str, ...]) -> int:
        return self._number(f"Answer (1-{len(options)}): ", len(options))

    def typed(self, hint: str) -> str:
        return self._line("> ")

    def reveal(self) -> None:
        self._line("Press Enter to show the answer ")

    def rate(self) -> int:
        return self._number("How well did you know it? 1 Again · 2 Hard · 3 Good · 4 Easy: ", 4) + 1

    def confirm(self, question: str) -> bool:
        return self._line(f"{question} [y/N] ").strip().lower() in ("y", "yes")


class InteractivePrompts:
    """questionary prompts: arrow keys or number keys, Enter to confirm; Ctrl-C interrupts."""

    shows_options_itself = True

    def __init__(self):
        import questionary

        self.q = questionary

    def _ask(self, question):
        # unsafe_ask lets Ctrl-C through as KeyboardInterrupt, so the session can save and sum up.
        try:
            return question.unsafe_ask()
        except EOFError:
            raise EndOfInput from None

    def choose(self, options: tuple[str, ...]) -> int:
        choices = [self.q.Choice(title=option, value=index) for index, option in enumerate(options)]
        return self._ask(self.q.select("Your answer:", choices=choices, use_shortcuts=True,
                                       instruction="(number or arrows, then Enter)"))

    def typed(self, hint: str) -> str:
        return self._ask(self.q.text(hint or "Your answer:"))

    def reveal(self) -> None:
        self._ask(self.q.press_any_key_to_continue("Press any key to show the answer"))

    def rate(self) -> int:
        choices = [self.q.Choice(title=name, value=index + 1) for index, name in enumerate(RATING_CHOICES)]
        return self._ask(self.q.select("How well did you know it?", choices=choices, use_shortcuts=True,
                                       default=choices[2]))

    def confirm(self, question: str) -> bool:
        return bool(self._ask(self.q.confirm(question, default=False)))


def prompts_for_terminal():
    """Interactive prompts when both ends are a terminal; plain lines otherwise."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return InteractivePrompts()
    return LinePrompts()
