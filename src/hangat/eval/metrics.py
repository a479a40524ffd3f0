"""Ranking metrics for graded relevance: NDCG@k, Recall@k and MRR.

Gain is 2^(grade − lowest grade in the judgements) − 1, so the lowest grade gains nothing;
unjudged products gain 0; a pair judged twice keeps its higher grade. A product is *relevant*
(for Recall and MRR) when its gain is above 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def gains(qrels: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Grades per query and product → gains, with the file's lowest grade as the zero."""
    lowest = min((g for judged in qrels.values() for g in judged.values()), default=0.0)
    return {q: {d: 2 ** (g - lowest) - 1 for d, g in judged.items()} for q, judged in qrels.items()}


def ndcg_at(ranked: Sequence[str], gain: Mapping[str, float], k: int = 10) -> float:
    ideal = sorted(gain.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    if idcg <= 0:
        return 0.0
    dcg = sum(gain.get(d, 0.0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    return dcg / idcg


def recall_at(ranked: Sequence[str], gain: Mapping[str, float], k: int = 50) -> float:
    relevant = {d for d, g in gain.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], gain: Mapping[str, float]) -> float:
    for i, d in enumerate(ranked, start=1):
        if gain.get(d, 0.0) > 0:
            return 1.0 / i
    return 0.0


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
