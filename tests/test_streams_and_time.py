"""Standard streams in every odd state, and CSDRILL_NOW at the edges of time: a clear message or the
quiet end other Unix tools have, never an internal error and never a silent exit 1."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from tests.conftest import write
from tests.test_store_failures import DECK, MARKETS


@pytest.fixture
def decks(tmp_path, monkeypatch):
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")
    folder = tmp_path / "decks"
    write(folder, "markets.yaml", MARKETS.replace("Zedland", "Zedländ"))
    write(folder, "deck.yaml", DECK.replace("Statement number", "Aussage Nummer für"))
    monkeypatch.setenv("CSDRILL_DECKS", str(folder))
    return folder


QUIZ = ("quiz", "--market", "zz", "--mode", "choice", "--new", "30", "--limit", "30")


def shell(command: str, decks, **env):
    """Run a shell line with `csdrill` meaning this checkout's CLI."""
    full = dict(os.environ, CSDRILL_DECKS=str(decks), **env)
    cli = f"{sys.executable} -m csdrill"
    return subprocess.run(["bash", "-c", command.replace("csdrill", cli)], capture_output=True, env=full,
                          timeout=60)


def assert_no_internal_error(result) -> None:
    stderr = result.stderr if isinstance(result.stderr, str) else result.stderr.decode("utf-8", "replace")
    assert "internal error" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("moment", ["0001-01-01", "1969-12-31T23:59:59", "9999-12-31T23:59:59", "3000-01-01"])
def test_csdrill_now_outside_the_supported_range_is_refused_clearly(cli, decks, moment):
    for args in (QUIZ, ("stats",)):
        result = cli(*args, input="1\n", env={"CSDRILL_NOW": moment})
        assert result.returncode == 2, result.stderr
        assert_no_internal_error(result)
        assert f"CSDRILL_NOW must be between 1970-01-01 and 2999-12-31, not '{moment}'" in result.stderr


def test_csdrill_now_that_is_no_date_says_what_it_should_be(cli, decks):
    result = cli(*QUIZ, env={"CSDRILL_NOW": "yesterday"})
    assert result.returncode == 2
    assert "CSDRILL_NOW is not an ISO date-time: 'yesterday' (e.g. 2026-11-30" in result.stderr


def test_dates_are_stored_with_four_digit_years():
    from csdrill.store import from_db, to_db

    assert to_db(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05.000000Z"
    assert to_db(datetime(2026, 11, 30, tzinfo=UTC)) == "2026-11-30T00:00:00.000000Z"
    assert from_db("1-01-01T00:00:00.000000Z") == datetime(1, 1, 1, tzinfo=UTC)


def test_a_database_with_short_years_from_an_older_csdrill_still_reads(cli, decks, isolated_home):
    assert cli(*QUIZ, input="1\n1\n", env={"CSDRILL_NOW": "2026-11-30T09:00:00"}).returncode == 0
    with sqlite3.connect(isolated_home / "progress.db") as con:
        con.execute("UPDATE reviews SET answered_at = '1-01-01T00:00:00.000000Z'")
        con.execute("UPDATE card_state SET introduced_at = '1-01-01T00:00:00.000000Z', "
                    "last_review = '1-01-01T00:00:00.000000Z'")
    for args in (("reviews",), ("reviews", "--json"), ("stats",), ("stats", "--json")):
        result = cli(*args, env={"CSDRILL_NOW": "2026-11-30T10:00:00"})
        assert result.returncode == 0, (args, result.stderr)
    assert "0001-01-01T00:00:00.000000Z" in cli("reviews", "--json").stdout


def test_closed_stdout_is_a_clear_message(decks):
    result = shell("csdrill markets >&-", decks)
    assert result.returncode == 2
    assert_no_internal_error(result)
    assert b"csdrill: standard output is closed" in result.stderr


def test_closed_stdin_ends_the_quiz_as_end_of_input(decks):
    result = shell("csdrill " + " ".join(QUIZ) + " <&-", decks)
    assert result.returncode == 0, result.stderr
    assert_no_internal_error(result)
    assert b"Aussage Nummer" in result.stdout  # the first card was shown, then input ended


def test_closed_stderr_does_not_stop_a_command(decks):
    result = shell("csdrill markets 2>&-", decks)
    assert result.returncode == 0
    assert "Zedländ".encode() in result.stdout


@pytest.mark.parametrize("command", ["csdrill markets", "csdrill reviews", "csdrill export csv -o -",
                                     "printf '1\\n1\\n' | csdrill " + " ".join(QUIZ)])
def test_full_standard_output_is_a_clear_message(decks, command):
    result = shell(command + " > /dev/full", decks)
    assert result.returncode == 2, result.stderr
    assert_no_internal_error(result)
    assert b"cannot write" in result.stderr and b"No space left on device" in result.stderr
    assert b"None" not in result.stderr


def test_quiz_piped_into_head_ends_quietly_as_by_sigpipe(decks, isolated_home):
    env = dict(os.environ, CSDRILL_DECKS=str(decks))
    proc = subprocess.Popen([sys.executable, "-m", "csdrill", *QUIZ], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdin.write(b"1\n" * 30)
    proc.stdin.close()
    assert len(proc.stdout.read(10)) == 10
    proc.stdout.close()  # the reader goes away, as `| head -c 10` does
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == -signal.SIGPIPE
    assert stderr == ""


def test_ascii_only_output_encoding_falls_back_instead_of_failing(cli, decks):
    env = {"PYTHONIOENCODING": "ascii"}
    for args in (("markets",), ("show", "zz-eti-1"), ("lint", str(decks))):
        result = cli(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        assert_no_internal_error(result)
    assert "Zedl?nd" in cli("markets", env=env).stdout
    quiz = cli(*QUIZ, input="1\n1\n", env=env)
    assert quiz.returncode == 0 and "Aussage Nummer f?r" in quiz.stdout


def test_undecodable_bytes_in_the_answers_do_not_break_line_mode(decks):
    env = dict(os.environ, CSDRILL_DECKS=str(decks))
    result = subprocess.run([sys.executable, "-m", "csdrill", *QUIZ], input=b"\xff\xfe\n1\n", capture_output=True,
                            env=env, timeout=60)
    assert result.returncode in (0, 2), result.stderr
    assert_no_internal_error(result)


def test_undecodable_bytes_in_the_user_name_are_refused_clearly(decks):
    env = dict(os.environ, CSDRILL_DECKS=str(decks))
    for args in ([b"--user", b"ana\xff"], [b"--user=ana\xff"], [b"-uana\xff"]):
        result = subprocess.run([sys.executable.encode(), b"-m", b"csdrill", *[a.encode() for a in QUIZ], *args],
                                input=b"1\n", capture_output=True, env=env, timeout=60)
        assert result.returncode == 2, result.stderr
        assert_no_internal_error(result)
        assert b"--user 'ana\\xff' has bytes that are not valid UTF-8 text" in result.stderr
    env_bytes = {k.encode(): v.encode() for k, v in env.items()}
    env_bytes[b"CSDRILL_USER"] = b"ana\xff"
    result = subprocess.run([sys.executable, "-m", "csdrill", *QUIZ], input=b"1\n", capture_output=True,
                            env=env_bytes, timeout=60)
    assert result.returncode == 2, result.stderr
    assert b"CSDRILL_USER 'ana\\xff' has bytes that are not valid UTF-8 text" in result.stderr


@pytest.mark.parametrize("kind", ["csv", "anki"])
def test_export_onto_a_pipe_or_device_is_refused_and_leaves_it_alone(cli, decks, tmp_path, kind):
    """An export is written beside its target and renamed over it: over a device node that would
    replace the device itself (as root, /dev/full became a regular file)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli("export", kind, "-o", str(fifo))
    assert result.returncode == 2, result.stderr
    assert f"cannot write {fifo}: it is a device or pipe, not a file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_deleted_working_folder_is_named_not_an_internal_error(decks, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    result = shell(f"cd {gone} && rmdir {gone} && csdrill decks >/dev/null && csdrill lint .", decks)
    assert result.returncode == 2, result.stderr
    assert_no_internal_error(result)
    assert b"the current folder no longer exists; change to another folder" in result.stderr


def test_an_exam_seed_too_large_to_record_is_bad_usage(cli, builtin_content):
    result = cli("exam", "fundamentals", "--seed", "9" * 23, input="")
    assert result.returncode == 2, result.stderr
    assert_no_internal_error(result)
    assert "the seed 99999999999999999999999 is too large to record" in result.stderr


@pytest.mark.parametrize("line", ["²".encode(), b"1" * 10_000], ids=["superscript-two", "ten-thousand-digits"])
def test_a_number_line_python_cannot_read_as_an_int_is_an_unusable_line(decks, line):
    env = dict(os.environ, CSDRILL_DECKS=str(decks))
    result = subprocess.run([sys.executable, "-m", "csdrill", *QUIZ], input=line + b"\n", capture_output=True,
                            env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    assert_no_internal_error(result)
    assert b"input line 1:" in result.stderr


def test_a_piped_answer_is_echoed_without_its_escape_sequences(decks):
    env = dict(os.environ, CSDRILL_DECKS=str(decks))
    result = subprocess.run([sys.executable, "-m", "csdrill", "quiz", "--market", "zz", "--mode", "typed"],
                            input=b"\x1b[2Jhi\n", capture_output=True, env=env, timeout=60)
    assert b"\x1b" not in result.stdout + result.stderr
    assert_no_internal_error(result)
