"""The knowledge-gap tables for a trainer's terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from csdrill.content.vocabulary import topic_label
from csdrill.gaps import as_percent
from csdrill.i18n import _


def render_gaps(console, gaps, mastery, library, learners: int, min_learners: int) -> None:
    if not gaps:
        console.print(Text(_(
            "No card has been met by {minimum} or more learners yet ({learners} in the log); nothing to rank."
        ).format(minimum=min_learners, learners=learners)))
    else:
        table = Table(title=_("Knowledge gaps: {learners} learners, most impact first").format(learners=learners),
                      title_justify="left",
                      expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column(_("card · question"), ratio=3)
        table.add_column(_("learners"), justify="right", no_wrap=True)
        table.add_column(_("1st try"), justify="right", no_wrap=True)
        table.add_column(_("lapses"), justify="right", no_wrap=True)
        table.add_column(_("common wrong answer"), ratio=2)
        for rank, gap in enumerate(gaps, 1):
            card = library.cards[gap.card_id]
            # Text objects, not markup strings: card text is shown literally.
            question = Text(gap.card_id, style="bold")
            question.append("\n" + card.front)
            wrong = Text(gap.common_wrong_answer or "—")
            if gap.common_wrong_count:
                wrong.append(f"  ×{gap.common_wrong_count}", style="dim")
            table.add_row(str(rank), question, str(gap.learners), as_percent(gap.first_try_correct_rate),
                          as_percent(gap.lapse_rate), wrong)
        console.print(table)
        console.print(Text(_("See a card with `csdrill show CARD_ID`."), style="dim"))
    if mastery:
        table = Table(title=_("Mastery per market and topic (stability ≥ 21 days)"), title_justify="left")
        for name, justify in ((_("market"), "left"), (_("topic"), "left"), (_("learners"), "right"),
                              (_("cards met"), "right"), (_("mastered"), "right"), (_("mastery"), "right")):
            table.add_column(name, justify=justify, no_wrap=True)
        for row in mastery:
            name = library.markets[row.market].name if row.market in library.markets else row.market
            table.add_row(Text(name), topic_label(row.topic), str(row.learners), str(row.cards_met), str(row.mastered),
                          as_percent(row.mastery))
        console.print(table)
