"""Keeping the search engine in step with the store: embeddings computed incrementally, the
engine rebuilt when the catalog changes (checked at most every few seconds)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from hangat.domain.catalog import Product
from hangat.ports import Store
from hangat.search.engine import SearchConfig, SearchEngine
from hangat.search.passage import passage_text
from hangat.search.vectors import ExactIndex, VectorIndex

Progress = Callable[[int, int], None]
AnnFactory = Callable[[np.ndarray], VectorIndex]


class Embedder(Protocol):
    name: str
    dim: int

    def embed_query(self, text: str) -> np.ndarray: ...
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def refresh_embeddings(store: Store, embedder: Embedder, progress: Progress | None = None,
                       batch: int = 256, everything: bool = False) -> int:  # fmt: skip
    """Embed the products whose text is new or changed (all with ``everything``); returns how many."""
    known = {} if everything else store.embedding_hashes(embedder.name)
    todo: list[tuple[str, str, str]] = []
    for p in store.all_products():
        text = passage_text(p)
        digest = text_hash(text)
        if known.get(p.external_id) != digest:
            todo.append((p.external_id, digest, text))
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        vectors = embedder.embed_passages([t for _, _, t in chunk]).astype(np.float32)
        store.put_embeddings(
            embedder.name, [(pid, h, v.tobytes()) for (pid, h, _), v in zip(chunk, vectors, strict=True)]
        )
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    return len(todo)


class CatalogSearch:
    """The engine for the store's current catalog; thread-safe; rebuilt on change."""

    def __init__(
        self, store: Store, embedder: Embedder | None, config: SearchConfig | None = None,
        ann: AnnFactory | None = None, ann_threshold: int = 50_000, check_every: float = 5.0,
        rebuild_factor: float = 10.0,
    ) -> None:  # fmt: skip
        self.store = store
        self.embedder = embedder
        self.config = config
        self.ann = ann
        self.ann_threshold = ann_threshold
        self.check_every = check_every
        self.rebuild_factor = rebuild_factor
        self._engine: SearchEngine | None = None
        self._version: str | None = None
        self._checked = 0.0
        self._built_at = 0.0
        self._build_seconds = 0.0
        self._lock = threading.Lock()

    def engine(self) -> SearchEngine:
        now = time.monotonic()
        if self._engine is not None and now - self._checked < self.check_every:
            return self._engine
        with self._lock:
            version = self.store.catalog_version()
            self._checked = time.monotonic()
            # a rebuild costs; while a catalog keeps changing, rebuild at most every 10 builds' time
            settled = self._checked - self._built_at >= self.rebuild_factor * self._build_seconds
            if self._engine is None or (version != self._version and settled):
                started = time.monotonic()
                self._engine = self._build()
                self._version = version
                self._built_at = time.monotonic()
                self._build_seconds = self._built_at - started
            return self._engine

    def invalidate(self) -> None:
        with self._lock:
            self._engine = None

    def _build(self) -> SearchEngine:
        products = self.store.all_products()
        vectors = self._vectors(products) if self.embedder is not None else None
        return SearchEngine(products, vectors, self.embedder, self.config)

    def _vectors(self, products: list[Product]) -> VectorIndex | None:
        assert self.embedder is not None
        stored = dict(self.store.load_embeddings(self.embedder.name))
        if not stored:
            return None
        matrix = np.zeros((len(products), self.embedder.dim), dtype=np.float32)
        for row, p in enumerate(products):
            raw = stored.get(p.external_id)
            if raw is not None:
                matrix[row] = np.frombuffer(raw, dtype=np.float32)
        if self.ann is not None and len(products) >= self.ann_threshold:
            return self.ann(matrix)
        return ExactIndex(matrix)
