"""Quiz definitions: a fixed, seeded exam over a market's topics or a list of cards.

A quiz file has a top-level `quiz:` key. It is checked against the loaded library, so an
unknown market, topic or card, or a quiz that asks for more questions than there are cards a
machine can grade, is reported with its `path:line:col` like any deck problem.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field

from csdrill.content.fields import Fields, did_you_mean
from csdrill.content.model import Card, Library
from csdrill.content.problems import Location, Problem
from csdrill.content.vocabulary import TOPICS
from csdrill.content.yamltree import Map, Seq, key_loc, value_loc
from csdrill.i18n import N_, say

QUIZ_KEYS = ("quiz", "title", "description", "markets", "topics", "cards", "questions", "pass",
             "time_limit", "min_per_topic", "seed", "phrases")
PHRASE_MODES = ("typed", "choice")
MAX_TIME_LIMIT = 24 * 60
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class Quiz:
    """One exam definition. `seed` makes every candidate of a cohort get the same questions."""

    id: str
    title: str
    markets: tuple[str, ...]
    questions: int
    pass_mark: int
    seed: int
    path: str
    location: Location
    topics: tuple[str, ...] = ()
    cards: tuple[str, ...] = ()
    time_limit: int | None = None  # minutes
    min_per_topic: dict[str, int] = field(default_factory=dict, hash=False)
    phrases: str = "typed"  # how phrase production is asked: typed (graded tolerantly) or choice
    description: str | None = None

    def definition(self) -> dict:
        """What the quiz asks, without where it was read from."""
        return {
            "quiz": self.id, "title": self.title, "markets": list(self.markets), "topics": list(self.topics),
            "cards": list(self.cards), "questions": self.questions, "pass": self.pass_mark,
            "time_limit": self.time_limit, "min_per_topic": dict(sorted(self.min_per_topic.items())),
            "seed": self.seed, "phrases": self.phrases,
        }

    @property
    def content_hash(self) -> str:
        """Short, stable fingerprint of the definition: two attempts with the same hash took the same quiz."""
        text = json.dumps(self.definition(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def gradable(card: Card) -> bool:
    """Can an exam grade this card by itself? Choices, true/false, scenarios and phrase production."""
    return card.auto_gradable or card.kind == "phrase"


def quiz_cards(quiz_markets, topics, card_ids, library: Library) -> list[Card]:
    """Every card a quiz draws from, machine-gradable only, sorted by id (file order never matters)."""
    chosen: dict[str, Card] = {}
    if topics:
        for code in quiz_markets:
            for card in library.market_cards(code, tuple(topics)):
                chosen[card.id] = card
    for card_id in card_ids:
        if card_id in library.cards:
            chosen[card_id] = library.cards[card_id]
    return sorted((c for c in chosen.values() if gradable(c)), key=lambda c: c.id)


def default_seed(quiz_id: str) -> int:
    """A quiz without `seed` still gives everyone the same exam: the seed follows from its id."""
    return zlib.crc32(quiz_id.encode("utf-8"))


def read_quiz(root: Map, path: str, library: Library, problems: list[Problem]) -> Quiz | None:
    """Validate one quiz mapping against the library; return the Quiz, or None when it is broken."""
    before = len(problems)
    fields = Fields(root, say(N_("quiz in {path}"), path=path), problems)
    quiz_id = fields.ident("quiz")
    if quiz_id:
        fields.what = say(N_("quiz '{id}'"), id=quiz_id)
    fields.check_keys(QUIZ_KEYS)
    title = fields.text("title", required=True)
    description = fields.text("description")
    markets = _markets(fields, library)
    topics = _topics(fields)
    card_ids = _card_ids(fields, library)
    if "topics" not in root and "cards" not in root:
        fields.problem(root.loc,
                       say(N_("{what} needs 'topics' (drawn from its markets) or 'cards' (explicit ids)"),
                           what=fields.what))
    questions = fields.integer("questions", 1, 10_000, required=True)
    pass_mark = fields.integer("pass", 1, 100, required=True)
    time_limit = fields.integer("time_limit", 1, MAX_TIME_LIMIT)
    seed = fields.integer("seed", 0, MAX_SEED)
    phrases = fields.choice("phrases", PHRASE_MODES) or "typed"
    pool = quiz_cards(markets, topics, card_ids, library)
    minimums = _minimums(fields, topics, pool, questions)
    if questions and (markets or card_ids) and len(problems) == before and questions > len(pool):
        fields.problem(
            fields.at("questions"),
            say(N_("{what} asks {questions} questions but only {count} cards can be graded "
              "automatically (cards with choices, true/false, scenarios, phrases)"),
                  what=fields.what, questions=questions, count=len(pool)),
        )
    if len(problems) > before or not (quiz_id and title and questions and pass_mark):
        return None
    return Quiz(
        id=quiz_id, title=title, markets=markets, questions=questions, pass_mark=pass_mark,
        seed=default_seed(quiz_id) if seed is None else seed, path=path, location=root.loc,
        topics=topics, cards=card_ids, time_limit=time_limit, min_per_topic=minimums,
        phrases=phrases, description=description,
    )


def _markets(fields: Fields, library: Library) -> tuple[str, ...]:
    codes = fields.text_list("markets", required=True)
    raw = fields.map.get("markets")
    if isinstance(raw, Seq) and not raw:
        fields.problem(fields.at("markets"), say(N_("'markets' must list at least one market")))
    good = []
    for code, where in zip(codes, _item_locs(fields, "markets"), strict=True):
        if code not in library.markets:
            fields.problem(
                where,
                say(N_("unknown market '{market}'{hint}; known: {known}"),
                    market=code, hint=did_you_mean(code, library.markets), known=", ".join(sorted(library.markets))),
            )
        else:
            good.append(code)
    return tuple(good)


def _topics(fields: Fields) -> tuple[str, ...]:
    names = fields.text_list("topics")
    good = []
    for name, where in zip(names, _item_locs(fields, "topics"), strict=True):
        if name not in TOPICS:
            fields.problem(where, say(N_("unknown topic '{topic}'{hint}; topics: {topics}"),
                topic=name, hint=did_you_mean(name, TOPICS), topics=", ".join(TOPICS)))
        else:
            good.append(name)
    return tuple(good)


def _card_ids(fields: Fields, library: Library) -> tuple[str, ...]:
    ids = fields.text_list("cards")
    good = []
    for card_id, where in zip(ids, _item_locs(fields, "cards"), strict=True):
        card = library.cards.get(card_id)
        if card is None:
            fields.problem(where, say(N_("unknown card id '{id}'{hint}"),
                id=card_id, hint=did_you_mean(card_id, library.cards)))
        elif not gradable(card):
            fields.problem(where, say(N_("card '{id}' cannot be graded automatically "
                                    "(a fact card needs 'choices' to be in an exam)"), id=card_id))
        else:
            good.append(card_id)
    return tuple(good)


def _minimums(
    fields: Fields, topics: tuple[str, ...], pool: list[Card], questions: int | None
) -> dict[str, int]:
    sub = fields.sub_map("min_per_topic", say(N_("'min_per_topic' of {what}"), what=fields.what))
    if sub is None:
        return {}
    minimums: dict[str, int] = {}
    for topic in sub.map:
        where = key_loc(sub.map, topic)
        if topic not in TOPICS:
            sub.problem(where, say(N_("unknown topic '{topic}' in 'min_per_topic'{hint}"),
                topic=topic, hint=did_you_mean(topic, TOPICS)))
            continue
        if topics and topic not in topics:
            sub.problem(where, say(N_("'min_per_topic' names '{topic}', which is not in this quiz's topics"),
                topic=topic))
            continue
        count = sub.integer(topic, 0, 10_000)
        if count is None:
            continue
        available = sum(1 for card in pool if card.topic == topic)
        if count > available:
            sub.problem(value_loc(sub.map, topic),
                        say(N_("at least {count} {topic} questions asked, but only {available} {topic} cards "
                          "can be graded automatically"), count=count, topic=topic, available=available))
        minimums[topic] = count
    total = sum(minimums.values())
    if questions and total > questions:
        fields.problem(fields.at("min_per_topic"),
                       say(N_("the per-topic minimums add up to {total}, more than the {questions} questions"),
                           total=total, questions=questions))
    return minimums


def _item_locs(fields: Fields, key: str) -> list[Location]:
    raw = fields.map.get(key)
    if isinstance(raw, Seq):
        pairs = zip(raw, raw.item_locs, strict=True)
        return [loc for item, loc in pairs if isinstance(item, str) and item.strip()]
    return []
