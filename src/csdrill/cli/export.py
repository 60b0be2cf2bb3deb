"""csdrill export: cards as an Anki package for learners, or as CSV for trainers' spreadsheets."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path

import typer

from csdrill.cli import app
from csdrill.cli.content import check_topic, resolve_market
from csdrill.cli.options import DecksOption, load_content
from csdrill.content.vocabulary import TOPICS
from csdrill.errors import UsageError
from csdrill.i18n import _, ngettext

export_app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(
    export_app,
    name="export",
    help=_("Export cards: an Anki package (.apkg) for learners, or CSV for trainers' spreadsheets."),
)

MarketsOption = typer.Option(
    None, "--market", "-m", metavar="CODE",
    help=_("Only this market, with the pools it includes (repeatable; pools such as eu work too). "
           "Default: every market and pool."),
)
TopicsOption = typer.Option(
    None, "--topic", "-t", metavar="TOPIC",
    help=_("Only this topic (repeatable): {topics}.").format(topics=", ".join(TOPICS)),
)
ApkgOutputOption = typer.Option(
    None, "--output", "-o", metavar="PATH",
    help=_("The .apkg to write. Default: csdrill.apkg, or csdrill-<market>.apkg for one market."),
)
CsvOutputOption = typer.Option(
    None, "--output", "-o", metavar="PATH",
    help=_("The .csv to write, or '-' for stdout. Default: csdrill.csv, or csdrill-<market>.csv."),
)

# Show the progress bar only for exports slow enough to notice.
PROGRESS_DELAY = 0.4


def _selection(decks, markets, topics):
    """The library, the chosen market codes, topics and their cards; UsageError for unknown names."""
    from csdrill.selection import select_cards

    library = load_content(decks).library
    codes = list(dict.fromkeys(resolve_market(library, m, allow_pool=True) for m in markets or ()))
    topics = list(dict.fromkeys(check_topic(t.strip().lower()) for t in topics or ()))
    cards = select_cards(library, codes, topics)
    if not cards:
        raise UsageError(_("no cards to export for this --market/--topic selection"))
    return library, codes, topics, cards


def _output_path(output: Path | None, codes: list[str], suffix: str) -> Path:
    if output is None:
        output = Path(f"csdrill-{codes[0]}{suffix}" if len(codes) == 1 else f"csdrill{suffix}")
    try:
        is_folder, parent_exists = output.is_dir(), output.parent.is_dir()
    except OSError as err:  # e.g. a name too long for the file system
        raise UsageError(_("cannot write {path}: {reason}").format(path=output, reason=err.strerror or err)) from err
    if is_folder:
        example = output / f"csdrill{suffix}"
        raise UsageError(_("cannot write {path}: it is a folder; give a file name, e.g. {example}").format(
            path=output, example=example))
    if not parent_exists:
        raise UsageError(_("cannot write {path}: folder {folder} does not exist").format(
            path=output, folder=output.parent))
    if output.exists() and not output.is_file():  # a device or a pipe: the atomic replace would destroy it
        if suffix == ".csv":
            raise UsageError(_("cannot write {path}: it is a device or pipe, not a file; give a file name, "
                               "or -o - for standard output").format(path=output))
        raise UsageError(_("cannot write {path}: it is a device or pipe, not a file; give a file name").format(
            path=output))
    return output


@contextmanager
def _progress_bar(label: str):
    """A transient Rich bar on stderr, shown once the work has taken PROGRESS_DELAY seconds."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from csdrill.ui.console import stderr

    console = stderr()
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    )
    started = time.monotonic()
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if time.monotonic() - started < PROGRESS_DELAY:
                return
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


ANKI_HELP = _(
    "Write an Anki package: one note per card, in decks [bold]csdrill::<Market>::<Topic>[/bold].\n\n"
    "Shared pools (EU, global) get their own decks, once. Importing a newer export with Anki's "
    "default options updates the notes whose cards changed, in place, keeping review history; "
    "cards removed from the decks come once more, marked retired (tag csdrill::retired). "
    "See docs/anki.md."
)
CSV_HELP = _(
    "Write one CSV row per card with every field, for trainers who work in spreadsheets.\n\n"
    "Files are UTF-8 with a byte-order mark (BOM), so Excel shows umlauts, Chinese and Arabic "
    "right; list fields (choices, options, accept, tags) are joined with \" | \". "
    "A cell that starts with = + - @, a tab or a carriage return gets a leading apostrophe, so a "
    "spreadsheet shows it as text instead of running it as a formula; [bold]--raw[/bold] leaves it out. "
    "With [bold]--output -[/bold] the CSV goes to stdout as plain UTF-8, without the BOM."
)


@export_app.command("anki", help=ANKI_HELP)
def anki(
    markets: list[str] = MarketsOption,
    topics: list[str] = TopicsOption,
    output: Path = ApkgOutputOption,
    decks: list[Path] = DecksOption,
) -> None:
    """Write an Anki package, one note per card (help: ANKI_HELP)."""
    library, codes, topics, cards = _selection(decks, markets, topics)
    output = _output_path(output, codes, ".apkg")
    from csdrill.anki.package import Selection, export_anki  # genanki loads only here: start-up stays light
    from csdrill.content.problems import ContentError

    with _progress_bar(_("Writing Anki package")) as progress:
        try:
            result = export_anki(library, cards, output, progress=progress,
                                 selection=Selection(tuple(codes), tuple(topics)))
        except OSError as err:
            raise UsageError(_("cannot write {path}: {reason}").format(
                path=output, reason=err.strerror or err)) from err
        except ContentError as err:  # a card changed its kind: only the export's history knows
            for problem in err.problems:
                print(problem, file=sys.stderr)
            print("csdrill: " + _("nothing written to {path}; change the card ids above and export again").format(
                path=output), file=sys.stderr)
            raise typer.Exit(2) from None
    print(_export_summary(result))


def _export_summary(result) -> str:
    """What the Anki export wrote: notes (and retired ones), cards, decks, the file."""
    counts = {
        "notes": ngettext("{count} note", "{count} notes", result.notes).format(count=result.notes),
        "cards": ngettext("{count} card", "{count} cards", result.cards).format(count=result.cards),
        "decks": ngettext("{count} deck", "{count} decks", result.decks).format(count=result.decks),
    }
    if result.retired:
        return _("{notes} ({retired} retired), {cards}, {decks} → {path}").format(
            retired=result.retired, path=result.path, **counts)
    return _("{notes}, {cards}, {decks} → {path}").format(path=result.path, **counts)


@export_app.command("csv", help=CSV_HELP)
def csv(
    markets: list[str] = MarketsOption,
    topics: list[str] = TopicsOption,
    output: Path = CsvOutputOption,
    decks: list[Path] = DecksOption,
    raw: bool = typer.Option(
        False, "--raw",
        help=_("Write every cell exactly as in the deck, even one a spreadsheet would run as a formula.")),
) -> None:
    """Write one CSV row per card with every field, for trainers who work in spreadsheets (help: CSV_HELP)."""
    from csdrill.csv_export import export_csv

    _library, codes, _topics, cards = _selection(decks, markets, topics)
    to_stdout = output is not None and str(output) == "-"
    target = None if to_stdout else _output_path(output, codes, ".csv")
    try:
        count = export_csv(cards, target, formulas_as_text=not raw)
    except BrokenPipeError:
        raise
    except OSError as err:
        where = target if target is not None else _("standard output")
        raise UsageError(_("cannot write {path}: {reason}").format(path=where, reason=err.strerror or err)) from err
    written = ngettext("{count} card → {target}", "{count} cards → {target}", count).format(
        count=count, target=target or "stdout")
    print(written, file=sys.stderr if to_stdout else sys.stdout)
