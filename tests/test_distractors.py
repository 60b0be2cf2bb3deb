"""Generated wrong options: same language and direction as the right one, never a same-meaning phrase."""

from __future__ import annotations

import random
import re

import pytest

from csdrill.content.model import Card
from csdrill.content.problems import Location
from csdrill.drill.items import PRODUCE, RECOGNISE, Item, items_for
from csdrill.drill.questions import make_question

ARABIC = re.compile("[\u0600-\u06ff]")
SEEDS = range(5)


def script(text: str) -> str:
    return "arabic" if ARABIC.search(text) else "latin"


def uae_phrase_questions(library):
    pool = library.market_cards("ae")
    phrases = [card for card in pool if card.kind == "phrase"]
    assert {card.lang for card in phrases} == {"ar", "en"}  # the market this test is about
    for seed in SEEDS:
        rng = random.Random(seed)
        for item in items_for(phrases):
            question = make_question(item, "choice", pool, rng)
            assert question.mode == "choice" and len(question.options) == 4, item.key
            yield question


def test_uae_phrase_options_are_all_in_the_language_of_the_right_answer(builtin_content):
    library = builtin_content.library
    questions = list(uae_phrase_questions(library))
    phrases = [card for card in library.market_cards("ae") if card.kind == "phrase"]
    assert len(questions) == len(SEEDS) * 2 * len(phrases)
    mixed = [(q.item.key, q.answer, q.options) for q in questions
             if {script(option) for option in q.options} != {script(q.answer)}]
    assert mixed == []


def test_uae_recognise_options_are_meanings_of_phrases_in_the_same_language(builtin_content):
    library = builtin_content.library
    meaning_lang = {}
    for card in library.market_cards("ae"):
        if card.kind == "phrase":
            meaning_lang.setdefault(card.meaning, set()).add(card.lang)
    for question in uae_phrase_questions(library):
        if question.item.direction == RECOGNISE:
            langs = {lang for option in question.options for lang in meaning_lang[option]}
            assert langs == {question.item.card.lang}, (question.item.key, question.options)


def test_every_builtin_phrase_option_comes_from_a_phrase_in_the_same_language(builtin_content):
    library = builtin_content.library
    for code, market in library.markets.items():
        if market.pool:
            continue
        pool = library.market_cards(code)
        phrases = [card for card in pool if card.kind == "phrase"]
        rng = random.Random(7)
        for item in items_for(phrases):
            question = make_question(item, "choice", pool, rng)
            field = "text" if item.direction == PRODUCE else "meaning"
            sources = {getattr(card, field): card for card in phrases}
            for option in set(question.options) - {question.answer}:
                other = sources[option]
                assert other.lang == item.card.lang, (code, item.key, other.id)
                assert other.zh != item.card.zh and other.meaning != item.card.meaning, (item.key, other.id)


def phrase(card_id: str, lang: str, text: str, meaning: str, zh: str) -> Card:
    return Card(id=card_id, kind="phrase", deck="zz-phrases", market="zz", topic="phrase",
                location=Location("zz.yaml"), lang=lang, text=text, meaning=meaning, zh=zh)


def test_a_synonym_or_translation_is_never_offered_as_wrong():
    right = phrase("zz-1", "ar", "شكرا لصبرك", "Thank you for your patience.", "感谢您的耐心。")
    pool = [
        right,
        phrase("zz-2", "ar", "نشكرك على صبرك", "We thank you for your patience.", "感谢您的耐心。"),  # same zh
        phrase("zz-3", "ar", "شكرا جزيلا لصبرك", "Thank you for your patience.", "非常感谢您的耐心。"),  # same meaning
        phrase("zz-4", "en", "Thank you for your patience.", "Thanks the customer.", "感谢您的耐心。"),  # translation
        phrase("zz-5", "ar", "نعتذر عن التأخير", "We apologise for the delay.", "抱歉延误了。"),
        phrase("zz-6", "ar", "أرسل رقم الطلب", "Send the order number.", "请发送订单号。"),
        phrase("zz-7", "ar", "طلبك في الطريق", "Your order is on its way.", "您的订单正在路上。"),
    ]
    for direction in (PRODUCE, RECOGNISE):
        for seed in range(20):
            question = make_question(Item(right, direction), "choice", pool, random.Random(seed))
            offered = set(question.options) - {question.answer}
            for same in pool[1:4]:
                assert same.text not in offered and same.meaning not in offered
            assert len(offered) == 3


@pytest.mark.parametrize("direction", [PRODUCE, RECOGNISE])
def test_distractors_are_the_closest_in_length_the_pool_has(direction):
    right = phrase("zz-0", "de", "Danke sehr.", "Thanks a lot.", "多谢。")
    short = [phrase(f"zz-s{n}", "de", f"Gut {n}.", f"Fine {n}.", f"好{n}") for n in range(6)]
    long = [phrase(f"zz-l{n}", "de", f"Wir bitten vielmals um Entschuldigung für die Unannehmlichkeiten {n}.",
                   f"We sincerely apologise for any inconvenience this may have caused you {n}.", f"长{n}")
            for n in range(20)]
    for seed in range(20):
        question = make_question(Item(right, direction), "choice", [right, *long, *short], random.Random(seed))
        offered = set(question.options) - {question.answer}
        assert offered <= {c.text for c in short} | {c.meaning for c in short}, offered
