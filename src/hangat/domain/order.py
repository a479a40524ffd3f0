"""Orders and their lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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
    promised_on: date | None = None  # the delivery date the store promised
    delivered_on: date | None = None
    tracking: str = ""  # the carrier's tracking number or link

    def is_late(self, today: date) -> bool:
        """Delivered after the promised date, or not delivered and the promised date has passed."""
        if self.promised_on is None:
            return False
        if self.delivered_on is not None:
            return self.delivered_on > self.promised_on
        return self.status not in ("delivered", "cancelled", "returned") and today > self.promised_on

    @property
    def total(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal(0))
