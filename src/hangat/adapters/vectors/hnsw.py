"""A faiss HNSW index over product embeddings, persisted under the data directory.

Used above ``Settings.ann_threshold`` products, where one exact matrix product per query gets too
slow. The file name carries a fingerprint of the vectors, so a changed catalog builds a new index.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from hangat.errors import StorageError
from hangat.search.vectors import exact_top


def fingerprint(matrix: np.ndarray) -> str:
    h = hashlib.sha1(str(matrix.shape).encode())
    step = max(1, len(matrix) // 1024)
    h.update(np.ascontiguousarray(matrix[::step]).tobytes())
    return h.hexdigest()[:16]


class HnswIndex:
    def __init__(self, matrix: np.ndarray, directory: Path | None = None, m: int = 32,
                 ef_construction: int = 80, ef_search: int = 96) -> None:  # fmt: skip
        import faiss

        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.size = len(self.matrix)
        self.embedded = np.any(self.matrix != 0, axis=1)
        self.ef_search = ef_search
        path = directory / f"hnsw-{fingerprint(self.matrix)}.faiss" if directory else None
        try:
            if path is not None and path.is_file():
                self.index = faiss.read_index(str(path))
            else:
                self.index = faiss.IndexHNSWFlat(self.matrix.shape[1], m, faiss.METRIC_INNER_PRODUCT)
                self.index.hnsw.efConstruction = ef_construction
                self.index.add(self.matrix)
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(".tmp")
                    faiss.write_index(self.index, str(tmp))
                    tmp.replace(path)
                    for old in path.parent.glob("hnsw-*.faiss"):
                        if old != path:
                            old.unlink(missing_ok=True)
        except RuntimeError as exc:  # faiss reports I/O and format problems this way
            raise StorageError(f"vector index: {exc}") from exc
        self.path = path

    def top(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        k = min(k, self.size)
        self.index.hnsw.efSearch = max(self.ef_search, k)  # type: ignore[attr-defined]
        scores, rows = self.index.search(query.reshape(1, -1).astype(np.float32), k)
        keep = rows[0] >= 0
        return rows[0][keep].astype(np.int64), scores[0][keep]

    def similarity(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.matrix[rows] @ query)

    def top_within(self, query: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return exact_top(self.matrix, query, k, rows)
