"""Two demo shoppers with recent marketplace orders, dated relative to the day the demo is loaded:
Ayu (writes Indonesian) whose third order in a row is now late, and Sam (English) with one order on
its way and one delivered ten days ago, inside the return window."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from hangat.demo.marketplace import product_id, source_path

JAKARTA = timezone(timedelta(hours=7))
# (order, customer, name, days before today it was placed, promised, delivered, status, category)
ORDERS = (
    ("ayu-1001", "demo-ayu", "Ayu", 75, 70, 66, "delivered", "Kitchen"),
    ("ayu-1002", "demo-ayu", "Ayu", 40, 35, 31, "delivered", "Women's Fashion"),
    ("ayu-1003", "demo-ayu", "Ayu", 8, 3, None, "shipped", "Household"),
    ("sam-2000", "demo-sam", "Sam", 16, 11, 10, "delivered", "Electronics"),
    ("sam-2001", "demo-sam", "Sam", 1, -4, None, "processing", "Books"),
)


def prepare(out_dir: Path, today: date) -> Path:
    """Write ``shopper-orders.jsonl`` into ``out_dir``: one line per order line."""
    firsts: dict[str, dict[str, str]] = {}
    with source_path().open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            firsts.setdefault(row["Category"], row)
    path = out_dir / "shopper-orders.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for number, (order, customer, name, placed, promised, delivered, status, category) in enumerate(
            ORDERS
        ):
            row = firsts[category]
            line: dict[str, Any] = {
                "order_id": order,
                "customer_id": customer,
                "customer_name": name,
                "placed_at": datetime.combine(
                    today - timedelta(days=placed), time(10, 0), JAKARTA
                ).isoformat(),
                "product_id": product_id(row["Category"], row["Product Name"], row["Location"]),
                "quantity": 1,
                "unit_price": row["Price"],
                "currency": "IDR",
                "status": status,
                "promised_on": _day(today, promised),
                "delivered_on": None
                if delivered is None
                else (today - timedelta(days=delivered)).isoformat(),
                "tracking": f"JNE{4_410_000 + number}",
            }
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


def _day(today: date, days_before: int, at: time | None = None) -> str:
    day = today - timedelta(days=days_before)
    return day.isoformat() if at is None else datetime.combine(day, at, JAKARTA).isoformat()
