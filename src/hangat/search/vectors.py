"""Vector search over product embeddings: exact (one matrix product) below a size threshold.

Vectors are L2-normalised float32 rows, so a dot product is the cosine similarity. The ANN
index for large catalogs lives in ``hangat.adapters.vectors`` (faiss HNSW).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


def exact_top(
    matrix: np.ndarray, query: np.ndarray, k: int, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most similar rows (of ``rows``, or of all), best first, by brute force."""
    candidates = np.arange(len(matrix)) if rows is None else rows
    if len(candidates) == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores = matrix @ query if rows is None else matrix[rows] @ query
    k = min(k, len(candidates))
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return candidates[best].astype(np.int64), scores[best]


class VectorIndex(Protocol):
    """Nearest products to a query vector, and the similarity of chosen products."""

    size: int
    embedded: np.ndarray  # per row: does the product have a vector yet?

    def top(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...
    def similarity(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray: ...
    def top_within(self, query: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...


class ExactIndex:
    """Brute force: exact and fast up to a few hundred thousand products on one core."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.size = len(self.matrix)
        self.embedded = np.any(self.matrix != 0, axis=1)

    def top(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return exact_top(self.matrix, query, k)

    def similarity(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.matrix[rows] @ query)

    def top_within(self, query: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return exact_top(self.matrix, query, k, rows)
