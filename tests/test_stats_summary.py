"""The review summary counted in SQL equals the one counted in Python from the whole log.

A learner's replayed history (real scheduler, real SQLite) crosses daylight-saving changes, has
answers on the very first and last microsecond of local days, and goes on after the replayed moment.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import csdrill.store as store_module
from csdrill.content.loader import load
from csdrill.drill.scheduling import AGAIN, EASY, GOOD, HARD, Scheduler
from csdrill.stats import compute_stats, market_scope, read_summary, summarise
from csdrill.store import Store
from tests.test_stats import NOW, PHR, REG, SCN, SKA, SKB, answer
from tests.test_stats import world as world  # the fixture: the decks of test_stats, requested by name

ZONES = (
    "UTC",
    "Europe/Berlin",  # summer time ends 2026-10-25 at 03:00
    "Asia/Kathmandu",  # +05:45 all year
    "America/Santiago",  # summer time starts 2026-09-06: that day has no midnight
    "Australia/Lord_Howe",  # a half-hour change, 2026-10-04
    "America/St_Johns",  # -03:30, summer time ends 2026-11-01
)
GONE = "zz-reg-deleted"  # answered, then removed from the decks: it still counts without --market
ITEMS = [(REG, "recall"), (SCN, "recall"), (PHR, "recognise"), (PHR, "produce"), (SKA, "recall"),
         (SKB, "recall"), (GONE, "recall")]
FIRST_DAY, LAST_DAY = date(2026, 8, 28), date(2026, 11, 25)  # the log goes on past NOW
MIDWAY = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # Berlin's change: 03:00 summer time is 01:00 UTC


def moments(rng: random.Random) -> list[datetime]:
    """Sessions at random times of most days, plus the first and last microsecond of local days
    around every zone's change (and of a few plain days), plus answers at and just after MIDWAY."""
    out = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        if rng.random() < 0.85:
            start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=rng.randrange(24 * 60))
            out += [start + timedelta(minutes=3 * n, microseconds=rng.randrange(10**6))
                    for n in range(rng.randint(1, 6))]
        day += timedelta(days=1)
    for name in ZONES:
        tz = ZoneInfo(name)
        for changed in (date(2026, 9, 6), date(2026, 10, 4), date(2026, 10, 25), date(2026, 11, 1),
                        date(2026, 9, 15), NOW.date()):
            for day in (changed - timedelta(days=1), changed, changed + timedelta(days=1)):
                # zoneinfo reads a skipped midnight as the moment clocks jump: when the day begins.
                start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
                out += [start, start - timedelta(microseconds=1)]
    out += [MIDWAY, MIDWAY + timedelta(microseconds=1), NOW, NOW + timedelta(microseconds=1)]
    return sorted(set(out))


@pytest.fixture
def replay(request):
    """Answer as the quiz does, at every moment, a random item with a learner-like rating.

    Returns the library of test_stats' decks."""
    folder = request.getfixturevalue("world")
    rng = random.Random(2026)
    scheduler = Scheduler(0.9)
    with Store() as store:
        for moment in moments(rng):
            card_id, direction = rng.choice(ITEMS)
            rating = rng.choices((AGAIN, HARD, GOOD, EASY), weights=(2, 2, 5, 1))[0]
            answer(store, scheduler, card_id, direction, rating, moment)
        assert len(store.reviews("tester")) > 300
    return load([folder], include_builtin=False).library


def scopes(library):
    return {code: market_scope(library, code) for code in (None, "zz", "yy", "pool1")}


@pytest.mark.parametrize("zone", ZONES)
def test_sql_summary_equals_the_summary_of_the_whole_log(replay, zone):
    tz = ZoneInfo(zone)
    with Store() as store:
        log = store.reviews("tester")
        for code, cards in scopes(replay).items():
            for now in (MIDWAY, NOW):
                expected = summarise(log, now, cards, tz)
                assert read_summary(store, "tester", now, cards, tz) == expected, (code, now)
                assert expected.lapses and expected.days  # something to compare, in every scope
    # The replay reaches into each figure: answers after NOW, lapses, a deleted card, DST days.
    assert any(r.answered_at > NOW for r in log)
    assert any(r.card_id == GONE and r.rating == AGAIN and r.state_before == "review" for r in log)


def test_answers_after_now_are_left_out(replay):
    with Store() as store:
        log = store.reviews("tester")
        summary = read_summary(store, "tester", MIDWAY, tz=UTC)
    assert sum(d.answers for d in summary.days.values()) == sum(1 for r in log if r.answered_at <= MIDWAY)
    assert max(summary.days) == MIDWAY.date()
    lapses_then = sum(1 for r in log if r.answered_at <= MIDWAY and r.rating == AGAIN and r.state_before == "review")
    assert sum(summary.lapses.values()) == lapses_then == sum(d.forgotten for d in summary.days.values())


def test_nothing_before_the_first_answer():
    with Store() as store:
        answer(store, Scheduler(), REG, "recall", GOOD, NOW)
        empty = read_summary(store, "tester", NOW - timedelta(seconds=1), tz=UTC)
    assert (empty.days, empty.lapses) == ({}, {})


@pytest.fixture
def system_zone():
    """Set the process's own time zone (TZ), as a learner's machine has it; restored afterwards."""
    before = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Santiago", "Asia/Kathmandu"])
def test_system_time_zone_days_match(replay, system_zone, zone):
    system_zone(zone)
    with Store() as store:
        log = store.reviews("tester")
        for cards in scopes(replay).values():
            assert read_summary(store, "tester", NOW, cards) == summarise(log, NOW, cards, ZoneInfo(zone))


@pytest.mark.parametrize(("zone", "market"), [("Asia/Kathmandu", None), ("Europe/Berlin", "yy"),
                                              ("America/Santiago", "zz")])
def test_cli_figures_equal_those_from_the_whole_log(cli, deck_dir, replay, zone, market):
    args = ["--market", market] if market else []
    result = cli("stats", "--json", "--decks", str(deck_dir), *args,
                 env={"CSDRILL_NOW": NOW.isoformat(), "TZ": zone, "CSDRILL_BUILTIN": "0"})
    assert result.returncode == 0, result.stderr
    with Store() as store:
        log, memories = store.reviews("tester"), store.memories("tester")
    tz = ZoneInfo(zone)
    figures = compute_stats(summarise(log, NOW, market_scope(replay, market), tz), memories, replay, NOW, market,
                            tz=tz)
    expected = json.loads(json.dumps({"user": "tester", **figures.to_dict()}, default=str))
    assert json.loads(result.stdout) == expected
    assert expected["reviews"]["total"] > 100 and expected["hardest"]


def test_migration_from_the_first_schema_keeps_the_log_and_counts_it(monkeypatch, request, isolated_home):
    with monkeypatch.context() as first_schema:
        first_schema.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:1])
        first_schema.setattr(store_module, "LATEST", 1)
        with Store() as old:
            rng = random.Random(7)
            for n in range(200):
                card_id, direction = rng.choice(ITEMS)
                answer(old, Scheduler(), card_id, direction, rng.choice((AGAIN, GOOD)),
                       NOW - timedelta(hours=7 * (200 - n) + rng.random()))
            assert old.schema_version == 1
            log = old.reviews("tester")

    with Store() as store:
        assert store.schema_version == store_module.LATEST > 1
        assert store.reviews("tester") == log
        library = load([request.getfixturevalue("world")], include_builtin=False).library
        for cards in scopes(library).values():
            assert read_summary(store, "tester", NOW, cards, UTC) == summarise(log, NOW, cards, UTC)
        indexes = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"reviews_by_user_time_tally", "reviews_lapses"} <= indexes and "reviews_by_user_time" not in indexes
    [backup] = isolated_home.glob("progress.db.bak-v1-*")
    assert sqlite3.connect(backup).execute("SELECT count(*) FROM reviews").fetchone()[0] == 200
