"""The passages a product answer can rest on: one per attribute, the sentences of the title and
description, and the sentences of each review — each remembering where it came from.

The sentence splitter is hand-written (a few regular expressions) because product text is not prose:
reviews run sentences together ("…typing.Pros:-Case"), descriptions are bullet lists, and the
splitters of NLP libraries would add a dependency and a model load for no measured gain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from hangat.domain.catalog import Product, Review

Source = Literal["attribute", "description", "review"]
SOURCES: tuple[Source, ...] = ("attribute", "description", "review")
MAX_CHARS = 400  # longer sentences are cut at commas: one passage, one point
MIN_WORDS = 3  # shorter fragments ("Pros:", "Great!") join the sentence before them

_BREAK = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*|(?<=[a-z][.!?])(?=[A-Z])|\s+[•·▪*-]\s+|^[•·▪*-]\s+")
_CLAUSE = re.compile(r"(?<=[,;])\s+")


@dataclass(frozen=True)
class Evidence:
    """One passage: its ``text``, its ``source``, the attribute ``field`` (or ``"title"`` /
    ``"description"``), and the ``review_id`` (the review's ``external_id``) of a review sentence."""

    text: str
    source: Source
    field: str = ""
    review_id: str = ""


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences of at most ``MAX_CHARS``; fragments under ``MIN_WORDS`` words are
    joined to the sentence before them (or after, for a leading one)."""
    parts = [p.strip() for p in _BREAK.split(text) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        if out and min(len(part.split()), len(out[-1].split())) < MIN_WORDS:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [piece for sentence in out for piece in _cut(sentence)]


def _cut(sentence: str) -> list[str]:
    if len(sentence) <= MAX_CHARS:
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE.split(sentence):
        if pieces and len(pieces[-1]) + len(clause) < MAX_CHARS:
            pieces[-1] = f"{pieces[-1]} {clause}"
        else:
            pieces += [clause[i : i + MAX_CHARS] for i in range(0, len(clause), MAX_CHARS)]
    return pieces


def value_text(value: Any) -> str:
    """An attribute value as words: ``True`` → "yes", lists joined, numbers without trailing zeros."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal):
        return f"{value:g}" if isinstance(value, float) else format(value.normalize(), "f")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return ", ".join(value_text(v) for v in value)
    return " ".join(str(value).split())


def attribute_evidence(name: str, value: Any) -> Evidence:
    """``("package_size", "39 oz")`` → "package size: 39 oz" (underscores read as spaces)."""
    label = " ".join(name.replace("_", " ").split())
    return Evidence(f"{label}: {value_text(value)}", "attribute", field=name)


def product_evidence(product: Product, reviews: Iterable[Review] = ()) -> list[Evidence]:
    """Every passage of ``product`` and its ``reviews``: attributes (plus brand and price, which are
    attributes to a shopper), title and description sentences, review sentences."""
    found = [attribute_evidence(k, v) for k, v in product.attributes.items() if value_text(v)]
    if product.brand:
        found.append(attribute_evidence("brand", product.brand))
    if product.price is not None:
        found.append(attribute_evidence("price", f"{value_text(product.price)} {product.currency}"))
    found.append(Evidence(product.title, "description", field="title"))
    found += [Evidence(s, "description", field="description") for s in sentences(product.description)]
    for review in reviews:
        found += [Evidence(s, "review", review_id=review.external_id) for s in sentences(review.text)]
    return _unique(found)


def _unique(items: Sequence[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    out = []
    for item in items:
        key = (item.text.casefold(), item.source)
        if item.text.strip() and key not in seen:
            seen.add(key)
            out.append(item)
    return out
