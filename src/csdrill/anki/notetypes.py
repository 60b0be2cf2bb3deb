"""The four csdrill note types: fixed IDs, field names, card templates and one stylesheet.

The IDs are part of the contract with every learner's collection: Anki matches note types by ID,
so they never change. A field may be added in a later version (import with "Merge note types",
see docs/anki.md); fields are never renamed or reordered.
"""

from __future__ import annotations

from dataclasses import dataclass


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


CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
    "Noto Sans Arabic", sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: #1f2328;
  background: #ffffff;
  max-width: 38em;
  margin: 0 auto;
  padding: 0 1em;
}
.nightMode.card, .night_mode .card { color: #e6edf3; background: #1e1e1e; }
.kicker { font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.06em; color: #6e7781; }
.prompt { font-size: 1.1em; margin: 0.4em 0; }
.phrase { font-size: 1.4em; margin: 0.4em 0; }
.phrase [dir="rtl"], li [dir="rtl"] { display: inline-block; direction: rtl; unicode-bidi: isolate; }
.answer { font-weight: 600; margin: 0.4em 0; }
.explain { margin: 0.6em 0; }
.zh { color: #57606a; margin: 0.6em 0; }
.meta { font-size: 0.8em; color: #6e7781; }
.source { font-size: 0.75em; margin-top: 1em; }
.source a { color: #0969da; }
.nightMode .source a, .night_mode .source a { color: #58a6ff; }
.card-id { font-size: 0.6em; color: #8c959f; margin-top: 1.2em; font-family: ui-monospace, monospace; }
ul, ol { padding-inline-start: 1.4em; margin: 0.4em 0; }
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: 1em 0; }
"""

# The part every back ends with: why, Chinese gloss, source, card id.
_BACK_TAIL = (
    '{{#Explanation}}<div class="explain">{{Explanation}}</div>{{/Explanation}}'
    '{{#Chinese}}<div class="zh" lang="zh">{{Chinese}}</div>{{/Chinese}}'
    '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
    '<div class="card-id">{{Card ID}}</div>'
)
_COMMON_FIELDS = ("Explanation", "Chinese", "Source", "Card ID")


def _back(body: str) -> str:
    return '{{FrontSide}}<hr id="answer">' + body + _BACK_TAIL


FACT = NoteType(
    kind="fact",
    id=1_733_061_001,
    name="csdrill fact",
    fields=("Question", "Choices", "Answer", *_COMMON_FIELDS),
    templates=(
        Template(
            "Question",
            '<div class="prompt">{{Question}}</div>'
            '{{#Choices}}<div class="choices">{{Choices}}</div>{{/Choices}}',
            _back('<div class="answer">{{Answer}}</div>'),
        ),
    ),
    css=CSS,
)

TRUEFALSE = NoteType(
    kind="truefalse",
    id=1_733_061_002,
    name="csdrill true/false",
    fields=("Statement", "Answer", *_COMMON_FIELDS),
    templates=(
        Template(
            "True or false",
            '<div class="kicker">True or false?</div><div class="prompt">{{Statement}}</div>',
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
    fields=("Phrase", "Meaning", "Language", "Register", "Use", "Alternatives", *_COMMON_FIELDS),
    templates=(
        Template(
            "Recognition",
            '<div class="kicker">What does it mean?</div><div class="phrase">{{Phrase}}</div>',
            _back('<div class="answer">{{Meaning}}</div>' + _PHRASE_NOTES),
        ),
        Template(
            "Production",
            "<div class=\"kicker\">Say it in the customer's language ({{Language}})</div>"
            '<div class="prompt">{{Meaning}}</div>'
            + _PHRASE_NOTES,
            _back(
                '<div class="phrase">{{Phrase}}</div>'
                '{{#Alternatives}}<div class="meta">Also right:</div>{{Alternatives}}{{/Alternatives}}'
            ),
        ),
    ),
    css=CSS,
)

SCENARIO = NoteType(
    kind="scenario",
    id=1_733_061_004,
    name="csdrill scenario",
    fields=("Situation", "Options", "Best", "Why", *_COMMON_FIELDS),
    templates=(
        Template(
            "Best reply",
            '<div class="kicker">Which reply is best?</div><div class="prompt">{{Situation}}</div>'
            '<div class="options">{{Options}}</div>',
            _back('<div class="kicker">Best reply</div><div class="answer">{{Best}}</div>'
                  '<div class="explain">{{Why}}</div>'),
        ),
    ),
    css=CSS,
)

NOTE_TYPES: dict[str, NoteType] = {nt.kind: nt for nt in (FACT, TRUEFALSE, PHRASE, SCENARIO)}
