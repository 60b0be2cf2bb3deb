"""`csdrill sync`: this machine's log and the team database's, merged; scheduling rebuilt by replay.

1. Pull: the user's reviews the team database got since this machine's last pull (by transaction id,
   so a row committed late is never skipped), except those this machine sent itself (their transaction
   ids are noted when sent), added here in batches; a review already here is skipped.
2. Push: unsent reviews in batches — COPY into a temporary table, then one INSERT … ON CONFLICT (uid)
   DO NOTHING per batch — each batch committed there before it is marked sent here. Then unsent attempts.
3. Replay: each user whose log gained reviews from elsewhere gets their card states rebuilt from the log.
4. Card states: each user's states here — now the replay of the whole log, the same on every machine —
   are upserted into csdrill.card_states when they changed since the last push (schema 3 and later), so
   a trainer's `gaps` and HTML report read a cohort's mastery and leeches with an index, not by replaying
   every agent's log on each read.

Killed anywhere, a re-run does the rest: the global id makes every write idempotent, and the marks
("sent", "replay needed", the pull cursor) are only written after what they describe is committed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from csdrill.i18n import _
from csdrill.store import Store
from csdrill.team import local, schema
from csdrill.team.conninfo import TeamError, connect, masked

BATCH = 5_000


@dataclass
class SyncResult:
    team_db: str
    login: str
    trainer: bool
    users: list[str]
    sent_reviews: int = 0  # new in the team database
    already_there: int = 0  # sent before by a sync that was cut off before it could note it
    sent_attempts: int = 0
    sent_card_states: int = 0  # memories (user, card, direction) brought up to date in the team database
    received_reviews: int = 0  # new here
    fetched_reviews: int = 0  # rows the pull downloaded (received + those that were here already)
    replayed: dict[str, int] = field(default_factory=dict)  # user → cards rebuilt
    left_unsent: dict[str, int] = field(default_factory=dict)  # other users' reviews an agent may not send

    def to_dict(self) -> dict:
        return asdict(self)


def sync(store: Store, dsn: str, users: list[str] | None = None, timeout_s: float | None = None,
         batch: int = BATCH) -> SyncResult:
    """Pull, push, replay (see the module docstring). TeamError when the team database fails us."""
    import psycopg

    conn = connect(dsn, **({"timeout_s": timeout_s} if timeout_s else {}))
    try:
        if timeout_s:
            conn.execute(f"SET statement_timeout = {int(timeout_s * 4000)}")
        return _sync(conn, store, dsn, users, batch)
    except psycopg.errors.InsufficientPrivilege as err:
        refusal = masked(str(err).splitlines()[0], dsn)
        raise TeamError(_("the team database {db} refused: {reason} "
                          "(ask its owner for `csdrill team grant LOGIN --role agent`)").format(
            db=masked(dsn), reason=refusal), refusal) from None
    except psycopg.Error as err:
        raise TeamError(_("sync with {db} stopped: {reason}. Nothing is lost and "
                          "nothing will be sent twice: run `csdrill sync` again").format(
            db=masked(dsn), reason=masked(_line(err), dsn)), masked(_line(err), dsn)) from None
    finally:
        conn.close()


def _sync(conn, store: Store, dsn: str, wanted: list[str] | None, batch: int) -> SyncResult:
    schema.require_schema(conn)
    login = conn.execute("SELECT current_user").fetchone()[0]
    trainer = schema.is_trainer(conn)
    team = schema.team_id(conn)
    here = local.local_users(store)
    if trainer:
        users = sorted(set(wanted if wanted is not None else here))
    else:
        # An agent's login is its csdrill user: only its own rows can be sent or read.
        if wanted is not None and set(wanted) - {login}:
            raise TeamError(_("logged in to the team database as {login}, so only {login}'s progress can be "
                              "synced (a trainer's login syncs everyone on this machine)").format(login=login))
        users = [login]
    result = SyncResult(masked(dsn), login, trainer, users)
    for other in sorted(set(here) - set(users)):
        if count := local.count_unsent(store, [other]):
            result.left_unsent[other] = count
    if not users:
        return result
    _pull(conn, store, team, users, batch, result)
    _push_reviews(conn, store, team, users, batch, result)
    _push_attempts(conn, store, users, result)
    for user in users:
        if local.needs_replay(store, user):
            result.replayed[user] = local.replay_user(store, user)
    if schema.require_schema(conn) >= schema.CARD_STATES_SINCE:
        _push_card_states(conn, store, team, users, result)
    return result


def _push_card_states(conn, store: Store, team: str, users: list[str], result: SyncResult) -> None:
    columns = ", ".join(schema.CARD_STATE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in schema.CARD_STATE_COLUMNS[3:])
    for user in users:
        mark = local.states_mark(store, user)
        if mark == local.states_pushed(store, team, user):
            continue
        rows = local.card_states(store, user)
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS incoming_states (agent text, card_id text, direction text, "
                        "state text, step integer, stability double precision, difficulty double precision, "
                        "due timestamptz, last_review timestamptz, introduced_at timestamptz, reps integer, "
                        "lapses integer) ON COMMIT DELETE ROWS")
            with cur.copy(f"COPY incoming_states ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # A machine whose log lags behind (it synced before another's answers arrived) never
            # overwrites a memory built from more answers.
            cur.execute(f"INSERT INTO csdrill.card_states ({columns}) SELECT {columns} FROM incoming_states "
                        f"ON CONFLICT (agent, card_id, direction) DO UPDATE SET {updates}, received_at = now() "
                        "WHERE csdrill.card_states.reps <= excluded.reps")
        local.mark_states_pushed(store, team, user, mark)
        result.sent_card_states += len(rows)


def _pull(conn, store: Store, team: str, users: list[str], batch: int, result: SyncResult) -> None:
    since = [local.cursor(store, team, user) for user in users]
    ours = local.pushed_txids(store, team)  # rows this machine sent: already here
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Every transaction older than this snapshot's xmin has ended: the next pull starts there.
        upto = str(conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())").fetchone()[0])
        with conn.cursor(name="csdrill_pull") as rows:
            rows.itersize = batch
            rows.execute(
                "SELECT r.uid::text, r.agent, r.card_id, r.direction, r.rating, r.mode, "
                "to_char(r.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), r.duration_ms, "
                "r.state_before, r.answer, r.retention, r.market "
                "FROM csdrill.reviews AS r JOIN unnest(%s::text[], %s::xid8[]) AS c(agent, since) "
                "ON r.agent = c.agent AND r.txid >= c.since WHERE r.txid <> ALL(%s::xid8[])",
                (users, since, ours))
            cursors = dict.fromkeys(users, upto)
            while True:
                chunk = [(uid.replace("-", ""), *rest) for uid, *rest in rows.fetchmany(batch)]
                final = len(chunk) < batch
                result.fetched_reviews += len(chunk)
                result.received_reviews += local.add_pulled(store, team, chunk, cursors, final)
                if final:
                    break


def _push_reviews(conn, store: Store, team: str, users: list[str], batch: int, result: SyncResult) -> None:
    columns = ", ".join(schema.REVIEW_COLUMNS)
    while rows := local.unsent_reviews(store, users, batch):
        with conn.transaction():
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS incoming_reviews (uid uuid, agent text, card_id text, "
                         "direction text, rating smallint, mode text, answered_at timestamptz, duration_ms integer, "
                         "state_before text, answer text, retention double precision, market text) "
                         "ON COMMIT DELETE ROWS")
            with conn.cursor() as cur:
                with cur.copy(f"COPY incoming_reviews ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row[1:])
                cur.execute(f"INSERT INTO csdrill.reviews ({columns}) SELECT {columns} FROM incoming_reviews "
                            "ON CONFLICT (uid) DO NOTHING")
                added = cur.rowcount
                txid = str(cur.execute("SELECT pg_current_xact_id()").fetchone()[0])
        local.mark_sent(store, users, rows[-1][0], team, txid)
        result.sent_reviews += added
        result.already_there += len(rows) - added


def _push_attempts(conn, store: Store, users: list[str], result: SyncResult) -> None:
    rows = local.unsent_attempts(store, users)
    if not rows:
        return
    columns = ", ".join(schema.ATTEMPT_COLUMNS)
    values = ", ".join("%s::jsonb" if c in ("by_topic", "answers") else "%s" for c in schema.ATTEMPT_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in schema.ATTEMPT_UPDATABLE)
    with conn.transaction(), conn.cursor() as cur:
        # A finished attempt is final: only an incomplete one there is brought up to date.
        cur.executemany(
            f"INSERT INTO csdrill.attempts ({columns}) VALUES ({values}) ON CONFLICT (uid) DO UPDATE SET "
            f"{updates} WHERE csdrill.attempts.status = 'incomplete'",
            [(*row[1:11], None if row[11] is None else bool(row[11]), *row[12:]) for row in rows])
    local.mark_attempts_sent(store, [(row[0], row[6]) for row in rows])
    result.sent_attempts += len(rows)


def _line(err: Exception) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__
