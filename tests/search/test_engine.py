"""The hybrid engine on a small real-looking catalog, with the deterministic hash embedder."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from hangat.adapters.embed.fake import HashEmbedder
from hangat.domain.catalog import Product
from hangat.search.engine import SearchConfig, SearchEngine
from hangat.search.filters import Filters
from hangat.search.passage import passage_text

CATALOG = [
    Product("p1", "Men's Running Shoes - Black", "Lightweight running shoes with foam sole.",
            ("Sport", "Shoes"), "Ortuseight", Decimal("250000"), "IDR", {}, 5, 4.8, 900, "", "en"),
    Product("p2", "Sepatu Lari Wanita Ringan", "Sepatu olahraga untuk lari pagi.",
            ("Sport", "Sepatu"), "Adidas", Decimal("450000"), "IDR", {}, 0, 4.6, 300, "", "id"),
    Product("p3", "Ground Coffee, 39 oz", "Medium roast ground coffee.", ("Grocery", "Coffee"),
            "Store brand", Decimal("4.99"), "USD", {}, None, None, 270, "", "en"),
    Product("p4", "Shoe Rack Organizer 4 Tier", "Holds 12 pairs of shoes.", ("Home", "Storage"),
            "", Decimal("150000"), "IDR", {}, 3, 4.1, 50, "", "en"),
    Product("p5", "Kids Night Light Lamp", "Soft bedside lamp for children.", ("Home", "Lighting"),
            "", Decimal("99000"), "IDR", {}, 8, 4.9, 1200, "", "en"),
]  # fmt: skip


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    embedder = HashEmbedder()
    matrix = embedder.embed_passages([passage_text(p) for p in CATALOG])
    return SearchEngine.with_matrix(CATALOG, matrix, embedder, SearchConfig(min_relative_score=0.3))


def ids(outcome) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.product.external_id for h in outcome.hits]


def test_the_product_type_beats_a_mention(engine: SearchEngine) -> None:
    assert ids(engine.search("running shoes"))[0] == "p1"
    assert ids(engine.search("shoe rack"))[0] == "p4"


def test_an_indonesian_query_finds_english_named_products(engine: SearchEngine) -> None:
    outcome = engine.search("lampu tidur anak")
    assert ids(outcome)[0] == "p5"
    assert outcome.language == "id" and "night light" in outcome.translated
    assert "p1" in ids(engine.search("sepatu lari pria"))


def test_filters_from_words_and_parameters(engine: SearchEngine) -> None:
    cheap = engine.search("sepatu di bawah 300 ribu")
    assert cheap.filters == Filters(price_max=Decimal(300000), currency="IDR")
    assert all(h.product.price is not None and h.product.price <= 300000 for h in cheap.hits)
    assert "p2" not in ids(cheap)
    assert "p2" not in ids(engine.search("sepatu lari", Filters(in_stock=True)))
    assert ids(engine.search("sepatu", Filters(brand="adidas"))) == ["p2"]
    rated = engine.search("lamp rating 4.5+")
    assert rated.filters.min_rating == 4.5 and ids(rated) == ["p5"]
    assert ids(engine.search("coffee", Filters(category="Grocery"))) == ["p3"]


def test_only_filters_browses_best_sellers(engine: SearchEngine) -> None:
    outcome = engine.search("di bawah 200 ribu")
    assert outcome.text == "" and ids(outcome) == ["p5", "p4"]


def test_weak_candidates_are_cut_for_shoppers_but_kept_for_ranking_metrics() -> None:
    embedder = HashEmbedder()
    matrix = embedder.embed_passages([passage_text(p) for p in CATALOG])
    everything = SearchEngine.with_matrix(CATALOG, matrix, embedder, SearchConfig(min_relative_score=0.0))
    assert len(ids(everything.search("lamp"))) == len(CATALOG)


def test_lexical_only_without_vectors() -> None:
    plain = SearchEngine(CATALOG, None, None, SearchConfig())
    assert ids(plain.search("coffee")) == ["p3"]


@pytest.mark.parametrize("odd", ["", "   ", "🙂🙂🙂", "x" * 10_000, "'; DROP TABLE products; --",
                                 "<script>alert(1)</script>", "%_%", "\x00\x01"])  # fmt: skip
def test_odd_input_never_fails(engine: SearchEngine, odd: str) -> None:
    outcome = engine.search(odd, limit=3)
    assert len(outcome.hits) <= 3


def test_restrict_limits_the_candidates(engine: SearchEngine) -> None:
    only = np.array([False, False, False, True, False])
    assert ids(engine.search("shoes", restrict=only)) == ["p4"]
