"""Issue 14 §3: the law and phrases agents meet daily are in the built-in decks, and drill well."""

from __future__ import annotations

import re
from datetime import date

import pytest

from csdrill.answers import grade_typed
from csdrill.content.loader import load

PLACEHOLDER = re.compile(r"\[[^\]]+\]")
NEW_TAGS = ("partial-refund", "polite-no", "holiday", "address")
# A meaning that describes the phrase ("Politely asks for ...") instead of asking for it.
DESCRIPTIVE = re.compile(
    r"^(Politely |Calmly )?(Asks|Offers|Confirms|Tells|Explains|Apologi[sz]es|Thanks|Gives|Promises|Shares|"
    r"Invites|Warns|Lets|Acknowledges|Signals|Checks|States|Introduces|Reassures|Points|Advises|Formal|"
    r"Friendly|Standard|Warm|Seasonal|Closing|Polite|Proactive|Hand-over|Tracking update|Escalation|Apology)\b"
)
NEW_REGULATION = (
    "eu-reg-prior-price-30-days",
    "eu-reg-repair-extension-12-months",
    "eu-reg-gpsr-responsible-person",
    "eu-reg-eaa-ecommerce",
    "eu-reg-gdpr-representative-non-eu",
    "eu-reg-myth-commercial-guarantee-replaces-legal",
    "us-reg-ftc-reviews-incentive",
    "us-reg-ftc-reviews-insider",
    "mx-reg-77-garantia-minima",
    "it-reg-54bis-funzione-recesso",
)


@pytest.fixture(scope="module")
def library():
    result = load(include_builtin=True)
    assert result.problems == [], "\n".join(map(str, result.problems))
    return result.library


def phrase_markets(library):
    return sorted({card.market for card in library.cards.values() if card.kind == "phrase"})


def test_new_phrase_cards_carry_chinese_meaning_and_their_tags(library):
    new = [c for c in library.cards.values() if c.kind == "phrase" and set(c.tags) & set(NEW_TAGS)]
    assert len(new) >= 30
    bad = [c.id for c in new if not (c.zh and c.meaning and c.lang and c.text)]
    assert bad == []


@pytest.mark.parametrize("tag", ["partial-refund", "polite-no"])
def test_every_market_with_phrases_can_offer_a_partial_refund_and_say_no(library, tag):
    markets = phrase_markets(library)
    assert len(markets) >= 12
    missing = []
    for market in markets:
        languages = {lang.split("-")[0] for lang in library.markets[market].languages}
        cards = [c for c in library.cards.values()
                 if c.kind == "phrase" and c.market == market and tag in c.tags]
        if not any(c.lang.split("-")[0] in languages for c in cards):
            missing.append(market)
    assert missing == [], f"no {tag} phrase in the market's language: {missing}"


def test_placeholders_in_a_phrase_also_appear_in_its_meaning(library):
    """A typed drill can only be answered if the prompt names the same slots as the answer."""
    bad = []
    for card in library.cards.values():
        if card.kind != "phrase":
            continue
        if PLACEHOLDER.search(card.text) and not PLACEHOLDER.search(card.meaning):
            bad.append(card.id)
    assert bad == []


def test_typing_the_prompts_placeholders_is_accepted(library):
    """Meaning says "[amount]", the German text says "[Betrag]": typing either must count."""
    checked = 0
    for card in library.cards.values():
        if card.kind != "phrase" or not PLACEHOLDER.search(card.text):
            continue
        pieces = PLACEHOLDER.split(card.text)
        slots = PLACEHOLDER.findall(card.meaning)
        typed = "".join(piece + (slots[i] if i < len(slots) else "") for i, piece in enumerate(pieces))
        assert grade_typed(typed, card.text, card.accept).correct, card.id
        checked += 1
    assert checked >= 30


def test_english_phrase_meanings_are_prompts_not_descriptions(library):
    english = [c for c in library.cards.values() if c.kind == "phrase" and c.lang.startswith("en")]
    assert len(english) >= 80
    bad = [f"{c.id}: {c.meaning}" for c in english if DESCRIPTIVE.match(c.meaning)]
    assert bad == []


def test_english_phrases_accept_the_uncontracted_variant(library):
    """Typing "I am" for "I'm" is the same phrase; the drill must not mark it wrong."""
    checked = 0
    for card in library.cards.values():
        if card.kind != "phrase" or not card.lang.startswith("en"):
            continue
        if re.search(r"\b(I'm|I've|I'll|we've|we'll|can't|don't)\b", card.text):
            expanded = (card.text.replace("I'm", "I am").replace("I've", "I have").replace("I'll", "I will")
                        .replace("we've", "we have").replace("we'll", "we will")
                        .replace("can't", "cannot").replace("don't", "do not"))
            assert grade_typed(expanded, card.text, card.accept).correct, card.id
            checked += 1
    assert checked >= 20


def test_no_wrong_weekday_for_4_march_2026(library):
    """The review found "Thursday, March 4" next to 03/04/2026; it is a Wednesday."""
    assert date(2026, 3, 4).strftime("%A") == "Wednesday"
    card = library.cards["us-eti-date-format"]
    assert "Wednesday, March 4" in card.explain
    assert "Thursday" not in card.explain


def test_new_regulation_cards_are_sourced_and_have_a_chinese_prompt(library):
    for card_id in NEW_REGULATION:
        card = library.cards[card_id]
        assert card.topic == "regulation", card_id
        assert card.auto_gradable, card_id
        assert card.explain and card.zh and card.zh_prompt, card_id
        assert card.source and card.source.verified == date(2026, 11, 30), card_id


def test_new_fact_answers_are_not_the_longest_choice(library):
    """Issue 14 §1 applies to new cards too: the right answer must not give itself away by length."""
    for card_id in NEW_REGULATION:
        card = library.cards[card_id]
        if card.kind == "fact":
            longest = max(len(choice) for choice in card.choices)
            assert len(card.a) < longest, card_id


def test_new_cards_show_through_the_cli(cli):
    result = cli("show", "eu-reg-gpsr-responsible-person")
    assert result.returncode == 0, result.stderr
    assert "2023/988" in result.stdout
    result = cli("show", "jp-phr-return-cod")
    assert result.returncode == 0, result.stderr
    assert "freight collect" in result.stdout
