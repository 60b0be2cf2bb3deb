"""Read YAML safely into plain dicts, lists and strings that remember where each value stood.

Scalars are kept as their source text (never YAML 1.1 booleans or dates), so `a: no` means the
answer "no" and `true: yes` has a key named "true". The schema decides what text means.
"""

from __future__ import annotations

import yaml

from csdrill.content.problems import Location, Problem
from csdrill.i18n import N_, say
from csdrill.safe_text import visible

_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))


class _TextResolver(yaml.resolver.BaseResolver):
    """Tags only what the builder looks at: null and the `<<` merge key; every other scalar is text.

    YAML 1.1's resolver tries a list of regular expressions on every plain scalar (bool, int, float,
    timestamp ...) to find a type the builder then ignores; skipping that makes parsing faster.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0] and value in _NULL_WORDS:
                return _NULL
            if implicit[0] and value == "<<":
                return _MERGE
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


try:  # libyaml makes parsing several times faster; fall back when it is missing
    from yaml.cyaml import CParser as _Parser

    _BYTE_POSITIONS = True  # libyaml reports reader errors at a UTF-8 byte offset
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.loader import SafeLoader as _Parser

    _BYTE_POSITIONS = False


class _Loader(_TextResolver, _Parser):  # our resolver first, so it shadows a fallback loader's own
    def __init__(self, stream):
        _Parser.__init__(self, stream)
        _TextResolver.__init__(self)


# Aliases may be shared, but a file may not expand to more nodes than this many per byte
# (with a floor for tiny files): a few KB of nested aliases must not eat the machine.
_NODES_PER_BYTE = 4
_MIN_NODE_BUDGET = 20_000

# A card needs four levels (cards > card > source > field); the cap keeps the builder's recursion
# far below Python's own limit, whatever libyaml accepts.
MAX_DEPTH = 64

# Maps and sequences keep the parser's marks and turn one into a Location only when asked: a deck of
# 1,000 cards has some 30,000 keys and values, and hardly any of them is ever reported.


class Map(dict):
    """A mapping that knows where it and each of its keys and values stand."""

    path: str
    mark: object
    key_marks: dict
    value_marks: dict

    @property
    def loc(self) -> Location:
        return _loc(self.path, self.mark)


class Seq(list):
    """A sequence that knows where it and each of its items stand."""

    path: str
    mark: object
    item_marks: list

    @property
    def loc(self) -> Location:
        return _loc(self.path, self.mark)

    def item_loc(self, index: int) -> Location:
        return _loc(self.path, self.item_marks[index])

    @property
    def item_locs(self) -> list[Location]:
        return [_loc(self.path, mark) for mark in self.item_marks]


def key_loc(mapping: Map, key: str) -> Location:
    """Where a key stands; a key that came in through a `<<` merge points at its value."""
    mark = mapping.key_marks.get(key) or mapping.value_marks.get(key)
    return _loc(mapping.path, mark) if mark else mapping.loc


def value_loc(mapping: Map, key: str) -> Location:
    mark = mapping.value_marks.get(key)
    return _loc(mapping.path, mark) if mark else mapping.loc


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _loc(path: str, mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def parse(text: str, path: str):
    """Parse YAML text into Map/Seq/str/None; raise YamlProblem with a location on failure.

    Control characters that double-quoted escapes put into a value or key come back visible
    (`\\x1b`), so nothing read from a deck can act on a terminal.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as err:
        raise YamlProblem(_reader_problem(err, text, path)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = _loc(path, mark) if mark else Location(path)
        what = err.problem or err.context or "invalid YAML"
        if err.context and err.problem:
            what = f"{err.context}, {err.problem}"
        raise YamlProblem(Problem(where, say(N_("YAML syntax error: {detail}"), detail=_one_line(what)))) from None
    except yaml.YAMLError as err:
        raise YamlProblem(Problem(Location(path), say(N_("YAML error: {detail}"),
            detail=_one_line(str(err))))) from None
    if root is None:
        return None
    # Raw control characters never get past the reader; only escapes (\e, \x9b) and the
    # NEL line break (U+0085) can put them into a value, so text without either needs no check.
    clean = "\\" not in text and "\x85" not in text
    builder = _Builder(path, budget=max(_MIN_NODE_BUDGET, _NODES_PER_BYTE * len(text)), clean=clean)
    return builder.build(root, 0)


def _one_line(message: str) -> str:
    return visible(" ".join(message.split()))


def _reader_problem(err, text: str, path: str) -> Problem:
    """A character the YAML reader refuses, at its own line and column."""
    position = err.position
    if _BYTE_POSITIONS:
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    char = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "?")
    return Problem(
        Location(path, line, col),
        say(N_("character U+{code:04X} is not allowed in YAML (a control or non-printable character); remove it"),
            code=char),
    )


class _Builder:
    def __init__(self, path: str, budget: int, clean: bool = False):
        self.path = path
        self.budget = budget
        self.clean = clean

    def _spend(self, node, depth: int) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise YamlProblem(
                Problem(
                    _loc(self.path, node.start_mark),
                    say(N_("YAML aliases expand to far too many nodes (an alias bomb?); "
                      "write the content out instead of nesting aliases")),
                )
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(
                Problem(
                    _loc(self.path, node.start_mark),
                    say(N_("values are nested more than {depth} levels deep; "
                      "a deck needs only a few (cards, a card, its source)"), depth=MAX_DEPTH),
                )
            )

    def build(self, node, depth: int):
        self._spend(node, depth)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _NULL:
                return None
            return node.value if self.clean else visible(node.value)
        if isinstance(node, yaml.SequenceNode):
            seq = Seq()
            seq.path, seq.mark, seq.item_marks = self.path, node.start_mark, []
            for item in node.value:
                seq.append(self.build(item, depth + 1))
                seq.item_marks.append(item.start_mark)
            return seq
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        raise YamlProblem(Problem(_loc(self.path, node.start_mark), say(N_("unsupported YAML node"))))

    def _mapping(self, node, depth: int) -> Map:
        out = Map()
        out.path, out.mark, out.key_marks, out.value_marks = self.path, node.start_mark, {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._merge(out, value_node, depth)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    Problem(_loc(self.path, key_node.start_mark), say(N_("mapping keys must be plain text")))
                )
            key = key_node.value if self.clean else visible(key_node.value)
            if key in out.key_marks:
                first = out.key_marks[key]
                raise YamlProblem(
                    Problem(
                        _loc(self.path, key_node.start_mark),
                        say(N_("duplicate key '{key}' (first at line {line})"), key=key, line=first.line + 1),
                    )
                )
            out[key] = self.build(value_node, depth + 1)
            out.key_marks[key] = key_node.start_mark
            out.value_marks[key] = value_node.start_mark
        return out

    def _merge(self, out: Map, value_node, depth: int) -> None:
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            merged = self.build(source, depth + 1)
            if not isinstance(merged, Map):
                raise YamlProblem(
                    Problem(_loc(self.path, source.start_mark), say(N_("'<<' merges only mappings")))
                )
            for key, value in merged.items():
                if key not in out:
                    out[key] = value
                    out.value_marks[key] = merged.value_marks[key]
