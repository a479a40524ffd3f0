"""Reading rows out of CSV, JSONL and Parquet files, each with its line (or row) number.

CSV and JSONL rows carry their physical line number (a CSV header is line 1, so its first data row
is line 2; a quoted field spanning lines counts from where the row starts). Parquet rows are
numbered from 1. A file that cannot be read at all raises :class:`~hangat.errors.InputError`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hangat.errors import InputError

FORMATS = ("csv", "jsonl", "parquet")
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class Record:
    """One row of a file: its number and its raw values by column name."""

    line: int
    values: dict[str, Any]
    problem: str = ""  # set when the row itself could not be parsed (bad JSON, extra fields)


def detect_format(path: Path, declared: str | None = None) -> str:
    if declared:
        if declared not in FORMATS:
            raise InputError(f"unknown format {declared!r}; use one of {', '.join(FORMATS)}")
        return declared
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"{path}: cannot tell the format from the extension {path.suffix!r}; "
            f"pass --format {'|'.join(FORMATS)}"
        )
    return fmt


class RecordFile:
    """A file of records: ``columns`` (if the format has a header), ``total`` rows, iteration."""

    def __init__(self, path: Path, fmt: str | None = None) -> None:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        self.path = path
        self.format = detect_format(path, fmt)
        self.delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        self.columns: list[str] | None = None
        self.total = 0
        if self.format == "csv":
            self.columns = self._csv_header()
            self.total = max(0, _count_lines(path) - 1)
        elif self.format == "jsonl":
            self.total = _count_lines(path)
        else:
            self.columns, self.total = self._parquet_meta()

    def __iter__(self) -> Iterator[Record]:
        if self.format == "csv":
            return self._csv_rows()
        if self.format == "jsonl":
            return self._jsonl_rows()
        return self._parquet_rows()

    def _open_text(self) -> Any:
        return self.path.open(encoding="utf-8-sig", newline="")

    def _csv_header(self) -> list[str]:
        try:
            with self._open_text() as fh:
                header = next(csv.reader(fh, delimiter=self.delimiter), None)
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        except csv.Error as exc:
            raise InputError(f"{self.path}: line 1: {exc}") from exc
        if not header or not any(h.strip() for h in header):
            raise InputError(f"{self.path}: the file is empty or has no header row")
        return [h.strip() for h in header]

    def _csv_rows(self) -> Iterator[Record]:
        assert self.columns is not None
        width = len(self.columns)
        with self._open_text() as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            try:
                next(reader)
                start = reader.line_num + 1
                for row in reader:
                    line, start = start, reader.line_num + 1
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    values = dict(zip(self.columns, row, strict=False))
                    problem = ""
                    if len(row) != width:
                        problem = f"has {len(row)} fields but the header has {width}"
                    yield Record(line, values, problem)
            except UnicodeDecodeError as exc:
                raise InputError(f"{self.path}: not UTF-8 text near line {start}") from exc
            except csv.Error as exc:
                raise InputError(f"{self.path}: line {start}: {exc}") from exc

    def _jsonl_rows(self) -> Iterator[Record]:
        try:
            with self._open_text() as fh:
                for number, text in enumerate(fh, start=1):
                    if not text.strip():
                        continue
                    try:
                        value = json.loads(text)
                    except json.JSONDecodeError as exc:
                        yield Record(number, {}, f"is not valid JSON ({exc.msg})")
                        continue
                    if not isinstance(value, dict):
                        yield Record(number, {}, "is not a JSON object")
                        continue
                    yield Record(number, value)
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.path}: not UTF-8 text") from exc

    def _parquet_meta(self) -> tuple[list[str], int]:
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(self.path)
        except Exception as exc:  # pyarrow raises several unrelated types for a bad file
            raise InputError(f"{self.path}: not a readable Parquet file ({exc})") from exc
        return list(meta.schema_arrow.names), meta.metadata.num_rows

    def _parquet_rows(self) -> Iterator[Record]:
        import pyarrow.parquet as pq

        number = 0
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=10_000):
            for values in batch.to_pylist():
                number += 1
                yield Record(number, values)


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)
