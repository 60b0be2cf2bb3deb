"""Broken and hostile deck files: each is a located, one-line problem through the real CLI, never an
internal error (lint exits 1 on problems, every other command 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write

CARD_DECK = """\
deck: zz-skill
title: Zedland skills
market: zz
topic: skill
cards:
  - id: zz-skill-one
    q: {q}
    a: b
"""


def assert_clean_failure(result, code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["{a: " * 900 + "1" + "}" * 900, "[" * 990 + "1" + "]" * 990],
                         ids=["900-flow-maps", "990-lists"])
def test_deep_nesting_is_a_located_problem(cli, deck_dir, value):
    write(deck_dir, "deck.yaml", CARD_DECK.format(q=value))
    result = cli("lint", str(deck_dir))
    assert_clean_failure(result, 1)
    [line] = [ln for ln in result.stdout.splitlines() if "deck.yaml" in ln]
    assert "deck.yaml:7:" in line and "nested more than 64 levels deep" in line
    assert_clean_failure(cli("decks", "--decks", str(deck_dir)), 2)


def test_nesting_beyond_libyamls_own_limit_is_a_located_problem(cli, deck_dir):
    write(deck_dir, "deck.yaml", CARD_DECK.format(q="[" * 5000 + "]" * 5000))
    result = cli("lint", str(deck_dir))
    assert_clean_failure(result, 1)
    assert "deck.yaml:7:" in result.stdout and "nesting depth" in result.stdout


def test_url_with_an_unclosed_ipv6_bracket_is_a_lint_problem(cli, deck_dir):
    write(deck_dir, "deck.yaml", """\
        deck: zz-reg
        title: Zedland law
        market: zz
        topic: regulation
        cards:
          - id: zz-reg-one
            q: a
            a: b
            source:
              title: Law, Art. 1
              url: "https://[x"
              verified: 2020-01-01
    """)
    result = cli("lint", str(deck_dir))
    assert_clean_failure(result, 1)
    assert "deck.yaml:11:12: 'url' is not a valid http(s) URL: 'https://[x'" in result.stdout


def test_control_character_is_reported_at_its_line_and_column_on_one_line(cli, deck_dir):
    (deck_dir / "deck.yaml").write_text(CARD_DECK.format(q="Grüße a\x01b"), encoding="utf-8")
    result = cli("lint", str(deck_dir))
    assert_clean_failure(result, 1)
    problems = [ln for ln in result.stdout.splitlines() if "deck.yaml" in ln]
    assert len(problems) == 1
    assert problems[0].endswith("deck.yaml:7:15: character U+0001 is not allowed in YAML "
                                "(a control or non-printable character); remove it")


def test_named_pipe_given_to_lint_is_a_problem_not_zero_problems(cli, deck_dir):
    fifo = deck_dir / "fifo.yaml"
    os.mkfifo(fifo)
    result = cli("lint", str(fifo), timeout=20)
    assert_clean_failure(result, 1)
    assert "fifo.yaml:1:1: not a regular file but a named pipe (FIFO)" in result.stdout
    assert "1 problem" in result.stderr


def test_special_files_in_a_deck_folder_are_each_reported(cli, deck_dir):
    os.mkfifo(deck_dir / "fifo.yaml")
    os.symlink("/dev/null", deck_dir / "device.yaml")
    os.symlink("nowhere.yaml", deck_dir / "dangling.yaml")
    os.symlink("loop-b.yaml", deck_dir / "loop-a.yaml")
    os.symlink("loop-a.yaml", deck_dir / "loop-b.yaml")
    result = cli("lint", str(deck_dir), timeout=20)
    assert_clean_failure(result, 1)
    out = result.stdout
    assert "fifo.yaml:1:1: not a regular file but a named pipe (FIFO)" in out
    assert "device.yaml:1:1: not a regular file but a device" in out
    assert "dangling.yaml:1:1: broken symbolic link: its target nowhere.yaml does not exist" in out
    assert "loop-a.yaml:1:1: symbolic link loop" in out and "loop-b.yaml:1:1: symbolic link loop" in out
    # every other command refuses the folder the same way, and never blocks on the pipe
    assert_clean_failure(cli("decks", "--decks", str(deck_dir), timeout=20), 2)


def test_unreadable_subfolder_is_reported(tmp_path):
    """Run as an unprivileged user: root reads every folder, whatever its mode."""
    import tempfile

    from tests.conftest import REPO

    base = tempfile.mkdtemp(prefix="csdrill-perm-")
    try:
        os.chmod(base, 0o755)
        write(Path(base), "decks/markets.yaml", "markets:\n  - code: zz\n    name: Z\n"
              "    languages: [de]\n")
        locked = os.path.join(base, "decks", "locked")
        os.mkdir(locked)
        os.chmod(locked, 0)
        command = [sys.executable, "-m", "csdrill", "lint", os.path.join(base, "decks")]
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv to drop privileges")
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = dict(os.environ, CSDRILL_HOME=os.path.join(base, "home"), PYTHONPATH=str(REPO / "src"))
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, cwd=base)
        assert_clean_failure(result, 1)
        assert "decks/locked:1:1: cannot read folder: Permission denied" in result.stdout
    finally:
        os.chmod(locked, 0o755)
        shutil.rmtree(base)


def test_deck_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised(cli, deck_dir):
    cards = "".join(f"  - id: zz-skill-{n}\n    q: Question {n}?\n    a: Answer {n}\n" for n in range(100))
    write(deck_dir, "deck.yaml", CARD_DECK.split("cards:")[0] + "cards:\n" + cards)
    small = {"CSDRILL_MAX_DECK_MB": "0.002"}
    result = cli("lint", str(deck_dir), env=small)
    assert_clean_failure(result, 1)
    assert "deck.yaml:1:1: file is 0.0 MB, over the 0.002 MB limit for one content file; split it" in result.stdout
    assert "CSDRILL_MAX_DECK_MB" in result.stdout
    assert_clean_failure(cli("decks", "--decks", str(deck_dir), env=small), 2)
    assert cli("lint", str(deck_dir), env={"CSDRILL_MAX_DECK_MB": "1"}).returncode == 0
    assert cli("lint", str(deck_dir), env={"CSDRILL_MAX_DECK_MB": "0"}).returncode == 0  # 0: no limit
    bad = cli("lint", str(deck_dir), env={"CSDRILL_MAX_DECK_MB": "lots"})
    assert_clean_failure(bad, 2)
    assert "CSDRILL_MAX_DECK_MB must be a number of megabytes" in bad.stderr


def test_unknown_market_without_any_markets_never_lists_an_empty_known(cli, tmp_path):
    write(tmp_path / "own", "deck.yaml", CARD_DECK.format(q="a"))
    result = cli("lint", str(tmp_path / "own"), env={"CSDRILL_BUILTIN": "0"})
    assert_clean_failure(result, 1)
    assert "known: \n" not in result.stdout + "\n" and "known:" not in result.stdout
    assert "unknown market 'zz': no markets are defined; add a markets.yaml" in result.stdout


def test_broken_links_that_cannot_be_content_are_not_problems(cli, deck_dir):
    os.symlink("root@host.1234:1700000000", deck_dir / ".#deck.yaml")  # Emacs's lock while a deck is edited
    os.symlink("gone.txt", deck_dir / "notes.txt")
    assert cli("lint", str(deck_dir)).returncode == 0
    os.symlink("gone", deck_dir / "shared")  # could have been a folder of decks: reported
    result = cli("lint", str(deck_dir))
    assert_clean_failure(result, 1)
    assert "shared:1:1: broken symbolic link: its target gone does not exist" in result.stdout
