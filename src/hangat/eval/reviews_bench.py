"""``hangat eval reviews``: review synthesis against human-written summaries (FewSum, Amazon).

Each product of the file has 8 customer reviews and 3 summaries written by crowd workers who read
them. hangat's text is extractive: the representative sentences that
:func:`hangat.reviews.highlights` picks from the reviews (centrality, aspect coverage, MMR). The
baseline in the same run is the first sentence of each review, in the file's order. Both texts are
cut to the same budget, :data:`SUMMARY_WORDS` words (the human summaries average about 51 words in
the train and val files), so neither wins by length. Scored with ROUGE-1/2/L F1 (the PyPI package
``rouge-score``, Porter stemming): averaged over the 3 references, then over the products.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hangat.domain.catalog import Review
from hangat.errors import InputError
from hangat.eval.machine import describe
from hangat.reviews import highlights
from hangat.reviews.segments import sentences

REVIEWS, REFERENCES = 8, 3
SUMMARY_WORDS = 50
METRICS = ("rouge1", "rouge2", "rougeL")
COLUMNS = (
    "cat",
    "group_id",
    *(f"rev{i}" for i in range(1, REVIEWS + 1)),
    *(f"summ{i}" for i in range(1, REFERENCES + 1)),
    *(f"rating{i}" for i in range(1, REVIEWS + 1)),
)


@dataclass(frozen=True)
class Product:
    """One product of the file: its reviews and the human summaries of them."""

    group_id: str
    category: str
    reviews: tuple[Review, ...]
    references: tuple[str, ...]


def load(path: Path) -> list[Product]:
    """The products of a FewSum-shaped, tab-separated file; :class:`InputError` if it is not one."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"{path}: not a FewSum file (tab-separated); missing columns {missing}")
        products = [_product(row, number, path) for number, row in enumerate(reader, start=2)]
    if not products:
        raise InputError(f"{path}: no products")
    return products


def _product(row: dict[str, str], line: int, path: Path) -> Product:
    if None in row or any(row[c] is None for c in COLUMNS):
        raise InputError(f"{path}: line {line}: expected {len(COLUMNS)} tab-separated fields")
    reviews = tuple(
        Review(
            f"{row['group_id']}-{i}",
            row["group_id"],
            _rating(row[f"rating{i}"], line, path),
            row[f"rev{i}"],
            language="en",
        )
        for i in range(1, REVIEWS + 1)
    )
    references = tuple(row[f"summ{i}"] for i in range(1, REFERENCES + 1))
    return Product(row["group_id"], row["cat"], reviews, references)


def _rating(text: str, line: int, path: Path) -> int | None:
    if not text.strip():
        return None
    try:
        return round(float(text))
    except ValueError as exc:
        raise InputError(f"{path}: line {line}: the rating {text!r} is not a number") from exc


def _truncate(text: str, words: int = SUMMARY_WORDS) -> str:
    return " ".join(text.split()[:words])


def hangat_text(reviews: Sequence[Review]) -> str:
    """hangat's summary for scoring: its representative sentences, cut to the word budget."""
    return _truncate(" ".join(q.text for q in highlights(reviews, SUMMARY_WORDS)))


def first_sentences(reviews: Sequence[Review]) -> str:
    """The baseline: the first sentence of each review, in order, cut to the word budget."""
    firsts = [spans[0].of(r.text) for r in reviews if (spans := sentences(r.text))]
    return _truncate(" ".join(firsts))


SYSTEMS: dict[str, Callable[[Sequence[Review]], str]] = {
    "hangat": hangat_text,
    "first_sentences": first_sentences,
}


def _scorer() -> Any:
    try:
        from rouge_score import rouge_scorer
    except ImportError as exc:
        raise InputError("ROUGE needs the rouge-score package: pip install 'hangat[dev]'") from exc
    return rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)


def run(products: Sequence[Product], progress: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """ROUGE F1 of every system, averaged over each product's references, then over products."""
    scorer = _scorer()
    totals = {name: dict.fromkeys(METRICS, 0.0) for name in SYSTEMS}
    words = dict.fromkeys(SYSTEMS, 0)
    for number, product in enumerate(products, start=1):
        progress(f"product {number}/{len(products)}: {product.group_id}")
        for name, system in SYSTEMS.items():
            text = system(product.reviews)
            words[name] += len(text.split())
            for reference in product.references:
                scores = scorer.score(reference, text)
                for metric in METRICS:
                    totals[name][metric] += scores[metric].fmeasure / len(product.references)
    n = len(products)
    reference_words = sum(len(r.split()) for p in products for r in p.references)
    return {
        "products": n,
        "summary_words": SUMMARY_WORDS,
        "reference_words": round(reference_words / sum(len(p.references) for p in products), 1),
        "systems": {
            name: {m: round(v / n, 4) for m, v in scores.items()} | {"words": round(words[name] / n, 1)}
            for name, scores in totals.items()
        },
    }


def markdown(result: dict[str, Any], command: str, data: str) -> str:
    lines = [
        f"\n### Review synthesis — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        f"- Command: `{command}`",
        f"- Data: {data}; {result['products']} products, {REVIEWS} reviews and {REFERENCES} human "
        f"summaries each (references average {result['reference_words']} words); both systems cut "
        f"to {result['summary_words']} words",
        f"- Machine: {describe()}\n",
        "| system | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | words |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in result["systems"].items():
        lines.append(
            f"| {name} | {s['rouge1']:.4f} | {s['rouge2']:.4f} | {s['rougeL']:.4f} | {s['words']:.1f} |"
        )
    return "\n".join(lines) + "\n"
