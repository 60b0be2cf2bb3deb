"""Which questions an exam asks: a pure function of the quiz, the library and a seed."""

from __future__ import annotations

import random

from csdrill.content.model import Card, Library
from csdrill.content.quizzes import Quiz, quiz_cards
from csdrill.drill.items import PRODUCE, RECALL, Item
from csdrill.drill.questions import Question, make_question


def exam_item(card: Card) -> Item:
    """Phrases are examined by production (meaning → phrase); everything else as written."""
    return Item(card, PRODUCE if card.kind == "phrase" else RECALL)


def exam_mode(quiz: Quiz, card: Card) -> str:
    return quiz.phrases if card.kind == "phrase" else "choice"


def distractor_pool(quiz: Quiz, library: Library) -> list[Card]:
    """Cards whose answers may serve as wrong options: every card of the quiz's markets, by id."""
    cards: dict[str, Card] = {}
    for code in quiz.markets:
        for card in library.market_cards(code):
            cards[card.id] = card
    for card_id in quiz.cards:
        card = library.cards.get(card_id)
        if card:
            cards[card.id] = card
    return sorted(cards.values(), key=lambda c: c.id)


def pick_cards(quiz: Quiz, candidates: list[Card], rng: random.Random) -> list[Card]:
    """Each topic's minimum first, then the rest at random; then shuffled into the exam's order."""
    picked: list[Card] = []
    for topic in sorted(quiz.min_per_topic):
        of_topic = [c for c in candidates if c.topic == topic]
        picked += rng.sample(of_topic, min(quiz.min_per_topic[topic], len(of_topic)))
    taken = {c.id for c in picked}
    rest = [c for c in candidates if c.id not in taken]
    picked += rng.sample(rest, min(max(0, quiz.questions - len(picked)), len(rest)))
    rng.shuffle(picked)
    return picked


def select_questions(quiz: Quiz, library: Library, seed: int) -> list[Question]:
    """The same quiz, library and seed always give the same questions, options and order."""
    rng = random.Random(seed)
    candidates = quiz_cards(quiz.markets, quiz.topics, quiz.cards, library)
    pool = distractor_pool(quiz, library)
    return [make_question(exam_item(card), exam_mode(quiz, card), pool, rng)
            for card in pick_cards(quiz, candidates, rng)]
