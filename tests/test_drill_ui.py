"""The drill as a learner meets it: every option readable, keys that do what they say, missed
cards that come back, fair limits, and an exam review that teaches."""

from __future__ import annotations

import io
import json
import os
import re
import sys

import pexpect
import pytest
from rich.console import Console

from csdrill.store import Store
from csdrill.ui.quiz_view import options_view
from tests.conftest import ZZ_PHRASES, write

MARKETS = """\
markets:
  - code: zz
    name: Zedland
    languages: [de]
    includes: [pool1]
  - code: yy
    name: Yland
    languages: [de]
    includes: [pool1]
  - code: pool1
    name: Shared pool
    languages: [en]
    pool: true
"""

LONG = [
    "Apologise sincerely for the delay, explain that the parcel left our warehouse on Monday and is now "
    "with the regional carrier, give the tracking link and the new delivery window of Thursday or Friday, "
    "and offer to refund the shipping fee at once if it has not arrived by Saturday evening, then follow "
    "up yourself on Monday morning without waiting for the customer to write again",
    "Tell the customer that delays happen during the holiday season and that the carrier is responsible for "
    "anything that happens after the parcel leaves our warehouse, suggest contacting the carrier's hotline "
    "directly with the tracking number, and close the ticket so that the queue statistics stay green for "
    "the weekly report that management reads every Friday afternoon",
    "Promise a full refund and a voucher for the next order straight away without checking where the parcel "
    "is, because customers who complain loudly should always be calmed down first whatever it costs, and "
    "note in the ticket that the refund was approved by the team lead even though nobody has asked the team "
    "lead about it yet and there is no policy that allows it",
]
assert all(len(option) >= 300 for option in LONG)

SCENARIO = f"""\
deck: zz-long
title: Zedland long scenario
market: zz
topic: scenario
cards:
  - id: zz-scn-long
    situation: "A parcel is five days late and the customer writes: [bold]WHERE IS IT[/]"
    options:
{''.join(f'      - "{option}"' + chr(10) for option in LONG)}    best: "{LONG[0]}"
    why: A concrete date and a fallback restore trust.
"""

FACTS = """\
deck: zz-facts
title: Zedland facts
market: zz
topic: regulation
cards:
""" + "".join(f"""\
  - id: zz-reg-{n}
    q: Law question {n}?
    a: Right {n}
    choices: [Right {n}, Wrong {n}, Other {n}]
    explain: Because of paragraph {n}.
    source:
      title: Zedland Consumer Act, § 1
      url: https://example.org/act
      verified: 2026-01-02
""" for n in range(1, 4))

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
"""

PHRASES = ZZ_PHRASES + """\
    explain: The standard close after a delay.
  - id: zz-phr-sorry
    lang: de
    text: Es tut uns leid.
    meaning: We are sorry.
    zh: 我们很抱歉。
"""

POOL = """\
deck: pool1-skills
title: Shared skills
market: pool1
topic: skill
cards:
""" + "".join(f"""\
  - id: pool1-skl-{n}
    q: Skill question {n}?
    a: Skill {n}
    choices: [Skill {n}, Not {n}]
""" for n in range(1, 4))

YY = """\
deck: yy-facts
title: Yland facts
market: yy
topic: regulation
cards:
  - id: yy-reg-1
    q: Yland question?
    a: Yes
    choices: ["Yes", "No"]
    source:
      title: Zedland Consumer Act, § 1
      url: https://example.org/act
      verified: 2026-01-02
"""

QUIZ = """\
quiz: zz-long
title: Zedland long
markets: [zz]
topics: [scenario, phrase]
questions: 2
pass: 100
seed: 3
min_per_topic:
  scenario: 1
  phrase: 1
"""

NOW = {"CSDRILL_NOW": "2026-05-04T09:00:00+00:00"}
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78])")


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")
    folder = tmp_path / "decks"
    write(folder, "markets.yaml", MARKETS)
    write(folder, "long.yaml", SCENARIO)
    write(folder, "facts.yaml", FACTS)
    write(folder, "eti.yaml", ETIQUETTE)
    write(folder, "phr.yaml", PHRASES)
    write(folder, "pool.yaml", POOL)
    write(folder, "yy.yaml", YY)
    write(folder, "quiz.yaml", QUIZ)
    return folder


def reviews(user="tester"):
    with Store() as store:
        return store.reviews(user)


def spawn(*args, columns=80, rows=24, env=None):
    """The real CLI in a pseudo-terminal of this size (COLUMNS unset, so Rich asks the terminal)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environment.update(TERM="xterm", **(env or {}))
    return pexpect.spawn(sys.executable, ["-m", "csdrill", *args], env=environment, encoding="utf-8",
                         dimensions=(rows, columns), timeout=20)


def screen_text(raw: str) -> str:
    return ANSI.sub("", raw).replace("\r", "")


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def assert_every_word_shown(text: str, options) -> None:
    words = set(re.findall(r"\S+", text))
    for option in options:
        missing = [word for word in option.split() if word not in words]
        assert not missing, f"not on screen: {missing}"


def assert_fits(text: str, columns: int) -> None:
    from rich.cells import cell_len

    too_wide = [line for line in text.splitlines() if cell_len(line) > columns]
    assert not too_wide, too_wide


# -- every option readable ---------------------------------------------------------------------------

def test_pty_quiz_at_80_columns_shows_every_word_of_300_character_options(world):
    child = spawn("quiz", "--market", "zz", "--decks", str(world), "--topic", "scenario")
    child.expect_exact("Your answer:")
    shown = screen_text(child.before)
    assert "[bold]WHERE IS IT[/]" in shown  # card text is literal, never markup
    assert_every_word_shown(shown, LONG)
    assert_fits(shown, 80)
    number = re.search(r"(\d)\) Apologise sincerely", shown).group(1)
    child.send(number)  # a number key answers at once, no Enter
    child.expect_exact("Correct")
    assert finish(child) == 0
    assert [(r.card_id, r.rating) for r in reviews()] == [("zz-scn-long", 3)]


def test_pty_exam_at_80_columns_shows_every_word_and_esc_stops_it(world):
    from csdrill.content.loader import load
    from csdrill.exam.selection import select_questions

    content = load([world], include_builtin=False)
    quiz = next(q for q in content.quizzes if q.id == "zz-long")
    questions = select_questions(quiz, content.library, quiz.seed)
    child = spawn("exam", "zz-long", "--decks", str(world))
    for number, question in enumerate(questions, 1):
        child.expect_exact(f"[{number}/2]")
        if question.mode == "choice":
            child.expect_exact("Your answer:")
            shown = screen_text(child.before)
            assert_every_word_shown(shown, LONG)
            assert_fits(shown, 80)
            child.send(str(question.correct_index + 1))
        else:
            child.expect_exact(question.prompt)
            child.send("\x1b")  # Esc ends the exam like Ctrl-C
            break
    child.expect("interrupted after \\d of 2 questions")
    assert finish(child) == 130
    with Store() as store:
        [attempt] = store.attempts("tester")
    assert attempt["status"] == "incomplete"


def test_pty_question_taller_than_the_screen_is_paged_not_cut(world):
    child = spawn("quiz", "--market", "zz", "--decks", str(world), "--topic", "scenario", rows=12)
    child.expect_exact("— more")
    shown = screen_text(child.before)
    assert "WHERE IS IT" in shown and "Your answer:" not in shown
    pages = 1
    while True:
        child.send(" ")
        last = child.expect_exact(["— more", "Your answer:"])
        shown += screen_text(child.before)
        pages += 1
        if last == 1:
            break
    assert pages >= 2
    assert_every_word_shown(shown, LONG)
    child.send("q")
    assert finish(child) == 130


def builtin_choice_questions():
    from datetime import date

    from csdrill.content.loader import load

    library = load(today=date.today()).library
    for card in library.cards.values():
        if card.kind == "scenario":
            yield card.id, tuple(card.options)
        elif card.choices:
            yield card.id, tuple(card.choices)


@pytest.mark.parametrize("width", [80, 40])
def test_every_builtin_scenario_and_choice_card_keeps_all_option_text(width, monkeypatch):
    monkeypatch.delenv("CSDRILL_BUILTIN", raising=False)
    questions = list(builtin_choice_questions())
    assert len(questions) > 144  # every scenario, and the cards with choices
    for card_id, options in questions:
        out = io.StringIO()
        Console(file=out, width=width, color_system=None, force_terminal=False).print(options_view(options))
        text = out.getvalue()
        assert_fits(text, width)
        squeezed = re.sub(r"\s+", "", text)
        for number, option in enumerate(options, 1):
            assert f"{number})" + re.sub(r"\s+", "", option) in squeezed, (card_id, number)


def test_option_continuation_lines_hang_under_the_text_not_the_number():
    out = io.StringIO()
    Console(file=out, width=40, color_system=None).print(options_view(("word " * 20, "short")))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(" 1) word")
    assert all(line.startswith("    word") for line in lines[1:-1])
    assert lines[-1] == " 2) short"


# -- keys -------------------------------------------------------------------------------------------

def test_pty_enter_after_a_number_key_does_not_answer_the_next_card_and_q_stops(world):
    child = spawn("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation", "--mode", "choice",
                  env=NOW)
    child.expect(r"(\d)\) Right \d")
    child.expect_exact("Your answer:")
    child.send("1")
    child.send("\r")  # the habitual Enter after the number
    child.expect_exact("[2/3]")
    child.expect_exact("Your answer:")
    child.send("q")
    child.expect_exact("interrupted")
    child.expect_exact("saved 1 answer")
    assert finish(child) == 130
    assert len(reviews()) == 1


def test_pty_rating_prompt_takes_a_number_key_and_esc_stops(world):
    child = spawn("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation", "--mode", "flash",
                  env=NOW)
    child.expect_exact("Press any key")
    child.send(" ")
    child.expect_exact("How well did you know it?")
    child.send("4")
    child.expect_exact("[2/3]")
    child.expect_exact("Press any key")
    child.send("\x1b")
    child.expect_exact("saved 1 answer")
    assert finish(child) == 130
    assert [r.rating for r in reviews()] == [4]


def test_pty_learn_more_needs_enter_and_y_then_enter_does_not_answer_a_card(world, cli):
    args = ("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation", "--mode", "choice",
            "--new", "1")
    assert cli(*args, input="1\n1\n", env=NOW).returncode == 0  # may be asked again if missed
    before = len(reviews())
    child = spawn(*args, env={"CSDRILL_NOW": "2026-05-04T09:00:30+00:00"})
    child.expect_exact("Learn 1 more now?")
    child.send("y")  # questionary took this without Enter, and the Enter answered the card
    child.send("\r")
    child.expect_exact("[1/1]")
    child.expect_exact("Your answer:")
    child.send("q")
    child.expect_exact("saved 0 answers")
    assert finish(child) == 130
    assert len(reviews()) == before


def test_pty_typed_true_false_understands_other_languages_and_asks_again(world):
    child = spawn("quiz", "--market", "zz", "--decks", str(world), "--topic", "etiquette", "--mode", "typed")
    child.expect_exact("Writing in capitals")
    child.sendline("maybe")
    child.expect_exact("Please answer true or false")
    child.sendline("错")
    child.expect_exact("Correct")
    assert finish(child) == 0
    assert [(r.mode, r.rating) for r in reviews()] == [("typed", 3)]


@pytest.mark.parametrize("word,right", [("wahr", False), ("falsch", True), ("2", True), ("非", None)])
def test_line_mode_true_false_words(world, cli, word, right):
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "etiquette", "--mode", "typed",
                 input=f"{word}\n")
    if right is None:
        assert result.returncode == 2
        assert f"input line 1: '{word}' is neither true nor false" in result.stderr
        assert reviews() == []
    else:
        assert result.returncode == 0, result.stderr
        assert [r.rating for r in reviews()][:1] == [3 if right else 1]


# -- relearning -------------------------------------------------------------------------------------

def test_line_mode_missed_card_comes_back_in_the_same_session(world, cli):
    # Flashcards: Enter reveals, then a rating. The first card is failed (1), the others known (3).
    script = "\n1\n" + "\n3\n" * 3
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "regulation", "--mode", "flash",
                 "--limit", "3", input=script, env=NOW)
    assert result.returncode == 0, result.stderr
    log = reviews()
    assert len(log) == 4
    first = log[0].card_id
    assert [r.card_id for r in log].count(first) == 2
    assert [r.rating for r in log if r.card_id == first] == [1, 3]
    assert "again: you missed this one earlier in this session" in result.stdout
    assert re.search(r"missed and relearned\s*│\s*1", result.stdout)
    assert re.search(r"reviewed\s*│\s*3", result.stdout)
    assert "saved 4 answers" in result.stdout


def test_session_queue_asks_a_due_miss_before_the_next_planned_card():
    from datetime import UTC, datetime, timedelta

    from csdrill.content.model import Card
    from csdrill.drill.items import RECALL, Item
    from csdrill.drill.queue import SessionQueue

    items = [Item(Card(id=f"c{n}", kind="fact", deck="d", market="zz", topic="skill", location=None, q="q",
                       a="a"), RECALL) for n in range(3)]
    now = datetime(2026, 5, 4, 9, tzinfo=UTC)
    queue = SessionQueue(items)
    first = queue.next(now)
    queue.answered(first.item, True, now + timedelta(minutes=1))
    second = queue.next(now)
    assert (second.item, second.again) == (items[1], False)
    queue.answered(second.item, False, now + timedelta(days=1))
    again = queue.next(now + timedelta(minutes=2))  # the miss is due: before the third card
    assert (again.item, again.again, again.number) == (items[0], True, 1)
    queue.answered(again.item, True, now + timedelta(days=1))
    third = queue.next(now + timedelta(minutes=2))
    queue.answered(third.item, True, now + timedelta(hours=1))  # beyond the learn-ahead window
    assert queue.next(now + timedelta(minutes=2)) is None


# -- typed mode, limits -------------------------------------------------------------------------------

def test_mode_typed_asks_phrase_production_from_the_first_card(world, cli):
    result = cli("quiz", "--market", "zz", "--decks", str(world), "--topic", "phrase", "--mode", "typed",
                 input="Vielen Dank für Ihre Geduld.\nEs tut uns leid\n", env=NOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Say it in de:") >= 2
    assert {(r.direction, r.mode) for r in reviews()} == {("produce", "typed")}


def test_new_card_limit_counts_per_market_and_the_offer_honours_it(world, cli):
    def drill(market, env=NOW, answers="\n3\n" * 2):  # reveal, then Good: nothing comes back today
        return cli("quiz", "--market", market, "--decks", str(world), "--topic", "skill", "--topic",
                   "regulation", "--mode", "flash", "--new", "2", input=answers, env=env)

    first = drill("zz")
    assert "[2/2]" in first.stdout and "[3/" not in first.stdout
    introduced_in_zz = {r.card_id for r in reviews()}
    # Two new cards in zz leave Yland's allowance untouched.
    second = drill("yy", env={"CSDRILL_NOW": "2026-05-04T09:05:00+00:00"})
    assert "[2/2]" in second.stdout, second.stdout
    introduced_in_yy = {r.card_id for r in reviews()} - introduced_in_zz
    assert len(introduced_in_yy) == 2
    # A pool card introduced in zz counts for zz, not for yy: zz has met its two for today.
    third = drill("zz", env={"CSDRILL_NOW": "2026-05-04T09:06:00+00:00"}, answers="y\n" + "\n3\n" * 2)
    assert "You have met today's 2 new cards for this market. Learn 2 more now?" in third.stdout
    assert "[2/2]" in third.stdout and "[3/" not in third.stdout


# -- line mode errors, exam review ------------------------------------------------------------------

def exam_questions(world):
    from csdrill.content.loader import load
    from csdrill.exam.selection import select_questions

    content = load([world], include_builtin=False)
    quiz = next(q for q in content.quizzes if q.id == "zz-long")
    return select_questions(quiz, content.library, quiz.seed)


def test_exam_line_mode_unusable_line_exits_2_naming_the_line(world, cli):
    questions = exam_questions(world)
    first_choice = next(n for n, q in enumerate(questions, 1) if q.mode == "choice")
    typed_before = "Vielen Dank\n" * (first_choice - 1)
    result = cli("exam", "zz-long", "--decks", str(world), input=typed_before + "four\n1\n")
    assert result.returncode == 2
    assert f"input line {first_choice}: 'four' is not a number from 1 to 3" in result.stderr
    with Store() as store:
        [attempt] = store.attempts("tester")
    assert attempt["status"] == "incomplete" and len(attempt["answers"]) == first_choice - 1


def test_exam_review_shows_context_right_answer_and_explanation(world, cli):
    questions = exam_questions(world)
    wrong = "".join("no idea\n" if q.mode == "typed" else f"{(q.correct_index + 1) % 3 + 1}\n" for q in questions)
    result = cli("exam", "zz-long", "--decks", str(world), "--json", input=wrong)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert len(data["missed"]) == 2
    review = re.sub(r"\s+", " ", result.stderr.split("Missed questions")[1])
    [phrase] = [a for a in data["missed"] if a["topic"] == "phrase"]
    assert phrase["hint"] == "Say it in de:"
    assert f"Say it in de: {phrase['question']}" in review
    assert f"Your answer: no idea Right answer: {phrase['answer']}" in review
    if phrase["card_id"] == "zz-phr-patience":
        assert "Why: The standard close after a delay." in review
    assert f"Right answer: {LONG[0]}" in review
    assert "Why: A concrete date and a fallback restore trust." in review


# -- the key prompts themselves, fed through prompt_toolkit's pipe input ------------------------------

def keys_into(prompt, keys: str):
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            return prompt()


FOUR = ("first", "second", "third", "fourth")


@pytest.mark.parametrize("keys,picked", [
    ("3", 2),  # a number answers at once
    ("\r\r2", 1),  # a bare Enter does nothing
    ("\x1b[B\x1b[B\r", 1),  # down, down, Enter
    ("\x1b[A\r", 3),  # up from nothing wraps to the last
    ("9\r4", 3),  # a number with no option is ignored
])
def test_choice_keys(keys, picked):
    from csdrill.ui.keys import KeyPrompts

    assert keys_into(lambda: KeyPrompts().choose(FOUR), keys) == picked


@pytest.mark.parametrize("keys", ["q", "\x1b", "\x03"])
def test_q_esc_and_ctrl_c_stop_a_choice(keys):
    from csdrill.ui.keys import KeyPrompts

    with pytest.raises(KeyboardInterrupt):
        keys_into(lambda: KeyPrompts().choose(FOUR), keys)


def test_ten_or_more_options_take_the_number_then_enter():
    from csdrill.ui.keys import KeyPrompts

    twelve = tuple(f"option {n}" for n in range(1, 13))
    assert keys_into(lambda: KeyPrompts().choose(twelve), "12\r") == 11
    assert keys_into(lambda: KeyPrompts().choose(twelve), "3\r") == 2


def test_rating_by_number_and_typed_answer_ignores_an_empty_enter():
    from csdrill.ui.keys import KeyPrompts

    assert keys_into(lambda: KeyPrompts().rate(), "\r1") == 1
    assert keys_into(lambda: KeyPrompts().typed(""), "\r\rVielen Dank\r") == "Vielen Dank"
    with pytest.raises(KeyboardInterrupt):
        keys_into(lambda: KeyPrompts().typed(""), "abc\x1b")


@pytest.mark.parametrize("keys,agreed", [("y\r", True), ("是\r", True), ("\r", False), ("n\r", False)])
def test_learn_more_question_needs_enter(keys, agreed):
    from csdrill.ui.keys import KeyPrompts

    assert keys_into(lambda: KeyPrompts().confirm("Learn 10 more now?"), keys) is agreed


def test_true_false_asks_again_until_it_understands(capsys):
    from csdrill.ui.keys import KeyPrompts

    assert keys_into(lambda: KeyPrompts().true_or_false(""), "maybe\r对\r") is True
    assert capsys.readouterr().out.count("Please answer true or false") == 1
    assert keys_into(lambda: KeyPrompts().true_or_false(""), "faux\r") is False


def test_enter_right_after_a_number_key_does_not_reveal_the_next_flashcard(monkeypatch):
    from csdrill.ui import keys

    monkeypatch.setattr(keys, "HABIT_ENTER", 3600)  # "right after", however slow the machine
    assert keys_into(lambda: keys.KeyPrompts().choose(FOUR), "2") == 1
    assert keys_into(lambda: keys.press_a_key("Press any key"), "\rx") == "x"
    monkeypatch.setattr(keys, "_number_answered_at", float("-inf"))  # long after: Enter reveals
    assert keys_into(lambda: keys.press_a_key("Press any key"), "\r") == "\r"


def test_first_answers_without_a_market_count_for_the_markets_whose_cards_they_are():
    from datetime import UTC, datetime

    from csdrill.drill.scheduling import Scheduler
    from csdrill.store import Review

    now = datetime(2026, 5, 4, 9, tzinfo=UTC)
    with Store() as store:
        for card_id, market in (("pool1-skl-1", "zz"), ("pool1-skl-2", None), ("yy-reg-1", "yy")):
            review = Review("tester", card_id, "recall", 3, "choice", now, 1000, "new")
            store.record_review(review, Scheduler().review(None, 3, now), market)
        zz_keys = {("pool1-skl-1", "recall"), ("pool1-skl-2", "recall")}
        assert store.introduced_in_market("tester", now, "zz", zz_keys) == zz_keys
        assert store.introduced_in_market("tester", now, "yy", {("yy-reg-1", "recall")}) == {("yy-reg-1", "recall")}
