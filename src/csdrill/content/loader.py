"""Finding and loading every content file into one Library, with all problems collected."""

from __future__ import annotations

import errno
import gc
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from csdrill.content.cache import DeckCache, markets_key
from csdrill.content.decks import read_deck
from csdrill.content.markets import check_includes, read_markets
from csdrill.content.model import Deck, Library, Market
from csdrill.content.problems import ContentError, Location, Problem
from csdrill.content.yamltree import Map, YamlProblem, parse, value_loc
from csdrill.errors import UsageError
from csdrill.i18n import N_, say

YAML_SUFFIXES = (".yaml", ".yml")

# Parsing takes some 30 times a file's size in memory: one deck file above this many megabytes is
# refused, so a runaway file cannot take the machine down. CSDRILL_MAX_DECK_MB raises it (0: no limit).
MAX_DECK_MB = 10


def builtin_root() -> Path:
    """Where the built-in decks/ and quizzes/ are: inside the wheel, or the source checkout."""
    package = Path(__file__).resolve().parent.parent
    bundled = package / "builtin"
    if (bundled / "decks").is_dir():
        return bundled
    return package.parent.parent


def checkout_root(path: Path) -> Path | None:
    """The csdrill source checkout whose decks/ or quizzes/ `path` is in, or None.

    A trainer who follows decks/README.md edits a checkout's decks/ while the installed csdrill
    carries its own copy in site-packages: content from the checkout must replace that copy, or
    every card would clash with itself and a new market would be unknown.
    """
    try:
        full = path.resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (full, *full.parents):
        if (folder / "decks" / "markets.yaml").is_file() and _is_csdrill_project(folder / "pyproject.toml"):
            content = (folder / "decks", folder / "quizzes")
            return folder if any(c == full or c in full.parents for c in content) else None
    return None


def _is_csdrill_project(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r'^name\s*=\s*"csdrill"', text, re.MULTILINE) is not None


def extra_deck_dirs(cli_dirs=()) -> list[Path]:
    """Trainer deck folders: `--decks` first, then CSDRILL_DECKS (os.pathsep-separated)."""
    dirs = [Path(d) for d in cli_dirs or ()]
    env = os.environ.get("CSDRILL_DECKS", "")
    dirs += [Path(part) for part in env.split(os.pathsep) if part.strip()]
    return dirs


def builtin_enabled() -> bool:
    """CSDRILL_BUILTIN=0 drills only the trainer's own decks (they must then define their markets)."""
    return os.environ.get("CSDRILL_BUILTIN", "1").strip() not in ("0", "no", "false")


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it; absolute otherwise."""
    try:  # the folder resolved, the name kept: a linked file is named as the link, as the user wrote it
        full = path.parent.resolve() / path.name
    except (OSError, RuntimeError):  # a folder link loop
        full = Path(os.path.abspath(path))
    try:
        return str(full.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):  # outside the working folder, or that folder was deleted
        return str(full)


def max_deck_bytes() -> int | None:
    """The size limit for one content file, from CSDRILL_MAX_DECK_MB; None for no limit."""
    raw = os.environ.get("CSDRILL_MAX_DECK_MB", "").strip()
    if not raw:
        return MAX_DECK_MB * 1_000_000
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not 0 <= megabytes < 1e9:
        raise UsageError(say(N_("CSDRILL_MAX_DECK_MB must be a number of megabytes (0 for no limit), not '{value}'"),
            value=raw))
    return int(megabytes * 1_000_000) or None


# Whole sentences, one per kind of file, so that each translates as a whole.
_NOT_REGULAR = {
    stat.S_IFIFO: N_("not a regular file but a named pipe (FIFO); deck files must be plain files"),
    stat.S_IFCHR: N_("not a regular file but a device; deck files must be plain files"),
    stat.S_IFBLK: N_("not a regular file but a device; deck files must be plain files"),
    stat.S_IFSOCK: N_("not a regular file but a socket; deck files must be plain files"),
    stat.S_IFDIR: N_("not a regular file but a folder; deck files must be plain files"),
}


def _not_regular(mode: int) -> str:
    special = N_("not a regular file but a special file; deck files must be plain files")
    return say(_NOT_REGULAR.get(stat.S_IFMT(mode), special))


def _unreachable(path: Path, err: OSError) -> str:
    """Why a path that is listed cannot be followed, in words."""
    if err.errno == errno.ELOOP:
        return say(N_("symbolic link loop: following the link leads back to it"))
    if err.errno == errno.ENOENT and path.is_symlink():
        return say(N_("broken symbolic link: its target {target} does not exist"), target=os.readlink(path))
    return say(N_("cannot read: {reason}"), reason=err.strerror)


def _may_be_content(path: Path) -> bool:
    """A link that leads nowhere matters when it could have been a deck file or a folder of them."""
    return not path.name.startswith(".") and (not path.suffix or path.suffix in YAML_SUFFIXES)


def yaml_files(target: Path, problems: list[Problem] | None = None) -> list[Path]:
    """Content files in `target`, a file or a folder searched recursively (symlinked folders are not followed).

    What cannot be used is reported in `problems`, never skipped without a word: a named pipe or
    device with a YAML name, a broken link or link loop, a folder that cannot be read.
    """
    problems = problems if problems is not None else []
    try:
        mode = target.stat().st_mode
    except OSError as err:
        problems.append(Problem(Location(display_path(target)), _unreachable(target, err)))
        return []
    if not stat.S_ISDIR(mode):
        if not stat.S_ISREG(mode):
            problems.append(Problem(Location(display_path(target)), _not_regular(mode)))
            return []
        return [target]
    found: list[Path] = []
    folders = [target]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as err:
            problems.append(Problem(Location(display_path(folder)), say(N_("cannot read folder: {reason}"),
                reason=err.strerror)))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                    continue
                mode = entry.stat().st_mode  # follows a link to what it points at
            except OSError as err:
                if not _may_be_content(path):  # e.g. Emacs's lock link .#deck.yaml, which points nowhere
                    continue
                problems.append(Problem(Location(display_path(path)), _unreachable(path, err)))
                continue
            if path.suffix not in YAML_SUFFIXES or stat.S_ISDIR(mode):
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            else:
                problems.append(Problem(Location(display_path(path)), _not_regular(mode)))
    return sorted(found)


@dataclass
class SourceFile:
    path: Path
    shown: str
    data: bytes
    root: Map | None = None  # None until parsed (a cached deck is never parsed)


@dataclass
class LoadResult:
    library: Library
    problems: list[Problem]
    files: list[str] = field(default_factory=list)
    quizzes: list = field(default_factory=list)


def _read_bytes(paths: list[Path], problems: list[Problem]) -> list[SourceFile]:
    files, seen = [], set()
    limit = max_deck_bytes()
    for path in paths:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        shown = display_path(path)
        try:
            data = _read_regular(path, limit)
        except _Unusable as err:
            problems.append(Problem(Location(shown), str(err)))
            continue
        except OSError as err:
            problems.append(Problem(Location(shown), say(N_("cannot read file: {reason}"), reason=err.strerror)))
            continue
        files.append(SourceFile(path, shown, data))
    return files


class _Unusable(Exception):
    pass


def _read_regular(path: Path, limit: int | None) -> bytes:
    """The file's bytes; _Unusable when it is no plain file (checked on the open file, so a pipe
    swapped in after listing cannot block) or is over the size limit."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Unusable(_not_regular(info.st_mode))
        if limit is not None and info.st_size > limit:
            raise _Unusable(
                say(N_("file is {size:.1f} MB, over the {limit:g} MB limit for one content file; split it into "
                  "several files, or raise the limit with CSDRILL_MAX_DECK_MB"),
                      size=info.st_size / 1e6, limit=limit / 1e6)
            )
        data = handle.read(limit + 1 if limit is not None else -1)
        if limit is not None and len(data) > limit:  # it grew while being read
            raise _Unusable(say(N_("file is over the {limit:g} MB limit for one content file"), limit=limit / 1e6))
        return data


def _parse(source: SourceFile, problems: list[Problem]) -> Map | None:
    try:
        text = source.data.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(Problem(Location(source.shown), say(N_("not UTF-8 text ({reason})"), reason=err.reason)))
        return None
    try:
        root = parse(text, source.shown)
    except YamlProblem as err:
        problems.append(err.problem)
        return None
    if root is None:
        problems.append(Problem(Location(source.shown), say(N_("file is empty"))))
        return None
    if not isinstance(root, Map):
        problems.append(Problem(Location(source.shown), say(N_("expected a mapping with 'deck', 'quiz' or 'markets'"))))
        return None
    return root


def _kind_of(root: Map) -> str | None:
    for kind in ("deck", "quiz", "markets"):
        if kind in root:
            return kind
    return None


@contextmanager
def _collector_paused(freeze: bool):
    """Pause the cyclic garbage collector while cards are built.

    Loading allocates hundreds of thousands of objects that all live on (cards, tuples, strings) and
    form no reference cycles; each automatic collection would walk them again, which made a load of
    100,000 cards several times slower. Anything cyclic left over is collected once it resumes,
    unless `freeze` moves everything alive into the collector's permanent generation first.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def load(
    extra_dirs=(),
    *,
    include_builtin: bool | None = None,
    today: date | None = None,
    use_cache: bool = True,
    freeze: bool = False,
) -> LoadResult:
    """Load built-in content plus extra folders; never raises for bad content.

    With `use_cache`, decks that loaded cleanly before and have not changed come from the parsed-deck
    cache instead of being parsed again (lint passes use_cache=False: it always parses).
    `freeze` is for a program that keeps the content until it exits (a command-line run): everything
    alive after loading is left out of later garbage collections (gc.freeze), which would otherwise
    walk every card at least once more. Cards are still freed when dropped, but reference cycles that
    were garbage at that moment are never collected, so a long-running program should leave it off.
    """
    with _collector_paused(freeze):
        return _load(extra_dirs, include_builtin, today or date.today(), use_cache)


def _load(extra_dirs, include_builtin: bool | None, today: date, use_cache: bool) -> LoadResult:
    problems: list[Problem] = []
    paths: list[Path] = []
    if include_builtin is None:
        include_builtin = builtin_enabled()
    if include_builtin:
        checkouts = (checkout_root(Path(extra)) for extra in extra_dirs)
        root = next((found for found in checkouts if found), None) or builtin_root()
        paths += yaml_files(root / "decks", problems) + yaml_files(root / "quizzes", problems)
    for extra in extra_dirs:
        if not os.path.lexists(extra):
            problems.append(Problem(Location(str(extra)), say(N_("no such file or folder"))))
            continue
        paths += yaml_files(extra, problems)
    sources = _read_bytes(paths, problems)

    # markets.yaml files are tiny and decide how decks validate: always parse them first.
    markets: dict[str, Market] = {}
    others: list[SourceFile] = []
    for source in sources:
        if source.path.name in ("markets.yaml", "markets.yml"):
            source.root = _parse(source, problems)
            if source.root is not None and "markets" in source.root:
                for market in read_markets(source.root, source.shown, markets, problems):
                    markets[market.code] = market
                continue
            if source.root is None:
                continue
        others.append(source)
    check_includes(markets, problems)

    cache = DeckCache() if use_cache else None
    key = markets_key(markets)
    decks: list[Deck] = []
    card_ids: list[tuple[str, Location]] = []
    quiz_sources: list[SourceFile] = []
    for source in others:
        cached = cache.get(source.path, source.data, source.shown, key) if cache else None
        if cached is not None:
            decks.append(cached)
            card_ids += [(card.id, card.location) for card in cached.cards]
            continue
        if source.root is None:
            source.root = _parse(source, problems)
            if source.root is None:
                continue
        kind = _kind_of(source.root)
        if kind == "quiz":
            quiz_sources.append(source)
            continue
        if kind == "markets":
            problems.append(Problem(source.root.loc, say(N_("markets are defined only in a file named markets.yaml"))))
            continue
        if kind != "deck":
            problems.append(Problem(
                source.root.loc, say(N_("not a csdrill file: expected a top-level 'deck', 'quiz' or 'markets' key"))))
            continue
        before = len(problems)
        deck = read_deck(source.root, source.shown, markets, today, problems, card_ids)
        if deck:
            decks.append(deck)
            if cache and len(problems) == before:
                cache.put(source.path, source.data, key, deck)

    _check_unique_ids(card_ids, "card", problems)
    cards = {card.id: card for deck in decks for card in deck.cards}
    _check_deck_ids(decks, problems)
    library = Library(markets=markets, decks=decks, cards=cards)
    result = LoadResult(library, problems, files=[s.shown for s in sources])
    if quiz_sources:
        from csdrill.content.quizzes import read_quiz

        quiz_ids = []
        for source in quiz_sources:
            if isinstance(source.root.get("quiz"), str):
                quiz_ids.append((source.root["quiz"].strip(), value_loc(source.root, "quiz")))
            quiz = read_quiz(source.root, source.shown, library, problems)
            if quiz:
                result.quizzes.append(quiz)
        _check_unique_ids(quiz_ids, "quiz", problems)
    result.problems.sort()
    return result


def _check_unique_ids(ids: list[tuple[str, Location]], what: str, problems: list[Problem]) -> None:
    """Each id once: a repeat is reported where it stands, naming where the id was first used."""
    first_seen: dict[str, Location] = {}
    message = N_("card id '{id}' is already used at {first}") if what == "card" else N_(
        "quiz id '{id}' is already used at {first}")
    for ident, where in ids:
        if ident in first_seen:
            problems.append(Problem(where, say(message, id=ident, first=first_seen[ident])))
        else:
            first_seen[ident] = where


def _check_deck_ids(decks: list[Deck], problems: list[Problem]) -> None:
    seen: dict[str, Deck] = {}
    for deck in decks:
        if deck.id in seen:
            problems.append(
                Problem(Location(deck.path), say(N_("deck id '{id}' is already used in {first}"),
                    id=deck.id, first=seen[deck.id].path))
            )
        seen.setdefault(deck.id, deck)


def load_or_raise(extra_dirs=(), **kwargs) -> LoadResult:
    """Load content for a command that needs it whole: any problem raises ContentError."""
    result = load(extra_dirs, **kwargs)
    if result.problems:
        raise ContentError(result.problems)
    return result
