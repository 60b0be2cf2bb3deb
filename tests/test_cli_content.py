"""The content commands as a user runs them: markets, decks, show, lint, --version."""

from __future__ import annotations

import json
import zipfile

from csdrill import __version__
from tests.conftest import write
from tests.test_lint_rules import GOOD_FACT, GOOD_MIXED


def test_version(cli):
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"csdrill {__version__}"


def test_markets_json_counts_inherited_cards(cli, deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    write(deck_dir, "pool.yaml", GOOD_MIXED.replace("market: zz", "market: pool1"))
    result = cli("markets", "--json", "--decks", str(deck_dir))
    assert result.returncode == 0, result.stderr
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    zz = rows["zz"]
    assert zz["name"] == "Zedland" and zz["languages"] == ["de"]
    # One regulation card of its own plus the pool's three etiquette-deck cards.
    assert zz["cards"] == {"regulation": 1, "etiquette": 3, "phrase": 0, "scenario": 0, "skill": 0, "total": 4}
    assert rows["pool1"]["pool"] is True
    assert set(rows["de"]) >= {"code", "name", "languages", "cards"}


def test_markets_lists_builtin_markets_from_any_directory(cli, tmp_path):
    result = cli("markets", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "de" in result.stdout and "Germany" in result.stdout


def test_decks_filtered_by_market(cli, deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    write(deck_dir, "pool.yaml", GOOD_MIXED.replace("market: zz", "market: pool1"))
    rows = json.loads(cli("decks", "--market", "zz", "--json", "--decks", str(deck_dir)).stdout)
    assert {(r["deck"], r["market"], r["cards"]) for r in rows} == {("zz-regulation", "zz", 1), ("zz-mixed", "pool1", 3)}
    assert all(r["file"].endswith(".yaml") for r in rows)


def test_env_var_adds_deck_folders(cli, deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    result = cli("show", "zz-reg-one", "--json", env={"CSDRILL_DECKS": str(deck_dir)})
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["a"] == "14 days" and card["source"]["verified"] == "2026-01-02"


def test_show_renders_markup_literally_with_source(cli, deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT.replace("a: 14 days", "a: \"[bold]14[/] days\"").replace(
        "[7 days, 14 days, 30 days]", "['7 days', '[bold]14[/] days']"))
    result = cli("show", "zz-reg-one", "--decks", str(deck_dir))
    assert result.returncode == 0, result.stderr
    assert "[bold]14[/] days" in result.stdout
    assert "Directive 2011/83/EU, Art. 9" in result.stdout
    assert "https://eur-lex.europa.eu/eli/dir/2011/83/oj" in result.stdout


def test_show_unknown_card_suggests(cli, deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    result = cli("show", "zz-reg-onr", "--decks", str(deck_dir))
    assert result.returncode == 2
    assert "did you mean 'zz-reg-one'" in result.stderr


def test_lint_clean_folder_exits_0(cli, deck_dir):
    write(deck_dir, "fact.yaml", GOOD_FACT)
    result = cli("lint", str(deck_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_broken_decks_one_line_per_problem_exit_1_from_lint_2_elsewhere(cli, deck_dir):
    write(deck_dir, "syntax.yaml", "deck: x\ncards: [\n")
    write(deck_dir, "typo.yaml", GOOD_FACT.replace("explain:", "explian:"))
    write(deck_dir, "dup.yaml", GOOD_FACT.replace("deck: zz-regulation", "deck: zz-dup").replace(
        "explain:", "explain:"))
    write(deck_dir, "nosource.yaml", GOOD_FACT.replace("deck: zz-regulation", "deck: zz-ns").replace(
        "zz-reg-one", "zz-reg-two").split("    source:")[0])
    lint = cli("lint", str(deck_dir))
    assert lint.returncode == 1
    lines = lint.stdout.strip().splitlines()
    assert len(lines) == 4, lines
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in lines)
    text = lint.stdout
    assert "syntax.yaml:3:1: YAML syntax error" in text
    assert "typo.yaml:10:5: unknown key 'explian'" in text
    assert "card id 'zz-reg-one' is already used at" in text
    assert "nosource.yaml:6:5: card 'zz-reg-two' is in a regulation deck but has no 'source'" in text
    for command in (["markets"], ["decks"], ["show", "zz-reg-one"]):
        other = cli(*command, "--decks", str(deck_dir))
        assert other.returncode == 2, command
        assert "Traceback" not in other.stderr
        assert "typo.yaml:10:5: unknown key 'explian'" in other.stderr


def test_lint_json(cli, deck_dir):
    write(deck_dir, "typo.yaml", GOOD_FACT.replace("explain:", "explian:"))
    result = cli("lint", str(deck_dir), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["problems"][0]["line"] == 10 and report["problems"][0]["col"] == 5
    assert "explian" in report["problems"][0]["message"]


def test_lint_missing_path_is_bad_usage(cli, tmp_path):
    result = cli("lint", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr


def test_unreadable_and_binary_files_are_problems_not_tracebacks(cli, deck_dir):
    (deck_dir / "latin1.yaml").write_bytes("deck: caf\xe9\n".encode("latin-1"))
    result = cli("lint", str(deck_dir))
    assert result.returncode == 1
    assert "latin1.yaml:1:1: not UTF-8 text" in result.stdout
    assert "Traceback" not in result.stderr


def test_builtin_content_is_in_the_wheel(tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO

    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO, check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("csdrill-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "csdrill/builtin/decks/markets.yaml" in names
    assert "csdrill/cli/__init__.py" in names
