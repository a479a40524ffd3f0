"""Killing ``hangat ingest`` while it writes leaves the database exactly as it was before."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hangat.adapters.stores import open_store

ROWS = 150_000


def catalog(path: Path, first: int, count: int, label: str) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(first, first + count):
            row = {"external_id": f"K{i}", "title": f"{label} {i}", "price": 1000 + i,
                   "description": "real words " * 20, "category": "Test > Bulk"}  # fmt: skip
            fh.write(json.dumps(row) + "\n")
    return path


def run_ingest(path: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hangat", "ingest", "catalog", str(path), "--database-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "120", "HANGAT_EMBEDDER": "none"},
    )


@pytest.mark.slow
def test_sigkill_mid_write_leaves_the_previous_state(tmp_path: Path, sqlite_url: str) -> None:
    before = run_ingest(catalog(tmp_path / "small.jsonl", 0, 10, "Lama"), sqlite_url)
    assert before.wait(120) == 0
    big = catalog(tmp_path / "big.jsonl", 0, ROWS, "Baru")  # updates the 10, adds the rest

    proc = run_ingest(big, sqlite_url)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "writing" in line:
            break
    else:
        pytest.fail(f"ingest ended before writing (exit {proc.wait()})")
    time.sleep(0.3)  # well inside the write of 150,000 rows
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL, "the ingest finished before it could be killed"

    db_file = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(db_file) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("SELECT count(*) FROM products").fetchone() == (10,)
        titles = {t for (t,) in raw.execute("SELECT title FROM products")}
    assert titles == {f"Lama {i}" for i in range(10)}

    again = run_ingest(big, sqlite_url)  # and the same file then goes through whole
    assert again.wait(300) == 0
    store = open_store(sqlite_url)
    assert store.counts()["products"] == ROWS
    assert store.get_product("K3").title == "Baru 3"
    store.close()
