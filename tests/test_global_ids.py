"""Local schema 4: every review and exam attempt carries a global id and what its replay needs."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import csdrill.store as store_module
from csdrill.drill.scheduling import GOOD, Scheduler
from csdrill.store import Review, Store

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_upgrade_backs_up_then_gives_every_old_review_and_attempt_a_unique_id(monkeypatch, isolated_home):
    with monkeypatch.context() as old_schema:
        old_schema.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:2])
        old_schema.setattr(store_module, "LATEST", 2)
        with Store() as old:
            memory = None
            for n in range(30):
                when = NOW + timedelta(days=n)
                after = Scheduler().review(memory, GOOD, when)
                old.record_review(Review("ana", f"c{n % 3}", "forward", GOOD, "flash", when, 900,
                                         memory.state if memory else "new"), after)
            old.start_attempt("ana", "onboarding-de", "hash", 1, 80.0, NOW)
            assert old.schema_version == 2

    with Store() as store:
        assert store.schema_version == store_module.LATEST == 4
        uids = [r[0] for r in store.db.execute("SELECT uid FROM reviews")]
        attempt_uids = [r[0] for r in store.db.execute("SELECT uid FROM exam_attempts")]
        unsent = store.db.execute("SELECT count(*) FROM reviews WHERE sent = 0").fetchone()[0]
    assert len(uids) == 30 and len(set(uids)) == 30 and all(HEX32.match(u) for u in uids)
    assert len(attempt_uids) == 1 and HEX32.match(attempt_uids[0])
    assert unsent == 30
    [backup] = isolated_home.glob("progress.db.bak-v2-*")
    assert sqlite3.connect(backup).execute("SELECT count(*) FROM reviews").fetchone()[0] == 30


def test_new_reviews_and_attempts_get_an_id_and_the_retention_they_were_scheduled_with(isolated_home):
    with Store() as store:
        scheduler = Scheduler(0.8)
        store.record_review(Review("ana", "c1", "forward", GOOD, "flash", NOW, 900, "new",
                                   retention=scheduler.desired_retention), scheduler.review(None, GOOD, NOW))
        store.record_review(Review("ana", "c2", "forward", GOOD, "flash", NOW, 900, "new"),
                            Scheduler().review(None, GOOD, NOW))
        attempt = store.start_attempt("ana", "onboarding-de", "hash", 1, 80.0, NOW)
        rows = list(store.db.execute("SELECT card_id, uid, retention FROM reviews ORDER BY card_id"))
        [attempt_uid] = store.db.execute("SELECT uid FROM exam_attempts WHERE id = ?", (attempt,)).fetchone()
    assert [(card, retention) for card, _uid, retention in rows] == [("c1", 0.8), ("c2", None)]
    assert all(HEX32.match(uid) for _card, uid, _r in rows) and rows[0][1] != rows[1][1]
    assert HEX32.match(attempt_uid)


def test_quiz_records_the_desired_retention_of_each_answer(cli, isolated_home, builtin_content):
    result = cli("quiz", "--market", "de", "--mode", "choice", "--limit", "2", "--retention", "0.85",
                 input="1\n1\n")
    assert result.returncode == 0, result.stderr
    with Store() as store:
        rows = list(store.db.execute("SELECT retention, uid FROM reviews"))
    assert len(rows) == 2 and all(r[0] == 0.85 and HEX32.match(r[1]) for r in rows)
