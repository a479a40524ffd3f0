"""Sentence embeddings of training and benchmark texts, computed once and kept on disk.

Embedding the ~80,000 texts the understanding models learn from takes minutes on two cores; the
cache (a ``.npy`` per list of texts, named by a hash of the model and the texts) makes a second
training or benchmark run start at once. A cache file that fails to load is recomputed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class BatchEmbedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


def cached_embeddings(
    texts: Sequence[str],
    embedder: BatchEmbedder,
    cache_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 256,
) -> np.ndarray:
    digest = hashlib.sha1(embedder.name.encode())
    for text in texts:
        digest.update(text.encode("utf-8", "replace"))
        digest.update(b"\0")
    path = cache_dir / f"understand-{digest.hexdigest()[:20]}.npy" if cache_dir else None
    if path is not None and path.is_file():
        try:
            cached = np.load(path)
            if cached.shape == (len(texts), embedder.dim):
                return np.asarray(cached, dtype=np.float32)
        except (OSError, ValueError):
            pass
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), batch):
        chunk = list(texts[start : start + batch])
        out[start : start + len(chunk)] = embedder.embed_queries(chunk)
        if progress:
            progress(start + len(chunk), len(texts))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, out)
        tmp.replace(path)
    return out
