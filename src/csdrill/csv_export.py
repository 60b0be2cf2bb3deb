"""Cards as a spreadsheet: one CSV row per card, every field, UTF-8 with a BOM so Excel reads it."""

from __future__ import annotations

import csv
import io
import os
import secrets
import sys
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

from csdrill.content.model import Card
from csdrill.content.serialise import card_to_dict

LIST_SEPARATOR = " | "
SOURCE_PARTS = ("title", "url", "verified")

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) phones home);
# OWASP's advice is a leading apostrophe, which Excel and LibreOffice show as text and do not display.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_columns() -> list[str]:
    """The card fields in model order, with `source` spread over source_title/_url/_verified."""
    columns: list[str] = []
    for field in fields(Card):
        if field.name == "source":
            columns += [f"source_{part}" for part in SOURCE_PARTS]
        else:
            columns.append(field.name)
    return columns


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"  # as written in decks (`true: yes`)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)


def as_text_cell(value: str) -> str:
    """The cell as a spreadsheet must show it: a leading apostrophe on anything it would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def card_row(card: Card, formulas_as_text: bool = True) -> dict[str, str]:
    data = card_to_dict(card, compact=False)
    source = data.pop("source") or {}
    for part in SOURCE_PARTS:
        data[f"source_{part}"] = source.get(part)
    row = {column: _cell(data.get(column)) for column in csv_columns()}
    if formulas_as_text:
        row = {column: as_text_cell(value) for column, value in row.items()}
    return row


def write_csv(cards: Iterable[Card], out, formulas_as_text: bool = True) -> int:
    """Write the header and one row per card to a text stream; return the number of rows."""
    writer = csv.DictWriter(out, fieldnames=csv_columns())
    writer.writeheader()
    count = 0
    for card in cards:
        writer.writerow(card_row(card, formulas_as_text))
        count += 1
    return count


def export_csv(cards: Iterable[Card], output: Path | None, formulas_as_text: bool = True) -> int:
    """Write to `output` (replaced atomically; UTF-8 with BOM), or to stdout as plain UTF-8 when None.

    With `formulas_as_text` (the default), cells a spreadsheet would run as formulas start with an
    apostrophe. OSError when `output` cannot be written.
    """
    if output is None:
        buffer = io.StringIO(newline="")
        count = write_csv(cards, buffer, formulas_as_text)
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue().encode("utf-8"))
        sys.stdout.buffer.flush()
        return count
    output = Path(output)
    tmp = output.parent / f".{output.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8-sig", newline="") as out:
            count = write_csv(cards, out, formulas_as_text)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count
