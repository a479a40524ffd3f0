"""Fact extraction: what a message states about the person, in both languages — and what it does not."""

from __future__ import annotations

import pytest

from hangat.memory.extract import facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ukuran sepatu aku 39 ya kak", [("size", "self", "39")]),
        ("my son wears size 8 in kids shoes", [("size", "my son", "8")]),
        ("I always buy Indomie", [("preference", "self", "Indomie")]),
        ("Matcha is my favorite", [("preference", "self", "Matcha")]),
        ("gue gak suka yg pedes", [("dislike", "self", "pedes")]),
        ("I can't stand the smell of durian", [("dislike", "self", "durian")]),
        ("aku vegetarian", [("constraint", "self", "vegetarian")]),
        ("ibu ulang tahun 12 Mei", [("recipient", "ibu", "12 Mei")]),
        ("kami punya 2 kucing", [("household", "household", "2 kucing")]),
        ("I use a screen reader", [("accessibility", "self", "screen reader")]),
        ("pakai bahasa santai aja ya", [("style", "self", "bahasa santai")]),
        (
            "My mother has arthritis, she needs easy-open lids",
            [("health", "my mother", "arthritis"), ("constraint", "my mother", "easy-open lids")],
        ),
    ],
)
def test_what_a_message_states(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(f.kind, f.subject, f.value) for f in facts(text)] == expected
    for f in facts(text):
        assert text[f.start : f.end] == f.value  # the value is the message's own words


@pytest.mark.parametrize(
    "text",
    [
        "cari sepatu ukuran 42 dong",  # a one-off search
        "show me red dresses under 300k",
        "apakah aman untuk penderita diabetes?",  # a question
        "Is this chocolate halal?",
        "kalau misalnya aku alergi kacang gimana?",  # a hypothetical
        "If I were vegan, what would you suggest?",
        "Is matcha your favorite?",
        "where is my order?",
        "",
    ],
)
def test_what_states_nothing(text: str) -> None:
    assert facts(text) == []
