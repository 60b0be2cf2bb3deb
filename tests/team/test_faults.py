"""Faults during a sync — a dropped connection, a killed process, two machines at once: re-run, and every
review is in the team database exactly once, and every machine ends with the same log."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from csdrill.store import Store
from csdrill.team.conninfo import TeamError
from csdrill.team.sync import sync
from tests.conftest import run_cli
from tests.team.conftest import CuttingProxy, fill_log, server_address

pytest.importorskip("psycopg")


def uids(home) -> list[str]:
    with sqlite3.connect(home / "progress.db") as db:
        return [r[0] for r in db.execute("SELECT uid FROM reviews ORDER BY uid")]


def unsent(home) -> int:
    with sqlite3.connect(home / "progress.db") as db:
        return db.execute("SELECT count(*) FROM reviews WHERE sent = 0").fetchone()[0]


def team_count(team_db) -> tuple[int, int]:
    return team_db.query("SELECT count(*), count(DISTINCT uid) FROM csdrill.reviews")[0]


def test_connection_cut_mid_sync_then_rerun_sends_every_review_once(team_db, tmp_path):
    li = team_db.grant("li")
    home = tmp_path / "laptop"
    fill_log(home, li, 3000)
    proxy = CuttingProxy(server_address(team_db.admin), cut_after=150_000)
    try:
        through_proxy = team_db.dsn(li, host="127.0.0.1", port=str(proxy.port))
        with Store(home) as store, pytest.raises(TeamError, match="run `csdrill sync` again"):
            sync(store, through_proxy, batch=250)
    finally:
        proxy.close()
    assert proxy.cut
    landed, _ = team_count(team_db)
    assert 0 < landed < 3000  # some batches were committed before the cut, not all

    with Store(home) as store:
        result = sync(store, team_db.dsn(li), batch=250)
    assert result.sent_reviews + landed == 3000
    assert team_count(team_db) == (3000, 3000) and unsent(home) == 0


def test_sync_killed_mid_batch_then_rerun_sends_every_review_once(team_db, machines, tmp_path):
    li = team_db.grant("li")
    env = machines("laptop", CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li))
    home = tmp_path / "home-laptop"
    fill_log(home, li, 2000)
    import psycopg

    with psycopg.connect(team_db.admin) as blocker:
        # Inserts wait for this lock, so the sync is caught with a batch copied but not committed.
        blocker.execute("LOCK TABLE csdrill.reviews IN EXCLUSIVE MODE")
        process = subprocess.Popen([sys.executable, "-m", "csdrill", "sync"], env={**os.environ, **env},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            waiting = team_db.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'csdrill' "
                                    "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO csdrill.reviews%%'")
            if waiting[0][0]:
                break
            time.sleep(0.05)
        else:
            process.kill()
            pytest.fail("the sync never reached its first insert")
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert team_count(team_db) == (0, 0) and unsent(home) == 2000

    rerun = run_cli("sync", "--json", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["sent_reviews"] == 2000
    assert team_count(team_db) == (2000, 2000) and unsent(home) == 0


def test_batch_committed_there_but_not_noted_here_is_not_sent_twice(team_db, tmp_path):
    li = team_db.grant("li")
    home = tmp_path / "laptop"
    fill_log(home, li, 1200)
    with Store(home) as store:
        sync(store, team_db.dsn(li), batch=500)
        # As if the process died between the server's commit and marking the rows sent here.
        store.db.execute("UPDATE reviews SET sent = 0 WHERE id > 300")
        again = sync(store, team_db.dsn(li), batch=500)
    assert (again.sent_reviews, again.already_there) == (0, 900)
    assert team_count(team_db) == (1200, 1200) and unsent(home) == 0


def test_one_agent_syncing_from_two_machines_at_once(team_db, machines, tmp_path):
    li = team_db.grant("li")
    envs = [machines(name, CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li)) for name in ("laptop", "desktop")]
    homes = [tmp_path / "home-laptop", tmp_path / "home-desktop"]
    for seed, home in enumerate(homes, 1):
        fill_log(home, li, 1500, seed=seed)
    for _ in range(2):  # twice: the second round races pulls of the first round's pushes
        processes = [subprocess.Popen([sys.executable, "-m", "csdrill", "sync", "--json"], env={**os.environ, **env},
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for env in envs]
        for process in processes:
            _out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        fill_log(homes[0], li, 10, seed=9)
    for env in envs:  # one more each, one after the other: nothing may be missing or doubled
        assert run_cli("sync", env=env).returncode == 0
    assert team_count(team_db) == (3020, 3020)
    assert uids(homes[0]) == uids(homes[1]) and len(uids(homes[0])) == 3020
    with Store(homes[0]) as one, Store(homes[1]) as other:
        assert one.memories(li) == other.memories(li)


def test_a_full_server_is_waited_for_briefly_instead_of_failing_the_sync(team_db, machines, tmp_path):
    import threading

    import psycopg
    from psycopg import sql

    li = team_db.grant("li")
    team_db.query(sql.SQL("ALTER ROLE {} CONNECTION LIMIT 1").format(sql.Identifier(li)))
    env = machines("laptop", CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li))
    fill_log(tmp_path / "home-laptop", li, 20)
    holder = psycopg.connect(team_db.dsn(li))  # li's only connection slot is taken …
    threading.Timer(1.5, holder.close).start()  # … and freed while the sync waits for it
    result = run_cli("sync", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sent_reviews"] == 20


def test_sync_killed_while_fetching_from_other_machines_then_rerun_gets_everything_once(team_db, machines, tmp_path):
    li = team_db.grant("li")
    fill_log(tmp_path / "laptop", li, 1500)
    with Store(tmp_path / "laptop") as store:
        sync(store, team_db.dsn(li))
    env = machines("desktop", CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li))
    desktop = tmp_path / "home-desktop"
    Store(desktop).close()
    holder = sqlite3.connect(desktop / "progress.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the pulled rows wait for this machine's store …
    process = subprocess.Popen([sys.executable, "-m", "csdrill", "sync"], env={**os.environ, **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):  # … while the pull's cursor is open on the server: kill it there
        if team_db.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'csdrill' "
                         "AND query LIKE 'FETCH%%'")[0][0]:
            break
        time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("the sync never started fetching")
    process.send_signal(signal.SIGKILL)
    process.wait()
    holder.execute("ROLLBACK")
    holder.close()
    assert uids(desktop) == []

    rerun = run_cli("sync", "--json", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["received_reviews"] == 1500
    assert uids(desktop) == uids(tmp_path / "laptop") and team_count(team_db) == (1500, 1500)
    with Store(desktop) as here, Store(tmp_path / "laptop") as there:
        assert here.memories(li) == there.memories(li)
