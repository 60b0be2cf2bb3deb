"""CSV export for trainers: every field, one row per card, UTF-8 with BOM for Excel."""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from datetime import date

import pytest

from csdrill.content.loader import load
from csdrill.content.model import Card
from csdrill.content.serialise import card_to_dict
from csdrill.csv_export import csv_columns, export_csv
from csdrill.selection import select_cards
from tests.conftest import write
from tests.test_lint_rules import GOOD_FACT, GOOD_MIXED

TODAY = date(2026, 11, 22)
UMLAUT_DECK = """\
deck: zz-phrases
title: Zedland phrases
market: pool1
topic: phrase
cards:
  - id: zz-phr-groesse
    lang: de
    text: "Die Größe fällt klein aus; Süße Grüße, \\"Jörg\\", Straße 1"
    meaning: The size runs small.
    zh: 尺码偏小。
    accept: [Größe fällt klein aus, Bitte eine Größe größer]
    tags: [size, long tag]
"""


@pytest.fixture
def library(deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    write(deck_dir, "mixed.yaml", GOOD_MIXED)
    write(deck_dir, "phrases.yaml", UMLAUT_DECK)
    result = load([deck_dir], include_builtin=False, today=TODAY)
    assert result.problems == []
    return result.library


def read_back(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_header_has_every_card_field(library, tmp_path):
    export_csv(select_cards(library, ["zz"]), tmp_path / "out.csv")

    header = next(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    model_fields = [f.name for f in fields(Card)]
    expected = [c for c in model_fields if c != "source"]
    assert [c for c in header if not c.startswith("source_")] == expected
    assert {"source_title", "source_url", "source_verified"} <= set(header)
    assert set(card_to_dict(library.cards["zz-reg-one"], compact=False)) - {"source"} <= set(header)
    assert header == csv_columns()


def test_one_row_per_card_with_pools_once(library, tmp_path):
    count = export_csv(select_cards(library, ["zz", "pool1"]), tmp_path / "out.csv")

    rows = read_back(tmp_path / "out.csv")
    assert count == len(rows) == len(library.cards) == 5
    assert sorted(r["id"] for r in rows) == sorted(library.cards)


def test_umlauts_and_quotes_round_trip_and_lists_are_joined(library, tmp_path):
    export_csv(select_cards(library, ["pool1"]), tmp_path / "out.csv")

    (row,) = read_back(tmp_path / "out.csv")
    card = library.cards["zz-phr-groesse"]
    assert row["text"] == card.text == 'Die Größe fällt klein aus; Süße Grüße, "Jörg", Straße 1'
    assert row["zh"] == "尺码偏小。"
    assert row["accept"] == "Größe fällt klein aus | Bitte eine Größe größer"
    assert row["tags"] == "size | long tag"
    assert row["truth"] == row["q"] == row["source_url"] == ""


def test_fact_and_truefalse_values(library, tmp_path):
    export_csv(select_cards(library, ["zz"], ["regulation", "etiquette"]), tmp_path / "out.csv")

    rows = {r["id"]: r for r in read_back(tmp_path / "out.csv")}
    assert rows["zz-reg-one"]["choices"] == "7 days | 14 days | 30 days"
    assert rows["zz-reg-one"]["source_verified"] == "2026-01-02"
    assert rows["zz-reg-one"]["source_url"] == "https://eur-lex.europa.eu/eli/dir/2011/83/oj"
    assert rows["zz-eti-myth"]["truth"] == "no"
    assert rows["zz-eti-myth"]["kind"] == "truefalse"


def test_cli_csv_to_stdout(cli, deck_dir, builtin_content):
    write(deck_dir, "phrases.yaml", UMLAUT_DECK)

    run = cli("export", "csv", "--market", "pool1", "--decks", str(deck_dir), "--output", "-")

    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
    assert [r["id"] for r in rows] == ["zz-phr-groesse"]
    assert rows[0]["text"].startswith("Die Größe")
    assert run.stderr.strip() == "1 card → stdout"


def test_cli_csv_default_file(cli, tmp_path, builtin_content):
    run = cli("export", "csv", "--market", "de", cwd=tmp_path)

    assert run.returncode == 0, run.stderr
    rows = read_back(tmp_path / "csdrill-de.csv")
    assert len(rows) == len(builtin_content.library.market_cards("de"))
    assert run.stdout.strip() == f"{len(rows)} cards → csdrill-de.csv"


def test_cli_csv_help_mentions_the_bom(cli):
    run = cli("export", "csv", "--help")

    assert run.returncode == 0
    assert "BOM" in run.stdout and "Excel" in run.stdout
