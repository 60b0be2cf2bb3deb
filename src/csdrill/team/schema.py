"""The team database's schema: numbered migrations recorded in `csdrill.migrations`, roles and RLS.

Row-level security is the guard, not csdrill: an agent's login inserts and reads only rows whose
`agent` is its own login (the csdrill user *is* the database login in team mode), a trainer reads and
adds everyone's, and neither role may update or delete a review. An exam attempt can be updated by
its owner (or a trainer) — an attempt is sent while incomplete and finished later — never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from csdrill.i18n import _
from csdrill.team.conninfo import TeamError

SCHEMA = "csdrill"
DEFAULT_ROLE_PREFIX = "csdrill"
ROLE_KINDS = ("agent", "trainer")

REVIEW_COLUMNS = ("uid", "agent", "card_id", "direction", "rating", "mode", "answered_at", "duration_ms",
                  "state_before", "answer", "retention", "market")
ATTEMPT_COLUMNS = ("uid", "agent", "quiz_id", "quiz_hash", "seed", "status", "started_at", "finished_at",
                   "score", "pass_mark", "passed", "by_topic", "answers")
CARD_STATE_COLUMNS = ("agent", "card_id", "direction", "state", "step", "stability", "difficulty", "due", "last_review",
                      "introduced_at", "reps", "lapses")
CARD_STATES_SINCE = 3  # the schema version that has csdrill.card_states
ATTEMPT_UPDATABLE = ("status", "finished_at", "score", "passed", "by_topic", "answers")

# Numbered, append-only: a released step is never edited. {agent} and {trainer} are the group roles.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE csdrill.settings (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE csdrill.reviews (
            uid uuid PRIMARY KEY,
            agent text NOT NULL DEFAULT current_user,
            card_id text NOT NULL,
            direction text NOT NULL,
            rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 4),
            mode text NOT NULL,
            answered_at timestamptz NOT NULL,
            duration_ms integer,
            state_before text NOT NULL,
            answer text,
            retention double precision,
            market text,
            received_at timestamptz NOT NULL DEFAULT now(),
            -- The transaction that added the row: a pull asks for rows from transactions not finished
            -- at its last pull (pg_snapshot_xmin), so a row committed late is never skipped.
            txid xid8 NOT NULL DEFAULT pg_current_xact_id()
        );
        -- stats: answers per day and lapses per card from the index alone.
        CREATE INDEX reviews_by_agent_time ON csdrill.reviews (agent, answered_at)
            INCLUDE (state_before, rating, card_id, direction);
        CREATE INDEX reviews_lapses ON csdrill.reviews (agent, card_id, direction) INCLUDE (answered_at)
            WHERE rating = 1 AND state_before = 'review';
        CREATE INDEX reviews_by_agent_txid ON csdrill.reviews (agent, txid);
        CREATE TABLE csdrill.attempts (
            uid uuid PRIMARY KEY,
            agent text NOT NULL DEFAULT current_user,
            quiz_id text NOT NULL,
            quiz_hash text NOT NULL,
            seed bigint NOT NULL,
            status text NOT NULL CHECK (status IN ('complete', 'incomplete')),
            started_at timestamptz NOT NULL,
            finished_at timestamptz,
            score double precision,
            pass_mark double precision NOT NULL,
            passed boolean,
            by_topic jsonb NOT NULL DEFAULT '{{}}',
            answers jsonb NOT NULL DEFAULT '[]',
            received_at timestamptz NOT NULL DEFAULT now()
        );
        -- report: latest and best per quiz and agent, from the index alone.
        CREATE INDEX attempts_for_report ON csdrill.attempts (quiz_id, agent, finished_at)
            INCLUDE (score, passed, pass_mark, uid) WHERE status = 'complete';
        CREATE INDEX attempts_by_agent ON csdrill.attempts (agent, quiz_id, started_at);
        """,
    ),
    (
        2,
        """
        GRANT USAGE ON SCHEMA csdrill TO {agent}, {trainer};
        GRANT SELECT ON csdrill.settings, csdrill.migrations TO {agent}, {trainer};
        GRANT SELECT ON csdrill.reviews, csdrill.attempts TO {agent}, {trainer};
        GRANT INSERT (uid, agent, card_id, direction, rating, mode, answered_at, duration_ms, state_before,
                      answer, retention, market) ON csdrill.reviews TO {agent}, {trainer};
        GRANT INSERT (uid, agent, quiz_id, quiz_hash, seed, status, started_at, finished_at, score, pass_mark,
                      passed, by_topic, answers) ON csdrill.attempts TO {agent}, {trainer};
        GRANT UPDATE (status, finished_at, score, passed, by_topic, answers) ON csdrill.attempts
            TO {agent}, {trainer};
        ALTER TABLE csdrill.reviews ENABLE ROW LEVEL SECURITY;
        ALTER TABLE csdrill.attempts ENABLE ROW LEVEL SECURITY;
        CREATE POLICY agent_reads_own ON csdrill.reviews FOR SELECT TO {agent} USING (agent = current_user);
        CREATE POLICY agent_adds_own ON csdrill.reviews FOR INSERT TO {agent} WITH CHECK (agent = current_user);
        CREATE POLICY trainer_reads_all ON csdrill.reviews FOR SELECT TO {trainer} USING (true);
        CREATE POLICY trainer_adds_any ON csdrill.reviews FOR INSERT TO {trainer} WITH CHECK (true);
        CREATE POLICY agent_reads_own ON csdrill.attempts FOR SELECT TO {agent} USING (agent = current_user);
        CREATE POLICY agent_adds_own ON csdrill.attempts FOR INSERT TO {agent} WITH CHECK (agent = current_user);
        CREATE POLICY agent_finishes_own ON csdrill.attempts FOR UPDATE TO {agent}
            USING (agent = current_user) WITH CHECK (agent = current_user);
        CREATE POLICY trainer_reads_all ON csdrill.attempts FOR SELECT TO {trainer} USING (true);
        CREATE POLICY trainer_adds_any ON csdrill.attempts FOR INSERT TO {trainer} WITH CHECK (true);
        CREATE POLICY trainer_finishes_any ON csdrill.attempts FOR UPDATE TO {trainer} USING (true);
        """,
    ),
    (
        3,
        """
        -- Each agent's scheduler memory per card, as the replay of their whole log leaves it: the same on
        -- every machine, so `sync` sends it and a trainer's gaps and report read a cohort's mastery and
        -- leeches from here instead of replaying everyone's log on each read.
        CREATE TABLE csdrill.card_states (
            agent text NOT NULL DEFAULT current_user,
            card_id text NOT NULL,
            direction text NOT NULL,
            state text NOT NULL,
            step integer,
            stability double precision,
            difficulty double precision,
            due timestamptz NOT NULL,
            last_review timestamptz,
            introduced_at timestamptz NOT NULL,
            reps integer NOT NULL,
            lapses integer NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (agent, card_id, direction)
        );
        -- gaps: per card and learner, first answers, lapses, from the index alone and in its order (no sort
        -- of the whole log: 2.3 s instead of 9.1 s at 10,000,000 reviews).
        CREATE INDEX reviews_by_card ON csdrill.reviews (card_id, agent) INCLUDE (state_before, rating, answered_at);
        -- leeches per agent (stats.figures.LEECH_LAPSES = 4) from a small partial index.
        CREATE INDEX card_states_leeches ON csdrill.card_states (agent) WHERE lapses >= 4;
        GRANT SELECT ON csdrill.card_states TO {agent}, {trainer};
        GRANT INSERT (agent, card_id, direction, state, step, stability, difficulty, due, last_review, introduced_at,
                      reps, lapses) ON csdrill.card_states TO {agent}, {trainer};
        GRANT UPDATE (state, step, stability, difficulty, due, last_review, introduced_at, reps, lapses, received_at)
            ON csdrill.card_states TO {agent}, {trainer};
        ALTER TABLE csdrill.card_states ENABLE ROW LEVEL SECURITY;
        CREATE POLICY agent_reads_own ON csdrill.card_states FOR SELECT TO {agent} USING (agent = current_user);
        CREATE POLICY agent_adds_own ON csdrill.card_states FOR INSERT TO {agent} WITH CHECK (agent = current_user);
        CREATE POLICY agent_updates_own ON csdrill.card_states FOR UPDATE TO {agent}
            USING (agent = current_user) WITH CHECK (agent = current_user);
        CREATE POLICY trainer_reads_all ON csdrill.card_states FOR SELECT TO {trainer} USING (true);
        CREATE POLICY trainer_adds_any ON csdrill.card_states FOR INSERT TO {trainer} WITH CHECK (true);
        CREATE POLICY trainer_updates_any ON csdrill.card_states FOR UPDATE TO {trainer} USING (true);
        """,
    ),
]
LATEST = MIGRATIONS[-1][0]
_LOCK = 7_254_081  # advisory lock: two `team init` at once migrate one after the other


@dataclass(frozen=True)
class Roles:
    agent: str
    trainer: str

    def of(self, kind: str) -> str:
        return self.agent if kind == "agent" else self.trainer


def roles_for(prefix: str) -> Roles:
    return Roles(f"{prefix}_agent", f"{prefix}_trainer")


def init(conn, role_prefix: str = DEFAULT_ROLE_PREFIX) -> dict:
    """Create or bring up to date the schema, the two group roles and their policies. Idempotent."""

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute("CREATE SCHEMA IF NOT EXISTS csdrill")
        conn.execute("CREATE TABLE IF NOT EXISTS csdrill.migrations "
                     "(number integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        done = {row[0] for row in conn.execute("SELECT number FROM csdrill.migrations")}
        roles = settings_roles(conn) if done else roles_for(role_prefix)
        created = [name for name in (roles.agent, roles.trainer) if _create_group_role(conn, name)]
        applied = []
        for number, template in MIGRATIONS:
            if number in done:
                continue
            script = template.format(agent=_quoted(conn, roles.agent), trainer=_quoted(conn, roles.trainer))
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO csdrill.migrations (number) VALUES (%s)", (number,))
            applied.append(number)
            if number == 1:
                conn.execute("INSERT INTO csdrill.settings VALUES ('agent_role', %s), ('trainer_role', %s), "
                             "('team_id', gen_random_uuid()::text)", (roles.agent, roles.trainer))
    return {"schema": LATEST, "applied": applied, "roles": {"agent": roles.agent, "trainer": roles.trainer},
            "created_roles": created}


def grant(conn, login: str, kind: str) -> dict:
    """Make `login` an agent or a trainer (creating the login role, without a password, if missing)."""
    from psycopg import sql

    if kind not in ROLE_KINDS:
        raise TeamError(_("unknown role '{role}'; roles: {roles}").format(role=kind, roles=", ".join(ROLE_KINDS)))
    with conn.transaction():
        require_schema(conn)
        roles = settings_roles(conn)
        created = not _role_exists(conn, login)
        if created:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(roles.of(kind)), sql.Identifier(login)))
        other = roles.of("trainer" if kind == "agent" else "agent")
        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(login)))
    return {"login": login, "role": kind, "group": roles.of(kind), "created_login": created}


def require_schema(conn) -> int:
    """The team schema's version, or TeamError saying to run `csdrill team init`."""
    row = conn.execute("SELECT to_regclass('csdrill.migrations') IS NOT NULL").fetchone()
    version = conn.execute("SELECT max(number) FROM csdrill.migrations").fetchone()[0] if row[0] else None
    if not version:
        raise TeamError(_("the team database has no csdrill schema yet: its owner runs `csdrill team init` once"))
    if version > LATEST:
        raise TeamError(_("the team database was set up by a newer csdrill (schema {version}, this one knows "
                          "{latest}); upgrade csdrill").format(version=version, latest=LATEST))
    return version


def settings_roles(conn) -> Roles:
    values = dict(conn.execute("SELECT key, value FROM csdrill.settings").fetchall())
    return Roles(values["agent_role"], values["trainer_role"])


def team_id(conn) -> str:
    return conn.execute("SELECT value FROM csdrill.settings WHERE key = 'team_id'").fetchone()[0]


def is_trainer(conn) -> bool:
    """True for a trainer's login and for the owner (who bypasses row-level security anyway)."""
    roles = settings_roles(conn)
    return bool(conn.execute(
        "SELECT rolsuper OR rolbypassrls OR pg_has_role(current_user, %s, 'MEMBER') "
        "OR current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'csdrill' AND tablename = 'reviews') "
        "FROM pg_roles WHERE rolname = current_user", (roles.trainer,)).fetchone()[0])


def _role_exists(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None


def _create_group_role(conn, name: str) -> bool:
    from psycopg import sql

    if _role_exists(conn, name):
        return False
    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
    return True


def _quoted(conn, name: str) -> str:
    from psycopg import sql

    return sql.Identifier(name).as_string(conn)
