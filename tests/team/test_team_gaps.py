"""`gaps` and `report --format html` on the team database: the same constructed log gives the same figures
as this machine's file, a third machine sees them, and an agent's login sees only itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csdrill.store import Store
from tests.conftest import run_cli
from tests.test_gaps import DAY, FRIST, GRUND, PERIOD, answer, team_log  # noqa: F401  (team_log is a fixture)
from tests.test_report_html import NOW, cohort_home  # noqa: F401  (cohort_home is a fixture)

pytest.importorskip("psycopg")

GAP_ARGS = [(), ("--min-learners", "2"), ("--market", "de", "--topic", "regulation"), ("--since", "2026-11-05",
            "--min-learners", "1"), ("--limit", "1")]


def gaps_json(env: dict, *args: str) -> dict:
    result = run_cli("gaps", "--json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def html_page(env: dict, path, *args: str) -> str:
    result = run_cli("report", "--format", "html", "-o", str(path), *args, env={**env, "CSDRILL_NOW": NOW})
    assert result.returncode == 0, result.stderr
    return path.read_text(encoding="utf-8")


@pytest.fixture
def synced(cohort_home, team_db, machines):  # noqa: F811
    """The report tests' cohort log, sent to the team database by a trainer's sync; (trainer env here,
    trainer env on a machine with no log of its own)."""
    trainer = team_db.grant("hr", "trainer")
    here = {"CSDRILL_HOME": str(cohort_home), "CSDRILL_TEAM_DB": team_db.dsn(trainer), "TZ": "UTC"}
    result = run_cli("sync", "--json", env=here)
    assert result.returncode == 0, result.stderr
    sent = json.loads(result.stdout)
    assert sent["sent_reviews"] == 16 and sent["sent_card_states"] == 12
    return here, machines("hr-laptop", CSDRILL_TEAM_DB=team_db.dsn(trainer), TZ="UTC")


def test_gaps_on_the_team_database_match_the_local_file(synced, tmp_path):
    here, elsewhere = synced
    cohort = tmp_path / "cohort.txt"
    cohort.write_text("ana\nchen\n", encoding="utf-8")
    for args in [*GAP_ARGS, ("--users", str(cohort), "--min-learners", "2")]:
        local = gaps_json(here, "--local", *args)
        assert gaps_json(here, *args) == local, args
        assert gaps_json(elsewhere, *args) == local, args
    # The hand-counted figures of tests/test_gaps.py, now from PostgreSQL on a machine with no log.
    team = gaps_json(elsewhere)
    cards = {c["card_id"]: c for c in team["cards"]}
    assert team["learners"] == 6 and list(cards) == [FRIST, PERIOD]
    assert (cards[FRIST]["learners"], cards[FRIST]["impact"], cards[FRIST]["lapse_rate"]) == (6, 4.0, 0.25)
    assert (cards[FRIST]["common_wrong_answer"], cards[FRIST]["common_wrong_count"]) == ("30 days", 3)
    mastery = {(m["market"], m["topic"]): m for m in team["mastery"]}
    assert mastery[("de", "regulation")]["cards_met"] == 8, "FRIST ×6 learners and GRUND ×2, from card_states"
    assert GRUND in {c["card_id"] for c in gaps_json(elsewhere, "--min-learners", "2")["cards"]}


def test_html_report_from_the_team_database_is_the_local_page(synced, tmp_path):
    here, elsewhere = synced
    local = html_page(here, tmp_path / "local.html", "--local")
    assert html_page(here, tmp_path / "team.html") == local
    assert html_page(elsewhere, tmp_path / "elsewhere.html") == local
    # The page is about something: the cohort's learners, a gap and an at-risk learner are in it.
    assert all(name in local for name in ("ana", "dora", "李伟", FRIST))


def test_an_agents_login_sees_only_its_own_gaps(synced, team_db, machines, tmp_path):
    here, _elsewhere = synced
    li = team_db.grant("li")
    li_pc = machines("li", CSDRILL_USER=li, CSDRILL_TEAM_DB=team_db.dsn(li), TZ="UTC")
    with Store(Path(li_pc["CSDRILL_HOME"])) as store:
        answer(store, li, PERIOD, 1, at=DAY, given="30 days")
    assert run_cli("sync", env=li_pc).returncode == 0
    mine = gaps_json(li_pc, "--min-learners", "1")
    assert mine["learners"] == 1 and [c["card_id"] for c in mine["cards"]] == [PERIOD]
    assert (mine["cards"][0]["learners"], mine["cards"][0]["common_wrong_count"]) == (1, 1)
    assert [(m["market"], m["cards_met"]) for m in mine["mastery"]] == [("eu", 1)], "li's memory only"
    assert gaps_json(here)["learners"] == 7, "the trainer sees li too"
    page = html_page(li_pc, tmp_path / "li.html")
    assert "ana" not in page and li in page
    cohort = tmp_path / "cohort.txt"
    cohort.write_text("ana\n", encoding="utf-8")
    refused = run_cli("gaps", "--users", str(cohort), env=li_pc)
    assert refused.returncode == 2 and f"logged in to the team database as {li}" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_team_database_from_before_card_states_says_how_to_upgrade(cohort_home, team_db):  # noqa: F811
    team_db.query("DROP TABLE csdrill.card_states")  # and the rest of migration 3: as a schema-2 database
    team_db.query("DROP INDEX csdrill.reviews_by_card")
    team_db.query("DELETE FROM csdrill.migrations WHERE number = 3")
    trainer = team_db.grant("hr", "trainer")
    here = {"CSDRILL_HOME": str(cohort_home), "CSDRILL_TEAM_DB": team_db.dsn(trainer), "TZ": "UTC"}
    old = run_cli("sync", "--json", env=here)
    assert old.returncode == 0, old.stderr
    assert json.loads(old.stdout)["sent_card_states"] == 0, "schema 2 has nowhere to put them"
    refused = run_cli("gaps", env=here)
    assert refused.returncode == 2 and "csdrill team init" in refused.stderr
    assert run_cli("team", "init", env={"CSDRILL_TEAM_DB": team_db.admin}).returncode == 0
    upgraded = run_cli("sync", "--json", env=here)
    assert json.loads(upgraded.stdout)["sent_card_states"] == 12
    assert gaps_json(here) == gaps_json(here, "--local")
