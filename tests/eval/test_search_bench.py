"""The search benchmark harness: metrics on hand-computed cases, and a real run on a tiny set."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hangat.adapters.embed.fake import HashEmbedder
from hangat.errors import InputError
from hangat.eval import search_bench
from hangat.eval.metrics import gains, ndcg_at, percentile, recall_at, reciprocal_rank


def test_metrics_by_hand() -> None:
    g = gains({"q": {"a": 4, "b": 1, "c": 3}, "r": {"a": 2}})  # lowest grade in the file: 1
    assert g["q"] == {"a": 7.0, "b": 0.0, "c": 3.0}
    ideal = 7 + 3 / math.log2(3)
    assert ndcg_at(["c", "a"], g["q"], 10) == pytest.approx((3 + 7 / math.log2(3)) / ideal)
    assert ndcg_at(["a", "c"], g["q"], 10) == pytest.approx(1.0)
    assert ndcg_at(["x", "a"], g["q"], 1) == 0.0  # unjudged gains nothing
    assert recall_at(["a", "x"], g["q"], 50) == 0.5  # b has gain 0, so it is not relevant
    assert reciprocal_rank(["b", "x", "c"], g["q"]) == pytest.approx(1 / 3)
    assert percentile([1, 2, 3, 4], 50) == 2.5 and percentile([], 95) == 0.0


def tiny_set(root: Path) -> Path:
    root.mkdir()
    (root / "products.tsv").write_text(
        "doc_id\ttitle\tdescription\n"
        'd1\tLED Christmas Lights - 100 bulbs\t"Warm white, 10 m"\n'
        "d2\tChristmas Tree Stand\tMetal stand\n"
        "d3\tRunning Shoes\tLightweight\n"
        "d4\tShoe Rack\tHolds 12 pairs of shoes\n",
        encoding="utf-8",
    )
    (root / "queries.tsv").write_text("query_id\tquery\nq0\tchristmas lights\nq1\trunning shoes\n")
    (root / "qrels.tsv").write_text(
        "query_id\tdoc_id\tmedian_relevance\nq0\td1\t4\nq0\td2\t1\nq1\td3\t4\nq1\td4\t2\nq1\td4\t1\n"
    )
    return root


def test_a_real_run_on_a_tiny_judged_set(tmp_path: Path) -> None:
    data = tiny_set(tmp_path / "set")
    for protocol in ("full", "judged"):
        result = search_bench.run(data, None, protocol, "all", tmp_path / "cache", HashEmbedder())
        assert (result["queries"], result["products"], result["protocol"]) == (2, 4, protocol)
        for system in ("hangat", "bm25"):
            s = result["systems"][system]
            assert s["ndcg@10"] == pytest.approx(1.0), (protocol, system)
            assert s["mrr"] == 1.0 and s["p95_ms"] >= s["p50_ms"] > 0
    assert list((tmp_path / "cache").glob("embeddings-*.npy"))  # cached for the next run
    assert "| hangat |" in search_bench.markdown(result, "hangat eval search", data, None)


def test_bad_sets_get_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        search_bench.run(tmp_path, None, "full", "all", tmp_path / "c", HashEmbedder())
    data = tiny_set(tmp_path / "set")
    (data / "qrels.tsv").write_text("query_id\tdoc_id\tgrade\nq0\td1\tgood\n")
    with pytest.raises(InputError, match="third column must be a grade"):
        search_bench.run(data, None, "full", "all", tmp_path / "c", HashEmbedder())


def test_the_cli_prints_the_json_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hangat import cli

    data = tiny_set(tmp_path / "set")
    monkeypatch.setattr("hangat.adapters.embed.e5.E5Embedder", HashEmbedder)
    result = CliRunner().invoke(cli.app, ["eval", "search", "--data", str(data), "--json"],
                                env={"HANGAT_DATA_DIR": str(tmp_path / "d")})  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(result.output.strip().splitlines()[-1])
    assert set(body) == {"queries", "products", "protocol", "systems"}
    assert set(body["systems"]["hangat"]) == {"ndcg@10", "recall@50", "mrr", "p50_ms", "p95_ms"}
