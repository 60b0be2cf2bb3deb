"""What the quiz shows: the question, the feedback after an answer, and the session summary.

Card text always goes through `Text`, so `[bold]` typed in a card shows as typed.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group
from rich.table import Table
from rich.text import Text

from csdrill.drill.questions import Outcome, Question
from csdrill.drill.session import Summary
from csdrill.ui.answer_diff import show_answer_diff
from csdrill.ui.card_view import source_line

TOPIC_LABELS = {"regulation": "Regulation", "etiquette": "Etiquette", "phrase": "Phrase",
                "scenario": "Scenario", "skill": "Service skill"}


def show_question(console: Console, question: Question, number: int, total: int, is_new: bool = False,
                  show_card_id: bool = True, again: bool = False) -> None:
    console.print(question_view(question, number, total, is_new, show_card_id, again))


def question_view(question: Question, number: int, total: int, is_new: bool = False,
                  show_card_id: bool = True, again: bool = False) -> Group:
    """The question's header, prompt and (for a choice) every option. Exams leave out the card id
    and the "new" marker; a card failed earlier in the session and asked again says so."""
    card = question.item.card
    header = Text(f"[{number}/{total}] ", style="dim")
    header.append(TOPIC_LABELS.get(card.topic, card.topic), style="cyan")
    if show_card_id:
        header.append(f" · {card.id}", style="dim")
    if again:
        header.append(" · again: you missed this one earlier in this session", style="yellow")
    elif is_new:
        header.append(" · new", style="yellow")
    parts = [Text(), header]
    if question.hint:
        parts.append(Text(question.hint, style="dim"))
    parts.append(Text(question.prompt, style="bold"))
    if question.mode == "choice":
        parts.append(options_view(question.options))
    return Group(*parts)


class NumberedOptions:
    """Numbered options, each wrapped in full with a hanging indent under its number.

    Continuation lines start under the option's text, not under its number, at any console width;
    a word longer than the line is folded, never cut. Nothing is padded, so piped transcripts
    carry no trailing spaces. The interactive prompt and line mode both print through this.
    """

    def __init__(self, options: tuple[str, ...]):
        self.options = options

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        label_width = len(f" {len(self.options)})")
        room = max(8, options.max_width - label_width - 1)
        for number, option in enumerate(self.options, 1):
            label = f"{number})".rjust(label_width)
            for index, line in enumerate(Text(option).wrap(console, room, overflow="fold")):
                line.rstrip()
                yield Text.assemble(label if index == 0 else " " * label_width, " ", line)


def options_view(options: tuple[str, ...]) -> NumberedOptions:
    return NumberedOptions(options)


def show_options(console: Console, question: Question) -> None:
    console.print(options_view(question.options))


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
                         ("missed and relearned", summary.relearned), ("new learned", summary.new_learned),
                         ("due tomorrow", summary.due_tomorrow)):
        table.add_row(label, str(value))
    console.print()
    console.print(table)
    console.print(f"saved {summary.saved} answer{'s' if summary.saved != 1 else ''}")
