"""The built-in content meets the bar the content issues set: sources, phrases, choices, counts."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import pytest

from csdrill.content.loader import load

# Official publishers of legal texts (and the regulators and courts that issue them).
OFFICIAL_DOMAINS = (
    "europa.eu",                                   # EUR-Lex, Commission, EDPB
    "gesetze-im-internet.de", "bundesjustizamt.de",  # Germany
    "legifrance.gouv.fr", "cnil.fr", "economie.gouv.fr", "service-public.fr",  # France
    "boe.es", "aepd.es",                           # Spain
    "normattiva.it", "gazzettaufficiale.it", "garanteprivacy.it",  # Italy
    "legislation.gov.uk", "gov.uk", "ico.org.uk",  # United Kingdom
    "ecfr.gov", "uscode.house.gov", "govinfo.gov", "ftc.gov", "ca.gov", "uscourts.gov",  # United States
    "dof.gob.mx", "diputados.gob.mx", "gob.mx",    # Mexico
    "planalto.gov.br", "gov.br",                   # Brazil
    "e-gov.go.jp", "caa.go.jp", "ppc.go.jp", "go.jp",  # Japan
    "boe.gov.sa", "mc.gov.sa", "sdaia.gov.sa", "gov.sa",  # Saudi Arabia
    "uaelegislation.gov.ae", "u.ae", "gov.ae",     # United Arab Emirates
    "peraturan.go.id", "bpk.go.id", "go.id",       # Indonesia
)

EU_MARKETS = ("de", "fr", "es", "it", "uk")
OTHER_MARKETS = ("us", "mx", "br", "jp", "sa", "ae", "id")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def library():
    result = load(include_builtin=True)
    assert result.problems == [], "\n".join(map(str, result.problems))
    return result.library


def is_official(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == domain or host.endswith("." + domain) for domain in OFFICIAL_DOMAINS)


def test_official_domain_check_itself():
    assert is_official("https://eur-lex.europa.eu/eli/dir/2011/83/oj")
    assert is_official("https://www.gesetze-im-internet.de/bgb/__355.html")
    assert not is_official("https://www.lexetius.com/BGB/477")
    assert not is_official("https://europa.eu.example.com/")


def test_every_regulation_card_cites_an_official_source_with_a_date(library):
    bad = []
    for card in library.cards.values():
        if card.topic != "regulation":
            continue
        if card.source is None or not card.source.verified:
            bad.append(f"{card.id}: no source or verified date")
        elif not is_official(card.source.url):
            bad.append(f"{card.id}: {card.source.url} is not an official publisher")
        elif not re.search(r"(Art|§|s\.|reg\.|regulation|section|article|artigo|artículo|articolo|第|Pasal|Arts?\b|L\d|D\d|\d)",
                           card.source.title, re.IGNORECASE):
            bad.append(f"{card.id}: source title does not name an article: {card.source.title}")
    assert bad == []


def test_every_phrase_card_has_language_meaning_and_chinese(library):
    bad = [c.id for c in library.cards.values() if c.kind == "phrase" and not (c.lang and c.meaning and c.zh)]
    assert bad == []


def test_multiple_choice_distractors_never_repeat_the_answer(library):
    def same(text):
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

    bad = []
    for card in library.cards.values():
        options = card.choices or card.options
        if not options:
            continue
        right = card.a if card.kind == "fact" else card.best
        if sum(same(option) == same(right) for option in options) != 1:
            bad.append(card.id)
        if len({same(option) for option in options}) != len(options):
            bad.append(card.id)
    assert bad == []


@pytest.mark.parametrize("market", EU_MARKETS + OTHER_MARKETS)
def test_market_has_enough_cards_to_drill(library, market):
    counts = library.topic_counts(market)
    minimum_regulation = 20 if market in EU_MARKETS else 15
    assert counts["regulation"] >= minimum_regulation, counts
    assert counts["etiquette"] >= 12, counts
    assert counts["phrase"] >= 30, counts
    assert counts["scenario"] >= 10, counts


def test_global_pool_has_enough_service_skills(library):
    assert library.topic_counts("global")["skill"] >= 25


@pytest.mark.parametrize("market", EU_MARKETS + OTHER_MARKETS)
def test_most_regulation_and_etiquette_cards_are_auto_gradable(library, market):
    cards = library.market_cards(market, ("regulation", "etiquette"))
    share = sum(card.auto_gradable for card in cards) / len(cards)
    assert share >= 0.6, f"{market}: {share:.0%} auto-gradable"


def test_phrases_are_in_their_market_language(library):
    bad = []
    for card in library.cards.values():
        if card.kind != "phrase":
            continue
        languages = {lang.split("-")[0] for lang in library.markets[card.market].languages}
        if card.lang.split("-")[0] not in languages:
            bad.append(f"{card.id}: {card.lang} not among {sorted(languages)}")
    assert bad == []


def test_arabic_phrases_are_arabic_script_without_bidi_controls(library):
    arabic = [c for c in library.cards.values() if c.kind == "phrase" and c.lang.startswith("ar")]
    assert len(arabic) >= 30
    for card in arabic:
        assert re.search("[\u0600-\u06ff]", card.text), card.id
        assert not BIDI_CONTROLS.search(card.text), card.id


def test_known_wrong_claims_are_taught_only_as_myths(library):
    """The domain brief's list of wrong claims must never appear as a true statement."""
    for card in library.cards.values():
        if card.kind == "truefalse" and card.truth:
            text = card.statement.lower()
            assert "digital content directive" not in text or "14" not in text, card.id
            assert not ("24 hours" in text and "erasure" in text), card.id
            assert "yellow" not in text, card.id
