"""Exam results as scripts see them (`check --json`, `exam --json`, `report`), from stored attempts."""

from __future__ import annotations

from csdrill.exam.runner import Attempt
from csdrill.store import to_db

CHECK_KEYS = ("user", "quiz", "score", "pass_mark", "passed", "taken_at", "by_topic")


def check_result(user: str, quiz_id: str, record: dict | None, min_percent: float | None = None) -> dict:
    """The latest complete attempt judged against its own pass mark, or `min_percent` when given.

    No attempt: every key is there, with nulls.
    """
    if record is None:
        return {"user": user, "quiz": quiz_id, "score": None,
                "pass_mark": None, "passed": None, "taken_at": None, "by_topic": None}
    mark = record["pass_mark"] if min_percent is None else min_percent
    return {"user": user, "quiz": quiz_id, "score": record["score"], "pass_mark": mark,
            "passed": record["score"] >= mark, "taken_at": record["finished_at"],
            "by_topic": record["by_topic"]}


def latest_complete(records: list[dict]) -> dict | None:
    complete = [r for r in records if r["status"] == "complete"]
    return max(complete, key=lambda r: (r["finished_at"], r["id"])) if complete else None


def attempt_result(attempt: Attempt) -> dict:
    """`check --json` keys plus every answer and the missed ones; nulls for an interrupted attempt."""
    result = attempt.result
    answers = [a.to_dict() for a in attempt.answers]
    return {
        "user": attempt.user, "quiz": attempt.quiz.id,
        "score": result.score if result else None,
        "pass_mark": attempt.quiz.pass_mark,
        "passed": result.passed if result else None,
        "taken_at": to_db(attempt.finished_at) if attempt.finished_at else None,
        "by_topic": result.by_topic if result else None,
        "answers": answers,
        "missed": [a for a in answers if not a["correct"]] if result else [],
        "status": "incomplete" if result is None else "complete",
        "timed_out": attempt.timed_out,
        "seed": attempt.seed,
        "attempt": attempt.id,
    }


def history_row(record: dict) -> dict:
    """One attempt for `csdrill scores`, without the answers."""
    return {key: record[key] for key in ("id", "user", "quiz_id", "status", "started_at", "finished_at",
                                          "score", "pass_mark", "passed", "seed", "quiz_hash", "by_topic")}


def team_report(records: list[dict]) -> list[dict]:
    """Each user's latest and best complete result per quiz, sorted by quiz then user."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        if record["status"] == "complete":
            groups.setdefault((record["quiz_id"], record["user"]), []).append(record)
    rows = []
    for (quiz_id, user), done in sorted(groups.items()):
        latest = latest_complete(done)
        best = max(done, key=lambda r: (r["score"], r["finished_at"]))
        rows.append({
            "user": user, "quiz": quiz_id, "attempts": len(done),
            "latest_score": latest["score"], "latest_passed": latest["passed"],
            "latest_at": latest["finished_at"], "best_score": best["score"], "best_passed": best["passed"],
            "best_at": best["finished_at"], "pass_mark": latest["pass_mark"],
        })
    return rows
