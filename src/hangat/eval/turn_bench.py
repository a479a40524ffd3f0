"""Turn latency: the whole understand → decide → act → respond turn on a loaded store, one
conversation at a time and with many at once, beside the search-only turn of the walking skeleton
(the same messages through ``Assistant.search``) measured in the same run.

The messages are the bilingual scenario suite's (``tests/data/conversation_scenarios.jsonl``),
replayed conversation by conversation so references ("the second one"), carts and offers are real.
"""

from __future__ import annotations

import json
import random
import statistics
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hangat.assistant import Assistant
from hangat.errors import InputError
from hangat.eval.leftovers import close_requests
from hangat.eval.machine import describe


@dataclass(frozen=True)
class Script:
    """One scenario: its turns, its shopper (or none) and the moment it happens."""

    turns: tuple[str, ...]
    customer: str | None
    now: datetime | None


def read_scripts(path: Path) -> list[Script]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            turns = tuple(str(t["text"]) for t in raw["turns"])
            now = datetime.fromisoformat(raw["now"]) if raw.get("now") else None
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path} line {number}: not a scenario ({exc})") from exc
        out.append(Script(turns, raw.get("customer"), now))
    if not out:
        raise InputError(f"{path} holds no scenarios")
    return out


def summary(ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "turns": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def _play(
    assistant: Assistant, script: Script, tag: str, think: float = 0.0, rng: random.Random | None = None
) -> list[float]:
    convo = f"bench-{tag}-{uuid.uuid4().hex[:10]}"
    times = []
    for i, text in enumerate(script.turns):
        if think and rng is not None:
            # the shopper arrives, then reads each reply and types: 0.5x to 1.5x the think time
            time.sleep(rng.uniform(0, think) if i == 0 else rng.uniform(0.5 * think, 1.5 * think))
        started = time.perf_counter()
        assistant.handle_message(convo, text, f"t{i}", script.customer, None, script.now)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _search_only(assistant: Assistant, scripts: Sequence[Script]) -> list[float]:
    times = []
    for script in scripts:
        for text in script.turns:
            started = time.perf_counter()
            assistant.search(text, limit=3)
            times.append((time.perf_counter() - started) * 1000)
    return times


def run_turns(
    assistant: Assistant, scripts: Sequence[Script], concurrency: int = 20, think: float = 3.0
) -> dict[str, Any]:
    """Warm up once, then: search-only baseline, sequential turns, and ``concurrency`` conversations at
    once — as shoppers (``think`` seconds between a conversation's messages) and flat out (no pause:
    the machine's saturation throughput)."""
    for script in scripts[:3]:
        _play(assistant, script, "warm")
    baseline = _search_only(assistant, scripts)
    sequential = [ms for script in scripts for ms in _play(assistant, script, "seq")]
    shoppers, wall_shoppers = _concurrent(assistant, scripts, concurrency, think)
    flat_out, wall_flat = _concurrent(assistant, scripts, concurrency, 0.0)
    close_requests(assistant, ("bench-",))  # leave the console's queue as it was
    return {
        "conversations": len(scripts),
        "systems": {
            "hangat_turn": summary(sequential),
            f"hangat_turn_{concurrency}_shoppers_{think:g}s_apart": {
                **summary(shoppers),
                "turns_per_s": round(len(shoppers) / wall_shoppers, 1),
            },
            f"hangat_turn_{concurrency}_flat_out": {
                **summary(flat_out),
                "turns_per_s": round(len(flat_out) / wall_flat, 1),
            },
            "search_only": summary(baseline),
        },
        "products": assistant.store.counts()["products"],
        "machine": describe(),
    }


def _concurrent(
    assistant: Assistant, scripts: Sequence[Script], concurrency: int, think: float
) -> tuple[list[float], float]:
    """Per-turn times of ``concurrency`` conversations on threads at once, and the wall time."""
    times: list[float] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        rng = random.Random(k)  # fixed seeds: the same arrivals in every run
        for script in [s for i, s in enumerate(scripts) if i % concurrency == k]:
            ms = _play(assistant, script, f"c{k}", think, rng)
            with lock:
                times.extend(ms)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return times, time.perf_counter() - started


def markdown(result: dict[str, Any], command: str, data: Path) -> str:
    rows = "\n".join(
        f"| {name} | {s['turns']} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} "
        f"| {s.get('turns_per_s', '')} |"
        for name, s in result["systems"].items()
    )
    return (
        "## Turn latency\n\n"
        f"Command: `{command}`\n\n"
        f"Data: the demo store ({result['products']} products: PRDECT-ID marketplace + The Complete Journey "
        f"grocery), the {result['conversations']} scenarios of `{data}` replayed turn by turn, no language "
        "model. `search_only` is the same messages through search alone (the walking skeleton's turn), "
        "measured in the same run.\n\n"
        f"Machine: {result['machine']}\n\n"
        "| system | turns | p50 ms | p95 ms | max ms | turns/s |\n|---|---:|---:|---:|---:|---:|\n"
        f"{rows}\n"
    )
