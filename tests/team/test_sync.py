"""`csdrill sync`: one agent on two machines ends with one review log and one scheduling state."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from csdrill.store import Store
from tests.conftest import run_cli

pytest.importorskip("psycopg")

STATE_COLUMNS = "user, card_id, direction, state, step, stability, difficulty, due, last_review, introduced_at, reps, lapses"
LATER = "2027-01-01T00:00:00+00:00"


def quiz(env: dict, when: str, answers: str = "1\n2\n1\n3\n1\n", *extra: str):
    result = run_cli("quiz", "--market", "de", "--mode", "choice", "--limit", str(answers.count("\n")), "--seed", "7",
                     *extra,
                     input=answers, env={**env, "CSDRILL_NOW": when})
    assert result.returncode == 0, result.stderr
    return result


def sync(env: dict, dsn: str, *extra: str) -> dict:
    result = run_cli("sync", "--json", *extra, env={**env, "CSDRILL_TEAM_DB": dsn})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def log(env: dict) -> list[tuple]:
    with sqlite3.connect(Path(env["CSDRILL_HOME"]) / "progress.db") as db:
        return db.execute("SELECT uid, user, card_id, direction, rating, mode, answered_at, duration_ms, "
                          "state_before, answer, retention, market FROM reviews ORDER BY uid").fetchall()


def card_states(env: dict) -> list[tuple]:
    with sqlite3.connect(Path(env["CSDRILL_HOME"]) / "progress.db") as db:
        return db.execute(f"SELECT {STATE_COLUMNS} FROM card_state ORDER BY user, card_id, direction").fetchall()


def due_cards(env: dict, user: str) -> list[tuple]:
    from datetime import datetime

    with Store(Path(env["CSDRILL_HOME"])) as store:
        return store.due_keys(user, datetime.fromisoformat(LATER))


def test_two_machines_of_one_agent_end_with_the_same_log_state_and_due_cards(team_db, machines, builtin_content):
    li = team_db.grant("li")
    laptop, desktop = machines("laptop", CSDRILL_USER=li), machines("desktop", CSDRILL_USER=li)
    quiz(laptop, "2026-05-01T08:00:00+00:00")
    quiz(desktop, "2026-05-01T12:00:00+00:00", "2\n2\n2\n", "--retention", "0.8")
    quiz(laptop, "2026-05-03T08:00:00+00:00", "1\n1\n1\n1\n1\n1\n1\n")
    dsn = team_db.dsn(li)

    on_laptop, on_desktop = len(log(laptop)), len(log(desktop))
    assert on_laptop > 5 and on_desktop > 1

    first = sync(laptop, dsn)
    assert (first["sent_reviews"], first["received_reviews"], first["login"]) == (on_laptop, 0, li)
    second = sync(desktop, dsn)
    assert (second["sent_reviews"], second["received_reviews"]) == (on_desktop, on_laptop)
    assert list(second["replayed"]) == [li]
    sync(laptop, dsn)

    assert log(laptop) == log(desktop) and len(log(laptop)) == on_laptop + on_desktop
    assert card_states(laptop) == card_states(desktop)
    assert due_cards(laptop, li) == due_cards(desktop, li) != []
    total = on_laptop + on_desktop
    assert team_db.query("SELECT count(*), count(DISTINCT uid) FROM csdrill.reviews") == [(total, total)]
    # The desktop's answers keep the retention they were scheduled with, everywhere.
    assert sorted({row[10] for row in log(laptop)}) == [0.8, 0.9]
    assert {row[11] for row in log(desktop)} == {"de"}  # the market, which the daily new-card limit counts by


def test_replaying_one_machines_log_gives_the_state_its_quizzes_recorded(team_db, machines, builtin_content):
    li = team_db.grant("li")
    laptop, desktop = machines("laptop", CSDRILL_USER=li), machines("desktop", CSDRILL_USER=li)
    for day, answers in ((1, "1\n2\n1\n3\n"), (2, "1\n1\n1\n1\n1\n1\n"), (4, "2\n1\n2\n1\n2\n1\n"), (9, "1\n" * 8)):
        quiz(laptop, f"2026-05-{day:02d}T09:30:00+00:00", answers, "--retention", "0.85")
    recorded = card_states(laptop)
    sync(laptop, team_db.dsn(li))
    sync(desktop, team_db.dsn(li))  # a fresh machine: its whole state comes from the replay
    assert card_states(desktop) == recorded


def test_sync_again_sends_and_receives_nothing(team_db, machines, builtin_content):
    li = team_db.grant("li")
    laptop = machines("laptop", CSDRILL_USER=li)
    quiz(laptop, "2026-05-01T08:00:00+00:00")
    sync(laptop, team_db.dsn(li))
    again = sync(laptop, team_db.dsn(li))
    assert (again["sent_reviews"], again["already_there"], again["received_reviews"], again["sent_attempts"]) == (0, 0, 0, 0)
    assert again["fetched_reviews"] == 0  # its own reviews are not fetched back
    assert team_db.query("SELECT count(*) FROM csdrill.reviews") == [(len(log(laptop)),)]


def test_plain_output_says_what_was_sent_and_received(team_db, machines, builtin_content):
    li = team_db.grant("li")
    laptop = machines("laptop", CSDRILL_USER=li)
    quiz(laptop, "2026-05-01T08:00:00+00:00")
    result = run_cli("sync", env={**laptop, "CSDRILL_TEAM_DB": team_db.dsn(li)})
    assert result.returncode == 0
    assert f"as {li}: sent {len(log(laptop))} reviews and 0 exam attempts, received 0 reviews" in result.stdout


def test_an_agent_login_sends_only_its_own_answers(team_db, machines, builtin_content):
    li = team_db.grant("li")
    shared = machines("shared", CSDRILL_USER=li)
    quiz(shared, "2026-05-01T08:00:00+00:00")
    quiz({**shared, "CSDRILL_USER": "someone.else"}, "2026-05-01T09:00:00+00:00", "1\n1\n")
    result = sync(shared, team_db.dsn(li))
    mine = sum(1 for row in log(shared) if row[1] == li)
    assert result["sent_reviews"] == mine and result["left_unsent"] == {"someone.else": len(log(shared)) - mine}
    refused = run_cli("sync", "--user", "someone.else", env={**shared, "CSDRILL_TEAM_DB": team_db.dsn(li)})
    assert refused.returncode == 2 and f"logged in to the team database as {li}" in refused.stderr
    assert team_db.query("SELECT DISTINCT agent FROM csdrill.reviews") == [(li,)]


def test_a_trainer_login_syncs_everyone_on_a_training_room_pc(team_db, machines, builtin_content):
    trainer, li, bo = team_db.grant("tr", "trainer"), team_db.login("li"), team_db.login("bo")
    room = machines("room", CSDRILL_USER=li)
    quiz(room, "2026-05-01T08:00:00+00:00")
    quiz({**room, "CSDRILL_USER": bo}, "2026-05-01T09:00:00+00:00", "1\n1\n")
    result = sync(room, team_db.dsn(trainer))
    assert result["trainer"] is True and result["users"] == sorted([li, bo])
    assert result["sent_reviews"] == len(log(room))
    per_user = sorted((user, sum(1 for row in log(room) if row[1] == user)) for user in (li, bo))
    assert team_db.query("SELECT agent, count(*) FROM csdrill.reviews GROUP BY 1 ORDER BY 1") == per_user


def test_quiz_and_exam_send_their_answers_by_themselves(team_db, machines, builtin_content):
    li = team_db.grant("li")
    laptop = machines("laptop", CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li))
    result = quiz(laptop, "2026-05-01T08:00:00+00:00")
    assert result.stderr == ""
    exam = run_cli("exam", "onboarding-de", input="1\n" * 40, env=laptop)
    assert exam.returncode in (0, 1) and "csdrill:" not in exam.stderr
    assert team_db.query("SELECT count(*) FROM csdrill.reviews") == [(len(log(laptop)),)]
    assert team_db.query("SELECT agent, quiz_id, status FROM csdrill.attempts") == [(li, "onboarding-de", "complete")]


def test_unreachable_team_database_at_the_end_of_a_quiz_keeps_the_answers_for_the_next_sync(
        team_db, machines, builtin_content):
    li = team_db.grant("li")
    offline = machines("laptop", CSDRILL_USER=li, CSDRILL_TEAM_DB=f"host=127.0.0.1 port=1 user={li} dbname=x")
    result = quiz(offline, "2026-05-01T08:00:00+00:00")
    assert result.returncode == 0
    [warning] = result.stderr.splitlines()
    assert warning == ("csdrill: not synced with the team database (Connection refused); answers saved here, "
                       "the next `csdrill sync` will send them")
    assert "the next `csdrill sync` will send them" in warning
    exam = run_cli("exam", "onboarding-de", input="1\n" * 40, env=offline)
    assert exam.returncode in (0, 1)
    assert len(exam.stderr.splitlines()) == 1 and "next `csdrill sync`" in exam.stderr
    assert team_db.query("SELECT count(*) FROM csdrill.reviews") == [(0,)]

    later = sync(offline, team_db.dsn(li))
    assert (later["sent_reviews"], later["sent_attempts"]) == (len(log(offline)), 1)
    assert team_db.query("SELECT count(*) FROM csdrill.reviews") == [(len(log(offline)),)]


def test_an_answer_dated_before_earlier_ones_is_put_in_order_by_the_next_sync(team_db, machines, builtin_content):
    li = team_db.grant("li")
    laptop, desktop = machines("laptop", CSDRILL_USER=li), machines("desktop", CSDRILL_USER=li)
    quiz(laptop, "2026-05-05T08:00:00+00:00")
    assert sync(laptop, team_db.dsn(li))["replayed"] == {li: len(card_states(laptop))}  # first sync here
    quiz(laptop, "2026-05-06T08:00:00+00:00", "1\n1\n")
    assert sync(laptop, team_db.dsn(li))["replayed"] == {}  # answers in time order: the quiz's state stands
    quiz(laptop, "2026-05-03T08:00:00+00:00", "1\n1\n", "--new", "20")  # a clock set back
    assert li in sync(laptop, team_db.dsn(li))["replayed"]
    sync(desktop, team_db.dsn(li))
    assert card_states(laptop) == card_states(desktop)
