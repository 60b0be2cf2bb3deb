"""A near miss shows where the typed answer differs: marked characters, readable with and without colour."""

from __future__ import annotations

import os
import random
import re
import sys

import pexpect
from rich.console import Console

from csdrill.content.model import Card
from csdrill.content.problems import Location
from csdrill.drill.items import PRODUCE, Item
from csdrill.drill.questions import grade_typed_answer, make_question
from csdrill.ui.answer_diff import answer_diff
from csdrill.ui.quiz_view import show_feedback
from tests.conftest import ZZ_PHRASES, write


def plain(typed: str, expected: str) -> tuple[str, str] | None:
    lines = answer_diff(typed, expected)
    return None if lines is None else (lines[0].plain, lines[1].plain)


def test_a_changed_letter_is_bracketed_on_both_lines():
    assert plain("Bitte entschuldigen Sie die Verzogerung", "Bitte entschuldigen Sie die Verzögerung.") == (
        "Bitte entschuldigen Sie die Verz[o]gerung", "Bitte entschuldigen Sie die Verz[ö]gerung.")


def test_a_missing_letter_shows_a_caret_where_it_belongs():
    assert plain("Vielen Dank fr Ihre Geduld", "Vielen Dank für Ihre Geduld.") == (
        "Vielen Dank f[‸]r Ihre Geduld", "Vielen Dank f[ü]r Ihre Geduld.")


def test_an_extra_letter_is_marked_in_what_was_typed():
    assert plain("Vielen Danke für Ihre Geduld", "Vielen Dank für Ihre Geduld.") == (
        "Vielen Dank[e] für Ihre Geduld", "Vielen Dank für Ihre Geduld.")


def test_what_grading_ignores_is_never_marked():
    # Punctuation, case, spacing, ae for ä and the spelling variants 頂き/いただき, 問合せ/問い合わせ.
    assert plain("vielen dank fuer ihre geduld", "Vielen Dank für Ihre Geduld.") == (
        "vielen dank fuer ihre geduld", "Vielen Dank für Ihre Geduld.")
    assert plain("お問合せ頂き誠にありがとうごさいます", "お問い合わせいただき、誠にありがとうございます。") == (
        "お問合せ頂き誠にありがとうご[さ]います", "お問い合わせいただき、誠にありがとうご[ざ]います。")


def test_arabic_and_spanish_marks():
    assert plain("نعتذر عن تاخر وصول طلبك", "نعتذر عن تأخر وصول طلبك.") == (
        "نعتذر عن ت[ا]خر وصول طلبك", "نعتذر عن ت[أ]خر وصول طلبك.")
    assert plain("Podria enviarnos el numero", "¿Podría enviarnos el número?") == (
        "Podr[i]a enviarnos el n[u]mero", "¿Podr[í]a enviarnos el n[ú]mero?")


def test_digits_are_compared_by_value_and_a_wrong_one_is_marked():
    assert plain("خلال ٤٧ ساعة", "خلال 48 ساعة") == ("خلال ٤[٧] ساعة", "خلال 4[8] ساعة")


def test_an_answer_unlike_the_right_one_is_not_marked_letter_by_letter():
    assert answer_diff("keine Ahnung", "Bitte entschuldigen Sie die Verzögerung.") is None


def test_marked_letters_are_styled_for_colour_terminals():
    typed, expected = answer_diff("Verzogerung", "Verzögerung")
    assert [(typed.plain[s.start:s.end], str(s.style)) for s in typed.spans if "underline" in str(s.style)] \
        == [("o", "bold red underline")]
    assert [(expected.plain[s.start:s.end], str(s.style)) for s in expected.spans
            if "underline" in str(s.style)] == [("ö", "bold green underline")]
    console = Console(width=80, force_terminal=True, color_system="standard", record=True)
    console.print(typed)
    assert "\x1b[" in console.export_text(styles=True)


def phrase_card(text: str, meaning: str) -> Card:
    return Card(id="zz-phr-1", kind="phrase", deck="zz-phrases", market="zz", topic="phrase",
                location=Location("zz.yaml", 1, 1), lang="de", text=text, meaning=meaning, zh="谢谢")


def feedback(typed: str) -> str:
    card = phrase_card("Vielen Dank für Ihre Geduld.", "Thank you for your patience.")
    question = make_question(Item(card, PRODUCE), "typed", [card], random.Random(1))
    console = Console(width=80, record=True, no_color=True)
    show_feedback(console, question, grade_typed_answer(question, typed), "in 10 minutes")
    return console.export_text()


def test_quiz_feedback_for_a_near_miss_shows_the_marked_lines():
    screen = feedback("Vielen Dank fur Ihre Geduld")
    assert "≈ almost right, counted as Hard." in screen
    assert "You typed: Vielen Dank f[u]r Ihre Geduld" in screen
    assert "Answer:    Vielen Dank f[ü]r Ihre Geduld." in screen


def test_quiz_feedback_for_a_close_wrong_answer_shows_where_too():
    screen = feedback("Vielen Dnk fur Ihre Gedult")
    assert "✗ Not quite." in screen
    assert "You typed: Vielen D[‸]nk f[u]r Ihre Gedul[t]" in screen


def test_quiz_feedback_for_an_exact_answer_marks_nothing():
    screen = feedback("vielen dank fuer ihre geduld")
    assert "✓ Correct" in screen
    assert "You typed" not in screen


PHRASE_DECK = ZZ_PHRASES


def test_pty_near_miss_marks_the_letter_in_colour_at_80_columns(deck_dir, monkeypatch):
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")
    write(deck_dir, "phr.yaml", PHRASE_DECK)
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}

    def quiz(*args):
        return pexpect.spawn(sys.executable, ["-m", "csdrill", "quiz", "--market", "zz", "--decks", str(deck_dir),
                                              "--topic", "phrase", *args],
                             env={**env, "TERM": "xterm-256color", "COLUMNS": "80"}, encoding="utf-8",
                             dimensions=(30, 80), timeout=20)

    child = quiz("--mode", "flash")  # day 1 recognises the phrase; producing it comes next
    child.expect("Press")
    child.send("\r")
    child.expect("How well did you know it")
    child.send("3")
    child.send("\r")
    child.expect(pexpect.EOF)

    child = quiz("--mode", "typed")
    child.expect("Say it in de")
    child.sendline("Vielen Dank fur Ihre Geduld")
    child.expect("You typed:")
    child.expect("Answer:")
    child.expect("Geduld")
    screen = child.before
    child.expect(pexpect.EOF)
    # The ü is in brackets and styled (bold, underlined, green): visible with or without colour.
    sgr = r"(\x1b\[[0-9;]*m)*"
    assert re.search(f"f{sgr}\\[{sgr}ü{sgr}\\]{sgr}r Ihre", screen), screen
    assert "\x1b[1;4;32mü" in screen  # bold, underlined, green
