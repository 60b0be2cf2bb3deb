"""The four csdrill note types: fixed IDs, field layout, card templates and one stylesheet.

How a later release changes a note type without breaking a learner's default import (see
docs/anki.md, "Upgrades"): Anki's importer keeps a note type in place, and updates its notes, only
while the package's copy has the *same schema* as the learner's: as many fields and templates,
matched pairwise by their ids (by name where an id is missing). Any other change makes a copy
named `… +` and leaves every note "conflicting", unless the learner turns on "Merge note types".
So the layout is planned once, here:

- every field and template carries an id derived from its note type and its slot, fixed forever;
- each note type ends with SPARE_FIELDS spare fields. A release that needs a new field renames the
  next spare (same slot, same id): the schema stays equal, and the default import updates the note
  type and, because every note's content then changes, every note, in place;
- fields are never removed, reordered or renumbered; a name may change, its slot may not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

SPARE_FIELDS = 4
SPARE_PREFIX = "Spare "


@dataclass(frozen=True)
class Template:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    kind: str  # the card kind it serves: fact, truefalse, phrase, scenario
    id: int  # fixed forever; inside genanki's recommended range [2**30, 2**31)
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    css: str

    def field_id(self, slot: int) -> int:
        return slot_id(self.id, "field", slot)

    def template_id(self, slot: int) -> int:
        return slot_id(self.id, "template", slot)


def slot_id(notetype_id: int, what: str, slot: int) -> int:
    """The id Anki matches a field or template by: from the note type and the slot, never the name."""
    digest = hashlib.sha256(f"csdrill:{notetype_id}:{what}:{slot}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1  # a positive i64


def spares(count: int = SPARE_FIELDS) -> tuple[str, ...]:
    return tuple(f"{SPARE_PREFIX}{n}" for n in range(1, count + 1))


# Colours: every text colour has at least 4.5:1 contrast on its mode's background (WCAG AA), tested
# from this stylesheet. Anki puts `card`, and in night mode `nightMode night_mode`, on <body> itself.
DAY_BACKGROUND, NIGHT_BACKGROUND = "#ffffff", "#1e1e1e"
CSS = f"""\
.card {{
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic", sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: #1f2328;
  background: {DAY_BACKGROUND};
  max-width: 38em;
  margin: 0 auto;
  padding: 0 1em;
}}
.card.nightMode, .card.night_mode {{ color: #e6edf3; background: {NIGHT_BACKGROUND}; }}
:lang(ja) {{ font-family: "Hiragino Sans", "Yu Gothic UI", "Yu Gothic", "Meiryo", "Noto Sans CJK JP",
  "Noto Sans JP", sans-serif; }}
:lang(zh) {{ font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC",
  "Source Han Sans SC", sans-serif; }}
:lang(ar) {{ font-family: "Noto Naskh Arabic", "Geeza Pro", "Segoe UI", "Noto Sans Arabic", sans-serif; }}
[dir="rtl"] {{ unicode-bidi: isolate; }}
.kicker {{ font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.06em; color: #57606a; }}
.prompt {{ font-size: 1.1em; margin: 0.4em 0; }}
.phrase {{ font-size: 1.4em; margin: 0.4em 0; }}
.answer {{ font-weight: 600; margin: 0.4em 0; }}
.explain {{ margin: 0.6em 0; }}
.zh {{ color: #57606a; margin: 0.6em 0; }}
.meta {{ font-size: 0.8em; color: #57606a; }}
.source {{ font-size: 0.75em; margin-top: 1em; }}
.card a {{ color: #0969da; }}
.card-id {{ font-size: 0.6em; color: #57606a; margin-top: 1.2em; font-family: ui-monospace, monospace; }}
.retired {{ color: #b42318; font-weight: 700; border: 2px solid currentColor; padding: 0.3em 0.5em; }}
ul, ol {{ padding-inline-start: 1.4em; margin: 0.4em 0; }}
ol.choices {{ list-style: none; padding-inline-start: 0; }}
ol.choices li {{ margin: 0.3em 0; padding-inline-start: 0.4em; border-inline-start: 3px solid transparent; }}
.label {{ font-weight: 700; display: inline-block; min-width: 1.4em; }}
.back li.right {{ color: #1a7f37; font-weight: 700; border-inline-start-color: currentColor; }}
.back li.right::after {{ content: " \\2713"; }}
.front .zh-option {{ display: none; }}
.zh-option {{ display: block; font-size: 0.85em; color: #57606a; }}
hr#answer {{ border: none; border-top: 1px solid #d0d7de; margin: 1em 0; }}
.nightMode .kicker, .night_mode .kicker, .nightMode .zh, .night_mode .zh, .nightMode .meta,
.night_mode .meta, .nightMode .card-id, .night_mode .card-id, .nightMode .zh-option,
.night_mode .zh-option {{ color: #a5b1bd; }}
.nightMode.card a, .night_mode.card a {{ color: #79c0ff; }}
.nightMode .retired, .night_mode .retired {{ color: #ff7b72; }}
.nightMode .back li.right, .night_mode .back li.right {{ color: #3fb950; }}
.nightMode hr#answer, .night_mode hr#answer {{ border-top-color: #3d444d; }}
"""

# Every front starts with the retirement notice, so a retired card says so before anything else.
_RETIRED = '{{#Retired}}<div class="retired">{{Retired}}</div>{{/Retired}}'
# The Chinese of the front, hidden until tapped: a learner tries the original language first.
_ZH_HINT = '{{#Chinese prompt}}<div class="zh">{{hint:Chinese prompt}}</div>{{/Chinese prompt}}'
# The part every back ends with: why, Chinese gloss, source, card id.
_BACK_TAIL = (
    '{{#Explanation}}<div class="explain">{{Explanation}}</div>{{/Explanation}}'
    '{{#Chinese}}<div class="zh" lang="zh-CN">{{Chinese}}</div>{{/Chinese}}'
    '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
    '<div class="card-id">{{Card ID}}</div>'
)
# The first edition's fields: they keep their slots, so a first-edition note type merges into this one.
_COMMON_FIELDS = ("Explanation", "Chinese", "Source", "Card ID")
# What this edition adds to every note type, before the spare fields.
_ADDED_FIELDS = ("Chinese prompt", "Retired")


def _back(body: str) -> str:
    return '{{FrontSide}}<hr id="answer">' + body + _BACK_TAIL


def _choice_card(front_body: str, answer: str) -> tuple[str, str]:
    """Front and back of a card with lettered choices. The back repeats the front inside `.back`
    (not {{FrontSide}}), so the stylesheet can mark the right choice there and only there."""
    front = f'<div class="front">{_RETIRED}{front_body}</div>'
    back = f'<div class="back">{_RETIRED}{front_body}</div><hr id="answer">{answer}{_BACK_TAIL}'
    return front, back


_RIGHT = '<div class="answer">{{#Right choice}}<span class="label">{{Right choice}}</span> {{/Right choice}}'

FACT = NoteType(
    kind="fact",
    id=1_733_061_001,
    name="csdrill fact",
    fields=("Question", "Choices", "Answer", *_COMMON_FIELDS, "Right choice", "Also accepted", *_ADDED_FIELDS,
            *spares()),
    templates=(
        Template(
            "Question",
            *_choice_card(
                '<div class="prompt">{{Question}}</div>' + _ZH_HINT + "{{Choices}}",
                _RIGHT + "{{Answer}}</div>"
                '{{#Also accepted}}<div class="meta">Also right:</div>{{Also accepted}}{{/Also accepted}}',
            ),
        ),
    ),
    css=CSS,
)

TRUEFALSE = NoteType(
    kind="truefalse",
    id=1_733_061_002,
    name="csdrill true/false",
    fields=("Statement", "Answer", *_COMMON_FIELDS, *_ADDED_FIELDS, *spares()),
    templates=(
        Template(
            "True or false",
            _RETIRED + '<div class="kicker">True or false?</div><div class="prompt">{{Statement}}</div>' + _ZH_HINT,
            _back('<div class="answer">{{Answer}}</div>'),
        ),
    ),
    css=CSS,
)

_PHRASE_NOTES = (
    '{{#Register}}<div class="meta">Register: {{Register}}</div>{{/Register}}'
    '{{#Use}}<div class="meta">When: {{Use}}</div>{{/Use}}'
)
PHRASE = NoteType(
    kind="phrase",
    id=1_733_061_003,
    name="csdrill phrase",
    fields=("Phrase", "Meaning", "Language", "Register", "Use", "Alternatives", *_COMMON_FIELDS, "Speech",
            *_ADDED_FIELDS, *spares()),
    templates=(
        Template(
            "Recognition",
            _RETIRED + '<div class="kicker">What does it mean?</div><div class="phrase">{{Phrase}}</div>{{Speech}}',
            _back('<div class="answer">{{Meaning}}</div>' + _PHRASE_NOTES),
        ),
        Template(
            "Production",
            _RETIRED + "<div class=\"kicker\">Say it in the customer's language: {{Language}}</div>"
            '<div class="prompt">{{Meaning}}</div>' + _PHRASE_NOTES + "{{type:Phrase}}",
            # Anki shows the typed answer checked against the phrase in place of {{type:Phrase}}.
            '{{FrontSide}}<hr id="answer"><div class="phrase">{{Phrase}}</div>{{Speech}}'
            '{{#Alternatives}}<div class="meta">Also right:</div>{{Alternatives}}{{/Alternatives}}' + _BACK_TAIL,
        ),
    ),
    css=CSS,
)

SCENARIO = NoteType(
    kind="scenario",
    id=1_733_061_004,
    name="csdrill scenario",
    fields=("Situation", "Options", "Best", "Why", *_COMMON_FIELDS, "Right choice", *_ADDED_FIELDS, *spares()),
    templates=(
        Template(
            "Best reply",
            *_choice_card(
                '<div class="kicker">Which reply is best?</div><div class="prompt">{{Situation}}</div>'
                + _ZH_HINT + '<div class="options">{{Options}}</div>',
                '<div class="kicker">Best reply</div>' + _RIGHT + "{{Best}}</div>"
                '<div class="explain">{{Why}}</div>',
            ),
        ),
    ),
    css=CSS,
)

NOTE_TYPES: dict[str, NoteType] = {nt.kind: nt for nt in (FACT, TRUEFALSE, PHRASE, SCENARIO)}
