"""The fields each ingest kind accepts, and the conversion of one mapped row into domain values.

Conversion is strict: a value of the wrong type is an error naming the field and the value,
never a silent default. See ``docs/ingest.md`` for the table of fields.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from hangat.domain.catalog import Product, Review, split_category
from hangat.ingest.mapping import ATTRIBUTE_PREFIX

PRODUCT_FIELDS = (
    "external_id", "title", "description", "category", "brand", "price", "currency",
    "attributes", "stock", "rating", "units_sold", "image_url", "language",
)  # fmt: skip
REVIEW_FIELDS = (
    "external_id", "product_id", "rating", "text", "author_alias", "date", "language",
)  # fmt: skip
ORDER_FIELDS = (
    "order_id", "customer_id", "customer_name", "placed_at", "product_id", "quantity",
    "unit_price", "currency", "status", "promised_on", "delivered_on", "tracking",
)  # fmt: skip
FIELDS = {"catalog": PRODUCT_FIELDS, "reviews": REVIEW_FIELDS, "orders": ORDER_FIELDS}
LANGUAGES = ("en", "id")
MAX_TEXT = 20_000
_CURRENCY = re.compile(r"[A-Z]{3}")


class RowProblem(ValueError):
    """A value in a row that cannot be accepted; the message says which and why."""


def text(row: Mapping[str, Any], name: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = row.get(name)
    if value is None:
        if required:
            raise RowProblem(f"{name} is required")
        return ""
    if isinstance(value, float) and math.isnan(value):
        value = ""
    out = str(value).strip()
    if required and not out:
        raise RowProblem(f"{name} is required")
    if len(out) > limit:
        raise RowProblem(f"{name} is longer than {limit} characters")
    return out


def number(row: Mapping[str, Any], name: str, low: float | None = None, high: float | None = None,
           integer: bool = False, required: bool = False, money: bool = False) -> Any:  # fmt: skip
    raw = row.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise RowProblem(f"{name} is required")
        return None
    if isinstance(raw, bool):
        raise RowProblem(f"{name}: {raw!r} is not a number")
    try:
        value = Decimal(str(raw).strip().replace("_", ""))
    except InvalidOperation:
        raise RowProblem(f"{name}: {raw!r} is not a number") from None
    if not value.is_finite():
        raise RowProblem(f"{name}: {raw!r} is not a finite number")
    if low is not None and value < Decimal(str(low)):
        raise RowProblem(f"{name}: {raw!r} is below {low}")
    if high is not None and value > Decimal(str(high)):
        raise RowProblem(f"{name}: {raw!r} is above {high}")
    exponent = value.as_tuple().exponent
    if money and isinstance(raw, str) and isinstance(exponent, int) and exponent < -2:
        raise RowProblem(
            f"{name}: {raw!r} has more than two decimals; write thousands without separators "
            "(85000, not 85.000)"
        )
    if integer:
        if value != value.to_integral_value():
            raise RowProblem(f"{name}: {raw!r} is not a whole number")
        return int(value)
    return value


def language(row: Mapping[str, Any], default: str = "en") -> str:
    value = text(row, "language") or default
    if value not in LANGUAGES:
        raise RowProblem(f"language: {value!r} is not one of {', '.join(LANGUAGES)}")
    return value


def currency(row: Mapping[str, Any]) -> str:
    value = text(row, "currency").upper() or "IDR"
    if not _CURRENCY.fullmatch(value):
        raise RowProblem(f"currency: {value!r} is not a three-letter ISO 4217 code")
    return value


def when(row: Mapping[str, Any], name: str, required: bool = False) -> datetime | None:
    raw = row.get(name)
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=UTC)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=UTC)
    value = text(row, name, required=required)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowProblem(f"{name}: {value!r} is not an ISO 8601 date or time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_product(row: Mapping[str, Any]) -> Product:
    url = text(row, "image_url", limit=2000)
    if url and not url.startswith(("https://", "http://")):
        raise RowProblem(f"image_url: {url[:60]!r} is not an http(s) URL")
    price = number(row, "price", low=0, money=True)
    return Product(
        external_id=text(row, "external_id", required=True, limit=200),
        title=text(row, "title", required=True, limit=1000),
        description=text(row, "description"),
        category_path=split_category(text(row, "category", limit=1000)),
        brand=text(row, "brand", limit=200),
        price=None if price is None else price.quantize(Decimal("0.01")),
        currency=currency(row),
        attributes=attributes(row),
        stock=number(row, "stock", low=0, integer=True),
        rating=_float(number(row, "rating", low=0, high=5)),
        units_sold=number(row, "units_sold", low=0, integer=True),
        image_url=url,
        language=language(row),
    )


def attributes(row: Mapping[str, Any]) -> dict[str, Any]:
    raw = row.get("attributes")
    found: dict[str, Any] = {}
    if isinstance(raw, dict):
        found = dict(raw)
    elif raw is not None and str(raw).strip():
        try:
            found = json.loads(str(raw))
        except json.JSONDecodeError:
            raise RowProblem("attributes: not a JSON object") from None
        if not isinstance(found, dict):
            raise RowProblem("attributes: not a JSON object")
    for key, value in row.items():
        if key.startswith(ATTRIBUTE_PREFIX):
            found[key.removeprefix(ATTRIBUTE_PREFIX)] = _plain(value)
    return found


def to_review(row: Mapping[str, Any]) -> Review:
    product_id = text(row, "product_id", required=True, limit=200)
    body = text(row, "text", required=True)
    author = text(row, "author_alias", limit=200)
    moment = when(row, "date")
    ident = text(row, "external_id", limit=200) or _digest(product_id, author, body, str(moment))
    return Review(
        external_id=ident,
        product_id=product_id,
        rating=number(row, "rating", low=1, high=5, integer=True),
        text=body,
        author_alias=author,
        reviewed_on=moment.date() if moment else None,
        language=language(row),
    )


def _digest(*parts: str) -> str:
    return "r-" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
