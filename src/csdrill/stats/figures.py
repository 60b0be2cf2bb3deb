"""A learner's progress figures, from a summary of the review log and the card memories at a given moment.

Pure: the review summary, memories, content and `now` are passed in, so a test can replay any history.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from csdrill.content.model import Card, Library
from csdrill.content.vocabulary import TOPICS
from csdrill.drill.scheduling import Memory
from csdrill.stats.calendar import DayCount, Heatmap, Streak, due_forecast, heatmap, local_day, streak
from csdrill.stats.summary import DayAnswers, ReviewSummary

LEECH_LAPSES = 4  # an item forgotten this often after it was learnt needs rewriting, not more drilling
# A card × direction is mastered once FSRS expects it to be remembered (90 %) for three weeks:
# Anki calls a card "mature" from a 21-day interval. Stability is that span in days; a lapse cuts it
# and puts the card back in relearning, so a card failed minutes ago is never counted as mastered.
MASTERED_STABILITY_DAYS = 21.0
HARDEST_SHOWN = 10
RETENTION_DAYS = 30


@dataclass(frozen=True)
class Coverage:
    """Cards seen out of the cards there are, and how well the seen ones are remembered now."""

    seen: int  # cards with at least one direction reviewed
    total: int
    mastery: float | None  # share of the card × directions seen that are mastered; None if none seen


@dataclass(frozen=True)
class MarketProgress:
    code: str
    name: str
    cards: Coverage
    topics: dict[str, Coverage]  # only topics the market has cards in


@dataclass(frozen=True)
class ReviewCounts:
    today: int
    last_7_days: int
    last_30_days: int
    total: int


@dataclass(frozen=True)
class Retention:
    """True retention: the share of answers on cards in the review state that were not "Again"."""

    true: float | None  # None when there were no such answers
    target: float
    answers: int
    remembered: int
    days: int = RETENTION_DAYS


@dataclass(frozen=True)
class HardCard:
    card_id: str
    direction: str
    lapses: int
    leech: bool
    market: str | None  # None for a card no longer in the decks
    topic: str | None


@dataclass(frozen=True)
class Stats:
    now: datetime
    today: date
    market: str | None
    reviews: ReviewCounts
    retention: Retention
    cards: Coverage
    topics: dict[str, Coverage]
    markets: list[MarketProgress]
    forecast: list[DayCount]
    activity: Heatmap
    streak: Streak
    hardest: list[HardCard]
    leeches: int

    def to_dict(self) -> dict:
        """Plain JSON-ready data; the keys are documented in docs/stats.md."""
        return {
            "now": self.now.isoformat(),
            "today": self.today.isoformat(),
            "market": self.market,
            "reviews": self.reviews.__dict__.copy(),
            "retention": self.retention.__dict__.copy(),
            "cards": self.cards.__dict__.copy(),
            "topics": {topic: c.__dict__.copy() for topic, c in self.topics.items()},
            "markets": [
                {"code": m.code, "name": m.name, **m.cards.__dict__,
                 "topics": {topic: c.__dict__.copy() for topic, c in m.topics.items()}}
                for m in self.markets
            ],
            "forecast": [{"date": d.day.isoformat(), "due": d.count} for d in self.forecast],
            "activity": {
                "weeks": self.activity.weeks,
                "start": self.activity.start.isoformat(),
                "peak": self.activity.peak,
                "days": [{"date": d.day.isoformat(), "reviews": d.reviews, "level": d.level}
                         for d in self.activity.days],
            },
            "streak": self.streak.__dict__.copy(),
            "hardest": [h.__dict__.copy() for h in self.hardest],
            "leeches": self.leeches,
            "leech_lapses": LEECH_LAPSES,
            "mastered_stability_days": MASTERED_STABILITY_DAYS,
        }


def market_scope(library: Library, market: str | None) -> set[str] | None:
    """The ids of the cards a market's figures count (its own and its pools'); None for every card."""
    return None if market is None else {card.id for card in library.market_cards(market)}


def compute_stats(
    summary: ReviewSummary,
    memories: dict[tuple[str, str], Memory],
    library: Library,
    now: datetime,
    market: str | None = None,
    retention: float = 0.9,
    tz: tzinfo | None = None,
) -> Stats:
    """Every figure `csdrill stats` shows, as of `now`, in the local time zone `tz` (None: the system's).

    `summary` holds the answers up to `now` on the cards of `market_scope(library, market)`, by day
    in `tz` (`read_summary` or `summarise`), so a replayed moment shows what the learner saw then.
    With `market`, only that market's cards (its own and its pools') count; without, every review
    counts and coverage is given for each market the learner has touched.
    """
    scope = market_scope(library, market)
    if scope is not None:
        memories = {key: m for key, m in memories.items() if key[0] in scope}
    today = local_day(now, tz)

    mastered = {key: is_mastered(memory) for key, memory in memories.items()}
    markets = [market] if market is not None else touched_markets(library, {key[0] for key in memories})
    progress = [_market_progress(library, code, mastered) for code in markets]
    scope_cards = {card.id: card for code in markets for card in library.market_cards(code)}

    per_day = Counter({day: answers.answers for day, answers in summary.days.items()})
    lapses = Counter(summary.lapses)
    return Stats(
        now=now,
        today=today,
        market=market,
        reviews=ReviewCounts(
            today=per_day[today],
            last_7_days=sum(n for day, n in per_day.items() if (today - day).days < 7),
            last_30_days=sum(n for day, n in per_day.items() if (today - day).days < 30),
            total=sum(per_day.values()),
        ),
        retention=true_retention(summary.days, today, retention),
        cards=coverage(scope_cards.values(), mastered),
        topics=_by_topic(scope_cards.values(), mastered),
        markets=progress,
        forecast=due_forecast((m.due for m in memories.values()), today, tz),
        activity=heatmap(per_day, today),
        streak=streak(set(per_day), today),
        hardest=hardest(lapses, library),
        leeches=sum(1 for count in lapses.values() if count >= LEECH_LAPSES),
    )


def touched_markets(library: Library, seen: set[str]) -> list[str]:
    """Markets the learner has drilled, in code order: those whose own cards they have seen.

    A seen card of a shared pool does not say which market it was drilled for; when no such market
    covers it, the pool itself is listed (the widest one first, so `eu` stands for `global` too).
    """
    cards = [library.cards[card_id] for card_id in seen if card_id in library.cards]
    codes = {c.market for c in cards if c.market in library.markets and not library.markets[c.market].pool}
    covered = {included for code in codes for included in library.lineage(code)}
    pools = {c.market for c in cards if c.market in library.markets} - covered
    for pool in sorted(pools, key=lambda code: (-len(library.lineage(code)), code)):
        if pool not in covered:
            codes.add(pool)
            covered.update(library.lineage(pool))
    return sorted(codes)


def is_mastered(memory: Memory) -> bool:
    """Learnt (in the review state, not new or (re)learning) and stable for MASTERED_STABILITY_DAYS."""
    return is_mature(memory.state, memory.stability)


def is_mature(state: str, stability: float | None) -> bool:
    """is_mastered for a stored card_state row's state and stability."""
    return state == "review" and (stability or 0.0) >= MASTERED_STABILITY_DAYS


def coverage(cards: Iterable[Card], mastered: dict[tuple[str, str], bool]) -> Coverage:
    ids = {card.id for card in cards}
    seen_items = [value for (card_id, _direction), value in mastered.items() if card_id in ids]
    seen = len({card_id for card_id, _direction in mastered if card_id in ids})
    mastery = sum(seen_items) / len(seen_items) if seen_items else None
    return Coverage(seen=seen, total=len(ids), mastery=mastery)


def _by_topic(cards: Iterable[Card], mastered: dict[tuple[str, str], bool]) -> dict[str, Coverage]:
    cards = list(cards)
    return {topic: coverage([c for c in cards if c.topic == topic], mastered)
            for topic in TOPICS if any(c.topic == topic for c in cards)}


def _market_progress(library: Library, code: str, mastered: dict[tuple[str, str], bool]) -> MarketProgress:
    cards = library.market_cards(code)
    return MarketProgress(code=code, name=library.markets[code].name, cards=coverage(cards, mastered),
                          topics=_by_topic(cards, mastered))


def true_retention(days: dict[date, DayAnswers], today: date, target: float) -> Retention:
    """Share of answers given to cards in the review state, over the last RETENTION_DAYS days, not "Again"."""
    window = [counts for day, counts in days.items() if (today - day).days < RETENTION_DAYS]
    answers = sum(counts.reviewing for counts in window)
    remembered = answers - sum(counts.forgotten for counts in window)
    return Retention(true=remembered / answers if answers else None, target=target,
                     answers=answers, remembered=remembered)


def hardest(lapses: Counter[tuple[str, str]], library: Library, limit: int = HARDEST_SHOWN) -> list[HardCard]:
    """The most-lapsed card × directions, most lapses first, leeches flagged."""
    ranked = heapq.nsmallest(limit, lapses.items(), key=lambda kv: (-kv[1], kv[0]))  # sorted()[:limit], faster
    out = []
    for (card_id, direction), count in ranked:
        card = library.cards.get(card_id)
        out.append(HardCard(card_id=card_id, direction=direction, lapses=count, leech=count >= LEECH_LAPSES,
                            market=card.market if card else None, topic=card.topic if card else None))
    return out

