"""The progress database failing after it is open: a message that says what happened and what to do,
exit 2, and every answer acknowledged before the failure still saved. Real SQLite on real file systems
(a tiny tmpfs for a full disk, a read-only mount), never mocks."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli, write

TRUE_FALSE = "".join(
    f"  - id: zz-eti-{n}\n    statement: Statement number {n} holds.\n    true: yes\n    explain: Because.\n"
    for n in range(30)
)
DECK = "deck: zz-etiquette\ntitle: Zedland etiquette\nmarket: zz\ntopic: etiquette\ncards:\n" + TRUE_FALSE
MARKETS = "markets:\n  - code: zz\n    name: Zedland\n    languages: [de]\n"


@pytest.fixture
def decks(tmp_path, monkeypatch):
    """Thirty true/false cards: the answer `1` is always a valid line for the quiz."""
    monkeypatch.setenv("CSDRILL_BUILTIN", "0")
    folder = tmp_path / "decks"
    write(folder, "markets.yaml", MARKETS)
    write(folder, "deck.yaml", DECK)
    return folder


def quiz(decks, answers: int, user: str = "tester", **env):
    return run_cli("quiz", "--market", "zz", "--decks", str(decks), "--mode", "choice", "--new", "30",
                   "--limit", "30", "--user", user, input="1\n" * answers, env=env)


def saved_answers(db: Path, user: str = "tester") -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM reviews WHERE user = ?", (user,)).fetchone()[0]


def assert_state_failure(result) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def tmpfs():
    """Mount a small tmpfs (root only; skipped elsewhere) and unmount it afterwards."""
    mounts = []

    def mount(size: str) -> Path:
        point = Path(tempfile.mkdtemp(prefix="csdrill-fs-"))
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        mounts.append(point)
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
        shutil.rmtree(point, ignore_errors=True)


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of `folder` up to `leave` bytes of free space."""
    filler = folder / "filler"
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with open(filler, "wb") as out:
        out.truncate(0)
        out.write(b"\0" * max(0, free - leave))
    return filler


def test_garbage_after_a_valid_header_says_damaged_and_how_to_move_it_aside(decks, isolated_home):
    assert quiz(decks, 2).returncode == 0
    db = isolated_home / "progress.db"
    data = bytearray(db.read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)
    db.write_bytes(bytes(data))
    for result in (run_cli("reviews"), quiz(decks, 1)):
        assert_state_failure(result)
        assert f"the progress database {db} is damaged (database disk image is malformed)" in result.stderr
        assert f"mv {db} {db}.broken" in result.stderr


def test_lock_held_past_the_busy_timeout_is_explained_and_earlier_answers_stay(decks, isolated_home):
    assert quiz(decks, 2).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sqlite3, sys, time
            db = sqlite3.connect({str(isolated_home / "progress.db")!r}, isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = quiz(decks, 3, CSDRILL_BUSY_TIMEOUT="0.5")
    finally:
        holder.kill()
        holder.wait()
    assert_state_failure(result)
    assert "is in use: another csdrill (or another program) kept it locked for more than 0.5 s" in result.stderr
    assert "This answer was not saved; every answer before it is." in result.stderr
    assert saved_answers(isolated_home / "progress.db") == 2


def test_read_only_progress_db_is_explained(decks):
    """As an unprivileged user (root writes read-only files), so the mode really bites."""
    base = Path(tempfile.mkdtemp(prefix="csdrill-ro-"))
    try:
        os.chmod(base, 0o755)
        shutil.copytree(decks, base / "decks")
        home = base / "home"
        env = dict(os.environ, CSDRILL_HOME=str(home), PYTHONPATH=str(REPO / "src"), CSDRILL_BUILTIN="0")
        command = [sys.executable, "-m", "csdrill", "quiz", "--market", "zz", "--decks", str(base / "decks"),
                   "--mode", "choice", "--new", "30", "--limit", "30"]
        assert subprocess.run(command, input="1\n", text=True, capture_output=True, env=env).returncode == 0
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv to drop privileges")
            shutil.chown(home, "nobody")
            for entry in home.rglob("*"):
                shutil.chown(entry, "nobody")
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        (home / "progress.db").chmod(0o444)
        result = subprocess.run(command, input="1\n1\n", text=True, capture_output=True, env=env, cwd=base)
        assert_state_failure(result)
        assert f"the progress database {home / 'progress.db'} is read-only, so answers cannot be saved" \
            in result.stderr
        assert f"chmod u+w {home / 'progress.db'}" in result.stderr
        assert saved_answers(home / "progress.db") == 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_read_only_file_system_is_explained(decks, tmpfs):
    point = tmpfs("8m")
    home = point / "home"
    assert quiz(decks, 1, CSDRILL_HOME=str(home)).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    result = quiz(decks, 2, user="other", CSDRILL_HOME=str(home))
    assert_state_failure(result)
    assert "is on a read-only file system, so csdrill cannot use it" in result.stderr
    assert "CSDRILL_HOME" in result.stderr


def test_full_disk_at_start_up_does_not_say_move_the_database_aside(decks, tmpfs):
    point = tmpfs("8m")
    home = point / "home"
    assert quiz(decks, 1, CSDRILL_HOME=str(home)).returncode == 0
    fill(point, leave=0)
    result = quiz(decks, 2, CSDRILL_HOME=str(home))
    assert_state_failure(result)
    assert "is full" in result.stderr and "free some space" in result.stderr
    assert "Move it aside" not in result.stderr and "damaged" not in result.stderr


def test_disk_filling_mid_session_keeps_every_acknowledged_answer(decks, tmpfs):
    """Some answers fit, then one does not: each one shown as answered before it is in the database."""
    for leave in (96_000, 128_000, 160_000, 224_000):
        point = tmpfs("8m")
        home = point / "home"
        assert quiz(decks, 1, CSDRILL_HOME=str(home)).returncode == 0
        filler = fill(point, leave=leave)
        result = quiz(decks, 30, CSDRILL_HOME=str(home))
        filler.unlink()
        asked = result.stdout.count("Answer (")  # each card asks once; each answer before the last was saved
        if result.returncode == 2 and asked >= 3:
            break
    else:
        pytest.fail("no free-space setting ran out of disk in the middle of a session")
    assert_state_failure(result)
    assert "is full. This answer was not saved; every answer before it is." in result.stderr
    assert "The database itself is fine: free some space" in result.stderr
    assert saved_answers(home / "progress.db") == 1 + asked - 1  # the first session's answer, then all but the last
    with sqlite3.connect(home / "progress.db") as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_unwritable_cache_is_skipped_and_the_command_goes_on(decks, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "cache").write_text("a file where the cache folder should be")
    result = run_cli("decks", "--decks", str(decks), env={"CSDRILL_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert "zz-etiquette" in result.stdout


def test_full_disk_leaves_no_half_written_cache_entry(decks, tmpfs):
    point = tmpfs("8m")
    home = point / "home"
    (home / "cache").mkdir(parents=True)
    fill(point, leave=0)
    result = run_cli("decks", "--decks", str(decks), env={"CSDRILL_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert list((home / "cache").iterdir()) == []


@pytest.mark.parametrize("kind", ["folder", "pipe", "looping link"])
def test_something_else_where_the_database_should_be_is_named(isolated_home, kind):
    db = isolated_home / "progress.db"
    if kind == "folder":
        db.mkdir()
    elif kind == "pipe":
        os.mkfifo(db)
    else:
        db.symlink_to(db.name)
    result = run_cli("reviews", timeout=30)  # a pipe must not block the open
    assert_state_failure(result)
    assert f"the progress database {db} is a" in result.stderr and "not a database file" in result.stderr
