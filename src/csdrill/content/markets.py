"""Reading `markets.yaml`: the markets, the shared pools, and what each includes."""

from __future__ import annotations

from csdrill.content.fields import LANG_PATTERN, Fields, did_you_mean
from csdrill.content.model import Market
from csdrill.content.problems import Problem
from csdrill.content.yamltree import Map, Seq
from csdrill.i18n import N_, say

MARKET_KEYS = ("code", "name", "languages", "includes", "pool", "description")


def read_markets(root: Map, path: str, known: dict[str, Market], problems: list[Problem]) -> list[Market]:
    """Validate a markets file; codes in `known` (loaded earlier) may not be redefined."""
    top = Fields(root, say(N_("markets file {path}"), path=path), problems)
    top.check_keys(("markets",))
    entries = root.get("markets")
    if not isinstance(entries, Seq):
        top.problem(top.at("markets"), say(N_("'markets' must be a list of markets")))
        return []
    found: list[Market] = []
    for raw, where in zip(entries, entries.item_locs, strict=True):
        if not isinstance(raw, Map):
            problems.append(Problem(where, say(N_("each market must be a mapping"))))
            continue
        fields = Fields(raw, say(N_("market")), problems)
        fields.check_keys(MARKET_KEYS)
        code = fields.ident("code")
        languages = fields.text_list("languages", required=True)
        for lang in languages:
            if not LANG_PATTERN.match(lang):
                fields.problem(fields.at("languages"), say(N_("'{lang}' is not a BCP 47 language tag"), lang=lang))
        market = Market(
            code=code or "?",
            name=fields.text("name", required=True) or "?",
            languages=languages,
            includes=fields.text_list("includes"),
            pool=bool(fields.yes_no("pool")),
            location=raw.loc,
        )
        if code in known or any(m.code == code for m in found):
            other = known.get(code) or next(m for m in found if m.code == code)
            fields.problem(raw.loc, say(N_("market '{code}' is already defined at {first}"),
                code=code, first=other.location))
            continue
        if code:
            found.append(market)
    return found


def check_includes(markets: dict[str, Market], problems: list[Problem]) -> None:
    """Every included code must exist, and no market may include itself, even indirectly."""
    for market in markets.values():
        for code in market.includes:
            if code not in markets:
                problems.append(
                    Problem(
                        market.location,
                        say(N_("market '{market}' includes unknown market '{code}'{hint}"),
                            market=market.code, code=code, hint=did_you_mean(code, markets)),
                    )
                )
        if _reaches(markets, market.code, market.code):
            problems.append(Problem(market.location, say(N_("market '{market}' includes itself"), market=market.code)))


def _reaches(markets: dict[str, Market], start: str, target: str) -> bool:
    seen, stack = set(), list(markets[start].includes)
    while stack:
        code = stack.pop()
        if code == target:
            return True
        if code in seen or code not in markets:
            continue
        seen.add(code)
        stack.extend(markets[code].includes)
    return False
