"""Review synthesis on real Indonesian reviews (PRDECT-ID) and on hand-written English ones."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest

import hangat.reviews
from hangat.demo.marketplace import product_id, source_path
from hangat.domain.catalog import Review
from hangat.reviews import Synthesis, highlights, render, synthesise
from hangat.reviews.synthesis import QUOTE_CHARS

CANDLES = "lilin angka gold / Lilin Ultah emas / Lilin Angka ulang tahun gold - tiga"


def prdect_reviews(name: str) -> list[Review]:
    """The bundled PRDECT-ID reviews of one demo product, with the demo's review ids."""
    with source_path().open(encoding="utf-8", newline="") as fh:
        rows = list(enumerate(csv.DictReader(fh), start=1))
    return [
        Review(
            f"tkp-r{n:05d}",
            product_id(r["Category"], r["Product Name"], r["Location"]),
            int(r["Customer Rating"]),
            r["Customer Review"],
            language="id",
        )
        for n, r in rows
        if r["Product Name"] == name
    ]


def assert_quotes_are_real(s: Synthesis, reviews: list[Review]) -> None:
    texts = {r.external_id: r.text for r in reviews}
    quotes = [*s.quotes, *(q for a in s.aspects for q in a.quotes)]
    assert quotes
    for q in quotes:
        assert q.text and len(q.text) <= QUOTE_CHARS, q
        assert q.text in texts[q.review_id], q
        assert q.sentiment in ("positive", "negative", "neutral")


@pytest.fixture(scope="module")
def candles() -> tuple[list[Review], Synthesis]:
    reviews = prdect_reviews(CANDLES)
    return reviews, synthesise(reviews)


def test_real_indonesian_reviews_counts_and_average(candles: tuple[list[Review], Synthesis]) -> None:
    reviews, s = candles
    assert len(reviews) == s.review_count == s.rated_count == 22
    assert s.average_rating == pytest.approx(sum(r.rating or 0 for r in reviews) / 22)
    mentions = [a.mentions for a in s.aspects]
    assert mentions == sorted(mentions, reverse=True)
    for a in s.aspects:
        assert a.positive <= a.mentions <= s.review_count and a.negative <= a.mentions
    delivery = next(a for a in s.aspects if a.aspect.key == "delivery")
    said = sum("pengiriman" in r.text.lower() or "kirim" in r.text.lower() for r in reviews)
    assert delivery.mentions >= said > 0
    assert delivery.negative >= 1 and delivery in s.cons


def test_real_indonesian_quotes_are_exact_substrings_of_the_right_review(
    candles: tuple[list[Review], Synthesis],
) -> None:
    reviews, s = candles
    assert_quotes_are_real(s, reviews)
    assert {q.sentiment for q in s.quotes} == {"positive", "negative"}


def test_render_real_reviews_in_indonesian(candles: tuple[list[Review], Synthesis]) -> None:
    _, s = candles
    text = render(s, "id")
    assert text.startswith("22 ulasan, rata-rata 2,5★. Paling dipuji: ")
    praised, complaints = text.removeprefix("22 ulasan, rata-rata 2,5★. ").split(" Keluhan: ")
    assert praised.startswith("Paling dipuji: ") and "pengulas)" in praised
    assert "pengiriman (" in complaints and "pengulas)" in complaints


ENGLISH = [
    Review("r1", "p", 5, "Fast shipping. The fabric feels soft."),
    Review("r2", "p", 4, "Shipping was quick, but the size runs small."),
    Review("r3", "p", 1, "Arrived late and the packaging was torn."),
    Review("r4", "p", 2, "Not as described. The color is different from the picture."),
    Review("r5", "p", 5, "Not bad for the price."),
    Review("r6", "p", 3, "The zipper is not good, but delivery was fast."),
]


def test_english_counts_are_distinct_reviews() -> None:
    s = synthesise(ENGLISH)
    by_key = {a.aspect.key: a for a in s.aspects}
    assert (by_key["delivery"].mentions, by_key["delivery"].positive, by_key["delivery"].negative) == (
        4,
        3,
        1,
    )
    assert (by_key["size"].positive, by_key["size"].negative) == (0, 1)
    assert (by_key["price"].positive, by_key["price"].negative) == (1, 0)  # "not bad"
    assert (by_key["packaging"].positive, by_key["packaging"].negative) == (0, 1)
    assert s.aspects[0].aspect.key == "delivery"
    assert s.pros[0].aspect.key == "delivery" and s.cons[0].negative == 1
    assert_quotes_are_real(s, ENGLISH)
    assert s.quotes[0].review_id in {"r1", "r2", "r6"} and s.quotes[0].sentiment == "positive"
    assert s.quotes[1].review_id == "r3" and s.quotes[1].sentiment == "negative"


def test_a_leading_but_is_not_quoted() -> None:
    s = synthesise(ENGLISH)
    size = next(a for a in s.aspects if a.aspect.key == "size")
    assert [q.text for q in size.quotes] == ["the size runs small."]


def test_negation_decides_the_side_whatever_the_stars() -> None:
    s = synthesise([
        Review("a", "p", 3, "Barangnya gak rusak sama sekali."),
        Review("b", "p", 5, "Warnanya tidak sesuai gambar, tapi pengiriman cepat."),
    ])  # fmt: skip
    by_key = {a.aspect.key: a for a in s.aspects}
    assert (by_key["condition"].positive, by_key["condition"].negative) == (1, 0)
    assert (by_key["appearance"].positive, by_key["appearance"].negative) == (0, 1)
    assert (by_key["delivery"].positive, by_key["delivery"].negative) == (1, 0)


def test_render_english_and_indonesian() -> None:
    s = synthesise(ENGLISH)
    assert render(s, "en") == (
        "6 reviews, 3.3★ on average. Most praised: delivery (3 reviewers), price & value (1), "
        "material (1). Complaints: delivery (1 reviewer), as described (1), packaging (1)."
    )
    assert render(s, "id") == (
        "6 ulasan, rata-rata 3,3★. Paling dipuji: pengiriman (3 pengulas), harga (1), bahan (1). "
        "Keluhan: pengiriman (1 pengulas), sesuai deskripsi (1), kemasan (1)."
    )


def test_no_reviews_is_an_honest_empty_synthesis() -> None:
    s = synthesise([])
    assert (s.review_count, s.rated_count, s.average_rating, s.aspects, s.quotes) == (0, 0, None, (), ())
    assert s.pros == s.cons == ()
    assert render(s, "en") == "No reviews yet."
    assert render(s, "id") == "Belum ada ulasan."


def test_reviews_without_text_or_stars() -> None:
    rated = synthesise([Review("a", "p", 4, ""), Review("b", "p", None, "  ")])
    assert (rated.review_count, rated.rated_count, rated.average_rating) == (2, 1, 4.0)
    assert rated.aspects == () and rated.quotes == ()
    assert render(rated, "en") == "2 reviews, 4.0★ on average."
    unrated = synthesise([Review("a", "p", None, "Packing rapi.")])
    assert render(unrated, "en").startswith(
        "1 review, without star ratings. Most praised: packaging (1 reviewer)"
    )


def test_long_sentences_are_cut_at_a_word_boundary() -> None:
    text = "The battery lasts " + "really " * 30 + "long and charging is quick."
    s = synthesise([Review("x", "p", 5, text)])
    quote = s.quotes[0].text
    assert len(quote) <= QUOTE_CHARS and text.startswith(quote)
    assert text[len(quote)] == " "


def test_max_quotes_is_respected() -> None:
    one = synthesise(ENGLISH, max_quotes=1)
    assert len(one.quotes) == 1 and all(len(a.quotes) <= 1 for a in one.aspects)
    none = synthesise(ENGLISH, max_quotes=0)
    assert none.quotes == () and all(a.quotes == () for a in none.aspects)


def test_highlights_are_whole_real_sentences_within_the_budget() -> None:
    reviews = prdect_reviews(CANDLES)
    chosen = highlights(reviews, words=40)
    texts = {r.external_id: r.text for r in reviews}
    assert chosen and all(q.text in texts[q.review_id] for q in chosen)
    assert len({q.text for q in chosen}) == len(chosen)
    words = [len(q.text.split()) for q in chosen]
    assert sum(words[:-1]) < 40 and all(4 <= w <= 30 for w in words)
    assert highlights([]) == ()


def test_the_reviews_package_is_pure() -> None:
    forbidden = ("fastapi", "starlette", "sqlalchemy", "psycopg", "httpx", "requests", "urllib",
                 "typer", "rich", "hangat.adapters", "hangat.web", "hangat.cli", "socket")  # fmt: skip
    for path in Path(hangat.reviews.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not [n for n in names if n.startswith(forbidden)], path
