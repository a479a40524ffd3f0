"""Load the demo store: prepare the department files, then ingest them with the ordinary ingest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from hangat.demo import grocery, marketplace, shoppers
from hangat.domain.customer import StaffMember
from hangat.ingest.service import IngestReport, ProgressCallback, ingest_file
from hangat.ports import Store

DEMO_STAFF = (
    StaffMember("staff-dewi", "Dewi", "agent", ("id", "en")),
    StaffMember("staff-budi", "Budi", "admin", ("id", "en")),
    StaffMember("staff-sarah", "Sarah", "agent", ("en",)),
)
Reporter = Callable[[str], ProgressCallback]


def is_loaded(store: Store) -> bool:
    """The demo staff are written last, so their presence means a complete load."""
    return any(s.external_id == DEMO_STAFF[0].external_id for s in store.list_staff())


def load(
    store: Store,
    work_dir: Path,
    reporter: Reporter,
    grocery_top: int = grocery.DEFAULT_TOP,
    today: date | None = None,
) -> list[IngestReport]:
    """Prepare and ingest both departments and the demo shoppers' recent orders (dated from
    ``today``); ``reporter(label)`` gives a progress callback per file."""
    market_catalog, market_reviews = marketplace.prepare(work_dir)
    grocery_catalog, grocery_orders = grocery.prepare(work_dir, top=grocery_top)
    steps = [
        ("catalog", market_catalog, "Marketplace products"),
        ("reviews", market_reviews, "Marketplace reviews"),
        ("catalog", grocery_catalog, "Grocery products"),
        ("orders", grocery_orders, "Grocery baskets"),
        ("orders", shoppers.prepare(work_dir, today or date.today()), "Demo shoppers' orders"),
    ]
    reports = [ingest_file(store, kind, path, progress=reporter(label)) for kind, path, label in steps]
    store.upsert_staff(list(DEMO_STAFF))
    return reports
