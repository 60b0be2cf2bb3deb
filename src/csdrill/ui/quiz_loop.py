"""Running a quiz session in the terminal: ask, grade, save, show feedback; sum up at the end."""

from __future__ import annotations

import random
from datetime import timedelta

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
    shown_option,
)
from csdrill.drill.queue import LEARN_AHEAD, SessionQueue
from csdrill.drill.scheduling import AGAIN
from csdrill.drill.session import Session, end_of_tomorrow, humanise_interval
from csdrill.drill.truth import truth_label
from csdrill.ui import quiz_view
from csdrill.ui.prompts import EndOfInput, UnusableAnswer


def present(prompts, console: Console, question: Question, number: int, total: int, **marks) -> None:
    """Show the question with every option in full; a terminal pages one taller than the screen."""
    prompts.discard_typeahead()
    prompts.show(console, quiz_view.question_view(question, number, total, **marks))


def ask(prompts, console: Console, question: Question) -> Outcome:
    """Ask the question `present` showed and grade the answer."""
    if question.mode == "choice":
        shown = tuple(shown_option(question.item.card, option) for option in question.options)
        return grade_choice(question, prompts.choose(shown))
    if question.mode == "typed":
        if question.item.card.kind == "truefalse":
            return grade_typed_answer(question, truth_label(prompts.true_or_false(question.hint)))
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
    learn_ahead: timedelta = LEARN_AHEAD,
) -> tuple[bool, bool]:
    """Ask every queued item, and failed ones again once due. Returns (interrupted, input_ended).

    An unusable scripted answer (UnusableAnswer) ends the session with its summary, then is raised.
    """
    interrupted = ended = False
    unusable: UnusableAnswer | None = None
    turns = SessionQueue(queue, learn_ahead)
    try:
        while (turn := turns.next(session.clock())) is not None:
            question = make_question(turn.item, mode, pool, rng)
            asked_at = session.clock()
            present(prompts, console, question, turn.number, turns.total, is_new=session.is_new(turn.item),
                    again=turn.again)
            outcome = ask(prompts, console, question)
            after = session.record(question, outcome, asked_at)
            turns.answered(turn.item, outcome.rating == AGAIN, after.due)
            next_review = humanise_interval(after.due - session.clock())
            quiz_view.show_feedback(console, question, outcome, next_review)
    except KeyboardInterrupt:
        interrupted = True
    except EndOfInput:
        ended = True
    except UnusableAnswer as err:
        unusable = err
    summary = session.finish(end_of_tomorrow(session.clock()))
    quiz_view.show_summary(console, summary, interrupted)
    if unusable is not None:
        raise unusable
    return interrupted, ended
