"""Wrapping Chinese with English: lines break between Chinese characters, never before closing punctuation,
English words stay whole, and a word longer than the line is folded rather than cut."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from csdrill.ui.quiz_view import options_view
from csdrill.ui.wrapping import Paragraph, break_lines, labelled


def lines_of(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in break_lines(text, width)]


def rendered(renderable, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue().splitlines()


def test_chinese_breaks_between_characters_and_fills_the_line():
    text = "给出具体日期或星期几，不要说尽快；精确等于可靠，含糊被视为推脱。"
    lines = lines_of(text, 20)
    assert "".join(lines) == text
    assert all(cell_len(line) <= 20 for line in lines)
    assert cell_len(lines[0]) >= 18  # not pushed whole to the next line, as Rich's own wrapping does


def test_a_line_never_starts_with_closing_punctuation():
    text = "客户以为你失约。按北京时间写的十八点前在巴黎是上午），客户会以为你失约。"
    for width in range(6, 40):
        for line in lines_of(text, width)[1:]:
            assert line[0] not in "，。）；", (width, line)


def test_english_words_stay_whole_and_long_words_fold():
    text = "Refund within fourteen days: averyveryveryverylongword and 尊敬的 Weber 先生"
    lines = lines_of(text, 12)
    for word in ("Refund", "within", "fourteen", "days:", "Weber"):
        assert any(word in line.split() for line in lines), word
    assert lines[4] == "averyveryver"  # folded at the width
    assert all(cell_len(line) <= 12 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_continuation_lines_hang_under_the_text_not_the_label():
    out = rendered(labelled("原因：", "认真对待期限，免费提供修理或换货（由客户选择），当天发预付标签，并在周五前书面确认。"), 30)
    assert out[0].startswith("原因：认真")
    assert all(line.startswith(" " * 6) and not line.startswith(" " * 7) for line in out[1:])
    assert all(cell_len(line) <= 30 for line in out)


def test_options_with_their_chinese_hang_under_the_option_at_80_columns():
    options = ("Confirm the withdrawal, send the return address, remind him that he pays the postage as "
               "stated, and promise the refund within 14 days.", "Refuse politely.")
    glosses = ("确认收到撤回，发送退货地址，提醒他按事先告知自付运费，并承诺在收到夹克或寄回凭证后 14 天内退款。", "礼貌拒绝。")
    out = rendered(options_view(options, glosses), 80)
    assert out[0].startswith(" 1) Confirm")
    assert all(line.startswith("    ") for line in out[1:] if not line.startswith(" 2)"))
    assert all(cell_len(line) <= 80 and line == line.rstrip() for line in out)
    assert "".join(line.strip() for line in out).count("确认收到撤回") == 1
    assert out[-2].startswith(" 2) Refuse") and out[-1].strip() == "礼貌拒绝。"


def test_paragraph_measures_for_a_table_cell():
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row("正确答案：", Paragraph("确认收到撤回，发送退货地址，并承诺在十四天内退款。"))
    out = rendered(grid, 30)
    assert len(out) > 1 and all(cell_len(line) <= 30 for line in out)
    assert out[1].startswith(" " * 10)


def test_rich_splits_text_without_wide_characters_into_the_same_words_as_before(builtin_content):
    """The line-break rule installed for Chinese changes nothing for English (or German, Arabic …) text."""
    import re

    from csdrill.ui.line_breaks import WIDE, WORD

    rich_words = re.compile(r"\s*\S+\s*")
    texts = [t for card in builtin_content.library.cards.values()
             for t in (card.explain, card.why, card.situation, card.q, card.text, *card.options) if t]
    narrow = [t for t in texts if not re.search(f"[{WIDE}]", t)]
    assert len(narrow) > 500
    for text in narrow:
        assert [m.group() for m in WORD.finditer(text)] == [m.group() for m in rich_words.finditer(text)], text


def test_chinese_help_wraps_between_characters_without_cutting(cli):
    """typer's help tables: with Chinese, option help wraps at 80 columns instead of ending in '…'."""
    run = cli("quiz", "--help", env={"CSDRILL_LANG": "zh", "COLUMNS": "80"})
    assert run.returncode == 0
    assert "…" not in run.stdout
    assert "要练习的市场" in run.stdout
