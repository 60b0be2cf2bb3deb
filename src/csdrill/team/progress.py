"""Reading progress from this machine's file or from the team database, through the same questions.

`open_progress(local=False)` is the one entry point for reading commands (`check`, `scores`, `report`,
`stats`, and later ones such as `gaps` or an HTML report). It yields a LocalProgress (the SQLite store)
or, when CSDRILL_TEAM_DB is set and `local` is false, a TeamProgress (PostgreSQL). Both answer:

- `attempts(user=None, quiz_id=None, complete_only=False)` → list of attempt dicts, oldest first, keys
  as `Store.attempts`: id, uid, user, quiz_id, quiz_hash, seed, status, started_at, finished_at (text,
  UTC `…Z`), score, pass_mark, passed (bool or None), by_topic (dict), answers (list).
  Team ids are the attempt's global id (text), local ones the row number.
- `report(quiz_id=None)` → `exam.results.team_report` rows: each user's latest and best per quiz.
- `reviews(user=None, since=None)` → list[Review], oldest first (None: every user this login may see).
- `users()` → every user with reviews or attempts, sorted (a cohort to iterate over).
- `first_answer_at(user, until)`, `tally_answers(user, starts, until, cards)` → what
  `stats.read_summary` needs, counted by the database (indexes), never by loading the log.
- `memories(user)` → {(card_id, direction): Memory}; the team's come from replaying the team log.
- For `gaps` and the trainer's report (cohort figures, counted by the database): `card_tallies(since,
  users)` → (gaps.CardTally list, wrong choice answers as (card_id, answer, count)); `learner_count(since)`;
  `mastery_rows(library, users, cards)` → (user, market, topic, memories, mature) rows; `answering_users()`;
  `last_answers()` → {user: datetime}; `leech_counts()` → {user: cards with many lapses};
  `answers_per_span(starts)` → (span index from 1, user, answers). The SQLite side lives in gaps.py and
  cohort.py, the PostgreSQL side in team/cohort.py; the team's memories are the card states `sync` sends.

An agent's login sees only itself (row-level security); asking a TeamProgress about another user raises
TeamError instead of answering "nothing", so a script never mistakes "not allowed" for "not done".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from csdrill.drill.scheduling import Memory
from csdrill.i18n import _
from csdrill.store import Review, Store, to_db
from csdrill.team.conninfo import TeamError, masked, team_dsn


@contextmanager
def open_progress(local: bool = False) -> Iterator[LocalProgress | TeamProgress]:
    """The team database when CSDRILL_TEAM_DB is set (unless `local`), else this machine's store."""
    dsn = None if local else team_dsn()
    if dsn is None:
        with Store() as store:
            yield LocalProgress(store)
        return
    from csdrill.team.conninfo import connect

    with connect(dsn) as conn:
        import psycopg

        try:
            yield TeamProgress(conn, dsn)
        except psycopg.Error as err:
            raise TeamError(_("reading the team database {db} failed: {reason}").format(
                db=masked(dsn), reason=masked(str(err).splitlines()[0], dsn))) from None


class LocalProgress:
    """This machine's progress file."""

    source = "local"

    def __init__(self, store: Store):
        self.store = store

    def attempts(self, user: str | None = None, quiz_id: str | None = None, complete_only: bool = False) -> list[dict]:
        return self.store.attempts(user, quiz_id, complete_only)

    def report(self, quiz_id: str | None = None) -> list[dict]:
        from csdrill.exam.results import team_report

        return team_report(self.store.attempts(quiz_id=quiz_id, complete_only=True))

    def reviews(self, user: str | None = None, since: datetime | None = None) -> list[Review]:
        return self.store.reviews(user, since)

    def users(self) -> list[str]:
        rows = self.store.db.execute("SELECT user FROM reviews UNION SELECT user FROM exam_attempts ORDER BY 1")
        return [r[0] for r in rows]

    def first_answer_at(self, user: str, until: datetime) -> datetime | None:
        return self.store.first_answer_at(user, until)

    def tally_answers(self, user: str, starts: list[datetime], until: datetime, cards: set[str] | None = None):
        return self.store.tally_answers(user, starts, until, cards)

    def memories(self, user: str) -> dict[tuple[str, str], Memory]:
        return self.store.memories(user)

    def card_tallies(self, since: datetime | None = None, users: list[str] | None = None):
        from csdrill.gaps import read_tallies

        return read_tallies(self.store.db, since, users, to_db)

    def learner_count(self, since: datetime | None = None) -> int:
        return self.store.db.execute(
            "SELECT COUNT(DISTINCT user) FROM reviews" + (" WHERE answered_at >= ?" if since else ""),
            (to_db(since),) if since else ()).fetchone()[0]

    def mastery_rows(self, library, users: list[str] | None = None, cards: set[str] | None = None) -> list[tuple]:
        from csdrill.gaps import read_mastery

        return read_mastery(self.store.db, library, users, cards)

    def answering_users(self) -> list[str]:
        return [row[0] for row in self.store.db.execute("SELECT DISTINCT user FROM reviews ORDER BY 1")]

    def last_answers(self) -> dict[str, datetime]:
        from csdrill.cohort import local_last_answers
        from csdrill.store import from_db

        return local_last_answers(self.store.db, from_db)

    def leech_counts(self) -> dict[str, int]:
        from csdrill.cohort import local_leech_counts

        return local_leech_counts(self.store.db)

    def answers_per_span(self, starts: list[datetime]) -> list[tuple]:
        from csdrill.cohort import local_answers_per_span

        return local_answers_per_span(self.store.db, starts, to_db)


ATTEMPT_SELECT = (
    "SELECT uid::text, agent, quiz_id, quiz_hash, seed, status, started_at, finished_at, score, pass_mark, passed, "
    "by_topic, answers FROM csdrill.attempts")


class TeamProgress:
    """The team database, as this login may see it."""

    source = "team"

    def __init__(self, conn, dsn: str):
        from csdrill.team import schema

        self.conn, self.dsn = conn, dsn
        self.version = schema.require_schema(conn)
        self.login = conn.execute("SELECT current_user").fetchone()[0]
        self.trainer = schema.is_trainer(conn)

    def _visible(self, user: str | None) -> None:
        if user is not None and not self.trainer and user != self.login:
            raise TeamError(_("logged in to the team database as {login}: an agent's login sees only its own "
                              "progress, not {user}'s (use a trainer's login, or --local for this machine's file)"
                              ).format(login=self.login, user=user))

    def attempts(self, user: str | None = None, quiz_id: str | None = None, complete_only: bool = False) -> list[dict]:
        self._visible(user)
        sql, params = ATTEMPT_SELECT + " WHERE true", []
        if user is not None:
            sql += " AND agent = %s"
            params.append(user)
        if quiz_id is not None:
            sql += " AND quiz_id = %s"
            params.append(quiz_id)
        if complete_only:
            sql += " AND status = 'complete'"
        sql += " ORDER BY started_at, uid"
        return [_attempt(row) for row in self.conn.execute(sql, params)]

    def report(self, quiz_id: str | None = None) -> list[dict]:
        """Latest and best per quiz and user, computed by the server from the report index."""
        latest, best = "ORDER BY finished_at DESC, uid DESC", "ORDER BY score DESC, finished_at DESC"
        sql = (f"SELECT agent, quiz_id, count(*), (array_agg(score {latest}))[1], (array_agg(passed {latest}))[1], "
               f"max(finished_at), (array_agg(score {best}))[1], (array_agg(passed {best}))[1], "
               f"(array_agg(finished_at {best}))[1], (array_agg(pass_mark {latest}))[1] "
               "FROM csdrill.attempts WHERE status = 'complete'")
        params = []
        if quiz_id is not None:
            sql += " AND quiz_id = %s"
            params.append(quiz_id)
        sql += " GROUP BY quiz_id, agent ORDER BY quiz_id, agent"
        keys = ("user", "quiz", "attempts", "latest_score", "latest_passed", "latest_at", "best_score",
                "best_passed", "best_at", "pass_mark")
        rows = []
        for row in self.conn.execute(sql, params):
            record = dict(zip(keys, row, strict=True))
            record["latest_at"], record["best_at"] = to_db(record["latest_at"]), to_db(record["best_at"])
            rows.append(record)
        return rows

    def reviews(self, user: str | None = None, since: datetime | None = None) -> list[Review]:
        self._visible(user)
        sql, params = ("SELECT agent, card_id, direction, rating, mode, answered_at, duration_ms, state_before, "
                       "answer, retention FROM csdrill.reviews WHERE true"), []
        if user is not None:
            sql += " AND agent = %s"
            params.append(user)
        if since is not None:
            sql += " AND answered_at >= %s"
            params.append(since)
        sql += " ORDER BY answered_at, uid"
        return [Review(*row) for row in self.conn.execute(sql, params)]

    def users(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT agent FROM csdrill.reviews UNION SELECT agent FROM csdrill.attempts ORDER BY 1")
        return [r[0] for r in rows]

    def first_answer_at(self, user: str, until: datetime) -> datetime | None:
        self._visible(user)
        return self.conn.execute("SELECT min(answered_at) FROM csdrill.reviews WHERE agent = %s AND answered_at <= %s",
                                 (user, until)).fetchone()[0]

    def tally_answers(self, user: str, starts: list[datetime], until: datetime, cards: set[str] | None = None):
        """As Store.tally_answers: one index range scan, each answer put in its span by width_bucket."""
        self._visible(user)
        scope = " AND card_id = ANY(%(cards)s)" if cards is not None else ""
        params = {"user": user, "starts": starts, "first": starts[0], "last": starts[-1], "until": until,
                  "cards": sorted(cards) if cards is not None else None}
        spans = self.conn.execute(
            "SELECT width_bucket(answered_at, %(starts)s::timestamptz[]) - 1, count(*), "
            "count(*) FILTER (WHERE state_before = 'review'), "
            "count(*) FILTER (WHERE state_before = 'review' AND rating = 1) "
            "FROM csdrill.reviews WHERE agent = %(user)s AND answered_at >= %(first)s AND answered_at < %(last)s "
            f"AND answered_at <= %(until)s{scope} GROUP BY 1 ORDER BY 1", params).fetchall()
        lapses = self.conn.execute(
            "SELECT card_id, direction, count(*) FROM csdrill.reviews WHERE agent = %(user)s AND rating = 1 "
            f"AND state_before = 'review' AND answered_at <= %(until)s{scope} GROUP BY 1, 2", params).fetchall()
        return [tuple(row) for row in spans], {(r[0], r[1]): r[2] for r in lapses}

    def memories(self, user: str) -> dict[tuple[str, str], Memory]:
        """The scheduler's memory of each card, from replaying this user's team log."""
        from csdrill.drill.replay import LoggedReview, replay

        self._visible(user)
        rows = self.conn.execute("SELECT uid::text, card_id, direction, rating, answered_at, state_before, retention "
                                 "FROM csdrill.reviews WHERE agent = %s", (user,))
        states = replay(LoggedReview(uid.replace("-", ""), *rest) for uid, *rest in rows)
        return {key: state.memory for key, state in states.items()}

    def card_tallies(self, since: datetime | None = None, users: list[str] | None = None):
        from csdrill.team import cohort

        self._visible_all(users)
        return cohort.card_tallies(self.conn, since, users)

    def learner_count(self, since: datetime | None = None) -> int:
        from csdrill.team import cohort

        return cohort.learner_count(self.conn, since)

    def mastery_rows(self, library, users: list[str] | None = None, cards: set[str] | None = None) -> list[tuple]:
        from csdrill.team import cohort

        self._visible_all(users)
        self._require_card_states()
        return cohort.mastery_rows(self.conn, library, users, cards)

    def answering_users(self) -> list[str]:
        from csdrill.team import cohort

        return cohort.answering_users(self.conn)

    def last_answers(self) -> dict[str, datetime]:
        from csdrill.team import cohort

        return cohort.last_answers(self.conn)

    def leech_counts(self) -> dict[str, int]:
        from csdrill.team import cohort

        self._require_card_states()
        return cohort.leech_counts(self.conn)

    def answers_per_span(self, starts: list[datetime]) -> list[tuple]:
        from csdrill.team import cohort

        return cohort.answers_per_span(self.conn, starts)

    def _visible_all(self, users: list[str] | None) -> None:
        for user in users or ():
            self._visible(user)

    def _require_card_states(self) -> None:
        from csdrill.team import schema

        if self.version < schema.CARD_STATES_SINCE:
            raise TeamError(_("the team database's schema ({version}) has no card states yet: its owner runs "
                              "`csdrill team init` once to bring it up to date, then everyone's next `csdrill sync` "
                              "sends them").format(version=self.version))


def _attempt(row) -> dict:
    uid, user, quiz_id, quiz_hash, seed, status, started, finished, score, pass_mark, passed, by_topic, answers = row
    uid = uid.replace("-", "")
    by_topic = json.loads(by_topic) if isinstance(by_topic, str) else by_topic
    answers = json.loads(answers) if isinstance(answers, str) else answers
    return {"id": uid, "uid": uid, "user": user, "quiz_id": quiz_id, "quiz_hash": quiz_hash, "seed": seed,
            "status": status, "started_at": to_db(started), "finished_at": to_db(finished) if finished else None,
            "score": score, "pass_mark": pass_mark, "passed": passed, "by_topic": by_topic, "answers": answers}
