"""A card as an agent sees it: every text shown literally, never parsed as markup."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from csdrill.content.model import Card


def _row(table: Table, label: str, value: str | None, style: str = "") -> None:
    if value:
        table.add_row(Text(label, style="dim"), Text(value, style=style))


def source_line(card: Card) -> Text | None:
    if not card.source:
        return None
    src = card.source
    return Text.assemble(
        ("Source: ", "dim"), (src.title, "bold"), " ", (src.url, f"link {src.url}"),
        (f" (verified {src.verified.isoformat()})", "dim"),
    )


def card_panel(card: Card, market_name: str = "") -> Panel:
    """The whole card, front and back, for `csdrill show`."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    if card.kind == "fact":
        _row(table, "Question", card.q, "bold")
        _row(table, "Answer", card.a, "green")
        if card.choices:
            _row(table, "Choices", " · ".join(card.choices))
        if card.accept:
            _row(table, "Also accepted", " · ".join(card.accept))
    elif card.kind == "truefalse":
        _row(table, "Statement", card.statement, "bold")
        _row(table, "Answer", card.answer, "green")
    elif card.kind == "phrase":
        _row(table, f"Phrase ({card.lang})", card.text, "bold")
        _row(table, "Meaning", card.meaning, "green")
        _row(table, "Register", card.register)
        _row(table, "When", card.use)
    else:
        _row(table, "Situation", card.situation, "bold")
        for number, option in enumerate(card.options, 1):
            mark = "✓" if option == card.best else " "
            _row(table, f"{mark} {number}", option, "green" if option == card.best else "")
        _row(table, "Why", card.why)
    _row(table, "Explanation", card.explain)
    _row(table, "中文", card.zh)
    parts = [table]
    line = source_line(card)
    if line:
        parts.append(line)
    title = Text(f"{card.id} · {market_name or card.market} · {card.topic}", style="bold")
    footer = Text(f"{card.location}", style="dim")
    return Panel(Group(*parts), title=title, subtitle=footer, title_align="left")
