from datetime import date

import pytest

from hangat.understand.slots import extract

NOW = date(2026, 3, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kado buat ibu, budget 300rb, buat Lebaran",
            {"budget_max": 300000, "currency": "IDR", "recipient": "mother", "occasion": "lebaran"},
        ),
        (
            "red running shoes size 42 for my son under $50",
            {"budget_max": 50, "currency": "USD", "size": "42", "recipient": "son"},
        ),
        ("laptop 1,5 jt - 2 jt", {"budget_min": 1500000, "budget_max": 2000000, "currency": "IDR"}),
        ("harga di atas 500k", {"budget_min": 500000, "currency": "IDR"}),
        ("earphones under ₹999", {"budget_max": 999, "currency": "INR"}),
        ("add 2 bungkus kopi", {"quantity": 2}),
        ("selusin telur", {"quantity": 12}),
        ("three packs of noodles", {"quantity": 3}),
        ("pesan 100 kaos polos", {"quantity": 100}),
        ("yang kedua aja", {"reference": "2"}),
        ("nomor 3 dong", {"reference": "3"}),
        ("the last one please", {"reference": "last"}),
        ("yg merah kak", {"reference": "red"}),
        ("yang tadi aja deh", {"reference": "previous"}),
        ("hoodie 2XL", {"size": "2XL"}),
        ("ada uk 40 ga?", {"size": "40"}),
        (
            "kado ultah pacar tgl 12 Mei",
            {"date": "2026-05-12", "recipient": "girlfriend", "occasion": "birthday"},
        ),
        ("hadiah ulang tahun pernikahan buat istri", {"recipient": "wife", "occasion": "anniversary"}),
    ],
)
def test_rule_slots(text: str, expected: dict[str, object]) -> None:
    assert extract(text, NOW).values == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ibu, saya mau tanya soal pesanan",  # "Ibu" as a form of address, not a recipient
        "udah 3 kali gagal bayar",  # a count of failures, not a quantity
        "I bought this 3 weeks ago",
        "kopi 165g",  # a pack size is an attribute, not a quantity
        "anak 5 tahun suka apa ya",
    ],
)
def test_no_false_slots(text: str) -> None:
    values = extract(text, NOW).values
    assert "quantity" not in values and "recipient" not in values


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("my restaurant needs 50 chairs", 50),
        ("Tambahkan dua, saya senang sekali", 2),
        ("yg kemaren abis, pesen lg 5", 5),
        ("SCHOOL NEEDS 120 PENCIL CASES", 120),
    ],
)
def test_counts_of_things(text: str, quantity: int) -> None:
    assert extract(text, NOW).values.get("quantity") == quantity


@pytest.mark.parametrize(
    "text",
    [
        "is the MacBook Pro 16 any good for gaming?",
        "I have type 2 diabetes, which snacks are safe?",
        "tracking for order 4471 please",
        "can I get 20% off?",
        "Apakah kemasan 1 kg lebih hemat?",
    ],
)
def test_numbers_that_are_not_quantities(text: str) -> None:
    assert "quantity" not in extract(text, NOW).values
