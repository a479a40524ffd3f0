"""Filters parsed from plain language, in English and Indonesian."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hangat.search.filters import Filters, parse_query

D = Decimal


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("sepatu lari di bawah 300 ribu", "sepatu lari", Filters(price_max=D(300000), currency="IDR")),
        ("kopi 300rb", "kopi", Filters(price_max=D(300000), currency="IDR")),
        ("tas 1,5 jt", "tas", Filters(price_max=D(1500000), currency="IDR")),
        ("headphones under $50", "headphones", Filters(price_max=D(50), currency="USD")),
        ("antara 100-200k", "", Filters(price_min=D(100000), price_max=D(200000))),
        ("kado ibu antara 100rb sampai 250rb", "kado ibu",
         Filters(price_min=D(100000), price_max=D(250000), currency="IDR")),
        ("₹999 earphones", "earphones", Filters(price_max=D(999), currency="INR")),
        ("between $20 and $50 lamp", "lamp", Filters(price_min=D(20), price_max=D(50), currency="USD")),
        ("over 1.500.000 rupiah", "", Filters(price_min=D(1500000), currency="IDR")),
        ("laptop rating 4+", "laptop", Filters(min_rating=4.0)),
        ("sepatu bintang 4 ke atas", "sepatu", Filters(min_rating=4.0)),
        ("4.5 stars and up blender", "blender", Filters(min_rating=4.5)),
        ("in stock kettle", "kettle", Filters(in_stock=True)),
        ("ready stok sepatu merek Adidas", "sepatu", Filters(in_stock=True, brand="Adidas")),
        ("10 pcs mug", "10 pcs mug", Filters()),
        ("iphone 13", "iphone 13", Filters()),
    ],
)  # fmt: skip
def test_parse_query(query: str, text: str, expected: Filters) -> None:
    parsed = parse_query(query)
    assert parsed.text == text
    assert parsed.filters == expected


def test_category_needs_a_known_category() -> None:
    cats = ("Grocery > Coffee", "Marketplace > Kitchen")
    assert parse_query("kopi kategori coffee", cats).filters.category == "Grocery > Coffee"
    assert parse_query("kopi kategori planets", cats).filters.category is None


def test_parameters_win_over_words_and_describe_lists_what_is_set() -> None:
    merged = parse_query("tas di bawah 300 ribu").filters.merged(Filters(price_max=D(100000)))
    assert merged.price_max == D(100000) and merged.currency == "IDR"
    assert merged.describe() == [("price_max", 100000.0), ("currency", "IDR")]
    assert Filters().empty and not merged.empty


@pytest.mark.parametrize(
    "odd", ["", " ", "🙂" * 50, "x" * 10_000, "'; DROP TABLE x; --", "$$$ rb jt k", "<img>"]
)
def test_odd_input_never_fails(odd: str) -> None:
    parsed = parse_query(odd)
    assert isinstance(parsed.text, str)
