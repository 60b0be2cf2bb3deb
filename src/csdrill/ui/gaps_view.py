"""The knowledge-gap tables for a trainer's terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def render_gaps(console, gaps, mastery, library, learners: int, min_learners: int) -> None:
    if not gaps:
        console.print(Text(
            f"No card has been met by {min_learners} or more learners yet "
            f"({learners} learner{'s' if learners != 1 else ''} in the log); nothing to rank."))
    else:
        table = Table(title=f"Knowledge gaps: {learners} learners, most impact first", title_justify="left",
                      expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("card · question", ratio=3)
        table.add_column("learners", justify="right", no_wrap=True)
        table.add_column("1st try", justify="right", no_wrap=True)
        table.add_column("lapses", justify="right", no_wrap=True)
        table.add_column("common wrong answer", ratio=2)
        for rank, gap in enumerate(gaps, 1):
            card = library.cards[gap.card_id]
            # Text objects, not markup strings: card text is shown literally.
            question = Text(gap.card_id, style="bold")
            question.append("\n" + card.front)
            wrong = Text(gap.common_wrong_answer or "—")
            if gap.common_wrong_count:
                wrong.append(f"  ×{gap.common_wrong_count}", style="dim")
            table.add_row(str(rank), question, str(gap.learners), _percent(gap.first_try_correct_rate),
                          _percent(gap.lapse_rate), wrong)
        console.print(table)
        console.print(Text("See a card with `csdrill show CARD_ID`.", style="dim"))
    if mastery:
        table = Table(title="Mastery per market and topic (stability ≥ 21 days)", title_justify="left")
        for name, justify in (("market", "left"), ("topic", "left"), ("learners", "right"),
                              ("cards met", "right"), ("mastered", "right"), ("mastery", "right")):
            table.add_column(name, justify=justify, no_wrap=True)
        for row in mastery:
            name = library.markets[row.market].name if row.market in library.markets else row.market
            table.add_row(Text(name), row.topic, str(row.learners), str(row.cards_met), str(row.mastered),
                          _percent(row.mastery))
        console.print(table)
