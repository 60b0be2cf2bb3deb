"""Without a PostgreSQL server the team tests skip and say how to run one; CI turns that into a failure."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def run_one_team_test(**env) -> subprocess.CompletedProcess:
    full = {key: value for key, value in os.environ.items() if key != "CSDRILL_REQUIRE_TEAM_DB"}
    full.update(CSDRILL_TEST_PG="host=127.0.0.1 port=1 dbname=test user=postgres", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "tests/team/test_setup_and_rls.py::test_init_records_numbered_migrations_and_running_it_again_changes_nothing"],
        cwd=REPO, env=full, capture_output=True, text=True, timeout=120)


def test_team_tests_skip_with_how_to_run_a_server():
    result = run_one_team_test()
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout and "docker run" in result.stdout and "CSDRILL_TEST_PG" in result.stdout


def test_ci_makes_a_missing_server_a_failure():
    result = run_one_team_test(CSDRILL_REQUIRE_TEAM_DB="1")
    assert result.returncode == 1
    assert "1 error" in result.stdout or "1 failed" in result.stdout
    assert "no PostgreSQL server for the team tests" in result.stdout
