"""Reading a relevance-judgement set: products.tsv, queries.tsv and qrels.tsv (CSV-quoted TSV)."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from hangat.errors import InputError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class JudgedSet:
    products: dict[str, tuple[str, str]]  # doc_id -> (title, description)
    queries: dict[str, str]  # query_id -> query
    qrels: dict[str, dict[str, float]]  # query_id -> doc_id -> grade (the higher of two)


def _rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read it as UTF-8 tab-separated values ({exc})") from exc
    if len(rows) < 2:
        raise InputError(f"{path}: no rows after the header")
    return rows[1:]


def load(data_dir: Path, queries_file: Path | None = None) -> JudgedSet:
    products = {r[0]: (r[1], r[2] if len(r) > 2 else "") for r in _rows(data_dir / "products.tsv")}
    queries = {r[0]: r[1] for r in _rows(queries_file or data_dir / "queries.tsv") if len(r) > 1}
    qrels: dict[str, dict[str, float]] = {}
    for number, r in enumerate(_rows(data_dir / "qrels.tsv"), start=2):
        try:
            grade = float(r[2])
        except (IndexError, ValueError) as exc:
            raise InputError(f"qrels.tsv line {number}: the third column must be a grade") from exc
        judged = qrels.setdefault(r[0], {})
        judged[r[1]] = max(grade, judged.get(r[1], grade))
    queries = {q: text for q, text in queries.items() if q in qrels}
    if not queries:
        raise InputError(f"{data_dir}: no query has judgements")
    return JudgedSet(products, queries, qrels)
