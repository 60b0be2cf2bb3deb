"""Running one exam attempt: ask each question, save every answer at once, score at the end.

The runner knows nothing of terminals: `ask` shows a question and returns the learner's Outcome
(or raises ExamInterrupted / KeyboardInterrupt), and `clock` gives the time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from csdrill.content.quizzes import Quiz
from csdrill.drill.questions import Outcome, Question
from csdrill.exam.scoring import Answer, Result, score
from csdrill.store import Store, to_db


class ExamInterrupted(Exception):
    """No more answers can come (end of input): the attempt stays incomplete."""


@dataclass
class Attempt:
    id: int
    user: str
    quiz: Quiz
    seed: int
    started_at: datetime
    answers: list[Answer]
    result: Result | None = None  # None when interrupted
    finished_at: datetime | None = None
    timed_out: bool = False

    @property
    def interrupted(self) -> bool:
        return self.result is None


def run_exam(
    quiz: Quiz,
    questions: list[Question],
    *,
    store: Store,
    user: str,
    seed: int,
    clock: Callable[[], datetime],
    ask: Callable[[int, Question], Outcome],
    learn: Callable[[Question, Outcome, datetime], object] | None = None,
) -> Attempt:
    """Ask every question; record the attempt in `store` after every answer.

    A `time_limit` that runs out ends the exam: an answer given after the deadline does not count,
    and every question not answered in time counts as wrong. Ctrl-C (KeyboardInterrupt) or
    ExamInterrupted leaves the attempt recorded as incomplete, never as a score.
    """
    started = clock()
    attempt_id = store.start_attempt(user, quiz.id, quiz.content_hash, seed, quiz.pass_mark, started)
    attempt = Attempt(attempt_id, user, quiz, seed, started, [])
    deadline = started + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None
    try:
        for number, question in enumerate(questions, 1):
            if deadline and clock() >= deadline:
                attempt.timed_out = True
                break
            asked_at = clock()
            outcome = ask(number, question)
            answered_at = clock()
            if deadline and answered_at > deadline:
                attempt.timed_out = True
                break
            attempt.answers.append(Answer.of(number, question, outcome, to_db(answered_at)))
            store.save_attempt_answers(attempt_id, [a.to_dict() for a in attempt.answers])
            if learn is not None:
                learn(question, outcome, asked_at)
    except (KeyboardInterrupt, ExamInterrupted):
        return attempt
    for number, question in enumerate(questions[len(attempt.answers):], len(attempt.answers) + 1):
        attempt.answers.append(Answer.of(number, question, None, None))
    attempt.result = score(attempt.answers, quiz.pass_mark)
    attempt.finished_at = clock()
    store.finish_attempt(attempt_id, attempt.finished_at, attempt.result.score, attempt.result.passed,
                         attempt.result.by_topic, [a.to_dict() for a in attempt.answers])
    return attempt
