"""`csdrill gaps` on a constructed review log whose figures are known by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from csdrill.drill.scheduling import Memory
from csdrill.store import Review, Store

DAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FRIST = "de-reg-355-frist"  # choices: 7 days, 14 days, 30 days, 1 month; answer 14 days
PERIOD = "eu-reg-withdrawal-period"
GRUND = "de-reg-355-keine-begruendung"


def answer(store, user, card, rating, *, at, state="new", given=None, mode="choice", stability=None):
    review = Review(user, card, "recall", rating, mode, at, 4000, state, given)
    memory_state = "review" if stability else "learning"
    store.record_review(review, Memory(memory_state, None, stability, 5.0, at + timedelta(days=1), at))


@pytest.fixture
def team_log(isolated_home):
    """Five learners. FRIST: 3 of 5 miss it first (30 days ×2, 7 days ×1), 1 of 4 review answers is a lapse.
    PERIOD: 1 of 4 misses it first. GRUND: 2 learners, both wrong — below the default minimum."""
    with Store(isolated_home) as store:
        for i, (user, rating, given) in enumerate([
            ("ana", 1, "30 days"), ("ben", 1, "30 days"), ("chen", 1, "7 days"),
            ("dora", 3, "14 days"), ("eli", 3, "14 days"),
        ]):
            answer(store, user, FRIST, rating, at=DAY + timedelta(minutes=i), given=given)
        for i, (user, rating) in enumerate([("ana", 3), ("ben", 1), ("dora", 3), ("eli", 3)]):
            answer(store, user, FRIST, rating, at=DAY + timedelta(days=5, minutes=i), state="review",
                   given="14 days" if rating > 1 else "1 month", stability=30.0 if rating > 1 else None)
        for i, (user, rating) in enumerate([("ana", 3), ("ben", 3), ("chen", 1), ("dora", 3)]):
            answer(store, user, PERIOD, rating, at=DAY + timedelta(hours=1, minutes=i),
                   given="14 days" if rating > 1 else "30 days", stability=25.0 if rating > 1 else None)
        for i, user in enumerate(["ana", "ben"]):
            answer(store, user, GRUND, 1, at=DAY + timedelta(hours=2, minutes=i), given="True")
    return isolated_home


def gaps_json(cli, *args):
    result = cli("gaps", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_gap_figures_match_the_log(cli, team_log):
    data = gaps_json(cli)
    assert data["learners"] == 5
    cards = {c["card_id"]: c for c in data["cards"]}
    assert list(cards) == [FRIST, PERIOD], "GRUND has 2 learners, below the minimum of 3"
    frist = cards[FRIST]
    assert frist["learners"] == 5
    assert frist["first_try_correct_rate"] == pytest.approx(0.4)
    assert frist["miss_rate"] == pytest.approx(0.6)
    assert frist["impact"] == pytest.approx(3.0)
    assert frist["lapse_rate"] == pytest.approx(0.25)
    assert (frist["common_wrong_answer"], frist["common_wrong_count"]) == ("30 days", 2)
    period = cards[PERIOD]
    assert (period["learners"], period["impact"], period["lapse_rate"]) == (4, pytest.approx(1.0), None)


def test_minimum_learners_lets_small_gaps_in_ranked_by_impact(cli, team_log):
    data = gaps_json(cli, "--min-learners", "2")
    assert [c["card_id"] for c in data["cards"]] == [FRIST, GRUND, PERIOD]  # impact 3.0, 2.0, 1.0


def test_cohort_file_and_since_narrow_the_log(cli, team_log, tmp_path):
    cohort = tmp_path / "cohort.txt"
    cohort.write_text("# onboarding group B\nana\nchen  # new hire\n\n", encoding="utf-8")
    data = gaps_json(cli, "--users", str(cohort), "--min-learners", "2")
    frist = next(c for c in data["cards"] if c["card_id"] == FRIST)
    assert (data["learners"], frist["learners"], frist["miss_rate"]) == (2, 2, 1.0)
    later = gaps_json(cli, "--since", "2026-11-05", "--min-learners", "1")
    assert [c["card_id"] for c in later["cards"]] == [], "from the 5th only review answers remain, no first tries"


def test_mastery_counts_only_mature_memories(cli, team_log):
    data = gaps_json(cli, "--market", "de", "--topic", "regulation")
    rows = {(m["market"], m["topic"]): m for m in data["mastery"]}
    # FRIST: ana, dora, eli mature (30 days) and ben relearning; chen never got past learning.
    # GRUND: ana and ben learning. PERIOD is an eu pool card.
    assert rows[("de", "regulation")]["cards_met"] == 7
    assert rows[("de", "regulation")]["mastered"] == 3
    assert rows[("eu", "regulation")]["mastered"] == 3
    assert data["cards"][0]["card_id"] == FRIST


def column_text(screen: str, column: int) -> str:
    """One table column's cells read top to bottom, as a person reads a wrapped cell."""
    cells = [line.split("│")[column].strip() for line in screen.splitlines() if line.count("│") > column]
    return " ".join(cell for cell in cells if cell)


def test_table_names_the_card_question_and_wrong_answer(cli, team_log):
    result = cli("gaps", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert FRIST in result.stdout
    assert "How long is the German withdrawal period (Widerrufsfrist) under § 355 BGB?" in column_text(
        result.stdout, 2)
    assert "30 days" in result.stdout and "×2" in result.stdout
    assert "Mastery per market and topic" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--since", "last week"), "--since must be a date YYYY-MM-DD"),
    (("--topic", "law"), "unknown topic 'law'"),
    (("--users", "/nonexistent/cohort.txt"), "cannot read --users file"),
])
def test_bad_input_is_a_usage_error(cli, team_log, args, message):
    result = cli("gaps", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "internal error" not in result.stderr


def test_empty_log_says_there_is_nothing_to_rank(cli):
    result = cli("gaps")
    assert result.returncode == 0
    assert "nothing to rank" in result.stdout
