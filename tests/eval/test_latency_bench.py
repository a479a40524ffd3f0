"""The latency benchmark, run for real on a tiny generated judged set with the hashing embedder."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from hangat.adapters.embed.fake import HashEmbedder
from hangat.eval import latency_bench
from hangat.eval.search_bench import products_of
from hangat.eval.search_data import load

NOUNS = ["shoes", "jacket", "lamp", "kettle", "backpack", "watch", "pillow", "speaker", "mug", "drill"]
ADJECTIVES = ["red", "leather", "wireless", "steel", "running", "cotton", "smart", "compact", "large", "kids"]
BRANDS = ["Acme", "Nike", "Philips", "Bosch", "Sony", "Ikea", "Casio", "Oxo", "Lodge", "Anker"]


def write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def judged(tmp_path: Path) -> Path:
    folder = tmp_path / "judged"
    folder.mkdir()
    rng = np.random.default_rng(7)
    products = []
    for i in range(200):
        brand, adj, noun = rng.choice(BRANDS), rng.choice(ADJECTIVES), rng.choice(NOUNS)
        title = f"{brand} {adj} {noun} model {i}"
        description = f"A {adj} {noun} by {brand}.\tGreat value, ships fast; {rng.choice(ADJECTIVES)} finish."
        products.append([f"cf{i:05d}", title, description])
    queries = [[f"q{i:03d}", f"{a} {n}"] for i, (a, n) in enumerate(zip(ADJECTIVES, NOUNS, strict=True))]
    queries_id = [
        [f"q{i:03d}", f"{n} {a} murah"] for i, (a, n) in enumerate(zip(ADJECTIVES, NOUNS, strict=True))
    ]
    qrels = [[q, f"cf{j:05d}", "3", "0", "1"] for q, _ in queries for j in range(3)]
    write_tsv(folder / "products.tsv", ["doc_id", "title", "description"], products)
    write_tsv(folder / "queries.tsv", ["query_id", "query"], queries)
    write_tsv(folder / "queries_id.tsv", ["query_id", "query"], queries_id)
    header = ["query_id", "doc_id", "median_relevance", "relevance_variance", "orig_id"]
    write_tsv(folder / "qrels.tsv", header, qrels)
    return folder


def test_synthetic_catalog_recombines_real_texts_and_vectors(judged: Path, tmp_path: Path) -> None:
    real = products_of(load(judged))
    vectors = HashEmbedder().embed_passages([p.title for p in real])
    products, matrix = latency_bench.synthetic_catalog(real, vectors, 500, seed=1)
    assert len(products) == 500 and matrix.shape == (500, vectors.shape[1]) and matrix.dtype == np.float32
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)
    assert products[0].external_id == "syn0000001" and products[-1].external_id == "syn0000500"
    descriptions = {p.description for p in real}
    assert all(p.description in descriptions and p.language == "en" for p in products)
    assert any(p.title not in {r.title for r in real} for p in products)  # some half-and-half titles
    assert all(p.price is not None and p.price > 0 and p.stock is not None for p in products)
    again, matrix_again = latency_bench.synthetic_catalog(real, vectors, 500, seed=1)
    assert [p.title for p in again] == [p.title for p in products] and np.array_equal(matrix, matrix_again)


def test_latency_benchmark_runs_both_index_kinds(judged: Path, tmp_path: Path) -> None:
    messages: list[str] = []
    results = latency_bench.run_latency(
        judged, tmp_path / "cache", tmp_path / "work", sizes=[300, 600], ann_threshold=500,
        progress=messages.append, embedder=HashEmbedder,
    )  # fmt: skip
    assert [r["size"] for r in results] == [300, 600]
    assert [r["index"] for r in results] == ["exact", "hnsw"]
    assert messages and list((tmp_path / "cache").glob("embeddings-*.npy"))
    for r in results:
        assert r["queries"] == {"en": 10, "id": 10}
        assert r["build_s"]["vector"] >= 0 and r["build_s"]["lexical"] > 0  # an exact index copies nothing
        assert r["build_s"]["total"] >= r["build_s"]["lexical"]
        memory = r["memory_mib"]
        assert memory["peak"] >= memory["resident_built"] > 0
        for name in ("en", "id", "all", "en+filters"):
            timing = r["hangat"][name]
            assert timing["p95_ms"] >= timing["p50_ms"] > 0
            assert 0 <= r["hangat_embedding"][name]["p50_ms"] <= timing["p50_ms"]
            assert 0 < r["hangat_without_embedding"][name]["p50_ms"] <= timing["p50_ms"]
        for name in ("en", "id", "all"):
            timing = r["bm25"]["latency"][name]
            assert timing["p95_ms"] >= timing["p50_ms"] > 0
        assert r["bm25"]["build_s"] > 0
        assert r["vector_only"]["exact"]["p50_ms"] > 0
        assert len(r["load_average"]) == 2 and set(r["cpu_pressure"]) == {"build", "queries"}
    exact, hnsw = results[0]["vector_only"], results[1]["vector_only"]
    assert "recall@10" not in exact and results[0]["hnsw_load_s"] is None
    assert results[1]["build_s"]["vector"] > 0
    for key in ("recall@10", f"recall@{hnsw['k']}", "recall@10_k10"):
        assert 0 <= hnsw[key] <= 1
    assert hnsw["recall@10"] > 0.5  # 600 vectors: HNSW is close to exact
    assert results[1]["hnsw_load_s"] is not None and not list((tmp_path / "work").glob("hnsw-*"))

    text = latency_bench.markdown(results, "hangat eval latency --sizes 300,600", judged)
    assert "| 300 | exact |" in text and "| 600 | hnsw |" in text and "Machine:" in text
    assert json.loads(latency_bench.as_json(results))["results"][1]["index"] == "hnsw"
