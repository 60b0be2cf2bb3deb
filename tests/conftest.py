"""Shared test fixtures: an isolated CSDRILL_HOME and a way to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own progress store and no stray trainer decks."""
    home = tmp_path_factory.mktemp("csdrill-home")
    monkeypatch.setenv("CSDRILL_HOME", str(home))
    monkeypatch.setenv("CSDRILL_USER", "tester")
    monkeypatch.delenv("CSDRILL_DECKS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    return home


def run_cli(*args: str, input: str | None = None, cwd=None, env: dict | None = None, timeout=60):
    """Run `python -m csdrill ARGS` as a user would, returning the completed process."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "csdrill", *args],
        input=input,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture
def cli():
    return run_cli


# The one phrase card the Zedland test worlds share; tests add lines (register, explain, more cards).
ZZ_PHRASES = """\
deck: zz-phrases
title: Zedland phrases
market: zz
topic: phrase
cards:
  - id: zz-phr-patience
    lang: de
    text: Vielen Dank für Ihre Geduld.
    meaning: Thank you for your patience.
    zh: 感谢您的耐心。
"""


MINI_MARKETS = """\
markets:
  - code: zz
    name: Zedland
    languages: [de]
    includes: [pool1]
  - code: pool1
    name: Shared pool
    languages: [en]
    pool: true
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def deck_dir(tmp_path):
    """A trainer's deck folder with its own markets file, for tests that need a known world."""
    folder = tmp_path / "decks"
    write(folder, "markets.yaml", MINI_MARKETS)
    return folder


@pytest.fixture(scope="module")
def builtin_content():
    """The built-in library, for CLI tests that count on it; skipped, not failed, if it has lint problems."""
    from csdrill.content.loader import load

    result = load(today=date.today())
    if result.problems:
        pytest.skip(f"built-in content has {len(result.problems)} lint problem(s), e.g. {result.problems[0]}")
    return result
