"""Which cards an export covers: the chosen markets with everything they inherit, each card once."""

from __future__ import annotations

from csdrill.content.model import Card, Library


def select_cards(library: Library, markets=(), topics=()) -> list[Card]:
    """Cards of `markets` (all markets and pools when empty) and their pools, in deck order, each once.

    A shared pool's card appears once however many chosen markets inherit it.
    """
    topics = tuple(topics)
    if not markets:
        chosen = [c for c in library.cards.values() if not topics or c.topic in topics]
    else:
        seen: set[str] = set()
        chosen = []
        for code in markets:
            for card in library.market_cards(code, topics):
                if card.id not in seen:
                    seen.add(card.id)
                    chosen.append(card)
    return chosen
