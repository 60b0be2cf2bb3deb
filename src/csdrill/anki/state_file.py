"""The Anki export's own JSON state files (notes' mod times, the export history): read whole or refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from csdrill.errors import StateError


def read_notes(path: Path, expected_format: int, unusable: Callable[[Path, object], str]) -> dict | None:
    """The file's `notes` mapping; None when there is no file yet; StateError (saying `unusable`) when
    it cannot be read or is of another format — a guess would silently change what the export writes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise StateError(unusable(path, err)) from err
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, dict) or data.get("format") != expected_format:
        raise StateError(unusable(path, "unknown format"))
    return notes
