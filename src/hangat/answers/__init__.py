"""Grounded product answers: a product's evidence (attributes, description, reviews), ranked for a
shopper's question, and the decision whether that evidence answers it (see docs/answers.md).

Typical use, with the passages prepared once per product (embedding them is the slow part)::

    evidence = prepare(product_evidence(product, reviews), embedder.embed_passages)
    result = answer(question, evidence, embedder.embed_query(question))
    result.answerable, result.confidence, result.evidence[0].evidence.source
"""

from hangat.answers.answerable import Answer, answer, decide
from hangat.answers.evidence import Evidence, product_evidence, sentences
from hangat.answers.ranking import EvidenceSet, Scored, prepare, rank

__all__ = [
    "Answer",
    "Evidence",
    "EvidenceSet",
    "Scored",
    "answer",
    "decide",
    "prepare",
    "product_evidence",
    "rank",
    "sentences",
]
