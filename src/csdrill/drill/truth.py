"""Reading a typed true/false answer in the words people actually type, in the UI's languages.

A small table rather than a rule: "1" is true and "2" false because the choice prompt numbers
True 1 and False 2, and each language's everyday pair is listed so an agent never loses a point
to the keyboard. Anything else is not an answer at all: the prompt asks again (or, in a script,
stops with an error) instead of grading it as wrong.
"""

from __future__ import annotations

import unicodedata

TRUE_WORDS = frozenset({
    "true", "t", "yes", "y", "1",  # English, and the option number of True
    "对", "是", "正确", "對", "正確",  # Chinese
    "wahr", "ja", "richtig", "w", "j",  # German
    "vrai", "oui", "v", "o",  # French
    "verdadero", "sí", "si", "cierto",  # Spanish
    "verdadeiro", "sim",  # Portuguese
    "benar", "ya",  # Indonesian
    "はい", "正しい", "○", "〇",  # Japanese
    "✓", "✔",
})
FALSE_WORDS = frozenset({
    "false", "f", "no", "n", "2",  # English, and the option number of False
    "错", "否", "不对", "錯", "不對", "错误", "錯誤",  # Chinese
    "falsch", "nein",  # German
    "faux", "non",  # French
    "falso",  # Spanish, Portuguese
    "não", "nao",  # Portuguese
    "salah", "tidak",  # Indonesian
    "いいえ", "間違い", "×", "✗", "✘",
})


def read_truth(typed: str) -> bool | None:
    """True or False for a recognised word, None for anything else."""
    word = unicodedata.normalize("NFKC", typed).strip().strip(".!。！").casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def truth_label(value: bool) -> str:
    """The option text a true/false question uses for `value`."""
    return "True" if value else "False"
