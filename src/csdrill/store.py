"""The progress store: one SQLite file for every learner on this machine.

The only module that writes state. Every answer is committed before the next card is shown;
WAL mode and a busy timeout let two terminals quiz at once without losing an answer.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from types import FunctionType

from csdrill.drill.scheduling import Memory
from csdrill.errors import StateError, UsageError
from csdrill.i18n import _
from csdrill.safe_text import visible

DB_NAME = "progress.db"
BUSY_TIMEOUT_MS = 15_000

# Numbered, append-only: a released step is never edited, a new one is added.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            card_id TEXT NOT NULL,
            direction TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            mode TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            duration_ms INTEGER,
            state_before TEXT NOT NULL,
            answer TEXT
        );
        CREATE INDEX reviews_by_user_time ON reviews (user, answered_at);
        CREATE INDEX reviews_by_card ON reviews (user, card_id, direction);
        CREATE TABLE card_state (
            user TEXT NOT NULL,
            card_id TEXT NOT NULL,
            direction TEXT NOT NULL,
            state TEXT NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL,
            last_review TEXT,
            introduced_at TEXT NOT NULL,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user, card_id, direction)
        );
        CREATE INDEX card_state_by_due ON card_state (user, due);
        CREATE INDEX card_state_by_introduced ON card_state (user, introduced_at);
        CREATE TABLE exam_attempts (
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            quiz_id TEXT NOT NULL,
            quiz_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('complete', 'incomplete')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            score REAL,
            pass_mark REAL NOT NULL,
            passed INTEGER,
            by_topic TEXT NOT NULL DEFAULT '{}',
            answers TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX exam_attempts_by_user_quiz ON exam_attempts (user, quiz_id, finished_at);
        """,
    ),
    # `stats` counts answers per day from an index alone (time, state, rating, and the card for
    # --market); it begins with (user, answered_at), so it replaces that index. Lapses, a small
    # share of answers, get a partial index that counts them per card without reading the rest;
    # it repeats rating and state because SQLite reads the table for columns only named in WHERE.
    (
        2,
        """
        CREATE INDEX reviews_by_user_time_tally ON reviews (user, answered_at, state_before, rating, card_id);
        DROP INDEX reviews_by_user_time;
        CREATE INDEX reviews_lapses ON reviews (user, card_id, direction, answered_at, rating, state_before)
            WHERE rating = 1 AND state_before = 'review';
        """,
    ),
    # The market a review was given in, so the daily new-card limit counts per market (a pool card
    # counts for the market it was introduced in). NULL for older rows and exam answers.
    (
        3,
        """
        ALTER TABLE reviews ADD COLUMN market TEXT;
        """,
    ),
    # A team database (csdrill.team) merges the logs of many machines: every review and attempt gets a
    # global id (128 random bits as hex, like uuid4().hex) when it is recorded — from a trigger, so no
    # writer can forget it — and each review the desired retention it was scheduled with (the replay
    # needs it; NULL for older rows means the default). `sent` / `sent_status` say what the team database
    # already has; team_sync holds this machine's sync cursors.
    (
        4,
        """
        ALTER TABLE reviews ADD COLUMN uid TEXT;
        ALTER TABLE reviews ADD COLUMN retention REAL;
        ALTER TABLE reviews ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
        UPDATE reviews SET uid = lower(hex(randomblob(16)));
        CREATE UNIQUE INDEX reviews_by_uid ON reviews (uid);
        CREATE INDEX reviews_unsent ON reviews (user, id) WHERE sent = 0;
        CREATE TRIGGER reviews_get_uid AFTER INSERT ON reviews WHEN NEW.uid IS NULL BEGIN
            UPDATE reviews SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id; END;
        ALTER TABLE exam_attempts ADD COLUMN uid TEXT;
        ALTER TABLE exam_attempts ADD COLUMN sent_status TEXT;
        UPDATE exam_attempts SET uid = lower(hex(randomblob(16)));
        CREATE UNIQUE INDEX exam_attempts_by_uid ON exam_attempts (uid);
        CREATE TRIGGER exam_attempts_get_uid AFTER INSERT ON exam_attempts WHEN NEW.uid IS NULL BEGIN
            UPDATE exam_attempts SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id; END;
        CREATE TABLE team_sync (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
]
LATEST = MIGRATIONS[-1][0]


def default_home() -> Path:
    """CSDRILL_HOME, else the platform's user data folder."""
    env = os.environ.get("CSDRILL_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("csdrill"))


def busy_timeout_ms() -> int:
    """How long to wait for another csdrill that holds the database: CSDRILL_BUSY_TIMEOUT seconds."""
    raw = os.environ.get("CSDRILL_BUSY_TIMEOUT", "").strip()
    if not raw:
        return BUSY_TIMEOUT_MS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise UsageError(_("CSDRILL_BUSY_TIMEOUT must be a number of seconds (0 to 86400), not '{value}'").format(
            value=raw))
    return int(seconds * 1000)


def check_user_name(name: str, given_as: str) -> str:
    """The name, or UsageError when it has undecodable bytes or control characters.

    A user name is printed in reports and stored for good: bytes that are no text cannot be stored,
    and a control character (an escape sequence) would act on every terminal that shows it.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            _("{option} '{name}' has bytes that are not valid UTF-8 text; give the name in UTF-8").format(
                option=given_as, name=visible(name))
        ) from None
    if visible(name) != name:
        raise UsageError(
            _("{option} '{name}' has control characters; use letters, digits and punctuation").format(
                option=given_as, name=visible(name))
        )
    return name


def default_user() -> str:
    """CSDRILL_USER, else the login name."""
    env = os.environ.get("CSDRILL_USER", "").strip()
    if env:
        return check_user_name(env, "CSDRILL_USER")
    try:
        import getpass

        return getpass.getuser()
    except Exception:
        return "default"


def to_db(moment: datetime) -> str:
    """UTC, fixed width (always a four-digit year), so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # isoformat pads the year to four digits; strftime's %Y does not below 1000 on glibc.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SHORT_YEAR = re.compile(r"^(\d{1,3})-")


def from_db(text: str | None) -> datetime | None:
    # fromisoformat reads the trailing Z (Python 3.11+) and is ~50x faster than strptime.
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # written by an older csdrill with an unpadded year (CSDRILL_NOW=0001-01-01)
        return datetime.fromisoformat(_SHORT_YEAR.sub(lambda m: f"{int(m.group(1)):04d}-", text))


@dataclass(frozen=True)
class Review:
    user: str
    card_id: str
    direction: str
    rating: int
    mode: str
    answered_at: datetime
    duration_ms: int | None
    state_before: str
    answer: str | None = None
    retention: float | None = None  # the desired retention it was scheduled with (None: the default; schema 4)

    def to_dict(self) -> dict:
        data = self.__dict__.copy()
        data["answered_at"] = to_db(self.answered_at)
        del data["retention"]  # `reviews --json` keeps its keys; the replay reads retention from the store
        return data


class Store:
    """Open (creating or migrating) the database at `home`/progress.db."""

    def __init__(self, home: Path | None = None):
        self.home = home or default_home()
        self.path = self.home / DB_NAME
        self.busy_timeout_ms = busy_timeout_ms()
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            self._check_is_file()
            self.db = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
            self._enable_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.Error as err:
            raise self._explain(err) from None
        except OSError as err:
            raise StateError(_("cannot create the progress folder {folder}: {reason}").format(
                folder=self.home, reason=err.strerror)) from None

    def _check_is_file(self) -> None:
        """A folder, pipe or broken link where the database should be is named as such (SQLite says
        only "unable to open", or blocks on a pipe)."""
        if not os.path.lexists(self.path) or self.path.is_file():
            return
        if self.path.is_dir():
            problem = _("the progress database {path} is a folder, not a database file.")
        elif self.path.is_symlink():
            problem = _("the progress database {path} is a broken or looping link, not a database file.")
        else:
            problem = _("the progress database {path} is a pipe, device or other special file, not a database file.")
        advice = _("Move it aside (e.g. `mv {path} {path}.broken`) and csdrill starts a new one, "
                   "or set CSDRILL_HOME to use another folder.")
        raise StateError(problem.format(path=self.path) + " " + advice.format(path=self.path))

    def _enable_wal(self) -> None:
        # Switching a new file to WAL needs a lock that SQLite does not wait for through the busy
        # timeout, so two terminals opening a fresh database at once would clash: retry briefly.
        import time

        for _attempt in range(100):
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err):
                    raise
                time.sleep(0.05)
        self.db.execute("PRAGMA journal_mode = WAL")

    def _explain(self, err: sqlite3.Error, saving: bool = False) -> StateError:
        """What went wrong with the database, in words, with what to do about it.

        `saving`: the error interrupted saving an answer; every answer before it was committed.
        """
        name = getattr(err, "sqlite_errorname", "") or ""
        text = str(err)
        saved = " " + _("This answer was not saved; every answer before it is.") if saving else ""
        path, home = self.path, self.home
        # On a full disk SQLite may fail to grow its shared-memory file first, which it calls an I/O error.
        full = name.startswith("SQLITE_FULL") or "disk is full" in text
        if full or (name.startswith("SQLITE_IOERR") and _nearly_full(self.home)):
            return StateError(
                _("the disk that holds the progress database {path} is full.{saved} "
                  "The database itself is fine: free some space and run csdrill again.").format(path=path, saved=saved)
            )
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return StateError(
                _("the progress database {path} is in use: another csdrill (or another program) "
                  "kept it locked for more than {seconds:g} s.{saved} "
                  "Let it finish and try again (CSDRILL_BUSY_TIMEOUT sets how long to wait).").format(
                    path=path, seconds=self.busy_timeout_ms / 1000, saved=saved)
            )
        if (name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR")) or "unable to open" in text) \
                and _read_only_disk(self.home):
            return StateError(
                _("the progress database {path} is on a read-only file system, so csdrill cannot use it.{saved} "
                  "Set CSDRILL_HOME to a folder on a writable disk.").format(path=path, saved=saved)
            )
        if name.startswith("SQLITE_READONLY") or "readonly" in text:
            return StateError(
                _("the progress database {path} is read-only, so answers cannot be saved.{saved} "
                  "Make it and its folder writable (e.g. `chmod u+w {path} {home}`), "
                  "or set CSDRILL_HOME to a folder you can write.").format(path=path, home=home, saved=saved)
            )
        if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
            return StateError(
                _("cannot open the progress database {path}: the folder {home} must be readable "
                  "and writable by you. Fix its permissions, or set CSDRILL_HOME to another folder.").format(
                    path=path, home=home)
            )
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
            return StateError(
                _("the progress database {path} is damaged ({reason}).{saved}\n"
                  "Move it aside (e.g. `mv {path} {path}.broken`) and csdrill starts a new one; "
                  "backups made before upgrades are next to it ({backups}). "
                  "Set CSDRILL_HOME to use another folder.").format(
                    path=path, reason=text, saved=saved, backups=f"{DB_NAME}.bak-*")
            )
        if name.startswith("SQLITE_IOERR") or "I/O error" in text:
            return StateError(
                _("reading or writing the progress database {path} failed ({reason}).{saved} "
                  "Check the disk it is on (full, removed, or failing) and try again.").format(
                    path=path, reason=text, saved=saved)
            )
        return StateError(_("the progress database {path} cannot be used ({reason}).{saved}").format(
            path=path, reason=text, saved=saved))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > LATEST:
            raise StateError(
                _("the progress database {path} was written by a newer csdrill "
                  "(schema {version}, this one knows {latest}); upgrade csdrill").format(
                    path=self.path, version=version, latest=LATEST)
            )
        if version == LATEST:
            return
        if version > 0:
            self._backup(version)
        for number, sql in MIGRATIONS:
            if number <= version:
                continue
            self.db.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                if self.db.execute("PRAGMA user_version").fetchone()[0] >= number:
                    self.db.execute("ROLLBACK")
                    continue
                for statement in _statements(sql):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def _backup(self, version: int) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{DB_NAME}.bak-v{version}-{stamp}")
        with sqlite3.connect(target) as copy:
            self.db.backup(copy)
        return target

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- spaced repetition ------------------------------------------------------------------
    def memories(self, user: str) -> dict[tuple[str, str], Memory]:
        """Current FSRS memory of every card × direction this user has seen."""
        rows = self.db.execute(
            "SELECT card_id, direction, state, step, stability, difficulty, due, last_review "
            "FROM card_state WHERE user = ?",
            (user,),
        )
        return {(r[0], r[1]): _memory(r[2:]) for r in rows}

    def memory(self, user: str, card_id: str, direction: str) -> Memory | None:
        row = self.db.execute(
            "SELECT state, step, stability, difficulty, due, last_review FROM card_state "
            "WHERE user = ? AND card_id = ? AND direction = ?",
            (user, card_id, direction),
        ).fetchone()
        return _memory(row) if row else None

    def known_keys(self, user: str) -> set[tuple[str, str]]:
        """Every card × direction this user has seen (no dates parsed: this is on the start-up path)."""
        return set(self.db.execute("SELECT card_id, direction FROM card_state WHERE user = ?", (user,)))

    def due_keys(self, user: str, now: datetime, limit: int | None = None) -> list[tuple[str, str]]:
        """(card_id, direction) due by `now`, most overdue first, straight from the (user, due) index."""
        sql = "SELECT card_id, direction FROM card_state WHERE user = ? AND due <= ? ORDER BY due"
        params: tuple = (user, to_db(now))
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        return list(self.db.execute(sql, params))

    def next_due(self, user: str, after: datetime) -> list[tuple[str, str, datetime]]:
        rows = self.db.execute(
            "SELECT card_id, direction, due FROM card_state WHERE user = ? AND due > ? ORDER BY due",
            (user, to_db(after)),
        )
        return [(r[0], r[1], from_db(r[2])) for r in rows]

    def introduced_since(self, user: str, since: datetime) -> set[tuple[str, str]]:
        rows = self.db.execute(
            "SELECT card_id, direction FROM card_state WHERE user = ? AND introduced_at >= ?",
            (user, to_db(since)),
        )
        return {(r[0], r[1]) for r in rows}

    def introduced_in_market(self, user: str, since: datetime, market: str,
                             keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Card × directions first answered since `since` in `market`.

        A first answer with no market (given before markets were recorded, or in an exam) counts
        for every market whose cards (`keys`) include it.
        """
        rows = self.db.execute(
            "SELECT card_id, direction, market FROM reviews WHERE user = ? AND answered_at >= ? "
            "AND state_before = 'new'",
            (user, to_db(since)),
        )
        return {(r[0], r[1]) for r in rows if r[2] == market or (r[2] is None and (r[0], r[1]) in keys)}

    def record_review(self, review: Review, after: Memory, market: str | None = None) -> None:
        """Append the review and update the card's memory in one committed transaction.

        `market`: the market drilled when it was given (None: an exam, or no market).
        """
        lapse = 1 if review.rating == 1 and review.state_before == "review" else 0
        columns = "user, card_id, direction, rating, mode, answered_at, duration_ms, state_before, answer"
        values = (review.user, review.card_id, review.direction, review.rating, review.mode,
                  to_db(review.answered_at), review.duration_ms, review.state_before, review.answer)
        if market is not None:  # the column is NULL by default: older callers need not know it
            columns, values = columns + ", market", (*values, market)
        if review.retention is not None:  # likewise (schema 4); the uid comes from a trigger
            columns, values = columns + ", retention", (*values, review.retention)
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                f"INSERT INTO reviews ({columns}) VALUES ({', '.join('?' * len(values))})", values)
            self.db.execute(
                "INSERT INTO card_state (user, card_id, direction, state, step, stability, difficulty, due, "
                "last_review, introduced_at, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) "
                "ON CONFLICT (user, card_id, direction) DO UPDATE SET state = excluded.state, "
                "step = excluded.step, stability = excluded.stability, difficulty = excluded.difficulty, "
                "due = excluded.due, last_review = excluded.last_review, reps = reps + 1, "
                "lapses = lapses + excluded.lapses",
                (review.user, review.card_id, review.direction, after.state, after.step, after.stability,
                 after.difficulty, to_db(after.due), to_db(after.last_review) if after.last_review else None,
                 to_db(review.answered_at), lapse),
            )
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def reviews(self, user: str | None = None, since: datetime | None = None) -> list[Review]:
        sql, params = "SELECT user, card_id, direction, rating, mode, answered_at, duration_ms, state_before, answer FROM reviews WHERE 1=1", []  # noqa: E501
        if user is not None:
            sql += " AND user = ?"
            params.append(user)
        if since is not None:
            sql += " AND answered_at >= ?"
            params.append(to_db(since))
        sql += " ORDER BY answered_at, id"
        # Names and typed answers are whatever someone typed: shown anywhere, they must not act on a terminal.
        return [
            Review(visible(r[0]), r[1], r[2], r[3], r[4], from_db(r[5]), r[6], r[7],
                   None if r[8] is None else visible(r[8]))
            for r in self.db.execute(sql, params)
        ]

    def lapses(self, user: str) -> dict[tuple[str, str], int]:
        rows = self.db.execute(
            "SELECT card_id, direction, lapses FROM card_state WHERE user = ? AND lapses > 0", (user,)
        )
        return {(r[0], r[1]): r[2] for r in rows}

    # -- stats: the review log summed up in SQL, so `stats` never loads it ---------------------
    def first_answer_at(self, user: str, until: datetime) -> datetime | None:
        """When this user's first answer up to `until` was given, None if there is none."""
        row = self.db.execute("SELECT min(answered_at) FROM reviews WHERE user = ? AND answered_at <= ?",
                              (user, to_db(until))).fetchone()
        first = from_db(row[0])
        # An older csdrill let CSDRILL_NOW date answers in year 1; calendars start no earlier than 1970.
        return None if first is None else max(first, _EPOCH)

    def tally_answers(self, user: str, starts: list[datetime], until: datetime, cards: set[str] | None = None,
                      ) -> tuple[list[tuple[int, int, int, int]], dict[tuple[str, str], int]]:
        """This user's answers up to `until`, on `cards` (None: every card), counted two ways.

        Per span starts[n] <= answered_at < starts[n + 1] that has answers: (n, answers, answers in the
        review state, lapses); and lapses per card × direction, for those with any. A lapse is "Again"
        on a card in the review state, as record_review counts it.
        """
        in_scope = " AND r.card_id IN temp.tally_card" if cards is not None else ""
        per_span = (
            "SELECT span.n, count(*), sum(r.state_before = 'review'), sum(r.state_before = 'review' AND r.rating = 1) "
            "FROM temp.tally_span AS span JOIN reviews AS r ON r.user = ? AND r.answered_at >= span.start "
            f"AND r.answered_at < span.stop AND r.answered_at <= ?{in_scope} GROUP BY span.n"
        )
        # The unary + keeps the planner on the small partial index of lapses, not on a range of every answer.
        per_card = (
            "SELECT r.card_id, r.direction, count(*) FROM reviews AS r WHERE r.user = ? AND r.rating = 1 "
            f"AND r.state_before = 'review' AND +r.answered_at <= ?{in_scope} GROUP BY r.card_id, r.direction"
        )
        params = (user, to_db(until))
        # One read transaction: both counts see the same log, and the rollback drops the temporary
        # tables (DDL is transactional), which hold what is too long for a list of parameters.
        self.db.execute("BEGIN")
        try:
            self.db.execute("CREATE TEMP TABLE tally_span (n INTEGER PRIMARY KEY, start TEXT, stop TEXT)")
            self.db.executemany("INSERT INTO temp.tally_span VALUES (?, ?, ?)",
                                ((n, to_db(a), to_db(b)) for n, (a, b) in enumerate(pairwise(starts))))
            if cards is not None:
                self.db.execute("CREATE TEMP TABLE tally_card (card_id TEXT PRIMARY KEY) WITHOUT ROWID")
                self.db.executemany("INSERT INTO temp.tally_card VALUES (?)", ((c,) for c in cards))
            spans = list(self.db.execute(per_span, params))
            lapses = {(r[0], r[1]): r[2] for r in self.db.execute(per_card, params)}
        finally:
            self.db.execute("ROLLBACK")
        return spans, lapses

    # -- exams ------------------------------------------------------------------------------
    def start_attempt(self, user: str, quiz_id: str, quiz_hash: str, seed: int, pass_mark: float,
                      started_at: datetime) -> int:
        if not -(2**63) <= seed < 2**63:  # what an SQLite integer holds
            raise UsageError(_("the seed {seed} is too large to record; use a number of at most 18 digits").format(
                seed=seed))
        cursor = self.db.execute(
            "INSERT INTO exam_attempts (user, quiz_id, quiz_hash, seed, status, started_at, pass_mark) "
            "VALUES (?, ?, ?, ?, 'incomplete', ?, ?)",
            (user, quiz_id, quiz_hash, seed, to_db(started_at), pass_mark),
        )
        return cursor.lastrowid

    def save_attempt_answers(self, attempt_id: int, answers: list[dict]) -> None:
        self.db.execute("UPDATE exam_attempts SET answers = ? WHERE id = ?",
                        (json.dumps(answers, ensure_ascii=False), attempt_id))

    def finish_attempt(self, attempt_id: int, finished_at: datetime, score: float, passed: bool,
                       by_topic: dict, answers: list[dict]) -> None:
        self.db.execute(
            "UPDATE exam_attempts SET status = 'complete', finished_at = ?, score = ?, passed = ?, "
            "by_topic = ?, answers = ? WHERE id = ?",
            (to_db(finished_at), score, int(passed), json.dumps(by_topic, ensure_ascii=False),
             json.dumps(answers, ensure_ascii=False), attempt_id),
        )

    def attempts(self, user: str | None = None, quiz_id: str | None = None,
                 complete_only: bool = False) -> list[dict]:
        sql, params = "SELECT * FROM exam_attempts WHERE 1=1", []
        if user is not None:
            sql += " AND user = ?"
            params.append(user)
        if quiz_id is not None:
            sql += " AND quiz_id = ?"
            params.append(quiz_id)
        if complete_only:
            sql += " AND status = 'complete'"
        sql += " ORDER BY started_at, id"
        cursor = self.db.execute(sql, params)
        names = [c[0] for c in cursor.description]
        out = []
        for row in cursor:
            record = dict(zip(names, row, strict=True))
            record["user"] = visible(record["user"])
            try:
                record["by_topic"] = json.loads(record["by_topic"])
                record["answers"] = _visible_texts(json.loads(record["answers"]))
            except ValueError as err:
                raise StateError(
                    _("the progress database {path} has a damaged exam attempt (number {number}: "
                      "{reason}); back the database up, then delete that row or move the database aside").format(
                        path=self.path, number=record["id"], reason=err)
                ) from None
            record["passed"] = None if record["passed"] is None else bool(record["passed"])
            out.append(record)
        return out


def _statements(script: str) -> list[str]:
    """The statements of a migration, split where SQLite says one ends (a trigger body holds `;`)."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending)
            pending = ""
    return statements


def _memory(row) -> Memory:
    state, step, stability, difficulty, due, last_review = row
    return Memory(state, step, stability, difficulty, from_db(due), from_db(last_review))


def _read_only_disk(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _nearly_full(folder: Path) -> bool:
    """Less free space in `folder` than SQLite needs to add a few pages (1 MB)."""
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # statvfs is POSIX only
        return False
    return info.f_bavail * info.f_frsize < 1_000_000


def _visible_texts(value):
    """Every string in decoded JSON with its control characters made visible."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [_visible_texts(item) for item in value]
    if isinstance(value, dict):
        return {key: _visible_texts(item) for key, item in value.items()}
    return value


# Writes of an answer: when one fails, the message says the answers before it are saved.
_SAVES_AN_ANSWER = frozenset(("record_review", "save_attempt_answers", "finish_attempt"))


def _guarded(method):
    """Turn any SQLite error inside a Store method into a StateError that says what to do."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as err:
            raise self._explain(err, saving=method.__name__ in _SAVES_AN_ANSWER) from None

    return run


# Every public method, including those added later, answers a failing database with a message.
for _name, _member in list(vars(Store).items()):
    if not _name.startswith("_") and isinstance(_member, FunctionType) and _name != "close":
        setattr(Store, _name, _guarded(_member))
