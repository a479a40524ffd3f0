"""Rank a product's evidence for a shopper's question.

Each passage gets a few features — BM25 (bm25s, over the product's own passages, on hangat's
English + Indonesian stems), the share of the question's words it contains, the cosine of e5
sentence embeddings (question in the ``query:`` form, passage in the ``passage:`` form), its
source and length — and a linear scorer trained on hetPQA (``hangat train answers``) weighs them.
The weights are a handful of floats in ``models/answers.npz``; a second weight vector serves when no
embeddings are given (lexical features only).

Embedding passages costs ~25 ms each on two cores, so it happens once per product
(:func:`prepare`, whose result the caller keeps); a question then costs one query embedding
(which the understanding step has already made) plus ~2 ms for 250 passages (measured).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from hangat.answers.evidence import Evidence
from hangat.search.lexical import LexicalIndex
from hangat.search.text import analyze

FEATURES = ("bm25_rel", "bm25_log", "overlap", "cos", "cos_rel", "attribute", "review", "log_words")
DENSE = (FEATURES.index("cos"), FEATURES.index("cos_rel"))
MODELS = Path(__file__).parent / "models"
EmbedPassages = Callable[[Sequence[str]], np.ndarray]


def terms(text: str) -> list[str]:
    """The lexical terms of ``text``: words stemmed in both English and Indonesian."""
    return analyze(text, "mixed")


@dataclass(frozen=True, eq=False)
class EvidenceSet:
    """A product's passages made ready to rank: their terms, BM25 index and (optional) vectors."""

    items: tuple[Evidence, ...]
    terms: tuple[frozenset[str], ...]
    index: LexicalIndex
    vectors: np.ndarray | None  # (len(items), dim), L2-normalised


@dataclass(frozen=True)
class Scored:
    """A passage with its ranking ``score`` (a logit) and the signals behind it: ``bm25`` (log1p of
    the BM25 score), ``overlap`` (share of the question's terms it holds), ``cosine`` (0 if unembedded)."""

    evidence: Evidence
    score: float
    bm25: float
    overlap: float
    cosine: float


@dataclass(frozen=True, eq=False)
class LinearScorer:
    """``((x - mean) / scale) @ weights + bias`` with one weight vector per feature set."""

    mean: np.ndarray
    scale: np.ndarray
    dense: np.ndarray  # weights over every feature, bias last
    lexical: np.ndarray  # weights with the embedding features zero, bias last

    def __call__(self, x: np.ndarray, with_vectors: bool) -> np.ndarray:
        w = self.dense if with_vectors else self.lexical
        return np.asarray(((x - self.mean) / self.scale) @ w[:-1] + w[-1], dtype=np.float64)

    @classmethod
    def from_npz(cls, path: Path, prefix: str) -> LinearScorer:
        with np.load(path, allow_pickle=False) as z:
            parts = ("mean", "scale", "dense", "lexical")
            return cls(*(np.asarray(z[f"{prefix}_{k}"], np.float64) for k in parts))


@lru_cache(maxsize=4)
def ranker(path: Path = MODELS / "answers.npz") -> LinearScorer:
    """The shipped evidence scorer (loaded once)."""
    return LinearScorer.from_npz(path, "rank")


def prepare(candidates: Sequence[Evidence], embed_passages: EmbedPassages | None = None,
            vectors: np.ndarray | None = None) -> EvidenceSet:  # fmt: skip
    """Index ``candidates``; embed them with ``embed_passages`` unless their ``vectors`` are given."""
    items = tuple(candidates)
    analysed = [terms(e.text) for e in items]
    if vectors is None and embed_passages is not None and items:
        vectors = embed_passages([e.text for e in items])
    if vectors is not None:
        vectors = _unit(np.asarray(vectors, dtype=np.float32).reshape(len(items), -1))
    return EvidenceSet(items, tuple(frozenset(t) for t in analysed), LexicalIndex(analysed), vectors)


def features(question: str, evidence: EvidenceSet, query_vector: np.ndarray | None = None) -> np.ndarray:
    """The ``(passages, len(FEATURES))`` feature matrix of ``evidence`` for ``question``."""
    n = len(evidence.items)
    q_terms = terms(question)
    bm25 = evidence.index.scores(q_terms).astype(np.float64) if n else np.zeros(0)
    top = float(bm25.max()) if n else 0.0
    wanted = set(q_terms)
    x = np.zeros((n, len(FEATURES)))
    x[:, 0] = bm25 / top if top > 0 else 0.0
    x[:, 1] = np.log1p(bm25)
    x[:, 2] = [len(wanted & t) / len(wanted) if wanted else 0.0 for t in evidence.terms]
    if evidence.vectors is not None and query_vector is not None and n:
        cos = evidence.vectors @ _unit(np.asarray(query_vector, np.float32).reshape(1, -1))[0]
        x[:, 3], x[:, 4] = cos, cos - cos.max()
    x[:, 5] = [e.source == "attribute" for e in evidence.items]
    x[:, 6] = [e.source == "review" for e in evidence.items]
    x[:, 7] = [math.log1p(len(e.text.split())) for e in evidence.items]
    return x


def rank(question: str, evidence: EvidenceSet | Sequence[Evidence], query_vector: np.ndarray | None = None,
         scorer: LinearScorer | None = None) -> list[Scored]:  # fmt: skip
    """``evidence`` best first for ``question``. Without ``query_vector`` (or without passage
    vectors) the lexical weights are used."""
    prepared = evidence if isinstance(evidence, EvidenceSet) else prepare(evidence)
    if not prepared.items:
        return []
    x = features(question, prepared, query_vector)
    dense = prepared.vectors is not None and query_vector is not None
    scores = (scorer or ranker())(x, dense).tolist()
    order = np.argsort(-np.asarray(scores), kind="stable")
    signals = x[:, (1, 2, 3)].tolist()
    return [Scored(prepared.items[i], scores[i], *signals[i]) for i in order.tolist()]


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.asarray(m / np.where(norms > 0, norms, 1.0), dtype=np.float32)
