"""Cards as plain dicts (for --json and CSV export), and as positional rows for the parsed-deck cache."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from csdrill.content.model import Card, Source
from csdrill.content.problems import Location

CARD_FIELDS = tuple(f.name for f in fields(Card))
LIST_FIELDS = ("tags", "choices", "accept", "options", "zh_options")


def card_to_dict(card: Card, *, compact: bool = True) -> dict:
    """Every field of the card; with `compact`, empty optional fields are left out."""
    # By hand, not dataclasses.asdict: its recursive deep copy was a third of a cold load.
    data = {name: getattr(card, name) for name in CARD_FIELDS}
    data["location"] = str(card.location)
    if card.source:
        data["source"] = {"title": card.source.title, "url": card.source.url,
                          "verified": card.source.verified.isoformat()}
    for key in LIST_FIELDS:
        data[key] = list(data[key])
    if compact:
        data = {k: v for k, v in data.items() if v not in (None, [], ())}
    return data


_LOCATION = CARD_FIELDS.index("location")
_SOURCE = CARD_FIELDS.index("source")
_TUPLES = tuple(CARD_FIELDS.index(name) for name in LIST_FIELDS)


def card_to_row(card: Card) -> list:
    """The card's values in CARD_FIELDS order, JSON-ready; the location keeps only line and column."""
    row = [getattr(card, name) for name in CARD_FIELDS]
    row[_LOCATION] = [card.location.line, card.location.col]
    if card.source:
        row[_SOURCE] = [card.source.title, card.source.url, card.source.verified.isoformat()]
    return row


def card_from_row(row: list, path: str, dates: dict[str, date]) -> Card:
    """The card card_to_row wrote, found in the file at `path`.

    Rows rather than dicts because a warm start builds every card there is: positions skip a
    hundred thousand dict copies. `dates` shares one date object per distinct day across cards.
    """
    line, col = row[_LOCATION]
    row[_LOCATION] = Location(path, line, col)
    if row[_SOURCE]:
        title, url, verified = row[_SOURCE]
        day = dates.get(verified) or dates.setdefault(verified, date.fromisoformat(verified))
        row[_SOURCE] = Source(title, url, day)
    for index in _TUPLES:
        row[index] = tuple(row[index])
    return Card(*row)
