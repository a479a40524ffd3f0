"""Does the product's data answer the question? A calibrated yes/no over the ranked evidence.

The decision reads how well the best passages match — the top ranking score and its lead over the
next, the top cosine, the best BM25 and word overlap, how many passages there were — through a
logistic regression trained on SubjQA electronics *train* (``hangat train answers``). The
probability is the answer's ``confidence``; the question counts as answerable when it reaches the
threshold that gave the best accuracy in 5-fold cross-validation on that train split (grouped by
product, never the dev file the benchmark reads): 0.47 with embeddings, 0.51 without (the values
stored in ``models/answers.npz`` and ``models/answers.json`` are the source of truth; cross-validated
accuracy 0.72 and 0.69 where never answering scores 0.60).

When the answer is "no", the caller says that the data does not say, and offers to ask a person.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from hangat.answers.evidence import Evidence
from hangat.answers.ranking import MODELS, EvidenceSet, LinearScorer, Scored, prepare, rank

ANSWER_FEATURES = ("top_score", "lead", "top_cos", "best_bm25", "best_overlap", "log_passages")
SHOWN = 3  # passages an answer carries as its evidence
MAX_PASSAGES = 40  # a review has up to ~40 sentences in training; a whole product has more


@dataclass(frozen=True)
class Answer:
    """The decision for one ``question``: the best ``evidence`` (up to ``SHOWN``, best first),
    whether it ``answerable``-s the question, and the ``confidence`` (probability) of that."""

    question: str
    evidence: tuple[Scored, ...]
    answerable: bool
    confidence: float


@dataclass(frozen=True, eq=False)
class Answerability:
    """Two heads with their thresholds: for evidence ranked with embeddings, and without."""

    dense: LinearScorer
    lexical: LinearScorer
    threshold_dense: float
    threshold_lexical: float

    def probability(self, ranked: Sequence[Scored], with_vectors: bool) -> float:
        head = self.dense if with_vectors else self.lexical
        logit = float(head(answer_features(ranked).reshape(1, -1), True)[0])
        return 1.0 / (1.0 + math.exp(-logit))

    def threshold(self, with_vectors: bool) -> float:
        return self.threshold_dense if with_vectors else self.threshold_lexical


@lru_cache(maxsize=4)
def answerability(path: Path = MODELS / "answers.npz") -> Answerability:
    """The shipped answerability head (loaded once)."""
    with np.load(path, allow_pickle=False) as z:
        dense, lexical = float(z["ans_threshold_dense"]), float(z["ans_threshold_lexical"])
    heads = (LinearScorer.from_npz(path, "ans_dense"), LinearScorer.from_npz(path, "ans_lexical"))
    return Answerability(*heads, dense, lexical)


def answer_features(ranked: Sequence[Scored]) -> np.ndarray:
    """The ``ANSWER_FEATURES`` of a ranked list (all zero when there is no evidence)."""
    if not ranked:
        return np.zeros(len(ANSWER_FEATURES))
    second = ranked[1].score if len(ranked) > 1 else ranked[0].score - 1.0
    return np.array([
        ranked[0].score,
        ranked[0].score - second,
        max(s.cosine for s in ranked),
        max(s.bm25 for s in ranked),
        max(s.overlap for s in ranked),
        math.log1p(min(len(ranked), MAX_PASSAGES)),
    ])  # fmt: skip


def decide(question: str, ranked: Sequence[Scored], with_vectors: bool,
           model: Answerability | None = None) -> Answer:  # fmt: skip
    """The :class:`Answer` for ``question`` from its ranked evidence."""
    head = model or answerability()
    if not ranked:
        return Answer(question, (), False, 0.0)
    p = head.probability(ranked, with_vectors)
    return Answer(question, tuple(ranked[:SHOWN]), p >= head.threshold(with_vectors), round(p, 4))


def answer(question: str, evidence: EvidenceSet | Sequence[Evidence],
           query_vector: np.ndarray | None = None) -> Answer:  # fmt: skip
    """Rank ``evidence`` for ``question`` and decide: the one call the conversation makes."""
    prepared = evidence if isinstance(evidence, EvidenceSet) else prepare(evidence)
    ranked = rank(question, prepared, query_vector)
    return decide(question, ranked, prepared.vectors is not None and query_vector is not None)
