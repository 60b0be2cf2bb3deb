"""`csdrill export anki` of 10,000 notes against plain genanki writing the same notes.

Both sides write one note per card, with the same GUIDs, into one deck of one .apkg. What plain
genanki does not do, and csdrill must: fill fifteen fields per note (escaped text, non-Latin text
tagged with its language, the choices shuffled in an order fixed by the card id and lettered; plain
genanki writes the raw question and answer, so its collection is about half the size), tag each
note under csdrill::, and read the per-note mod state and hash every note's content, which keeps
re-imports from duplicating notes or overwriting learners' edits; look for the notes of retired
cards. genanki stores its zip uncompressed; csdrill deflates it (level 1).
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from pathlib import Path


def measure(root: Path, env, repeat: int, make_decks) -> dict:
    import genanki

    from csdrill.anki.package import export_anki
    from csdrill.content.loader import load

    folder = make_decks(root / "decks-export", 10_000)
    os.environ["CSDRILL_HOME"] = str(root / "home-export")
    library = load([folder], include_builtin=False).library
    cards = list(library.cards.values())

    def ours() -> None:
        export_anki(library, cards, root / "ours.apkg")

    model = genanki.Model(1607392319, "plain", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])

    def plain() -> None:
        deck = genanki.Deck(2059400110, "plain")
        for card in cards:
            deck.add_note(genanki.Note(model=model, fields=[card.q, card.a], guid=genanki.guid_for(card.id)))
        genanki.Package(deck).write_to_file(root / "plain.apkg")

    def timed(action) -> float:
        # From a collected heap: otherwise one side's leftover garbage-collector debt (a full
        # collection, tens of ms here) falls due in the other side's time.
        gc.collect()
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    ours()  # first run records note times; later runs are the usual rebuild
    plain()
    # Taken in turns, so a change in the machine's load falls on both sides alike.
    samples = [(timed(ours), timed(plain)) for _ in range(repeat)]
    value = statistics.median(sample[0] for sample in samples)
    reference = statistics.median(sample[1] for sample in samples)
    return {"value": value, "ref": reference, "ref_label": "plain genanki", "target": "≤ 1.3×"}
