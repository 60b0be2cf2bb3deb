"""decks/README.md's "Adding a market", followed as written after the README's own `pip install .`:
the installed csdrill carries its own copy of the decks, and a checkout's decks/ must replace it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO, write

NL_MARKET = "  - code: nl\n    name: Netherlands\n    languages: [nl]\n    includes: [global, eu]\n"
NL_DECK = """\
deck: nl-etiquette
title: Netherlands etiquette
market: nl
topic: etiquette
cards:
  - id: nl-eti-direct
    statement: Dutch customers read a direct answer as honesty.
    true: yes
    explain: Directness is a courtesy in the Netherlands.
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """csdrill as `pip install .` leaves it: a wheel in a site folder, built-in decks inside it."""
    build = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(build)],
                   cwd=REPO, check=True, capture_output=True)
    site = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(site),
                    str(next(build.glob("csdrill-*.whl")))], check=True, capture_output=True)
    return site


@pytest.fixture
def checkout(tmp_path, builtin_content):
    """A trainer's clone: this repository's decks, quizzes and pyproject.toml, with a new market added."""
    root = tmp_path / "csdrill"
    for part in ("decks", "quizzes"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    with open(root / "decks" / "markets.yaml", "a", encoding="utf-8") as markets:
        markets.write(NL_MARKET)
    write(root / "decks" / "nl", "etiquette.yaml", NL_DECK)
    return root


def installed_cli(site, checkout, *args, input=None):
    env = dict(os.environ, PYTHONPATH=str(site))  # before the development install: the wheel's csdrill runs
    return subprocess.run([sys.executable, "-m", "csdrill", *args], cwd=checkout, env=env, input=input,
                          capture_output=True, text=True, timeout=120)


def test_the_installed_csdrill_is_the_wheel(installed, checkout):
    where = installed_cli(installed, checkout, "--version")
    assert where.returncode == 0
    probe = subprocess.run([sys.executable, "-c", "import csdrill.content.loader as l; print(l.builtin_root())"],
                           env=dict(os.environ, PYTHONPATH=str(installed)), capture_output=True, text=True)
    assert probe.stdout.strip().startswith(str(installed))


def test_lint_a_new_market_folder_in_the_checkout(installed, checkout):
    result = installed_cli(installed, checkout, "lint", "decks/nl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "unknown market" not in result.stdout and "0 problems" in result.stderr


def test_lint_one_file_uses_its_folders_markets(installed, checkout):
    result = installed_cli(installed, checkout, "lint", "decks/nl/etiquette.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_the_whole_checkout_does_not_clash_with_the_installed_copy(installed, checkout):
    result = installed_cli(installed, checkout, "lint", "decks")
    assert result.returncode == 0, result.stdout[:2000]
    assert "already used" not in result.stdout


def test_drill_the_new_market_from_the_checkout(installed, checkout):
    result = installed_cli(installed, checkout, "quiz", "--market", "nl", "--decks", "decks", "--topic",
                           "etiquette", "--mode", "choice", "--limit", "1", input="1\n")
    assert result.returncode == 0, result.stderr
    assert "saved 1 answer" in result.stdout


def test_a_deck_folder_outside_a_checkout_still_joins_the_built_in_decks(installed, tmp_path):
    own = tmp_path / "own"
    write(own, "deck.yaml", NL_DECK.replace("market: nl", "market: de").replace("nl-", "own-"))
    result = installed_cli(installed, tmp_path, "decks", "--decks", str(own), "--market", "de", "--json")
    assert result.returncode == 0, result.stderr
    markets = {deck["market"] for deck in json.loads(result.stdout)}
    assert '"own-etiquette"' in result.stdout and {"de", "eu", "global"} <= markets
