"""Products and their reviews, as the store describes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

CATEGORY_SEPARATOR = " > "


@dataclass(frozen=True)
class Product:
    """One product of the catalog, identified by the store's own ``external_id``."""

    external_id: str
    title: str
    description: str = ""
    category_path: tuple[str, ...] = ()
    brand: str = ""
    price: Decimal | None = None
    currency: str = "IDR"
    attributes: dict[str, Any] = field(default_factory=dict)
    stock: int | None = None
    rating: float | None = None
    units_sold: int | None = None
    image_url: str = ""
    language: str = "en"

    @property
    def category(self) -> str:
        """The category path as one string, e.g. ``"Grocery > Coffee"``."""
        return CATEGORY_SEPARATOR.join(self.category_path)

    @property
    def department(self) -> str:
        """The top level of the category path (the store's department), or ``""``."""
        return self.category_path[0] if self.category_path else ""

    @property
    def in_stock(self) -> bool | None:
        return None if self.stock is None else self.stock > 0


def split_category(text: str) -> tuple[str, ...]:
    """``"A > B > C"`` (or ``"A | B | C"``) to ``("A", "B", "C")``; ``/`` is kept (``"Tea/Coffee"``)."""
    for sep in (">", "|"):
        if sep in text:
            return tuple(p.strip() for p in text.split(sep) if p.strip())
    return (text.strip(),) if text.strip() else ()


@dataclass(frozen=True)
class Review:
    """A shopper's review of one product."""

    external_id: str
    product_id: str
    rating: int | None
    text: str
    author_alias: str = ""
    reviewed_on: date | None = None
    language: str = "en"
