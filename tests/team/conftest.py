"""Team database fixtures: a throwaway database and uniquely named roles on a real PostgreSQL server.

The server is CSDRILL_TEST_PG (a libpq connection string for a superuser), by default the project
machines' 127.0.0.1:5432 with trust authentication. Without one, these tests skip and say how to run
a server; with CSDRILL_REQUIRE_TEAM_DB=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import contextlib
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


def server_address(dsn: str) -> tuple[str, int]:
    """The (host, port) a connection string points at, for a TCP proxy in front of it."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(dsn)
    return params.get("host") or "127.0.0.1", int(params.get("port") or 5432)


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


def machines_in(folder):
    """machines('laptop', VAR=…) → the env for running the CLI on that machine (its own CSDRILL_HOME)."""

    def home(name: str, **env) -> dict:
        path = folder / f"home-{name}"
        path.mkdir(exist_ok=True)
        return {"CSDRILL_HOME": str(path), **env}

    return home


@pytest.fixture
def machines(tmp_path):
    """CSDRILL_HOME folders for several machines: machines('laptop') → env for running the CLI there."""
    return machines_in(tmp_path)


def fill_log(home, user: str, count: int, seed: int = 1, cards: int = 40) -> None:
    """`count` answers by `user` recorded as the quiz records them, in the store at `home`."""
    import random
    from datetime import UTC, datetime, timedelta

    from csdrill.drill.scheduling import Scheduler
    from csdrill.store import Review, Store

    rng = random.Random(seed)
    scheduler = Scheduler(0.9)
    when = datetime(2026, 3, 1, 8, 0, tzinfo=UTC) + timedelta(seconds=seed)
    with Store(home) as store:
        memories = store.memories(user)
        for _ in range(count):
            key = (f"card-{rng.randrange(cards)}", rng.choice(("recognise", "produce")))
            before = memories.get(key)
            rating = rng.choice((1, 3, 3, 4))
            after = scheduler.review(before, rating, when)
            store.record_review(Review(user, *key, rating, "flash", when, 1200, before.state if before else "new",
                                       retention=0.9), after)
            memories[key] = after
            when += timedelta(minutes=rng.randrange(1, 600))


class CuttingProxy:
    """A TCP proxy to the PostgreSQL server that drops both sides once the client has sent `cut_after` bytes."""

    def __init__(self, upstream: tuple[str, int], cut_after: int):
        import socket
        import threading

        self.upstream, self.cut_after, self.sent, self.cut = upstream, cut_after, 0, False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source, target, counts: bool) -> None:
        import socket

        try:
            while data := source.recv(65536):
                if counts:
                    with self.lock:
                        self.sent += len(data)
                        if self.sent > self.cut_after:
                            self.cut = True
                            raise OSError("cut")
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self.listener.close()
