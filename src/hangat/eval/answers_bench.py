"""``hangat eval answers``: grounded product answers, each task beside a baseline in the same run.

- ``evidence`` (hetPQA ``evidence_ranking``): for every question with at least one positive
  candidate, precision@1 of the first-ranked candidate — hangat's ranker vs plain BM25 (bm25s with
  its own tokenizer and English stop words, over the question's candidates; ties keep file order).
  Also, per hetPQA evidence type, how often each system picks it first and how precise that is;
  and the ranking latency on one product of 250 passages (vectors ready, query embedded).
- ``answerable`` (SubjQA): accuracy and F1 of "not answerable" when deciding whether the review
  answers the question — hangat vs always answering (and, for scale, never answering).

Models and thresholds come from training data only (``hangat train answers``); nothing is tuned on
the measured file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from hangat.answers.answerable import decide
from hangat.answers.corpora import RankingQuestion, read_ranking, read_subjqa
from hangat.answers.evidence import Evidence, sentences
from hangat.answers.ranking import prepare, rank
from hangat.answers.vectors import CorpusEmbedder, embed_texts
from hangat.errors import InputError
from hangat.eval.machine import describe
from hangat.eval.metrics import percentile

Say = Callable[[str], None]
Vectors = dict[str, np.ndarray]
LATENCY_PASSAGES = 250  # ~50 reviews of ~5 sentences


def bm25_first(question: str, texts: list[str]) -> int:
    """The index plain BM25 ranks first (0 when no word matches)."""
    corpus = bm25s.tokenize(texts, stopwords="en", return_ids=False, show_progress=False)
    model = bm25s.BM25()
    model.index([doc or [""] for doc in corpus], show_progress=False)
    query = bm25s.tokenize([question], stopwords="en", return_ids=False, show_progress=False)[0]
    known = [w for w in query if w in model.vocab_dict]
    return int(np.argmax(model.get_scores(known))) if known else 0


def evidence(path: Path, embedder: CorpusEmbedder | None, cache: Path | None, say: Say) -> dict[str, Any]:
    questions = [q for q in read_ranking(path) if any(q.labels)]
    if not questions:
        raise InputError(f"{path}: no question has a candidate labelled 1")
    q_vec, p_vec = _vectors(questions, embedder, cache, say)
    picks: dict[str, list[tuple[int, str]]] = {"hangat": [], "bm25": []}
    timings = []
    for q in questions:
        prepared = prepare(q.candidates, vectors=_stack(q.candidates, p_vec))
        started = time.perf_counter()
        first = rank(q.question, prepared, q_vec.get(q.question))[0].evidence
        timings.append((time.perf_counter() - started) * 1000)
        i = q.candidates.index(first)
        j = bm25_first(q.question, [c.text for c in q.candidates])
        picks["hangat"].append((q.labels[i], q.origins[i]))
        picks["bm25"].append((q.labels[j], q.origins[j]))
    systems = {name: _precision(found) for name, found in picks.items()}
    systems["hangat"]["rank_ms_p95"] = round(percentile(timings, 95), 2)
    if embedder is not None:
        systems["hangat"]["latency_ms"] = latency(questions, embedder, q_vec, p_vec)
    return {"task": "evidence", "questions": len(questions), "systems": systems}


def _precision(found: list[tuple[int, str]]) -> dict[str, Any]:
    by_source: dict[str, dict[str, float]] = {}
    for origin in sorted({o for _, o in found}):
        hits = [label for label, o in found if o == origin]
        by_source[origin] = {"picked": len(hits), "precision": round(float(np.mean(hits)), 4)}
    return {"p@1": round(float(np.mean([label for label, _ in found])), 4), "by_source": by_source}


def latency(questions: list[RankingQuestion], embedder: CorpusEmbedder, q_vec: Vectors,
            p_vec: Vectors) -> dict[str, float]:  # fmt: skip
    """Milliseconds to rank one product of ``LATENCY_PASSAGES`` passages (vectors made beforehand)
    and to embed one question, p50/p95 over 100 questions."""
    pool = list({c.text: c for q in questions for c in q.candidates}.values())[:LATENCY_PASSAGES]
    product = prepare(pool, vectors=_stack(pool, p_vec))
    rank_ms, embed_ms = [], []
    for q in questions[:100]:
        started = time.perf_counter()
        decide(q.question, rank(q.question, product, q_vec[q.question]), True)
        rank_ms.append((time.perf_counter() - started) * 1000)
    for q in questions[:30]:
        started = time.perf_counter()
        embedder.embed_queries([q.question])
        embed_ms.append((time.perf_counter() - started) * 1000)
    return {
        "passages": len(pool),
        "rank_p50": round(percentile(rank_ms, 50), 2),
        "rank_p95": round(percentile(rank_ms, 95), 2),
        "query_embedding_p50": round(percentile(embed_ms, 50), 1),
        "query_embedding_p95": round(percentile(embed_ms, 95), 1),
    }


def answerable(path: Path, embedder: CorpusEmbedder | None, cache: Path | None, say: Say) -> dict[str, Any]:
    examples = read_subjqa(path)
    if not examples:
        raise InputError(f"{path}: no rows")
    q_vec: Vectors = {}
    p_vec: Vectors = {}
    if embedder is not None:
        q_vec = embed_texts([e.question for e in examples], embedder, cache, False, say)
        p_vec = embed_texts([s for e in examples for s in sentences(e.review)], embedder, cache, True, say)
    truth = np.array([e.answerable for e in examples])
    predicted = []
    for e in examples:
        items = [Evidence(s, "review", review_id=e.review_id) for s in sentences(e.review)]
        prepared = prepare(items, vectors=_stack(items, p_vec))
        query = q_vec.get(e.question)
        with_vectors = prepared.vectors is not None and query is not None
        predicted.append(decide(e.question, rank(e.question, prepared, query), with_vectors).answerable)
    systems = {
        "hangat": _decisions(np.array(predicted), truth),
        "always_answer": _decisions(np.ones_like(truth), truth),
        "never_answer": _decisions(np.zeros_like(truth), truth),
    }
    share = round(float(truth.mean()), 4)
    return {"task": "answerable", "questions": len(examples), "answerable_share": share, "systems": systems}


def _decisions(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Accuracy, and precision / recall / F1 of the "not answerable" class."""
    said_no, is_no = ~predicted.astype(bool), ~truth.astype(bool)
    tp = float(np.sum(said_no & is_no))
    precision = tp / said_no.sum() if said_no.sum() else 0.0
    recall = tp / is_no.sum() if is_no.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": round(float(np.mean(predicted.astype(bool) == truth.astype(bool))), 4),
            "not_answerable_precision": round(precision, 4), "not_answerable_recall": round(recall, 4),
            "not_answerable_f1": round(f1, 4)}  # fmt: skip


def _vectors(questions: list[RankingQuestion], embedder: CorpusEmbedder | None, cache: Path | None,
             say: Say) -> tuple[Vectors, Vectors]:  # fmt: skip
    if embedder is None:
        return {}, {}
    q_vec = embed_texts([q.question for q in questions], embedder, cache, False, say)
    p_vec = embed_texts([c.text for q in questions for c in q.candidates], embedder, cache, True, say)
    return q_vec, p_vec


def _stack(items: tuple[Evidence, ...] | list[Evidence], vectors: Vectors) -> np.ndarray | None:
    if not items or not vectors:
        return None
    return np.stack([vectors[e.text] for e in items])


def markdown(result: dict[str, Any], command: str, data: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    lines = [f"\n### Grounded answers: {result['task']} — {when} UTC\n", f"- Command: `{command}`",
             f"- Data: {data}", f"- Machine: {describe()}", ""]  # fmt: skip
    systems = result["systems"]
    if result["task"] == "evidence":
        lines += ["| system | P@1 |", "|---|---:|"]
        lines += [f"| {name} | {s['p@1']:.3f} |" for name, s in systems.items()]
        origins = sorted({o for s in systems.values() for o in s["by_source"]})
        lines += ["", "Ranked first, by hetPQA evidence type (times picked · precision):", "",
                  "| system | " + " | ".join(origins) + " |", "|---|" + "---:|" * len(origins)]  # fmt: skip
        for name, s in systems.items():
            cells = [s["by_source"].get(o, {"picked": 0, "precision": 0.0}) for o in origins]
            lines.append(
                f"| {name} | " + " | ".join(f"{c['picked']} · {c['precision']:.2f}" for c in cells) + " |"
            )
        lines += ["", f"{result['questions']:,} questions with at least one positive candidate."]
        lines += _latency_line(systems["hangat"])
    else:
        keys = ("accuracy", "not_answerable_precision", "not_answerable_recall", "not_answerable_f1")
        lines += ["| system | " + " | ".join(keys) + " |", "|---|" + "---:|" * len(keys)]
        lines += [
            f"| {name} | " + " | ".join(f"{s[k]:.3f}" for k in keys) + " |" for name, s in systems.items()
        ]
        lines += [
            "",
            f"{result['questions']:,} question–review pairs, {result['answerable_share']:.1%} answerable.",
        ]
    return "\n".join(lines) + "\n"


def _latency_line(hangat: dict[str, Any]) -> list[str]:
    lat = hangat.get("latency_ms")
    if not lat:
        return [f"Ranking one question's candidates: p95 {hangat['rank_ms_p95']} ms."]
    return [
        f"Ranking one product of {lat['passages']} passages (vectors made at index time) and deciding: "
        f"p50 {lat['rank_p50']} ms, p95 {lat['rank_p95']} ms; embedding the question (done once per turn "
        f"by understanding): p50 {lat['query_embedding_p50']} ms, p95 {lat['query_embedding_p95']} ms."
    ]
