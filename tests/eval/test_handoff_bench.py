"""The handoff benchmark runs end to end: routing scores from labelled turns, and the notify latency
over real HTTP (a live console sees a request far sooner than one that reloads every 2 s)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hangat.assistant import build_assistant
from hangat.domain.catalog import Product
from hangat.eval import handoff_bench
from hangat.settings import Settings


def test_routing_and_latency(tmp_path: Path) -> None:
    assistant = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="k"))
    assistant.store.upsert_products([Product("p1", "Kopi bubuk 200g", price=Decimal(35_000), language="id")])
    file = tmp_path / "s.jsonl"
    scenarios = [
        {"id": "a", "language": "en", "turns": [
            {"text": "I want to talk to a real person", "expect": {"language": "en", "handoff_offered": True,
                                                              "handoff_reason": "shopper_asked"}}]},
        {"id": "b", "language": "id", "turns": [
            {"text": "cari kopi bubuk", "expect": {"language": "id", "handoff_offered": False}},
            {"text": "makasih ya kak", "expect": {"language": "id", "handoff_offered": False}}]},
    ]  # fmt: skip
    file.write_text("\n".join(json.dumps(s) for s in scenarios), encoding="utf-8")
    try:
        routing = handoff_bench.run_routing(assistant, [file])
        assert routing["turns"] == 3
        hangat, keywords = routing["systems"]["hangat"], routing["systems"]["keywords"]
        assert hangat["en"]["recall"] == 1.0 and hangat["en"]["reason_accuracy"] == 1.0
        assert hangat["all"]["false_offers"] == 0
        assert keywords["en"]["recall"] == 1.0  # "person" is one of its words
        latency = handoff_bench.run_latency(assistant, trials=4)
    finally:
        assistant.close()
    live, polled = latency["systems"]["live_stream"], latency["systems"]["reload_every_2s"]
    assert live["n"] == 4 and polled["n"] == 5
    assert live["p50_ms"] < polled["p50_ms"]
    text = handoff_bench.markdown(routing, latency, "hangat eval handoff", [file])
    assert "| hangat | en | 1 | 1.0 | 1.0 |" in text and "live_stream" in text
