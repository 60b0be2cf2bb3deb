"""How cards are named in Anki: note GUID, deck name and ID, tags.

Everything here is derived from stable data (a card's id, a market's name, a topic), never from
card text or the time of the export, so a rebuilt package matches what learners already have.
"""

from __future__ import annotations

import hashlib
import re

from csdrill.content.model import Card, Market

ROOT_DECK = "csdrill"
GUID_NAMESPACE = "csdrill"
_ID_LOW, _ID_HIGH = 1 << 30, 1 << 31  # genanki's recommended ID range


# genanki's base-91 alphabet (genanki.util.BASE91_TABLE), in order, and every two-digit string of it.
_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")
_PAIRS = [high + low for high in _BASE91 for low in _BASE91]


def note_guid(card_id: str) -> str:
    """The note's GUID: from the card id alone, so editing the card's text updates the note.

    Exactly genanki.guid_for(GUID_NAMESPACE, card_id) (learners' notes are matched by it): the first
    8 bytes of a SHA-256 as a base-91 number without leading zeros ("a"). Two digits at a time,
    unrolled (91**10 > 2**64), it takes a third of genanki's time.
    """
    number = int.from_bytes(hashlib.sha256(f"{GUID_NAMESPACE}__{card_id}".encode()).digest()[:8], "big")
    number, d01 = divmod(number, 8281)  # 91 ** 2
    number, d23 = divmod(number, 8281)
    number, d45 = divmod(number, 8281)
    d89, d67 = divmod(number, 8281)
    return (_PAIRS[d89] + _PAIRS[d67] + _PAIRS[d45] + _PAIRS[d23] + _PAIRS[d01]).lstrip("a")


def deck_name(market: Market, topic: str) -> str:
    """`csdrill::Germany::Regulation`; a pool's cards live under the pool's own name."""
    return f"{ROOT_DECK}::{market.name}::{topic.capitalize()}"


def deck_id(name: str) -> int:
    """A stable deck ID in genanki's range, hashed from the deck's full name."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return _ID_LOW + digest % (_ID_HIGH - _ID_LOW)


_WHITESPACE = re.compile(r"\s+")


def _tag(value: str) -> str:
    # Anki splits tags on whitespace.
    return _WHITESPACE.sub("_", value.strip())


RETIRED_TAG = f"{ROOT_DECK}::retired"


def note_tags(card: Card) -> list[str]:
    """Every tag under one root, so nothing of csdrill's mixes with a learner's own tags:
    `csdrill::market::<code>`, `csdrill::topic::<topic>`, then the card's own as `csdrill::tag::<tag>`."""
    tags = [f"{ROOT_DECK}::market::{card.market}", f"{ROOT_DECK}::topic::{card.topic}"]
    for tag in card.tags:
        tag = _tag(tag)
        if tag:
            tag = f"{ROOT_DECK}::tag::{tag}"
            if tag not in tags:
                tags.append(tag)
    return tags
