"""Terminal prompts on prompt_toolkit (questionary's own base), built for a drill:

- The question and every option are printed in full by the views first (wrapped, scrolling with
  the terminal), so the prompt itself is one line and never hides text, whatever the screen size.
- A number key answers at once. Arrows move a marker and Enter confirms it; a bare Enter with no
  marker does nothing, so the Enter that habitually follows a number cannot answer the next card.
- `q` (where it cannot be part of an answer) and Esc end the session like Ctrl-C.
- Typed answers and the "learn more?" question need Enter, and an empty Enter is ignored.
- Keys typed while feedback was shown are dropped before the next card (`discard_typeahead`).
"""

from __future__ import annotations

import contextlib
import sys
import time

from prompt_toolkit.application import Application
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.shortcuts import PromptSession

from csdrill.drill.truth import read_truth
from csdrill.i18n import N_, _
from csdrill.ui.prompts import ASK_TRUTH_AGAIN, RATING_CHOICES, YES_WORDS, EndOfInput

CHOICE_KEYS = N_("press 1-{count} (or ↑↓ then Enter) · q or Esc stops")
CHOICE_KEYS_SHORT = N_("press 1-{count} · q stops")
CONFIRM = N_("{question} [y/N] then Enter: ")
TYPED_PLACEHOLDER = N_("type the answer, then Enter · Esc stops")
TRUTH_PLACEHOLDER = N_("true or false (yes/no, 1/2), then Enter · Esc stops")
ESC_WAIT = 0.05  # seconds to tell a lone Esc from the start of an arrow key's sequence
# An Enter this soon after a number key answered is the habit of "number, then Enter" (questionary
# needed it), not a request to reveal the next card.
HABIT_ENTER = 0.6
_number_answered_at = float("-inf")


_stop_requested = False


def _stop(event) -> None:
    global _stop_requested
    _stop_requested = True  # also seen by _run when the app was already leaving with another result
    if not event.app.future.done():
        event.app.exit(exception=KeyboardInterrupt())


def _end_of_input(event) -> None:
    event.app.exit(exception=EOFError())


def _run(app: Application):
    global _stop_requested
    app.ttimeoutlen = ESC_WAIT
    _stop_requested = False
    try:
        result = app.run()
    except EOFError:
        raise EndOfInput from None
    if _stop_requested:  # a Ctrl-C that came in while the prompt was already finishing is not lost
        raise KeyboardInterrupt
    return result


def _one_line(get_text, bindings: KeyBindings, erase: bool = False) -> Application:
    control = FormattedTextControl(get_text, show_cursor=False)
    return Application(layout=Layout(Window(control, height=1, dont_extend_height=True)),
                       key_bindings=bindings, full_screen=False, mouse_support=False, erase_when_done=erase)


def _fit(fragments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Cut the prompt line to the screen width with an ellipsis: it only points at an option
    that is printed in full above it."""
    from prompt_toolkit.application.current import get_app
    from prompt_toolkit.utils import get_cwidth

    room = get_app().output.get_size().columns - 1
    fitted, used = [], 0
    for style, text in fragments:
        if used + get_cwidth(text) > room:
            kept = ""
            for char in text:
                if used + get_cwidth(kept + char) > room - 1:
                    break
                kept += char
            fitted.append((style, kept + "…"))
            break
        fitted.append((style, text))
        used += get_cwidth(text)
    return fitted


def pick_number(message: str, labels: tuple[str, ...], keys_hint: str, short_hint: str = "") -> int:
    """Index of the label picked: its number answers at once; arrows then Enter also work."""
    count = len(labels)
    state: dict = {"at": None, "typed": "", "done": False}
    bindings = KeyBindings()

    def answer(event, index: int, by_number: bool = False) -> None:
        global _number_answered_at
        state["at"], state["done"] = index, True
        if by_number:
            _number_answered_at = time.monotonic()
        event.app.exit(result=index)

    for number in range(1, 10):
        @bindings.add(str(number))
        def _digit(event, number=number) -> None:
            if count <= 9:
                if number <= count:
                    answer(event, number - 1, by_number=True)
                return
            # Ten options or more: digits build the number and Enter confirms it.
            typed = state["typed"] + str(number)
            if int(typed) <= count:
                state["typed"], state["at"] = typed, int(typed) - 1

    @bindings.add("0")
    def _zero(event) -> None:
        if count > 9 and state["typed"] and int(state["typed"] + "0") <= count:
            state["typed"] += "0"
            state["at"] = int(state["typed"]) - 1

    @bindings.add("up")
    @bindings.add("left")
    def _up(event) -> None:
        state["typed"] = ""
        state["at"] = count - 1 if state["at"] is None else (state["at"] - 1) % count

    @bindings.add("down")
    @bindings.add("right")
    @bindings.add("tab")
    def _down(event) -> None:
        state["typed"] = ""
        state["at"] = 0 if state["at"] is None else (state["at"] + 1) % count

    @bindings.add("enter")
    def _enter(event) -> None:
        if state["at"] is not None:
            answer(event, state["at"])

    @bindings.add("backspace")
    def _back(event) -> None:
        state["typed"], state["at"] = "", None

    for key in ("q", "escape", "c-c", Keys.SIGINT):
        bindings.add(key, eager=True)(_stop)
    bindings.add("c-d")(_end_of_input)

    def text():
        fragments = [("bold", message), ("", "" if message.endswith("：") else " ")]
        if state["at"] is None:
            from prompt_toolkit.application.current import get_app
            from prompt_toolkit.utils import get_cwidth

            narrow = short_hint and get_app().output.get_size().columns < get_cwidth(message + keys_hint) + 2
            fragments.append(("italic", short_hint if narrow else keys_hint))
        elif state["done"]:
            fragments.append(("bold", f"{state['at'] + 1}) {labels[state['at']]}"))
        else:
            fragments.append(("reverse", f"{state['at'] + 1}) {labels[state['at']]}"))
            fragments.append(("", "  " + _("Enter to confirm")))
        return _fit(fragments)

    return _run(_one_line(text, bindings))


def press_a_key(message: str, erase: bool = False) -> str:
    """Wait for one key and return it; `q`, Esc and Ctrl-C end the session. An Enter right after
    a number key answered the previous prompt is taken as part of that answer and ignored."""
    bindings = KeyBindings()
    # A Ctrl-C that arrives as a signal while the prompt starts comes in as Keys.SIGINT: it must
    # stop the session, not count as the "any key".
    for key in ("q", "escape", "c-c", Keys.SIGINT):
        bindings.add(key, eager=True)(_stop)
    bindings.add("c-d")(_end_of_input)

    @bindings.add("enter")
    def _enter(event) -> None:
        if time.monotonic() - _number_answered_at > HABIT_ENTER:
            event.app.exit(result="\r")

    @bindings.add(Keys.Any)
    @bindings.add(" ")
    def _any(event) -> None:
        event.app.exit(result=event.key_sequence[0].data)

    return _run(_one_line(lambda: [("bold", message)], bindings, erase))


def read_line(message: str, *, allow_empty: bool = False, placeholder: str = "") -> str:
    """A line of text confirmed with Enter; Esc and Ctrl-C end the session."""
    bindings = KeyBindings()
    bindings.add("escape", eager=True)(_stop)
    bindings.add("c-c")(_stop)

    @bindings.add("enter")
    def _enter(event) -> None:
        buffer = event.current_buffer
        if allow_empty or buffer.text.strip():
            buffer.validate_and_handle()

    try:
        return PromptSession(key_bindings=bindings).prompt(
            [("bold", message)], placeholder=[("italic", placeholder)] if placeholder else None)
    except EOFError:
        raise EndOfInput from None


class KeyPrompts:
    """The terminal prompts a quiz and an exam use."""

    def discard_typeahead(self) -> None:
        """Drop keys pressed before this card was shown: they were meant for the previous one."""
        try:
            import termios
        except ImportError:  # Windows: prompt_toolkit reads console events; nothing to drop here
            return
        with contextlib.suppress(termios.error, OSError, ValueError):
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
        # prompt_toolkit keeps keys read together with the last answer ("3⏎") for the next prompt;
        # they belong to the previous card too.
        from prompt_toolkit.input import create_input
        from prompt_toolkit.input.typeahead import clear_typeahead

        with contextlib.suppress(OSError, ValueError):
            clear_typeahead(create_input())

    def show(self, console, renderable) -> None:
        """Print `renderable`; one taller than the screen is shown a screenful at a time, so its
        start is read before it scrolls away (and stays in the terminal's scrollback)."""
        from rich.segment import Segments

        lines = console.render_lines(renderable, console.options, pad=False, new_lines=True)
        page = max(3, console.height - 2)
        if len(lines) <= console.height - 1:
            console.print(renderable)
            return
        for start in range(0, len(lines), page):
            if start:
                press_a_key(_("— more: any key · q stops —"), erase=True)
            console.print(Segments([s for line in lines[start:start + page] for s in line]), end="")

    def choose(self, options: tuple[str, ...]) -> int:
        return pick_number(_("Your answer:"), options, _(CHOICE_KEYS).format(count=len(options)),
                           _(CHOICE_KEYS_SHORT).format(count=len(options)))

    def typed(self, hint: str) -> str:
        return read_line("> ", placeholder=_(TYPED_PLACEHOLDER))

    def true_or_false(self, hint: str) -> bool:
        while True:
            value = read_truth(read_line("> ", placeholder=_(TRUTH_PLACEHOLDER)))
            if value is not None:
                return value
            print(_(ASK_TRUTH_AGAIN), flush=True)

    def reveal(self) -> None:
        press_a_key(_("Press any key to show the answer (q or Esc stops)"))

    def rate(self) -> int:
        return pick_number(_("How well did you know it?"), tuple(_(choice) for choice in RATING_CHOICES),
                           _("1 Again · 2 Hard · 3 Good · 4 Easy")) + 1

    def confirm(self, question: str) -> bool:
        try:
            answer = read_line(_(CONFIRM).format(question=question), allow_empty=True)
        except (KeyboardInterrupt, EndOfInput):
            return False
        return answer.strip().casefold() in YES_WORDS
