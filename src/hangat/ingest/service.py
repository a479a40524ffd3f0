"""Ingest one file into the store: read, map, validate every row, then write all in one transaction.

A file with an invalid row is rejected whole (nothing is written) unless ``skip_invalid`` is set,
in which case the valid rows are written and the invalid ones reported. Because the write is one
transaction, a process killed mid-ingest leaves the database as it was before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hangat.errors import IngestRejected, InputError, NotFound, RowError
from hangat.ingest.mapping import ColumnMapping
from hangat.ingest.orders import OrderGrouper, OrderRow, to_order_row
from hangat.ingest.records import RecordFile
from hangat.ingest.schema import FIELDS, RowProblem, to_product, to_review
from hangat.ports import Store, UpsertCounts

ProgressCallback = Callable[[str, int, int], None]  # phase, done, total
KINDS = tuple(FIELDS)


@dataclass
class IngestReport:
    """What an ingest did: rows read, written (new / updated), refused, and how long it took."""

    kind: str
    path: str
    rows: int = 0
    written: UpsertCounts = field(default_factory=UpsertCounts)
    invalid: list[RowError] = field(default_factory=list)
    seconds: float = 0.0
    failed_orders: set[str] = field(default_factory=set)  # order ids seen on unconvertible rows

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def _quiet(_phase: str, _done: int, _total: int) -> None:
    """The default progress callback: report nothing."""


def ingest_file(
    store: Store,
    kind: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    skip_invalid: bool = False,
    fmt: str | None = None,
    progress: ProgressCallback = _quiet,
) -> IngestReport:
    """Ingest ``path`` as ``kind`` (catalog, reviews or orders); see the module docstring."""
    if kind not in FIELDS:
        raise InputError(f"unknown ingest kind {kind!r}; use one of {', '.join(KINDS)}")
    started = time.perf_counter()
    mapping = mapping or ColumnMapping()
    source = RecordFile(path, fmt)
    mapping.check_columns(source.columns, str(path))
    report = IngestReport(kind, str(path))
    parsed = _parse(source, kind, mapping, report, progress)
    write = _PLANS[kind](store, parsed, report)
    if report.invalid and not skip_invalid:
        report.invalid.sort(key=lambda e: e.line)
        raise IngestRejected(str(path), report.invalid)
    progress("write", 0, 1)
    report.written = write()
    progress("write", 1, 1)
    report.invalid.sort(key=lambda e: e.line)
    report.seconds = time.perf_counter() - started
    return report


def _parse(
    source: RecordFile,
    kind: str,
    mapping: ColumnMapping,
    report: IngestReport,
    progress: ProgressCallback,
) -> list[tuple[int, Any]]:
    convert = _CONVERTERS[kind]
    translate = mapping.bind(FIELDS[kind])
    out: list[tuple[int, Any]] = []
    for record in source:
        report.rows += 1
        if report.rows % 1000 == 0:
            progress("read", report.rows, source.total)
        if record.problem:
            report.invalid.append(RowError(record.line, record.problem))
            continue
        values = translate(record.values)
        try:
            out.append((record.line, convert(values)))
        except RowProblem as exc:
            report.invalid.append(RowError(record.line, str(exc)))
            if kind == "orders" and values.get("order_id") is not None:
                report.failed_orders.add(str(values["order_id"]).strip())
    progress("read", report.rows, report.rows)
    if report.rows == 0:
        raise InputError(f"{source.path}: no rows to ingest")
    return out


def _missing_products(
    store: Store, items: list[tuple[int, Any]], product_of: Callable[[Any], str],
    report: IngestReport,
) -> list[tuple[int, Any]]:  # fmt: skip
    known = store.existing_product_ids({product_of(x) for _, x in items})
    kept = []
    for line, item in items:
        if product_of(item) in known:
            kept.append((line, item))
        else:
            report.invalid.append(RowError(line, f"unknown product_id {product_of(item)!r}"))
    return kept


def _plan_catalog(store: Store, items: list[tuple[int, Any]], _r: IngestReport) -> Callable[[], UpsertCounts]:
    products = [p for _, p in items]
    return lambda: store.upsert_products(products)


def _plan_reviews(
    store: Store, items: list[tuple[int, Any]], report: IngestReport
) -> Callable[[], UpsertCounts]:
    kept = _missing_products(store, items, lambda r: str(r.product_id), report)
    reviews = [r for _, r in kept]
    return lambda: store.upsert_reviews(reviews)


def _plan_orders(
    store: Store, items: list[tuple[int, Any]], report: IngestReport
) -> Callable[[], UpsertCounts]:
    """Orders are written whole: one invalid line drops its whole order (with ``--skip-invalid``)."""
    kept = _missing_products(store, items, lambda r: str(r.line.product_id), report)
    bad = set(report.failed_orders) | {r.order_id for _, r in items} - {r.order_id for _, r in kept}
    probe = OrderGrouper()
    for line, row in kept:
        try:
            probe.add(row)
        except RowProblem as exc:
            report.invalid.append(RowError(line, str(exc)))
            bad.add(row.order_id)
    grouper = OrderGrouper()
    for line, row in kept:
        if row.order_id not in bad:
            grouper.add(row)
        elif not any(e.line == line for e in report.invalid):
            reason = f"order {row.order_id!r} has an invalid line, so none of its lines is written"
            report.invalid.append(RowError(line, reason))
    known = _known_customers(store, {r.customer_id for _, r in kept})
    orders, customers = grouper.orders(), grouper.customers(known)
    return lambda: store.upsert_orders(orders, customers)


def _known_customers(store: Store, ids: Iterable[str]) -> dict[str, Any]:
    found = {}
    for ident in ids:
        try:
            found[ident] = store.get_customer(ident)
        except NotFound:
            continue
    return found


_CONVERTERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "catalog": to_product,
    "reviews": to_review,
    "orders": to_order_row,
}
_PLANS: dict[str, Callable[[Store, list[tuple[int, Any]], IngestReport], Callable[[], UpsertCounts]]] = {
    "catalog": _plan_catalog,
    "reviews": _plan_reviews,
    "orders": _plan_orders,
}
__all__ = ["KINDS", "IngestReport", "OrderRow", "ingest_file"]
