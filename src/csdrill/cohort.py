"""The cohort figures a trainer's report shows: exam pass rates, mastery per learner and topic,
learners at risk and daily activity — computed from the review log and the exam attempts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from csdrill.stats.calendar import day_start, local_day
from csdrill.stats.figures import LEECH_LAPSES

IDLE_DAYS = 7  # no answer for a week: the habit is lost
MANY_LEECHES = 3


@dataclass(frozen=True)
class QuizRate:
    quiz: str
    learners: int  # with a complete attempt
    passed: int  # whose latest attempt passed
    rate: float


@dataclass(frozen=True)
class WeekRate:
    quiz: str
    week: str  # ISO week start date
    attempts: int
    passed: int
    rate: float


@dataclass(frozen=True)
class AtRisk:
    user: str
    last_active: str | None  # local date
    idle_days: int | None
    failed_quizzes: tuple[str, ...]
    leeches: int
    reasons: tuple[str, ...]  # idle | below_pass_mark | leeches


@dataclass(frozen=True)
class DayActivity:
    date: str
    reviews: int
    learners: int


@dataclass
class CohortReport:
    generated_at: str
    learners: list[str]
    pass_rates: list[QuizRate] = field(default_factory=list)
    pass_rates_by_week: list[WeekRate] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    mastery: dict[str, dict[str, float | None]] = field(default_factory=dict)  # user → topic → share
    at_risk: list[AtRisk] = field(default_factory=list)
    activity: list[DayActivity] = field(default_factory=list)


def pass_rates(latest_rows: list[dict]) -> list[QuizRate]:
    """Per quiz, of the learners with a complete attempt, those whose latest attempt passed."""
    by_quiz: dict[str, list[dict]] = defaultdict(list)
    for row in latest_rows:
        by_quiz[row["quiz"]].append(row)
    out = []
    for quiz, rows in sorted(by_quiz.items()):
        passed = sum(1 for r in rows if r["latest_passed"])
        out.append(QuizRate(quiz, len(rows), passed, round(passed / len(rows), 4)))
    return out


def pass_rates_by_week(attempts: list[dict], parse) -> list[WeekRate]:
    """Per quiz and week (weeks start on Monday, local time): complete attempts and how many passed."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for attempt in attempts:
        day = local_day(parse(attempt["finished_at"]))
        week = (day - timedelta(days=day.weekday())).isoformat()
        tally = counts[(attempt["quiz_id"], week)]
        tally[0] += 1
        tally[1] += 1 if attempt["passed"] else 0
    return [WeekRate(quiz, week, n, p, round(p / n, 4)) for (quiz, week), (n, p) in sorted(counts.items())]


def mastery_grid(mastery_rows, users: list[str]) -> tuple[list[str], dict[str, dict[str, float | None]]]:
    """learner → topic → share of that learner's card memories in the topic that are mature.

    `mastery_rows` are gaps.read_mastery's (user, market, topic, memories, mature) rows.
    """
    met: Counter = Counter()
    mastered: Counter = Counter()
    for user, _market, topic, memories, mature in mastery_rows:
        met[(user, topic)] += memories
        mastered[(user, topic)] += mature
    topics = sorted({topic for _user, topic in met})
    grid = {
        user: {t: (round(mastered[(user, t)] / met[(user, t)], 4) if met[(user, t)] else None) for t in topics}
        for user in users
    }
    return topics, grid


def learners_at_risk(users, last_answer: dict[str, datetime], last_attempt: dict[str, datetime],
                     latest_rows: list[dict], leeches: dict[str, int], now: datetime,
                     idle_days: int = IDLE_DAYS) -> list[AtRisk]:
    """Learners idle for `idle_days`, below a quiz's pass mark in their latest attempt, or with many leeches."""
    failed: dict[str, list[str]] = defaultdict(list)
    for row in latest_rows:
        if not row["latest_passed"]:
            failed[row["user"]].append(row["quiz"])
    out = []
    today = local_day(now)
    for user in users:
        moments = [m for m in (last_answer.get(user), last_attempt.get(user)) if m]
        last = max(moments) if moments else None
        idle = (today - local_day(last)).days if last else None
        reasons = []
        if idle is None or idle >= idle_days:
            reasons.append("idle")
        if failed.get(user):
            reasons.append("below_pass_mark")
        if leeches.get(user, 0) >= MANY_LEECHES:
            reasons.append("leeches")
        if reasons:
            out.append(AtRisk(user, local_day(last).isoformat() if last else None, idle,
                              tuple(sorted(failed.get(user, []))), leeches.get(user, 0), tuple(reasons)))
    return out


def daily_activity(day_rows, now: datetime, days: int = 30) -> list[DayActivity]:
    """Answers and active learners per local day over the last `days` days, empty days included."""
    per_day: dict[str, tuple[int, int]] = {day: (reviews, learners) for day, reviews, learners in day_rows}
    today = local_day(now)
    out = []
    for offset in range(days - 1, -1, -1):
        day = (today - timedelta(days=offset)).isoformat()
        reviews, learners = per_day.get(day, (0, 0))
        out.append(DayActivity(day, reviews, learners))
    return out


def build_report(progress, library, latest_rows: list[dict], attempts: list[dict], now: datetime, parse,
                 users: list[str] | None = None, idle_days: int = IDLE_DAYS, days: int = 30) -> CohortReport:
    """Every figure of the trainer's report, asked of `progress` (team.progress: LocalProgress or
    TeamProgress, the same questions on either backend; `parse` reads the attempts' times)."""
    if users is None:
        found = set(progress.answering_users())
        found |= {a["user"] for a in attempts}
        users = sorted(found)
    else:
        wanted = set(users)
        latest_rows = [r for r in latest_rows if r["user"] in wanted]
        attempts = [a for a in attempts if a["user"] in wanted]
    last_answer = progress.last_answers()
    last_attempt: dict[str, datetime] = {}
    for attempt in attempts:
        moment = parse(attempt["finished_at"])
        if attempt["user"] not in last_attempt or moment > last_attempt[attempt["user"]]:
            last_attempt[attempt["user"]] = moment
    leeches = progress.leech_counts()
    # Every learner's memories, not only the cohort's: the heat map's columns are the topics anyone drilled.
    topics, grid = mastery_grid(progress.mastery_rows(library), users)
    report = CohortReport(generated_at=now.astimezone().strftime("%Y-%m-%d %H:%M"), learners=users)
    report.pass_rates = pass_rates(latest_rows)
    report.pass_rates_by_week = pass_rates_by_week(attempts, parse)
    report.topics, report.mastery = topics, grid
    report.at_risk = learners_at_risk(users, last_answer, last_attempt, latest_rows, leeches, now, idle_days)
    report.activity = daily_activity(_day_rows(progress, now, days, users), now, days)
    return report


def day_bounds(now: datetime, days: int) -> list[tuple]:
    """(local date, its first moment) for the last `days` days, and tomorrow's midnight last.

    Each local day is a span of UTC time (23 or 25 hours around a DST change); `stats` counts its days
    with the same day starts.
    """
    today = local_day(now)
    starts = []
    for offset in range(days, -1, -1):  # days + 1 boundaries: the last one is tomorrow's midnight
        day = today - timedelta(days=offset - 1)
        starts.append((day, day_start(day)))
    return starts


def _day_rows(progress, now: datetime, days: int, users: list[str]):
    """(local date, answers, learners) per day: the backend counts answers per span and learner."""
    starts = day_bounds(now, days)
    wanted = set(users)
    answers: Counter = Counter()
    learners: Counter = Counter()
    for index, user, count in progress.answers_per_span([moment for _day, moment in starts]):
        if user in wanted:
            answers[index] += count
            learners[index] += 1
    return [(starts[i - 1][0].isoformat(), answers[i], learners[i]) for i in range(1, len(starts))]


# The local store's SQL for the report (LocalProgress asks these; TeamProgress has its own in team.cohort).

def local_last_answers(db, parse) -> dict[str, datetime]:
    # One index seek per learner, where GROUP BY user read every answer (2 s at 10,000,000).
    return {user: parse(at) for user, at in db.execute(
        "SELECT u.user, (SELECT MAX(r.answered_at) FROM reviews AS r WHERE r.user = u.user) "
        "FROM (SELECT DISTINCT user FROM reviews) AS u")}


def local_leech_counts(db) -> dict[str, int]:
    return dict(db.execute(
        "SELECT user, COUNT(*) FROM card_state WHERE lapses >= ? GROUP BY user", (LEECH_LAPSES,)).fetchall())


def local_answers_per_span(db, starts: list[datetime], to_db) -> list[tuple]:
    """(span index from 1, user, answers) with answers in [starts[i-1], starts[i]); a CASE picks the span."""
    bounds = [to_db(moment) for moment in starts]
    cases = " ".join(f"WHEN answered_at < ? THEN {i}" for i in range(1, len(bounds)))
    # Per learner, a seek to the period in reviews_by_user_time_tally: the index leads with the user,
    # so a bare time range reads every answer ever given (1.3 s at 10,000,000 answers; this: 0.8 s).
    return db.execute(
        f"SELECT CASE {cases} END AS d, r.user, COUNT(*) FROM (SELECT DISTINCT user FROM reviews) AS u "
        "JOIN reviews AS r ON r.user = u.user WHERE r.answered_at >= ? AND r.answered_at < ? GROUP BY d, r.user",
        (*bounds[1:], bounds[0], bounds[-1]),
    ).fetchall()
