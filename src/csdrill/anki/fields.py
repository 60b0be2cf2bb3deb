"""A card's text as Anki field HTML: every piece escaped, phrases tagged with their language.

Card text is plain text, never HTML: `<b>` or `&` in a card shows literally in Anki.
"""

from __future__ import annotations

from html import escape

from csdrill.content.model import Card, Source

# Primary language subtags written right to left.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


def plain(value: str | None) -> str:
    """Escaped text; line breaks kept as <br>."""
    return escape(value).replace("\n", "<br>") if value else ""


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0].lower() in RTL_LANGUAGES


def in_language(value: str | None, lang: str | None) -> str:
    """Escaped text in a span carrying its language (and direction, for RTL scripts)."""
    if not value:
        return ""
    if not lang:
        return plain(value)
    direction = ' dir="rtl"' if is_rtl(lang) else ""
    return f'<span lang="{escape(lang)}"{direction}>{plain(value)}</span>'


def item_list(items, lang: str | None = None, tag: str = "ul") -> str:
    if not items:
        return ""
    rows = "</li><li>".join([in_language(item, lang) for item in items] if lang else map(plain, items))
    return f"<{tag}><li>{rows}</li></{tag}>"


def source_link(source: Source | None) -> str:
    """The source as a clickable link (http/https only) with the date it was verified."""
    if source is None:
        return ""
    title = plain(source.title)
    if source.url.startswith(("https://", "http://")):
        title = f'<a href="{escape(source.url, quote=True)}">{title}</a>'
    return f'{title} <span class="verified">verified {source.verified.isoformat()}</span>'


def _fact(card: Card) -> dict[str, str]:
    return {"Question": plain(card.q), "Choices": item_list(card.choices), "Answer": plain(card.a)}


def _truefalse(card: Card) -> dict[str, str]:
    return {"Statement": plain(card.statement), "Answer": "True" if card.truth else "False"}


def _phrase(card: Card) -> dict[str, str]:
    return {
        "Phrase": in_language(card.text, card.lang),
        "Meaning": plain(card.meaning),
        "Language": plain(card.lang),
        "Register": plain(card.register),
        "Use": plain(card.use),
        "Alternatives": item_list(card.accept, card.lang),
    }


def _scenario(card: Card) -> dict[str, str]:
    return {
        "Situation": plain(card.situation),
        "Options": item_list(card.options, tag="ol"),
        "Best": plain(card.best),
        "Why": plain(card.why),
    }


_BY_KIND = {"fact": _fact, "truefalse": _truefalse, "phrase": _phrase, "scenario": _scenario}


def note_fields(card: Card) -> dict[str, str]:
    """Field name → HTML for every field a note of this card's kind can have."""
    values = _BY_KIND[card.kind](card)
    values["Explanation"] = plain(card.explain)
    values["Chinese"] = plain(card.zh)
    values["Source"] = source_link(card.source)
    values["Card ID"] = plain(card.id)
    return values
