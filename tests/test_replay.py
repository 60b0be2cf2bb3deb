"""The replay: scheduling state is a function of the review log alone, whatever order it arrives in."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from csdrill.drill.replay import LoggedReview, replay
from csdrill.drill.scheduling import Scheduler
from csdrill.store import Review, Store

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

answers = st.lists(st.tuples(st.integers(0, 5), st.sampled_from([1, 2, 3, 4]), st.integers(1, 60 * 24 * 20),
                             st.sampled_from([0.8, 0.9, None])), min_size=1, max_size=60)


def log_of(steps) -> list[LoggedReview]:
    when, log = START, []
    for n, (card, rating, minutes, retention) in enumerate(steps):
        when += timedelta(minutes=minutes)
        log.append(LoggedReview(f"{n:032x}", f"card-{card}", "recall", rating, when, "review", retention))
    return log


@settings(max_examples=40, deadline=None)
@given(answers, st.randoms(use_true_random=False))
def test_the_same_log_in_any_order_gives_the_same_state(steps, rng):
    log = log_of(steps)
    shuffled = list(log)
    rng.shuffle(shuffled)
    assert replay(shuffled) == replay(log)


@settings(max_examples=25, deadline=None)
@given(answers)
def test_replay_gives_what_the_quiz_recorded_answer_by_answer(steps):
    """Each answer scheduled from the stored memory, as a quiz does, ends where the replay of the log ends."""
    memories: dict = {}
    for review in log_of(steps):
        key = (review.card_id, review.direction)
        memories[key] = Scheduler(review.retention or 0.9).review(memories.get(key), review.rating, review.answered_at)
    assert {key: state.memory for key, state in replay(log_of(steps)).items()} == memories


def test_replay_counts_reviews_lapses_and_first_answer_like_the_store(isolated_home):
    rng, scheduler = random.Random(3), Scheduler(0.9)
    when, log = START, []
    with Store() as store:
        for _ in range(200):
            key = (f"card-{rng.randrange(8)}", rng.choice(("recognise", "produce")))
            before = store.memory("ana", *key)
            rating = rng.choice((1, 3, 3, 4))
            state_before = before.state if before else "new"
            store.record_review(Review("ana", *key, rating, "flash", when, 900, state_before, retention=0.9),
                                scheduler.review(before, rating, when))
            log.append(LoggedReview(f"{len(log):032x}", *key, rating, when, state_before, 0.9))
            when += timedelta(hours=rng.randrange(1, 90))
        stored = {(r[0], r[1]): (r[2], r[3], r[4]) for r in store.db.execute(
            "SELECT card_id, direction, introduced_at, reps, lapses FROM card_state WHERE user = 'ana'")}
        memories = store.memories("ana")
    states = replay(log)
    assert {key: s.memory for key, s in states.items()} == memories
    assert {key: (s.introduced_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), s.reps, s.lapses) for key, s in states.items()} \
        == stored
    assert any(s.lapses for s in states.values())
