"""A team database password is never printed nor written to disk."""

from __future__ import annotations

import json

import pytest

from csdrill.team.conninfo import masked
from tests.conftest import run_cli

SECRET = "s3cr3t-Pa55"


@pytest.mark.parametrize("dsn", [
    f"postgresql://li.wei:{SECRET}@127.0.0.1:1/csdrill?sslmode=disable",
    f"postgres://li.wei:{SECRET}@db.example.com/csdrill",
    f"postgresql://li.wei@127.0.0.1:1/csdrill?password={SECRET}&sslmode=disable",
    f"host=127.0.0.1 port=1 dbname=csdrill user=li.wei password={SECRET}",
    f"host=127.0.0.1 port=1 password = '{SECRET}' user=li.wei",
])
def test_masked_hides_the_password_in_every_form_and_keeps_the_rest(dsn):
    shown = masked(f"cannot reach {dsn} (password {SECRET} rejected)", dsn)
    assert SECRET not in shown and "***" in shown
    assert "li.wei" in shown and ("127.0.0.1" in shown or "db.example.com" in shown)


def test_pgpassword_is_masked_too(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", SECRET)
    assert SECRET not in masked(f"authentication failed with {SECRET}")


@pytest.mark.parametrize("command", [("sync",), ("sync", "--json"), ("team", "init"),
                                     ("team", "grant", "li", "--role", "agent")])
def test_unreachable_team_database_message_masks_the_password(command, isolated_home):
    dsn = f"postgresql://li.wei:{SECRET}@127.0.0.1:1/csdrill?connect_timeout=2"
    result = run_cli(*command, env={"CSDRILL_TEAM_DB": dsn})
    assert result.returncode == 2
    assert "cannot reach the team database postgresql://li.wei:***@127.0.0.1:1/csdrill" in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_working_sync_with_a_password_never_shows_or_stores_it(team_db, machines, builtin_content):
    li = team_db.grant("li")  # trust authentication accepts any password: the secret travels but is not needed
    env = machines("laptop", CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li, password=SECRET))
    quiz = run_cli("quiz", "--market", "de", "--mode", "choice", "--limit", "2", "--seed", "1", input="1\n1\n", env=env)
    outputs = [quiz, run_cli("sync", env=env), run_cli("sync", "--json", env=env),
               run_cli("scores", "--json", env=env), run_cli("report", env=env)]
    assert all(result.returncode == 0 for result in outputs), [r.stderr for r in outputs]
    assert '"team_db": "' in outputs[2].stdout and "password=***" in outputs[2].stdout
    for result in outputs:
        assert SECRET not in result.stdout + result.stderr
    from pathlib import Path

    for path in Path(env["CSDRILL_HOME"]).rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    sent = len(json.loads(run_cli("reviews", "--json", env=env).stdout))
    assert sent > 0 and team_db.query("SELECT count(*) FROM csdrill.reviews") == [(sent,)]
