"""The content commands in Chinese through the real CLI: lint's problems, markets, decks, show, their
errors and every command's --help speak Chinese; lint's JSON, exit codes and the `path:line:col:`
prefix stay as they are."""

from __future__ import annotations

import json
import re

import pytest

from tests import test_i18n_ui
from tests.test_i18n_ui import BOTH, CHINESE, ENGLISH, english_left, has_chinese

content_texts = test_i18n_ui.content_texts  # the same fixture: every text the built-in content shows

# A deck with a problem of each common kind: unknown market (with a suggestion), a choice list without
# the answer, an unknown key, a missing field, too few scenario options, a space folded into Chinese.
BROKEN_DECK = """\
deck: zz-broken
title: Broken
market: dee
topic: etiquette
cards:
  - id: zz-one
    q: Which?
    a: Right
    choices: [Wrong, Other]
    colour: red
  - id: zz-two
    statement: Parcels travel by sea.
  - id: zz-three
    situation: A parcel is late.
    options: [Sorry, Wait]
    best: Sorry
    why: Apologise first.
    zh: 包裹 延误
"""
# What a problem quotes from the deck, and the schema's own words (keys, kinds, codes): shown as written.
DECK_WORDS = {"zz-broken", "zz-one", "zz-two", "zz-three", "dee", "Right", "colour", "choices", "explain",
              "true", "options", "best", "source", "zh", "yaml", "tmp", "deck", "broken", "Wrong", "Other",
              "etiquette", "pytest", "YAML"}
LOCATION = re.compile(r"^\S+\.yaml:\d+:\d+: ")


@pytest.fixture
def broken_deck(tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "broken.yaml").write_text(BROKEN_DECK, encoding="utf-8")
    return folder


def deck_texts(content_texts, library_words=()):
    return set(content_texts) | DECK_WORDS | set(library_words)


@BOTH
def test_lint_problems_are_chinese_after_their_location_and_the_json_stays_english(
        cli, broken_deck, content_texts, chinese):
    run = cli("lint", str(broken_deck), env=chinese)
    english = cli("lint", str(broken_deck), env=ENGLISH)
    assert run.returncode == english.returncode == 1
    lines = run.stdout.splitlines()
    assert len(lines) == len(english.stdout.splitlines()) == 7
    for line, english_line in zip(lines, english.stdout.splitlines(), strict=True):
        prefix = LOCATION.match(line).group()
        assert english_line.startswith(prefix)  # same place, same prefix
        assert has_chinese(line[len(prefix):]), line
    shown = "\n".join(LOCATION.sub("", line) for line in lines)
    assert "未知市场 'dee'（是不是想写 'de'？）" in shown
    assert "卡片 'zz-one'中有未知的键 'colour'" in shown
    assert "情景题需要 3 或 4 个选项，而不是 2 个" in shown
    assert english_left(shown, deck_texts(content_texts, _market_codes())) == []
    assert re.fullmatch(r"检查了 \d+ 个文件，发现 7 个问题\n", run.stderr), run.stderr
    zh_json = json.loads(cli("lint", "--json", str(broken_deck), env=chinese).stdout)
    en_json = json.loads(cli("lint", "--json", str(broken_deck), env=ENGLISH).stdout)
    assert zh_json == en_json  # scripts read the same English messages in every language
    assert "unknown market 'dee' (did you mean 'de'?)" in en_json["problems"][0]["message"]


def _market_codes():
    return {"ae", "br", "de", "es", "eu", "fr", "global", "id", "it", "jp", "mx", "sa", "uk", "us"}


def test_problems_follow_the_language_of_each_run_whatever_ran_before(cli, broken_deck):
    """Parsed decks are cached between runs; problems never are, so each run words them anew."""
    for env, words in ((ENGLISH, "problems in the decks"), (CHINESE, "卡组中有"), (ENGLISH, "problems in the decks"),
                       (CHINESE, "卡组中有")):
        run = cli("decks", env=dict(env, CSDRILL_DECKS=str(broken_deck)))
        assert run.returncode == 2
        assert words in run.stderr, run.stderr
        assert ("unknown market 'dee'" in run.stderr) == (env is ENGLISH)
    for env, words in ((ENGLISH, "unknown market 'dee'"), (CHINESE, "未知市场 'dee'")):
        assert words in cli("lint", str(broken_deck), env=env).stdout


@BOTH
def test_markets_decks_and_show_are_chinese(cli, builtin_content, content_texts, chinese):
    library = builtin_content.library
    names = set(library.markets) | {d.id for d in library.decks} | {d.path for d in library.decks}
    markets = cli("markets", env=dict(chinese, COLUMNS="160"))  # market names on one line each
    assert markets.returncode == 0
    assert "代码" in markets.stdout and "合计" in markets.stdout and "公共卡池" in markets.stdout
    assert english_left(markets.stdout, deck_texts(content_texts, names)) == []
    narrow = cli("markets", env=dict(chinese, COLUMNS="80")).stdout
    assert "合计" in narrow  # the last heading is not cut off at 80 columns
    decks = cli("decks", "--market", "de", env=dict(chinese, COLUMNS="300"))  # a deck path on one line
    assert decks.returncode == 0 and "卡片数" in decks.stdout and "礼仪" in decks.stdout
    assert english_left(decks.stdout, deck_texts(content_texts, names)) == []
    card = library.cards["eu-reg-withdrawal-period"]
    show = cli("show", card.id, env=dict(chinese, COLUMNS="300"))  # each text on one line inside the panel
    assert show.returncode == 0
    assert "题目" in show.stdout and "出处：" in show.stdout and "核实" in show.stdout
    assert card.zh_prompt and card.zh_prompt in show.stdout  # `show` shows the prompt in both languages
    assert english_left(show.stdout, deck_texts(content_texts, names)) == []
    for command in (["markets"], ["decks"], ["show", card.id]):  # JSON is the same in every language
        assert cli(*command, "--json", env=chinese).stdout == cli(*command, "--json", env=ENGLISH).stdout


@BOTH
def test_content_errors_are_chinese_with_the_same_exit_code(cli, broken_deck, content_texts, chinese):
    allowed = deck_texts(content_texts, _market_codes() | {"eu-reg-withdrawal-period"})
    for args, words in ((["decks", "--market", "zz"], "未知市场 'zz'"),
                        (["quiz", "--market", "eu"], "是公共卡池"),
                        (["show", "eu-reg-withdrawal-perio"], "没有 ID 为 'eu-reg-withdrawal-perio' 的卡片"),
                        (["lint", "/no/such/deck.yaml"], "没有这个文件或文件夹")):
        run = cli(*args, env=chinese)
        assert run.returncode == 2, args
        assert words in run.stderr, run.stderr
        assert english_left(run.stderr, allowed | {"deck", "perio", "such"}) == [], args
    bad = cli("quiz", "--market", "de", env=dict(chinese, CSDRILL_DECKS=str(broken_deck)))
    assert bad.returncode == 2
    assert "卡组中有 7 个问题；请修正后重试" in bad.stderr
    no_team = cli("sync", env=dict(chinese, CSDRILL_TEAM_DB=""))
    assert no_team.returncode == 2 and "请把 CSDRILL_TEAM_DB 设为团队数据库" in no_team.stderr
    usage = cli("show", env=chinese)
    assert usage.returncode == 2 and re.match(r"用法：.*csdrill show ", usage.stderr)


COMMANDS = ("markets", "decks", "show", "lint", "exam", "scores", "check", "report", "gaps", "quiz",
            "reviews", "stats", "export", "export anki", "export csv", "sync", "team", "team init",
            "team grant")


@BOTH
def test_every_command_help_is_chinese_with_typer_own_labels(cli, content_texts, chinese):
    for command in ("", *COMMANDS):
        run = cli(*command.split(), "--help", env=dict(chinese, COLUMNS="100"))
        assert run.returncode == 0, command
        assert has_chinese(run.stdout), command
        assert re.search(r"用法：.*csdrill", run.stdout) and "显示此帮助后退出。" in run.stdout, command
        assert "Usage" not in run.stdout and "Show this message" not in run.stdout, command
    for command in ("markets", "decks", "show", "lint", "sync", "team", "team init", "team grant"):
        run = cli(*command.split(), "--help", env=dict(chinese, COLUMNS="100"))
        # What stays is the command line's own words: metavars, argument names, types.
        left = set(english_left(re.sub(r"CSDRILL_[A-Z_]+|python -m|card_id", " ", run.stdout), content_texts))
        assert left <= {"OPTIONS", "COMMAND", "ARGS", "DIR", "PATHS", "PREFIX", "LOGIN", "bool", "str", "list",
                        "Path", "paths", "path", "line", "col", "lint", "global", "init", "grant", "agent", "trainer",
                        "libpq", "schema"}, (command, left)


def test_english_help_keeps_typer_wording(cli):
    run = cli("lint", "--help", env=dict(ENGLISH, COLUMNS="100"))
    assert re.search(r"Usage: .*csdrill lint", run.stdout) and "Show this message and exit." in run.stdout
    assert "用法" not in run.stdout


def test_lint_cues_failures_are_chinese_and_their_json_english(cli, deck_dir):
    from tests.test_cues import BALANCED_TF, CUED, deck, write

    write(deck_dir, "cued.yaml", deck(CUED + BALANCED_TF))
    run = cli("lint", str(deck_dir), "--cues", env=CHINESE)
    assert run.returncode == 1
    assert "答案线索：zz：5 道情景题中有 5 道的最佳回复恰好是最长选项（100 %" in run.stdout, run.stdout
    assert re.search(r"，\d 项答案线索超限", run.stderr), run.stderr
    zh_json = json.loads(cli("lint", str(deck_dir), "--cues", "--json", env=CHINESE).stdout)
    assert zh_json == json.loads(cli("lint", str(deck_dir), "--cues", "--json", env=ENGLISH).stdout)
    assert any(failure.startswith("zz: the best scenario reply is the strictly longest option")
               for failure in zh_json["cues"]["failures"])


def test_anki_kind_change_is_reported_in_chinese(cli, tmp_path):
    from tests.test_anki_upgrades import CHANGED_KIND_MARKETS, write

    decks = tmp_path / "decks"
    write(decks, "markets.yaml", CHANGED_KIND_MARKETS)
    head = "deck: zz\ntitle: Z\nmarket: zz\ntopic: skill\ncards:\n  - id: zz-1\n"
    write(decks, "zz.yaml", head + "    statement: Der Himmel ist blau.\n    true: yes\n    explain: Tagsüber.\n")
    env = dict(CHINESE, CSDRILL_BUILTIN="0")
    assert cli("export", "anki", "--decks", str(decks), "-o", str(tmp_path / "a.apkg"), env=env).returncode == 0
    write(decks, "zz.yaml", head + "    q: Welche Farbe hat der Himmel?\n    a: Blau\n    explain: Tagsüber.\n")
    run = cli("export", "anki", "--decks", str(decks), "-o", str(tmp_path / "b.apkg"), env=env)
    assert run.returncode == 2
    assert f"{decks / 'zz.yaml'}:6:5: 卡片 'zz-1' 导出到 Anki 时是判断题，现在是事实题" in run.stderr, run.stderr


@BOTH
def test_usage_errors_are_chinese_with_exit_code_2(cli, chinese):
    for args, words in ((["markets", "--bogus"], "没有 --bogus 这个选项"),
                        (["show"], "缺少参数"),
                        (["quiz", "--market"], "后面需要一个值"),
                        (["markets", "extra"], "多余的参数：extra"),
                        (["lint", "--cuez"], "可用的选项：--cues"),
                        (["quiz", "--market", "de", "--limit", "x"], "'--limit' 的值无效：应为整数")):
        run = cli(*args, env=chinese)
        assert run.returncode == 2, args
        assert words in run.stderr, (args, run.stderr)
        assert "No such option" not in run.stderr and "Missing argument" not in run.stderr
    english = cli("markets", "--bogus", env=ENGLISH)
    assert english.returncode == 2 and "No such option: --bogus" in english.stderr
