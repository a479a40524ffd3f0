"""Ranking a hand-made product's evidence, and deciding whether it answers, in English and Indonesian.

Most tests use the lexical weights (no embedding model); the last ones load the real e5 model.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from hangat.adapters.embed.e5 import E5Embedder
from hangat.answers import Answer, Evidence, EvidenceSet, answer, prepare, product_evidence, rank
from hangat.domain.catalog import Product, Review

COFFEE = Product(
    "kopi-1", "Gayo Arabica Whole Bean Coffee", brand="Kopi Kita", price=Decimal("12.50"), currency="USD",
    description="Single origin arabica from the Gayo highlands of Aceh. Roasted every week in small batches.",
    attributes={"package_size": "39 oz", "roast_level": "medium", "caffeinated": True},
)  # fmt: skip
COFFEE_REVIEWS = [
    Review("r1", "kopi-1", 5, "The taste is smooth and chocolatey, not bitter at all. Shipping was quick."),
    Review("r2", "kopi-1", 4, "Good coffee for the price. The bag reseals well."),
]
KAOS = Product(
    "kaos-1", "Kaos Polos Pria Lengan Pendek", language="id",
    description="Kaos polos untuk sehari-hari. Jahitan rapi dan warna tidak mudah pudar.",
    attributes={"bahan": "katun combed 30s", "ukuran": "M, L, XL, XXL", "warna": "hitam, putih, navy"},
)  # fmt: skip
KAOS_REVIEWS = [
    Review("u1", "kaos-1", 5, "Bahannya tebal dan adem, tidak menerawang sama sekali.", language="id"),
    Review("u2", "kaos-1", 4, "Pengiriman cepat, packing rapi. Sesuai pesanan.", language="id"),
]


def top(question: str, product: Product, reviews: list[Review]) -> Evidence:
    return rank(question, product_evidence(product, reviews))[0].evidence


def test_an_attribute_answers_a_size_question() -> None:
    assert top("what size is the package?", COFFEE, COFFEE_REVIEWS) == Evidence(
        "package size: 39 oz", "attribute", "package_size"
    )


def test_a_review_sentence_answers_an_opinion_question() -> None:
    best = top("how does it taste? is it bitter?", COFFEE, COFFEE_REVIEWS)
    assert best.source == "review" and best.review_id == "r1"
    assert best.text.startswith("The taste is smooth")


def test_indonesian_attribute_and_review_questions() -> None:
    assert top("ukuran apa saja yang tersedia?", KAOS, KAOS_REVIEWS).field == "ukuran"
    best = top("apakah bahannya tebal?", KAOS, KAOS_REVIEWS)
    assert (best.source, best.review_id) == ("review", "u1")


def test_ranked_evidence_is_scored_best_first() -> None:
    ranked = rank("is it caffeinated?", product_evidence(COFFEE, COFFEE_REVIEWS))
    assert len(ranked) == len(product_evidence(COFFEE, COFFEE_REVIEWS))
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert ranked[0].evidence.field == "caffeinated" and ranked[0].overlap == 1.0


def test_a_question_the_data_does_not_cover_is_not_answerable() -> None:
    result = answer("is it waterproof? can I take it swimming?", product_evidence(COFFEE, COFFEE_REVIEWS))
    assert result.answerable is False
    assert 0.0 <= result.confidence < 0.5


def test_a_question_the_data_covers_is_answerable_with_evidence() -> None:
    result = answer("what is the roast level?", product_evidence(COFFEE, COFFEE_REVIEWS))
    assert result.answerable is True
    assert result.evidence[0].evidence.field == "roast_level"
    assert 1 <= len(result.evidence) <= 3


def test_no_evidence_means_no_answer() -> None:
    result = answer("is it waterproof?", [])
    assert (result.answerable, result.evidence, result.confidence) == (False, (), 0.0)


def test_given_vectors_are_used_instead_of_words() -> None:
    items = [Evidence("alpha beta", "description"), Evidence("gamma delta", "description")]
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    prepared = prepare(items, vectors=vectors)
    assert isinstance(prepared, EvidenceSet)
    assert rank("unrelated words", prepared, np.array([0.1, 0.9]))[0].evidence.text == "gamma delta"
    assert rank("unrelated words", prepared, np.array([0.9, 0.1]))[0].evidence.text == "alpha beta"


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()


def test_with_e5_evidence_is_found_and_uncovered_questions_are_refused(embedder: E5Embedder) -> None:
    def ask(question: str, product: Product, reviews: list[Review]) -> Answer:
        prepared = prepare(product_evidence(product, reviews), embedder.embed_passages)
        return answer(question, prepared, embedder.embed_query(question))

    colours = ask("ada warna apa aja?", KAOS, KAOS_REVIEWS)
    assert colours.answerable and colours.evidence[0].evidence.field == "warna"
    assert ask("is it bitter?", COFFEE, COFFEE_REVIEWS).evidence[0].evidence.review_id == "r1"
    assert ask("bisa dipakai untuk mendaki gunung?", KAOS, KAOS_REVIEWS).answerable is False
    assert ask("is it waterproof?", COFFEE, COFFEE_REVIEWS).answerable is False
