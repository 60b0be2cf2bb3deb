"""Problems found in content files, each pinned to a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass

from csdrill.safe_text import visible


@dataclass(frozen=True, order=True, slots=True)
class Location:
    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        # Paths and quoted values come from outside: nothing in them may act on a terminal, and a
        # quoted value with a line break must not split the one line a problem takes.
        return visible(f"{self.location}: {self.message}").replace("\n", "\\n")

    def to_dict(self) -> dict:
        loc = self.location
        # Scripts read the English whatever the interface language (a Phrase carries both).
        message = getattr(self.message, "english", self.message)
        return {"path": loc.path, "line": loc.line, "col": loc.col, "message": message}


class ContentError(Exception):
    """Content could not be loaded; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
