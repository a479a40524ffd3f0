"""The shopper's cart in a conversation: lines with the price they were added at."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

MAX_QUANTITY = 10_000


@dataclass(frozen=True)
class CartLine:
    product_id: str
    title: str
    quantity: int
    unit_price: Decimal
    currency: str

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity

    def record(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "title": self.title,
            "quantity": self.quantity,
            "unit_price": str(self.unit_price),
            "currency": self.currency,
        }

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> CartLine:
        return cls(
            str(r["product_id"]),
            str(r["title"]),
            int(r["quantity"]),
            Decimal(str(r["unit_price"])),
            str(r["currency"]),
        )


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...] = ()

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, product_id: str) -> CartLine | None:
        return next((x for x in self.lines if x.product_id == product_id), None)

    def totals(self) -> dict[str, Decimal]:
        """The amount per currency (a cart may mix departments priced in different currencies)."""
        out: dict[str, Decimal] = {}
        for x in self.lines:
            out[x.currency] = out.get(x.currency, Decimal(0)) + x.total
        return out

    def add(self, line: CartLine) -> Cart:
        old = self.line(line.product_id)
        if old is None:
            return Cart((*self.lines, line))
        return self.set_quantity(line.product_id, old.quantity + line.quantity)

    def set_quantity(self, product_id: str, quantity: int) -> Cart:
        if quantity <= 0:
            return self.remove(product_id)
        quantity = min(quantity, MAX_QUANTITY)
        return Cart(
            tuple(replace(x, quantity=quantity) if x.product_id == product_id else x for x in self.lines)
        )

    def remove(self, product_id: str) -> Cart:
        return Cart(tuple(x for x in self.lines if x.product_id != product_id))

    def digest(self) -> str:
        """A fingerprint of exactly what is in the cart (a confirmation is bound to it)."""
        body = json.dumps([x.record() for x in self.lines], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:32]

    def record(self) -> list[dict[str, Any]]:
        return [x.record() for x in self.lines]

    @classmethod
    def from_record(cls, rows: list[dict[str, Any]]) -> Cart:
        return cls(tuple(CartLine.from_record(r) for r in rows))
