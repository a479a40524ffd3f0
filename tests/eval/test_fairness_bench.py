"""The fairness benchmark runs end to end on a tiny store: a request whose products exist succeeds in
every style, one whose products don't fails, and the report has one row per style."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from hangat.assistant import build_assistant
from hangat.domain.catalog import Product
from hangat.errors import InputError
from hangat.eval import fairness_bench
from hangat.settings import Settings


def test_styles_success_and_gap(tmp_path: Path) -> None:
    assistant = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="k"))
    assistant.store.upsert_products(
        [
            Product("p1", "Kopi bubuk 200g", price=Decimal(35_000), language="id"),
            Product("p2", "Kopi arabika biji 250g", price=Decimal(95_000), language="id"),
            Product("p3", "Tas ransel laptop", price=Decimal(250_000), language="id"),
        ]
    )
    file = tmp_path / "f.jsonl"
    requests = [
        {"id": "k", "intent": "search", "product_terms": ["kopi", "coffee"],
         "styles": {"formal": "Saya mencari kopi bubuk.", "slang": "kopi bubuk ada ga kak?"}},
        {"id": "s", "intent": "search", "product_terms": ["sepatu futsal"],
         "styles": {"formal": "Saya mencari sepatu futsal.", "slang": "sepatu futsal ada ga kak?"}},
    ]  # fmt: skip
    file.write_text("\n".join(json.dumps(r) for r in requests), encoding="utf-8")
    loaded = fairness_bench.read_requests(file)
    try:
        result = fairness_bench.run_fairness(assistant, loaded)
    finally:
        assistant.close()
    assert result["requests"] == 2 and result["turns"] == 4
    assert list(result["styles"]) == ["formal", "slang"]
    for style in ("formal", "slang"):
        s = result["styles"][style]
        assert s["n"] == 2 and s["about_products"] == 2
        assert s["task_success"] == 0.5 and s["products_found"] == 0.5
        assert s["search_only_products_found"] == 0.5
        assert [f["examples"][0]["id"] for f in result["failures"][style]] == ["s"]
    assert result["gap_points"] == 0.0
    text = fairness_bench.markdown(result, "hangat eval fairness", file)
    assert text.startswith("## Fairness across writing styles")
    assert "| formal | 2 | 100.0 % | 50.0 % | 50.0 % | 50.0 % |" in text and "Gap: 0.0 points" in text


def test_right_product_is_a_word() -> None:
    assert fairness_bench.right_product("Cupang Hias Halfmoon", ["cupang"])
    assert fairness_bench.right_product("Chocolate Chip Cookies, 13 oz", ["cookie"])
    assert not fairness_bench.right_product("Karet ketapel 6mm", ["apel"])


def test_bad_file(tmp_path: Path) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(
        json.dumps({"id": "x", "intent": "search", "product_terms": [], "styles": {"formal": "a"}})
    )
    with pytest.raises(InputError):
        fairness_bench.read_requests(file)
    for text in ("not json", ""):
        file.write_text(text)
        with pytest.raises(InputError):
            fairness_bench.read_requests(file)


def test_the_requests_for_a_person_it_made_are_closed_after_the_run(tmp_path: Path) -> None:
    assistant = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="k"))
    assistant.store.open_conversation("real-shopper", None, "id")  # a real request stays open
    assistant.handle_message("real-shopper", "saya mau bicara dengan orang", "k1")
    requests = [
        {"id": "h", "intent": "human_request", "product_terms": [],
         "styles": {"formal": "Saya ingin berbicara dengan staf toko.", "slang": "sambungin ke CS dong"}},
    ]  # fmt: skip
    try:
        result = fairness_bench.run_fairness(assistant, requests)
        waiting = [h.conversation_id for h in assistant.store.handoffs(["queued", "claimed"])]
    finally:
        assistant.close()
    assert result["styles"]["formal"]["task_success"] == 1.0
    assert waiting == ["real-shopper"]
