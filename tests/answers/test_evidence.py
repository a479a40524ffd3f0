"""Evidence passages: what a product and its reviews are cut into, and where each passage came from."""

from __future__ import annotations

from decimal import Decimal

from hangat.answers.corpora import hetpqa_evidence
from hangat.answers.evidence import Evidence, attribute_evidence, product_evidence, sentences
from hangat.domain.catalog import Product, Review


def test_sentences_split_run_together_reviews_but_not_numbers() -> None:
    text = "Great case for the price.It fits 10.5 inch tablets well! Pros:-slim Cons:-none"
    assert sentences(text) == [
        "Great case for the price.",
        "It fits 10.5 inch tablets well! Pros:-slim Cons:-none",
    ]


def test_short_fragments_join_their_neighbour_and_long_sentences_are_cut() -> None:
    assert sentences("Love it. Great!") == ["Love it. Great!"]
    long = ", ".join(["a very long clause about the product"] * 30)
    pieces = sentences(long)
    assert len(pieces) > 1 and all(len(p) <= 400 for p in pieces)


def test_attribute_values_read_as_words() -> None:
    assert attribute_evidence("package_size", "39 oz") == Evidence(
        "package size: 39 oz", "attribute", "package_size"
    )
    assert attribute_evidence("waterproof", True).text == "waterproof: yes"
    assert attribute_evidence("colours", ["red", "blue"]).text == "colours: red, blue"


def test_product_evidence_carries_source_field_and_review_id() -> None:
    description = "Single origin arabica from Aceh. Roasted weekly in Bandung."
    product = Product(
        "p1", "Kopi Gayo", description=description, brand="Gayo", price=Decimal("85000"),
        attributes={"weight": "250 g"},
    )  # fmt: skip
    reviews = [
        Review("r9", "p1", 5, "Rasanya enak sekali. Aromanya kuat dan wangi."),
        Review("r10", "p1", 4, ""),
    ]
    found = product_evidence(product, reviews)
    assert Evidence("weight: 250 g", "attribute", "weight") in found
    assert Evidence("brand: Gayo", "attribute", "brand") in found
    assert Evidence("price: 85000 IDR", "attribute", "price") in found
    assert Evidence("Kopi Gayo", "description", "title") in found
    assert Evidence("Roasted weekly in Bandung.", "description", "description") in found
    review = [e for e in found if e.source == "review"]
    assert [e.review_id for e in review] == ["r9", "r9"]
    assert review[1].text == "Aromanya kuat dan wangi."


def test_duplicate_passages_are_kept_once() -> None:
    reviews = [Review("a", "p", 5, "Works great."), Review("b", "p", 5, "works great.")]
    found = product_evidence(Product("p", "Lamp"), reviews)
    assert [e.review_id for e in found if e.source == "review"] == ["a"]


def test_hetpqa_attribute_records_are_flattened() -> None:
    e = hetpqa_evidence(
        'compatible_devices:  { value:"apple ipad 3" }; { value:"apple ipad air" }', "attribute"
    )
    assert e == Evidence(
        "compatible devices: apple ipad 3, apple ipad air", "attribute", "compatible_devices"
    )
    weight = hetpqa_evidence(
        "item_weight:  { unit:pounds, normalized_value:{ unit:pounds, value:13. }, value:13. }", "attribute"
    )
    assert weight.text == "item weight: pounds, 13"
    assert hetpqa_evidence("yes, it plugs into the bind port.", "CQA").source == "review"
    assert hetpqa_evidence("skylight windows.", "OSP").source == "description"
