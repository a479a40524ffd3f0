"""Hybrid product search: BM25 and multilingual embeddings, fused, filtered, in both languages.

One query: filter phrases are parsed out ("di bawah 300 ribu"); misspelt words are read as the
words they most likely are ("keybaord" → "keyboard", ``spelling.py``); the rest is analysed into terms
(with an English translation of Indonesian words from the lexicon); BM25 and the embedding
similarity each nominate candidates among the products that pass the filters; the candidates
are scored by a weighted sum of the two normalised scores. See ``docs/search.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Protocol

import numpy as np

from hangat.domain.catalog import Product
from hangat.search.filters import Filters, parse_query
from hangat.search.lexical import FieldWeights, LexicalIndex, document, head_noun
from hangat.search.lexicon import Lexicon, bundled
from hangat.search.spelling import Speller, Spelling
from hangat.search.text import analyze, stems, without_chat
from hangat.search.vectors import ExactIndex, VectorIndex
from hangat.understand.language import detect_language

MAX_QUERY_CHARS = 500


class QueryEmbedder(Protocol):
    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class SearchConfig:
    """The tunable knobs (tuned on the development half of the judgements only)."""

    lexical_weight: float = 0.4
    translated_weight: float = 1.0
    candidates: int = 100
    fields: FieldWeights = field(default_factory=FieldWeights)
    embed_translation: bool = True
    semantic_range: tuple[float, float] | None = None  # fixed cosine range, else per-query min-max
    description_weight: float = 0.25  # > 0: the description in its own BM25 index, scaled by this
    min_relative_score: float = 0.0  # drop meaning-only candidates below this share of the best
    exact_below: int = 50_000  # with a filter leaving fewer products, rank those exactly
    head_bonus: float = 0.1  # added when the query's head noun is the product's
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    spelling: bool = True  # read misspelt words as the words they most likely are
    near_weight: float = 0.5  # catalog words one slip from a query word the catalog lacks


@dataclass(frozen=True)
class Hit:
    product: Product
    score: float
    lexical: float
    semantic: float


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[Hit]
    text: str  # the query without its filter phrases
    language: str
    filters: Filters
    translated: tuple[str, ...] = ()
    spelling: Spelling | None = None  # set when misspelt words were read as others


class _Codes:
    """A text column as integer codes, so an equality filter is one vectorised comparison."""

    def __init__(self, values: Sequence[str]) -> None:
        self.index: dict[str, int] = {}
        self.codes = np.array([self.index.setdefault(v, len(self.index)) for v in values], dtype=np.int32)

    def equal(self, value: str) -> np.ndarray:
        code = self.index.get(value)
        return self.codes == code if code is not None else np.zeros(len(self.codes), dtype=bool)

    def matching(self, accept: Callable[[str], bool]) -> np.ndarray:
        wanted = [code for value, code in self.index.items() if accept(value)]
        return np.isin(self.codes, wanted)


class _Columns:
    """Per-product arrays for fast filtering."""

    def __init__(self, products: Sequence[Product]) -> None:
        self.price = np.array([float(p.price) if p.price is not None else np.nan for p in products])
        self.rating = np.array([p.rating if p.rating is not None else np.nan for p in products])
        self.stock = np.array([p.stock if p.stock is not None else -1 for p in products])
        self.currency = _Codes([p.currency for p in products])
        self.brand = _Codes([p.brand.lower() for p in products])
        self.category = _Codes([p.category for p in products])

    def mask(self, f: Filters, size: int) -> np.ndarray:
        keep = np.ones(size, dtype=bool)
        if f.price_min is not None or f.price_max is not None:
            with np.errstate(invalid="ignore"):
                if f.price_min is not None:
                    keep &= self.price >= float(f.price_min)
                if f.price_max is not None:
                    keep &= self.price <= float(f.price_max)
            if f.currency:
                keep &= self.currency.equal(f.currency)
        if f.min_rating is not None:
            with np.errstate(invalid="ignore"):
                keep &= self.rating >= f.min_rating
        if f.in_stock:
            keep &= self.stock != 0  # unknown stock (-1) counts as available
        if f.brand:
            keep &= self.brand.equal(f.brand.lower())
        if f.category:
            wanted, prefix = f.category, f.category + " > "
            keep &= self.category.matching(lambda c: c == wanted or c.startswith(prefix))
        return keep


class SearchEngine:
    """An in-process search index over one catalog snapshot."""

    def __init__(
        self,
        products: Sequence[Product],
        vectors: VectorIndex | None = None,
        embedder: QueryEmbedder | None = None,
        config: SearchConfig | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.config = config or SearchConfig()
        self.products = list(products)
        fields = self.config.fields
        self.description_index: LexicalIndex | None = None
        if self.config.description_weight > 0:
            fields = replace(fields, description=0)
            self.description_index = LexicalIndex(
                [analyze(p.description[:2000], p.language) for p in self.products]
            )
        self.lexical = LexicalIndex(
            [document(p, fields) for p in self.products], self.config.bm25_k1, self.config.bm25_b
        )
        self.vectors = vectors if (vectors is not None and embedder is not None) else None
        self.embedder = embedder
        self.lexicon = lexicon if lexicon is not None else bundled()
        self.columns = _Columns(self.products)
        self.heads = np.array(
            [" ".join(stems([head_noun(p.title, p.language)], p.language)) for p in self.products],
            dtype=object,
        )
        self.categories = tuple(sorted({p.category for p in self.products if p.category}))

    @classmethod
    def with_matrix(
        cls, products: Sequence[Product], matrix: np.ndarray | None, embedder: QueryEmbedder | None,
        config: SearchConfig | None = None,
    ) -> SearchEngine:  # fmt: skip
        vectors = ExactIndex(matrix) if matrix is not None and len(matrix) else None
        return cls(products, vectors, embedder, config)

    def search(
        self, query: str, filters: Filters | None = None, limit: int = 10, language: str | None = None,
        restrict: np.ndarray | None = None, spelling: bool | None = None,
    ) -> SearchOutcome:  # fmt: skip
        """``spelling``: read misspelt words as others (default: the config's ``spelling``)."""
        parsed = parse_query(query[:MAX_QUERY_CHARS], self.categories)
        active = parsed.filters.merged(filters or Filters())
        correct = self.config.spelling if spelling is None else spelling
        reading = self.speller.correct(parsed.text) if correct else None
        text = reading.text if reading else parsed.text
        lang = language or detect_language(text, default="mixed")
        translated = tuple(self.lexicon.translate(text)) if lang in ("id", "mixed") else ()
        mask = self.columns.mask(active, len(self.products))
        if restrict is not None:
            mask &= restrict
        hits = self._rank(text, lang, translated, mask, limit) if text.strip() else self._browse(mask, limit)
        changed = reading if reading and reading.changed else None
        return SearchOutcome(hits, text, lang, active, translated, changed)

    @cached_property
    def speller(self) -> Speller:
        """Typo tolerance that knows this catalog's words (built on first use)."""
        return Speller.for_texts(f"{p.title} {p.brand} {' '.join(p.category_path)}" for p in self.products)

    def _rank(
        self, text: str, lang: str, translated: tuple[str, ...], mask: np.ndarray, limit: int
    ) -> list[Hit]:
        cfg = self.config
        # an Indonesian query gets both stems of each word: shoppers write English product names
        # inside Indonesian sentences ("ada potato chips gak?"), and "chips" must meet "chip"
        lex = self._lexical(analyze(text, "mixed" if lang == "id" else lang))
        if cfg.spelling and cfg.near_weight > 0:
            near = self.speller.near_store_words(text)
            if near:
                lex = lex + cfg.near_weight * self._lexical(analyze(" ".join(near), "mixed"))
        if translated:
            lex = lex + cfg.translated_weight * self._lexical(analyze(" ".join(translated), "en"))
        lex = np.where(mask, lex, 0.0)
        pool = set(_top(lex, cfg.candidates, positive=True).tolist())
        sem_rows: np.ndarray = np.zeros(0, dtype=np.int64)
        query_vec = None
        if self.vectors is not None and self.embedder is not None:
            meant = without_chat(text) if lang != "en" else text
            query_vec = self.embedder.embed_query(meant)
            if translated and cfg.embed_translation:
                query_vec = query_vec + self.embedder.embed_query(self.lexicon.sentence(meant))
                query_vec = query_vec / (np.linalg.norm(query_vec) or 1.0)
            allowed = int(mask.sum())
            if allowed < self.vectors.size and allowed <= cfg.exact_below:
                sem_rows = self.vectors.top_within(query_vec, np.flatnonzero(mask), cfg.candidates)[0]
            else:
                rows, _ = self.vectors.top(query_vec, cfg.candidates * 4)
                sem_rows = rows[mask[rows]][: cfg.candidates]
            pool.update(sem_rows.tolist())
        if not pool:
            return []
        rows = np.fromiter(pool, dtype=np.int64)
        score, sims = self._fuse(rows, lex, query_vec, sem_rows)
        if cfg.head_bonus and lang != "id":
            wanted = stems([head_noun(text, "en")], "en")
            if wanted and wanted[0]:
                score = score + cfg.head_bonus * (self.heads[rows] == wanted[0])
        if cfg.min_relative_score > 0 and len(score):
            # a word match always stays; a meaning-only candidate must be close to the best
            keep = (lex[rows] > 0) | (score >= cfg.min_relative_score * float(score.max()))
            rows, score, lex_rows, sims = rows[keep], score[keep], lex[rows][keep], sims[keep]
        else:
            lex_rows = lex[rows]
        order = np.lexsort((rows, -score))[:limit]
        return [
            Hit(self.products[rows[i]], float(score[i]), float(lex_rows[i]), float(sims[i])) for i in order
        ]

    def _fuse(
        self, rows: np.ndarray, lex: np.ndarray, query_vec: np.ndarray | None, sem_rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fused scores and raw similarities of the candidate ``rows``."""
        cfg = self.config
        lex_part = lex[rows] / (lex[rows].max() or 1.0)
        if query_vec is None or self.vectors is None:
            return lex_part, np.zeros(len(rows))
        sims = self.vectors.similarity(query_vec, rows)
        if cfg.semantic_range is not None:
            floor, top = cfg.semantic_range
            sem_part = np.clip((sims - floor) / (top - floor), 0.0, 1.0)
        else:
            floor = float(np.min(self.vectors.similarity(query_vec, sem_rows))) if len(sem_rows) else 0.0
            span = float(sims.max()) - floor
            sem_part = np.clip((sims - floor) / span, 0.0, 1.0) if span > 0 else np.zeros(len(rows))
        sem_part = np.where(self.vectors.embedded[rows], sem_part, lex_part)  # not embedded yet
        w = cfg.lexical_weight
        return w * lex_part + (1 - w) * sem_part, sims

    def _lexical(self, terms: list[str]) -> np.ndarray:
        scores = self.lexical.scores(terms)
        if self.description_index is not None:
            scores = scores + self.config.description_weight * self.description_index.scores(terms)
        return scores

    def _browse(self, mask: np.ndarray, limit: int) -> list[Hit]:
        """No words left (only filters): the best sellers that pass the filters."""
        rows = np.flatnonzero(mask)
        sold = np.array([self.products[r].units_sold or 0 for r in rows])
        order = rows[np.argsort(-sold, kind="stable")][:limit]
        return [Hit(self.products[r], 0.0, 0.0, 0.0) for r in order]


def _top(scores: np.ndarray, k: int, positive: bool = False) -> np.ndarray:
    if positive:
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) <= k:
            return candidates
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        return candidates[part]
    k = min(k, len(scores))
    return np.argpartition(-scores, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
