"""`team init`, `team grant` and row-level security, proved through direct SQL as each login."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import run_cli
from tests.team.conftest import with_params

psycopg = pytest.importorskip("psycopg")


def review_row(agent: str, card: str = "de-reg-1") -> tuple:
    return (uuid.uuid4().hex, agent, card, "forward", 3, "flash", "2026-05-01T10:00:00Z", 900, "new", None, 0.9)


INSERT = ("INSERT INTO csdrill.reviews (uid, agent, card_id, direction, rating, mode, answered_at, duration_ms, "
          "state_before, answer, retention) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def test_init_records_numbered_migrations_and_running_it_again_changes_nothing(team_db):
    assert team_db.query("SELECT number FROM csdrill.migrations ORDER BY number") == [(1,), (2,), (3,)]
    again = run_cli("team", "init", "--role-prefix", team_db.prefix, "--json",
                    env={"CSDRILL_TEAM_DB": team_db.admin})
    assert again.returncode == 0, again.stderr
    assert '"applied": []' in again.stdout
    assert team_db.query("SELECT count(*) FROM csdrill.migrations") == [(3,)]
    roles = {r[0] for r in team_db.query("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                         (team_db.prefix + "%",))}
    assert roles == {f"{team_db.prefix}_agent", f"{team_db.prefix}_trainer"}


def test_agent_reads_and_adds_only_its_own_reviews(team_db):
    li, bo = team_db.grant("li"), team_db.grant("bo")
    with psycopg.connect(team_db.dsn(bo), autocommit=True) as conn:
        conn.execute(INSERT, review_row(bo))
    with psycopg.connect(team_db.dsn(li), autocommit=True) as conn:
        conn.execute(INSERT, review_row(li))
        assert conn.execute("SELECT agent FROM csdrill.reviews").fetchall() == [(li,)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(INSERT, review_row(bo))
        # Leaving the agent column out makes it the login: no way to write as someone else.
        conn.execute("INSERT INTO csdrill.reviews (uid, card_id, direction, rating, mode, answered_at, state_before) "
                     "VALUES (%s, 'c', 'forward', 3, 'flash', now(), 'new')", (uuid.uuid4().hex,))
        assert conn.execute("SELECT count(*) FROM csdrill.reviews WHERE agent = %s", (li,)).fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM csdrill.reviews WHERE agent = %s", (bo,)).fetchone() == (0,)
    assert team_db.query("SELECT agent, count(*) FROM csdrill.reviews GROUP BY agent ORDER BY 1") == [(bo, 1), (li, 2)]


def test_agent_adds_reads_and_finishes_only_its_own_exam_attempts(team_db):
    li, bo = team_db.grant("li"), team_db.grant("bo")
    add = ("INSERT INTO csdrill.attempts (uid, agent, quiz_id, quiz_hash, seed, status, started_at, pass_mark) "
           "VALUES (%s, %s, 'onboarding-de', 'h', 1, 'incomplete', now(), 80)")
    with psycopg.connect(team_db.dsn(bo), autocommit=True) as conn:
        conn.execute(add, (uuid.uuid4().hex, bo))
    with psycopg.connect(team_db.dsn(li), autocommit=True) as conn:
        conn.execute(add, (uuid.uuid4().hex, li))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(add, (uuid.uuid4().hex, bo))
        finished = conn.execute("UPDATE csdrill.attempts SET status = 'complete', score = 100").rowcount
        assert finished == 1  # its own; bo's attempt is not even visible
        assert conn.execute("SELECT agent FROM csdrill.attempts").fetchall() == [(li,)]
    assert team_db.query("SELECT agent, status FROM csdrill.attempts ORDER BY 1") == [(bo, "incomplete"), (li, "complete")]


def test_no_login_of_csdrill_may_change_or_delete_a_review(team_db):
    li, trainer = team_db.grant("li"), team_db.grant("tr", "trainer")
    with psycopg.connect(team_db.dsn(li), autocommit=True) as conn:
        conn.execute(INSERT, review_row(li))
    for login in (li, trainer):
        with psycopg.connect(team_db.dsn(login), autocommit=True) as conn:
            for statement in ("UPDATE csdrill.reviews SET rating = 4", "DELETE FROM csdrill.reviews",
                              "TRUNCATE csdrill.reviews"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM csdrill.attempts")
    assert team_db.query("SELECT rating FROM csdrill.reviews") == [(3,)]


def test_trainer_reads_everyone_and_sends_for_a_shared_training_room_pc(team_db):
    li, bo, trainer = team_db.grant("li"), team_db.grant("bo"), team_db.grant("tr", "trainer")
    for agent in (li, bo):
        with psycopg.connect(team_db.dsn(agent), autocommit=True) as conn:
            conn.execute(INSERT, review_row(agent))
    with psycopg.connect(team_db.dsn(trainer), autocommit=True) as conn:
        conn.execute(INSERT, review_row(li, "from-the-training-room"))
        seen = conn.execute("SELECT agent, count(*) FROM csdrill.reviews GROUP BY agent ORDER BY 1").fetchall()
    assert seen == [(bo, 1), (li, 2)]


def test_a_login_without_a_csdrill_role_reads_nothing(team_db):
    import psycopg.sql as sql

    stranger = team_db.login("stranger")
    team_db.query(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(stranger)))
    with psycopg.connect(team_db.dsn(stranger), autocommit=True) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT * FROM csdrill.reviews")


def test_grant_moves_a_login_between_roles_and_rejects_unknown_ones(team_db):
    li = team_db.grant("li", "trainer")
    team_db.grant("li", "agent")
    groups = team_db.query("SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                           "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s", (li,))
    assert groups == [(f"{team_db.prefix}_agent",)]
    bad = run_cli("team", "grant", li, "--role", "boss", env={"CSDRILL_TEAM_DB": team_db.admin})
    assert bad.returncode == 2 and "unknown role 'boss'" in bad.stderr


def test_only_the_owner_can_set_up_the_team_database(team_db):
    li = team_db.grant("li")
    result = run_cli("team", "grant", team_db.login("bo"), "--role", "agent",
                     env={"CSDRILL_TEAM_DB": team_db.dsn(li)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "permission denied" in result.stderr


def test_sync_and_check_before_team_init_say_what_to_do(pg_server):
    empty = f"csdrill_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{empty}"')
    try:
        for command in (("sync",), ("scores",)):
            result = run_cli(*command, env={"CSDRILL_TEAM_DB": with_params(pg_server, dbname=empty)})
            assert result.returncode == 2
            assert "csdrill team init" in result.stderr and "Traceback" not in result.stderr
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{empty}" WITH (FORCE)')


def test_team_commands_without_a_team_database_explain_csdrill_team_db(monkeypatch):
    monkeypatch.delenv("CSDRILL_TEAM_DB", raising=False)
    result = run_cli("sync")
    assert result.returncode == 2 and "CSDRILL_TEAM_DB" in result.stderr
