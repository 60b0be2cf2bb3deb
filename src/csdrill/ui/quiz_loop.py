"""Running a quiz session in the terminal: ask, grade, save, show feedback; sum up at the end."""

from __future__ import annotations

import random

from rich.console import Console

from csdrill.content.model import Card
from csdrill.drill.items import Item
from csdrill.drill.questions import (
    Outcome,
    Question,
    grade_choice,
    grade_flash,
    grade_typed_answer,
    make_question,
)
from csdrill.drill.session import Session, end_of_tomorrow, humanise_interval
from csdrill.ui import quiz_view
from csdrill.ui.prompts import EndOfInput


def ask(prompts, console: Console, question: Question) -> Outcome:
    if question.mode == "choice":
        if not prompts.shows_options_itself:
            quiz_view.show_options(console, question)
        return grade_choice(question, prompts.choose(question.options))
    if question.mode == "typed":
        return grade_typed_answer(question, prompts.typed(question.hint))
    prompts.reveal()
    quiz_view.show_answer(console, question)
    return grade_flash(prompts.rate())


def run_session(
    session: Session,
    queue: list[Item],
    pool: list[Card],
    mode: str,
    prompts,
    console: Console,
    rng: random.Random,
) -> tuple[bool, bool]:
    """Ask every queued item. Returns (interrupted, input_ended)."""
    interrupted = ended = False
    try:
        for number, item in enumerate(queue, 1):
            question = make_question(item, mode, pool, rng)
            asked_at = session.clock()
            quiz_view.show_question(console, question, number, len(queue), session.is_new(item))
            outcome = ask(prompts, console, question)
            after = session.record(question, outcome, asked_at)
            next_review = humanise_interval(after.due - session.clock())
            quiz_view.show_feedback(console, question, outcome, next_review)
    except KeyboardInterrupt:
        interrupted = True
    except EndOfInput:
        ended = True
    summary = session.finish(end_of_tomorrow(session.clock()))
    quiz_view.show_summary(console, summary, interrupted)
    return interrupted, ended
