"""The trainer's report for a cohort too big to print row by row: the learners who need help come first,
and every learner's numbers stay in the file, folded away and left out of print."""

from __future__ import annotations

import re
from datetime import timedelta

from csdrill.report_page import LONG_TABLE_ROWS
from csdrill.store import Store
from tests.test_gaps import DAY, FRIST, answer, team_log  # noqa: F401  (team_log is a fixture)

LEARNERS = LONG_TABLE_ROWS + 5
NOW = "2026-12-20T12:00:00+00:00"  # everyone idle for weeks: all are at risk


def row_users(html: str, table_id: str) -> list[str]:
    body = re.search(rf'<table[^>]* id="{table_id}">(.*?)</table>', html, re.S).group(1)
    return [m.group(1) for m in re.finditer(r'<tr data-(?:quiz="[^"]*" data-)?user="([^"]*)"', body)]


def test_big_cohort_puts_the_weakest_first_and_keeps_everyone_in_the_file(cli, isolated_home, tmp_path):
    # The five weakest sort last by name: the page must still show them first.
    weak = [f"zz-weak-{i}" for i in range(5)]
    strong = [f"agent-{i:02d}" for i in range(LEARNERS - 5)]
    with Store(isolated_home) as store:
        for i, user in enumerate(weak + strong):
            answer(store, user, FRIST, 3, at=DAY + timedelta(minutes=i), given="14 days",
                   stability=None if user in weak else 30.0)
            attempt = store.start_attempt(user, "onboarding-de", "hash", 1, 0.8, DAY)
            score = 0.1 + i / 100 if user in weak else 0.95
            store.finish_attempt(attempt, DAY + timedelta(minutes=20), score, score >= 0.8, {}, [])
    page = tmp_path / "report.html"
    result = cli("report", "--format", "html", "-o", str(page), env={"CSDRILL_NOW": NOW, "TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")

    heat = row_users(html, "mastery-heatmap")
    assert len(heat) == LONG_TABLE_ROWS and heat[:5] == weak, heat[:8]
    assert sorted(row_users(html, "mastery-all")) == sorted(weak + strong), "every learner stays in the file"
    topics = re.search(r'<tr data-topic="regulation">(.*?)</tr>', html).group(1)
    assert re.findall(r'data-kind="(\w+)">([^<]*)<', topics) == [
        ("learners", str(LEARNERS)), ("median", "100%"), ("below_half", "5")]

    results = row_users(html, "results-table")
    assert len(results) == LONG_TABLE_ROWS and results[:5] == weak, "lowest latest scores first"
    assert len(row_users(html, "results-all")) == LEARNERS
    assert len(row_users(html, "at-risk-table")) == LONG_TABLE_ROWS
    assert row_users(html, "at-risk-table")[:5] == weak, "idle and below the pass mark: two reasons first"
    assert len(row_users(html, "at-risk-all")) == LEARNERS

    # The folded tables are not printed: a 1,000-learner page stays a few A4 pages.
    print_css = html[html.index("@media print"):html.index("</style>")]
    assert "details.more { display: none; }" in print_css
    assert html.count('<details class="more">') == 3


def test_small_cohort_shows_every_learner_in_name_order(cli, team_log, tmp_path):  # noqa: F811
    page = tmp_path / "report.html"
    assert cli("report", "--format", "html", "-o", str(page), env={"CSDRILL_NOW": NOW}).returncode == 0
    html = page.read_text(encoding="utf-8")
    assert row_users(html, "mastery-heatmap") == ["ana", "ben", "chen", "dora", "eli"]
    assert "<details" not in html
