"""A card as an agent sees it: every text shown literally, never parsed as markup."""

from __future__ import annotations

import re

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from csdrill.content.model import Card
from csdrill.content.vocabulary import topic_label
from csdrill.i18n import _


def _row(table: Table, label: str, value: str | None, style: str = "") -> None:
    if value:
        table.add_row(Text(label, style="dim"), Text(value, style=style))


def _register_name(register: str | None) -> str | None:
    names = {"formal": _("formal"), "neutral": _("neutral"), "informal": _("informal")}
    return names.get(register, register) if register else None


def source_line(card: Card) -> Text | None:
    if not card.source:
        return None
    src = card.source
    # One sentence with the title, link and date in their places; each part keeps its own style.
    template = _("Source: {title} {url} (verified {date})")
    styles = {"title": (src.title, "bold"), "url": (src.url, f"link {src.url}"),
              "date": (src.verified.isoformat(), "dim")}
    parts = []
    for index, piece in enumerate(re.split(r"\{(title|url|date)\}", template)):
        parts.append(styles[piece] if index % 2 else (piece, "dim"))
    return Text.assemble(*parts)


def card_panel(card: Card, market_name: str = "") -> Panel:
    """The whole card, front and back, for `csdrill show`."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    if card.kind == "fact":
        _row(table, _("Question"), card.q, "bold")
        _row(table, "中文", card.zh_prompt, "bold")  # the prompt in Chinese, beside the original
        _row(table, _("Answer"), card.a, "green")
        if card.choices:
            _row(table, _("Choices"), " · ".join(card.choices))
        if card.accept:
            _row(table, _("Also accepted"), " · ".join(card.accept))
    elif card.kind == "truefalse":
        _row(table, _("Statement"), card.statement, "bold")
        _row(table, "中文", card.zh_prompt, "bold")
        _row(table, _("Answer"), _("True") if card.truth else _("False"), "green")
    elif card.kind == "phrase":
        _row(table, _("Phrase ({lang})").format(lang=card.lang), card.text, "bold")
        _row(table, _("Meaning"), card.meaning, "green")
        _row(table, _("Register"), _register_name(card.register))
        _row(table, _("When"), card.use)
    else:
        _row(table, _("Situation"), card.situation, "bold")
        _row(table, "中文", card.zh_prompt, "bold")
        for number, option in enumerate(card.options, 1):
            mark = "✓" if option == card.best else " "
            _row(table, f"{mark} {number}", option, "green" if option == card.best else "")
            if number <= len(card.zh_options):
                _row(table, "", card.zh_options[number - 1], "dim")
        _row(table, _("Why"), card.why)
    _row(table, _("Explanation"), card.explain)
    _row(table, "中文", card.zh)
    parts = [table]
    line = source_line(card)
    if line:
        parts.append(line)
    title = Text(f"{card.id} · {market_name or card.market} · {topic_label(card.topic)}", style="bold")
    footer = Text(f"{card.location}", style="dim")
    return Panel(Group(*parts), title=title, subtitle=footer, title_align="left")
