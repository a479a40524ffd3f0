"""Sentence embeddings of whole data sets for training and the benchmark, cached on disk.

Embedding ~20,000 review sentences takes minutes on two cores, so each list of unique texts is
embedded once (``hangat.understand.embedcache`` keys the cache by model and texts); e5's
``query:`` form is used for questions and its ``passage:`` form for evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from hangat.understand.embedcache import cached_embeddings


class CorpusEmbedder(Protocol):
    """What :class:`hangat.adapters.embed.e5.E5Embedder` offers for many texts at once."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class _Passages:
    """``embedder`` seen by the cache as a query embedder whose "queries" are passages."""

    def __init__(self, embedder: CorpusEmbedder) -> None:
        self.name = f"{embedder.name}/passage"
        self.dim = embedder.dim
        self._embedder = embedder

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embedder.embed_passages(texts)


def embed_texts(
    texts: Iterable[str],
    embedder: CorpusEmbedder,
    cache_dir: Path | None,
    passages: bool,
    say: Callable[[str], None] | None = None,
) -> dict[str, np.ndarray]:
    """``{text: vector}`` for the unique ``texts``, in the passage form when ``passages``."""
    unique = sorted(set(texts))
    form = "passages" if passages else "questions"

    def progress(done: int, total: int) -> None:
        if say is not None and (done == total or done % 2048 < 256):
            say(f"embedding {form}: {done:,}/{total:,}")

    target = _Passages(embedder) if passages else embedder
    vectors = cached_embeddings(unique, target, cache_dir, progress)
    return dict(zip(unique, vectors, strict=True))
