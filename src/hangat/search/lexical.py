"""BM25 over product fields, with field weights (a BM25F approximation by field repetition).

bm25s does the scoring; this module decides what each product's document is: the title
``title_weight`` times, brand and category twice, attribute values and the description once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from hangat.domain.catalog import Product
from hangat.search.text import analyze, stems, words


@dataclass(frozen=True)
class FieldWeights:
    title: int = 3
    head: int = 4
    brand: int = 2
    category: int = 2
    attributes: int = 1
    description: int = 1


_HEAD_CUT = re.compile(r"\s(?:-|–|\||/|with|for|w/|by|in|featuring)\s|[,(\[:;]", re.IGNORECASE)


def head_noun(title: str, lang: str) -> str:
    """The word that says what the product is: in English the last word before a qualifier
    ("Epson 1761W Projector - White" → "projector"); in Indonesian the first ("Sepatu Lari Pria")."""
    core = _HEAD_CUT.split(title, maxsplit=1)[0]
    tokens = words(core)
    found = [t for i, t in enumerate(tokens) if t.isalpha() and not (i and tokens[i - 1][:1].isdigit())]
    if not found:
        return ""
    return found[0] if lang == "id" else found[-1]


def document(p: Product, weights: FieldWeights, description_chars: int = 2000) -> list[str]:
    """The terms that stand for ``p`` in the index."""
    lang = p.language
    values = [str(v) for v in p.attributes.values() if isinstance(v, str | int | float)]
    fields: tuple[tuple[int, Callable[[], list[str]]], ...] = (
        (weights.title, lambda: analyze(p.title, lang)),
        (weights.head, lambda: stems([head_noun(p.title, lang)], lang)),
        (weights.brand, lambda: analyze(p.brand, lang)),
        (weights.category, lambda: analyze(" ".join(p.category_path[1:] or p.category_path), lang)),
        (weights.attributes, lambda: analyze(" ".join(values), lang)),
        (weights.description, lambda: analyze(p.description[:description_chars], lang)),
    )
    terms: list[str] = []
    for weight, analysed in fields:
        if weight:  # a field that does not count is not analysed at all
            terms += analysed() * weight
    return terms


class LexicalIndex:
    """Scores every product for a list of query terms."""

    def __init__(self, documents: Sequence[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        if documents:
            self._bm25.index([d or [""] for d in documents], show_progress=False)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        if not self.size or not terms:
            return np.zeros(self.size, dtype=np.float32)
        known = [t for t in terms if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
