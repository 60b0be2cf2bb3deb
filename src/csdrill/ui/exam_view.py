"""What an exam shows: the header, each question (no feedback), then the result and what was missed.

Card text always goes through `Text`, so markup typed in a card shows as typed.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from csdrill.content.quizzes import Quiz
from csdrill.drill.questions import shown_hint
from csdrill.exam.runner import Attempt
from csdrill.exam.scoring import Answer
from csdrill.i18n import N_, _, ngettext
from csdrill.ui.quiz_view import topic_label
from csdrill.ui.wrapping import Paragraph


def show_intro(console: Console, quiz: Quiz, count: int, seed: int) -> None:
    console.print(Text(quiz.title, style="bold"))
    line = ngettext("{count} question · pass mark {pass_mark}% · seed {seed}",
                    "{count} questions · pass mark {pass_mark}% · seed {seed}", count).format(
        count=count, pass_mark=quiz.pass_mark, seed=seed)
    if quiz.time_limit:
        line += " · " + _("time limit {minutes} min (unanswered questions count as wrong)").format(
            minutes=quiz.time_limit)
    console.print(Text(line, style="dim"))
    console.print(Text(_("No feedback until the end. Ctrl-C, q or Esc stops the exam "
                         "(it is then recorded as incomplete)."), style="dim"))


def show_result(console: Console, attempt: Attempt, cards: dict | None = None) -> None:
    """`cards` (by id) lets a missed question show its Chinese and true/false words in the UI's language."""
    result = attempt.result
    console.print()
    if attempt.timed_out:
        console.print(Text(_("Time is up: questions not answered in time count as wrong."), style="yellow"))
    score = _("Score: {score}%").format(score=f"{result.score:g}")
    detail = _("({correct}/{total} right, pass mark {pass_mark}%)").format(
        correct=result.correct, total=len(result.answers), pass_mark=f"{result.pass_mark:g}")
    # Full-width brackets carry their own space; ASCII ones need one either side.
    space = "" if detail.startswith("（") else " "
    verdict = Text.assemble(
        (score, "bold"), space, detail, space,
        (_("PASSED"), "green bold") if result.passed else (_("FAILED"), "red bold"),
    )
    console.print(verdict)
    table = Table(title=_("By topic"), title_justify="left")
    table.add_column(_("topic"))
    for column in (_("right"), _("questions"), _("score")):
        table.add_column(column, justify="right")
    for topic, entry in result.by_topic.items():
        table.add_row(topic_label(topic), str(entry["correct"]), str(entry["total"]), f"{entry['score']:g}%")
    console.print(table)
    if result.missed:
        console.print(Text(_("Missed questions"), style="bold"))
    for answer in result.missed:
        console.print(missed_question(answer, (cards or {}).get(answer.card_id)))
    console.print(Text(_("Recorded as attempt {attempt} for {user}.").format(attempt=attempt.id, user=attempt.user),
                       style="dim"))


def missed_question(answer: Answer, card=None) -> Table:
    """One missed question as a lesson: what was asked (with its context), the given and the right
    answer, and why. Indented as a block so long answers wrap under their label. With `card` in
    Chinese mode, the card's `zh_prompt` follows the question."""
    from csdrill.drill.questions import shown_option
    from csdrill.ui.quiz_view import chinese_label, chinese_lines

    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    if answer.hint:
        grid.add_row(f"{answer.number}.", Paragraph(shown_hint(answer.hint), style="dim"))
        grid.add_row("", Paragraph(answer.question, style="bold"))
    else:
        grid.add_row(f"{answer.number}.", Paragraph(answer.question, style="bold"))
    if card is not None and chinese_lines() and getattr(card, "zh_prompt", None):
        grid.add_row("", Paragraph(card.zh_prompt))
    given = _("(not answered)") if answer.given is None else answer.given
    right = answer.answer
    if card is not None:
        given, right = shown_option(card, given), shown_option(card, right)
    lines = Table.grid(padding=(0, 1), pad_edge=False)
    lines.add_column(no_wrap=True, style="dim")
    lines.add_column(overflow="fold")
    lines.add_row(_("Your answer:"), Paragraph(given, style="red"))
    lines.add_row(_("Right answer:"), Paragraph(right, style="green"))
    if answer.explanation:
        lines.add_row(_("Why:"), Paragraph(answer.explanation))
    if card is not None and chinese_lines() and getattr(card, "zh", None):
        lines.add_row(chinese_label(), Paragraph(card.zh))
    grid.add_row("", lines)
    return grid


def show_interrupted(console: Console, attempt: Attempt, total: int) -> None:
    console.print()
    console.print(Text(
        _("interrupted after {answered} of {total} questions: attempt {attempt} is recorded "
          "as incomplete, with no score").format(answered=len(attempt.answers), total=total, attempt=attempt.id),
        style="yellow"))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("passed") if value else _("failed")
    if isinstance(value, str) and is_stored_time(value):
        return f"{value[:10]} {value[11:16]}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def is_stored_time(text: str) -> bool:
    return len(text) == 27 and text[10] == "T" and text.endswith("Z")


COLUMN_TITLES = {
    "quiz": N_("quiz"), "quiz_id": N_("quiz"), "user": N_("user"), "attempts": N_("attempts"),
    "latest_score": N_("latest score"), "latest_passed": N_("latest passed"), "latest_at": N_("latest at"),
    "best_score": N_("best score"), "best_passed": N_("best passed"), "best_at": N_("best at"),
    "started_at": N_("started at"), "status": N_("status"), "score": N_("score"), "passed": N_("passed"),
    "pass_mark": N_("pass mark"),
}
STATUS_WORDS = {"complete": N_("complete"), "incomplete": N_("incomplete")}


def rows_table(title: str, rows: list[dict], columns: tuple[str, ...]) -> Table:
    """A plain table of result rows (scores history, team report): headings and words in the
    interface language, the values as they are."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        keep_whole = column.endswith("_at") or column in ("quiz", "quiz_id")
        heading = _(COLUMN_TITLES[column]) if column in COLUMN_TITLES else column.replace("_", " ")
        # fold: a Chinese heading has no space to wrap at and would otherwise end in "…"
        table.add_column(heading, no_wrap=keep_whole, overflow="ellipsis" if keep_whole else "fold")
    for row in rows:
        table.add_row(*(Text(_(STATUS_WORDS[v]) if c == "status" and v in STATUS_WORDS else _cell(v))
                        for c, v in ((c, row.get(c)) for c in columns)))
    return table
