"""`csdrill exam`, `scores`, `check` and `report`: baseline exams that scripts can read."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from csdrill.cli import app
from csdrill.cli.options import DecksOption, JsonOption, LocalOption, print_json
from csdrill.errors import UsageError
from csdrill.i18n import _, ngettext

UserOption = typer.Option(
    None, "--user", "-u", help=_("Learner name (default: CSDRILL_USER, then your login name)."))
EXAM_HELP = _(
    "Take a baseline exam: the quiz's questions, no feedback until the end, then score and what was missed.\n\n"
    "Every answer is saved at once. Exit 0 passed, 1 failed, 2 bad input, 130 interrupted "
    "(Ctrl-C, q or Esc, or end of input before the last question: recorded as incomplete, never "
    "as a score). In line mode a line that cannot be an answer stops the exam with exit 2. "
    "When a time limit runs out the exam ends and unanswered questions count as wrong. "
    "Piped input answers one line per question (option numbers, or the typed answer).\n\n"
    "Example: printf '2\\n1\\n...' | csdrill exam onboarding-de --user ana"
)
CHECK_HELP = _(
    "Did this user pass? For onboarding scripts: reads the latest complete attempt (in the team database "
    "when CSDRILL_TEAM_DB is set, so it works on any machine).\n\n"
    "Exit 0 when it meets the pass mark (or --min), 1 when it does not, 3 when there is no complete "
    "attempt yet, 2 for an unknown quiz. `--json` prints user, quiz, score, pass_mark, passed, "
    "taken_at and by_topic (nulls when there is no attempt)."
)
REPORT_HELP = _(
    "Every user's latest and best exam result: the team database's with CSDRILL_TEAM_DB, else this "
    "machine's.\n\n"
    "--format html writes one self-contained page for trainers (open it in a browser, mail it, print it "
    "on A4): exam pass rates per quiz and over time, a learners × topics mastery heat map, the top "
    "knowledge gaps with each card's question, answer and source, learners at risk, and activity per day. "
    "Like the other formats it reads the team database when CSDRILL_TEAM_DB is set (a trainer's login sees "
    "the team, an agent's only itself), else or with --local this machine's progress file."
)
EXIT_PASSED, EXIT_FAILED, EXIT_NO_ATTEMPT, EXIT_INTERRUPTED = 0, 1, 3, 130


def find_quiz(quizzes, wanted: str):
    """The quiz with this id (or read from this file), or UsageError listing the quizzes."""
    from csdrill.content.fields import did_you_mean
    from csdrill.content.loader import display_path

    as_file = Path(wanted)
    for quiz in quizzes:
        if quiz.id == wanted or (as_file.suffix in (".yaml", ".yml") and quiz.path == display_path(as_file)):
            return quiz
    ids = sorted(q.id for q in quizzes)
    raise UsageError(_("unknown quiz '{quiz}'{suggestion}; quizzes: {quizzes}").format(
        quiz=wanted, suggestion=did_you_mean(wanted, ids), quizzes=", ".join(ids) or _("none")))


def _quiz_dirs(quiz_arg: str, decks: list[Path] | None) -> list[Path]:
    """Extra content folders, plus the quiz file itself when QUIZ is a path to one."""
    from csdrill.content.loader import extra_deck_dirs

    dirs = extra_deck_dirs(decks)
    path = Path(quiz_arg)
    if path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise UsageError(_("no such quiz file: {path}").format(path=quiz_arg))
        dirs.append(path)
    return dirs


@app.command(help=EXAM_HELP)
def exam(
    quiz_id: str = typer.Argument(
        ..., metavar="QUIZ", help=_("Quiz id (the `quiz:` of a quizzes/*.yaml file) or a quiz file.")),
    user: str = UserOption,
    seed: int = typer.Option(
        None, "--seed", help=_("Override the quiz's seed (same seed: same questions, same order).")),
    as_json: bool = typer.Option(
        False, "--json", help=_("Print the result as JSON on stdout at the end (the exam is shown on stderr).")),
    learn: bool = typer.Option(
        False, "--learn", help=_("Also record each answer as a spaced-repetition review.")),
    zh: bool = typer.Option(
        False, "--zh", help=_("Also show each card's Chinese (zh_prompt, zh_options, a phrase's zh) before you "
                              "answer; always on in the Chinese interface.")),
    decks: list[Path] = DecksOption,
) -> None:
    """Take a baseline exam (help: EXAM_HELP)."""
    from csdrill.clock import now_utc
    from csdrill.content.loader import load_or_raise
    from csdrill.exam.results import attempt_result
    from csdrill.exam.runner import run_exam
    from csdrill.exam.selection import select_questions
    from csdrill.store import Store, default_user
    from csdrill.ui import exam_view
    from csdrill.ui.console import stderr, stdout
    from csdrill.ui.prompts import LinePrompts, prompts_for_terminal
    from csdrill.ui.quiz_view import ask_for_chinese

    content = load_or_raise(_quiz_dirs(quiz_id, decks), freeze=True)
    quiz = find_quiz(content.quizzes, quiz_id)
    seed = quiz.seed if seed is None else seed
    questions = select_questions(quiz, content.library, seed)
    user = user or default_user()
    # With --json, stdout carries only the JSON: the exam itself is shown on stderr.
    console = stderr() if as_json else stdout()
    prompts = prompts_for_terminal()
    if as_json and isinstance(prompts, LinePrompts):
        prompts = LinePrompts(stdout=sys.stderr)

    ask_for_chinese(zh)
    exam_view.show_intro(console, quiz, len(questions), seed)
    with Store() as store:
        learn_fn = None
        if learn:
            from csdrill.drill.scheduling import Scheduler
            from csdrill.drill.session import Session

            learn_fn = Session(store, Scheduler(), user, [q.item for q in questions], now_utc).record
        attempt = run_exam(quiz, questions, store=store, user=user, seed=seed, clock=now_utc,
                           ask=_asker(prompts, console, len(questions)), learn=learn_fn)
    if attempt.interrupted:
        exam_view.show_interrupted(console, attempt, len(questions))
    else:
        exam_view.show_result(console, attempt, {q.item.card.id: q.item.card for q in questions})
    if as_json:
        print_json(attempt_result(attempt))
    from csdrill.team.autosync import sync_after_session
    sync_after_session(user)  # team database (CSDRILL_TEAM_DB): send the answers; never fails the session
    if attempt.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    raise typer.Exit(EXIT_PASSED if attempt.result.passed else EXIT_FAILED)


def _asker(prompts, console, total: int):
    """Show a question and return the graded Outcome; end of input becomes ExamInterrupted."""
    from csdrill.exam.runner import ExamInterrupted
    from csdrill.ui.prompts import EndOfInput
    from csdrill.ui.quiz_loop import ask as ask_question
    from csdrill.ui.quiz_loop import present

    def ask(number: int, question):
        present(prompts, console, question, number, total, show_card_id=False)
        try:
            return ask_question(prompts, console, question)
        except EndOfInput:
            raise ExamInterrupted from None

    return ask


@app.command(help=_("Exam attempt history: every attempt, complete or not, oldest first."))
def scores(
    user: str = typer.Option(None, "--user", "-u", help=_("Only this learner (default: everyone).")),
    quiz: str = typer.Option(None, "--quiz", "-q", help=_("Only this quiz id.")),
    as_json: bool = JsonOption,
    local: bool = LocalOption,
) -> None:
    """Exam attempt history: every attempt, complete or not, oldest first (the team's with CSDRILL_TEAM_DB)."""
    from csdrill.exam.results import history_row
    from csdrill.team.progress import open_progress

    with open_progress(local) as progress:
        rows = [history_row(r) for r in progress.attempts(user, quiz)]
    if as_json:
        print_json(rows)
        return
    from csdrill.ui.console import stdout
    from csdrill.ui.exam_view import rows_table

    columns = ("started_at", "user", "quiz_id", "status", "score", "passed")
    title = ngettext("{count} exam attempt", "{count} exam attempts", len(rows)).format(count=len(rows))
    stdout().print(rows_table(title, rows, columns))


@app.command(help=CHECK_HELP)
def check(
    quiz_id: str = typer.Argument(..., metavar="QUIZ", help=_("Quiz id.")),
    user: str = UserOption,
    min_percent: float = typer.Option(
        None, "--min", min=0, max=100, help=_("Pass mark to apply instead of the attempt's own.")),
    as_json: bool = JsonOption,
    decks: list[Path] = DecksOption,
    local: bool = LocalOption,
) -> None:
    """Did this user pass? (help: CHECK_HELP)."""
    from csdrill.content.loader import load
    from csdrill.exam.results import check_result, latest_complete
    from csdrill.store import default_user
    from csdrill.team.progress import open_progress

    # Other people's broken decks must not break an onboarding script: only the quiz must load.
    content = load(_quiz_dirs(quiz_id, decks), freeze=True)
    quiz = find_quiz(content.quizzes, quiz_id)
    user = user or default_user()
    with open_progress(local) as progress:
        record = latest_complete(progress.attempts(user, quiz.id, complete_only=True))
    result = check_result(user, quiz.id, record, min_percent)
    if as_json:
        print_json(result)
    else:
        print(_check_line(result))
    if result["passed"] is None:
        raise typer.Exit(EXIT_NO_ATTEMPT)
    raise typer.Exit(EXIT_PASSED if result["passed"] else EXIT_FAILED)


def _check_line(result: dict) -> str:
    if result["passed"] is None:
        return _("{user} has not completed {quiz} yet").format(user=result["user"], quiz=result["quiz"])
    if result["passed"]:
        line = _("{user} passed {quiz}: {score}% (pass mark {pass_mark}%) on {date}")
    else:
        line = _("{user} did not pass {quiz}: {score}% (pass mark {pass_mark}%) on {date}")
    return line.format(user=result["user"], quiz=result["quiz"], score=f"{result['score']:g}",
                       pass_mark=f"{result['pass_mark']:g}", date=result["taken_at"][:10])


@app.command(help=REPORT_HELP)
def report(
    quiz: str = typer.Option(None, "--quiz", "-q", help=_("Only this quiz id.")),
    fmt: str = typer.Option("table", "--format", "-f", help=_("table, csv, json or html.")),
    as_json: bool = typer.Option(False, "--json", help=_("Same as --format json.")),
    output: Path = typer.Option(
        None, "--output", "-o", metavar="FILE", help=_("Write the report here (html; default: standard output).")),
    users: Path = typer.Option(
        None, "--users", metavar="FILE", help=_("Only these learners: a file with one name per line.")),
    idle_days: int = typer.Option(
        7, "--idle-days", min=1, help=_("html: a learner with no activity for this many days is at risk.")),
    decks: list[Path] = DecksOption,
    local: bool = LocalOption,
) -> None:
    """Every user's latest and best exam result (help: REPORT_HELP)."""
    from csdrill.exam.results import team_report
    from csdrill.team.progress import open_progress

    fmt = "json" if as_json else fmt
    if fmt not in ("table", "csv", "json", "html"):
        raise UsageError(_("unknown format '{format}'; formats: table, csv, json, html").format(format=fmt))
    from csdrill.cli.gaps import read_cohort

    cohort = read_cohort(users)
    with open_progress(local) as progress:
        if fmt == "html":
            attempts = progress.attempts(quiz_id=quiz, complete_only=True)
            if cohort is not None:
                attempts = [a for a in attempts if a["user"] in set(cohort)]
            rows = team_report(attempts)
            page = _html_report(progress, rows, attempts, cohort, idle_days, decks)
        else:
            rows = progress.report(quiz)
            if cohort is not None:
                rows = [r for r in rows if r["user"] in set(cohort)]
    columns = ("quiz", "user", "attempts", "latest_score", "latest_passed", "latest_at", "best_score",
               "best_passed", "best_at", "pass_mark")
    if fmt == "html":
        _write_page(page, output)
    elif fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        import csv

        from csdrill.csv_export import as_text_cell

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        # A user name or quiz id is text a spreadsheet must not run as a formula.
        writer.writerows({k: as_text_cell(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
    else:
        from csdrill.ui.console import stdout
        from csdrill.ui.exam_view import rows_table

        shown = ("quiz", "user", "attempts", "latest_score", "latest_passed", "latest_at", "best_score")
        stdout().print(rows_table(_("Exam results: latest and best per user"), rows, shown))


def _html_report(progress, rows, attempts, cohort, idle_days: int, decks) -> str:
    from csdrill.cli.options import load_content
    from csdrill.clock import now_utc
    from csdrill.cohort import build_report
    from csdrill.gaps import rank_gaps
    from csdrill.report_page import render
    from csdrill.store import from_db

    library = load_content(decks).library
    now = now_utc()
    report = build_report(progress, library, rows, attempts, now, from_db, users=cohort, idle_days=idle_days)
    tallies, wrong = progress.card_tallies(None, cohort)
    gaps = rank_gaps(tallies, wrong, library, limit=10)
    return render(report, gaps, library, rows)


def _write_page(page: str, output: Path | None) -> None:
    """Whole or not at all: a half-written report must never replace a good one."""
    if output is None or str(output) == "-":
        sys.stdout.write(page)
        return
    from csdrill.anki.scratch import atomic_write

    try:
        atomic_write(output, page, create_folder=False)
    except OSError as err:
        raise UsageError(_("cannot write {path}: {reason}").format(path=output, reason=err.strerror or err)) from None
    print(_("wrote {path}").format(path=output), file=sys.stderr)
