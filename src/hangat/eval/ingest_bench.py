"""``hangat eval ingest``: ingest speed on the two bundled catalogs, beside a baseline.

For each database (a fresh SQLite file, and a fresh database on each PostgreSQL server given),
the four demo files are ingested in order with hangat's ingest (read, map, validate every row,
upsert in one transaction). The baseline, in the same run, loads the same files with pandas
(``read_json``/``read_parquet``) and ``DataFrame.to_sql`` into unconstrained tables: no
validation, no upsert, no reference checks — the cost of a plain bulk load.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from hangat.adapters.sql.engine import scratch_postgres
from hangat.adapters.sql.store import SqlStore
from hangat.demo import grocery, marketplace
from hangat.eval.machine import describe
from hangat.ingest.service import ingest_file
from hangat.settings import redact_url


@dataclass(frozen=True)
class IngestResult:
    database: str
    file: str
    kind: str
    rows: int
    hangat_seconds: float
    baseline_seconds: float

    @property
    def hangat_rps(self) -> float:
        return self.rows / self.hangat_seconds

    @property
    def baseline_rps(self) -> float:
        return self.rows / self.baseline_seconds


def run_ingest_benchmark(
    work_dir: Path, postgres_urls: list[str], report: Path | None, as_json: bool, console: Console
) -> list[IngestResult]:
    work_dir.mkdir(parents=True, exist_ok=True)
    market_catalog, market_reviews = marketplace.prepare(work_dir)
    grocery_catalog, grocery_orders = grocery.prepare(work_dir)
    files = [
        ("catalog", market_catalog),
        ("reviews", market_reviews),
        ("catalog", grocery_catalog),
        ("orders", grocery_orders),
    ]
    results: list[IngestResult] = []
    targets = [("sqlite", _sqlite(work_dir))] + [
        ("postgresql", scratch_postgres(u, "hangat_bench")) for u in postgres_urls
    ]
    for label, target in targets:
        with target as url:
            results += _measure(label, url, files)
    if as_json:
        rows = [asdict(r) | {"hangat_rows_per_s": r.hangat_rps, "baseline_rows_per_s": r.baseline_rps}
                for r in results]  # fmt: skip
        console.print_json(json.dumps({"benchmark": "ingest", "machine": describe(), "results": rows}))
    else:
        Console(width=max(console.width, 150)).print(_table(results))
    if report is not None:
        _append_report(report, results, postgres_urls)
    return results


def _measure(label: str, url: str, files: list[tuple[str, Path]]) -> list[IngestResult]:
    store = SqlStore.from_url(url)
    out = []
    try:
        for kind, path in files:
            started = time.perf_counter()
            rep = ingest_file(store, kind, path)
            hangat_s = time.perf_counter() - started
            baseline_s = _baseline(url, kind, path)
            out.append(IngestResult(label, path.name, kind, rep.rows, hangat_s, baseline_s))
    finally:
        store.close()
    return out


def _baseline(url: str, kind: str, path: Path) -> float:
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    started = time.perf_counter()
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_json(path, lines=True)
    if "attributes" in frame:
        frame["attributes"] = frame["attributes"].map(json.dumps)
    frame.to_sql(f"baseline_{kind}_{uuid.uuid4().hex[:6]}", engine, index=False, chunksize=50_000)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


@contextmanager
def _sqlite(work_dir: Path) -> Iterator[str]:
    path = work_dir / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _table(results: list[IngestResult]) -> Table:
    table = Table(title="Ingest speed: hangat vs pandas to_sql baseline")
    for col in (
        "database",
        "file",
        "kind",
        "rows",
        "hangat s",
        "hangat rows/s",
        "baseline s",
        "baseline rows/s",
    ):
        table.add_column(col, no_wrap=True)
    for r in results:
        table.add_row(
            r.database, r.file, r.kind, f"{r.rows:,}", f"{r.hangat_seconds:.2f}",
            f"{r.hangat_rps:,.0f}", f"{r.baseline_seconds:.2f}", f"{r.baseline_rps:,.0f}",
        )  # fmt: skip
    return table


def _rows(results: list[IngestResult], stem: str) -> int:
    return next((r.rows for r in results if r.file.startswith(stem)), 0)


def _append_report(path: Path, results: list[IngestResult], postgres_urls: list[str]) -> None:
    command = "hangat eval ingest" + "".join(f" --postgres {redact_url(u)}" for u in postgres_urls)
    lines: list[Any] = [
        f"\n### Ingest speed — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        f"- Command: `{command}`",
        "- Data: the bundled demo catalogs — PRDECT-ID (Tokopedia products and reviews, as JSONL) and "
        f"The Complete Journey (the {_rows(results, 'grocery-catalog'):,} most-bought grocery products "
        f"and their {_rows(results, 'grocery-orders'):,} basket lines, as Parquet)",
        f"- Machine: {describe()}",
        "- Baseline: pandas `read_json`/`read_parquet` + `DataFrame.to_sql` into an unconstrained "
        "table (no validation, no upsert, no reference checks)\n",
        "| database | file | kind | rows | hangat s | hangat rows/s | baseline s | baseline rows/s |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.file} | {r.kind} | {r.rows:,} | {r.hangat_seconds:.2f} | "
            f"{r.hangat_rps:,.0f} | {r.baseline_seconds:.2f} | {r.baseline_rps:,.0f} |"
        )
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
