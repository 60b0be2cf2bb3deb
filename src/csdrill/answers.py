"""Comparing a learner's typed answer with the expected one: tolerant, but not blind."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Apostrophes and quotes come in many shapes on different keyboards; they never decide an answer.
_IGNORED_CATEGORIES = ("P", "S", "Z", "C")


def normalise(text: str) -> str:
    """Unicode-normalised, case-folded, punctuation and spacing removed (accents kept)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = []
    for char in text:
        if unicodedata.category(char)[0] in _IGNORED_CATEGORIES:
            if kept and kept[-1] != " ":
                kept.append(" ")
            continue
        kept.append(char)
    return "".join(kept).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Verdict:
    """How a typed answer compares: `exact`, `near` (accents or one typo) or `wrong`."""

    outcome: str
    expected: str
    typed: str

    @property
    def correct(self) -> bool:
        return self.outcome != "wrong"


def grade_typed(typed: str, expected: str, also: tuple[str, ...] = ()) -> Verdict:
    """Exact after normalisation counts; a near miss counts as near; anything else is wrong."""
    candidates = (expected, *also)
    got = normalise(typed)
    if not got:
        return Verdict("wrong", expected, typed)
    for candidate in candidates:
        if normalise(candidate) == got:
            return Verdict("exact", candidate, typed)
    for candidate in candidates:
        want = normalise(candidate)
        if strip_accents(want) == strip_accents(got):
            return Verdict("near", candidate, typed)
        # Missing accents plus at most one typo: "Verzögerung" vs "Verzogerng" is a near miss.
        if edit_distance(strip_accents(want), strip_accents(got), 1) <= 1:
            return Verdict("near", candidate, typed)
    return Verdict("wrong", expected, typed)
