"""The marketplace department: PRDECT-ID (Tokopedia products and their real reviews), bundled.

The source file has one row per review; products are the distinct (category, name, seller city)
triples. This module writes them as JSONL files that go through the ordinary ingest.
"""

from __future__ import annotations

import csv
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

DEPARTMENT = "Marketplace"
SOURCE = "prdect-id.csv"


def source_path() -> Path:
    return Path(str(resources.files("hangat.demo") / "data" / SOURCE))


def product_id(category: str, name: str, city: str) -> str:
    digest = hashlib.sha1(f"{category}\x1f{name}\x1f{city}".encode()).hexdigest()[:12]
    return f"tkp-{digest}"


def prepare(out_dir: Path) -> tuple[Path, Path]:
    """Write ``marketplace-catalog.jsonl`` and ``marketplace-reviews.jsonl`` into ``out_dir``."""
    products: dict[str, dict[str, Any]] = {}
    reviews: list[dict[str, Any]] = []
    with source_path().open(encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=1):
            ident = product_id(row["Category"], row["Product Name"], row["Location"])
            products.setdefault(ident, _product(ident, row))
            reviews.append(
                {
                    "external_id": f"tkp-r{number:05d}",
                    "product_id": ident,
                    "rating": int(row["Customer Rating"]),
                    "text": row["Customer Review"],
                    "author_alias": "",
                    "language": "id",
                }
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    catalog, review_file = out_dir / "marketplace-catalog.jsonl", out_dir / "marketplace-reviews.jsonl"
    _write_jsonl(catalog, products.values())
    _write_jsonl(review_file, reviews)
    return catalog, review_file


def _product(ident: str, row: dict[str, str]) -> dict[str, Any]:
    return {
        "external_id": ident,
        "title": row["Product Name"].strip(),
        "description": "",
        "category": f"{DEPARTMENT} > {row['Category'].strip()}",
        "price": row["Price"],
        "currency": "IDR",
        "rating": row["Overall Rating"],
        "units_sold": row["Number Sold"],
        "language": "id",
        "attributes": {"seller_city": row["Location"], "review_count": int(row["Total Review"])},
    }


def _write_jsonl(path: Path, rows: Any) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
