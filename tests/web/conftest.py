from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hangat.assistant import Assistant, build_assistant
from hangat.domain.catalog import Product, Review
from hangat.domain.customer import Customer
from hangat.settings import Settings
from hangat.web import create_app

PRODUCTS = [
    Product("tkp-1", "Sepatu Lari Pria Ringan", "Sepatu olahraga", ("Marketplace", "Sport"), "Ortuseight",
            Decimal("249000"), "IDR", {"size": "42"}, 3, 4.8, 1200, "", "id"),
    Product("tkp-2", "Kotak Sepatu Lipat", "", ("Marketplace", "Household"), "", Decimal("6385"), "IDR",
            {}, None, 4.7, 120294, "", "id"),
    Product("cj-1", "Ground Coffee, 39 oz", "Ground coffee.", ("Grocery", "Coffee"), "Store brand",
            Decimal("4.99"), "USD", {}, None, None, 270, "", "en"),
]  # fmt: skip


@pytest.fixture
def assistant(tmp_path: Path) -> Iterator[Assistant]:
    settings = Settings(data_dir=tmp_path, max_message_chars=500)  # the real e5 model
    a = build_assistant(settings)
    a.store.upsert_products(PRODUCTS)
    a.store.upsert_reviews([Review("r1", "tkp-1", 5, "Mantap, ringan sekali", "", None, "id")])
    a.store.upsert_customers([Customer("cj-h1", "Household 1")])
    assert a.refresh_index() == len(PRODUCTS)
    yield a
    a.close()


@pytest.fixture
def client(assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(assistant)) as c:
        yield c
