"""The interface language: chosen by --lang, CSDRILL_LANG or the locale; catalogs complete; JSON unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from csdrill import i18n

SRC = Path(__file__).resolve().parent.parent / "src" / "csdrill"
CATALOG = SRC / "locale" / "zh" / "LC_MESSAGES" / "csdrill.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def extracted_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_message_is_translated_in_chinese():
    with CATALOG.open("rb") as source:
        catalog = read_po(source)
    messages = extracted_messages()
    assert messages, "extraction found no messages: the keywords or the source path are wrong"
    missing = sorted(m for m in messages if m not in catalog or not catalog[m].string)
    assert not missing, f"not in {CATALOG.name} or untranslated (run the update step in docs/translating.md): {missing}"
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert not fuzzy, f"fuzzy translations need a translator's review: {fuzzy}"


def test_translations_keep_every_placeholder():
    with CATALOG.open("rb") as source:
        catalog = read_po(source)
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(message.id)), message.id


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ([], {}, "en"),
        ([], {"LANG": "zh_CN.UTF-8"}, "zh"),
        ([], {"LANG": "de_DE.UTF-8"}, "en"),
        ([], {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ([], {"LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
        ([], {"CSDRILL_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        ([], {"CSDRILL_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        (["--lang", "zh", "markets"], {"CSDRILL_LANG": "en"}, "zh"),
        (["--lang=en"], {"LANG": "zh_CN.UTF-8"}, "en"),
        (["show", "--", "--lang", "zh"], {}, "en"),
    ],
)
def test_language_choice_order(argv, environ, expected):
    assert i18n.choose_language(argv, environ) == expected


@pytest.mark.parametrize("setting", [{"CSDRILL_LANG": "zh"}, {"LANG": "zh_CN.UTF-8"}])
def test_help_is_chinese_when_asked(cli, setting):
    result = cli("--help", env={"LC_ALL": "", "LC_MESSAGES": "", **setting})
    assert result.returncode == 0
    assert "跨境电商客服" in result.stdout
    assert "选项" in result.stdout and "命令" in result.stdout  # typer's own panel titles
    assert "Drills and flashcards" not in result.stdout


def test_lang_option_overrides_the_locale(cli):
    result = cli("--lang", "en", "--help", env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    assert "Drills and flashcards" in result.stdout
    assert "跨境电商客服" not in result.stdout


def test_unknown_interface_language_is_bad_usage(cli):
    result = cli("--lang", "xx", "markets")
    assert result.returncode == 2
    assert "'xx' is not an interface language; use en or zh." in result.stderr


def test_json_is_the_same_in_every_language(cli):
    english = cli("markets", "--json", env={"CSDRILL_LANG": "en"})
    chinese = cli("markets", "--json", env={"CSDRILL_LANG": "zh"})
    assert english.returncode == chinese.returncode == 0
    assert english.stdout == chinese.stdout


def test_no_message_is_marked_inside_an_f_string():
    """Babel cannot see _() inside an f-string (one token on Python 3.11): such a message is never translated."""
    import io
    import tokenize

    offenders = []
    for path in SRC.rglob("*.py"):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            prefix = token.string[:2].lower()
            if token.type == tokenize.STRING and "f" in prefix and re.search(r"\b_\(", token.string):
                offenders.append(f"{path.relative_to(SRC)}:{token.start[0]}")
    assert not offenders, f"move these _() calls out of the f-string: {offenders}"


def test_no_code_assigns_to_the_translation_function():
    """`_, x = pair` in a function that also calls _() turns every message of it into a TypeError."""
    import ast

    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not offenders, f"use another name than _ for these unused values: {offenders}"
