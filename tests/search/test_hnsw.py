"""The faiss HNSW index: close to exact search, persisted and reloaded."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hangat.adapters.vectors.hnsw import HnswIndex
from hangat.search.vectors import ExactIndex


def unit(rows: int, dim: int, seed: int) -> np.ndarray:
    m = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_hnsw_agrees_with_exact_search_and_is_persisted(tmp_path: Path) -> None:
    matrix = unit(3000, 32, 1)
    queries = unit(50, 32, 2)
    exact, approx = ExactIndex(matrix), HnswIndex(matrix, tmp_path)
    overlap = [len(set(exact.top(q, 10)[0]) & set(approx.top(q, 10)[0])) / 10 for q in queries]
    assert np.mean(overlap) > 0.9
    assert approx.path is not None and approx.path.is_file()
    again = HnswIndex(matrix, tmp_path)  # loads the file instead of building
    q = queries[0]
    assert list(again.top(q, 5)[0]) == list(approx.top(q, 5)[0])
    np.testing.assert_allclose(again.similarity(q, np.array([0, 1])), matrix[[0, 1]] @ q, rtol=1e-5)
    HnswIndex(unit(100, 32, 3), tmp_path)  # a new catalog replaces the old file
    assert len(list(tmp_path.glob("hnsw-*.faiss"))) == 1
