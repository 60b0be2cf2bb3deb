"""What the quiz shows: the question, the feedback after an answer, and the session summary.

Card text always goes through `Text`, so `[bold]` typed in a card shows as typed.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from csdrill.drill.questions import Outcome, Question
from csdrill.drill.session import Summary
from csdrill.ui.answer_diff import show_answer_diff
from csdrill.ui.card_view import source_line

TOPIC_LABELS = {"regulation": "Regulation", "etiquette": "Etiquette", "phrase": "Phrase",
                "scenario": "Scenario", "skill": "Service skill"}


def show_question(console: Console, question: Question, number: int, total: int, is_new: bool = False,
                  show_card_id: bool = True) -> None:
    """The question's header and prompt. Exams leave out the card id and the "new" marker."""
    card = question.item.card
    header = Text(f"[{number}/{total}] ", style="dim")
    header.append(TOPIC_LABELS.get(card.topic, card.topic), style="cyan")
    if show_card_id:
        header.append(f" · {card.id}", style="dim")
    if is_new:
        header.append(" · new", style="yellow")
    console.print()
    console.print(header)
    if question.hint:
        console.print(Text(question.hint, style="dim"))
    console.print(Text(question.prompt, style="bold"))


def show_options(console: Console, question: Question) -> None:
    for number, option in enumerate(question.options, 1):
        line = Text(f"  {number}) ", style="dim")
        line.append(option)
        console.print(line)


def show_answer(console: Console, question: Question) -> None:
    """The back of a flashcard, before the learner rates it."""
    console.print(Text.assemble(("Answer: ", "dim"), (question.answer, "green bold")))


def show_feedback(console: Console, question: Question, outcome: Outcome | None, next_review: str) -> None:
    card = question.item.card
    if outcome is not None and question.mode != "flash":
        if outcome.correct and not outcome.note:
            console.print(Text("✓ Correct", style="green bold"))
        elif outcome.correct:
            console.print(Text(f"≈ {outcome.note}", style="yellow"))
        else:
            console.print(Text.assemble(("✗ Not quite. ", "red bold"), ("Answer: ", "dim"),
                                        (question.answer, "green")))
        if question.mode == "typed" and (outcome.note or not outcome.correct):
            show_answer_diff(console, outcome.given, outcome.expected)
    if card.kind == "scenario" and card.why:
        console.print(Text.assemble(("Why: ", "dim"), card.why))
    if card.kind == "phrase":
        console.print(Text.assemble((f"{card.lang}: ", "dim"), (card.text, "bold")))
        console.print(Text.assemble(("Meaning: ", "dim"), card.meaning))
        if card.use:
            console.print(Text.assemble(("When: ", "dim"), card.use))
    if card.explain:
        console.print(Text.assemble(("Explanation: ", "dim"), card.explain))
    if card.zh:
        console.print(Text.assemble(("中文: ", "dim"), card.zh))
    line = source_line(card)
    if line:
        console.print(line)
    console.print(Text(f"Next review {next_review}.", style="dim"))


def show_summary(console: Console, summary: Summary, interrupted: bool = False) -> None:
    table = Table(title="Session summary" + (" (interrupted)" if interrupted else ""),
                  show_header=False, title_justify="left")
    table.add_column(style="dim")
    table.add_column(justify="right")
    for label, value in (("reviewed", summary.reviewed), ("correct", summary.correct),
                         ("new learned", summary.new_learned), ("due tomorrow", summary.due_tomorrow)):
        table.add_row(label, str(value))
    console.print()
    console.print(table)
    console.print(f"saved {summary.saved} answer{'s' if summary.saved != 1 else ''}")
