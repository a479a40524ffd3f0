"""Next-basket models and the recommendation benchmark on a small orders file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hangat.errors import InputError
from hangat.eval import recommend_bench
from hangat.recommend.history import build
from hangat.recommend.models import GTopFreq, ItemKNN, NextBasket, PTopFreq
from hangat.recommend.timing import DueDates


def orders_file(tmp_path: Path) -> Path:
    """Ten households: each buys milk weekly, its own 'habit' item every other week, bread often."""
    rows = ["customer_id,order_id,product_id,timestamp"]
    for h in range(10):
        for week in range(12):
            day = 1 + week * 7 + h % 3
            order = f"o{h}-{week}"
            stamp = f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}T10:00:00Z"
            rows.append(f"c{h},{order},milk,{stamp}")
            if week % 2 == 0:
                rows.append(f"c{h},{order},habit{h},{stamp}")
            if week % 3 != 0:
                rows.append(f"c{h},{order},bread,{stamp}")
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_histories_keep_baskets_in_time_order(tmp_path: Path) -> None:
    h = recommend_bench.load_orders(orders_file(tmp_path))
    assert len(h.households) == 10 and set(h.items) >= {"milk", "bread", "habit3"}
    days = [b.day for b in h.baskets[0]]
    assert days == sorted(days) and len(days) == 12


def test_models_and_due_dates(tmp_path: Path) -> None:
    h = recommend_bench.load_orders(orders_file(tmp_path))
    train, _ = recommend_bench.split(h, 60.0)
    item = {name: i for i, name in enumerate(h.items)}
    house = h.households.index("c4")
    for model in (NextBasket(), PTopFreq()):
        recs = [h.items[i] for i in model.fit(train).recommend(house, 3)]
        assert recs[0] == "milk" and "habit4" in recs, (type(model).__name__, recs)
    assert h.items[GTopFreq().fit(train).recommend(house, 1)[0]] in {"milk", "bread"}
    assert len(ItemKNN().fit(train).recommend(house, 5)) == 5
    due = DueDates().fit(train)
    assert due.interval(house, item["milk"]) == 7.0
    assert due.interval(house, item["habit4"]) == 14.0
    assert due.due(house, item["habit7"]) is None  # never bought by this household


def test_benchmark_result_and_cli(tmp_path: Path) -> None:
    path = orders_file(tmp_path)
    h = recommend_bench.load_orders(path)
    result = recommend_bench.run(h, 60.0, refresh_days=14)
    assert result["households"] == 10
    assert set(result["systems"]) == {"hangat", "p_topfreq", "g_topfreq", "item_knn"}
    assert result["systems"]["hangat"]["recall@10"] == pytest.approx(1.0)
    assert result["reorder_timing"]["items"] > 0
    every = result["reorder_timing"]["every_rebuy"]
    assert every["items"] >= 30 and every["censored"] == 0  # milk, bread and the habit come back
    assert 0 < every["hangat_mae_days"] < 3  # weekly and fortnightly routines: off by days, not weeks
    refresh = result["refresh"]
    assert refresh["orders"] == sum(1 for bs in h.baskets for b in bs if 46 <= b.day < 60) > 10
    assert refresh["recall@10"] == pytest.approx(1.0)
    cli = CliRunner().invoke(
        __import__("hangat.cli", fromlist=["app"]).app,
        ["eval", "recommend", "--orders", str(path), "--cutoff-day", "60", "--json"],
    )
    assert cli.exit_code == 0, cli.output
    body = json.loads(cli.output.strip().splitlines()[-1])
    assert body["households"] == 10 and "p_topfreq" in body["systems"]


def test_an_orders_file_may_name_each_products_kind(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "customer_id,order_id,product_id,timestamp,category\n"
        "c1,o1,oat milk,2024-01-01T10:00:00Z,Milk\n"
        "c1,o2,cow milk,2024-01-08T10:00:00Z,Milk\n"
        "c1,o2,rye bread,2024-01-08T10:00:00Z,\n"
        "c2,o3,cow milk,2024-01-02T10:00:00Z,Milk\n"
    )
    h = recommend_bench.load_orders(path)
    assert h.groups is not None
    kind = dict(zip(h.items, h.groups.tolist(), strict=True))
    assert kind["oat milk"] == kind["cow milk"] != kind["rye bread"]  # no category: a kind of its own
    assert recommend_bench.load_orders(orders_file(tmp_path)).groups is None


def test_bad_orders_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,order\n1,2\n")
    with pytest.raises(InputError, match="needs the columns"):
        recommend_bench.load_orders(bad)
    bad.write_text("customer_id,order_id,product_id,timestamp\nc,o,p,yesterday\n")
    with pytest.raises(InputError, match="row 2: unreadable timestamp"):
        recommend_bench.load_orders(bad)
    with pytest.raises(InputError, match="no such file"):
        recommend_bench.load_orders(tmp_path / "missing.csv")
    h = build(["a"], ["o"], ["x"], [1.0])
    with pytest.raises(InputError, match="both sides"):
        recommend_bench.run(h, 0.5)
    assert np.array_equal(h.baskets[0][0].items, np.array([0]))
