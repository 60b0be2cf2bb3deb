"""Reading one deck file: the deck header and every card in it."""

from __future__ import annotations

from datetime import date

from csdrill.content.cards import read_card
from csdrill.content.fields import Fields, did_you_mean
from csdrill.content.model import Deck
from csdrill.content.problems import Problem
from csdrill.content.vocabulary import TOPICS
from csdrill.content.yamltree import Map, Seq
from csdrill.i18n import N_, say

DECK_KEYS = ("deck", "title", "market", "topic", "description", "cards")


def read_deck(
    root: Map, path: str, markets, today: date, problems: list[Problem], card_ids: list
) -> Deck | None:
    """Validate a deck mapping. Market codes are checked against `markets` (code -> Market).

    Every card id seen is appended to `card_ids` as (id, location), even on a broken card, so
    a duplicate id is reported whatever else is wrong.
    """
    fields = Fields(root, say(N_("deck in {path}"), path=path), problems)
    fields.check_keys(DECK_KEYS)
    deck_id = fields.ident("deck")
    title = fields.text("title", required=True)
    market = fields.text("market", required=True)
    if market and market not in markets:
        if markets:
            message = say(N_("unknown market '{market}'{hint}; known: {known}"),
                market=market, hint=did_you_mean(market, markets), known=", ".join(sorted(markets)))
        else:
            message = say(N_("unknown market '{market}': no markets are defined; add a markets.yaml to the deck "
                        "folder, or leave CSDRILL_BUILTIN unset to use the built-in markets"), market=market)
        fields.problem(fields.at("market"), message)
    topic = fields.choice("topic", TOPICS, required=True)
    raw_cards = root.get("cards")
    cards = []
    if raw_cards is None:
        fields.problem(root.loc, say(N_("deck has no 'cards' list")))
    elif not isinstance(raw_cards, Seq) or not raw_cards:
        fields.problem(fields.at("cards"), say(N_("'cards' must be a non-empty list of cards")))
    else:
        for raw, where in zip(raw_cards, raw_cards.item_locs, strict=True):
            if not isinstance(raw, Map):
                problems.append(Problem(where, say(N_("each card must be a mapping of fields"))))
                continue
            if isinstance(raw.get("id"), str):
                card_ids.append((raw["id"].strip(), raw.loc))
            card = read_card(
                Fields(raw, say(N_("card")), problems),
                deck=deck_id or "?",
                market=market or "?",
                topic=topic or "?",
                today=today,
            )
            if card:
                cards.append(card)
    if not (deck_id and title and market and topic):
        return None
    return Deck(id=deck_id, title=title, market=market, topic=topic, path=path, cards=tuple(cards))
