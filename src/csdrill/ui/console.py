"""The Rich consoles every command prints through (NO_COLOR and pipes are honoured by Rich).

Whatever a view prints, text that came from outside cannot act on the terminal: every segment of
text (never Rich's own control codes) has its control characters made visible on the way out.
"""

from __future__ import annotations

from functools import cache


@cache
def _console_class():
    from rich.console import Console
    from rich.segment import Segment

    from csdrill.safe_text import is_safe, visible

    class SafeConsole(Console):
        def _render_buffer(self, buffer):
            return super()._render_buffer(
                segment if segment.control or is_safe(segment.text)
                else Segment(visible(segment.text), segment.style, segment.control)
                for segment in buffer
            )

        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; the CLI ends a broken pipe the way other Unix tools end.
            from csdrill.cli.streams import OutputGone

            self.quiet = True
            raise OutputGone()

    return SafeConsole


def safe_console(**options):
    """A Rich Console with these options that shows control characters in text as visible escapes."""
    return _console_class()(**options)


@cache
def stdout():
    return safe_console(highlight=False)


@cache
def stderr():
    return safe_console(stderr=True, highlight=False)
