"""Reading typed fields out of a located YAML mapping, collecting a problem for each bad one."""

from __future__ import annotations

import difflib
import re
from datetime import date
from urllib.parse import urlsplit

from csdrill.content.problems import Location, Problem
from csdrill.content.yamltree import Map, Seq, key_loc, value_loc
from csdrill.i18n import N_, say

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
LANG_PATTERN = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_YES = {"yes": True, "true": True, "no": False, "false": False}


def did_you_mean(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return say(N_(" (did you mean '{word}'?)"), word=close[0]) if close else ""


class Fields:
    """Typed access to one mapping; every failed read adds a located problem."""

    def __init__(self, mapping: Map, what: str, problems: list[Problem]):
        self.map = mapping
        self.what = what
        self.problems = problems

    def problem(self, where: Location, message: str) -> None:
        self.problems.append(Problem(where, message))

    def at(self, key: str) -> Location:
        return value_loc(self.map, key) if key in self.map else self.map.loc

    def check_keys(self, allowed) -> None:
        for key in self.map:
            if key not in allowed:
                self.problem(
                    key_loc(self.map, key),
                    say(N_("unknown key '{key}' in {what}{hint}"),
                        key=key, what=self.what, hint=did_you_mean(key, allowed)),
                )

    def _missing(self, key: str) -> None:
        self.problem(self.map.loc, say(N_("{what} is missing required field '{key}'"), what=self.what, key=key))

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.map.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        if not isinstance(value, str):
            self.problem(self.at(key), say(N_("'{key}' must be text, not {kind}"), key=key, kind=_kind(value)))
            return None
        if not value.strip():
            self.problem(self.at(key), say(N_("'{key}' must not be empty"), key=key))
            return None
        return value.strip()

    def ident(self, key: str) -> str | None:
        value = self.text(key, required=True)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(
                self.at(key),
                say(N_("'{key}' must be lowercase letters and digits joined by - _ or . (got '{value}')"),
                    key=key, value=value),
            )
            return None
        return value

    def text_list(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.map.get(key)
        if value is None:
            if required:
                self._missing(key)
            return ()
        if not isinstance(value, Seq):
            self.problem(self.at(key), say(N_("'{key}' must be a list, not {kind}"), key=key, kind=_kind(value)))
            return ()
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem(value.item_loc(index), say(N_("each entry of '{key}' must be non-empty text"), key=key))
            else:
                items.append(item.strip())
        return tuple(items)

    def choice(self, key: str, allowed, required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and value not in allowed:
            hint = did_you_mean(value, allowed)
            self.problem(
                self.at(key),
                say(N_("'{key}' must be one of {allowed}, not '{value}'{hint}"),
                    key=key, allowed=", ".join(allowed), value=value, hint=hint),
            )
            return None
        return value

    def yes_no(self, key: str, required: bool = False) -> bool | None:
        value = self.text(key, required)
        if value is None:
            return None
        if value.lower() not in _YES:
            self.problem(self.at(key), say(N_("'{key}' must be yes or no, not '{value}'"), key=key, value=value))
            return None
        return _YES[value.lower()]

    def integer(self, key: str, low: int, high: int, required: bool = False) -> int | None:
        value = self.text(key, required)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            self.problem(self.at(key), say(N_("'{key}' must be a whole number, not '{value}'"), key=key, value=value))
            return None
        if not low <= number <= high:
            self.problem(self.at(key), say(N_("'{key}' must be between {low} and {high}, not {number}"),
                key=key, low=low, high=high, number=number))
            return None
        return number

    def url(self, key: str) -> str | None:
        value = self.text(key, required=True)
        if value is None:
            return None
        try:
            parts = urlsplit(value)
        except ValueError:  # e.g. an unclosed IPv6 bracket: https://[x
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
            self.problem(self.at(key), say(N_("'{key}' is not a valid http(s) URL: '{value}'"), key=key, value=value))
            return None
        return value

    def iso_date(self, key: str, today: date) -> date | None:
        value = self.text(key, required=True)
        if value is None:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            parsed = date.fromisoformat(value)
        except ValueError:
            self.problem(self.at(key), say(N_("'{key}' must be an ISO date YYYY-MM-DD, not '{value}'"),
                key=key, value=value))
            return None
        if parsed > today:
            self.problem(self.at(key), say(N_("'{key}' date {value} is in the future"), key=key, value=value))
            return None
        return parsed

    def sub_map(self, key: str, what: str, required: bool = False) -> Fields | None:
        value = self.map.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        if not isinstance(value, Map):
            self.problem(self.at(key), say(N_("'{key}' must be a mapping, not {kind}"), key=key, kind=_kind(value)))
            return None
        return Fields(value, what, self.problems)


def _kind(value) -> str:
    if isinstance(value, Map):
        return say(N_("a mapping"))
    if isinstance(value, Seq):
        return say(N_("a list"))
    return say(N_("text"))
