"""`csdrill stats` on a known review history: every JSON figure, the charts at 80 columns, plain output."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pexpect
import pytest

from csdrill.drill.scheduling import AGAIN, EASY, GOOD, HARD, Scheduler
from csdrill.store import Review, Store
from tests.conftest import ZZ_PHRASES, write

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday
TODAY = NOW.date()
ENV = {"CSDRILL_NOW": NOW.isoformat(), "TZ": "UTC"}

MARKETS = """\
markets:
  - code: zz
    name: Zedland
    languages: [de]
    includes: [pool1]
  - code: yy
    name: Whyland
    languages: [en]
    includes: [pool1]
  - code: pool1
    name: Shared pool
    languages: [en]
    pool: true
"""

ZZ_DECKS = {
    "reg.yaml": """\
deck: zz-regulation
title: Zedland law
market: zz
topic: regulation
cards:
  - id: zz-reg-one
    q: How long is the withdrawal period?
    a: 14 days
    source: {title: Directive 2011/83/EU, url: "https://eur-lex.europa.eu/eli/dir/2011/83/oj", verified: 2026-01-02}
""",
    "phr.yaml": ZZ_PHRASES,
    "scn.yaml": """\
deck: zz-scenarios
title: Zedland scenarios
market: zz
topic: scenario
cards:
  - id: zz-scn-late
    situation: A parcel is late.
    options: [Apologise and give a date, Blame the carrier, Say nothing]
    best: Apologise and give a date
    why: A concrete commitment restores trust.
""",
}

POOL_SKILLS = """\
deck: pool1-skills
title: Shared skills
market: pool1
topic: skill
cards:
  - id: p1-skl-a
    q: Skill A?
    a: A
  - id: p1-skl-b
    q: Skill B?
    a: B
  - id: p1-skl-c
    q: Skill C?
    a: C
"""

YY_ETIQUETTE = """\
deck: yy-etiquette
title: Whyland etiquette
market: yy
topic: etiquette
cards:
  - id: yy-eti-one
    q: How do you greet?
    a: Politely
"""

REG, PHR, SCN, SKA, SKB = "zz-reg-one", "zz-phr-patience", "zz-scn-late", "p1-skl-a", "p1-skl-b"
TOPIC = {REG: "regulation", PHR: "phrase", SCN: "scenario", SKA: "skill", SKB: "skill"}

# (days before today, time of day, card, direction, rating, the state the card was in before)
HISTORY = [
    # REG becomes a leech: four lapses ("Again" in the review state), each relearnt 20 minutes later.
    (60, "09:00", REG, "recall", EASY, "new"),
    (50, "09:00", REG, "recall", AGAIN, "review"),
    (50, "09:20", REG, "recall", GOOD, "relearning"),
    (40, "09:00", REG, "recall", AGAIN, "review"),
    (40, "09:20", REG, "recall", GOOD, "relearning"),
    (20, "09:00", REG, "recall", AGAIN, "review"),
    (20, "09:20", REG, "recall", GOOD, "relearning"),
    (3, "09:00", REG, "recall", AGAIN, "review"),
    (3, "09:20", REG, "recall", GOOD, "relearning"),
    # A six-day run, the longest streak; D-30 is just outside the 30-day window.
    (30, "09:00", SKA, "recall", EASY, "new"),
    (29, "09:00", SKB, "recall", EASY, "new"),
    (28, "09:00", SKB, "recall", GOOD, "review"),
    (27, "09:00", SKB, "recall", GOOD, "review"),
    (26, "09:00", SKB, "recall", GOOD, "review"),
    (25, "09:00", SKA, "recall", GOOD, "review"),
    # SCN: three lapses, one short of a leech, left in relearning (so overdue).
    (12, "09:00", SCN, "recall", EASY, "new"),
    (11, "09:00", SCN, "recall", AGAIN, "review"),
    (11, "09:20", SCN, "recall", GOOD, "relearning"),
    (10, "09:00", SCN, "recall", AGAIN, "review"),
    (10, "09:20", SCN, "recall", GOOD, "relearning"),
    (9, "09:00", SCN, "recall", AGAIN, "review"),
    # The current streak: D-3 .. today.
    (2, "09:00", SKA, "recall", HARD, "review"),
    (1, "09:00", PHR, "recognise", EASY, "new"),
    (0, "10:00", PHR, "recognise", GOOD, "review"),
    (0, "11:00", PHR, "produce", AGAIN, "new"),
]


def at(days_ago: int, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return NOW.replace(hour=hour, minute=minute) - timedelta(days=days_ago)


def answer(store: Store, scheduler: Scheduler, card_id: str, direction: str, rating: int, when: datetime,
           user: str = "tester") -> str:
    """Answer as the quiz does: schedule from the stored memory, then record. Returns the state before."""
    before = store.memories(user).get((card_id, direction))
    state = before.state if before else "new"
    store.record_review(Review(user, card_id, direction, rating, "flash", when, 1500, state),
                        scheduler.review(before, rating, when))
    return state


@pytest.fixture
def world(deck_dir, monkeypatch):
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")
    write(deck_dir, "markets.yaml", MARKETS)
    for name, text in ZZ_DECKS.items():
        write(deck_dir, name, text)
    write(deck_dir, "skills.yaml", POOL_SKILLS)
    write(deck_dir, "yy.yaml", YY_ETIQUETTE)
    return deck_dir


@pytest.fixture
def history(world):
    scheduler = Scheduler(0.9)
    with Store() as store:
        for days_ago, clock, card_id, direction, rating, state in sorted(HISTORY, key=lambda h: at(*h[:2])):
            assert answer(store, scheduler, card_id, direction, rating, at(days_ago, clock)) == state
        memories = store.memories("tester")
        assert store.lapses("tester") == {(REG, "recall"): 4, (SCN, "recall"): 3}
    return memories


def stats_json(cli, world, *args):
    result = cli("stats", "--json", "--decks", str(world), *args, env=ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_json_figure_for_a_known_history(cli, world, history):
    data = stats_json(cli, world)
    assert data["user"] == "tester"
    assert data["now"] == "2026-11-22T12:00:00+00:00"
    assert data["today"] == "2026-11-22"
    assert data["market"] is None
    assert data["reviews"] == {"today": 2, "last_7_days": 6, "last_30_days": 19, "total": 25}
    # Review-state answers in the last 30 days: 6 remembered (SKB x3, SKA x2, PHR), 5 Again (REG x2, SCN x3).
    assert data["retention"] == {"true": pytest.approx(6 / 11), "target": 0.9, "answers": 11, "remembered": 6,
                                 "days": 30}

    # Only zz was drilled (pool1 cards come with it); yy was never touched.
    [zz] = data["markets"]
    assert (zz["code"], zz["name"], zz["seen"], zz["total"]) == ("zz", "Zedland", 5, 6)
    # Mastered: the two skill cards, reviewed Good for weeks (stability 75 and 23 days). Not REG (a leech,
    # stability 0.3), SCN (relearning), the phrase (13.5 days) nor its produce side (failed today).
    assert {key for key, memory in history.items() if memory.stability >= 21} == {(SKA, "recall"), (SKB, "recall")}
    assert zz["mastery"] == pytest.approx(2 / 6)
    expected_topics = {
        "regulation": {"seen": 1, "total": 1, "mastery": 0.0},
        "phrase": {"seen": 1, "total": 1, "mastery": 0.0},
        "scenario": {"seen": 1, "total": 1, "mastery": 0.0},
        "skill": {"seen": 2, "total": 3, "mastery": 1.0},
    }
    assert zz["topics"] == expected_topics
    assert list(zz["topics"]) == ["regulation", "phrase", "scenario", "skill"]  # the house topic order
    assert data["topics"] == expected_topics
    assert data["cards"] == {"seen": 5, "total": 6, "mastery": pytest.approx(2 / 6)}
    assert data["mastered_stability_days"] == 21

    # Forecast: every card_state row on its UTC day, overdue ones (SCN in relearning) on day 0.
    due = Counter(max(0, (m.due.date() - TODAY).days) for m in history.values())
    assert history[(SCN, "recall")].due < NOW
    assert data["forecast"] == [{"date": (TODAY + timedelta(days=n)).isoformat(), "due": due[n]}
                                for n in range(14)]

    # Heatmap: 12 whole weeks Monday..Sunday ending today; two reviews is the busiest day (level 4).
    per_day = Counter(at(d, c).date() for d, c, *_ in HISTORY)
    activity = data["activity"]
    assert (activity["weeks"], activity["start"], activity["peak"]) == (12, "2026-08-31", 2)
    assert len(activity["days"]) == 84
    assert activity["days"] == [
        {"date": day.isoformat(), "reviews": per_day[day], "level": {0: 0, 1: 2, 2: 4}[per_day[day]]}
        for day in (date(2026, 8, 31) + timedelta(days=n) for n in range(84))
    ]
    assert data["streak"] == {"current": 4, "longest": 6, "reviewed_today": True}

    assert data["hardest"] == [
        {"card_id": REG, "direction": "recall", "lapses": 4, "leech": True, "market": "zz",
         "topic": "regulation"},
        {"card_id": SCN, "direction": "recall", "lapses": 3, "leech": False, "market": "zz", "topic": "scenario"},
    ]
    assert (data["leeches"], data["leech_lapses"]) == (1, 4)


def test_market_restricts_every_figure_to_its_lineage(cli, world, history):
    data = stats_json(cli, world, "--market", "yy")
    assert data["market"] == "yy"
    # yy drills pool1, so only the two skill cards' answers count.
    assert data["reviews"] == {"today": 0, "last_7_days": 1, "last_30_days": 6, "total": 7}
    assert data["retention"]["answers"] == 5 and data["retention"]["remembered"] == 5
    [yy] = data["markets"]
    assert (yy["code"], yy["seen"], yy["total"]) == ("yy", 2, 4)
    assert yy["topics"]["etiquette"] == {"seen": 0, "total": 1, "mastery": None}
    assert data["hardest"] == [] and data["leeches"] == 0
    assert data["streak"] == {"current": 0, "longest": 6, "reviewed_today": False}
    due = Counter(max(0, (history[k].due.date() - TODAY).days) for k in ((SKA, "recall"), (SKB, "recall")))
    assert [d["due"] for d in data["forecast"]] == [due[n] for n in range(14)]


def test_only_pool_cards_seen_lists_the_pool(cli, world):
    with Store() as store:
        answer(store, Scheduler(), SKA, "recall", GOOD, NOW - timedelta(hours=1))
    data = stats_json(cli, world)
    assert [(m["code"], m["seen"], m["total"]) for m in data["markets"]] == [("pool1", 1, 3)]
    assert data["streak"] == {"current": 1, "longest": 1, "reviewed_today": True}


def test_leech_flag_starts_at_four_lapses(cli, world):
    scheduler = Scheduler()
    with Store() as store:
        for card_id, lapses in ((SKA, 3), (SKB, 4)):
            when = NOW - timedelta(days=20)
            answer(store, scheduler, card_id, "recall", EASY, when)
            for _ in range(lapses):
                when += timedelta(days=2)
                answer(store, scheduler, card_id, "recall", AGAIN, when)
                answer(store, scheduler, card_id, "recall", GOOD, when + timedelta(minutes=20))
    data = stats_json(cli, world)
    assert [(h["card_id"], h["lapses"], h["leech"]) for h in data["hardest"]] == [(SKB, 4, True), (SKA, 3, False)]
    assert data["leeches"] == 1
    text = cli("stats", "--decks", str(world), env=ENV).stdout
    [skb_line] = [line for line in text.splitlines() if SKB in line and "recall" in line]
    [ska_line] = [line for line in text.splitlines() if SKA in line and "recall" in line]
    assert skb_line.rstrip().endswith("leech") and "leech" not in ska_line


def test_charts_at_80_columns(cli, world, history):
    data = stats_json(cli, world)
    result = cli("stats", "--decks", str(world), env={**ENV, "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)

    # Forecast: one row per day, the busiest day 40 blocks wide, the others in proportion.
    start = lines.index("Due in the next 14 days (overdue cards count today)") + 1
    rows = lines[start:start + 14]
    peak = max(d["due"] for d in data["forecast"])
    assert len({d["due"] for d in data["forecast"]} - {0}) >= 2  # bars of different lengths to compare
    for row, day in zip(rows, data["forecast"], strict=True):
        label = datetime.fromisoformat(day["date"]).strftime("%a %d %b")
        match = re.fullmatch(rf"{label} (█*) ?(\d+)", row)
        assert match, row
        assert int(match.group(2)) == day["due"]
        expected = 0 if not day["due"] else max(1, round(40 * day["due"] / peak))
        assert len(match.group(1)) == expected

    # Heatmap: a month header, then 7 rows Mon..Sun of 12 week cells; today (Sunday, 2 reviews) is "█".
    top = next(n for n, line in enumerate(lines) if line.startswith("Reviews per day, last 12 weeks"))
    assert lines[top + 1].split() == ["Sep", "Oct", "Nov"]
    grid = lines[top + 2:top + 9]
    assert [row[:3] for row in grid] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    cells = [row[5:].split(" ") for row in grid]
    assert all(len(row) == 12 for row in cells)
    assert cells[6][11] == "█" and cells[5][11] == "▒"  # Sat 21 Nov had one review: level 2
    assert cells[0][0] == "·"  # Mon 31 Aug: none

    assert "Streak     4 days · longest 6" in lines
    assert "Reviews    today 2 · last 7 days 6 · last 30 days 19 · all 25" in lines
    assert any(line.startswith("Retention  55% of 11 review answers") and "target 90%" in line for line in lines)
    assert any(line.lstrip().startswith("zz Zedland") and "5/6" in line for line in lines)
    assert "1 leech (4+ lapses): rewrite or split it. Open a card: csdrill show zz-reg-one" in lines


def test_no_reviews_yet_says_how_to_start(cli, world):
    result = cli("stats", "--decks", str(world), env=ENV)
    assert result.returncode == 0
    assert "No reviews yet for tester" in result.stdout
    assert "csdrill quiz --market yy" in result.stdout  # no built-in `de` here: the first market
    empty = stats_json(cli, world)
    assert empty["reviews"]["total"] == 0 and empty["markets"] == [] and empty["retention"]["true"] is None


def test_no_reviews_suggests_de_with_builtin_decks(cli):
    result = cli("stats", env=ENV)
    assert result.returncode == 0
    assert "csdrill quiz --market de" in result.stdout


def test_unknown_market_is_a_usage_error(cli, world):
    result = cli("stats", "--decks", str(world), "--market", "zx", env=ENV)
    assert result.returncode == 2
    assert "unknown market 'zx'" in result.stderr and "Traceback" not in result.stderr


def spawn_stats(world, env):
    child = pexpect.spawn(sys.executable, ["-m", "csdrill", "stats", "--decks", str(world)], env=env,
                          encoding="utf-8", dimensions=(60, 100), timeout=30)
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    return output


def test_no_color_on_a_terminal_has_no_escape_codes(world, history):
    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    base.update(ENV, TERM="xterm-256color")
    coloured = spawn_stats(world, base)
    assert "\x1b[" in coloured  # a real terminal gets colour…
    plain = spawn_stats(world, {**base, "NO_COLOR": "1"})
    assert "\x1b[" not in plain  # …NO_COLOR none at all, and the charts still read
    assert "Streak     4 days · longest 6" in plain and "█" in plain


def test_days_are_calendar_days_in_the_local_time_zone(world):
    from zoneinfo import ZoneInfo

    from csdrill.content.loader import load
    from csdrill.stats import compute_stats, summarise

    library = load([world], include_builtin=False).library
    late = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)  # Sunday 07:30 in Shanghai, Saturday night in UTC
    reviews = [Review("tester", REG, "recall", GOOD, "flash", late, 900, "new"),
               Review("tester", REG, "recall", GOOD, "flash", late + timedelta(hours=3), 900, "learning")]
    now = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # the second review is still to come at `now`
    shanghai = compute_stats(summarise(reviews, now, tz=ZoneInfo("Asia/Shanghai")), {}, library, now,
                             tz=ZoneInfo("Asia/Shanghai"))
    assert (shanghai.today, shanghai.reviews.today, shanghai.reviews.total) == (date(2026, 11, 22), 1, 1)
    assert (shanghai.streak.current, shanghai.streak.reviewed_today) == (1, True)
    utc = compute_stats(summarise(reviews, now, tz=UTC), {}, library, now, tz=UTC)
    assert (utc.reviews.today, utc.reviews.last_7_days) == (0, 1)
    assert (utc.streak.current, utc.streak.reviewed_today) == (1, False)


# --- Honest figures: mastery and "due tomorrow" ----------------------------------------------------

TWELVE_FACTS = "deck: zz-facts\ntitle: Twelve facts\nmarket: zz\ntopic: skill\ncards:\n" + "".join(
    f"  - id: zz-skl-{n:02}\n    q: Question {n}?\n    a: Answer {n}\n" for n in range(12))
TWELVE = [(f"zz-skl-{n:02}", "recall") for n in range(12)]


def test_mastery_after_a_session_with_7_of_12_wrong_is_not_high(cli, world):
    write(world, "facts.yaml", TWELVE_FACTS)
    scheduler = Scheduler()
    with Store() as store:
        for days_ago in (120, 100, 60):  # learnt well: every card remembered for weeks
            for card_id, direction in TWELVE:
                answer(store, scheduler, card_id, direction, GOOD, NOW - timedelta(days=days_ago))
    before = stats_json(cli, world, "--market", "zz")["topics"]["skill"]
    assert before["mastery"] == 1.0

    with Store() as store:  # today: 7 of 12 forgotten, 30 minutes ago
        for n, (card_id, direction) in enumerate(TWELVE):
            answer(store, scheduler, card_id, direction, AGAIN if n < 7 else GOOD, NOW - timedelta(minutes=30))
    after = stats_json(cli, world, "--market", "zz")
    assert after["topics"]["skill"]["mastery"] == pytest.approx(5 / 12)
    # Mean recall predicted now, the old "mastery", would still have shown about 97 %.
    with Store() as store:
        recall = [scheduler.retrievability(m, NOW) for key, m in store.memories("tester").items() if key in TWELVE]
    assert sum(recall) / len(recall) > 0.9


def test_a_new_session_with_7_of_12_wrong_shows_nothing_mastered(cli, world):
    write(world, "facts.yaml", TWELVE_FACTS)
    scheduler = Scheduler()
    with Store() as store:
        for n, (card_id, direction) in enumerate(TWELVE):
            answer(store, scheduler, card_id, direction, AGAIN if n < 7 else GOOD, NOW - timedelta(minutes=20))
    data = stats_json(cli, world, "--market", "zz")
    assert data["topics"]["skill"]["mastery"] == 0.0
    text = cli("stats", "--decks", str(world), "--market", "zz", env=ENV).stdout
    [line] = [line for line in text.splitlines() if line.strip().startswith("skill")]
    assert line.rstrip().endswith(" 0%"), line


def test_a_card_failed_minutes_ago_is_not_mastered_even_after_relearning_it():
    from csdrill.stats import is_mastered

    scheduler = Scheduler()
    memory = None
    for days_ago in (200, 190, 160, 100):
        memory = scheduler.review(memory, GOOD, NOW - timedelta(days=days_ago))
    assert is_mastered(memory) and memory.stability >= 21
    failed = scheduler.review(memory, AGAIN, NOW - timedelta(minutes=15))
    assert not is_mastered(failed)
    relearnt = scheduler.review(failed, GOOD, NOW - timedelta(minutes=5))
    assert relearnt.state == "review" and not is_mastered(relearnt)


def quiz_summary(cli, world, when: str, rating: str) -> dict[str, int]:
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation", "--mode", "flash",
                 input=f"\n{rating}\n", env={"CSDRILL_NOW": when, "TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    rows = re.findall(r"│ (reviewed|correct|new learned|due tomorrow) +│ +(\d+) │", result.stdout)
    return {label: int(count) for label, count in rows}


def test_due_tomorrow_does_not_count_cards_due_in_minutes(cli, world):
    # A new card rated Good at noon is due again ten minutes later: today, not tomorrow.
    assert quiz_summary(cli, world, "2026-11-22T12:00:00+00:00", "3")["due tomorrow"] == 0


def test_due_tomorrow_counts_a_card_due_after_midnight(cli, world):
    # The same ten-minute step taken at 23:55 falls due at 00:05: on the next calendar day.
    assert quiz_summary(cli, world, "2026-11-22T23:55:00+00:00", "3")["due tomorrow"] == 1


def test_due_tomorrow_leaves_out_the_day_after(cli, world):
    with Store() as store:
        answer(store, Scheduler(), REG, "recall", GOOD, NOW - timedelta(hours=3))
    # Rated Easy in its learning step, the card graduates to an interval of days: not tomorrow.
    summary = quiz_summary(cli, world, "2026-11-22T12:00:00+00:00", "4")
    assert summary["reviewed"] == 1
    with Store() as store:
        due = store.memories("tester")[(REG, "recall")].due
    assert due.date() > TODAY + timedelta(days=1) and summary["due tomorrow"] == 0
