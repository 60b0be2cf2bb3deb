"""Team database fixtures: a throwaway database and uniquely named roles on a real PostgreSQL server.

The server is CSDRILL_TEST_PG (a libpq connection string for a superuser), by default the project
machines' 127.0.0.1:5432 with trust authentication. Without one, these tests skip and say how to run
a server; with CSDRILL_REQUIRE_TEAM_DB=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest

from tests.conftest import run_cli

ADMIN_DSN = os.environ.get("CSDRILL_TEST_PG", "host=127.0.0.1 port=5432 dbname=test user=postgres")
HOW_TO_RUN = (
    "no PostgreSQL server for the team tests at CSDRILL_TEST_PG (default: host=127.0.0.1 port=5432 "
    "dbname=test user=postgres). Run one, e.g. `docker run -d -p 5432:5432 -e POSTGRES_DB=test "
    "-e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`, or point CSDRILL_TEST_PG at a superuser connection")


def _no_server(reason: str):
    message = f"{HOW_TO_RUN} ({reason})"
    if os.environ.get("CSDRILL_REQUIRE_TEAM_DB") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_server():
    """Superuser connection string to a reachable server, else skip (or fail under CI)."""
    try:
        import psycopg
    except ImportError:
        _no_server("psycopg is not installed: pip install '.[test]'")
    try:
        psycopg.connect(ADMIN_DSN, connect_timeout=3).close()
    except psycopg.Error as err:
        _no_server(str(err).strip().splitlines()[-1])
    return ADMIN_DSN


def with_params(dsn: str, **params) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(dsn, **params)


@dataclass
class TeamDb:
    """One throwaway team database, initialised by its owner, and the logins the test grants."""

    name: str
    prefix: str
    admin: str  # superuser connection string to this database

    def login(self, short: str) -> str:
        return f"{self.prefix}_{short}"

    def dsn(self, login: str, **params) -> str:
        return with_params(self.admin, user=login, **params)

    def grant(self, short: str, role: str = "agent") -> str:
        login = self.login(short)
        result = run_cli("team", "grant", login, "--role", role, env={"CSDRILL_TEAM_DB": self.admin})
        assert result.returncode == 0, result.stderr
        return login

    def query(self, sql, params=()) -> list[tuple]:
        """Rows of `sql` run as the superuser in this database ([] for a statement without rows)."""
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


def create_team_db(server: str) -> TeamDb:
    import psycopg

    tag = uuid.uuid4().hex[:10]
    name, prefix = f"csdrill_test_{tag}", f"t{tag}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    team = TeamDb(name, prefix, with_params(server, dbname=name))
    result = run_cli("team", "init", "--role-prefix", prefix, env={"CSDRILL_TEAM_DB": team.admin})
    assert result.returncode == 0, result.stderr
    return team


def drop_team_db(server: str, team: TeamDb) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{team.name}" WITH (FORCE)')
        roles = [r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                            (team.prefix + "\\_%",))]
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def team_db(pg_server):
    team = create_team_db(pg_server)
    try:
        yield team
    finally:
        drop_team_db(pg_server, team)


@pytest.fixture
def machines(tmp_path):
    """CSDRILL_HOME folders for several machines: machines('laptop') → env for running the CLI there."""

    def home(name: str, **env) -> dict:
        folder = tmp_path / f"home-{name}"
        folder.mkdir(exist_ok=True)
        return {"CSDRILL_HOME": str(folder), **env}

    return home
