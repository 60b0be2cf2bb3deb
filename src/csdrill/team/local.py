"""This machine's side of a sync: the SQLite queries on the progress store that the sync needs.

Kept apart from store.py (the quiz's store) so a sync never changes how a quiz records an answer; the
tables and columns are store.py's migration 4.
"""

from __future__ import annotations

from csdrill.drill.replay import CardState, LoggedReview, replay
from csdrill.store import Store, from_db, to_db

REVIEW_FIELDS = ("uid, user, card_id, direction, rating, mode, answered_at, duration_ms, state_before, answer, "
                 "retention, market")
ATTEMPT_FIELDS = ("uid, user, quiz_id, quiz_hash, seed, status, started_at, finished_at, score, pass_mark, passed, "
                  "by_topic, answers")


def local_users(store: Store) -> list[str]:
    rows = store.db.execute("SELECT user FROM reviews UNION SELECT user FROM exam_attempts ORDER BY 1")
    return [r[0] for r in rows]


def unsent_reviews(store: Store, users: list[str], limit: int) -> list[tuple]:
    """Up to `limit` reviews of `users` the team database may not have yet, oldest first: (id, fields…)."""
    marks = ",".join("?" * len(users))
    return store.db.execute(
        f"SELECT id, {REVIEW_FIELDS} FROM reviews WHERE sent = 0 AND user IN ({marks}) ORDER BY id LIMIT ?",
        (*users, limit)).fetchall()


def mark_sent(store: Store, users: list[str], up_to_id: int, team: str, txid: str) -> None:
    """The team database has committed every unsent review of `users` up to this id, in transaction `txid`.

    The transaction id lets the next pull skip these rows instead of fetching them back.
    """
    marks = ",".join("?" * len(users))
    db = store.db
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(f"UPDATE reviews SET sent = 1 WHERE sent = 0 AND user IN ({marks}) AND id <= ?", (*users, up_to_id))
        db.execute("INSERT INTO team_sync VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value || ',' || ?",
                   (f"pushed:{team}", txid, txid))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def pushed_txids(store: Store, team: str) -> list[str]:
    """Server transactions that added this machine's reviews since its last pull."""
    row = store.db.execute("SELECT value FROM team_sync WHERE key = ?", (f"pushed:{team}",)).fetchone()
    return row[0].split(",") if row else []


def count_unsent(store: Store, users: list[str] | None = None) -> int:
    if users is None:
        return store.db.execute("SELECT count(*) FROM reviews WHERE sent = 0").fetchone()[0]
    marks = ",".join("?" * len(users))
    return store.db.execute(f"SELECT count(*) FROM reviews WHERE sent = 0 AND user IN ({marks})",
                            users).fetchone()[0]


def unsent_attempts(store: Store, users: list[str]) -> list[tuple]:
    """Attempts whose current status the team database has not got: (id, fields…)."""
    marks = ",".join("?" * len(users))
    return store.db.execute(
        f"SELECT id, {ATTEMPT_FIELDS} FROM exam_attempts WHERE user IN ({marks}) "
        "AND sent_status IS NOT status ORDER BY id", users).fetchall()


def mark_attempts_sent(store: Store, sent: list[tuple[int, str]]) -> None:
    store.db.executemany("UPDATE exam_attempts SET sent_status = ? WHERE id = ?",
                         [(status, attempt_id) for attempt_id, status in sent])


def cursor(store: Store, team: str, user: str) -> str:
    row = store.db.execute("SELECT value FROM team_sync WHERE key = ?", (f"pulled:{team}:{user}",)).fetchone()
    return row[0] if row else "0"


def add_pulled(store: Store, team: str, rows: list[tuple], cursors: dict[str, str], final: bool) -> int:
    """Add reviews made elsewhere (those already here are skipped); returns how many were new.

    The rows, the users' "replay needed" marks and — on the last batch — the new cursors are committed
    together, so a sync killed here either has all of it or pulls it again.
    """
    db = store.db
    db.execute("BEGIN IMMEDIATE")
    try:
        before = db.total_changes
        db.executemany(
            f"INSERT OR IGNORE INTO reviews ({REVIEW_FIELDS}, sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            rows)
        added = db.total_changes - before
        if added:
            db.executemany("INSERT OR REPLACE INTO team_sync VALUES (?, '1')",
                           [(f"replay:{user}",) for user in {row[1] for row in rows}])
        if final:
            db.executemany("INSERT OR REPLACE INTO team_sync VALUES (?, ?)",
                           [(f"pulled:{team}:{user}", value) for user, value in cursors.items()])
            # Pushes the new cursor has passed need no skipping any more; newer ones still do.
            floor = min((int(value) for value in cursors.values()), default=0)
            keep = [txid for txid in pushed_txids(store, team) if int(txid) >= floor]
            db.execute("DELETE FROM team_sync WHERE key = ?", (f"pushed:{team}",))
            if keep:
                db.execute("INSERT INTO team_sync VALUES (?, ?)", (f"pushed:{team}", ",".join(keep)))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return added


def needs_replay(store: Store, user: str) -> bool:
    """Would the user's card states here differ from a replay of their log here?

    A quiz updates states answer by answer, which is the replay as long as each answer comes after every
    earlier one; so a replay is due when this machine never did one (older reviews carry no retention),
    when reviews arrived from elsewhere (marked by add_pulled), or when an answer since the last replay
    is older than one before it (a clock set back, CSDRILL_NOW).
    """
    db = store.db
    if db.execute("SELECT 1 FROM team_sync WHERE key = ?", (f"replay:{user}",)).fetchone():
        return True
    mark = db.execute("SELECT value FROM team_sync WHERE key = ?", (f"replayed:{user}",)).fetchone()
    if mark is None:
        return db.execute("SELECT 1 FROM reviews WHERE user = ? LIMIT 1", (user,)).fetchone() is not None
    last_id, latest = mark[0].split("|", 1)
    return db.execute(
        "SELECT EXISTS (SELECT 1 FROM (SELECT answered_at, max(answered_at) OVER (ORDER BY id ROWS BETWEEN "
        "UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM reviews WHERE id > ? AND user = ?) "
        "WHERE answered_at < max(coalesce(before, ''), ?))", (int(last_id), user, latest)).fetchone()[0] == 1


def users_to_replay(store: Store) -> list[str]:
    return [r[0][len("replay:"):] for r in store.db.execute("SELECT key FROM team_sync WHERE key LIKE 'replay:%'")]


def replay_user(store: Store, user: str) -> int:
    """Rebuild `user`'s card states from their whole log here; returns the number of cards.

    Reading the log and writing the states happen in one write transaction, so an answer recorded by a
    quiz in another terminal meanwhile is either in the replay or waits for it.
    """
    db = store.db
    db.execute("BEGIN IMMEDIATE")
    try:
        log = [LoggedReview(r[0], r[1], r[2], r[3], from_db(r[4]), r[5], r[6]) for r in db.execute(
            "SELECT uid, card_id, direction, rating, answered_at, state_before, retention FROM reviews "
            "WHERE user = ?", (user,))]
        states = replay(log)
        db.execute("DELETE FROM card_state WHERE user = ?", (user,))
        db.executemany(
            "INSERT INTO card_state (user, card_id, direction, state, step, stability, difficulty, due, last_review, "
            "introduced_at, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_state_row(user, key, state) for key, state in states.items()))
        db.execute("DELETE FROM team_sync WHERE key = ?", (f"replay:{user}",))
        last_id, latest = db.execute("SELECT max(id), max(answered_at) FROM reviews WHERE user = ?",
                                     (user,)).fetchone()
        db.execute("INSERT OR REPLACE INTO team_sync VALUES (?, ?)",
                   (f"replayed:{user}", f"{last_id or 0}|{latest or ''}"))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return len(states)


def _state_row(user: str, key: tuple[str, str], state: CardState) -> tuple:
    m = state.memory
    return (user, *key, m.state, m.step, m.stability, m.difficulty, to_db(m.due),
            to_db(m.last_review) if m.last_review else None, to_db(state.introduced_at), state.reps, state.lapses)


def states_mark(store: Store, user: str) -> str:
    """What `user`'s card states here follow from: their log's size and last row, and the last replay.

    Card states change only when an answer is recorded or the log is replayed, so while this mark is the
    one noted at the last push, the team database already has these states.
    """
    count, last_id = store.db.execute("SELECT count(*), max(id) FROM reviews WHERE user = ?", (user,)).fetchone()
    replayed = store.db.execute("SELECT value FROM team_sync WHERE key = ?", (f"replayed:{user}",)).fetchone()
    return f"{count}|{last_id or 0}|{replayed[0] if replayed else ''}"


def states_pushed(store: Store, team: str, user: str) -> str | None:
    row = store.db.execute("SELECT value FROM team_sync WHERE key = ?", (f"states:{team}:{user}",)).fetchone()
    return row[0] if row else None


def mark_states_pushed(store: Store, team: str, user: str, mark: str) -> None:
    store.db.execute("INSERT OR REPLACE INTO team_sync VALUES (?, ?)", (f"states:{team}:{user}", mark))


def card_states(store: Store, user: str) -> list[tuple]:
    """`user`'s card states here as schema.CARD_STATE_COLUMNS rows (times as aware datetimes)."""
    return [(user, card_id, direction, state, step, stability, difficulty, from_db(due),
             from_db(last) if last else None, from_db(introduced), reps, lapses)
            for card_id, direction, state, step, stability, difficulty, due, last, introduced, reps, lapses
            in store.db.execute(
                "SELECT card_id, direction, state, step, stability, difficulty, due, last_review, introduced_at, "
                "reps, lapses FROM card_state WHERE user = ?", (user,))]
