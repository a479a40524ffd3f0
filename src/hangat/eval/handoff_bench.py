"""Handoff as a benchmark: routing precision and recall on the scenario suites, and the notify
latency from a shopper's request to the staff console's live queue, each beside a baseline.

Routing: every scenario turn that says whether a person should be offered (``handoff_offered``) is a
labelled example; hangat's reply offers (or brings in) a person or not. The baseline is a keyword
router of the kind stores bolt onto chatbots — a person whenever the message contains a word such as
"human", "agent", "admin", "refund", "complain", "sakit", "nego", "grosir" — on the same turns.

Latency: the real app served by uvicorn on a free port; a staff member signed in and following
``/console/queue/stream`` over HTTP; shoppers asking for a person through the JSON API. Measured from
the moment the shopper's request returns (the request is stored) to the queue frame naming the
conversation. The baseline is a console that reloads the queue page every 2 seconds.
"""

from __future__ import annotations

import random
import re
import socket
import statistics
import threading
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from hangat.assistant import Assistant
from hangat.eval.leftovers import BENCH_PASSWORD, close_requests
from hangat.eval.machine import describe
from hangat.eval.scenario_bench import read_scenarios
from hangat.replay import turn_record

KEYWORDS = re.compile(
    r"\b(human|person|agent|staff|admin|cs|customer service|manager|refund|complain\w*|lawyer|"
    r"orang|manusia|petugas|komplain|kecewa|sakit|dokter|obat|meninggal|nego|diskon|grosir|borong|"
    r"urgent|darurat|bahaya|api|fire|died|hospital|rumah sakit|bulk|wholesale|discount)\b",
    re.IGNORECASE,
)


def run_routing(assistant: Assistant, files: list[Path]) -> dict[str, Any]:
    """Precision, recall and reason accuracy of hangat and the keyword router per language."""
    counts: dict[str, dict[str, Counter[str]]] = {"hangat": {}, "keywords": {}}
    scenarios = 0
    staff = assistant.accounts.add("bench-agent", "Bench", BENCH_PASSWORD)
    for path in files:
        for s in read_scenarios(path):
            scenarios += 1
            convo = _scenario(assistant, s, counts)
            if (h := assistant.store.handoff(convo)) is not None and h.open:  # staff close what was asked
                if h.state == "queued":
                    assistant.desk.claim(convo, staff)
                assistant.desk.resolve(convo, staff)
    systems = {}
    for name, by_lang in counts.items():
        total = sum(by_lang.values(), Counter())
        systems[name] = {lang: _scores(c) for lang, c in sorted(by_lang.items())} | {"all": _scores(total)}
    turns = sum(c["n"] for c in counts["hangat"].values())
    return {"scenarios": scenarios, "turns": turns, "systems": systems, "machine": describe()}


def _scenario(assistant: Assistant, s: dict[str, Any], counts: dict[str, dict[str, Counter[str]]]) -> str:
    convo = f"{s['id']}-{uuid.uuid4().hex[:8]}"
    now = datetime.fromisoformat(s["now"]) if s.get("now") else None
    for i, turn in enumerate(s["turns"], start=1):
        result = assistant.handle_message(convo, turn["text"], f"t{i}", s.get("customer"), None, now)
        expect = turn["expect"]
        if "handoff_offered" not in expect:
            continue
        want = bool(expect["handoff_offered"])
        lang = str(expect.get("language") or s.get("language") or "?")
        out = turn_record(convo, i, result)
        got_reason = (out["handoff"] or {}).get("reason")
        for name, got in (
            ("hangat", out["handoff"] is not None),
            ("keywords", bool(KEYWORDS.search(turn["text"]))),
        ):
            c = counts[name].setdefault(lang, Counter())
            c["n"] += 1
            c["tp"] += want and got
            c["fp"] += got and not want
            c["fn"] += want and not got
            if want and got and "handoff_reason" in expect and name == "hangat":
                c["reasoned"] += 1
                c["reason_ok"] += got_reason == expect["handoff_reason"]
    return convo


def _scores(c: Counter[str]) -> dict[str, Any]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    out: dict[str, Any] = {
        "turns": c["n"],
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
    }
    out |= {"false_offers": c["fp"], "missed": c["fn"]}
    if c["reasoned"]:
        out["reason_accuracy"] = round(c["reason_ok"] / c["reasoned"], 3)
    return out


# -- notify latency -------------------------------------------------------------------------------


def run_latency(
    assistant: Assistant, trials: int = 40, password: str = "bench-password-123"
) -> dict[str, Any]:
    """Request → console queue, over real HTTP, for the live stream and a 2-second reload."""
    import uvicorn

    from hangat.web import create_app

    assistant.accounts.add("bench-agent", "Bench", password)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(create_app(assistant), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        live = _live(base, password, trials)
        polled = _polled(base, password, max(5, trials // 4))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        _close_bench_requests(assistant)
    return {
        "trials": trials,
        "systems": {"live_stream": live, "reload_every_2s": polled},
        "machine": describe(),
    }


def _close_bench_requests(assistant: Assistant) -> None:
    """Resolve the requests the latency run made, so the next run starts with the same queue."""
    close_requests(assistant, ("bench-",))


def _signed_in(base: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    data = {"staff_id": "bench-agent", "password": password, "csrf": token.group(1) if token else ""}
    client.post("/console/login", data=data)
    return client


def _ask(shop: httpx.Client) -> tuple[str, float]:
    convo = f"bench-{uuid.uuid4().hex[:12]}"
    shop.post(
        f"/api/conversations/{convo}/messages",
        json={"text": "I want to talk to a person", "language": "en"},
        headers={"Idempotency-Key": "ask"},
    ).raise_for_status()
    return convo, time.perf_counter()


def _live(base: str, password: str, trials: int) -> dict[str, Any]:
    staff, shop = _signed_in(base, password), httpx.Client(base_url=base, timeout=30)
    seen: dict[str, float] = {}
    ready, done = threading.Event(), threading.Event()

    def follow() -> None:
        with staff.stream("GET", "/console/queue/stream", timeout=None) as response:
            for line in response.iter_lines():
                ready.set()
                for convo in re.findall(r'data-conversation="([^"]+)"', line):
                    seen.setdefault(convo, time.perf_counter())
                if done.is_set():
                    return

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    ready.wait(10)
    waits = []
    for _ in range(trials):
        convo, asked = _ask(shop)
        deadline = time.perf_counter() + 10
        while convo not in seen and time.perf_counter() < deadline:
            time.sleep(0.002)
        waits.append(seen.get(convo, deadline) - asked)
        time.sleep(0.05)
    done.set()
    return _latency(waits)


def _polled(base: str, password: str, trials: int) -> dict[str, Any]:
    staff, shop = _signed_in(base, password), httpx.Client(base_url=base, timeout=30)
    seen: dict[str, float] = {}
    done = threading.Event()

    def reload() -> None:  # the page reloads every 2 s, whatever happens in between
        while not done.is_set():
            started = time.perf_counter()
            for convo in re.findall(r'data-conversation="([^"]+)"', staff.get("/console").text):
                seen.setdefault(convo, time.perf_counter())
            done.wait(max(0.0, 2.0 - (time.perf_counter() - started)))

    poller = threading.Thread(target=reload, daemon=True)
    poller.start()
    rng = random.Random(7)
    waits = []
    for _ in range(trials):
        time.sleep(rng.uniform(0, 2))  # requests land at any point of the reload cycle
        convo, asked = _ask(shop)
        deadline = time.perf_counter() + 10
        while convo not in seen and time.perf_counter() < deadline:
            time.sleep(0.005)
        waits.append(seen.get(convo, deadline) - asked)
    done.set()
    poller.join(timeout=5)
    return _latency(waits)


def _latency(waits: list[float]) -> dict[str, Any]:
    ms = sorted(w * 1000 for w in waits)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ms[-1], 1),
    }


def markdown(routing: dict[str, Any], latency: dict[str, Any] | None, command: str, files: list[Path]) -> str:
    lines = [
        "## Handoff",
        "",
        f"Command: `{command}`",
        "",
        f"Data: {', '.join(f'`{f}`' for f in files)} — {routing['scenarios']} scenarios, {routing['turns']} "
        "turns labelled with whether a person should be offered, on the demo store. `keywords` is a keyword "
        "router (a person whenever a message has a word like human, admin, refund, sakit, nego, grosir) on "
        "the same turns. Reason accuracy: hangat's recorded reason equals the label, on true positives.",
        "",
        f"Machine: {routing['machine']}",
        "",
        "| system | language | turns | precision | recall | F1 | false offers | missed | reason accuracy |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, by_lang in routing["systems"].items():
        for lang, s in by_lang.items():
            lines.append(
                f"| {name} | {lang} | {s['turns']} | {s['precision']} | {s['recall']} | {s['f1']} | "
                f"{s['false_offers']} | {s['missed']} | {s.get('reason_accuracy', '–')} |"
            )
    if latency is not None:
        lines += [
            "",
            f"Notify latency ({latency['trials']} requests over real HTTP, uvicorn on 127.0.0.1): from the "
            "shopper's request returning to the staff console's queue showing the conversation. "
            "`reload_every_2s` is a console that reloads the queue page every 2 seconds.",
            "",
            "| console | n | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, s in latency["systems"].items():
            lines.append(f"| {name} | {s['n']} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} |")
    return "\n".join(lines) + "\n"
