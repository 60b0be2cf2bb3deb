"""Temporary files of an export, kept next to the file they become.

Named `.<target name>.<pid>.<hex>.tmp` (the scratch collection: `….anki2.tmp`) in the target's own
folder, never in the system temp folder, so a killed export leaves nothing elsewhere; and the next
export to the same target removes what a dead process left there.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path


def scratch_path(target: Path, suffix: str = ".tmp") -> Path:
    return target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive
        return True
    return True


def remove_stale(target: Path) -> list[Path]:
    """Remove the temporary files of `target` whose process is gone; returns them."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]+(?:\.anki2)?\.tmp")
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        found = pattern.fullmatch(name)
        if found and not _alive(int(found.group(1))):
            path = target.parent / name
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def atomic_write(path: Path, text: str, create_folder: bool = True) -> None:
    """Write `text` to `path` in one step, so an interrupted export never leaves a half-written file.
    Without `create_folder`, a missing folder is an OSError like any other unwritable target."""
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path)
    tmp = scratch_path(path)
    try:
        with open(tmp, "x", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
