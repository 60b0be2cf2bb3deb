"""The content model: markets, decks and cards, as plain immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from csdrill.content.problems import Location
from csdrill.content.vocabulary import TOPICS


@dataclass(frozen=True)
class Market:
    code: str
    name: str
    languages: tuple[str, ...]
    includes: tuple[str, ...] = ()
    pool: bool = False
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str
    verified: date


@dataclass(frozen=True, slots=True)  # slots: 100,000 cards must fit in little memory
class Card:
    """One card. Which optional fields are set depends on `kind`."""

    id: str
    kind: str
    deck: str
    market: str
    topic: str
    location: Location
    tags: tuple[str, ...] = ()
    explain: str | None = None
    zh: str | None = None
    zh_prompt: str | None = None  # the front (question, statement, situation) in Chinese
    source: Source | None = None
    # fact
    q: str | None = None
    a: str | None = None
    choices: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    # true/false
    statement: str | None = None
    truth: bool | None = None
    # phrase
    lang: str | None = None
    text: str | None = None
    meaning: str | None = None
    register: str | None = None
    use: str | None = None
    # scenario
    situation: str | None = None
    options: tuple[str, ...] = ()
    best: str | None = None
    zh_options: tuple[str, ...] = ()  # Chinese for options that are instructions, parallel to options
    why: str | None = None

    @property
    def front(self) -> str:
        """What the learner sees first."""
        if self.kind == "fact":
            return self.q
        if self.kind == "truefalse":
            return self.statement
        if self.kind == "phrase":
            return self.text
        return self.situation

    @property
    def answer(self) -> str:
        """The right answer, as text."""
        if self.kind == "fact":
            return self.a
        if self.kind == "truefalse":
            return "True" if self.truth else "False"
        if self.kind == "phrase":
            return self.meaning
        return self.best

    @property
    def auto_gradable(self) -> bool:
        """Can a machine grade it without the learner rating themselves?"""
        return bool(self.choices) or self.kind in ("truefalse", "scenario")


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    market: str
    topic: str
    path: str
    cards: tuple[Card, ...] = field(default=())


@dataclass
class Library:
    """Every market, deck and card that was loaded, with lookups the commands need."""

    markets: dict[str, Market]
    decks: list[Deck]
    cards: dict[str, Card]

    def lineage(self, code: str) -> list[str]:
        """The market itself, then everything it includes (transitively), each once."""
        order: list[str] = []
        stack = [code]
        while stack:
            current = stack.pop(0)
            if current in order or current not in self.markets:
                continue
            order.append(current)
            stack.extend(self.markets[current].includes)
        return order

    def market_cards(self, code: str, topics: tuple[str, ...] | list[str] = ()) -> list[Card]:
        """Cards a learner of this market drills: its own and those of every included pool."""
        lineage = set(self.lineage(code))
        return [
            card
            for card in self.cards.values()
            if card.market in lineage and (not topics or card.topic in topics)
        ]

    def topic_counts(self, code: str) -> dict[str, int]:
        counts = dict.fromkeys(TOPICS, 0)
        for card in self.market_cards(code):
            counts[card.topic] += 1
        counts["total"] = sum(counts[t] for t in TOPICS)
        return counts

    def deck_of(self, card: Card) -> Deck:
        return next(deck for deck in self.decks if deck.id == card.deck)
