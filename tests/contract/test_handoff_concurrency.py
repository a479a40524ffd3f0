"""Claim races at scale: 1,000 trials of 2-8 agents claiming one conversation at once, on every store
(in memory, SQLite and PostgreSQL) — exactly one winner every time, and the log and the handoff row
agree on who it is."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor

from hangat.domain.conversation import EventKind, NewEvent
from hangat.domain.customer import StaffMember
from hangat.domain.handoff import CLAIMED
from hangat.errors import OwnershipConflict
from hangat.ports import Store

TRIALS = 1000
MIN_AGENTS, MAX_AGENTS = 2, 8
STAFF = [f"s-race-{i}" for i in range(MAX_AGENTS)]
BARRIER_TIMEOUT = 30.0  # a broken barrier is a failure of the trial, never a hang of the suite


def _claim(store: Store, conv: str, staff: str, key: str, barrier: threading.Barrier) -> str:
    """One agent: wait for the others, then claim. "won" or "lost"; anything else propagates."""
    barrier.wait(BARRIER_TIMEOUT)
    try:
        store.append_events(conv, [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": staff})], key)
    except OwnershipConflict:
        return "lost"
    return "won"


def _trial(store: Store, pool: ThreadPoolExecutor, trial: int) -> tuple[str | None, list[str]]:
    """One race: its winner, and what went wrong in it (nothing: exactly one winner, agreed on)."""
    k = MIN_AGENTS + trial % (MAX_AGENTS - MIN_AGENTS + 1)  # 2, 3, ..., 8, 2, 3, ...
    conv = f"race-{trial}"
    store.open_conversation(conv, None, "en")
    store.append_events(conv, [NewEvent(EventKind.HANDOFF_REQUESTED, {"reason": "shopper_asked"})], "ask")
    agents = STAFF[:k]
    barrier = threading.Barrier(k)
    futures: dict[str, Future[str]] = {
        staff: pool.submit(_claim, store, conv, staff, f"claim-{trial}-{staff}", barrier) for staff in agents
    }
    outcomes: dict[str, str] = {}
    problems: list[str] = []
    for staff, future in futures.items():
        exc = future.exception()
        if exc is not None:
            problems.append(f"{staff} raised {type(exc).__name__}: {exc}")
        else:
            outcomes[staff] = future.result()
    winners = [s for s, o in outcomes.items() if o == "won"]
    losers = [s for s, o in outcomes.items() if o == "lost"]
    if len(winners) != 1 or len(losers) != k - 1:
        problems.append(f"{len(winners)} winners {winners} and {len(losers)} losers of {k} agents")
    claims = [e for e in store.events(conv) if e.kind is EventKind.HANDOFF_CLAIMED]
    claimed_by = [str(e.payload.get("staff_id")) for e in claims]
    if claimed_by != winners[:1] or len(winners) != 1:
        problems.append(f"the log holds claims by {claimed_by}, the winners are {winners}")
    h = store.handoff(conv)
    if h is None or h.state != CLAIMED or [h.staff_id] != winners:
        got = None if h is None else (h.state, h.staff_id)
        problems.append(f"the handoff row is {got}, the winners are {winners}")
    winner = winners[0] if len(winners) == 1 else None
    return winner, [f"trial {trial} ({k} agents): {p}" for p in problems]


def test_a_thousand_claim_races_have_exactly_one_winner_each(store: Store) -> None:
    store.upsert_staff([StaffMember(s, s) for s in STAFF])
    problems: list[str] = []
    wins: Counter[str] = Counter()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=MAX_AGENTS, thread_name_prefix="claim") as pool:
        for trial in range(TRIALS):
            winner, found = _trial(store, pool, trial)
            problems.extend(found)
            wins[str(winner)] += 1
    elapsed = time.perf_counter() - started
    assert not problems, f"{len(problems)} problems in {TRIALS} trials, e.g.:\n" + "\n".join(problems[:20])
    print(f"{TRIALS} races in {elapsed:.1f} s; wins by agent: {dict(sorted(wins.items()))}")
