"""What the understanding classifiers see: a message's sentence embedding beside hashed word and
character n-grams, and the linear heads that read them.

The embedding carries meaning across English and Indonesian; the n-grams carry the exact words
(slang, brand names, "gak", "nego") the embedding blurs. Hashing keeps the feature space fixed
with no vocabulary to ship; the heads are plain weight matrices in ``.npz`` files (no pickle, so a
model file can never run code), applied with numpy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

N_FEATURES = 2**17
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+|\[username\]|\[url\]", re.IGNORECASE)
_REPEAT = re.compile(r"(\w)\1{2,}")


def normalise(text: str) -> str:
    """Lower-case; usernames and links dropped; "bangeeet" → "bangeet" (long repeats capped)."""
    text = _MENTION.sub(" ", _URL.sub(" ", text.lower()))
    return _REPEAT.sub(r"\1\1", text)


_WORDS = HashingVectorizer(
    n_features=N_FEATURES, analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b|[?!]",
    alternate_sign=False, norm="l2", preprocessor=normalise,
)  # fmt: skip
_CHARS = HashingVectorizer(
    n_features=N_FEATURES, analyzer="char_wb", ngram_range=(2, 4), alternate_sign=False, norm="l2",
    preprocessor=normalise,
)  # fmt: skip


def lexical_features(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed word 1–2-grams plus character 2–4-grams, each half L2-normalised, summed in one space."""
    words = _WORDS.transform(texts)
    chars = _CHARS.transform(texts)
    return sparse.csr_matrix((words + chars) * np.sqrt(0.5))


@dataclass(frozen=True)
class LinearHead:
    """``labels`` scored as ``dense @ W_dense.T + lexical @ W_lex.T + b``, then a sigmoid (one-vs-rest)
    or a softmax; ``thresholds`` decide which labels of a multi-label head are on."""

    labels: tuple[str, ...]
    w_dense: np.ndarray  # (labels, dim) — may be (labels, 0) for a lexical-only head
    w_lex: np.ndarray  # (labels, N_FEATURES)
    bias: np.ndarray
    thresholds: np.ndarray
    softmax: bool

    def __post_init__(self) -> None:
        # (features, labels), row-major: a message's few hundred non-zero features pick rows
        object.__setattr__(self, "_w_lex_t", np.ascontiguousarray(self.w_lex.T, dtype=np.float32))

    def scores(self, dense: np.ndarray | None, lexical: sparse.csr_matrix) -> np.ndarray:
        """Probabilities, one row per message."""
        w_t: np.ndarray = self._w_lex_t  # type: ignore[attr-defined]
        if lexical.shape[0] == 1:
            z = (lexical.data.astype(np.float32) @ w_t[lexical.indices]).reshape(1, -1)
        else:
            z = np.asarray(lexical @ w_t, dtype=np.float32)
        if self.w_dense.shape[1] and dense is not None:
            z = z + dense @ self.w_dense.T
        z = z + self.bias
        if self.softmax:
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            return np.asarray(e / e.sum(axis=1, keepdims=True))
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            w_dense=self.w_dense.astype(np.float16),
            w_lex=self.w_lex.astype(np.float16),
            bias=self.bias.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
            softmax=np.array(self.softmax),
        )

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        with np.load(path, allow_pickle=False) as z:
            labels = tuple(str(x) for x in z["labels"])
            w_lex = z["w_lex"].astype(np.float32)
            if w_lex.shape != (len(labels), N_FEATURES):
                raise ValueError(f"{path}: lexical weights of shape {w_lex.shape}")
            return cls(labels, z["w_dense"].astype(np.float32), w_lex, z["bias"], z["thresholds"],
                       bool(z["softmax"]))  # fmt: skip


@dataclass(frozen=True)
class Neighbours:
    """Labelled training messages by their embeddings: the intents of the ``k`` most similar ones,
    weighted by similarity, as a second opinion beside the linear head (it knows phrasings the
    head averages away)."""

    vectors: np.ndarray  # (messages, dim), L2-normalised
    labels: np.ndarray  # (messages, labels) of 0/1
    k: int = 10
    sharpness: float = 20.0

    def scores(self, dense: np.ndarray) -> np.ndarray:
        sims = dense @ self.vectors.T
        k = min(self.k, sims.shape[1])
        out = np.zeros((dense.shape[0], self.labels.shape[1]), dtype=np.float32)
        for row in range(dense.shape[0]):
            ids = np.argpartition(-sims[row], k - 1)[:k]
            weights = np.exp(self.sharpness * sims[row, ids])
            out[row] = (weights[:, None] * self.labels[ids]).sum(axis=0) / weights.sum()
        return out

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, vectors=self.vectors.astype(np.float16), labels=self.labels.astype(np.uint8)
        )

    @classmethod
    def load(cls, path: Path) -> Neighbours:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["vectors"].astype(np.float32), z["labels"].astype(np.float32))
