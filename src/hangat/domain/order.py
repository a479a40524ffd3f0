"""Orders and their lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class OrderLine:
    product_id: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Order:
    """One order (a basket) of one customer."""

    external_id: str
    customer_id: str
    placed_at: datetime
    lines: tuple[OrderLine, ...]
    currency: str = "IDR"
    status: str = "delivered"

    @property
    def total(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal(0))
