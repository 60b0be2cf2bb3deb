"""A cache of validated decks, so unchanged YAML is not parsed again on every start.

Parsing YAML is the slow part of loading (libyaml still builds every node in Python); JSON loads
tens of times faster. An entry is used only when the file's path, size, modification time and
SHA-256 all match, and the set of known markets is the one it was validated against. Anything
stale, unreadable or malformed is ignored and rebuilt, never trusted. Only decks that loaded
without a single problem are cached, so every problem is always reported from the YAML itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from csdrill.content.model import Deck
from csdrill.content.serialise import CARD_FIELDS, card_from_row, card_to_row

FORMAT = 3  # 2: cards as positional rows under a list of field names; 3: control characters made visible


def cache_dir() -> Path:
    home = os.environ.get("CSDRILL_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("csdrill"))


def markets_key(codes) -> str:
    return hashlib.sha256(",".join(sorted(codes)).encode()).hexdigest()[:16]


class DeckCache:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or cache_dir()

    def _entry_path(self, path: Path) -> Path:
        name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
        return self.folder / f"{name}.json"

    @staticmethod
    def _identity(path: Path, data: bytes) -> dict:
        stat = path.stat()
        return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                "sha256": hashlib.sha256(data).hexdigest(), "format": FORMAT}

    def get(self, path: Path, data: bytes, shown: str, markets: str) -> Deck | None:
        """The cached deck for exactly this file content and market set, or None."""
        try:
            entry = json.loads(self._entry_path(path).read_bytes())
            identity = self._identity(path, data)
            if any(entry.get(key) != value for key, value in identity.items()) or entry["markets"] != markets:
                return None
            if tuple(entry["fields"]) != CARD_FIELDS:  # written by a csdrill with other card fields
                return None
            header = entry["deck"]
            dates: dict = {}
            cards = [card_from_row(row, shown, dates) for row in entry["cards"]]
            return Deck(id=header["id"], title=header["title"], market=header["market"],
                        topic=header["topic"], path=shown, cards=tuple(cards))
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            return None  # missing, stale or corrupt: parse the YAML instead

    def put(self, path: Path, data: bytes, markets: str, deck: Deck) -> None:
        entry = dict(self._identity(path, data), markets=markets,
                     deck={"id": deck.id, "title": deck.title, "market": deck.market, "topic": deck.topic},
                     fields=CARD_FIELDS, cards=[card_to_row(card) for card in deck.cards])
        target = self._entry_path(path)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, target)
        except OSError:  # full disk, read-only home: a cache that cannot be written only costs speed
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
