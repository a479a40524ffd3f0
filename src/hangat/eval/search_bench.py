"""``hangat eval search``: hangat's search against a plain BM25 baseline on relevance judgements.

Both systems rank the same products for the same queries in the same run. ``full`` ranks the whole
catalog; ``judged`` ranks only each query's judged products. Reported per system: NDCG@10,
Recall@50, MRR (see ``hangat.eval.metrics``) and p50/p95 query latency in-process (query
embedding included). Product embeddings are computed once and cached under ``cache_dir``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from hangat.domain.catalog import Product
from hangat.eval.machine import describe
from hangat.eval.metrics import gains, ndcg_at, percentile, recall_at, reciprocal_rank
from hangat.eval.search_data import JudgedSet, load
from hangat.search.engine import SearchConfig, SearchEngine
from hangat.search.passage import passage_text

Ranker = Callable[[str, str], list[str]]  # (query_id, query) -> ranked doc ids


@dataclass(frozen=True)
class SystemScore:
    ndcg10: float
    recall50: float
    mrr: float
    p50_ms: float
    p95_ms: float

    def as_dict(self) -> dict[str, float]:
        return {
            "ndcg@10": round(self.ndcg10, 4),
            "recall@50": round(self.recall50, 4),
            "mrr": round(self.mrr, 4),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
        }


def split_queries(queries: dict[str, str], split: str) -> dict[str, str]:
    """``dev``: queries whose id number is even; ``test``: odd; ``all``: every query."""
    if split == "all":
        return queries
    want = 0 if split == "dev" else 1
    return {q: t for q, t in queries.items() if int(re.sub(r"\D", "", q) or 0) % 2 == want}


def products_of(data: JudgedSet) -> list[Product]:
    return [Product(doc, title, desc, language="en") for doc, (title, desc) in data.products.items()]


def embeddings(
    products: Sequence[Product], embedder: Any, cache_dir: Path, progress: Callable[[int, int], None]
) -> np.ndarray:
    texts = [passage_text(p) for p in products]
    key = hashlib.sha1("\x1e".join([embedder.name, *texts]).encode()).hexdigest()[:16]
    path = cache_dir / f"embeddings-{key}.npy"
    if path.is_file():
        return np.asarray(np.load(path), dtype=np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    step = 256
    for start in range(0, len(texts), step):
        out[start : start + step] = embedder.embed_passages(texts[start : start + step])
        progress(min(start + step, len(texts)), len(texts))
    np.save(path, out)
    return out


def score(ranker: Ranker, queries: dict[str, str], data: JudgedSet) -> SystemScore:
    gain = gains(data.qrels)
    nd, rc, rr, ms = [], [], [], []
    for qid, text in queries.items():
        started = time.perf_counter()
        ranked = ranker(qid, text)
        ms.append((time.perf_counter() - started) * 1000)
        nd.append(ndcg_at(ranked, gain[qid], 10))
        rc.append(recall_at(ranked, gain[qid], 50))
        rr.append(reciprocal_rank(ranked, gain[qid]))
    return SystemScore(float(np.mean(nd)), float(np.mean(rc)), float(np.mean(rr)),
                       percentile(ms, 50), percentile(ms, 95))  # fmt: skip


def bm25_ranker(products: Sequence[Product], data: JudgedSet, protocol: str) -> Ranker:
    """The baseline: bm25s with default parameters, English stemming, title + description."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    ids = [p.external_id for p in products]
    corpus = [f"{p.title} {p.description}" for p in products]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False
    )
    position = {d: i for i, d in enumerate(ids)}

    def rank(qid: str, text: str) -> list[str]:
        tokens = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, show_progress=False,
                                return_ids=False)[0]  # fmt: skip
        scores = retriever.get_scores(tokens) if tokens else np.zeros(len(ids))
        if protocol == "judged":
            rows = np.array([position[d] for d in data.qrels[qid] if d in position])
            order = rows[np.argsort(-scores[rows], kind="stable")]
        else:
            order = np.argsort(-scores, kind="stable")[:50]
        return [ids[i] for i in order[:50]]

    return rank


def hangat_ranker(engine: SearchEngine, data: JudgedSet, protocol: str) -> Ranker:
    position = {p.external_id: i for i, p in enumerate(engine.products)}

    def rank(qid: str, text: str) -> list[str]:
        restrict = None
        if protocol == "judged":
            restrict = np.zeros(len(engine.products), dtype=bool)
            restrict[[position[d] for d in data.qrels[qid] if d in position]] = True
        outcome = engine.search(text, limit=50, restrict=restrict)
        ranked = [h.product.external_id for h in outcome.hits]
        if protocol == "judged":  # the judged products the engine did not retrieve come last
            seen = set(ranked)
            ranked += [d for d in data.qrels[qid] if d not in seen]
        return ranked

    return rank


def run(
    data_dir: Path, queries_file: Path | None, protocol: str, split: str, cache_dir: Path,
    embedder: Any, config: SearchConfig | None = None,
    progress: Callable[[int, int], None] = lambda a, b: None, postgres: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    data = load(data_dir, queries_file)
    queries = split_queries(data.queries, split)
    products = products_of(data)
    matrix = embeddings(products, embedder, cache_dir, progress) if embedder is not None else None
    engine = SearchEngine.with_matrix(products, matrix, embedder, config)
    for text in list(queries.values())[:3]:  # warm up (first query loads the model)
        engine.search(text)
    systems = {
        "hangat": score(hangat_ranker(engine, data, protocol), queries, data),
        "bm25": score(bm25_ranker(products, data, protocol), queries, data),
    }
    if postgres and protocol == "full":
        from hangat.eval.pg_fts import fts_ranker

        with fts_ranker(postgres, products) as rank:
            systems["postgres-fts"] = score(rank, queries, data)
    return {
        "queries": len(queries),
        "products": len(products),
        "protocol": protocol,
        "split": split,
        "systems": {name: s.as_dict() for name, s in systems.items()},
    }


def markdown(result: dict[str, Any], command: str, data_dir: Path, queries_file: Path | None) -> str:
    lines = [
        f"\n### Search quality — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        f"- Command: `{command}`",
        f"- Data: `{data_dir}` ({result['products']:,} products), queries "
        f"`{queries_file or data_dir / 'queries.tsv'}` ({result['queries']} queries, "
        f"split {result['split']}), protocol `{result['protocol']}`",
        f"- Machine: {describe()}\n",
        "| system | NDCG@10 | Recall@50 | MRR | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in result["systems"].items():
        lines.append(f"| {name} | {s['ndcg@10']:.3f} | {s['recall@50']:.3f} | {s['mrr']:.3f} | "
                     f"{s['p50_ms']:.1f} | {s['p95_ms']:.1f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def as_json(result: dict[str, Any]) -> str:
    return json.dumps(result)
