"""A card's text as Anki field HTML: every piece escaped, every non-Latin text tagged with its language.

Card text is plain text, never HTML: `<b>` or `&` in a card shows literally in Anki.
"""

from __future__ import annotations

import hashlib
import re
from html import escape

from csdrill.content.model import Card, Source

# Primary language subtags written right to left.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
CHINESE = "zh-CN"  # the glosses are Simplified Chinese, for agents in mainland China
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LABEL_SPANS = {label: f'<span class="label">{label}</span> ' for label in LABELS}

LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese",
    "sv": "Swedish", "tr": "Turkish", "zh": "Chinese", "he": "Hebrew", "fa": "Persian", "th": "Thai",
    "vi": "Vietnamese", "ms": "Malay", "hi": "Hindi", "ru": "Russian", "da": "Danish", "fi": "Finnish",
    "no": "Norwegian", "nb": "Norwegian", "cs": "Czech", "el": "Greek", "hu": "Hungarian", "ro": "Romanian",
}
REGION_NAMES = {"BR": "Brazil", "PT": "Portugal", "MX": "Mexico", "ES": "Spain", "GB": "UK", "US": "US",
                "CA": "Canada", "AU": "Australia", "AE": "UAE", "SA": "Saudi Arabia", "CN": "China", "TW": "Taiwan"}
# The region Anki's text-to-speech voices are usually named with, for a language given without one.
SPEECH_REGIONS = {"ar": "SA", "de": "DE", "en": "US", "es": "ES", "fr": "FR", "id": "ID", "it": "IT", "ja": "JP",
                  "ko": "KR", "nl": "NL", "pl": "PL", "pt": "PT", "sv": "SE", "tr": "TR", "zh": "CN", "he": "IL",
                  "fa": "IR", "th": "TH", "vi": "VN", "ms": "MY", "hi": "IN", "ru": "RU", "da": "DK", "fi": "FI",
                  "nb": "NO", "cs": "CZ", "el": "GR", "hu": "HU", "ro": "RO"}

# Scripts that need a lang (font choice) and, for Arabic and Hebrew, a direction.
_NON_LATIN_LETTERS = ("\u0370-\u03ff\u0400-\u04ff\u0590-\u08ff\u0e00-\u0e7f\u3000-\u30ff\u3400-\u9fff"
                      "\uac00-\ud7af\uf900-\ufaff\ufb1d-\ufdff\ufe70-\ufeff\uff00-\uffef")
_NON_LATIN = re.compile(f"[{_NON_LATIN_LETTERS}]")
_NEEDS_MARKUP = re.compile(f"[&<>\"'\n{_NON_LATIN_LETTERS}]")
_NON_LATIN_RUN = re.compile(rf"[{_NON_LATIN_LETTERS}]+(?:[\s\d]+[{_NON_LATIN_LETTERS}]+)*")
_ARABIC = re.compile(r"[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_HEBREW = re.compile(r"[\u0590-\u05ff\ufb1d-\ufb4f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ARABIC_LETTERS = "\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(rf"[{_ARABIC_LETTERS}]+(?:[\s\d]+[{_ARABIC_LETTERS}]+)*")


_SPECIAL = re.compile("[&<>\"'\n]")


def plain(value: str | None) -> str:
    """Escaped text; line breaks kept as <br>."""
    if not value:
        return ""
    if _SPECIAL.search(value) is None:  # most text: nothing to escape (a third of escape()'s time)
        return value
    return escape(value).replace("\n", "<br>")


def base_language(lang: str) -> str:
    return lang.split("-")[0].lower()


def is_rtl(lang: str) -> bool:
    return base_language(lang) in RTL_LANGUAGES


def language_name(lang: str | None) -> str:
    """`Portuguese (Brazil)` for pt-BR; the code itself for a language not in the table."""
    if not lang:
        return ""
    base, _dash, region = lang.partition("-")
    name = LANGUAGE_NAMES.get(base.lower())
    if name is None:
        return lang
    region = region.upper()
    return f"{name} ({REGION_NAMES.get(region, region)})" if region else name


def speech_language(lang: str) -> str:
    """Anki's TTS language tag (de_DE, pt_BR) for a BCP 47 tag."""
    base, _dash, region = lang.partition("-")
    region = region.upper() or SPEECH_REGIONS.get(base.lower(), "")
    return f"{base.lower()}_{region}" if region else base.lower()


def _span(html_text: str, lang: str, direction: str | None) -> str:
    direction = f' dir="{direction}"' if direction else ""
    return f'<span lang="{escape(lang)}"{direction}>{html_text}</span>'


def isolate_arabic(html_text: str, lang: str = "ar") -> str:
    """Arabic quoted in left-to-right text, each run in a span of its own language and direction."""
    if _ARABIC.search(html_text) is None:  # most text: no Arabic, nothing to mark
        return html_text
    return _ARABIC_RUN.sub(lambda run: _span(run.group(), lang, "rtl"), html_text)


def in_language(value: str | None, lang: str | None) -> str:
    """Escaped text in a span carrying its language (and direction, for RTL scripts)."""
    if not value:
        return ""
    if not lang:
        return plain(value)
    if is_rtl(lang):
        return _span(plain(value), lang, "rtl")
    return _span(isolate_arabic(plain(value)), lang, None)


def chinese(value: str | None) -> str:
    """A Chinese gloss: escaped, Arabic quoted in it marked as such (the template marks it Chinese)."""
    return isolate_arabic(plain(value)) if value else ""


def script_language(value: str, languages: tuple[str, ...] = ()) -> tuple[str, str | None] | None:
    """(lang, dir) for text in a non-Latin script, preferring the market's own language of that
    script; None for Latin-only text, which needs neither."""
    if not _NON_LATIN.search(value):
        return None

    def market_language(*bases: str) -> str | None:
        return next((lang for lang in languages if base_language(lang) in bases), None)

    if _ARABIC.search(value) or _HEBREW.search(value):
        if _ARABIC.search(value):
            lang = market_language("ar", "fa", "ur", "ps", "sd", "ug", "ckb") or "ar"
        else:
            lang = market_language("he", "yi") or "he"
        return lang, "rtl"
    if _KANA.search(value):
        return "ja", None
    if _HAN.search(value):
        return (market_language("ja") or market_language("zh") or CHINESE), None
    if _HANGUL.search(value):
        return "ko", None
    if re.search(r"[\u0400-\u04ff]", value):
        return (market_language("ru", "uk", "bg", "sr", "mk", "be", "kk") or "ru"), None
    if re.search(r"[\u0370-\u03ff]", value):
        return "el", None
    if re.search(r"[\u0e00-\u0e7f]", value):
        return "th", None
    return "und", None  # CJK punctuation or full-width forms alone: a script, no language


def text(value: str | None, languages: tuple[str, ...] = ()) -> str:
    """Escaped text; in a span with lang (and dir) when it is in a non-Latin script."""
    if not value:
        return ""
    if _NEEDS_MARKUP.search(value) is None:  # most text: nothing to escape, nothing to tag
        return value
    first_non_latin = _NON_LATIN.search(value)
    if first_non_latin is None:
        return plain(value)
    found = script_language(value, languages)
    first_latin = _LATIN_LETTER.search(value)
    if first_latin and first_latin.start() < first_non_latin.start():
        # Latin text quoting other scripts keeps its own language and direction; each quote is marked.
        return _NON_LATIN_RUN.sub(lambda run: _span(run.group(), *script_language(run.group(), languages)),
                                  plain(value))
    return _span(plain(value), *found)


def item_list(items, languages: tuple[str, ...] = (), lang: str | None = None) -> str:
    if not items:
        return ""
    rows = (in_language(item, lang) if lang else text(item, languages) for item in items)
    return "<ul><li>" + "</li><li>".join(rows) + "</li></ul>"


def choice_order(card_id: str, count: int) -> list[int]:
    """A shuffled order of `count` choices, the same on every export of this card id (so a rebuild
    does not churn notes) and independent of the choices' text (so fixing a typo keeps it).

    A Fisher-Yates shuffle driven by the bytes of one SHA-256 of the id (the modulo bias of a byte,
    at most 1/256 for up to 32 choices, is far below what a learner could notice)."""
    digest = hashlib.sha256(f"csdrill-choices:{card_id}".encode()).digest()
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = digest[i % 32] % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


# Each row's opening, plain and marked right, made once rather than per choice of every card.
_ROW_START = {label: f"<li>{span}" for label, span in _LABEL_SPANS.items()}
_RIGHT_ROW_START = {label: f'<li class="right">{span}' for label, span in _LABEL_SPANS.items()}


def lettered(card: Card, items, right: str | None, languages, zh_items=()) -> tuple[str, str]:
    """The choices in the card's shuffled order, lettered A, B, C…, the right one marked; and its letter."""
    order = choice_order(card.id, len(items))
    rows, right_label = [], ""
    zh_count = len(zh_items)
    for label, index in zip(LABELS, order, strict=False):
        item = items[index]
        if item == right and not right_label:
            start, right_label = _RIGHT_ROW_START[label], label
        else:
            start = _ROW_START[label]
        zh = zh_items[index] if index < zh_count else None
        zh = f'<span class="zh-option" lang="{CHINESE}">{chinese(zh)}</span>' if zh else ""
        # text()'s own fast path, inline: most choices need neither escaping nor a language tag.
        item = item if item and _NEEDS_MARKUP.search(item) is None else text(item, languages)
        rows.append(f"{start}{item}{zh}</li>")
    return f'<ol class="choices">{"".join(rows)}</ol>', right_label


def source_link(source: Source | None, languages=()) -> str:
    """The source as a clickable link (http/https only) with the date it was verified."""
    if source is None:
        return ""
    title = text(source.title, languages)
    url = source.url
    if url.startswith(("https://", "http://")):
        if _SPECIAL.search(url) is not None:  # most URLs need no escaping
            url = escape(url, quote=True)
        title = f'<a href="{url}">{title}</a>'
    return f'{title} <span class="verified">verified {source.verified.isoformat()}</span>'


def speech(value: str | None, lang: str | None) -> str:
    """Anki's own text-to-speech tag: a play button that reads the phrase in its language."""
    if not value or not lang:
        return ""
    return f"[anki:tts lang={speech_language(lang)}]{plain(value)}[/anki:tts]"


def _fact(card: Card, languages) -> dict[str, str]:
    values = {"Question": text(card.q, languages), "Answer": text(card.a, languages),
              "Also accepted": item_list(card.accept, languages)}
    if card.choices:
        values["Choices"], values["Right choice"] = lettered(card, card.choices, card.a, languages)
    return values


def _truefalse(card: Card, languages) -> dict[str, str]:
    return {"Statement": text(card.statement, languages), "Answer": "True" if card.truth else "False"}


def _phrase(card: Card, languages) -> dict[str, str]:
    return {
        "Phrase": in_language(card.text, card.lang),
        "Meaning": text(card.meaning, languages),
        "Language": plain(language_name(card.lang)),
        "Register": plain(card.register),
        "Use": text(card.use, languages),
        "Alternatives": item_list(card.accept, lang=card.lang),
        "Speech": speech(card.text, card.lang),
    }


def _scenario(card: Card, languages) -> dict[str, str]:
    options, right = lettered(card, card.options, card.best, languages, card.zh_options)
    return {
        "Situation": text(card.situation, languages),
        "Options": options,
        "Right choice": right,
        "Best": text(card.best, languages),
        "Why": text(card.why, languages),
    }


_BY_KIND = {"fact": _fact, "truefalse": _truefalse, "phrase": _phrase, "scenario": _scenario}


def note_fields(card: Card, languages: tuple[str, ...] = ()) -> dict[str, str]:
    """Field name → HTML for the fields a note of this card's kind fills. `languages` are the card's
    market's, to tag non-Latin text with the right language."""
    values = _BY_KIND[card.kind](card, languages)
    values["Explanation"] = text(card.explain, languages)
    values["Chinese"] = chinese(card.zh)
    values["Chinese prompt"] = in_language(card.zh_prompt, CHINESE)
    values["Source"] = source_link(card.source, languages)
    values["Card ID"] = plain(card.id)
    return values
