"""Finding and loading every content file into one Library, with all problems collected."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from csdrill.content.decks import read_deck
from csdrill.content.markets import check_includes, read_markets
from csdrill.content.model import Deck, Library, Market
from csdrill.content.problems import ContentError, Location, Problem
from csdrill.content.yamltree import Map, YamlProblem, parse

YAML_SUFFIXES = (".yaml", ".yml")


def builtin_root() -> Path:
    """Where the built-in decks/ and quizzes/ are: inside the wheel, or the source checkout."""
    package = Path(__file__).resolve().parent.parent
    bundled = package / "builtin"
    if (bundled / "decks").is_dir():
        return bundled
    return package.parent.parent


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
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def yaml_files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    return sorted(p for p in target.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


@dataclass
class ParsedFile:
    path: Path
    shown: str
    root: Map | None


@dataclass
class LoadResult:
    library: Library
    problems: list[Problem]
    files: list[str] = field(default_factory=list)
    quizzes: list = field(default_factory=list)


def _read(paths: list[Path], problems: list[Problem]) -> list[ParsedFile]:
    parsed, seen = [], set()
    for path in paths:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        shown = display_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            problems.append(Problem(Location(shown), f"not UTF-8 text ({err.reason})"))
            continue
        except OSError as err:
            problems.append(Problem(Location(shown), f"cannot read file: {err.strerror}"))
            continue
        try:
            root = parse(text, shown)
        except YamlProblem as err:
            problems.append(err.problem)
            continue
        if root is None:
            problems.append(Problem(Location(shown), "file is empty"))
            continue
        if not isinstance(root, Map):
            problems.append(Problem(Location(shown), "expected a mapping with 'deck', 'quiz' or 'markets'"))
            continue
        parsed.append(ParsedFile(path, shown, root))
    return parsed


def _kind_of(root: Map) -> str | None:
    for kind in ("markets", "deck", "quiz"):
        if kind in root:
            return kind
    return None


def load(
    extra_dirs=(),
    *,
    include_builtin: bool | None = None,
    today: date | None = None,
) -> LoadResult:
    """Load built-in content plus extra folders; never raises for bad content."""
    today = today or date.today()
    problems: list[Problem] = []
    paths: list[Path] = []
    if include_builtin is None:
        include_builtin = builtin_enabled()
    if include_builtin:
        root = builtin_root()
        paths += yaml_files(root / "decks") + yaml_files(root / "quizzes")
    for extra in extra_dirs:
        if not extra.exists():
            problems.append(Problem(Location(str(extra)), "no such file or folder"))
            continue
        paths += yaml_files(extra)
    parsed = _read(paths, problems)

    markets: dict[str, Market] = {}
    decks: list[Deck] = []
    quiz_roots: list[ParsedFile] = []
    by_kind: dict[str, list[ParsedFile]] = {"markets": [], "deck": [], "quiz": []}
    for item in parsed:
        kind = _kind_of(item.root)
        if kind is None:
            problems.append(
                Problem(item.root.loc, "not a csdrill file: expected a top-level 'deck', 'quiz' or 'markets' key")
            )
            continue
        by_kind[kind].append(item)
    for item in by_kind["markets"]:
        for market in read_markets(item.root, item.shown, markets, problems):
            markets[market.code] = market
    check_includes(markets, problems)
    card_ids: list[tuple[str, Location]] = []
    for item in by_kind["deck"]:
        deck = read_deck(item.root, item.shown, markets, today, problems, card_ids)
        if deck:
            decks.append(deck)
    quiz_roots.extend(by_kind["quiz"])

    _check_card_ids(card_ids, problems)
    cards = {card.id: card for deck in decks for card in deck.cards}
    _check_deck_ids(decks, problems)
    library = Library(markets=markets, decks=decks, cards=cards)
    result = LoadResult(library, problems, files=[p.shown for p in parsed])
    if quiz_roots:
        from csdrill.content.quizzes import read_quiz

        for item in quiz_roots:
            quiz = read_quiz(item.root, item.shown, library, problems)
            if quiz:
                result.quizzes.append(quiz)
    result.problems.sort()
    return result


def _check_card_ids(card_ids: list[tuple[str, Location]], problems: list[Problem]) -> None:
    first_seen: dict[str, Location] = {}
    for card_id, where in card_ids:
        if card_id in first_seen:
            problems.append(Problem(where, f"card id '{card_id}' is already used at {first_seen[card_id]}"))
        else:
            first_seen[card_id] = where


def _check_deck_ids(decks: list[Deck], problems: list[Problem]) -> None:
    seen: dict[str, Deck] = {}
    for deck in decks:
        if deck.id in seen:
            problems.append(
                Problem(Location(deck.path), f"deck id '{deck.id}' is already used in {seen[deck.id].path}")
            )
        seen.setdefault(deck.id, deck)


def load_or_raise(extra_dirs=(), **kwargs) -> LoadResult:
    """Load content for a command that needs it whole: any problem raises ContentError."""
    result = load(extra_dirs, **kwargs)
    if result.problems:
        raise ContentError(result.problems)
    return result
