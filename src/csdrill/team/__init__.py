"""The team database: every agent's progress in one PostgreSQL, with this machine's SQLite kept first.

- `conninfo`: CSDRILL_TEAM_DB, password masking, connecting (the only place psycopg is imported from
  outside a team command's own code path).
- `schema`: numbered migrations recorded in the database (`csdrill.migrations`), the group roles and
  row-level security; `team init` and `team grant`.
- `sync`: push this machine's unsent reviews and attempts, pull the user's reviews from other machines,
  then rebuild scheduling state with `csdrill.drill.replay`.
- `progress`: the read layer. `open_progress(local=False)` gives a LocalProgress (this machine's file)
  or a TeamProgress (CSDRILL_TEAM_DB): the same methods and the same results from either backend —
  attempts(), report(), reviews(), first_answer_at(), tally_answers(), memories(), users().
  See its docstring; new reading commands (gaps, HTML reports) should ask it, not a backend.
- `autosync`: the sync at the end of a quiz or an exam; never fails the session.

Nothing here is imported at start-up; psycopg only when the team database is used.
"""
