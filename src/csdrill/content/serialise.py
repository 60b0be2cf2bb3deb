"""Cards as plain dicts (for --json, CSV export and the parsed-deck cache) and back."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from csdrill.content.model import Card, Source
from csdrill.content.problems import Location


def card_to_dict(card: Card, *, compact: bool = True) -> dict:
    """Every field of the card; with `compact`, empty optional fields are left out."""
    data = asdict(card)
    data["location"] = str(card.location)
    if card.source:
        data["source"]["verified"] = card.source.verified.isoformat()
    for key in ("tags", "choices", "accept", "options"):
        data[key] = list(data[key])
    if compact:
        data = {k: v for k, v in data.items() if v not in (None, [], ())}
    return data


def card_from_dict(data: dict) -> Card:
    values = dict(data)
    path, line, col = values.pop("location").rsplit(":", 2)
    values["location"] = Location(path, int(line), int(col))
    if values.get("source"):
        src = values["source"]
        values["source"] = Source(src["title"], src["url"], date.fromisoformat(src["verified"]))
    for key in ("tags", "choices", "accept", "options"):
        values[key] = tuple(values.get(key, ()))
    return Card(**values)
