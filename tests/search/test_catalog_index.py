"""The search index kept in step with a real SQLite store, with the hash embedder."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np

from hangat.adapters.embed.fake import HashEmbedder
from hangat.adapters.stores import open_store
from hangat.domain.catalog import Product
from hangat.search.catalog_index import CatalogSearch, refresh_embeddings
from hangat.search.vectors import ExactIndex

ITEMS = [
    Product("a", "Ground Coffee, 39 oz", "", ("Grocery", "Coffee"), price=Decimal("4.99"), currency="USD"),
    Product("b", "Kopi Arabika Gayo 250 g", "", ("Marketplace", "Food"), price=Decimal(85000), language="id"),
    Product("c", "French Press 600 ml", "", ("Home", "Kitchen"), price=Decimal(189000)),
]


def test_embeddings_are_computed_once_and_again_only_for_changed_products(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    store.upsert_products(ITEMS)
    embedder = HashEmbedder()
    assert refresh_embeddings(store, embedder) == 3
    assert refresh_embeddings(store, embedder) == 0
    store.upsert_products([replace(ITEMS[2], title="French Press 1 l")])
    assert refresh_embeddings(store, embedder) == 1
    assert refresh_embeddings(store, embedder, everything=True) == 3
    stored = dict(store.load_embeddings(embedder.name))
    assert np.frombuffer(stored["a"], dtype=np.float32).shape == (embedder.dim,)
    store.close()


def test_the_engine_follows_the_catalog(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    store.upsert_products(ITEMS[:2])
    embedder = HashEmbedder()
    search = CatalogSearch(store, embedder, check_every=0.0, rebuild_factor=0.0)
    assert search.engine().vectors is None  # nothing embedded yet: lexical only
    assert search.engine().search("coffee").hits[0].product.external_id == "a"
    refresh_embeddings(store, embedder)
    search.invalidate()
    assert isinstance(search.engine().vectors, ExactIndex)
    store.upsert_products(ITEMS[2:])
    assert search.engine().search("french press").hits[0].product.external_id == "c"
    built = CatalogSearch(store, embedder, ann=lambda m: ExactIndex(m * 1), ann_threshold=2)
    assert built.engine().vectors is not None and built.engine().vectors.size == 3
    store.close()
