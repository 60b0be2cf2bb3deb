"""The quiz as an agent uses it: real terminal prompts, pipes, kills, concurrency, FSRS replay."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import fsrs
import pexpect
import pytest

from csdrill.store import Store
from tests.conftest import ZZ_PHRASES, write
from tests.test_lint_rules import GOOD_FACT

PHRASES = ZZ_PHRASES + """\
    register: formal
"""

SCENARIOS = """\
deck: zz-scenarios
title: Zedland scenarios
market: zz
topic: scenario
cards:
  - id: zz-scn-late
    situation: "A parcel is late and the customer writes: [bold]WHERE IS IT[/]"
    options: [Apologise and give a date, Blame the carrier, Say nothing]
    best: Apologise and give a date
    why: A concrete commitment restores trust.
"""


@pytest.fixture
def world(deck_dir, monkeypatch):
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")  # a known world, whatever the built-in decks hold
    write(deck_dir, "reg.yaml", GOOD_FACT)
    write(deck_dir, "phr.yaml", PHRASES)
    write(deck_dir, "scn.yaml", SCENARIOS)
    return deck_dir


def stored(user="tester"):
    with Store() as store:
        return store.reviews(user)


def spawn_quiz(*args):
    child = pexpect.spawn(
        sys.executable, ["-m", "csdrill", "quiz", *args], env=dict(os.environ, TERM="xterm"),
        encoding="utf-8", dimensions=(40, 100), timeout=20,
    )
    return child


def test_pty_choice_mode(world):
    child = spawn_quiz("--market", "zz", "--decks", str(world), "--topic", "regulation", "--mode", "choice")
    child.expect("How long is the withdrawal period")
    child.expect(r"(\d)\) 14 days")
    child.send(child.match.group(1))
    child.send("\r")
    child.expect("Correct")
    child.expect("Directive 2011/83/EU, Art. 9")
    child.expect("saved 1 answer")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [review] = stored()
    assert (review.card_id, review.mode, review.rating) == ("zz-reg-one", "choice", 3)


def test_pty_flash_then_typed_phrase_both_directions(world):
    child = spawn_quiz("--market", "zz", "--decks", str(world), "--topic", "phrase", "--mode", "flash")
    child.expect("Vielen Dank für Ihre Geduld.")
    child.expect("Press any key")
    child.send(" ")
    child.expect("Thank you for your patience")
    child.expect("How well did you know it")
    child.send("4")
    child.send("\r")
    child.expect("saved 1 answer")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    # The production direction is scheduled separately and comes in a later session.
    child = spawn_quiz("--market", "zz", "--decks", str(world), "--topic", "phrase", "--mode", "typed")
    child.expect("Say it in de")
    child.expect("Thank you for your patience")
    child.sendline("vielen dank fur ihre geduld")  # no umlaut: a near miss
    child.expect("almost")
    child.expect("saved 1 answer")
    child.expect(pexpect.EOF)
    child.close()
    reviews = stored()
    assert [(r.direction, r.mode, r.rating) for r in reviews] == [
        ("recognise", "flash", 4), ("produce", "typed", 2)]


def test_pty_scenario_renders_markup_literally_and_ctrl_c_saves(world):
    child = spawn_quiz("--market", "zz", "--decks", str(world), "--mode", "auto", "--seed", "3")
    answered = 0
    while True:
        index = child.expect([r"\[bold\]WHERE IS IT\[/\]", "How long is the withdrawal", "Vielen Dank"])
        if index == 0:
            child.expect(r"(\d)\) Apologise and give a date")
            child.send(child.match.group(1))
            child.send("\r")
            child.expect("Correct")
            answered += 1
            break
        child.expect(r"(\d)\) ") if index == 1 else child.expect("Press any key")
        child.send("1" if index == 1 else " ")
        if index == 2:
            child.expect("How well")
            child.send("3")
        child.send("\r")
        child.expect("Next review")
        answered += 1
    # Ctrl-C at the next prompt (the next card, or the end of the session): a key, not a race with
    # the terminal switching modes between two prompts.
    child.expect(["Press any key", "Your answer", "How well"])
    child.sendintr()
    child.expect("interrupted")
    child.expect(f"saved {answered} answer")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert len(stored()) == answered


def test_line_mode_from_the_issue(cli):
    result = cli("quiz", "--market", "de", "--mode", "choice", "--limit", "2", input="1\n2\n")
    assert result.returncode == 0, result.stderr
    # A missed card comes back at the end of the session, so a third question may be asked.
    assert result.stdout.count("Answer (1-") >= 2
    assert "saved 2 answers" in result.stdout
    assert len(stored()) == 2


def test_line_mode_eof_ends_cleanly_after_saving(cli, world):
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--mode", "choice", "--topic", "regulation",
                 "--topic", "scenario", input="1\n")
    assert result.returncode == 0
    assert "[1/2]" in result.stdout and "[2/2]" in result.stdout
    assert "saved 1 answer" in result.stdout
    assert len(stored()) == 1


def test_line_mode_unusable_line_stops_with_its_line_number_and_keeps_what_was_saved(cli, world):
    # Asking again would take line 3 as the answer to card 2 and shift every later answer.
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation", "--topic", "scenario",
                 "--mode", "choice", "--seed", "1", input="1\nfour\n1\n")
    assert result.returncode == 2
    assert "input line 2: 'four' is not a number from 1 to 3" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "saved 1 answer" in result.stdout
    assert len(stored()) == 1


def test_sigkill_after_k_answers_keeps_all_k(world):
    # Many cards, so the session is still running when it is killed.
    many = "deck: zz-many\ntitle: Many\nmarket: zz\ntopic: skill\ncards:\n" + "".join(
        f"  - id: zz-skl-{n}\n    q: Question {n}?\n    a: Answer {n}\n    choices: [Answer {n}, Other {n}]\n"
        for n in range(30))
    write(world, "many.yaml", many)
    proc = subprocess.Popen(
        [sys.executable, "-m", "csdrill", "quiz", "--market", "zz", "--decks", str(world), "--topic", "skill",
         "--mode", "choice", "--new", "30"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    k = 4
    for _ in range(k):
        proc.stdin.write("1\n")
        proc.stdin.flush()
    seen = 0
    while seen < k:
        line = proc.stdout.readline()
        seen += line.startswith("Next review")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(stored()) == k


def test_two_concurrent_sessions_keep_every_answer(world):
    many = "deck: zz-many\ntitle: Many\nmarket: zz\ntopic: skill\ncards:\n" + "".join(
        f"  - id: zz-skl-{n}\n    q: Question {n}?\n    a: Answer {n}\n    choices: [Answer {n}, Other {n}]\n"
        for n in range(25))
    write(world, "many.yaml", many)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "csdrill", "quiz", "--market", "zz", "--decks", str(world), "--topic",
             "skill", "--mode", "choice", "--new", "25", "--user", user],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for user in ("ana", "ben")
    ]
    outputs = [p.communicate("1\n" * 25, timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "saved 25 answers" in out
    assert len(stored("ana")) == 25 and len(stored("ben")) == 25


def test_replaying_30_days_matches_fsrs_itself(world):
    from csdrill.content.loader import load
    from csdrill.drill.items import items_for
    from csdrill.drill.questions import grade_flash, make_question
    from csdrill.drill.scheduling import Scheduler
    from csdrill.drill.session import Session

    card = load([world], include_builtin=False).library.cards["zz-reg-one"]
    [item] = items_for([card])
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    clock = {"now": start}
    reference = fsrs.Scheduler(desired_retention=0.9, enable_fuzzing=False)
    ref_card = fsrs.Card(card_id=7, due=start)
    ratings = [3, 3, 1, 3, 2, 3, 4, 3]
    with Store() as store:
        session = Session(store, Scheduler(0.9), "replay", [item], lambda: clock["now"])
        for rating in ratings:
            if clock["now"] > start + timedelta(days=30):
                break
            import random

            question = make_question(item, "flash", [card], random.Random(1))
            memory = session.record(question, grade_flash(rating), clock["now"])
            ref_card, _ = reference.review_card(ref_card, fsrs.Rating(rating), clock["now"])
            assert memory.due == ref_card.due
            assert memory.stability == pytest.approx(ref_card.stability)
            assert memory.difficulty == pytest.approx(ref_card.difficulty)
            clock["now"] = memory.due  # answer exactly when due
        assert clock["now"] > start + timedelta(days=10), "the replay must span weeks"
        assert len(store.reviews("replay")) >= 5


def test_nothing_due_says_when_next(cli, world):
    first = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation", "--mode", "choice",
                input="1\n", env={"CSDRILL_NOW": "2026-05-01T10:00:00+00:00"})
    assert first.returncode == 0
    again = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation",
                input="", env={"CSDRILL_NOW": "2026-05-01T10:00:30+00:00"})
    assert again.returncode == 0
    assert re.search(r"Nothing is due\. The next card is due in \d+ minutes?", again.stdout)


def test_new_cards_per_day_counts_those_already_introduced(cli, world):
    env = {"CSDRILL_NOW": "2026-05-01T10:00:00+00:00"}
    choice_only = ("--topic", "regulation", "--topic", "scenario")
    one = cli("quiz", "--market", "zz", "--decks", str(world), "--new", "1", "--mode", "choice", *choice_only,
              input="1\n", env=env)
    assert "[1/1]" in one.stdout
    env = {"CSDRILL_NOW": "2026-05-01T10:00:05+00:00"}
    two = cli("quiz", "--market", "zz", "--decks", str(world), "--new", "1", "--mode", "choice", *choice_only,
              input="", env=env)
    # The one card seen is not due yet and today's single new card is used up.
    assert "new cards are waiting: run with --new 2" in two.stdout


def test_unknown_market_lists_markets_with_hint(cli):
    result = cli("quiz", "--market", "dee")
    assert result.returncode == 2
    assert "unknown market 'dee' (did you mean 'de'?)" in result.stderr
    assert "jp" in result.stderr and "Traceback" not in result.stderr


def test_pool_cannot_be_drilled_alone(cli):
    result = cli("quiz", "--market", "eu")
    assert result.returncode == 2
    assert "shared pool" in result.stderr and "de" in result.stderr


def test_topic_without_cards_says_so(cli, world):
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "etiquette")
    assert result.returncode == 2
    assert "market 'zz' has no etiquette cards" in result.stderr


def test_corrupt_database_gives_advice_not_traceback(cli, world, isolated_home):
    (isolated_home / "progress.db").write_bytes(b"this is not sqlite" * 100)
    result = cli("quiz", "--market", "zz", "--decks", str(world), input="")
    assert result.returncode == 2
    assert str(isolated_home / "progress.db") in result.stderr
    assert "Move it aside" in result.stderr and "Traceback" not in result.stderr


def test_migration_backs_up_then_migrates(monkeypatch, isolated_home):
    import csdrill.store as store_module

    Store().close()
    latest = store_module.LATEST
    monkeypatch.setattr(store_module, "MIGRATIONS",
                        [*store_module.MIGRATIONS, (latest + 1, "ALTER TABLE reviews ADD COLUMN note TEXT")])
    monkeypatch.setattr(store_module, "LATEST", latest + 1)
    with Store() as store:
        assert store.schema_version == latest + 1
    backups = list(isolated_home.glob(f"progress.db.bak-v{latest}-*"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("PRAGMA user_version").fetchone()[0] == latest


def test_newer_database_is_refused(cli, world, isolated_home):
    Store().close()
    db = sqlite3.connect(isolated_home / "progress.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    result = cli("quiz", "--market", "zz", "--decks", str(world), input="")
    assert result.returncode == 2
    assert "newer csdrill" in result.stderr


def test_reviews_command_json_and_since(cli, world):
    cli("quiz", "--market", "zz", "--decks", str(world), "--mode", "choice", "--topic", "regulation",
        input="1\n", env={"CSDRILL_NOW": "2026-05-01T10:00:00+00:00"})
    rows = __import__("json").loads(cli("reviews", "--json").stdout)
    assert [(r["user"], r["card_id"], r["mode"]) for r in rows] == [("tester", "zz-reg-one", "choice")]
    assert rows[0]["answered_at"].startswith("2026-05-01T10:00:00")
    later = __import__("json").loads(cli("reviews", "--json", "--since", "2026-05-02").stdout)
    assert later == []


def test_deleted_card_keeps_its_history(cli, world):
    cli("quiz", "--market", "zz", "--decks", str(world), "--mode", "choice", "--topic", "regulation", input="1\n")
    (world / "reg.yaml").unlink()
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "phrase", input="")
    assert result.returncode == 0
    assert [r.card_id for r in stored()] == ["zz-reg-one"]
    time.sleep(0)  # history stays even though the card is gone
