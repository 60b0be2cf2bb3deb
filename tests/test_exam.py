"""Baseline exams as onboarding teams use them: take one, score it, and let a script read the result."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest

from csdrill.content.loader import load
from csdrill.exam.selection import select_questions
from csdrill.store import Store
from tests.conftest import REPO, ZZ_PHRASES, write

REGULATION = """\
deck: zz-regulation
title: Zedland law
market: zz
topic: regulation
cards:
""" + "".join(f"""\
  - id: zz-reg-{n}
    q: Law question {n}?
    a: Right {n}
    choices: [Right {n}, Wrong {n}, Other {n}]
    source:
      title: Zedland Consumer Act, § {n}
      url: https://example.org/act
      verified: 2026-01-02
""" for n in range(1, 5))

ETIQUETTE = """\
deck: zz-etiquette
title: Zedland etiquette
market: zz
topic: etiquette
cards:
  - id: zz-eti-caps
    statement: Writing in capitals makes a message clearer.
    true: no
    explain: Capitals read as shouting.
  - id: zz-eti-name
    statement: Using the customer's family name is polite.
    true: yes
    explain: Formal address is expected.
"""

SCENARIOS = """\
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
  - id: zz-scn-broken
    situation: The mug arrived broken.
    options: [Offer a replacement or refund, Ask for the shards back, Ignore it]
    best: Offer a replacement or refund
    why: Fix the problem first.
"""

PHRASES = ZZ_PHRASES + """\
  - id: zz-phr-sorry
    lang: de
    text: Es tut uns leid.
    meaning: We are sorry.
    zh: 我们很抱歉。
  - id: zz-phr-notes
    kind: fact
    q: Not a phrase; a fact card without choices.
    a: never asked in an exam
"""

QUIZ = """\
quiz: zz-base
title: Zedland baseline
markets: [zz]
topics: [regulation, etiquette, scenario, phrase]
questions: 6
pass: 80
seed: 7
min_per_topic:
  phrase: 2
  regulation: 1
"""

CHECK_KEYS = {"user", "quiz", "score", "pass_mark", "passed", "taken_at", "by_topic"}


@pytest.fixture
def world(deck_dir, monkeypatch):
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")  # a known world, whatever the built-in decks hold
    write(deck_dir, "reg.yaml", REGULATION)
    write(deck_dir, "eti.yaml", ETIQUETTE)
    write(deck_dir, "scn.yaml", SCENARIOS)
    write(deck_dir, "phr.yaml", PHRASES)
    write(deck_dir, "quiz.yaml", QUIZ)
    return deck_dir


def exam_questions(world, quiz_id="zz-base", seed=None):
    result = load([world], include_builtin=False)
    assert result.problems == []
    quiz = next(q for q in result.quizzes if q.id == quiz_id)
    return select_questions(quiz, result.library, quiz.seed if seed is None else seed)


def answer_lines(questions, wrong=()):
    """What a candidate types in line mode: right answers, except for the question numbers in `wrong`."""
    lines = []
    for number, question in enumerate(questions, 1):
        if question.mode == "choice":
            right = question.correct_index
            pick = (right + 1) % len(question.options) if number in wrong else right
            lines.append(str(pick + 1))
        else:
            lines.append("no idea" if number in wrong else question.answer)
    return "".join(line + "\n" for line in lines)


def check_json(cli, world, *extra):
    result = cli("check", "zz-base", "--decks", str(world), "--json", *extra)
    return result.returncode, json.loads(result.stdout)


def reviews(user="tester"):
    with Store() as store:
        return store.reviews(user)


def attempts(user="tester"):
    with Store() as store:
        return store.attempts(user)


# -- taking the exam ------------------------------------------------------------------------------

def test_line_mode_all_right_passes_and_check_says_so(cli, world):
    questions = exam_questions(world)
    assert len(questions) == 6
    assert sum(q.item.card.topic == "phrase" for q in questions) >= 2
    assert {q.mode for q in questions} == {"choice", "typed"}  # phrases are typed by default

    result = cli("exam", "zz-base", "--decks", str(world), input=answer_lines(questions))
    assert result.returncode == 0, result.stderr
    assert "Score: 100% (6/6 right, pass mark 80%) PASSED" in result.stdout
    assert "Correct" not in result.stdout  # no feedback during the exam

    code, data = check_json(cli, world)
    assert code == 0
    assert set(data) == CHECK_KEYS
    assert (data["user"], data["quiz"], data["score"], data["pass_mark"], data["passed"]) == (
        "tester", "zz-base", 100.0, 80.0, True)
    assert data["by_topic"]["phrase"]["correct"] == data["by_topic"]["phrase"]["total"]
    assert data["taken_at"].startswith(str(datetime.now(UTC).year))


def test_wrong_answers_fail_list_the_missed_and_min_overrides(cli, world):
    questions = exam_questions(world)
    result = cli("exam", "zz-base", "--decks", str(world), "--json", input=answer_lines(questions, wrong={2, 5}))
    assert result.returncode == 1
    data = json.loads(result.stdout)  # with --json stdout is only the result; the exam went to stderr
    assert set(data) >= CHECK_KEYS | {"answers", "missed"}
    assert (data["score"], data["passed"], data["status"]) == (66.7, False, "complete")
    assert [m["number"] for m in data["missed"]] == [2, 5]
    assert [m["answer"] for m in data["missed"]] == [questions[1].answer, questions[4].answer]
    assert len(data["answers"]) == 6 and all("given" in a for a in data["answers"])
    assert "FAILED" in result.stderr and "Missed questions" in result.stderr
    assert f"Right answer: {questions[1].answer}" in result.stderr

    code, data = check_json(cli, world)
    assert (code, data["score"], data["passed"]) == (1, 66.7, False)
    code, data = check_json(cli, world, "--min", "60")
    assert (code, data["pass_mark"], data["passed"]) == (0, 60.0, True)
    assert cli("check", "zz-base", "--decks", str(world), "--min", "70").returncode == 1


def test_near_miss_typed_phrase_counts_and_latest_attempt_decides(cli, world):
    questions = exam_questions(world)
    cli("exam", "zz-base", "--decks", str(world), input=answer_lines(questions, wrong={1, 2, 3}))
    assert check_json(cli, world)[0] == 1
    lines = answer_lines(questions).replace("Vielen Dank für Ihre Geduld.", "vielen dank fur ihre geduld")
    assert "fur ihre" in lines
    again = cli("exam", "zz-base", "--decks", str(world), input=lines)
    assert again.returncode == 0, again.stdout
    code, data = check_json(cli, world)
    assert (code, data["score"]) == (0, 100.0)


def test_check_without_attempt_exits_3_with_null_keys_and_unknown_quiz_exits_2(cli, world):
    code, data = check_json(cli, world)
    assert code == 3
    assert data == {"user": "tester", "quiz": "zz-base", "score": None, "pass_mark": None, "passed": None,
                    "taken_at": None, "by_topic": None}
    plain = cli("check", "zz-base", "--decks", str(world), "--user", "nobody")
    assert plain.returncode == 3 and "nobody has not completed zz-base" in plain.stdout
    unknown = cli("check", "zz-bsae", "--decks", str(world))
    assert unknown.returncode == 2
    assert "unknown quiz 'zz-bsae' (did you mean 'zz-base'?)" in unknown.stderr
    assert cli("exam", "nope", "--decks", str(world), input="").returncode == 2


def spawn(*args):
    return pexpect.spawn(sys.executable, ["-m", "csdrill", *args], env=dict(os.environ, TERM="xterm"),
                         encoding="utf-8", dimensions=(40, 120), timeout=20)


def answer_in_terminal(child, question, right=True):
    if question.mode == "choice":
        pick = question.correct_index if right else (question.correct_index + 1) % len(question.options)
        child.send(str(pick + 1))
        child.send("\r")
    else:
        child.sendline(question.answer if right else "keine Ahnung")


def test_pty_exam_scores_and_records(cli, world):
    questions = exam_questions(world)
    child = spawn("exam", "zz-base", "--decks", str(world))
    for number, question in enumerate(questions, 1):
        child.expect_exact(f"[{number}/6]")
        child.expect_exact(question.prompt)
        answer_in_terminal(child, question, right=number != 3)
    child.expect_exact("83.3%")
    child.expect_exact("(5/6 right, pass mark 80%)")
    child.expect_exact("PASSED")
    child.expect_exact("Missed questions")
    child.expect_exact(questions[2].answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    code, data = check_json(cli, world)
    assert (code, data["score"], data["passed"]) == (0, 83.3, True)
    [attempt] = attempts()
    assert attempt["status"] == "complete" and len(attempt["answers"]) == 6
    assert attempt["quiz_hash"] and attempt["seed"] == 7


def test_ctrl_c_in_terminal_records_incomplete_and_check_still_exits_3(cli, world):
    questions = exam_questions(world)
    child = spawn("exam", "zz-base", "--decks", str(world))
    child.expect_exact("[1/6]")
    answer_in_terminal(child, questions[0])
    child.expect_exact("[2/6]")
    child.sendintr()
    child.expect("interrupted after 1 of 6 questions")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    [attempt] = attempts()
    assert (attempt["status"], attempt["score"], attempt["passed"]) == ("incomplete", None, None)
    assert len(attempt["answers"]) == 1  # saved as it was given
    assert check_json(cli, world)[0] == 3


def test_end_of_input_in_line_mode_records_incomplete(cli, world):
    questions = exam_questions(world)
    two = "".join(answer_lines(questions).splitlines(keepends=True)[:2])
    result = cli("exam", "zz-base", "--decks", str(world), "--json", input=two)
    assert result.returncode == 130
    data = json.loads(result.stdout)
    assert (data["status"], data["score"], data["passed"], len(data["answers"])) == ("incomplete", None, None, 2)
    assert "recorded as incomplete" in result.stderr
    code, check = check_json(cli, world)
    assert code == 3 and check["score"] is None
    history = json.loads(cli("scores", "--json").stdout)
    assert [(r["quiz_id"], r["status"]) for r in history] == [("zz-base", "incomplete")]


# -- the same exam for everyone -------------------------------------------------------------------

def fingerprint(questions):
    return [(q.item.card.id, q.item.direction, q.mode, q.options) for q in questions]


def test_same_seed_same_questions_in_same_order_different_seed_differs(world, tmp_path):
    first, again = exam_questions(world), exam_questions(world)
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(exam_questions(world, seed=8)) != fingerprint(first)

    # File names and order do not matter: the same cards in other files give the same exam.
    moved = tmp_path / "moved"
    for path in sorted(world.iterdir()):
        write(moved, f"z-{path.name}" if path.name != "markets.yaml" else path.name, path.read_text())
    assert fingerprint(exam_questions(moved)) == fingerprint(first)


def test_seed_option_overrides_the_quiz_seed(cli, world):
    def shown(*extra):
        out = cli("exam", "zz-base", "--decks", str(world), *extra, input="").stdout
        return out.split("[1/6]")[1].split("interrupted")[0]  # the question, not the attempt number

    assert shown() == shown("--seed", "7")
    other = exam_questions(world, seed=8)
    assert other[0].prompt in shown("--seed", "8")
    assert "seed 8" in cli("exam", "zz-base", "--decks", str(world), "--seed", "8", input="").stdout


# -- measuring, not training ----------------------------------------------------------------------

def test_exam_answers_do_not_create_reviews_unless_learn(cli, world):
    questions = exam_questions(world)
    cli("exam", "zz-base", "--decks", str(world), input=answer_lines(questions))
    assert reviews() == []
    cli("exam", "zz-base", "--decks", str(world), "--learn", input=answer_lines(questions, wrong={1}))
    logged = reviews()
    assert len(logged) == 6
    assert {r.card_id for r in logged} == {q.item.card.id for q in questions}
    assert sorted(r.rating for r in logged)[0] == 1  # the wrong answer is an Again


def test_time_limit_ends_the_exam_and_unanswered_count_as_wrong(world):
    from dataclasses import replace

    from csdrill.drill.questions import grade_choice, grade_typed_answer
    from csdrill.exam.runner import run_exam

    result = load([world], include_builtin=False)
    quiz = replace(result.quizzes[0], time_limit=5)
    questions = select_questions(quiz, result.library, quiz.seed)
    start = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    now = {"t": start}

    def ask(number, question):  # each answer takes two minutes
        now["t"] += timedelta(minutes=2)
        if question.mode == "choice":
            return grade_choice(question, question.correct_index)
        return grade_typed_answer(question, question.answer)

    with Store() as store:
        attempt = run_exam(quiz, questions, store=store, user="tester", seed=quiz.seed,
                           clock=lambda: now["t"], ask=ask)
        [stored] = store.attempts("tester")
    # Answers at 2 and 4 minutes count; the one at 6 minutes is past the 5-minute limit.
    assert attempt.timed_out
    assert [a.given is not None for a in attempt.answers] == [True, True, False, False, False, False]
    assert attempt.result.score == 33.3 and not attempt.result.passed
    assert (stored["status"], stored["score"]) == ("complete", 33.3)


# -- quiz files -----------------------------------------------------------------------------------

BROKEN_QUIZ = """\
quiz: zz-broken
title: Broken
markets: [zz, zzz]
topics: [regulation, etiqette]
cards: [zz-reg-1, zz-nope, zz-phr-notes]
questions: 0
pass: 120
min_per_topic: {regulation: 9}
pas: 80
"""


def quiz_problems(world, text, name="broken.yaml"):
    write(world, name, text)
    return [str(p) for p in load([world], include_builtin=False).problems]


def test_lint_reports_each_quiz_problem_with_its_location(cli, world):
    found = quiz_problems(world, BROKEN_QUIZ)
    where = str(world / "broken.yaml")
    expected = [
        f"{where}:3:15: unknown market 'zzz' (did you mean 'zz'?)",
        f"{where}:4:22: unknown topic 'etiqette' (did you mean 'etiquette'?)",
        f"{where}:5:19: unknown card id 'zz-nope'",
        f"{where}:5:28: card 'zz-phr-notes' cannot be graded automatically",
        f"{where}:6:12: 'questions' must be between 1 and 10000, not 0",
        f"{where}:7:7: 'pass' must be between 1 and 100, not 120",
        f"{where}:8:29: at least 9 regulation questions asked, but only 4",
        f"{where}:9:1: unknown key 'pas' in quiz 'zz-broken' (did you mean 'pass'?)",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in found), (line, found)

    result = cli("lint", str(world / "broken.yaml"), "--decks", str(world))
    assert result.returncode == 1
    assert f"{where}:9:1: unknown key 'pas'" in result.stdout


def test_lint_counts_against_gradable_cards_minimums_and_duplicates(world):
    too_many = QUIZ.replace("quiz: zz-base", "quiz: zz-big").replace("questions: 6", "questions: 11")
    [problem] = quiz_problems(world, too_many, "big.yaml")
    assert problem.endswith("big.yaml:5:12: quiz 'zz-big' asks 11 questions but only 10 cards can be graded "
                            "automatically (cards with choices, true/false, scenarios, phrases)")
    (world / "big.yaml").unlink()

    over = QUIZ.replace("quiz: zz-base", "quiz: zz-over").replace("questions: 6", "questions: 2")
    [problem] = quiz_problems(world, over, "over.yaml")
    assert "over.yaml:9:3: the per-topic minimums add up to 3, more than the 2 questions" in problem
    (world / "over.yaml").unlink()

    [problem] = quiz_problems(world, QUIZ, "again.yaml")
    assert ":1:7: quiz id 'zz-base' is already used at" in problem
    assert "again.yaml:1:7" in problem and "quiz.yaml:1:7" in problem


# -- the shipped quizzes --------------------------------------------------------------------------

SHIPPED = sorted((REPO / "quizzes").glob("*.yaml"))


def test_every_market_has_a_baseline_quiz():
    names = {p.name for p in SHIPPED}
    for code in ("de", "fr", "es", "it", "uk", "us", "mx", "br", "jp", "sa", "ae", "id"):
        assert f"onboarding-{code}.yaml" in names
    assert "fundamentals.yaml" in names


@pytest.fixture(scope="module")
def builtin():
    return load(include_builtin=True)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_quiz_lints_clean_and_draws_its_questions(path, builtin):
    # Match by file name: an installed (non-editable) csdrill reads its own copy inside the wheel.
    shown = [p for p in builtin.problems if Path(p.location.path).name == path.name]
    quiz = next((q for q in builtin.quizzes if Path(q.path).name == path.name), None)
    missing = [code for code in (quiz.markets if quiz else ())
               if not any(card.market == code for card in builtin.library.cards.values())
               and not builtin.library.markets[code].pool]
    if missing:
        pytest.skip(f"the decks of market {', '.join(missing)} are not in decks/ yet")
    assert shown == [], "\n".join(map(str, shown))
    assert quiz is not None
    assert quiz.pass_mark == 80 and quiz.seed is not None
    questions = select_questions(quiz, builtin.library, quiz.seed)
    assert len(questions) == quiz.questions
    assert len({q.item.card.id for q in questions}) == quiz.questions
    for topic, minimum in quiz.min_per_topic.items():
        assert sum(q.item.card.topic == topic for q in questions) >= minimum
