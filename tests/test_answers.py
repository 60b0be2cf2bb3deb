"""Typed-answer grading, script by script: what a learner types that must count, count as Hard, or not."""

from __future__ import annotations

import pytest

from csdrill.answers import JA_VARIANTS, comparison_key, grade_typed


def outcome(typed: str, expected: str, *accept: str) -> str:
    return grade_typed(typed, expected, tuple(accept)).outcome


# --- Japanese -----------------------------------------------------------------------------------

JA = "お問い合わせいただき、誠にありがとうございます。"


@pytest.mark.parametrize("typed", [
    "お問い合わせいただき誠にありがとうございます",  # no 、 and no 。
    "「お問い合わせいただき、誠にありがとうございます！」",
    "お問い合わせいただき誠にありがとうございます？",
    "お問い合わせ いただき 誠に ありがとう ございます",  # spaces between words
    "お問い合わせ頂き、誠にありがとうございます。",  # 頂き / いただき
    "お問合せいただき、誠にありがとうございます。",  # 問合せ / 問い合わせ
    "問い合わせいただき、誠にありがとうございます。",  # お問い合わせ / 問い合わせ
    "問合せ頂き誠に有難うございます",  # several variants at once
])
def test_japanese_punctuation_spacing_and_spelling_variants_are_exact(typed):
    assert outcome(typed, JA) == "exact"


@pytest.mark.parametrize(("typed", "expected"), [
    ("お荷物の追跡番号は以下の通りです", "お荷物の追跡番号は以下のとおりです。"),
    ("確認致しますので、少々お待ちいただけますでしょうか。", "確認いたしますので、少々お待ちいただけますでしょうか。"),
    ("ワンサイズ大きめをお勧めいたします", "ワンサイズ大きめをおすすめいたします。"),
    ("ワンサイズ大きめをお薦め致します", "ワンサイズ大きめをおすすめいたします。"),
    ("ご確認を頂く", "ご確認をいただく"),
    ("ご確認頂けますか", "ご確認いただけますか"),
    ("お問い合わせください", "お問合せ下さい"),
    ("ご返金の手続きは、3営業日以内に完了いたします。", "ご返金の手続きは、３営業日以内に完了いたします。"),
    ("ご返金の手続きは三営業日以内に完了いたします", "ご返金の手続きは、3営業日以内に完了いたします。"),
])
def test_japanese_issue_examples_are_exact(typed, expected):
    assert outcome(typed, expected) == "exact"


def test_japanese_punctuation_plus_one_slip_is_a_near_miss_not_wrong():
    # Before: 、 turned into a space, so a missing 、 was already a "typo" and one slip more was wrong.
    assert outcome("お問い合わせいただき誠にありがとうごさいます", JA) == "near"


def test_japanese_two_slips_in_a_short_sentence_are_wrong():
    assert outcome("お問い合わせいただき誠にありかとうごさいます", JA) == "wrong"


def test_japanese_short_answer_allows_no_typo():
    assert outcome("はえ", "はい") == "wrong"


def test_every_variant_group_reads_as_its_first_spelling():
    for group in JA_VARIANTS:
        assert {comparison_key(spelling) for spelling in group} == {comparison_key(group[0])}, group


def test_variant_table_does_not_make_different_words_equal():
    assert outcome("以下のとおりです", "以下の通知です") == "wrong"
    assert outcome("ご連絡いたします", "ご連絡いただきます") != "exact"


# --- German -------------------------------------------------------------------------------------

DE = "Bitte entschuldigen Sie die Verzögerung."


@pytest.mark.parametrize("typed", [
    "Bitte entschuldigen Sie die Verzoegerung",  # oe for ö
    "bitte entschuldigen sie die verzögerung",
    "„Bitte entschuldigen Sie die Verzögerung“",
    "Bitte entschuldigen Sie die Verzögerung!",
])
def test_german_transliteration_and_quotes_are_exact(typed):
    assert outcome(typed, DE) == "exact"


@pytest.mark.parametrize(("typed", "expected"), [
    ("Gruesse", "Grüße"), ("GRUESSE", "Grüße"), ("Aerger", "Ärger"), ("Strasse", "Straße"),
    ("Massnahme", "Maßnahme"), ("Schoene Gruesse", "Schöne Grüße"),
])
def test_german_ae_oe_ue_ss_count_as_exact(typed, expected):
    assert outcome(typed, expected) == "exact"


def test_german_dropped_umlaut_is_only_a_near_miss():
    # Before, dropping the umlaut passed while the agents' ae/oe/ue was wrong; now it is the other way.
    assert outcome("Bitte entschuldigen Sie die Verzogerung", DE) == "near"
    assert outcome("Grusse", "Grüße") == "near"


def test_german_transliteration_plus_one_typo_is_near():
    assert outcome("Bitte entschuldigen Sie die Verzoegerng", DE) == "near"


def test_german_swapped_letters_are_one_typo():
    assert outcome("Bitte entschuldigen Sie die Verzögreung", DE) == "near"


def test_german_a_missing_word_is_wrong():
    assert outcome("Bitte entschuldigen Sie Verzögerung", DE) == "wrong"


# --- Arabic -------------------------------------------------------------------------------------

AR = "نعتذر عن تأخر وصول طلبك، ونقدر صبرك."


@pytest.mark.parametrize("typed", [
    "نعتذر عن تأخر وصول طلبك ونقدر صبرك",  # no ، and no .
    "نعتذر عن تأخر وصول طلبك، ونقدر صبرك؟",
    "نعتذر عن تأخّر وصول طلبك، ونقدر صبرك.",  # with a shadda: vowel marks are optional
    "نعتـذر عن تأخر وصول طلبك، ونقدر صبرك.",  # with a tatweel
])
def test_arabic_punctuation_and_vowel_marks_are_exact(typed):
    assert outcome(typed, AR) == "exact"


def test_arabic_tanwin_is_optional():
    assert outcome("شكرًا لتواصلك", "شكرا لتواصلك") == "exact"
    assert outcome("شكرا لتواصلك", "شكرًا لتواصلك") == "exact"


def test_arabic_hamza_dropped_is_a_near_miss():
    assert outcome("نعتذر عن تاخر وصول طلبك، ونقدر صبرك.", AR) == "near"


def test_arabic_ta_marbuta_written_ha_is_a_near_miss():
    assert outcome("خدمه العملاء", "خدمة العملاء") == "near"


@pytest.mark.parametrize("typed", ["٤٨", "۴۸", "４８", "48"])
def test_digits_of_every_script_compare_by_value(typed):
    assert outcome(typed, "48") == "exact"
    assert outcome(f"خلال {typed} ساعة", "خلال 48 ساعة") == "exact"


def test_arabic_indic_digits_in_the_expected_answer():
    assert outcome("14 يومًا", "١٤ يومًا") == "exact"


def test_a_different_number_is_wrong_not_a_typo():
    assert outcome("15 days", "14 days") == "wrong"
    assert outcome("خلال ٤٧ ساعة", "خلال 48 ساعة") == "wrong"
    assert outcome("We will update you within 42 hours.", "We will update you within 24 hours.") == "wrong"


# --- French -------------------------------------------------------------------------------------

FR = "Nous sommes désolés pour ce retard… « Merci de votre patience » !"


@pytest.mark.parametrize("typed", [
    "Nous sommes désolés pour ce retard. Merci de votre patience",
    "nous sommes désolés pour ce retard merci de votre patience",
    "Nous sommes désolés pour ce retard... \"Merci de votre patience\"!",
    "Nous sommes désolés pour ce retard – Merci de votre patience",
])
def test_french_guillemets_ellipsis_and_spaced_punctuation_are_ignored(typed):
    assert outcome(typed, FR) == "exact"


def test_french_missing_accents_are_a_near_miss():
    assert outcome("Nous sommes desoles pour ce retard. Merci de votre patience", FR) == "near"


def test_french_elision_apostrophes_of_any_shape():
    assert outcome("Je m'en occupe aujourd'hui", "Je m’en occupe aujourd’hui.") == "exact"


# --- Spanish ------------------------------------------------------------------------------------

ES = "¿Podría enviarnos el número de pedido?"


@pytest.mark.parametrize("typed", [
    "Podría enviarnos el número de pedido",
    "¿podría enviarnos el número de pedido",
    "¡Podría enviarnos el número de pedido!",
])
def test_spanish_inverted_marks_never_count(typed):
    assert outcome(typed, ES) == "exact"


def test_spanish_missing_accents_are_near_and_a_different_word_is_wrong():
    assert outcome("Podria enviarnos el numero de pedido", ES) == "near"
    assert outcome("Podría enviarnos la dirección de envío", ES) == "wrong"


# --- Portuguese ---------------------------------------------------------------------------------

PT = "Sentimos muito pelo atraso na entrega do seu pedido."


def test_portuguese_cedilla_and_tilde_dropped_are_near():
    assert outcome("Nao se preocupe, vamos resolver a situacao.", "Não se preocupe, vamos resolver a situação.") \
        == "near"


def test_portuguese_one_typo_is_near_and_case_is_ignored():
    assert outcome("sentimos muito pelo atraso na entrega do seu pedido", PT) == "exact"
    assert outcome("Sentimos muito pelo atrazo na entrega do seu pedido.", PT) == "near"


# --- Indonesian ---------------------------------------------------------------------------------

ID = "Mohon maaf atas keterlambatan pesanan Anda."


def test_indonesian_punctuation_case_and_one_typo():
    assert outcome("mohon maaf atas keterlambatan pesanan anda", ID) == "exact"
    assert outcome("Mohon maaf atas keterlambatan pesanan Anda!", ID) == "exact"
    assert outcome("Mohon maaf atas keterlambatn pesanan Anda.", ID) == "near"
    assert outcome("Mohon maaf atas pengiriman pesanan Anda.", ID) == "wrong"


def test_indonesian_number_in_words_or_digits_is_accept_list_business():
    # Whether "tiga" may stand for 3 is the card's call: its `accept` list says so.
    assert outcome("dalam tiga hari kerja", "dalam 3 hari kerja") == "wrong"
    assert outcome("dalam tiga hari kerja", "dalam 3 hari kerja", "dalam tiga hari kerja") == "exact"


# --- Across scripts -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["", "   ", "、。！？", "...", "¿?"])
def test_nothing_but_punctuation_is_wrong(typed):
    assert outcome(typed, "Danke") == "wrong"


def test_an_accept_entry_counts_as_exact_and_is_named_as_compared_with():
    verdict = grade_typed("Entschuldigen Sie bitte die Verzoegerung", DE,
                          ("Entschuldigen Sie bitte die Verzögerung.",))
    assert (verdict.outcome, verdict.expected) == ("exact", "Entschuldigen Sie bitte die Verzögerung.")


def test_a_typo_in_a_long_sentence_allows_two_slips():
    long = "Wir erstatten Ihnen den vollen Betrag innerhalb von sieben Werktagen."
    assert outcome("Wir erstaten Ihnen den volen Betrag innerhalb von sieben Werktagen", long) == "near"
    assert outcome("Wir erstaten Ihnen den volen Betrag inerhalb von sieben Werktagen", long) == "wrong"


@pytest.mark.parametrize(("typed", "expected", "counts_as"), [
    ("UTC-3", "UTC−3", "exact"),  # ASCII hyphen for the minus sign
    ("UTC+3", "UTC−3", "wrong"),  # a sign is part of the number, not punctuation
    ("-5", "5", "wrong"),
    ("14,5 %", "14.5 %", "exact"),  # a decimal comma or point: one number either way
    ("pukul 12:00 WIB", "pukul 12.00 WIB", "exact"),  # and one time
    ("٤٨٫٥", "48.5", "exact"),  # ٫ is the Arabic decimal separator
    ("145 Euro", "14.5 Euro", "near"),  # a missed separator is a slip; the digits are right
    ("1450 Euro", "14.5 Euro", "wrong"),
    ("1-2 Werktage", "1–2 Werktage", "exact"),
    ("in 3 - 5 Werktagen", "in 3–5 Werktagen", "exact"),
    ("in 35 Werktagen", "in 3–5 Werktagen", "wrong"),
    ("$15", "15", "exact"), ("5 %", "5%", "exact"), ("§ 5 DDG", "5 DDG", "exact"),
])
def test_signs_and_separators_inside_numbers_count(typed, expected, counts_as):
    assert outcome(typed, expected) == counts_as


def test_kana_voicing_is_a_typo_not_an_accent():
    assert outcome("ありかとう", "ありがとう") == "near"  # one typo in five characters
    assert outcome("かき", "がき") == "wrong"  # too short for a typo


def test_every_builtin_typed_answer_passes_without_its_punctuation(builtin_content):
    import unicodedata

    def bare(text: str) -> str:
        """What an agent types in a hurry: no punctuation, but for the signs and marks inside numbers."""
        padded = f" {text} "
        return "".join(c for n, c in enumerate(text, 1) if not unicodedata.category(c).startswith("P")
                       or padded[n - 1].isdigit() or padded[n + 1].isdigit())

    answers = [(card.id, card.text if card.kind == "phrase" else card.a, card.accept)
               for card in builtin_content.library.cards.values() if card.kind in ("phrase", "fact")]
    assert len(answers) > 700
    failed = [(card_id, answer) for card_id, answer, accept in answers
              if grade_typed(bare(answer), answer, accept).outcome != "exact"]
    assert failed == []
