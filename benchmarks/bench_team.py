"""Team database at scale, against a real PostgreSQL server (run by hand; bounded in size and time).

    python benchmarks/bench_team.py [--pg CONNINFO] [--only concurrent,first,report,stats]

CONNINFO is a superuser connection (default: host=127.0.0.1 port=5432 dbname=test user=postgres). The
benchmark makes its own database and roles (named csdrill_bench_* / b*) and drops them at the end.

- concurrent: 200 agents, each with its own login and CSDRILL_HOME holding 50 new reviews, sync at once
  (threads in one process, one connection each): time, peak connections, server work, CPU busy.
- first: one machine holding 100,000 reviews runs `csdrill sync` for the first time, then again.
- report: `csdrill report --json` over 1,000 agents × 20 complete attempts (generated on the server).
- stats: `csdrill stats --user U --json` against a team log of 10,000,000 reviews (2,000 agents ×
  5,000, generated on the server with generate_series), plus the query plans of its counts.
- gaps: a trainer's `csdrill gaps --json` and `report --format html` against a team log of
  --gaps-reviews reviews by 1,000 agents (default 10,000,000) on the built-in cards, with 300 card
  states per agent (as syncs send them), plus the query plans of the gap tallies and mastery.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from run import median_seconds  # benchmarks/ is on sys.path when a benchmark runs as a script

PYTHON = sys.executable
AGENTS, PER_AGENT = 200, 50
FIRST_SYNC = 100_000
REPORT_AGENTS, ATTEMPTS_EACH = 1_000, 20
LOG_AGENTS, LOG_REVIEWS = 2_000, 10_000_000
STATS_NOW = "2026-06-01T12:00:00+00:00"
GAP_AGENTS = 1_000


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "csdrill", *args], env=env, capture_output=True, text=True, check=True)


def timed(action, repeat: int = 1) -> float:
    return median_seconds(action, repeat)


def cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


class Bench:
    def __init__(self, server: str, root: Path):
        import psycopg
        from psycopg.conninfo import make_conninfo

        tag = uuid.uuid4().hex[:8]
        self.server, self.root = server, root
        self.name, self.prefix = f"csdrill_bench_{tag}", f"b{tag}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.admin = make_conninfo(server, dbname=self.name)
        self.env = {**os.environ, "NO_COLOR": "1", "CSDRILL_TEAM_DB": self.admin, "TZ": "UTC"}
        self.env.pop("CSDRILL_DECKS", None)
        cli("team", "init", "--role-prefix", self.prefix, env=self.env)

    def dsn(self, login: str) -> str:
        from psycopg.conninfo import make_conninfo

        return make_conninfo(self.admin, user=login)

    def sql(self, statement: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def drop(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (self.prefix + "\\_%",)):
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def quiz_log(home: Path, user: str, count: int, rng: random.Random, start: datetime) -> None:
    """`count` answers recorded as a quiz records them (scheduler and store), one minute or more apart."""
    from csdrill.drill.scheduling import Scheduler
    from csdrill.store import Review, Store

    scheduler, when = Scheduler(), start
    with Store(home) as store:
        memories = {}
        for _ in range(count):
            key = (f"card-{rng.randrange(300)}", "recall")
            before = memories.get(key)
            rating = rng.choice((1, 3, 3, 3, 4))
            after = scheduler.review(before, rating, when)
            store.record_review(Review(user, *key, rating, "flash", when, 1500, before.state if before else "new",
                                       retention=0.9), after)
            memories[key] = after
            when += timedelta(minutes=rng.randrange(1, 240))


def concurrent(bench: Bench) -> dict:
    import psycopg

    from csdrill.store import Store
    from csdrill.team import schema
    from csdrill.team.sync import sync

    logins = [f"{bench.prefix}_agent{n:03d}" for n in range(AGENTS)]
    with psycopg.connect(bench.admin, autocommit=True) as conn:
        for login in logins:
            schema.grant(conn, login, "agent")
    rng = random.Random(1)
    homes = {}
    for login in logins:
        homes[login] = bench.root / "concurrent" / login
        quiz_log(homes[login], login, PER_AGENT, rng, datetime(2026, 5, 1, tzinfo=UTC))
    stats_sql = ("SELECT xact_commit, tup_inserted, blks_read, blks_hit FROM pg_stat_database "
                 "WHERE datname = current_database()")
    before_db, before_cpu = bench.sql(stats_sql)[0], cpu_busy()
    peak, done = [0], threading.Event()

    def watch() -> None:
        with psycopg.connect(bench.admin, autocommit=True) as conn:
            while not done.is_set():
                peak[0] = max(peak[0], conn.execute("SELECT count(*) FROM pg_stat_activity WHERE "
                                                     "application_name = 'csdrill'").fetchone()[0])
                time.sleep(0.02)

    errors: list[str] = []
    start_line = threading.Barrier(AGENTS)

    def agent(login: str) -> None:
        start_line.wait()
        try:
            with Store(homes[login]) as store:
                sync(store, bench.dsn(login), timeout_s=60)
        except Exception as err:
            errors.append(f"{login}: {err}")

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=agent, args=(login,)) for login in logins]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    after_cpu = cpu_busy()
    time.sleep(0.6)  # pg_stat_database counts a backend's work when it reports, at the latest at its exit
    after_db = bench.sql(stats_sql)[0]
    total, distinct = bench.sql("SELECT count(*), count(DISTINCT uid) FROM csdrill.reviews WHERE agent = ANY(%s)",
                                (logins,))[0]
    unsent = sum(sqlite3.connect(homes[login] / "progress.db").execute(
        "SELECT count(*) FROM reviews WHERE sent = 0").fetchone()[0] for login in logins)
    return {
        "agents": AGENTS, "reviews each": PER_AGENT, "wall s": round(seconds, 2), "errors": len(errors),
        "first error": errors[0] if errors else None,
        "in team db": total, "distinct": distinct, "expected": AGENTS * PER_AGENT, "left unsent": unsent,
        "peak connections": peak[0], "commits": after_db[0] - before_db[0],
        "rows inserted": after_db[1] - before_db[1],
        "machine CPU busy %": round(100 * (after_cpu[0] - before_cpu[0]) / max(1, after_cpu[1] - before_cpu[1])),
    }


def first_sync(bench: Bench) -> dict:
    from csdrill.store import Store, to_db

    login = f"{bench.prefix}_bulk"
    cli("team", "grant", login, "--role", "agent", env=bench.env)
    home = bench.root / "first"
    rng = random.Random(2)
    when = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for _ in range(FIRST_SYNC):
        when += timedelta(minutes=rng.randrange(1, 20))
        rows.append((login, f"card-{rng.randrange(5000)}", "recall", rng.choice((1, 3, 3, 4)), "flash", to_db(when),
                     1500, "review", None, 0.9))
    with Store(home) as store:
        store.db.execute("BEGIN")
        store.db.executemany("INSERT INTO reviews (user, card_id, direction, rating, mode, answered_at, duration_ms, "
                             "state_before, answer, retention) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        store.db.execute("COMMIT")
    env = {**bench.env, "CSDRILL_HOME": str(home), "CSDRILL_TEAM_DB": bench.dsn(login), "CSDRILL_USER": login}
    first_s = timed(lambda: cli("sync", "--json", env=env))
    again_s = timed(lambda: cli("sync", "--json", env=env))
    quiet_s = timed(lambda: cli("sync", "--json", env=env))
    total, distinct = bench.sql("SELECT count(*), count(DISTINCT uid) FROM csdrill.reviews WHERE agent = %s",
                                (login,))[0]
    return {"reviews": FIRST_SYNC, "first sync s": round(first_s, 2), "second sync s": round(again_s, 2),
            "third sync s": round(quiet_s, 2), "in team db": total, "distinct": distinct,
            "batches": -(-FIRST_SYNC // 5000)}


def report(bench: Bench) -> dict:
    answers = "[" + ",".join(f'{{"n": {n}, "card_id": "de-card-{n}", "given": "option {n % 4}", "correct": true, '
                             f'"topic": "regulation", "answered_at": "2026-01-01T10:{n:02d}:00.000000Z"}}'
                             for n in range(1, 21)) + "]"
    bench.sql(
        "INSERT INTO csdrill.attempts (uid, agent, quiz_id, quiz_hash, seed, status, started_at, finished_at, score, "
        "pass_mark, passed, by_topic, answers) "
        "SELECT gen_random_uuid(), 'agent-' || lpad((i %% %s)::text, 4, '0'), 'onboarding-de', 'hash', i, 'complete', "
        "timestamptz '2026-01-01' + i * interval '7 min', timestamptz '2026-01-01' + i * interval '7 min' + "
        "interval '20 min', (i * 37 %% 101)::float, 80, (i * 37 %% 101) >= 80, '{\"regulation\": 80}', %s::jsonb "
        "FROM generate_series(1, %s) AS i", (REPORT_AGENTS, answers, REPORT_AGENTS * ATTEMPTS_EACH))
    bench.sql("VACUUM ANALYZE csdrill.attempts")
    rows = cli("report", "--json", env=bench.env).stdout
    seconds = timed(lambda: cli("report", "--json", env=bench.env), repeat=5)
    version = timed(lambda: cli("--version", env=bench.env), repeat=5)
    plan = explain(bench, "EXPLAIN SELECT agent, quiz_id, count(*), (array_agg(score ORDER BY finished_at DESC, uid "
                   "DESC))[1], max(finished_at) FROM csdrill.attempts WHERE status = 'complete' "
                   "GROUP BY quiz_id, agent ORDER BY quiz_id, agent")
    import json

    return {"attempts": REPORT_AGENTS * ATTEMPTS_EACH, "rows": len(json.loads(rows)),
            "report --json s (median of 5)": round(seconds, 3), "csdrill --version s": round(version, 3),
            "plan": plan}


def team_log(bench: Bench) -> dict:
    from csdrill.content.loader import load

    library = load().library
    cards = sorted({(c.id, "recall" if c.kind != "phrase" else "recognise") for c in library.market_cards("de", ())})
    ids, directions = [c for c, _ in cards], [d for _, d in cards]
    chunk = 1_000_000
    start = time.perf_counter()
    for first in range(0, LOG_REVIEWS, chunk):
        # Agent i % 2000, one answer every 105 minutes over a year; card, rating and state spread by hashes.
        bench.sql(
            "INSERT INTO csdrill.reviews (uid, agent, card_id, direction, rating, mode, answered_at, duration_ms, "
            "state_before, retention) "
            "SELECT gen_random_uuid(), 'agent-' || lpad((i %% %(agents)s)::text, 4, '0'), "
            "(%(ids)s::text[])[(1 + (i * 7919 / %(agents)s) %% %(n)s)::int], "
            "(%(dirs)s::text[])[(1 + (i * 7919 / %(agents)s) %% %(n)s)::int], "
            "(ARRAY[1, 3, 3, 3, 4, 3, 2, 3])[(1 + (i / %(agents)s) %% 8)::int], 'flash', "
            "timestamptz '2025-06-01' + (i / %(agents)s)::int * interval '105 min', 1500, "
            "CASE WHEN i < %(agents)s * 40 THEN 'new' ELSE 'review' END, 0.9 "
            "FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i",
            {"agents": LOG_AGENTS, "ids": ids, "dirs": directions, "n": len(ids), "first": first,
             "last": min(first + chunk, LOG_REVIEWS) - 1})
    bench.sql("VACUUM ANALYZE csdrill.reviews")
    generated = time.perf_counter() - start
    size = bench.sql("SELECT pg_size_pretty(pg_total_relation_size('csdrill.reviews'))")[0][0]
    env = {**bench.env, "CSDRILL_NOW": STATS_NOW}
    agent = "agent-0007"
    out = cli("stats", "--user", agent, "--json", env=env).stdout
    import json

    figures = json.loads(out)
    seconds = timed(lambda: cli("stats", "--user", agent, "--json", env=env), repeat=5)
    market = timed(lambda: cli("stats", "--user", agent, "--market", "de", "--json", env=env), repeat=5)
    markets = timed(lambda: cli("markets", "--json", env=env), repeat=5)
    days = [datetime(2025, 6, 1, tzinfo=UTC) + timedelta(days=n) for n in range(366)]
    tally = explain(bench, "EXPLAIN SELECT width_bucket(answered_at, %s::timestamptz[]) - 1, count(*), "
                    "count(*) FILTER (WHERE state_before = 'review') FROM csdrill.reviews WHERE agent = %s AND "
                    "answered_at >= %s AND answered_at < %s GROUP BY 1", (days, agent, days[0], days[-1]))
    lapses = explain(bench, "EXPLAIN SELECT card_id, direction, count(*) FROM csdrill.reviews WHERE agent = %s AND "
                     "rating = 1 AND state_before = 'review' AND answered_at <= %s GROUP BY 1, 2", (agent, days[-1]))
    replay = explain(bench, "EXPLAIN SELECT uid, card_id, direction, rating, answered_at, state_before, retention "
                     "FROM csdrill.reviews WHERE agent = %s", (agent,))
    return {"reviews": LOG_REVIEWS, "agents": LOG_AGENTS, "generated in s": round(generated), "table size": size,
            "user reviews": figures["reviews"]["total"], "stats --user --json s (median of 5)": round(seconds, 3),
            "stats --user --market de --json s": round(market, 3), "markets --json s": round(markets, 3),
            "plan tally": tally, "plan lapses": lapses, "plan replay": replay}


def gaps(bench: Bench, reviews: int) -> dict:
    """The trainer's cohort reads: per-card tallies over the whole log, mastery from card_states."""
    from csdrill.content.loader import load

    library = load().library
    cards = sorted(library.cards.values(), key=lambda c: c.id)
    ids = [c.id for c in cards]
    agents, chunk = GAP_AGENTS, 1_000_000
    start = time.perf_counter()
    for first in range(0, reviews, chunk):
        # Agent i % 1000, one answer every 53 minutes; a quarter are choice answers, wrong ones name an option.
        bench.sql(
            "INSERT INTO csdrill.reviews (uid, agent, card_id, direction, rating, mode, answered_at, duration_ms, "
            "state_before, answer, retention) "
            "SELECT gen_random_uuid(), 'agent-' || lpad((i %% %(agents)s)::text, 4, '0'), "
            "(%(ids)s::text[])[(1 + (i * 7919 / %(agents)s + i %% %(agents)s) %% %(n)s)::int], 'recall', "
            "r.rating, CASE WHEN i %% 4 = 0 THEN 'choice' ELSE 'flash' END, "
            "timestamptz '2025-12-01' + (i / %(agents)s)::int * interval '53 min', 1500, "
            "CASE WHEN i < %(agents)s * 200 THEN 'new' ELSE 'review' END, "
            "CASE WHEN i %% 4 = 0 AND r.rating = 1 THEN 'option ' || (i %% 3)::text END, 0.9 "
            "FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i, "
            "LATERAL (SELECT (ARRAY[1, 3, 3, 3, 4, 3, 2, 3])[(1 + (i / %(agents)s + i) %% 8)::int] AS rating) AS r",
            {"agents": agents, "ids": ids, "n": len(ids), "first": first, "last": min(first + chunk, reviews) - 1})
    bench.sql(
        "INSERT INTO csdrill.card_states (agent, card_id, direction, state, step, stability, difficulty, due, "
        "last_review, introduced_at, reps, lapses) "
        "SELECT 'agent-' || lpad(a::text, 4, '0'), (%(ids)s::text[])[(1 + (a * 13 + k) %% %(n)s)::int], 'recall', "
        "CASE WHEN (a + k) %% 5 = 0 THEN 'relearning' ELSE 'review' END, NULL, ((a * k) %% 60)::float, 5.0, "
        "timestamptz '2026-12-01', timestamptz '2026-11-01', timestamptz '2026-01-01', 10, ((a + k) %% 7) "
        "FROM generate_series(0, %(agents)s - 1) AS a, generate_series(0, 299) AS k "
        "ON CONFLICT DO NOTHING", {"ids": ids, "n": len(ids), "agents": agents})
    bench.sql("VACUUM ANALYZE csdrill.reviews")
    bench.sql("VACUUM ANALYZE csdrill.card_states")
    generated = time.perf_counter() - start
    env = {**bench.env, "CSDRILL_NOW": "2026-11-30T12:00:00+00:00"}
    figures = __import__("json").loads(cli("gaps", "--json", env=env).stdout)
    gaps_s = timed(lambda: cli("gaps", "--json", env=env), repeat=3)
    page = bench.root / "team-report.html"
    html_s = timed(lambda: cli("report", "--format", "html", "-o", str(page), env=env), repeat=3)
    tally = explain(bench, "EXPLAIN SELECT card_id, count(DISTINCT agent), count(*) FILTER (WHERE state_before = "
                    "'new') FROM csdrill.reviews GROUP BY card_id")
    mastery = explain(bench, "EXPLAIN SELECT s.agent, count(*) FROM csdrill.card_states AS s JOIN unnest(%s::text[]) "
                      "AS k(card_id) ON k.card_id = s.card_id GROUP BY s.agent", (ids,))
    return {"reviews": reviews, "agents": agents, "card states": agents * 300, "generated in s": round(generated),
            "learners in gaps": figures["learners"], "cards ranked": len(figures["cards"]),
            "gaps --json s (median of 3)": round(gaps_s, 2), "report --format html s (median of 3)": round(html_s, 2),
            "page KB": page.stat().st_size // 1024, "plan tally": tally, "plan mastery": mastery}


def explain(bench: Bench, statement: str, params=()) -> str:
    lines = [row[0] for row in bench.sql(statement, params)]
    return " | ".join(line.strip() for line in lines if "Scan" in line or "Aggregate" in line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="host=127.0.0.1 port=5432 dbname=test user=postgres")
    parser.add_argument("--only", default="concurrent,first,report,stats,gaps")
    parser.add_argument("--gaps-reviews", type=int, default=10_000_000)
    args = parser.parse_args()
    parts = {"concurrent": concurrent, "first": first_sync, "report": report, "stats": team_log,
             "gaps": lambda bench: gaps(bench, args.gaps_reviews)}
    with tempfile.TemporaryDirectory(prefix="csdrill-team-bench-") as tmp:
        bench = Bench(args.pg, Path(tmp))
        try:
            for name in args.only.split(","):
                print(f"== {name}", flush=True)
                for key, value in parts[name](bench).items():
                    print(f"  {key}: {value}", flush=True)
        finally:
            bench.drop()


if __name__ == "__main__":
    main()
