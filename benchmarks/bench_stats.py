"""`csdrill stats --json` over a 1,000,000-review log (20,000 cards, a year) against `csdrill markets --json`.

The reference loads the same 20,000-card decks from the same warm cache and prints JSON, so the
ratio is what stats adds on top of start-up and content: reading the progress store and the figures.
Run alone with `python benchmarks/bench_stats.py [REPEAT]`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REVIEWS = 1_000_000
CARDS = 20_000
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def measure(root: Path, env, repeat: int, make_decks) -> dict:
    from run import CSDRILL, median_seconds, review_log, run

    from csdrill.store import Store

    folder = make_decks(root / "decks-stats", CARDS)
    home = root / "home-stats"
    with Store(home) as store:
        review_log(store, REVIEWS, CARDS, NOW, every=timedelta(days=365) / REVIEWS)
    # Berlin: the year of reviews crosses two daylight-saving changes.
    env = dict(env, CSDRILL_HOME=str(home), CSDRILL_USER="agent", CSDRILL_NOW=NOW.isoformat(),
               CSDRILL_BUILTIN="0", TZ="Europe/Berlin")

    def command(*args: str):
        return lambda: run(*CSDRILL, *args, "--json", "--decks", str(folder), env=env)

    command("markets")()  # fill the parsed-deck cache, so both read the same warm one
    command("stats")()  # and the OS page cache of the progress store
    value = median_seconds(command("stats"), repeat)
    scoped = median_seconds(command("stats", "--market", "de"), repeat)
    reference = median_seconds(command("markets"), repeat)
    return {"value": value, "ref": reference, "ref_label": "`markets --json`, same decks", "target": "—",
            "market": scoped}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import make_decks

    with tempfile.TemporaryDirectory(prefix="csdrill-bench-") as tmp:
        base = dict(os.environ, NO_COLOR="1")
        base.pop("CSDRILL_DECKS", None)
        result = measure(Path(tmp), base, int(sys.argv[1]) if len(sys.argv) > 1 else 5, make_decks)
    print({key: round(v * 1000) if isinstance(v, float) else v for key, v in result.items()}, "(ms)")
