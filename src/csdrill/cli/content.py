"""Commands that read content: markets, decks, show, lint."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import typer

from csdrill.cli import app
from csdrill.cli.options import DecksOption, JsonOption, load_content, print_json
from csdrill.content.vocabulary import TOPICS
from csdrill.errors import UsageError
from csdrill.i18n import _, ngettext


def market_summary(library, code: str) -> dict:
    market = library.markets[code]
    return {
        "code": market.code,
        "name": market.name,
        "languages": list(market.languages),
        "pool": market.pool,
        "includes": list(market.includes),
        "cards": library.topic_counts(code),
    }


MARKETS_HELP = _(
    "List the markets with their languages and card counts per topic.\n\n"
    "Counts include what a market inherits: Germany counts its own cards plus the EU and global "
    "pools. Pools (eu, global) are listed last; they are drilled through the markets that include them."
)


@app.command(help=MARKETS_HELP)
def markets(decks: list[Path] = DecksOption, as_json: bool = JsonOption) -> None:
    """The markets and their card counts (help: MARKETS_HELP)."""
    library = load_content(decks).library
    ordered = sorted(library.markets.values(), key=lambda m: (m.pool, m.code))
    rows = [market_summary(library, m.code) for m in ordered]
    if as_json:
        print_json(rows)
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from csdrill.ui.console import stdout

    table = Table(title=_("csdrill markets"), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  caption=_("Cards per topic (regulation, etiquette, phrase, scenario, skill), "
                            "including those inherited from pools."),
                  caption_justify="left")
    table.add_column(_("code"), no_wrap=True)
    table.add_column(_("market"), min_width=12)
    table.add_column(_("lang"))
    for heading in (_("reg"), _("etiq"), _("phr"), _("scen"), _("skill"), _("total")):
        table.add_column(heading, justify="right", no_wrap=True)
    for row in rows:
        name = _("{name} (pool)").format(name=row["name"]) if row["pool"] else row["name"]
        counts = row["cards"]
        table.add_row(  # names come from markets.yaml files: shown literally, never as markup
            Text(row["code"]), Text(name), Text(", ".join(row["languages"])),
            *(str(counts[t]) for t in TOPICS), str(counts["total"]),
        )
    stdout().print(table)


@app.command("decks", help=_("List decks with their file, market, topic and number of cards."))
def list_decks(
    market: str = typer.Option(None, "--market", "-m",
                               help=_("Only decks this market drills (its own and inherited).")),
    decks: list[Path] = DecksOption,
    as_json: bool = JsonOption,
) -> None:
    """The decks (help above)."""
    library = load_content(decks).library
    shown = library.decks
    if market:
        lineage = library.lineage(resolve_market(library, market, allow_pool=True))
        shown = [d for d in shown if d.market in lineage]
    rows = [
        {"deck": d.id, "title": d.title, "market": d.market, "topic": d.topic, "file": d.path,
         "cards": len(d.cards)}
        for d in sorted(shown, key=lambda d: (d.market, d.topic, d.id))
    ]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table
    from rich.text import Text

    from csdrill.ui.console import stdout

    table = Table(title=_("csdrill decks"), title_justify="left")
    headings = {"deck": _("deck"), "market": _("market"), "topic": _("topic"), "cards": _("cards"), "file": _("file")}
    for column, heading in headings.items():
        table.add_column(heading, justify="right" if column == "cards" else "left")
    from csdrill.content.vocabulary import topic_label

    for row in rows:  # literal text: a file name may contain [brackets]
        shown_row = dict(row, topic=topic_label(row["topic"]))
        table.add_row(*(Text(str(shown_row[c])) for c in ("deck", "market", "topic", "cards", "file")))
    stdout().print(table)


def resolve_market(library, code: str, allow_pool: bool = False) -> str:
    """The market code, or UsageError (exit 2) listing the markets, with a 'did you mean'."""
    from csdrill.content.fields import did_you_mean

    code = code.strip().lower()
    if code not in library.markets:
        choices = sorted(c for c, m in library.markets.items() if allow_pool or not m.pool)
        if not choices:
            raise UsageError(_("unknown market '{market}': no markets are defined; add a markets.yaml to the deck "
                               "folder, or leave CSDRILL_BUILTIN unset to use the built-in markets").format(
                market=code))
        raise UsageError(
            _("unknown market '{market}'{hint}; markets: {markets}").format(
                market=code, hint=did_you_mean(code, choices), markets=", ".join(choices))
        )
    market = library.markets[code]
    if market.pool and not allow_pool:
        users = sorted(m.code for m in library.markets.values() if code in library.lineage(m.code)
                       and not m.pool)
        raise UsageError(
            _("'{pool}' is a shared pool, drilled through the markets that include it: "
              "{markets} (e.g. --market {example})").format(
                pool=code, markets=", ".join(users), example=users[0] if users else "de")
        )
    return code


def check_topic(topic: str) -> str:
    """The topic, or UsageError (exit 2) listing the topics, with a 'did you mean'."""
    from csdrill.content.fields import did_you_mean

    if topic not in TOPICS:
        raise UsageError(_("unknown topic '{topic}'{hint}; topics: {topics}").format(
            topic=topic, hint=did_you_mean(topic, TOPICS), topics=", ".join(TOPICS)))
    return topic


@app.command(help=_("Show one card as an agent would see it, with its source."))
def show(card_id: str = typer.Argument(..., help=_("The card's id, as shown in lint output, stats or exam results.")),
         decks: list[Path] = DecksOption, as_json: bool = JsonOption) -> None:
    """One card (help above)."""
    library = load_content(decks).library
    card = library.cards.get(card_id)
    if card is None:
        from csdrill.content.fields import did_you_mean

        raise UsageError(_("no card with id '{id}'{hint}").format(
            id=card_id, hint=did_you_mean(card_id, library.cards)))
    if as_json:
        from csdrill.content.serialise import card_to_dict

        print_json(card_to_dict(card))
        return
    from csdrill.ui.card_view import card_panel
    from csdrill.ui.console import stdout

    market = library.markets.get(card.market)
    stdout().print(card_panel(card, market.name if market else card.market))


LINT_HELP = _(
    "Check decks and quizzes; print each problem as path:line:col: message.\n\n"
    "Paths are checked together with the built-in content, so a card id that clashes with a built-in one is caught.\n\n"
    "With --cues, the cards checked (those under PATHS, or all) are also measured for answer cues per market.\n\n"
    "Exit 0 when clean, 1 when problems were found or a cue is over its limit, 2 on bad usage."
)


@app.command(help=LINT_HELP)
def lint(
    paths: list[Path] = typer.Argument(None, help=_("Deck or quiz files or folders (default: the built-in content).")),
    decks: list[Path] = DecksOption,
    as_json: bool = JsonOption,
    cues: bool = typer.Option(
        False, "--cues",
        help=_("Also report answer cues per market (best reply longest, answer longest or first, "
               "share of false true/false cards) and fail when over the limits."),
    ),
) -> None:
    """Check decks and quizzes (help: LINT_HELP)."""
    from csdrill.content.loader import extra_deck_dirs, load

    targets = list(paths or [])
    for target in targets:
        if not os.path.lexists(target):  # a broken link is there, and lint says what is wrong with it
            raise UsageError(_("no such file or folder: {path}").format(path=target))
    markets_files = [m for m in map(_nearest_markets_file, targets) if m]
    result = load(extra_deck_dirs(decks) + markets_files + targets, use_cache=False)  # lint always parses
    problems = result.problems
    if targets:
        problems = [p for p in problems if _inside(p.location.path, targets)]
    report = None
    if cues:
        from csdrill.content.cues import measure

        cards = result.library.cards.values()
        report = measure(c for c in cards if not targets or _inside(c.location.path, targets))
    if as_json:
        data = {"files": len(result.files), "problems": [p.to_dict() for p in problems]}
        if report is not None:
            data["cues"] = report.to_dict()
        print_json(data)
    else:
        for problem in problems:
            print(problem)
        if report is not None:
            from csdrill.ui.cue_table import print_cue_report

            print_cue_report(report)
        import sys

        files, found = len(result.files), len(problems)
        summary = ngettext("{files} files checked, {count} problem", "{files} files checked, {count} problems",
                           found).format(files=files, count=found)
        if report is not None:
            exceeded = len(report.failures)
            cues_line = ngettext("{count} cue limit exceeded", "{count} cue limits exceeded", exceeded).format(
                count=exceeded)
            # A list of two counts: the separator is the language's own comma.
            summary = _("{summary}, {cues}").format(summary=summary, cues=cues_line)
        print(summary, file=sys.stderr)
    if problems or (report is not None and not report.ok):
        raise typer.Exit(1)


def _nearest_markets_file(target: Path) -> Path | None:
    """The markets.yaml of the folder a linted file or folder is in, or of the nearest folder above it,
    so a deck linted alone is checked against the markets its folder defines."""
    folder = Path(os.path.abspath(target if target.is_dir() else target.parent))
    for candidate in (folder, *folder.parents):
        for name in ("markets.yaml", "markets.yml"):
            if (candidate / name).is_file():
                return candidate / name
    return None


def _inside(shown: str, targets: list[Path]) -> bool:
    """Whether a problem's file is one of the targets or in one, as written or where links lead."""
    paths = [Path(os.path.abspath(shown))]
    folders = [Path(os.path.abspath(t)) for t in targets]
    with contextlib.suppress(OSError, RuntimeError):  # a link loop leads nowhere
        paths.append(paths[0].resolve())
        folders += [t.resolve() for t in targets]
    return any(path == t or t in path.parents for path in paths for t in folders)
