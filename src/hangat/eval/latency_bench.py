"""``hangat eval latency``: search latency, index build time and memory at 10k, 100k and 1M products.

No public judged catalog has a million products, so the large catalogs are *recombined* from a real
one (default: the 9,913 CrowdFlower products): synthetic product i takes the title of real product
a (or the first half of a's title and the second half of c's) and the description of real product
b, drawn with a seeded numpy RNG, plus random prices, ratings and stock so filters have work to
do. Its vector is recombined the same way — the L2-normalised sum of the real embeddings of a and
b (with a's and c's averaged for a mixed title) — because embedding a million new texts with the
real model would take days on two cores. The *queries* are the real ones (English, and their
Indonesian versions from ``queries_id.tsv`` when present), embedded by the real model at query
time, so the query embedding is part of every measured latency.

Each catalog size runs in a fresh Python process, so its peak memory is its own:

1. the synthetic catalog and its vector matrix are made;
2. the engine is built the way the app builds it: the vector index first (``ExactIndex`` below
   ``ann_threshold``, faiss ``HnswIndex`` written to a fresh directory at or above it), then the
   ``SearchEngine`` (BM25 indexes, filter columns, head nouns) — timed separately;
3. every query runs once through ``SearchEngine.search`` (limit 10) after three warm-up queries
   (the first loads the model); the English queries run again with filters (price, rating, stock);
4. the vector index alone is timed against brute force on the same query vectors; where HNSW is
   used its recall against the exact top-k is measured (recall@10 of the top 10 the engine gets
   from its candidate call of ``4 × candidates`` rows, recall of the whole candidate list, and
   recall@10 when asking HNSW for 10 rows only);
5. the baseline, in the same process after hangat's engine is freed: plain ``bm25s`` (default
   parameters, English stop words and PyStemmer stemming, title + description) over the same
   catalog, top 10 by ``argpartition``, each query timed from text to ranked rows.

Memory is read from ``/proc/self/status``: ``VmHWM`` (peak resident set) and ``VmRSS`` (resident
now); the peak is reset through ``/proc/self/clear_refs`` between phases where the kernel allows it.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np

from hangat.adapters.embed.e5 import E5Embedder
from hangat.domain.catalog import Product
from hangat.errors import HangatError
from hangat.eval.machine import describe
from hangat.eval.metrics import percentile
from hangat.eval.search_bench import embeddings, products_of
from hangat.eval.search_data import load
from hangat.search.engine import SearchEngine
from hangat.search.filters import Filters
from hangat.search.vectors import ExactIndex

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
LIMIT = 10  # results per search, as the assistant asks for
MIXED_TITLES = 0.5  # share of synthetic products whose title is two half titles
WARM_UP = 3
FILTERS = Filters(price_max=Decimal("50"), currency="USD", min_rating=3.5, in_stock=True)

EmbedderFactory = Callable[[], Any]  # a class or module-level function: passed by name to the child
Progress = Callable[[str], None]


class BenchmarkFailed(HangatError):
    """A catalog size could not be measured (its process failed or died)."""


# --- the synthetic catalog ------------------------------------------------------------------


def synthetic_catalog(
    real: Sequence[Product], vectors: np.ndarray, size: int, seed: int = 0
) -> tuple[list[Product], np.ndarray]:
    """``size`` products recombined from ``real`` (texts) and ``vectors`` (their embeddings)."""
    rng = np.random.default_rng(seed)
    n = len(real)
    a, b, c = rng.integers(0, n, size), rng.integers(0, n, size), rng.integers(0, n, size)
    mixed = rng.random(size) < MIXED_TITLES
    price = np.round(np.exp(rng.normal(3.3, 1.0, size)), 2).clip(0.99, 5000)  # median ≈ $27
    rating = np.round(rng.uniform(1.0, 5.0, size), 1)
    unrated = rng.random(size) < 0.15
    stock = np.where(rng.random(size) < 0.1, 0, rng.integers(1, 500, size))
    sold = rng.geometric(0.002, size)
    title_words = [p.title.split() for p in real]

    matrix = np.empty((size, vectors.shape[1]), dtype=np.float32)
    for start in range(0, size, 65_536):  # in chunks: no full-size temporaries
        s = slice(start, start + 65_536)
        title_vec = np.where(mixed[s, None], (vectors[a[s]] + vectors[c[s]]) / 2, vectors[a[s]])
        chunk = title_vec + vectors[b[s]]
        matrix[s] = chunk / np.maximum(np.linalg.norm(chunk, axis=1, keepdims=True), 1e-12)

    products = []
    for i in range(size):
        ai = int(a[i])
        if mixed[i]:
            first, second = title_words[ai], title_words[int(c[i])]
            title = " ".join(first[: (len(first) + 1) // 2] + second[len(second) // 2 :])
        else:
            title = real[ai].title
        products.append(
            Product(
                f"syn{i + 1:07d}",
                title,
                real[int(b[i])].description,
                price=Decimal(f"{price[i]:.2f}"),
                currency="USD",
                stock=int(stock[i]),
                rating=None if unrated[i] else float(rating[i]),
                units_sold=int(sold[i]),
                language="en",
            )
        )
    return products, matrix


# --- measuring ------------------------------------------------------------------------------


def _memory() -> dict[str, float]:
    """This process's resident set now (``rss``) and its peak (``hwm``), in MiB."""
    out = {"rss": 0.0, "hwm": 0.0}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    out["rss" if line.startswith("VmRSS") else "hwm"] = int(line.split()[1]) / 1024
    except OSError:  # not Linux: ru_maxrss is the best there is (KiB on Linux, bytes on macOS)
        import resource

        out["hwm"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _cpu_waiting() -> float:
    """Seconds (since boot) during which some runnable task waited for a CPU (Linux PSI), or NaN."""
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as fh:
            return int(fh.readline().rsplit("total=", 1)[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return float("nan")


class _Contention:
    """The share of a phase's wall time during which some task waited for a CPU: other jobs on
    the machine (or our own threads, beyond the core count) — what makes latency tails noisy."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.waiting = _cpu_waiting()

    def share(self) -> float | None:
        waited = _cpu_waiting() - self.waiting
        if waited != waited:  # NaN: no PSI on this kernel
            return None
        return round(waited / max(time.perf_counter() - self.started, 1e-9), 3)


def _reset_peak() -> bool:
    """Set the peak resident set back to the current one (Linux ≥ 4.0); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class _TimedEmbedder:
    """Wraps the query embedder to split each search's time into embedding and the rest."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0

    def embed_query(self, text: str) -> np.ndarray:
        started = time.perf_counter()
        try:
            return np.asarray(self.inner.embed_query(text), dtype=np.float32)
        finally:
            self.seconds += time.perf_counter() - started


def _summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(float(np.mean(ms)) if len(ms) else 0.0, 2),
        "max_ms": round(max(ms, default=0.0), 2),
    }


def _time_searches(
    engine: SearchEngine, timed: _TimedEmbedder, texts: Sequence[str], filters: Filters | None = None
) -> tuple[list[float], list[float]]:
    """Milliseconds per search, and of them in the query embedder."""
    total, embed = [], []
    for text in texts:
        timed.seconds = 0.0
        started = time.perf_counter()
        engine.search(text, filters=filters, limit=LIMIT)
        total.append((time.perf_counter() - started) * 1000)
        embed.append(timed.seconds * 1000)
    return total, embed


def _bm25_baseline(products: Sequence[Product], query_sets: dict[str, list[str]]) -> dict[str, Any]:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    before = _memory()
    _reset_peak()
    started = time.perf_counter()
    corpus = [f"{p.title} {p.description}" for p in products]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False
    )
    del corpus
    build_s = time.perf_counter() - started
    built = _memory()
    k = min(LIMIT, len(products))

    def search(text: str) -> np.ndarray:
        tokens = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, show_progress=False,
                                return_ids=False)[0]  # fmt: skip
        scores = retriever.get_scores(tokens) if tokens else np.zeros(len(products), dtype=np.float32)
        top = np.argpartition(-scores, k - 1)[:k]
        return top[np.argsort(-scores[top], kind="stable")]

    for text in next(iter(query_sets.values()))[:WARM_UP]:
        search(text)
    latency: dict[str, Any] = {}
    everything: list[float] = []
    for name, texts in query_sets.items():
        ms = []
        for text in texts:
            started = time.perf_counter()
            search(text)
            ms.append((time.perf_counter() - started) * 1000)
        latency[name] = _summary(ms)
        everything += ms
    latency["all"] = _summary(everything)
    return {
        "build_s": round(build_s, 4),
        "peak_mib": round(built["hwm"] - before["rss"], 1),  # above what the process held before
        "latency": latency,
    }


def _vector_checks(
    index: Any, exact: ExactIndex, query_vectors: Sequence[np.ndarray], pool: int
) -> dict[str, Any]:
    """Vector search alone: exact vs the index in use; HNSW recall against the exact top-k."""
    exact_ms, index_ms, r10, r_pool, r10_small = [], [], [], [], []
    hnsw = not isinstance(index, ExactIndex)
    for vec in query_vectors:
        started = time.perf_counter()
        truth, _ = exact.top(vec, pool)
        exact_ms.append((time.perf_counter() - started) * 1000)
        if not hnsw:
            continue
        started = time.perf_counter()
        found, _ = index.top(vec, pool)
        index_ms.append((time.perf_counter() - started) * 1000)
        r10.append(len(set(found[:10].tolist()) & set(truth[:10].tolist())) / min(10, len(truth)))
        r_pool.append(len(set(found.tolist()) & set(truth.tolist())) / len(truth))
        small, _ = index.top(vec, 10)
        r10_small.append(len(set(small.tolist()) & set(truth[:10].tolist())) / min(10, len(truth)))
    out: dict[str, Any] = {"k": pool, "exact": _summary(exact_ms)}
    if hnsw:
        out |= {
            "hnsw": _summary(index_ms),
            "recall@10": round(float(np.mean(r10)), 4),
            f"recall@{pool}": round(float(np.mean(r_pool)), 4),
            "recall@10_k10": round(float(np.mean(r10_small)), 4),
            "ef_search": int(index.ef_search),
        }
    return out


def measure_size(
    data_dir: Path, cache_dir: Path, work_dir: Path, size: int, ann_threshold: int,
    embedder: EmbedderFactory = E5Embedder, seed: int = 0, progress: Progress = lambda m: None,
) -> dict[str, Any]:  # fmt: skip
    """Everything for one catalog size, in this process (``run_latency`` gives each a fresh one)."""
    load_start = os.getloadavg()[0]
    data = load(data_dir)
    real = products_of(data)
    model = embedder()
    vectors = embeddings(real, model, cache_dir, lambda done, total: None)
    query_sets = {"en": list(data.queries.values())}
    if (data_dir / "queries_id.tsv").is_file():
        query_sets["id"] = list(load(data_dir, data_dir / "queries_id.tsv").queries.values())
    gc.collect()
    base = _memory()

    progress(f"{size:,} products: making the synthetic catalog")
    started = time.perf_counter()
    products, matrix = synthetic_catalog(real, vectors, size, seed)
    catalog_s = time.perf_counter() - started
    with_catalog = _memory()
    reset = _reset_peak()
    contention = _Contention()

    kind = "hnsw" if size >= ann_threshold else "exact"
    progress(f"{size:,} products: building the vector index ({kind})")
    index_dir = work_dir / f"hnsw-{size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()
    if kind == "hnsw":
        from hangat.adapters.vectors.hnsw import HnswIndex

        index: Any = HnswIndex(matrix, index_dir)
    else:
        index = ExactIndex(matrix)
    vector_s = time.perf_counter() - started
    progress(f"{size:,} products: building the search engine (BM25, filters) — vectors took {vector_s:.1f}s")
    timed = _TimedEmbedder(model)
    started = time.perf_counter()
    engine = SearchEngine(products, index, timed)
    lexical_s = time.perf_counter() - started
    built = _memory()
    build_contention = contention.share()

    progress(f"{size:,} products: timing {sum(map(len, query_sets.values()))} queries")
    for text in query_sets["en"][:WARM_UP]:
        engine.search(text, limit=LIMIT)
    contention = _Contention()
    runs = {name: _time_searches(engine, timed, texts) for name, texts in query_sets.items()}
    runs["all"] = ([x for t, _ in runs.values() for x in t], [x for _, e in runs.values() for x in e])
    runs["en+filters"] = _time_searches(engine, timed, query_sets["en"], FILTERS)
    latency = {name: _summary(total) for name, (total, _) in runs.items()}
    embed = {name: _summary(spent) for name, (_, spent) in runs.items()}
    rest = {name: _summary([t - e for t, e in zip(*run, strict=True)]) for name, run in runs.items()}
    serving = _memory()
    query_contention = contention.share()
    all_texts = [t for texts in query_sets.values() for t in texts]

    progress(f"{size:,} products: vector search alone, exact vs {kind}")
    query_vectors = [model.embed_query(t) for t in all_texts]
    vector = _vector_checks(index, ExactIndex(matrix), query_vectors, engine.config.candidates * 4)

    del engine, timed
    gc.collect()
    progress(f"{size:,} products: the bm25s baseline")
    baseline = _bm25_baseline(products, query_sets)
    hnsw_load_s = None
    if kind == "hnsw":  # a restart: the index is read back from its file
        from hangat.adapters.vectors.hnsw import HnswIndex

        del index
        gc.collect()
        started = time.perf_counter()
        HnswIndex(matrix, index_dir)
        hnsw_load_s = round(time.perf_counter() - started, 2)
    shutil.rmtree(index_dir, ignore_errors=True)
    return {
        "size": size,
        "index": kind,
        "real_products": len(real),
        "queries": {name: len(texts) for name, texts in query_sets.items()},
        "catalog_s": round(catalog_s, 2),
        "build_s": {
            "vector": round(vector_s, 3),
            "lexical": round(lexical_s, 3),
            "total": round(vector_s + lexical_s, 3),
        },
        "hnsw_load_s": hnsw_load_s,
        "memory_mib": {
            "before_catalog": round(base["rss"], 1),
            "with_catalog": round(with_catalog["rss"], 1),
            "peak": round(max(built["hwm"], serving["hwm"]), 1),
            "resident_built": round(built["rss"], 1),
            "resident_serving": round(serving["rss"], 1),
            "peak_reset": reset,
        },
        "hangat": latency,
        "hangat_embedding": embed,  # the query embedder's share of each search
        "hangat_without_embedding": rest,  # each search minus its embedding: the engine alone
        "vector_only": vector,
        "bm25": baseline,
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
        "cpu_pressure": {"build": build_contention, "queries": query_contention},
    }


# --- one process per size -------------------------------------------------------------------


MARK = "@latency-bench "  # the child's protocol lines on stdout start with this


def _factory_name(factory: EmbedderFactory) -> str:
    name = f"{factory.__module__}:{factory.__qualname__}"
    if "<" in name:
        raise ValueError(f"the embedder factory must be importable by name, not {name}")
    return name


def _import(name: str) -> EmbedderFactory:
    module, _, qualname = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return cast(EmbedderFactory, found)


def child_main(argv: Sequence[str]) -> None:
    """The measuring process: one JSON job in, JSON lines out (progress, then the result)."""

    def say(kind: str, payload: Any) -> None:
        sys.stdout.write(MARK + json.dumps({kind: payload}) + "\n")
        sys.stdout.flush()

    job = json.loads(argv[0])
    for key in ("data_dir", "cache_dir", "work_dir"):
        job[key] = Path(job[key])
    job["embedder"] = _import(job["embedder"])
    try:
        say("result", measure_size(**job, progress=lambda m: say("progress", m)))
    except Exception:
        say("error", traceback.format_exc())
        raise SystemExit(1) from None


def _in_fresh_process(job: dict[str, Any], progress: Progress, work_dir: Path) -> dict[str, Any]:
    """``measure_size`` in a new interpreter (not a fork: the peak memory is this size's alone)."""
    code = "import sys; from hangat.eval.latency_bench import child_main; child_main(sys.argv[1:])"
    errors = work_dir / f"child-{job['size']}.stderr"
    result: dict[str, Any] | None = None
    failure = ""
    with errors.open("w+", encoding="utf-8") as err:
        with subprocess.Popen(
            [sys.executable, "-c", code, json.dumps(job)], stdout=subprocess.PIPE, stderr=err, text=True
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                if not line.startswith(MARK):
                    continue
                message = json.loads(line[len(MARK) :])
                if "progress" in message:
                    progress(message["progress"])
                elif "result" in message:
                    result = message["result"]
                else:
                    failure = message["error"]
        err.seek(0)
        stderr = err.read()
    errors.unlink(missing_ok=True)
    if result is None:
        detail = failure or stderr[-2000:] or "no output"
        raise BenchmarkFailed(
            f"{job['size']:,} products: the measuring process failed (exit code {child.returncode}"
            + ("; killed, out of memory?" if child.returncode == -9 else "")
            + f"): {detail}"
        )
    return result


def run_latency(
    data_dir: Path, cache_dir: Path, work_dir: Path, sizes: Sequence[int] = DEFAULT_SIZES,
    ann_threshold: int = 50_000, progress: Progress = lambda m: None,
    embedder: EmbedderFactory = E5Embedder, seed: int = 0,
) -> list[dict[str, Any]]:  # fmt: skip
    """Latency, build time, memory and HNSW recall per catalog size, each size in a fresh process."""
    factory = _factory_name(embedder)
    real = products_of(load(data_dir))  # fails early on a bad folder
    progress(f"embedding the {len(real):,} real products (cached in {cache_dir})")
    embeddings(real, embedder(), cache_dir, lambda done, total: progress(f"embedded {done:,}/{total:,}"))
    work_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        job = {"data_dir": str(data_dir), "cache_dir": str(cache_dir), "work_dir": str(work_dir),
               "size": size, "ann_threshold": ann_threshold, "embedder": factory, "seed": seed}  # fmt: skip
        results.append(_in_fresh_process(job, progress, work_dir))
    return results


# --- reporting ------------------------------------------------------------------------------


def _pair(d: dict[str, Any]) -> str:
    return f"{d['p50_ms']:.1f} / {d['p95_ms']:.1f}"


def markdown(results: Sequence[dict[str, Any]], command: str, data_dir: Path | None = None) -> str:
    real = results[0]["real_products"] if results else 0
    queries = " + ".join(f"{n} {name}" for name, n in results[0]["queries"].items()) if results else "no"
    loads = [x for r in results for x in r["load_average"]]
    lines = [
        f"\n### Search latency — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        f"- Command: `{command}`",
        f"- Data: {real:,} real products"
        + (f" of `{data_dir}`" if data_dir else "")
        + ", recombined into each catalog size (the title of one real product — or the halves of two "
        "titles — with the description of another; random prices, ratings and stock). The vectors are "
        "recombined the same way (normalised sum of the real embeddings), not computed by the model: "
        "embedding a million texts would take days on this machine.",
        f"- Queries: {queries} real queries (English, Indonesian), embedded by the real model at query "
        "time; latency per query, in-process, query embedding included, top 10; "
        "`en+filters` adds price ≤ $50, rating ≥ 3.5, in stock.",
        f"- Machine: {describe()}; load average (1 min) during the run "
        f"{min(loads, default=0):.2f}–{max(loads, default=0):.2f}",
        "- Each size in a fresh process. Build = vector index + search engine (BM25, filter columns); "
        "peak = the process's peak resident set through build and queries (catalog and model "
        "included); resident = after the queries. Baseline: plain bm25s, default parameters, English "
        "stemming, title + description, in the same process after hangat's engine is freed.\n",
        "| products | index | build s (vector + lexical) | peak MiB | resident MiB | hangat p50 / p95 ms "
        "| hangat without embedding p50 / p95 ms | bm25 p50 / p95 ms | bm25 build s | HNSW recall@10 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b, m, v = r["build_s"], r["memory_mib"], r["vector_only"]
        recall = f"{v['recall@10']:.3f}" if "recall@10" in v else "— (exact)"
        lines.append(
            f"| {r['size']:,} | {r['index']} | {b['total']:.1f} ({b['vector']:.1f} + {b['lexical']:.1f}) "
            f"| {m['peak']:,.0f} | {m['resident_serving']:,.0f} | {_pair(r['hangat']['all'])} "
            f"| {_pair(r['hangat_without_embedding']['all'])} | {_pair(r['bm25']['latency']['all'])} "
            f"| {r['bm25']['build_s']:.1f} | {recall} |"
        )
    if not results:
        return "\n".join(lines) + "\n"
    sets = [n for n in results[0]["hangat"] if n != "all"]
    bm25_sets = [n for n in sets if n in results[0]["bm25"]["latency"]]
    k = results[0]["vector_only"]["k"]
    header = [f"hangat {n}" for n in sets] + [f"bm25 {n}" for n in bm25_sets]
    header += [f"exact top-{k}", f"HNSW top-{k}", f"HNSW recall@{k}", "HNSW recall@10 (k=10)"]
    header += ["HNSW reload s", "load avg", "CPU wait, queries"]
    lines += [
        f"\nBy query set (p50 / p95 ms); the vector search alone for the engine's candidate call (top {k}); "
        "the time to read a built HNSW index back from disk (a restart); the machine's load: load "
        "average at the start and end of the size, and the share of the query phase during which some "
        "task waited for a CPU (Linux PSI; other jobs, or the model's two threads competing with them):\n",
        "| products | " + " | ".join(header) + " |",
        "|---:|" + "---:|" * len(header),
    ]
    for r in results:
        v = r["vector_only"]
        hnsw = "hnsw" in v
        cells = [_pair(r["hangat"][n]) for n in sets] + [_pair(r["bm25"]["latency"][n]) for n in bm25_sets]
        cells += [
            _pair(v["exact"]),
            _pair(v["hnsw"]) if hnsw else "—",
            f"{v[f'recall@{k}']:.3f}" if hnsw else "—",
            f"{v['recall@10_k10']:.3f}" if hnsw else "—",
            f"{r['hnsw_load_s']:.1f}" if r["hnsw_load_s"] is not None else "—",
            "–".join(f"{x:.1f}" for x in r["load_average"]),
            f"{r['cpu_pressure']['queries']:.0%}" if r["cpu_pressure"]["queries"] is not None else "?",
        ]
        lines.append(f"| {r['size']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def as_json(results: Sequence[dict[str, Any]]) -> str:
    return json.dumps({"benchmark": "latency", "machine": describe(), "results": list(results)})
