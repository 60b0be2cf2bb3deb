"""With CSDRILL_TEAM_DB set, check, scores, report and stats read the team: any machine sees everyone."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tests.team.conftest import create_team_db, drop_team_db, machines_in
from tests.team.test_sync import quiz

pytest.importorskip("psycopg")

NOW = "2026-05-02T18:00:00+00:00"


def take_exam(env: dict, answers: str) -> dict:
    result = run_cli("exam", "onboarding-de", "--json", input=answers, env=env)
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr.count("csdrill:") == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def cohort(pg_server, tmp_path_factory, builtin_content):
    """Agents li and bo, each on their own machine with the team database set, one exam each.

    Shared by this module's tests, which only read it (granting the same trainer login again is a no-op).
    """
    team_db = create_team_db(pg_server)
    try:
        yield _cohort(team_db, machines_in(tmp_path_factory.mktemp("cohort")))
    finally:
        drop_team_db(pg_server, team_db)


def _cohort(team_db, machines):
    li, bo = team_db.grant("li"), team_db.grant("bo")
    li_pc = machines("li", CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li), TZ="UTC")
    bo_pc = machines("bo", CSDRILL_USER=bo, CSDRILL_TEAM_DB=team_db.dsn(bo), TZ="UTC")
    results = {li: take_exam(li_pc, "1\n" * 40), bo: take_exam(bo_pc, "2\n" * 40)}
    quiz(li_pc, "2026-05-01T08:00:00+00:00", "1\n2\n1\n1\n")
    quiz(li_pc, "2026-05-02T08:00:00+00:00", "1\n1\n1\n")
    return team_db, {li: li_pc, bo: bo_pc}, results


def test_check_on_a_third_machine_sees_both_agents_results(cohort, machines):
    team_db, _pcs, results = cohort
    hr = machines("hr-server", CSDRILL_TEAM_DB=team_db.dsn(team_db.grant("hr", "trainer")))
    for agent, taken in results.items():
        result = run_cli("check", "onboarding-de", "--user", agent, "--json", env=hr)
        assert result.returncode == (0 if taken["passed"] else 1), result.stderr
        seen = json.loads(result.stdout)
        assert (seen["user"], seen["score"], seen["passed"], seen["by_topic"]) == \
            (agent, taken["score"], taken["passed"], taken["by_topic"])
        assert seen["taken_at"] == taken["taken_at"]
    local = run_cli("check", "onboarding-de", "--user", next(iter(results)), "--local", env=hr)
    assert local.returncode == 3 and "has not completed" in local.stdout


def test_scores_and_report_on_a_third_machine_list_everyone(cohort, machines):
    team_db, pcs, results = cohort
    hr = machines("hr-server", CSDRILL_TEAM_DB=team_db.dsn(team_db.grant("hr", "trainer")))
    scores = json.loads(run_cli("scores", "--json", env=hr).stdout)
    assert sorted((row["user"], row["score"], row["status"]) for row in scores) == \
        sorted((agent, r["score"], "complete") for agent, r in results.items())
    report = run_cli("report", "--json", env=hr)
    assert report.returncode == 0, report.stderr
    rows = json.loads(report.stdout)
    assert [(r["quiz"], r["user"], r["attempts"], r["latest_score"], r["best_score"]) for r in rows] == \
        sorted(("onboarding-de", agent, 1, r["score"], r["score"]) for agent, r in results.items())
    # The same rows as `report` computes from one shared file: a trainer's old setup agrees.
    local_rows = json.loads(run_cli("report", "--format", "json", "--local", env=pcs[rows[0]["user"]]).stdout)
    assert local_rows == [rows[0]]
    table = run_cli("report", env=hr).stdout
    assert table.count("onboarding-de") == 2


def test_stats_from_the_team_log_match_the_agents_own_machine(cohort, machines):
    team_db, pcs, _results = cohort
    li = team_db.login("li")
    hr = machines("hr-server", CSDRILL_TEAM_DB=team_db.dsn(team_db.grant("hr", "trainer")), TZ="UTC")
    own = run_cli("stats", "--json", "--local", env={**pcs[li], "CSDRILL_NOW": NOW})
    team = run_cli("stats", "--user", li, "--json", env={**hr, "CSDRILL_NOW": NOW})
    assert own.returncode == team.returncode == 0, team.stderr
    figures = json.loads(team.stdout)
    assert figures == json.loads(own.stdout)
    answered = len(json.loads(run_cli("reviews", "--json", "--user", li, env=pcs[li]).stdout))
    assert figures["reviews"]["total"] == answered > 0 and figures["cards"]["seen"] > 0
    market = run_cli("stats", "--user", li, "--market", "de", "--json", env={**hr, "CSDRILL_NOW": NOW})
    assert json.loads(market.stdout) == json.loads(
        run_cli("stats", "--market", "de", "--json", "--local", env={**pcs[li], "CSDRILL_NOW": NOW}).stdout)


def test_an_agent_login_cannot_read_another_agents_results_by_passing_user(cohort):
    team_db, pcs, _results = cohort
    li, bo = team_db.login("li"), team_db.login("bo")
    for command in (("check", "onboarding-de", "--user", bo), ("scores", "--user", bo), ("stats", "--user", bo)):
        result = run_cli(*command, env=pcs[li])
        assert result.returncode == 2, command
        assert f"logged in to the team database as {li}" in result.stderr
    own = json.loads(run_cli("scores", "--json", env=pcs[li]).stdout)
    assert {row["user"] for row in own} == {li}
    report = json.loads(run_cli("report", "--json", env=pcs[li]).stdout)
    assert [row["user"] for row in report] == [li]
