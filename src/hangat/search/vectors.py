"""Vector search over product embeddings: exact (one matrix product) below a size threshold.

Vectors are L2-normalised float32 rows, so a dot product is the cosine similarity. The ANN
index for large catalogs lives in ``hangat.adapters.vectors`` (faiss HNSW).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class VectorIndex(Protocol):
    """Nearest products to a query vector, and the similarity of chosen products."""

    size: int
    embedded: np.ndarray  # per row: does the product have a vector yet?

    def top(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...
    def similarity(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray: ...


class ExactIndex:
    """Brute force: exact and fast up to a few hundred thousand products on one core."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.size = len(self.matrix)
        self.embedded = np.any(self.matrix != 0, axis=1)

    def top(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self.matrix @ query
        k = min(k, self.size)
        rows = np.argpartition(-scores, k - 1)[:k]
        order = np.argsort(-scores[rows])
        return rows[order], scores[rows[order]]

    def similarity(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.matrix[rows] @ query)
