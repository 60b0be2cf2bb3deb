"""The Chinese interface through the real CLI: quiz, exam, stats, report, export and errors speak Chinese,
cards show their Chinese before the answer, and what scripts read (JSON, exit codes) does not change."""

from __future__ import annotations

import dataclasses
import json
import re

import pexpect
import pytest

from tests.test_drill_ui import assert_fits, screen_text, spawn

NOW = "2026-11-20T09:00:00+00:00"
CHINESE = {"CSDRILL_LANG": "zh", "CSDRILL_NOW": NOW}
# The locale alone decides: nothing set before LANG, and no CSDRILL_LANG.
CHINESE_LOCALE = {"CSDRILL_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8", "CSDRILL_NOW": NOW}
ENGLISH = {"CSDRILL_LANG": "en", "CSDRILL_NOW": NOW}
BOTH = pytest.mark.parametrize("chinese", [CHINESE, CHINESE_LOCALE], ids=["CSDRILL_LANG", "LANG"])

# Names and words that stay as they are in every language: products, formats, keys, the program.
NAMES = ("FSRS", "Anki", "csdrill", "JSON", "CSV", "csv", "html",
         "Enter", "Esc", "Ctrl", "UTF", "BOM", "tester", "ana",
         "flash", "choice", "typed")  # --mode values, shown as typed in the review log
MARKED = re.compile(r"--[a-z][a-z-]*|csdrill \w+|\b[a-z]{2,8}-[a-z]{3}-[\w-]+|https?://\S+")


@pytest.fixture(scope="module")
def content_texts(builtin_content):
    """Every text a card, market or quiz legitimately shows as written (true/false words excepted)."""
    texts = set()
    for card in builtin_content.library.cards.values():
        for field in dataclasses.fields(card):
            value = getattr(card, field.name)
            if field.name in ("answer",) and card.kind == "truefalse":
                continue  # "True"/"False" are interface words, shown translated
            values = value if isinstance(value, tuple) else (value,)
            for item in values:
                if isinstance(item, str):
                    texts.add(item)
                elif hasattr(item, "title") and hasattr(item, "url"):
                    texts.update((item.title, item.url))
    texts.update(m.name for m in builtin_content.library.markets.values())
    texts.update(q.title for q in builtin_content.quizzes)
    texts.update(q.id for q in builtin_content.quizzes)
    return texts


def english_left(output: str, texts: set[str]) -> list[str]:
    """English words of 3+ letters left once card content, names, ids, options and commands are removed.

    Whitespace is removed first, so texts wrapped over several lines (or between Chinese characters)
    still match; what is left glued together still shows as letters."""
    squeezed = MARKED.sub(" ", output)
    squeezed = re.sub(r"\s+", "", squeezed)
    for text in sorted(texts, key=len, reverse=True):
        text = re.sub(r"\s+", "", text)
        if len(text) >= 3 and text in squeezed:
            squeezed = squeezed.replace(text, "|")
    for name in NAMES:
        squeezed = re.sub(rf"(?<![A-Za-z]){name}(?![A-Za-z])", "|", squeezed)
    return re.findall(r"[A-Za-z]{3,}", squeezed)


def has_chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def test_the_checker_finds_an_english_interface_word(content_texts):
    assert english_left("✓ Correct\n下次复习：1 分钟后。", content_texts) == ["Correct"]
    assert english_left("下次复习：1 分钟后。csdrill quiz --market de", content_texts) == []


@BOTH
def test_quiz_in_line_mode_is_chinese_with_each_card_bilingual_before_the_answer(cli, builtin_content,
                                                                                  content_texts, chinese):
    run = cli("quiz", "--market", "de", "--limit", "6", "--seed", "4", "--mode", "choice", input="1\n" * 12,
              env=chinese)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "请作答（1-" in out and "下次复习：" in out and "本次练习小结" in out
    assert english_left(out + run.stderr, content_texts) == []
    # Each non-phrase card's zh_prompt is shown between its header and the first answer prompt.
    cards = builtin_content.library.cards
    blocks = re.split(r"\n(?=\[\d+/\d+\] )", out)[1:]
    checked = 0
    for block in blocks:
        card = cards[re.search(r"· ([\w-]+)", block.splitlines()[0]).group(1)]
        before_answer = re.sub(r"\s+", "", block.split("请作答")[0])
        if card.zh_prompt:
            assert re.sub(r"\s+", "", card.zh_prompt) in before_answer, card.id
            checked += 1
        elif card.kind == "phrase" and "怎么说" in block.split("请作答")[0]:  # producing: the zh is the prompt
            assert re.sub(r"\s+", "", card.zh) in before_answer, card.id
        else:  # recognising a phrase: its meaning stays hidden until answered
            assert re.sub(r"\s+", "", card.zh) not in before_answer, card.id
    assert checked >= 2


def test_quiz_in_a_terminal_shows_the_chinese_prompt_before_the_answer(builtin_content, content_texts):
    child = spawn("quiz", "--market", "de", "--topic", "scenario", "--limit", "1", "--seed", "2", "--learn-ahead", "0",
                  env=CHINESE)
    child.expect_exact("你的答案：")
    shown = screen_text(child.before)
    card = builtin_content.library.cards[re.search(r"· ([\w-]+) ·", shown).group(1)]
    squeezed = re.sub(r"\s+", "", shown)
    assert re.sub(r"\s+", "", card.zh_prompt) in squeezed
    for option, zh_option in zip(card.options, card.zh_options, strict=True):  # each option with its Chinese
        assert re.sub(r"\s+", "", option) + re.sub(r"\s+", "", zh_option) in squeezed
    assert_fits(shown, 80)
    child.expect_exact("按 1-")  # the key hint, in Chinese
    child.send("1")
    child.expect_exact("下次复习：")
    child.expect(pexpect.EOF)
    rest = screen_text(child.before)
    assert "本次练习小结" in rest
    assert english_left(shown + rest, content_texts) == []
    child.close()
    assert child.exitstatus == 0


def test_zh_flag_shows_the_chinese_lines_in_the_english_interface(cli, builtin_content, tmp_path):
    args = ("quiz", "--market", "de", "--topic", "scenario", "--limit", "1", "--seed", "2")
    plain = cli(*args, input="1\n", env={**ENGLISH, "CSDRILL_HOME": str(tmp_path / "plain")})
    both = cli(*args, "--zh", input="1\n", env={**ENGLISH, "CSDRILL_HOME": str(tmp_path / "zh")})
    assert plain.returncode == both.returncode == 0
    card = builtin_content.library.cards[re.search(r"· ([\w-]+) ·", plain.stdout).group(1)]
    first_line = card.zh_prompt.split("，")[0]
    assert first_line not in plain.stdout.split("Answer (1-")[0]
    assert first_line in both.stdout.split("Answer (1-")[0]
    assert "Answer (1-" in both.stdout and "Next review" in both.stdout  # the interface stays English


@BOTH
def test_exam_is_chinese_and_its_json_is_unchanged(cli, tmp_path, content_texts, chinese):
    answers = "1\n" * 40
    english = cli("exam", "onboarding-de", "--json", input=answers,
                  env={**ENGLISH, "CSDRILL_HOME": str(tmp_path / "en")})
    chinese_run = cli("exam", "onboarding-de", "--json", input=answers,
                      env={**chinese, "CSDRILL_HOME": str(tmp_path / "zh")})
    assert english.returncode == chinese_run.returncode
    assert english.returncode in (0, 1)
    assert chinese_run.stdout == english.stdout  # byte for byte
    json.loads(chinese_run.stdout)
    shown = chinese_run.stderr
    assert "及格线" in shown and "得分：" in shown and "答错的题目" in shown and "正确答案：" in shown
    assert english_left(shown, content_texts) == []


@BOTH
def test_stats_scores_and_report_are_chinese_and_stats_json_is_unchanged(cli, content_texts, chinese):
    assert cli("quiz", "--market", "de", "--limit", "4", "--seed", "1", "--mode", "choice", input="1\n" * 8,
               env=CHINESE).returncode == 0
    assert cli("exam", "onboarding-de", input="2\n" * 40, env=CHINESE).returncode in (0, 1)
    for command in (["stats"], ["stats", "--market", "de"], ["scores"], ["report"], ["reviews"]):
        run = cli(*command, env=chinese)
        assert run.returncode == 0, run.stderr
        assert has_chinese(run.stdout), command
        assert english_left(run.stdout + run.stderr, content_texts) == [], command
    stats = cli("stats", env=chinese).stdout
    assert "复习" in stats and "记忆保持率" in stats and "连续打卡" in stats and "周一" in stats
    assert "考试成绩" in cli("report", env=chinese).stdout
    assert cli("stats", "--json", env=chinese).stdout == cli("stats", "--json", env=ENGLISH).stdout
    assert cli("report", "--format", "json", env=chinese).stdout == cli("report", "--format", "json",
                                                                         env=ENGLISH).stdout


def test_stats_without_reviews_is_chinese(cli, content_texts):
    run = cli("stats", env=CHINESE)
    assert "还没有复习记录" in run.stdout
    assert english_left(run.stdout, content_texts) == []


@BOTH
def test_export_messages_are_chinese(cli, tmp_path, content_texts, chinese):
    run = cli("export", "csv", "--market", "de", "--output", str(tmp_path / "de.csv"), env=chinese)
    assert run.returncode == 0, run.stderr
    assert "张卡片 →" in run.stdout
    folder = cli("export", "csv", "--market", "de", "--output", str(tmp_path), env=chinese)
    assert folder.returncode == 2
    assert "无法写入" in folder.stderr and "这是一个文件夹" in folder.stderr
    shown = re.sub(r"\S*\.csv", "", (run.stdout + folder.stderr).replace(str(tmp_path), ""))  # file names
    assert english_left(shown, content_texts) == []
    assert (tmp_path / "de.csv").read_text(encoding="utf-8-sig").startswith("id,")  # CSV headers stay


@BOTH
def test_errors_are_chinese_with_the_same_exit_code(cli, content_texts, chinese):
    for args, words in ((["quiz", "--market", "de", "--mode", "fast"], "未知方式"),
                        (["exam", "no-such-quiz"], "未知考试"),
                        (["report", "--format", "pdf"], "未知格式")):
        run = cli(*args, env=chinese)
        assert run.returncode == 2, args
        assert words in run.stderr, run.stderr
    scripted = cli("quiz", "--market", "de", "--mode", "choice", "--limit", "2", input="1\nxyz\n", env=chinese)
    assert scripted.returncode == 2
    assert "输入第 2 行" in scripted.stderr
    assert english_left(scripted.stdout.replace("xyz", ""), content_texts) == []  # the echoed answer


@BOTH
def test_command_help_is_chinese(cli, content_texts, chinese):
    for command in ("quiz", "exam", "stats", "report", "scores", "check", "reviews"):
        run = cli(command, "--help", env=chinese)
        assert run.returncode == 0
        assert has_chinese(run.stdout), command
    quiz_help = cli("quiz", "--help", env=chinese).stdout
    assert "间隔重复" in quiz_help and "--zh" in quiz_help


def test_english_output_keeps_its_wording(cli):
    run = cli("quiz", "--market", "de", "--limit", "2", "--seed", "4", "--mode", "choice", input="1\n1\n",
              env=ENGLISH)
    assert "Answer (1-" in run.stdout and "Session summary" in run.stdout and "saved 2 answers" in run.stdout
    assert "请作答" not in run.stdout and "下次复习" not in run.stdout


def test_anki_export_summary_is_chinese(cli, tmp_path):
    run = cli("export", "anki", "--market", "de", "--topic", "phrase", "--output", str(tmp_path / "de.apkg"),
              env=CHINESE)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(r"\d+ 条笔记、\d+ 张卡片、\d+ 个卡组 → \S+de\.apkg\n", run.stdout), run.stdout
