"""What reply text asserts: numbers (normalised), links, claimed actions, names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hangat.dialogue.grounding import (
    action_claims_in,
    capitalised_words,
    numbers_in,
    parse_number,
    urls_in,
)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Rp120.000", ["120000"]),
        ("Rp 1.500.000", ["1500000"]),
        ("120rb", ["120000"]),
        ("120 ribu", ["120000"]),
        ("1,5 juta", ["1500000"]),
        ("2jt", ["2000000"]),
        ("5k", ["5000"]),
        ("5kg", ["5"]),
        ("$3.49", ["3.49"]),
        ("4,8 stars", ["4.8"]),
        ("4.8 stars", ["4.8"]),
        ("1,000 units", ["1000"]),
        ("1.234,56", ["1234.56"]),
        ("1,234.56", ["1234.56"]),
        ("50%", ["50"]),
        ("2024-05-01", ["2024", "5", "1"]),
        ("no numbers", []),
    ],
)
def test_numbers_are_normalised(text: str, values: list[str]) -> None:
    assert numbers_in(text) == [Decimal(v) for v in values]


def test_the_same_price_written_three_ways_is_one_number() -> None:
    assert len({*numbers_in("Rp150.000"), *numbers_in("150rb"), *numbers_in("150 ribu")}) == 1
    assert parse_number("0.500") == Decimal("0.5")


def test_links_bare_domains_and_mail_domains_are_found() -> None:
    text = "See https://www.Shop.example/p/1/, www.evil.com. Mail assist@gmail.com or tokopedia.co.id!"
    assert urls_in(text) == ["shop.example/p/1", "evil.com", "gmail.com", "tokopedia.co.id"]
    assert urls_in("Rated 4.8, costs Rp120.000, e.g. this one") == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("I've added it to your cart.", {"cart", "promise"}),
        ("It is now in your cart.", {"cart"}),
        ("Your order is confirmed!", {"order"}),
        ("Refund approved.", {"refund"}),
        ("Your order was cancelled.", {"cancel"}),
        ("Payment received, thanks.", {"payment"}),
        ("Your voucher has been applied.", {"discount"}),
        ("Sudah saya tambahkan ke keranjang.", {"cart", "promise"}),
        ("Pesanan dikonfirmasi.", {"order"}),
        ("Dana sudah dikembalikan.", {"refund"}),
        ("You can add it to your cart from its page.", set()),
        ("Want me to show the order status?", set()),
    ],
)
def test_claimed_actions_are_recognised(text: str, kinds: set[str]) -> None:
    assert action_claims_in(text) == kinds


def test_capitalised_words_outside_sentence_starts_are_names() -> None:
    text = "Sure! Try the Nike Pegasus or model x200. Great: Sepatu Lari is 350rb. I like it."
    assert capitalised_words(text) == ["Nike", "Pegasus", "x200", "Lari"]
