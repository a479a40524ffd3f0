"""The demo store loads both departments through the ordinary ingest (a small grocery here)."""

from __future__ import annotations

from pathlib import Path

from hangat.adapters.stores import open_store
from hangat.demo import loader
from hangat.ingest.service import ProgressCallback
from hangat.search.engine import SearchEngine


def quiet(_label: str) -> ProgressCallback:
    return lambda _phase, _done, _total: None


def test_demo_loads_marketplace_and_grocery(tmp_path: Path, sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    assert not loader.is_loaded(store)
    reports = loader.load(store, tmp_path / "demo", quiet, grocery_top=30)
    assert loader.is_loaded(store)
    assert [r.invalid for r in reports] == [[], [], [], [], []]
    counts = store.counts()
    assert counts["products"] == 1315 + 30
    assert counts["reviews"] == 5400
    assert counts["customers"] > 2000 and counts["orders"] > 10_000
    engine = SearchEngine(store.all_products())
    assert engine.search("sepatu").hits[0].product.department == "Marketplace"
    assert engine.search("large eggs").hits[0].product.department == "Grocery"
    grocery = store.list_products("Grocery", limit=100)
    assert len(grocery) == 30 and all(p.currency == "USD" and p.price for p in grocery)
    household = store.list_customers(limit=1)[0]
    orders = store.orders_for(household.external_id)
    assert orders and all(line.product_id.startswith("cj-") for o in orders for line in o.lines)
    # a second load changes nothing (idempotent re-ingest)
    again = loader.load(store, tmp_path / "demo", quiet, grocery_top=30)
    assert sum(r.written.inserted for r in again) == 0
    assert store.counts() == counts
    store.close()
