"""`csdrill team init`, `csdrill team grant` and `csdrill sync`: the shared PostgreSQL database."""

from __future__ import annotations

import sys

import typer

from csdrill.cli import app
from csdrill.cli.options import JsonOption, print_json
from csdrill.errors import UsageError

team_app = typer.Typer(
    help="Set up the team database (CSDRILL_TEAM_DB, a libpq connection string) once, as its owner.",
    no_args_is_help=True)
app.add_typer(team_app, name="team")


def _dsn() -> str:
    from csdrill.team.conninfo import ENV, team_dsn

    dsn = team_dsn()
    if dsn is None:
        raise UsageError(f"set {ENV} to the team database, e.g. "
                         f"{ENV}='postgresql://li.wei@db.example.com/csdrill?sslmode=require'")
    return dsn


@team_app.command("init")
def init(
    role_prefix: str = typer.Option(
        "csdrill", "--role-prefix", help="Group roles are PREFIX_agent and PREFIX_trainer (roles are shared by "
        "every database on the server: give each team database its own prefix if they must differ)."),
    as_json: bool = JsonOption,
) -> None:
    """Create or upgrade the team schema, the roles csdrill_agent and csdrill_trainer, and row-level security.

    Run once by the database owner; running it again only applies what is missing.
    """
    from csdrill.team import schema
    from csdrill.team.conninfo import connect, masked

    dsn = _dsn()
    with connect(dsn) as conn:
        result = _guarded(dsn, lambda: schema.init(conn, role_prefix))
    if as_json:
        print_json(result)
        return
    roles = result["roles"]
    done = f"applied migrations {', '.join(map(str, result['applied']))}" if result["applied"] else "already up to date"
    print(f"team database {masked(dsn)}: schema {result['schema']}, {done}; "
          f"roles {roles['agent']} and {roles['trainer']}")
    print("next: csdrill team grant LOGIN --role agent (or trainer) for each person")


@team_app.command("grant")
def grant(
    login: str = typer.Argument(..., metavar="LOGIN", help="Database login = the person's csdrill user."),
    role: str = typer.Option(..., "--role", help="agent (own progress only) or trainer (everyone's)."),
    as_json: bool = JsonOption,
) -> None:
    """Let LOGIN use the team database as an agent or a trainer (creates the login, without a password)."""
    from csdrill.team import schema
    from csdrill.team.conninfo import connect

    if role not in schema.ROLE_KINDS:
        raise UsageError(f"unknown role '{role}'; roles: {', '.join(schema.ROLE_KINDS)}")
    dsn = _dsn()
    with connect(dsn) as conn:
        result = _guarded(dsn, lambda: schema.grant(conn, login, role))
    if as_json:
        print_json(result)
        return
    made = " (new login without a password: set one, or use your server's authentication)" \
        if result["created_login"] else ""
    print(f"{login} is now a{'n' if role == 'agent' else ''} {role} ({result['group']}){made}")


@app.command()
def sync(
    user: list[str] = typer.Option(
        None, "--user", "-u", help="Only this learner (repeatable; an agent's login syncs only itself)."),
    as_json: bool = JsonOption,
) -> None:
    """Send this machine's answers to the team database (CSDRILL_TEAM_DB) and fetch yours from other machines.

    Scheduling is then rebuilt from the merged review log, the same way on every machine.
    Safe to stop and run again: every review ends up there exactly once.
    Runs by itself after a quiz or an exam. Exit 0 synced, 2 the team database failed (unreachable,
    not set up, no permission): nothing is lost, run it again later.
    """
    from csdrill.store import Store
    from csdrill.team.sync import sync as run_sync

    dsn = _dsn()
    with Store() as store:
        result = run_sync(store, dsn, users=user or None)
    if as_json:
        print_json(result.to_dict())
        return
    print(f"synced with {result.team_db} as {result.login}{' (trainer)' if result.trainer else ''}: "
          f"sent {result.sent_reviews} reviews and {result.sent_attempts} exam attempts, "
          f"received {result.received_reviews} reviews")
    for name, cards in sorted(result.replayed.items()):
        print(f"  {name}: scheduling rebuilt from the merged log ({cards} cards)")
    for name, count in sorted(result.left_unsent.items()):
        print(f"  {name}: {count} reviews not sent (only {name}'s login or a trainer's can send them)",
              file=sys.stderr)


def _guarded(dsn: str, action):
    """Run a setup step; a database refusal becomes a one-line TeamError with the address masked."""
    import psycopg

    from csdrill.team.conninfo import TeamError, masked

    try:
        return action()
    except psycopg.errors.InsufficientPrivilege as err:
        raise TeamError(f"{masked(dsn)}: {masked(str(err).splitlines()[0], dsn)} — run this as the database "
                        "owner (a role that may create roles and schemas)") from None
    except psycopg.Error as err:
        raise TeamError(f"{masked(dsn)}: {masked(str(err).splitlines()[0], dsn)}") from None
