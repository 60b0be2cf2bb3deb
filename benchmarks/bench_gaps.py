"""The trainer's view over a big team: `csdrill gaps --json` and `csdrill report --format html` on a local
store of 1,000 learners and 10,000,000 reviews (2,000 cards, a year), against references measured the
same way in the same run:

- `csdrill markets --json` on the same decks: start-up and loading the same content from a warm cache;
- raw SQLite in a fresh `python -c` (sqlite3 only): `SELECT COUNT(*) FROM reviews`, answered from the
  smallest index, and `SELECT SUM(duration_ms) FROM reviews`, one pass over the table itself.

The log is generated in SQL (a recursive CTE crossed with the learners), into the schema the Store
creates; its indexes are dropped for the insert and rebuilt from their own `CREATE INDEX` text, which is
several times faster than keeping them up to date row by row. Run alone with
`python benchmarks/bench_gaps.py [--reviews N] [--repeat R]`.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

REVIEWS = 10_000_000
LEARNERS = 1_000
CARDS = 2_000
NOW = datetime(2026, 6, 1, tzinfo=UTC)
# Topics the generated decks cycle through, so the mastery heat map has several columns.
TOPICS = ("regulation", "etiquette", "scenario", "skill")


def make_team_decks(root: Path, make_decks) -> Path:
    folder = make_decks(root / "decks-gaps", CARDS, per_file=250)
    for i, path in enumerate(sorted(folder.glob("bench-*.yaml"))):
        text = path.read_text("utf-8")
        path.write_text(text.replace("topic: regulation", f"topic: {TOPICS[i % len(TOPICS)]}", 1), "utf-8")
    return folder


def team_log(path: Path, reviews: int, learners: int = LEARNERS, cards: int = CARDS, now: datetime = NOW) -> dict:
    """Fill the store at `path` with `reviews` answers from `learners` learners, a memory per learner and
    card, and two quizzes' exam attempts. Returns how long each part took (seconds).

    Learner u answers card (k + 37u) mod `cards` as their k-th answer: the first pass over the deck is
    the cards' first answers (state `new`), later ones are reviews. A card's miss rate grows with its
    number (5 % to 44 %); a missed choice question names one of the card's two wrong options. Every
    25th learner stopped ten days ago (idle), the rest answered up to the last minutes before `now`.
    """
    per = reviews // learners
    span = 365 * 86400  # each learner's answers are spread evenly over the year before `now`
    end = int(now.timestamp())
    took = {}
    db = sqlite3.connect(path, isolation_level=None)
    # One bulk load: no journal and no fsync (a crash would only lose the benchmark's own data).
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -400000")
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews' "
                         "AND sql IS NOT NULL").fetchall()
    # Schema 4 gives every review a global id from a per-row trigger when none is given; giving the same
    # random id in the insert itself spares 10,000,000 trigger updates. Older schemas have no such column.
    columns = {row[1] for row in db.execute("PRAGMA table_info(reviews)")}
    uid_column, uid_value = (", uid", ", lower(hex(randomblob(16)))") if "uid" in columns else ("", "")
    start = time.perf_counter()
    db.execute("BEGIN")
    for name, _sql in indexes:
        db.execute(f"DROP INDEX {name}")
    # h: a cheap deterministic hash of the row number (the high bits of a linear congruential step).
    db.execute(
        f"""
        WITH RECURSIVE
          learner(u) AS (SELECT 0 UNION ALL SELECT u + 1 FROM learner WHERE u + 1 < {learners}),
          step(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM step WHERE k + 1 < {per}),
          answer AS (
            SELECT u, k, (k + 37 * u) % {cards} AS c,
                   (((u * {per} + k) * 1103515245 + 12345) % 2147483648) / 65536 AS h
            FROM learner CROSS JOIN step
          ),
          graded AS (
            SELECT u, k, c, h, k < {cards} AS first,
                   CASE WHEN h % 100 < (5 + c % 40) / (CASE WHEN k < {cards} THEN 1 ELSE 3 END)
                        THEN 1 ELSE 2 + h % 3 END AS rating
            FROM answer
          )
        INSERT INTO reviews (user, card_id, direction, rating, mode, answered_at, duration_ms, state_before, answer
                             {uid_column})
        SELECT printf('learner-%04d', u), 'bench-reg-' || c, 'recall', rating,
               CASE WHEN k % 4 = 0 THEN 'typed' ELSE 'choice' END,
               strftime('%Y-%m-%dT%H:%M:%S.000000Z',
                        {end} - (CASE WHEN u % 25 = 0 THEN 864000 ELSE 0 END) - ({per} - 1 - k) * {span} / {per}
                        - 60 - u, 'unixepoch'),
               3000 + h % 5000, CASE WHEN first THEN 'new' ELSE 'review' END,
               CASE WHEN rating = 1 THEN (c % 30 + CASE WHEN h % 5 < 3 THEN 31 ELSE 61 END) || ' days'
                    ELSE (c % 30 + 1) || ' days' END {uid_value}
        FROM graded
        """
    )
    took["insert"] = time.perf_counter() - start
    start = time.perf_counter()
    for _name, sql in indexes:
        db.execute(sql)
    took["index"] = time.perf_counter() - start
    start = time.perf_counter()
    db.execute(
        f"""
        WITH RECURSIVE
          learner(u) AS (SELECT 0 UNION ALL SELECT u + 1 FROM learner WHERE u + 1 < {learners}),
          card(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM card WHERE c + 1 < {min(cards, per)})
        INSERT INTO card_state (user, card_id, direction, state, step, stability, difficulty, due, last_review,
                                introduced_at, reps, lapses)
        SELECT printf('learner-%04d', u), 'bench-reg-' || ((c + 37 * u) % {cards}), 'recall', 'review', NULL,
               (u % 10) * 4 + (c * 13) % 30, 5,
               strftime('%Y-%m-%dT%H:%M:%S.000000Z', {end} + (c * 3600) % 864000, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000Z', {end} - 86400, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000Z', {end - span}, 'unixepoch'), {max(per // cards, 1)},
               CASE WHEN u % 10 = 0 AND c % 200 = 0 THEN 5 ELSE c % 3 END
        FROM learner CROSS JOIN card
        """
    )
    # Two quizzes, two complete attempts each per learner, a week apart; a fifth of latest attempts fail.
    attempts = []
    for u in range(learners):
        for q, quiz in enumerate(("bench-quiz-a", "bench-quiz-b")):
            for a in range(2):
                finished = now - timedelta(days=7 * (u % 12) + 7 * (1 - a) + q, minutes=u)
                score = 60.0 + (u * 7 + q * 11 + a * 13) % 40
                attempts.append((f"learner-{u:04d}", quiz, "bench", u, "complete",
                                 finished.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), score, 80.0, int(score >= 80)))
    db.executemany(
        "INSERT INTO exam_attempts (user, quiz_id, quiz_hash, seed, status, started_at, finished_at, score, "
        "pass_mark, passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row[:5], row[5], *row[5:]) for row in attempts],
    )
    db.execute("COMMIT")
    # No ANALYZE: csdrill never runs it, so a user's store has no statistics and neither does this one.
    took["memories"] = time.perf_counter() - start
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    return took


def plans(path: Path, folder: Path) -> list[tuple[str, str]]:
    """(statement, SQLite's query plan) for every SELECT the two commands run on the store, as traced."""
    from csdrill.cohort import build_report
    from csdrill.content.loader import load
    from csdrill.gaps import read_mastery, read_tallies
    from csdrill.store import from_db, to_db
    from csdrill.team.progress import LocalProgress

    library = load([folder], include_builtin=False).library
    db = sqlite3.connect(path, isolation_level=None)
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    read_tallies(db, None, None, to_db)
    read_mastery(db, library)
    # LocalProgress asks only its store's connection: a traced one stands in for the Store.
    build_report(LocalProgress(SimpleNamespace(db=db)), library, [], [], NOW, from_db)
    db.set_trace_callback(None)
    out = []
    for sql in dict.fromkeys(s for s in statements if s.lstrip().upper().startswith("SELECT")):
        plan = " / ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        out.append((re.sub(r"WHEN answered_at < '[^']*' THEN (\d+) (?:WHEN .*? THEN \d+ )*", r"WHEN … ", sql), plan))
    db.close()
    return out


def measure(root: Path, env, repeat: int, make_decks, reviews: int = REVIEWS) -> dict:
    from run import CSDRILL, PYTHON, median_seconds, run

    from csdrill.store import Store

    folder = make_team_decks(root, make_decks)
    home = root / "home-gaps"
    Store(home).close()  # the schema exactly as csdrill creates it, every migration applied
    database = home / "progress.db"
    took = team_log(database, reviews)
    env = dict(env, CSDRILL_HOME=str(home), CSDRILL_USER="trainer", CSDRILL_NOW=NOW.isoformat(),
               CSDRILL_BUILTIN="0", TZ="Europe/Berlin")
    page = root / "team-report.html"

    def command(*args: str):
        return lambda: run(*CSDRILL, *args, "--decks", str(folder), env=env)

    def raw(sql: str):
        code = f"import sqlite3; sqlite3.connect({str(database)!r}).execute({sql!r}).fetchone()"
        return lambda: run(PYTHON, "-c", code, env=env)

    steps = {
        "gaps": command("gaps", "--json"),
        "report": command("report", "--format", "html", "-o", str(page)),
        "markets": command("markets", "--json"),
        "count": raw("SELECT COUNT(*) FROM reviews"),
        # One pass over the table itself, reading a column no index holds: what a query that looks at
        # every answer without an index to help would pay at least.
        "scan": raw("SELECT SUM(duration_ms) FROM reviews"),
    }
    for step in steps.values():  # the parsed-deck cache, and the OS page cache of the store
        step()
    out = {name: median_seconds(step, repeat) for name, step in steps.items()}
    out.update(reviews=reviews, learners=LEARNERS, cards=CARDS, page_bytes=page.stat().st_size,
               db_mb=database.stat().st_size / 2**20, generate=took, plans=plans(database, folder))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=REVIEWS, help="size of the review log (a quick run: 1000000)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the store in this folder and leave it there")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import make_decks

    base = dict(os.environ, NO_COLOR="1")
    base.pop("CSDRILL_DECKS", None)
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="csdrill-bench-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        result = measure(root, base, args.repeat, make_decks, args.reviews)
    for sql, plan in result.pop("plans"):
        print(f"- `{sql}`\n  {plan}")
    for key, value in result.items():
        print(f"{key}: {round(value * 1000) if isinstance(value, float) and key != 'db_mb' else value}")


if __name__ == "__main__":
    main()
