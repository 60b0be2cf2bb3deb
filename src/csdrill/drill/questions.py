"""Turning a study item into a question in a mode, and grading the learner's answer."""

from __future__ import annotations

import random
from dataclasses import dataclass

from csdrill.answers import grade_typed, normalise
from csdrill.content.model import Card
from csdrill.drill.items import PRODUCE, RECOGNISE, Item
from csdrill.drill.scheduling import AGAIN, GOOD, HARD
from csdrill.i18n import N_, _

# A question's hint, note and true/false options are kept in English in the question and in what is
# recorded (exam JSON, the review log's answers), and translated where they are shown.
RECOGNISE_HINT = N_("What does this phrase mean?")
PRODUCE_HINT = N_("Say it in {lang}:")
TRUTH_HINT = N_("True or false?")
SCENARIO_HINT = N_("Which reply is best?")
TYPED_HINT = N_("Type the answer:")
NEAR_MISS_NOTE = N_("almost right, counted as Hard.")
TRUTH_LABELS = {"True": N_("True"), "False": N_("False")}

MODES = ("auto", "flash", "choice", "typed")
TRUE_FALSE = ("True", "False")


@dataclass(frozen=True)
class Question:
    item: Item
    mode: str  # flash | choice | typed
    prompt: str
    hint: str  # what the learner is asked to do
    answer: str  # the right answer, as shown afterwards
    options: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    lang: str | None = None  # language the learner reads or types

    @property
    def correct_index(self) -> int | None:
        return self.options.index(self.answer) if self.options else None


@dataclass(frozen=True)
class Outcome:
    rating: int
    correct: bool
    given: str | None
    note: str = ""  # e.g. that a near miss counts as Hard
    expected: str | None = None  # for a typed answer: the accepted answer it was compared with


def pick_mode(item: Item, requested: str) -> str:
    """`auto`: choices for scenarios, true/false and cards with choices; typing to produce a phrase;
    flashcards for the rest. A requested mode that cannot work for the card falls back sensibly."""
    card = item.card
    if requested == "auto":
        if card.kind in ("scenario", "truefalse") or card.choices:
            return "choice"
        if item.direction == PRODUCE:
            return "typed"
        return "flash"
    if requested == "typed" and (card.kind == "scenario" or item.direction == RECOGNISE):
        return "choice"  # nobody can type a scenario's paragraph or a free English gloss
    return requested


def _front_and_answer(item: Item) -> tuple[str, str, str, str | None]:
    card = item.card
    if item.direction == RECOGNISE:
        return card.text, card.meaning, RECOGNISE_HINT, card.lang
    if item.direction == PRODUCE:
        return card.meaning, card.text, PRODUCE_HINT.format(lang=card.lang), card.lang
    if card.kind == "truefalse":
        return card.statement, card.answer, TRUTH_HINT, None
    if card.kind == "scenario":
        return card.situation, card.best, SCENARIO_HINT, None
    return card.q, card.a, "", None


def _language(card: Card) -> str | None:
    """A phrase's language without its region: es and es-MX answers read alike to a learner."""
    return card.lang.split("-")[0].casefold() if card.lang else None


def _same_meaning(card: Card, other: Card) -> bool:
    """Two cards that say the same thing: offering one as wrong for the other would be false."""
    pairs = ((card.meaning, other.meaning), (card.zh, other.zh), (card.text, other.text), (card.a, other.a))
    return any(mine and theirs and normalise(mine) == normalise(theirs) for mine, theirs in pairs)


def _length_gap(text: str, answer: str) -> float:
    return abs(len(text) - len(answer)) / max(len(text), len(answer), 1)


def _distractors(item: Item, pool: list[Card], answer: str, rng: random.Random, want: int) -> list[str]:
    """Wrong options a learner cannot see through: answers of other cards of the same kind, topic and
    language, asked the same way, never one that means the same, and as close in length as the pool
    allows (picked at random among the 2 × `want` closest, so the same few do not always come)."""
    card = item.card
    seen = {normalise(answer)}
    candidates = []
    for other in pool:
        if (other.id == card.id or other.kind != card.kind or other.topic != card.topic
                or _language(other) != _language(card) or _same_meaning(card, other)):
            continue
        text = _front_and_answer(Item(other, item.direction))[1]
        if text and normalise(text) not in seen:
            seen.add(normalise(text))
            candidates.append(text)
    rng.shuffle(candidates)  # equally close candidates come in a random order
    candidates.sort(key=lambda text: _length_gap(text, answer))
    closest = candidates[:2 * want]
    return rng.sample(closest, min(want, len(closest)))


def make_question(item: Item, mode: str, pool: list[Card], rng: random.Random) -> Question:
    """`pool` is the market's cards, for distractors when a card has no choices of its own."""
    mode = pick_mode(item, mode)
    prompt, answer, hint, lang = _front_and_answer(item)
    card = item.card
    accept = card.accept if item.direction in (PRODUCE, "recall") else ()
    options: tuple[str, ...] = ()
    if mode == "choice":
        if card.kind == "truefalse":
            options = TRUE_FALSE
        elif card.kind == "scenario":
            options = tuple(rng.sample(card.options, len(card.options)))
        elif card.choices and item.direction == "recall":
            options = tuple(rng.sample(card.choices, len(card.choices)))
        else:
            distractors = _distractors(item, pool, answer, rng, 3)
            if not distractors:
                mode = "typed" if item.direction == PRODUCE or card.kind == "fact" else "flash"
            else:
                options = tuple(rng.sample([answer, *distractors], len(distractors) + 1))
    if mode == "typed" and not hint:
        hint = TYPED_HINT
    return Question(item, mode, prompt, hint, answer, options, accept, lang)


def grade_choice(question: Question, picked: int) -> Outcome:
    correct = picked == question.correct_index
    return Outcome(GOOD if correct else AGAIN, correct, question.options[picked])


def grade_typed_answer(question: Question, typed: str) -> Outcome:
    if question.item.card.kind == "truefalse":
        word = normalise(typed)
        truth = {"true": "True", "t": "True", "yes": "True", "false": "False", "f": "False", "no": "False"}
        correct = truth.get(word) == question.answer
        return Outcome(GOOD if correct else AGAIN, correct, typed)
    verdict = grade_typed(typed, question.answer, question.accept)
    if verdict.outcome == "exact":
        return Outcome(GOOD, True, typed, expected=verdict.expected)
    if verdict.outcome == "near":
        return Outcome(HARD, True, typed, NEAR_MISS_NOTE, verdict.expected)
    return Outcome(AGAIN, False, typed, expected=verdict.expected)


def grade_flash(rating: int) -> Outcome:
    return Outcome(rating, rating > AGAIN, None)


LANGUAGE_NAMES = {"ar": N_("Arabic"), "de": N_("German"), "en": N_("English"), "es": N_("Spanish"),
                  "fr": N_("French"), "id": N_("Indonesian"), "it": N_("Italian"), "ja": N_("Japanese"),
                  "pt": N_("Portuguese"), "zh": N_("Chinese")}
# Shown only in a translated interface, where a language code alone means little; English keeps PRODUCE_HINT.
PRODUCE_HINT_NAMED = N_("Say it in {language} ({lang}):")


def shown_hint(hint: str) -> str:
    """A recorded hint (English, as in exam JSON) in the interface language."""
    from csdrill import i18n

    prefix, suffix = PRODUCE_HINT.split("{lang}")
    if hint.startswith(prefix) and hint.endswith(suffix) and len(hint) > len(prefix) + len(suffix):
        lang = hint[len(prefix):-len(suffix)]
        name = LANGUAGE_NAMES.get(lang.split("-")[0])
        if name and i18n.current() != "en":
            return _(PRODUCE_HINT_NAMED).format(language=_(name), lang=lang)
        return _(PRODUCE_HINT).format(lang=lang)
    return _(hint) if hint else hint


def shown_note(note: str) -> str:
    return _(note) if note else note


def shown_option(card: Card, text: str | None) -> str | None:
    """A true/false card's "True"/"False" in the interface language; any other text as it is."""
    if card.kind == "truefalse" and text in TRUTH_LABELS:
        return _(TRUTH_LABELS[text])
    return text
