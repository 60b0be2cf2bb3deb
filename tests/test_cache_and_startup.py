"""The parsed-deck cache is fast but never trusted blindly; start-up imports only what it needs."""

from __future__ import annotations

import json
import subprocess
import sys

from csdrill.content.cache import DeckCache
from csdrill.content.loader import load
from tests.conftest import write
from tests.test_lint_rules import GOOD_FACT, GOOD_MIXED


def entries(home):
    return sorted((home / "cache").glob("*.json"))


def cached_value(entry: dict, card: int, field: str):
    return entry["cards"][card][entry["fields"].index(field)]


def test_warm_load_gives_the_same_cards_as_parsing(deck_dir, isolated_home):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    write(deck_dir, "mixed.yaml", GOOD_MIXED)
    cold = load([deck_dir], include_builtin=False)
    assert len(entries(isolated_home)) == 2
    warm = load([deck_dir], include_builtin=False)
    assert warm.problems == []
    assert warm.library.cards == cold.library.cards
    assert [d.id for d in warm.library.decks] == [d.id for d in cold.library.decks]


def test_changed_file_is_parsed_again(deck_dir):
    path = write(deck_dir, "fact.yaml", GOOD_FACT)
    load([deck_dir], include_builtin=False)
    path.write_text(GOOD_FACT.replace("a: 14 days", "a: 30 days").replace("[7 days, 14 days", "[7 days, 15 days"))
    result = load([deck_dir], include_builtin=False)
    assert result.library.cards["zz-reg-one"].a == "30 days"


def cache_one_fact(deck_dir, home) -> tuple:
    """Load a one-card deck so it gets cached: its cache entry's path and content."""
    write(deck_dir, "fact.yaml", GOOD_FACT)
    load([deck_dir], include_builtin=False)
    [entry] = entries(home)
    return entry, json.loads(entry.read_text())


def answer_after_reload(deck_dir) -> str:
    return load([deck_dir], include_builtin=False).library.cards["zz-reg-one"].a


def test_corrupt_cache_is_ignored_and_rebuilt(deck_dir, isolated_home):
    entry, _ = cache_one_fact(deck_dir, isolated_home)
    entry.write_text("{ not json")
    assert answer_after_reload(deck_dir) == "14 days"
    assert cached_value(json.loads(entry.read_text()), 0, "id") == "zz-reg-one"


def test_tampered_cache_with_wrong_hash_is_not_trusted(deck_dir, isolated_home):
    entry, data = cache_one_fact(deck_dir, isolated_home)
    data["cards"][0][data["fields"].index("a")] = "forged"
    data["sha256"] = "0" * 64
    entry.write_text(json.dumps(data))
    assert answer_after_reload(deck_dir) == "14 days"


def test_cache_written_for_other_card_fields_is_not_used(deck_dir, isolated_home):
    # As after an upgrade that added a card field: positions would no longer mean the same thing.
    entry, data = cache_one_fact(deck_dir, isolated_home)
    at = data["fields"].index("a")
    data["fields"].insert(at, "hint")
    data["cards"][0].insert(at, "forged")
    entry.write_text(json.dumps(data))
    assert answer_after_reload(deck_dir) == "14 days"


def test_truncated_cache_row_is_ignored(deck_dir, isolated_home):
    entry, data = cache_one_fact(deck_dir, isolated_home)
    data["cards"][0] = data["cards"][0][:3]
    entry.write_text(json.dumps(data))
    assert answer_after_reload(deck_dir) == "14 days"


def test_cached_deck_is_validated_again_when_markets_change(deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    load([deck_dir], include_builtin=False)
    write(deck_dir, "markets.yaml", "markets:\n  - code: yy\n    name: Y\n    languages: [en]\n")
    problems = load([deck_dir], include_builtin=False).problems
    assert any("unknown market 'zz'" in p.message for p in problems)


def test_duplicate_ids_are_found_across_cached_decks(deck_dir):
    write(deck_dir, "a.yaml", GOOD_FACT)
    load([deck_dir], include_builtin=False)
    write(deck_dir, "b.yaml", GOOD_FACT.replace("deck: zz-regulation", "deck: zz-other"))
    problems = load([deck_dir], include_builtin=False).problems
    assert any("card id 'zz-reg-one' is already used at" in p.message and "a.yaml" in p.message for p in problems)


def test_broken_decks_are_never_cached(deck_dir, isolated_home):
    write(deck_dir, "typo.yaml", GOOD_FACT.replace("explain:", "explian:"))
    load([deck_dir], include_builtin=False)
    assert entries(isolated_home) == []
    assert DeckCache().folder == isolated_home / "cache"


def imported_modules(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "csdrill", *args],
                            capture_output=True, text=True, check=True)
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_version_imports_no_heavy_modules():
    modules = imported_modules("--version")
    for heavy in ("genanki", "fsrs", "questionary", "sqlite3", "anki", "yaml", "csdrill.store", "psycopg",
                  "csdrill.content.model", "rich"):
        assert heavy not in modules, heavy


def test_markets_imports_no_drill_export_or_prompt_modules():
    modules = imported_modules("markets")
    for heavy in ("genanki", "fsrs", "questionary", "sqlite3", "anki", "prompt_toolkit", "csdrill.store", "psycopg"):
        assert heavy not in modules, heavy
    assert "yaml" in modules or "json" in modules
