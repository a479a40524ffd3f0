"""Order files: one row per order line, grouped into orders (and their customers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hangat.domain.customer import Customer
from hangat.domain.order import Order, OrderLine
from hangat.ingest.schema import RowProblem, currency, number, text, when


@dataclass(frozen=True)
class OrderRow:
    """One line of an order file, converted and checked."""

    order_id: str
    customer_id: str
    customer_name: str
    placed_at: datetime
    currency: str
    status: str
    line: OrderLine
    promised_on: date | None = None
    delivered_on: date | None = None
    tracking: str = ""


def to_order_row(row: Mapping[str, Any]) -> OrderRow:
    placed = when(row, "placed_at", required=True)
    assert placed is not None
    price = number(row, "unit_price", low=0, required=True, money=True)
    return OrderRow(
        order_id=text(row, "order_id", required=True, limit=200),
        customer_id=text(row, "customer_id", required=True, limit=200),
        customer_name=text(row, "customer_name", limit=200),
        placed_at=placed,
        currency=currency(row),
        status=text(row, "status", limit=40) or "delivered",
        line=OrderLine(
            product_id=text(row, "product_id", required=True, limit=200),
            quantity=number(row, "quantity", low=1, high=1_000_000, integer=True, required=True),
            unit_price=Decimal(price).quantize(Decimal("0.01")),
        ),
        promised_on=_day(row, "promised_on"),
        delivered_on=_day(row, "delivered_on"),
        tracking=text(row, "tracking", limit=200),
    )


def _day(row: Mapping[str, Any], name: str) -> date | None:
    moment = when(row, name)
    return None if moment is None else moment.date()


class OrderGrouper:
    """Collects order rows into orders; a row that contradicts its order's first row is refused."""

    def __init__(self) -> None:
        self._heads: dict[str, OrderRow] = {}
        self._lines: dict[str, list[OrderLine]] = {}
        self._names: dict[str, str] = {}

    def add(self, row: OrderRow) -> None:
        head = self._heads.setdefault(row.order_id, row)
        for name in ("customer_id", "placed_at", "currency"):
            if getattr(head, name) != getattr(row, name):
                raise RowProblem(
                    f"{name} {getattr(row, name)!s} differs from the order's earlier line "
                    f"({getattr(head, name)!s})"
                )
        self._lines.setdefault(row.order_id, []).append(row.line)
        if row.customer_name or row.customer_id not in self._names:
            self._names[row.customer_id] = row.customer_name

    def orders(self) -> list[Order]:
        return [
            Order(
                h.order_id,
                h.customer_id,
                h.placed_at,
                tuple(self._lines[i]),
                h.currency,
                h.status,
                h.promised_on,
                h.delivered_on,
                h.tracking,
            )
            for i, h in self._heads.items()
        ]

    def customers(self, known: Mapping[str, Customer]) -> list[Customer]:
        """New customers, and known ones whose name the file gives anew."""
        out = []
        for ident, name in self._names.items():
            old = known.get(ident)
            if old is None:
                out.append(Customer(ident, name))
            elif name and name != old.display_name:
                out.append(Customer(ident, name, old.language, old.profile))
        return out
