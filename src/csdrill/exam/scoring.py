"""Scoring an exam: percent right overall and per topic, pass or fail, and what was missed."""

from __future__ import annotations

from dataclasses import dataclass, field

from csdrill.drill.questions import Outcome, Question


@dataclass(frozen=True)
class Answer:
    """One question of an attempt as recorded: what was asked, what was given, whether it counts."""

    number: int
    card_id: str
    direction: str
    topic: str
    mode: str
    question: str
    answer: str  # the right answer
    given: str | None  # None: not answered (time ran out)
    correct: bool
    note: str = ""
    answered_at: str | None = None
    hint: str = ""  # what the learner was asked to do, e.g. "Say it in de:" (the context of `question`)
    explanation: str = ""  # why the right answer is right: the card's `why` and `explain`

    @classmethod
    def of(cls, number: int, question: Question, outcome: Outcome | None, answered_at: str | None) -> Answer:
        card = question.item.card
        return cls(
            number=number, card_id=card.id, direction=question.item.direction, topic=card.topic,
            mode=question.mode, question=question.prompt, answer=question.answer,
            given=outcome.given if outcome else None, correct=bool(outcome and outcome.correct),
            note=outcome.note if outcome else "", answered_at=answered_at, hint=question.hint,
            explanation=explanation_of(card),
        )

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def explanation_of(card) -> str:
    """What teaches the point after a miss: a scenario's `why`, a phrase's `use` (when to say it),
    then the card's `explain`."""
    parts = [getattr(card, "why", None), getattr(card, "use", None), card.explain]
    return " ".join(part.strip() for part in parts if part)


@dataclass(frozen=True)
class Result:
    score: float  # percent, one decimal
    pass_mark: float
    passed: bool
    by_topic: dict = field(default_factory=dict)
    answers: tuple[Answer, ...] = ()

    @property
    def missed(self) -> list[Answer]:
        return [a for a in self.answers if not a.correct]

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)


def percent(right: int, total: int) -> float:
    return round(100 * right / total, 1) if total else 0.0


def score(answers: list[Answer], pass_mark: float) -> Result:
    """Every question counts once; an unanswered one counts as wrong."""
    by_topic: dict[str, dict] = {}
    for answer in answers:
        entry = by_topic.setdefault(answer.topic, {"correct": 0, "total": 0})
        entry["total"] += 1
        entry["correct"] += answer.correct
    for entry in by_topic.values():
        entry["score"] = percent(entry["correct"], entry["total"])
    total = percent(sum(a.correct for a in answers), len(answers))
    return Result(total, pass_mark, total >= pass_mark, dict(sorted(by_topic.items())), tuple(answers))
