"""Every built-in card can be read in Chinese before it is answered: the front of every card that is not
a phrase (`zh_prompt`), and scenario options that are instructions (`zh_options`)."""

from __future__ import annotations

import re

import pytest

from csdrill.content.loader import load

HAN = re.compile("[\u4e00-\u9fff]")
# A quoted reply starts with a quotation mark; anything else is an instruction to the agent.
QUOTE_MARKS = "\"'«»„“”‘’「『"


@pytest.fixture(scope="module")
def cards():
    result = load(include_builtin=True)
    assert result.problems == [], "\n".join(map(str, result.problems))
    return list(result.library.cards.values())


@pytest.fixture(scope="module")
def scenarios(cards):
    return [card for card in cards if card.kind == "scenario"]


def test_every_card_but_phrases_has_its_front_in_chinese(cards):
    missing = [card.id for card in cards if card.kind != "phrase" and not (card.zh_prompt and HAN.search(card.zh_prompt))]
    assert missing == []
    assert len([card for card in cards if card.kind != "phrase"]) > 600


def test_every_scenario_has_its_situation_in_chinese(scenarios):
    missing = [card.id for card in scenarios if not (card.zh_prompt and HAN.search(card.zh_prompt))]
    assert missing == []


def test_scenarios_with_instructions_as_options_give_them_in_chinese(scenarios):
    missing = [
        card.id
        for card in scenarios
        if any(option.lstrip()[:1] not in QUOTE_MARKS for option in card.options)
        and not (card.zh_options and all(HAN.search(entry) for entry in card.zh_options))
    ]
    assert missing == []
