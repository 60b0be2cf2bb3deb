"""What the quiz shows: the question, the feedback after an answer, and the session summary.

Card text always goes through `Text`, so `[bold]` typed in a card shows as typed.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group
from rich.table import Table
from rich.text import Text

from csdrill import i18n
from csdrill.drill.items import PRODUCE
from csdrill.drill.questions import Outcome, Question, shown_hint, shown_note, shown_option
from csdrill.drill.session import Summary
from csdrill.i18n import N_, _, ngettext
from csdrill.ui.answer_diff import show_answer_diff
from csdrill.ui.card_view import source_line
from csdrill.ui.wrapping import Paragraph, labelled, wrap_text

TOPIC_LABELS = {"regulation": N_("Regulation"), "etiquette": N_("Etiquette"), "phrase": N_("Phrase"),
                "scenario": N_("Scenario"), "skill": N_("Service skill")}
_chinese_asked = False


def ask_for_chinese(wanted: bool = True) -> None:
    """`--zh`: show each card's Chinese before the answer in the English interface too."""
    global _chinese_asked
    _chinese_asked = wanted


def chinese_lines() -> bool:
    """Whether a card's Chinese (`zh_prompt`, `zh_options`, a phrase's `zh`) is shown with its prompt."""
    return _chinese_asked or i18n.current() == "zh"


def chinese_label() -> str:
    """The label of a card's Chinese gloss: the same word in both interfaces, punctuated as each writes."""
    return "中文：" if i18n.current() == "zh" else "中文:"


def topic_label(topic: str) -> str:
    return _(TOPIC_LABELS[topic]) if topic in TOPIC_LABELS else topic


def chinese_options(question: Question) -> tuple[str, ...]:
    """Each shown option's Chinese (`zh_options`, parallel to the card's options), "" where none."""
    card = question.item.card
    zh_options = getattr(card, "zh_options", ())
    if question.mode != "choice" or card.kind != "scenario" or not zh_options:
        return ()
    originals = list(card.options)
    return tuple(zh_options[originals.index(option)] if option in originals else "" for option in question.options)


def show_question(console: Console, question: Question, number: int, total: int, is_new: bool = False,
                  show_card_id: bool = True, again: bool = False) -> None:
    console.print(question_view(question, number, total, is_new, show_card_id, again))


def question_view(question: Question, number: int, total: int, is_new: bool = False,
                  show_card_id: bool = True, again: bool = False) -> Group:
    """The question's header, prompt and (for a choice) every option. Exams leave out the card id
    and the "new" marker; a card failed earlier in the session and asked again says so."""
    card = question.item.card
    header = Text(f"[{number}/{total}] ", style="dim")
    header.append(topic_label(card.topic), style="cyan")
    if show_card_id:
        header.append(f" · {card.id}", style="dim")
    if again:
        header.append(" · " + _("again: you missed this one earlier in this session"), style="yellow")
    elif is_new:
        header.append(" · " + _("new"), style="yellow")
    parts = [Text(), header]
    if question.hint:
        parts.append(Paragraph(shown_hint(question.hint), style="dim"))
    chinese = chinese_lines()
    if chinese and question.item.direction == PRODUCE and card.zh:
        # Producing a phrase in Chinese mode: the agent reads what to say in Chinese first.
        parts.append(Paragraph(card.zh, style="bold"))
        parts.append(Paragraph(question.prompt, style="dim"))
    else:
        parts.append(Paragraph(question.prompt, style="bold"))
        zh_prompt = getattr(card, "zh_prompt", None)
        if chinese and zh_prompt:
            parts.append(Paragraph(zh_prompt))
    if question.mode == "choice":
        shown = tuple(shown_option(card, option) for option in question.options)
        parts.append(options_view(shown, chinese_options(question) if chinese else ()))
    return Group(*parts)


class NumberedOptions:
    """Numbered options, each wrapped in full with a hanging indent under its number.

    Continuation lines start under the option's text, not under its number, at any console width;
    a word longer than the line is folded, never cut. Nothing is padded, so piped transcripts
    carry no trailing spaces. The interactive prompt and line mode both print through this.
    """

    def __init__(self, options: tuple[str, ...], glosses: tuple[str, ...] = ()):
        self.options = options
        self.glosses = glosses  # a line of Chinese under each option (same indent), "" for none

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        label_width = len(f" {len(self.options)})")
        room = max(8, options.max_width - label_width - 1)
        for number, option in enumerate(self.options, 1):
            label = f"{number})".rjust(label_width)
            for index, line in enumerate(wrap_text(Text(option), room)):
                yield Text.assemble(label if index == 0 else " " * label_width, " ", line)
            gloss = self.glosses[number - 1] if number <= len(self.glosses) else ""
            for line in wrap_text(Text(gloss, style="dim"), room) if gloss else ():
                yield Text.assemble(" " * label_width, " ", line)


def options_view(options: tuple[str, ...], glosses: tuple[str, ...] = ()) -> NumberedOptions:
    return NumberedOptions(options, glosses)


def show_answer(console: Console, question: Question) -> None:
    """The back of a flashcard, before the learner rates it."""
    console.print(labelled(_("Answer:"), question.answer, "green bold"))
    card = question.item.card
    if chinese_lines() and card.zh:  # rated with its meaning understood, not only the English gloss
        console.print(labelled(chinese_label(), card.zh))


def show_feedback(console: Console, question: Question, outcome: Outcome | None, next_review: str) -> None:
    card = question.item.card
    if outcome is not None and question.mode != "flash":
        answer = shown_option(card, question.answer)
        if outcome.correct and not outcome.note:
            console.print(Text("✓ " + _("Correct"), style="green bold"))
        elif outcome.correct:
            console.print(Text(f"≈ {shown_note(outcome.note)}", style="yellow"))
        else:
            label = labelled(_("Answer:"), answer, "green")
            verdict = _("Not quite.")
            space = "" if verdict.endswith(("。", "！")) else " "  # full-width punctuation carries its space
            label.label = Text.assemble(("✗ " + verdict + space, "red bold"), label.label)
            console.print(label)
        if question.mode == "typed" and (outcome.note or not outcome.correct):
            show_answer_diff(console, outcome.given, outcome.expected)
    if card.kind == "scenario" and card.why:
        console.print(labelled(_("Why:"), card.why))
    if card.kind == "phrase":
        console.print(labelled(f"{card.lang}:", card.text, "bold"))
        console.print(labelled(_("Meaning:"), card.meaning))
        if card.use:
            console.print(labelled(_("When:"), card.use))
    if card.explain:
        console.print(labelled(_("Explanation:"), card.explain))
    if card.zh:
        console.print(labelled(chinese_label(), card.zh))
    line = source_line(card)
    if line:
        console.print(line)
    console.print(Text(_("Next review {when}.").format(when=next_review), style="dim"))


def show_summary(console: Console, summary: Summary, interrupted: bool = False) -> None:
    title = _("Session summary (interrupted)") if interrupted else _("Session summary")
    from rich.cells import cell_len

    # Wide enough for its title: a Chinese title has no space to wrap at and would be cut mid-word.
    table = Table(title=title, show_header=False, title_justify="left", min_width=cell_len(title))
    table.add_column(style="dim")
    table.add_column(justify="right")
    for label, value in ((_("reviewed"), summary.reviewed), (_("correct"), summary.correct),
                         (_("missed and relearned"), summary.relearned), (_("new learned"), summary.new_learned),
                         (_("due tomorrow"), summary.due_tomorrow)):
        table.add_row(label, str(value))
    console.print()
    console.print(table)
    console.print(ngettext("saved {count} answer", "saved {count} answers", summary.saved).format(count=summary.saved))
