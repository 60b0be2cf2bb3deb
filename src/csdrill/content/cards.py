"""The card schema: which fields each kind of card has, and the rules they must follow."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from csdrill.content.fields import LANG_PATTERN, Fields
from csdrill.content.model import Card, Source
from csdrill.content.problems import Location
from csdrill.content.vocabulary import KINDS, REGISTERS
from csdrill.i18n import N_, say

COMMON_KEYS = ("id", "kind", "tags", "explain", "zh", "zh_prompt", "source")
KIND_KEYS = {
    "fact": ("q", "a", "choices", "accept"),
    "truefalse": ("statement", "true"),
    "phrase": ("lang", "text", "meaning", "register", "use", "accept"),
    "scenario": ("situation", "options", "best", "why", "zh_options"),
}
# The field whose presence says which kind a card is, when `kind` is not given.
_MARKERS = {"q": "fact", "statement": "truefalse", "text": "phrase", "situation": "scenario"}
SOURCE_KEYS = ("title", "url", "verified")


def infer_kind(fields: Fields) -> str | None:
    explicit = fields.choice("kind", KINDS)
    if explicit:
        return explicit
    found = sorted({kind for key, kind in _MARKERS.items() if key in fields.map})
    if len(found) == 1:
        return found[0]
    if not found:
        fields.problem(
            fields.map.loc,
            say(N_("cannot tell what kind of card this is: give q/a (fact), statement/true (true/false), "
              "lang/text/meaning (phrase) or situation/options/best (scenario)")),
        )
    else:
        kinds = ", ".join(found[:-1])  # kinds are the schema's words (fact, scenario …), never translated
        fields.problem(fields.map.loc, say(N_("card mixes fields of {kinds} and {last} cards"), kinds=kinds,
                                           last=found[-1]))
    return None


def read_card(
    fields: Fields, *, deck: str, market: str, topic: str, today: date
) -> Card | None:
    """Validate one card mapping; return the Card, or None when it is too broken to use."""
    before = len(fields.problems)
    card_id = fields.ident("id")
    if card_id:
        fields.what = say(N_("card '{id}'"), id=card_id)
    kind = infer_kind(fields)
    if kind is None:
        return None
    fields.check_keys(COMMON_KEYS + KIND_KEYS[kind])
    values = dict(
        tags=fields.text_list("tags"),
        explain=fields.text("explain", required=kind == "truefalse"),
        zh=fields.text("zh", required=kind == "phrase"),
        zh_prompt=fields.text("zh_prompt"),
        source=_read_source(fields, required=topic == "regulation", today=today),
    )
    values.update(_KIND_READERS[kind](fields))
    _check_chinese_spacing(fields, values)
    if len(fields.problems) > before or card_id is None:
        return None
    loc: Location = fields.map.loc
    return Card(id=card_id, kind=kind, deck=deck, market=market, topic=topic, location=loc, **values)


# Chinese puts no space between characters; one there is almost always a YAML line fold (a long plain
# or double-quoted value folded onto the next line turns the line break into a space). A space before
# or after a Japanese word quoted in the Chinese (kanji next to kana) is meant, and left alone.
_SPACE_BETWEEN_CJK = re.compile(r"(?<![\u3040-\u30ff])[\u4e00-\u9fff] [\u4e00-\u9fff](?![\u3040-\u30ff])")


def _check_chinese_spacing(fields: Fields, values: dict) -> None:
    for key in ("zh", "zh_prompt", "zh_options"):
        texts = values.get(key) or ()
        for text in (texts,) if isinstance(texts, str) else texts:
            found = _SPACE_BETWEEN_CJK.search(text)
            if found:
                fields.problem(fields.at(key), say(N_(
                    "'{key}' has a space between two Chinese characters ('{found}'), usually from a folded "
                    "YAML line: join the line or quote the value with | or >-"), key=key, found=found.group()))
                break


def _read_source(fields: Fields, required: bool, today: date) -> Source | None:
    if required and "source" not in fields.map:
        fields.problem(
            fields.map.loc,
            say(N_("{what} is in a regulation deck but has no 'source' "
              "(title naming the law and article, url of the official text, verified date)"), what=fields.what),
        )
        return None
    sub = fields.sub_map("source", say(N_("source of {what}"), what=fields.what))
    if sub is None:
        return None
    sub.check_keys(SOURCE_KEYS)
    title, url, verified = sub.text("title", required=True), sub.url("url"), sub.iso_date(
        "verified", today
    )
    if title and url and verified:
        return Source(title=title, url=url, verified=verified)
    return None


def _same_text(text: str) -> str:
    # Only case and spacing are ignored: "UTC+3" and "UTC-3" are different answers.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _distinct(fields: Fields, key: str, items: tuple[str, ...]) -> None:
    seen: dict[str, str] = {}
    for item in items:
        norm = _same_text(item)
        if norm in seen:
            fields.problem(fields.at(key), say(N_("'{key}' repeats '{item}'"), key=key, item=item))
        seen[norm] = item


def _fact(fields: Fields) -> dict:
    q, a = fields.text("q", required=True), fields.text("a", required=True)
    choices, accept = fields.text_list("choices"), fields.text_list("accept")
    if choices:
        if len(choices) < 2:
            fields.problem(fields.at("choices"), say(N_("'choices' needs at least two entries")))
        if a and a not in choices:
            fields.problem(
                fields.at("choices"),
                say(N_("'choices' does not contain the answer '{answer}' (it must appear exactly as in 'a')"),
                    answer=a),
            )
        _distinct(fields, "choices", choices)
    return dict(q=q, a=a, choices=choices, accept=accept)


def _truefalse(fields: Fields) -> dict:
    return dict(statement=fields.text("statement", required=True), truth=fields.yes_no("true", True))


def _phrase(fields: Fields) -> dict:
    lang = fields.text("lang", required=True)
    if lang and not LANG_PATTERN.match(lang):
        fields.problem(fields.at("lang"), say(N_("'lang' must be a BCP 47 tag such as de or pt-BR, not '{lang}'"),
            lang=lang))
    return dict(
        lang=lang,
        text=fields.text("text", required=True),
        meaning=fields.text("meaning", required=True),
        register=fields.choice("register", REGISTERS),
        use=fields.text("use"),
        accept=fields.text_list("accept"),
    )


def _scenario(fields: Fields) -> dict:
    options = fields.text_list("options", required=True)
    best = fields.text("best", required=True)
    if options and not 3 <= len(options) <= 4:
        fields.problem(fields.at("options"), say(N_("a scenario needs 3 or 4 options, not {count}"),
            count=len(options)))
    _distinct(fields, "options", options)
    if options and best and best not in options:
        fields.problem(fields.at("best"), say(N_("'best' must be the exact text of one of the options")))
    zh_options = fields.text_list("zh_options")
    if zh_options and options and len(zh_options) != len(options):
        fields.problem(
            fields.at("zh_options"),
            say(N_("'zh_options' must have one entry per option ({expected}), not {count}"),
                expected=len(options), count=len(zh_options)),
        )
    return dict(situation=fields.text("situation", required=True), options=options, best=best,
                why=fields.text("why", required=True), zh_options=zh_options)


_KIND_READERS = {"fact": _fact, "truefalse": _truefalse, "phrase": _phrase, "scenario": _scenario}
