"""`csdrill team init`, `csdrill team grant` and `csdrill sync`: the shared PostgreSQL database."""

from __future__ import annotations

import sys

import typer

from csdrill.cli import app
from csdrill.cli.options import JsonOption, print_json
from csdrill.errors import UsageError
from csdrill.i18n import _

team_app = typer.Typer(
    help=_("Set up the team database (CSDRILL_TEAM_DB, a libpq connection string) once, as its owner."),
    no_args_is_help=True)
app.add_typer(team_app, name="team")


def _dsn() -> str:
    from csdrill.team.conninfo import ENV, team_dsn

    dsn = team_dsn()
    if dsn is None:
        raise UsageError(_("set {env} to the team database, e.g. {example}").format(
            env=ENV, example=f"{ENV}='postgresql://li.wei@db.example.com/csdrill?sslmode=require'"))
    return dsn


INIT_HELP = _(
    "Create or upgrade the team schema, the roles csdrill_agent and csdrill_trainer, and row-level security.\n\n"
    "Run once by the database owner; running it again only applies what is missing."
)


@team_app.command("init", help=INIT_HELP)
def init(
    role_prefix: str = typer.Option(
        "csdrill", "--role-prefix", help=_("Group roles are PREFIX_agent and PREFIX_trainer (roles are shared by "
        "every database on the server: give each team database its own prefix if they must differ).")),
    as_json: bool = JsonOption,
) -> None:
    """Set up the team schema (help: INIT_HELP)."""
    from csdrill.team import schema
    from csdrill.team.conninfo import connect, masked

    dsn = _dsn()
    with connect(dsn) as conn:
        result = _guarded(dsn, lambda: schema.init(conn, role_prefix))
    if as_json:
        print_json(result)
        return
    roles = result["roles"]
    if result["applied"]:
        message = _("team database {db}: schema {schema}, applied migrations {migrations}; roles {agent} and {trainer}")
    else:
        message = _("team database {db}: schema {schema}, already up to date; roles {agent} and {trainer}")
    print(message.format(db=masked(dsn), schema=result["schema"], migrations=", ".join(map(str, result["applied"])),
                         agent=roles["agent"], trainer=roles["trainer"]))
    print(_("next: csdrill team grant LOGIN --role agent (or trainer) for each person"))


@team_app.command("grant", help=_(
    "Let LOGIN use the team database as an agent or a trainer (creates the login, without a password)."))
def grant(
    login: str = typer.Argument(..., metavar="LOGIN", help=_("Database login = the person's csdrill user.")),
    role: str = typer.Option(..., "--role", help=_("agent (own progress only) or trainer (everyone's).")),
    as_json: bool = JsonOption,
) -> None:
    """Grant a role (help above)."""
    from csdrill.team import schema
    from csdrill.team.conninfo import connect

    if role not in schema.ROLE_KINDS:
        raise UsageError(_("unknown role '{role}'; roles: {roles}").format(
            role=role, roles=", ".join(schema.ROLE_KINDS)))
    dsn = _dsn()
    with connect(dsn) as conn:
        result = _guarded(dsn, lambda: schema.grant(conn, login, role))
    if as_json:
        print_json(result)
        return
    message = _("{login} is now an agent ({group})") if role == "agent" else _(
        "{login} is now a trainer ({group})")
    print(message.format(login=login, group=result["group"]))
    if result["created_login"]:
        print(_("new login without a password: set one, or use your server's authentication"))


SYNC_HELP = _(
    "Send this machine's answers to the team database (CSDRILL_TEAM_DB) and fetch yours from other machines.\n\n"
    "Scheduling is then rebuilt from the merged review log, the same way on every machine. "
    "Safe to stop and run again: every review ends up there exactly once. "
    "Runs by itself after a quiz or an exam. Exit 0 synced, 2 the team database failed (unreachable, "
    "not set up, no permission): nothing is lost, run it again later."
)


@app.command(help=SYNC_HELP)
def sync(
    user: list[str] = typer.Option(
        None, "--user", "-u", help=_("Only this learner (repeatable; an agent's login syncs only itself).")),
    as_json: bool = JsonOption,
) -> None:
    """Sync with the team database (help: SYNC_HELP)."""
    from csdrill.store import Store
    from csdrill.team.sync import sync as run_sync

    dsn = _dsn()
    with Store() as store:
        result = run_sync(store, dsn, users=user or None)
    if as_json:
        print_json(result.to_dict())
        return
    if result.trainer:
        message = _("synced with {db} as {login} (trainer): sent {reviews} reviews and {attempts} exam attempts, "
                    "received {received} reviews")
    else:
        message = _("synced with {db} as {login}: sent {reviews} reviews and {attempts} exam attempts, "
                    "received {received} reviews")
    print(message.format(db=result.team_db, login=result.login, reviews=result.sent_reviews,
                         attempts=result.sent_attempts, received=result.received_reviews))
    for name, cards in sorted(result.replayed.items()):
        print("  " + _("{name}: scheduling rebuilt from the merged log ({cards} cards)").format(name=name, cards=cards))
    for name, count in sorted(result.left_unsent.items()):
        print("  " + _("{name}: {count} reviews not sent (only {name}'s login or a trainer's can send them)").format(
            name=name, count=count), file=sys.stderr)


def _guarded(dsn: str, action):
    """Run a setup step; a database refusal becomes a one-line TeamError with the address masked."""
    import psycopg

    from csdrill.team.conninfo import TeamError, masked

    try:
        return action()
    except psycopg.errors.InsufficientPrivilege as err:
        raise TeamError(_("{db}: {reason} — run this as the database owner (a role that may create roles and "
                          "schemas)").format(db=masked(dsn), reason=masked(str(err).splitlines()[0], dsn))) from None
    except psycopg.Error as err:
        raise TeamError(f"{masked(dsn)}: {masked(str(err).splitlines()[0], dsn)}") from None
