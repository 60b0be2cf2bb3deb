"""The Rich consoles every command prints through (NO_COLOR and pipes are honoured by Rich)."""

from __future__ import annotations

from functools import cache


@cache
def stdout():
    from rich.console import Console

    return Console(highlight=False)


@cache
def stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False)
