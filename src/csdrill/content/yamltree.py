"""Read YAML safely into plain dicts, lists and strings that remember where each value stood.

Scalars are kept as their source text (never YAML 1.1 booleans or dates), so `a: no` means the
answer "no" and `true: yes` has a key named "true". The schema decides what text means.
"""

from __future__ import annotations

import yaml

from csdrill.content.problems import Location, Problem

try:  # libyaml makes parsing several times faster; fall back when it is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
# Aliases may be shared, but a file may not expand to more nodes than this many per byte
# (with a floor for tiny files): a few KB of nested aliases must not eat the machine.
_NODES_PER_BYTE = 4
_MIN_NODE_BUDGET = 20_000


class Map(dict):
    """A mapping that knows where it and each of its keys and values stand."""

    loc: Location
    key_locs: dict
    value_locs: dict


class Seq(list):
    """A sequence that knows where it and each of its items stand."""

    loc: Location
    item_locs: list


def key_loc(mapping: Map, key: str) -> Location:
    """Where a key stands; a key that came in through a `<<` merge points at its value."""
    return mapping.key_locs.get(key) or mapping.value_locs.get(key) or mapping.loc


def value_loc(mapping: Map, key: str) -> Location:
    return mapping.value_locs.get(key) or mapping.loc


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _loc(path: str, mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def parse(text: str, path: str):
    """Parse YAML text into Map/Seq/str/None; raise YamlProblem with a location on failure."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = _loc(path, mark) if mark else Location(path)
        what = err.problem or err.context or "invalid YAML"
        if err.context and err.problem:
            what = f"{err.context}, {err.problem}"
        raise YamlProblem(Problem(where, f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as err:
        raise YamlProblem(Problem(Location(path), f"YAML error: {err}")) from None
    if root is None:
        return None
    builder = _Builder(path, budget=max(_MIN_NODE_BUDGET, _NODES_PER_BYTE * len(text)))
    return builder.build(root)


class _Builder:
    def __init__(self, path: str, budget: int):
        self.path = path
        self.budget = budget

    def _spend(self, node) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise YamlProblem(
                Problem(
                    _loc(self.path, node.start_mark),
                    "YAML aliases expand to far too many nodes (an alias bomb?); "
                    "write the content out instead of nesting aliases",
                )
            )

    def build(self, node):
        self._spend(node)
        if isinstance(node, yaml.ScalarNode):
            return None if node.tag == _NULL else node.value
        if isinstance(node, yaml.SequenceNode):
            seq = Seq()
            seq.loc = _loc(self.path, node.start_mark)
            seq.item_locs = []
            for item in node.value:
                seq.append(self.build(item))
                seq.item_locs.append(_loc(self.path, item.start_mark))
            return seq
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        raise YamlProblem(Problem(_loc(self.path, node.start_mark), "unsupported YAML node"))

    def _mapping(self, node) -> Map:
        out = Map()
        out.loc = _loc(self.path, node.start_mark)
        out.key_locs, out.value_locs = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._merge(out, value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    Problem(_loc(self.path, key_node.start_mark), "mapping keys must be plain text")
                )
            key = key_node.value
            if key in out and key in out.key_locs:
                first = out.key_locs[key]
                raise YamlProblem(
                    Problem(
                        _loc(self.path, key_node.start_mark),
                        f"duplicate key '{key}' (first at line {first.line})",
                    )
                )
            out[key] = self.build(value_node)
            out.key_locs[key] = _loc(self.path, key_node.start_mark)
            out.value_locs[key] = _loc(self.path, value_node.start_mark)
        return out

    def _merge(self, out: Map, value_node) -> None:
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            merged = self.build(source)
            if not isinstance(merged, Map):
                raise YamlProblem(
                    Problem(_loc(self.path, source.start_mark), "'<<' merges only mappings")
                )
            for key, value in merged.items():
                if key not in out:
                    out[key] = value
                    out.value_locs[key] = merged.value_locs[key]
