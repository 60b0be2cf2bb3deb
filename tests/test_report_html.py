"""`csdrill report --format html`, opened in a real headless Chromium: visible, self-contained, and
showing the same numbers as `gaps --json` and `report --format json`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta

import pytest

from csdrill.store import Store
from tests.test_gaps import DAY, FRIST, answer, team_log  # noqa: F401  (team_log is a fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NOW = "2026-11-20T12:00:00+00:00"
SECTIONS = ("pass-rate-table", "mastery-heatmap", "gaps-table", "at-risk-table", "activity-table",
            "results-table")

# Injected into a copy of the page (whose policy is widened to run it): reports what a reader would see.
CHECKER = """
<script>
window.addEventListener("load", () => {
  const visible = (el) => { if (!el) return false; const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.display !== "none" && s.visibility !== "hidden"; };
  const rows = (id) => [...document.querySelectorAll("#" + id + " tbody tr")].map((tr) => ({
    key: tr.dataset.card || tr.dataset.quiz || "", user: tr.dataset.user || "",
    cells: [...tr.cells].map((td) => td.innerText.trim()) }));
  const out = { visible: {}, charts: [...document.querySelectorAll("svg")].map(visible),
    resources: performance.getEntriesByType("resource").map((e) => e.name), tables: {} };
  for (const id of SECTIONS_JSON) { out.visible[id] = visible(document.getElementById(id)); out.tables[id] = rows(id); }
  const pre = document.createElement("pre"); pre.id = "csdrill-check"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
""".replace("SECTIONS_JSON", json.dumps(SECTIONS))


@pytest.fixture
def browser():
    if CHROMIUM is None:
        message = "headless Chromium is needed: apt-get install chromium (.ci/run installs it)"
        if os.environ.get("CSDRILL_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


def chromium(binary, page_url: str, tmp_path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={tmp_path / 'chromium-profile'}",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000", *extra, page_url],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def cohort_home(team_log):  # noqa: F811
    """The gap log, plus exam attempts: ana passes twice, ben fails then passes, chen fails; dora is idle."""
    with Store(team_log) as store:
        for user, score, days in [("ana", 0.9, 1), ("ana", 0.95, 8), ("ben", 0.5, 2), ("ben", 0.85, 9),
                                  ("chen", 0.6, 3)]:
            attempt = store.start_attempt(user, "onboarding-de", "hash", 1, 0.8, DAY + timedelta(days=days))
            store.finish_attempt(attempt, DAY + timedelta(days=days, minutes=20), score, score >= 0.8, {}, [])
        answer(store, "李伟", FRIST, 1, at=DAY + timedelta(days=17), given="30 days")  # a Chinese name renders
    return team_log


def test_report_page_in_a_real_browser(cli, cohort_home, tmp_path, browser):
    page = tmp_path / "report.html"
    env = {"CSDRILL_NOW": NOW, "TZ": "UTC"}
    result = cli("report", "--format", "html", "-o", str(page), env=env)
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b", html), "the page must not load anything"
    assert "default-src 'none'" in html

    shot = chromium(browser, page.as_uri(), tmp_path, f"--screenshot={tmp_path / 'report.png'}",
                    "--window-size=1100,2600")
    assert (tmp_path / "report.png").stat().st_size > 10_000, shot.stderr[-2000:]
    assert "CONSOLE" not in shot.stderr, "the page logged to the console (an error or a blocked load)"

    checked = tmp_path / "checked.html"
    checked.write_text(html.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
                       .replace("</body>", CHECKER + "</body>"), encoding="utf-8")
    run = chromium(browser, checked.as_uri(), tmp_path, "--dump-dom")
    found = re.search(r'<pre id="csdrill-check">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stderr[-2000:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                      .replace("&gt;", ">"))
    assert [line for line in run.stderr.splitlines() if "CONSOLE" in line] == []
    assert seen["resources"] == [], "nothing may be fetched"
    assert all(seen["visible"].values()), seen["visible"]
    assert seen["charts"] and all(seen["charts"])

    gaps = json.loads(cli("gaps", "--json", env=env).stdout)
    shown = {row["key"]: row["cells"] for row in seen["tables"]["gaps-table"]}
    assert list(shown) == [g["card_id"] for g in gaps["cards"]][: len(shown)]
    for gap in gaps["cards"]:
        card_id, question, _answer, learners, first_try, lapses, wrong, _source = shown[gap["card_id"]]
        assert card_id == gap["card_id"] and question, "each gap names its card and shows the question"
        assert int(learners) == gap["learners"]
        assert first_try == f"{gap['first_try_correct_rate'] * 100:.0f}%"
        assert lapses == ("—" if gap["lapse_rate"] is None else f"{gap['lapse_rate'] * 100:.0f}%")
        assert wrong == (gap["common_wrong_answer"] or "—")

    results = json.loads(cli("report", "--format", "json", env=env).stdout)
    table = {(row["key"], row["user"]): row["cells"] for row in seen["tables"]["results-table"]}
    assert len(table) == len(results) == 3
    for row in results:
        _quiz, user, attempts, latest, _passed, best = table[(row["quiz"], row["user"])]
        assert (user, int(attempts)) == (row["user"], row["attempts"])
        assert latest == f"{row['latest_score'] * 100:.0f}%" and best == f"{row['best_score'] * 100:.0f}%"
    rates = {row["key"]: row["cells"] for row in seen["tables"]["pass-rate-table"]}
    assert rates["onboarding-de"][1:] == ["3", "2", "67%"]  # ana and ben passed their latest, chen did not

    at_risk = {row["user"]: row["cells"] for row in seen["tables"]["at-risk-table"]}
    assert "chen" in at_risk and "latest exam below the pass mark" in at_risk["chen"][-1]
    assert "eli" in at_risk and "no recent activity" in at_risk["eli"][-1]
    assert "李伟" not in at_risk, "answered three days ago"
    assert "李伟" in {row["user"] for row in seen["tables"]["mastery-heatmap"]}


def test_report_page_follows_the_interface_language(cli, cohort_home, tmp_path):
    page = tmp_path / "report.html"
    result = cli("report", "--format", "html", "-o", str(page), env={"CSDRILL_NOW": NOW, "CSDRILL_LANG": "zh"})
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert 'lang="zh-Hans"' in html
    assert "知识薄弱点" in html and "Top knowledge gaps" not in html


def test_report_page_to_standard_output_and_unwritable_target(cli, cohort_home, tmp_path):
    to_stdout = cli("report", "--format", "html", env={"CSDRILL_NOW": NOW})
    assert to_stdout.returncode == 0 and to_stdout.stdout.startswith("<!DOCTYPE html>")
    missing = cli("report", "--format", "html", "-o", str(tmp_path / "no-such-dir" / "r.html"))
    assert missing.returncode == 2
    assert "cannot write" in missing.stderr and "internal error" not in missing.stderr
