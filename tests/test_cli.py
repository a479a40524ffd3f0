"""The command line, run in-process with Typer's runner against real SQLite files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hangat.adapters.stores import open_store
from hangat.cli import app

runner = CliRunner()
CSV = "sku,name,price\nA1,Sepatu lari,250000\nA2,Kopi arabika,85000\n"


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["migrate", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "hangat.sqlite3").is_file()
    assert "Schema is up to date" in result.output


def test_ingest_with_mapping_and_summary(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CSV)
    args = ["ingest", "catalog", str(path), "--map", "external_id=sku", "--map", "title=name",
            "--default", "language=id", "--data-dir", str(tmp_path)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Ingest summary" in result.output
    store = open_store(f"sqlite:///{tmp_path / 'hangat.sqlite3'}")
    assert store.get_product("A1").language == "id"
    store.close()


def test_ingest_rejection_names_the_lines_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "A3,Teh,mahal\nA4,,100\nA5,Gula,-1\n")
    result = runner.invoke(app, ["ingest", "catalog", str(path), "--map", "external_id=sku",
                                 "--map", "title=name", "--data-dir", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 1
    for line in ("line 4: price", "line 5: title is required", "line 6: price"):
        assert line in result.output
    assert "nothing was written" in result.output
    store = open_store(f"sqlite:///{tmp_path / 'hangat.sqlite3'}")
    assert store.counts()["products"] == 0
    store.close()


def test_usage_errors_exit_2_before_touching_the_database(tmp_path: Path) -> None:
    missing = runner.invoke(
        app, ["ingest", "catalog", str(tmp_path / "nope.csv"), "--data-dir", str(tmp_path)]
    )
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad_map = runner.invoke(app, ["ingest", "catalog", str(tmp_path / "x.csv"), "--map", "titel=x",
                                  "--data-dir", str(tmp_path)])  # fmt: skip
    assert bad_map.exit_code == 2 and "unknown field 'titel'" in bad_map.output
    bad_url = runner.invoke(app, ["migrate", "--database-url", "mysql://x"])
    assert bad_url.exit_code == 2 and "configuration error" in bad_url.output
    assert not (tmp_path / "hangat.sqlite3").exists()


def test_chat_in_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CSV)
    runner.invoke(app, ["ingest", "catalog", str(path), "--map", "external_id=sku", "--map", "title=name",
                        "--data-dir", str(tmp_path)])  # fmt: skip
    result = runner.invoke(app, ["chat", "--data-dir", str(tmp_path)], input="saya cari sepatu\n\n")
    assert result.exit_code == 0, result.output
    assert "Ini satu produk yang cocok" in result.output
    assert "Sepatu lari" in result.output and "Rp250" in result.output
    explained = runner.invoke(
        app, ["chat", "--explain", "--data-dir", str(tmp_path)], input="kado buat ibu budget 300rb\n\n"
    )
    assert explained.exit_code == 0, explained.output
    assert "understood (id): plan_occasion" in explained.output
    assert "budget_max=300000" in explained.output and "recipient=mother" in explained.output


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hangat", "--help"], capture_output=True, text=True, check=True
    )
    assert "ingest" in done.stdout and "demo" in done.stdout
