"""Study items: a card in one direction. Phrases are drilled both ways, each scheduled separately."""

from __future__ import annotations

from dataclasses import dataclass

from csdrill.content.model import Card

RECALL, RECOGNISE, PRODUCE = "recall", "recognise", "produce"


@dataclass(frozen=True)
class Item:
    card: Card
    direction: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.card.id, self.direction)


def items_for(cards: list[Card]) -> list[Item]:
    items = []
    for card in cards:
        if card.kind == "phrase":
            items += [Item(card, RECOGNISE), Item(card, PRODUCE)]
        else:
            items.append(Item(card, RECALL))
    return items
