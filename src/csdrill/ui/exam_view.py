"""What an exam shows: the header, each question (no feedback), then the result and what was missed.

Card text always goes through `Text`, so markup typed in a card shows as typed.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from csdrill.content.quizzes import Quiz
from csdrill.exam.runner import Attempt
from csdrill.exam.scoring import Answer
from csdrill.ui.quiz_view import TOPIC_LABELS


def show_intro(console: Console, quiz: Quiz, count: int, seed: int) -> None:
    console.print(Text(quiz.title, style="bold"))
    line = f"{count} questions · pass mark {quiz.pass_mark}% · seed {seed}"
    if quiz.time_limit:
        line += f" · time limit {quiz.time_limit} min (unanswered questions count as wrong)"
    console.print(Text(line, style="dim"))
    console.print(Text("No feedback until the end. Ctrl-C, q or Esc stops the exam "
                       "(it is then recorded as incomplete).", style="dim"))


def show_result(console: Console, attempt: Attempt) -> None:
    result = attempt.result
    console.print()
    if attempt.timed_out:
        console.print(Text("Time is up: questions not answered in time count as wrong.", style="yellow"))
    verdict = Text.assemble(
        ("Score: ", "bold"), (f"{result.score:g}%", "bold"),
        f" ({result.correct}/{len(result.answers)} right, pass mark {result.pass_mark:g}%) ",
        ("PASSED", "green bold") if result.passed else ("FAILED", "red bold"),
    )
    console.print(verdict)
    table = Table(title="By topic", title_justify="left")
    for column in ("topic", "right", "questions", "score"):
        table.add_column(column, justify="left" if column == "topic" else "right")
    for topic, entry in result.by_topic.items():
        table.add_row(TOPIC_LABELS.get(topic, topic), str(entry["correct"]), str(entry["total"]),
                      f"{entry['score']:g}%")
    console.print(table)
    if result.missed:
        console.print(Text("Missed questions", style="bold"))
    for answer in result.missed:
        console.print(missed_question(answer))
    console.print(Text(f"Recorded as attempt {attempt.id} for {attempt.user}.", style="dim"))


def missed_question(answer: Answer) -> Table:
    """One missed question as a lesson: what was asked (with its context), the given and the right
    answer, and why. Indented as a block so long answers wrap under their label."""
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    if answer.hint:
        grid.add_row(f"{answer.number}.", Text(answer.hint, style="dim"))
        grid.add_row("", Text(answer.question, style="bold"))
    else:
        grid.add_row(f"{answer.number}.", Text(answer.question, style="bold"))
    given = "(not answered)" if answer.given is None else answer.given
    lines = Table.grid(padding=(0, 1), pad_edge=False)
    lines.add_column(no_wrap=True, style="dim")
    lines.add_column(overflow="fold")
    lines.add_row("Your answer:", Text(given, style="red"))
    lines.add_row("Right answer:", Text(answer.answer, style="green"))
    if answer.explanation:
        lines.add_row("Why:", Text(answer.explanation))
    grid.add_row("", lines)
    return grid


def show_interrupted(console: Console, attempt: Attempt, total: int) -> None:
    console.print()
    console.print(Text(
        f"interrupted after {len(attempt.answers)} of {total} questions: attempt {attempt.id} is recorded "
        "as incomplete, with no score", style="yellow"))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "passed" if value else "failed"
    if isinstance(value, str) and is_stored_time(value):
        return f"{value[:10]} {value[11:16]}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def is_stored_time(text: str) -> bool:
    return len(text) == 27 and text[10] == "T" and text.endswith("Z")


def rows_table(title: str, rows: list[dict], columns: tuple[str, ...]) -> Table:
    """A plain table of result rows (scores history, team report)."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        keep_whole = column.endswith("_at") or column in ("quiz", "quiz_id")
        table.add_column(column.replace("_", " "), no_wrap=keep_whole)
    for row in rows:
        table.add_row(*(Text(_cell(row.get(c))) for c in columns))
    return table
