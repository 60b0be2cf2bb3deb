"""Commands that do not touch a team database never import its driver (start-up stays lean)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def imported(*args: str, team_db: str | None = None, stdin: str = "") -> set[str]:
    env = {key: value for key, value in os.environ.items() if key != "CSDRILL_TEAM_DB"}
    if team_db:
        env["CSDRILL_TEAM_DB"] = team_db
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "csdrill", *args], input=stdin,
                            capture_output=True, text=True, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("args", [("scores", "--json"), ("report", "--json"), ("reviews", "--json"),
                                  ("check", "onboarding-de"), ("stats", "--json"), ("gaps", "--json"),
                                  ("report", "--format", "html")])
def test_reading_commands_without_a_team_database_do_not_import_psycopg(args, builtin_content):
    assert "psycopg" not in imported(*args)


def test_local_flag_reads_this_machine_without_importing_psycopg(builtin_content):
    dsn = "host=127.0.0.1 port=1 dbname=nowhere"
    for args in (("scores", "--local"), ("report", "--local"), ("stats", "--local", "--json"), ("gaps", "--local"),
                 ("report", "--format", "html", "--local")):
        assert "psycopg" not in imported(*args, team_db=dsn)


def test_quiz_without_a_team_database_does_not_import_psycopg(builtin_content):
    modules = imported("quiz", "--market", "de", "--mode", "choice", "--limit", "1", stdin="1\n")
    assert "csdrill.team.autosync" in modules and "psycopg" not in modules
