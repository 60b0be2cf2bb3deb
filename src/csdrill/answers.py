"""Comparing a learner's typed answer with the expected one: tolerant of how it is typed, strict on what it says.

Every rule lives here, so the quiz and the exam grade alike. Two answers are compared on a *key*:

- Unicode-normalised (NFKC: full-width letters and digits become plain ones) and case-folded;
- punctuation, symbols and spacing of every script dropped (、。「」！？ ¿¡ «» „“ ، ؟ … and ASCII):
  they never count for or against an answer;
- digits of any script read by value (٤٨ = ۴۸ = ４８ = 48), and 〇一二…九 as the digits they are; a sign
  before a number is kept (UTC-3 = UTC−3 ≠ UTC+3), and a separator inside one (. , : ٫ ٬) is kept
  as one mark (14,5 = 14.5; 12:00 = 12.00; 1,299.00 = 1.299,00);
- German ä ö ü typed as ae oe ue (ß as ss) is the same word, as on keyboards without umlauts;
- Arabic short vowels (harakat, tanwin) and the tatweel are optional in writing, so ignored;
- Japanese spelling variants of the same word (kanji or kana: 通り/とおり, 致します/いたします,
  頂き/いただき, お勧め/おすすめ, 問合せ/お問い合わせ …) read as one, from `JA_VARIANTS`.

Exact on the key is Good. A *near miss* (Hard) is the same answer but for accents (é/e, ö/o, أ/ا, ة/ه,
ى/ي) or a typo or two (see `typo_allowance`). Numbers must keep their sign and digits: a different
number is never a typo (a missed separator, 145 for 14.5, is). The rest is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Japanese words written in kanji or in kana (or with and without okurigana), spelled alike in
# customer-service mail. The first spelling of each group is the one both answers are read as.
# Maintained here rather than in every card's `accept`: a phrase with three such words would need
# eight accept entries, and every deck would repeat them. Only whole-word spellings a learner really
# types belong here; a different wording of a phrase goes in that card's `accept` list.
JA_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("とおり", "通り"),  # 以下のとおり / 以下の通り
    ("いたし", "致し"),  # いたします / 致します / いたしかねます
    ("いただ", "頂", "戴"),  # いただく / 頂く, いただき / 頂き, いただけ / 頂け
    ("ちょうだい", "頂戴"),
    ("すすめ", "勧め", "薦め", "奨め"),  # おすすめ / お勧め
    ("問い合わせ", "問合せ", "問合わせ", "問い合せ",
     "お問い合わせ", "お問合せ", "お問合わせ", "お問い合せ"),  # the honorific お is not graded either
    ("ください", "下さい"),
    ("ござい", "御座い"),
    ("よろしく", "宜しく"),
    ("ありがとう", "有難う", "有り難う"),
    ("まことに", "誠に"),
    ("おそれいり", "恐れ入り"),
    ("あらためて", "改めて"),
    ("なにとぞ", "何卒"),
    ("おわび", "お詫び"),
    ("でき", "出来"),
    ("わか", "分か"),
    ("いかが", "如何"),
    ("あわせて", "併せて"),
    ("すでに", "既に"),
    ("あらかじめ", "予め"),
    ("さしつかえ", "差し支え", "差支え"),
    ("申し込み", "申込み", "申込"),
    ("取り扱い", "取扱い", "取扱"),
    ("手続き", "手続"),
    ("大きめ", "大き目"),
    ("お客さま", "お客様"),
)

_KANJI_DIGITS = {char: str(value) for value, char in enumerate("〇一二三四五六七八九")}
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue"}  # ß is already "ss" once case-folded
# Harakat, tanwin, shadda, sukun, superscript alef; tatweel (a stretching stroke, not a letter).
_ARABIC_OPTIONAL = {*map(chr, range(0x064B, 0x0660)), "\u0670", "\u0640"}
# Spellings Arabic writers use interchangeably in informal typing: a near miss, like an accent.
_ARABIC_LOOSE = str.maketrans({"ى": "ي", "ة": "ه"})
_KANA_VOICING = {"\u3099", "\u309a"}  # が is not か with an accent: another sound, another word
# Inside a number a sign or a separator is part of its value; elsewhere it is punctuation.
_SIGNS = {"+": "+", "-": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2013": "-"}
# 14,5 and 14.5 are one number in Europe and in English; 12.00 and 12:00 one time in Indonesia and
# elsewhere; ٫ and ٬ are the Arabic decimal and thousands marks. So every separator reads as ".".
_SEPARATORS = dict.fromkeys(".,:\u066b\u066c", ".")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)*")
_IGNORED_CATEGORIES = ("P", "S", "Z", "C")  # punctuation, symbols, spaces, controls


@lru_cache(maxsize=1)
def _variant_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    canonical = {spelling: group[0] for group in JA_VARIANTS for spelling in group}
    # Longest first, so お問い合わせ is read whole and 頂戴 before 頂.
    alternatives = sorted(canonical, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), canonical


@dataclass(frozen=True, slots=True)
class Unit:
    """One character of a comparison key and the characters of the typed text it comes from."""

    char: str
    start: int  # source span [start, end) in the original text
    end: int


def _clusters(text: str):
    """Each base character with the combining marks after it, and its span: "é" typed as e + ◌́ is one."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield text[start:index], start, index
            start = index


def comparison_units(text: str, umlauts: bool = True) -> list[Unit]:
    """The comparison key of `text` character by character, each with where it was typed."""
    folded: list[Unit] = []
    for cluster, start, end in _clusters(text):
        folded.extend(Unit(char, start, end) for char in unicodedata.normalize("NFKC", cluster).casefold())
    pattern, canonical = _variant_pattern()
    spelled = "".join(unit.char for unit in folded)
    units: list[Unit] = []
    position = 0
    for match in pattern.finditer(spelled):
        units.extend(folded[position:match.start()])
        if match.group() == canonical[match.group()]:
            units.extend(folded[match.start():match.end()])  # keep each character's own span
        else:
            span = folded[match.start()].start, folded[match.end() - 1].end
            units.extend(Unit(char, *span) for char in canonical[match.group()])
        position = match.end()
    units.extend(folded[position:])

    kept: list[Unit] = []
    for index, unit in enumerate(units):
        char, category = unit.char, unicodedata.category(unit.char)
        before = units[index - 1].char if index else ""
        after = units[index + 1].char if index + 1 < len(units) else ""
        next_visible = next((u.char for u in units[index + 1:] if not u.char.isspace()), "")
        if category == "Nd":
            kept.append(Unit(str(unicodedata.decimal(char)), unit.start, unit.end))
        elif char in _KANJI_DIGITS:
            kept.append(Unit(_KANJI_DIGITS[char], unit.start, unit.end))
        elif char in _SIGNS and _is_digit(next_visible):  # UTC-3 is not UTC+3; 3 – 5 is 3-5
            kept.append(Unit(_SIGNS[char], unit.start, unit.end))
        elif char in _SEPARATORS and _is_digit(before) and _is_digit(after):  # 14.5 is not 145
            kept.append(Unit(_SEPARATORS[char], unit.start, unit.end))
        elif category[0] in _IGNORED_CATEGORIES or char in _ARABIC_OPTIONAL:
            continue
        elif umlauts and char in _UMLAUTS:
            kept.extend(Unit(letter, unit.start, unit.end) for letter in _UMLAUTS[char])
        else:
            kept.append(unit)
    return kept


def comparison_key(text: str, umlauts: bool = True) -> str:
    """What an answer says, without how it was typed (see the module docstring)."""
    return "".join(unit.char for unit in comparison_units(text, umlauts))


@lru_cache(maxsize=4096)  # distractors compare every answer of a topic for each question asked
def normalise(text: str) -> str:
    """The comparison key: two texts with the same key say the same thing."""
    return comparison_key(text)


def strip_accents(text: str) -> str:
    """Without accents (é → e, أ → ا; kana voicing marks stay) and with Arabic's loose letter pairs merged."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c) or c in _KANA_VOICING)
    return unicodedata.normalize("NFC", bare).translate(_ARABIC_LOOSE)


def _is_digit(char: str) -> bool:
    return bool(char) and unicodedata.category(char) == "Nd"


def _numbers(key: str) -> list[str]:
    """The numbers in a key, sign and digits: a separator missed (1299 for 1.299) is only a typo."""
    return [number.replace(".", "") for number in _NUMBER.findall(key)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Typos between a and b (insert, delete, replace, or swap two neighbours: each one typo).

    Gives up, returning limit + 1, once the count must exceed limit.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def typo_allowance(key: str) -> int:
    """Typos a near miss may have: none in a short answer (a slip there changes the word), one from
    4 characters, two from 30 (a long sentence typed with two slips is still known)."""
    if len(key) < 4:
        return 0
    return 1 if len(key) < 30 else 2


@dataclass(frozen=True)
class Verdict:
    """How a typed answer compares: `exact`, `near` (accents or a typo) or `wrong`.

    `expected` is the accepted answer the typed one came closest to (the card's answer when wrong).
    """

    outcome: str
    expected: str
    typed: str

    @property
    def correct(self) -> bool:
        return self.outcome != "wrong"


def _is_near(typed: str, candidate: str) -> bool:
    got, want = comparison_key(typed), comparison_key(candidate)
    if _numbers(got) != _numbers(want):
        return False  # 14 days is not a typo of 15 days, nor UTC+3 of UTC-3
    loose_got = strip_accents(comparison_key(typed, umlauts=False))
    loose_want = strip_accents(comparison_key(candidate, umlauts=False))
    if loose_got == loose_want:
        return True
    allowance = typo_allowance(want)
    return allowance > 0 and (edit_distance(want, got, allowance) <= allowance
                              or edit_distance(loose_want, loose_got, allowance) <= allowance)


def grade_typed(typed: str, expected: str, also: tuple[str, ...] = ()) -> Verdict:
    """Exact on the comparison key counts; a near miss counts as near; anything else is wrong."""
    candidates = (expected, *also)
    got = comparison_key(typed)
    if not got:
        return Verdict("wrong", expected, typed)
    for candidate in candidates:
        if comparison_key(candidate) == got:
            return Verdict("exact", candidate, typed)
    for candidate in candidates:
        if _is_near(typed, candidate):
            return Verdict("near", candidate, typed)
    return Verdict("wrong", expected, typed)
