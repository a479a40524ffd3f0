"""Ingest against a real store: formats, mapping, validation by line, all-or-nothing, idempotency."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hangat.adapters.stores import open_store
from hangat.errors import IngestRejected, InputError
from hangat.ingest.mapping import ColumnMapping
from hangat.ingest.schema import FIELDS
from hangat.ingest.service import ingest_file
from hangat.ports import Store, UpsertCounts

CATALOG_CSV = """sku,product_name,price,category,rating,stock,colour
A1,Sepatu lari ringan,250000,Sport > Running,4.8,10,merah
A2,"Kopi arabika, 250 g",85000,Food and Drink,4.9,5,coklat
A3,Tas ransel,300000,Fashion,4.5,0,hitam
"""


@pytest.fixture
def sql_store(sqlite_url: str) -> Store:
    return open_store(sqlite_url)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mapping(*pairs: str, defaults: tuple[str, ...] = ()) -> ColumnMapping:
    return ColumnMapping.parse(list(pairs), list(defaults), FIELDS["catalog"])


def test_csv_with_mapping_and_attributes(sql_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CATALOG_CSV)
    m = mapping("external_id=sku", "title=product_name", "attributes.colour=colour",
                defaults=("currency=IDR", "language=id"))  # fmt: skip
    report = ingest_file(sql_store, "catalog", path, m)
    assert (report.rows, report.written, report.invalid) == (3, UpsertCounts(3, 0), [])
    p = sql_store.get_product("A2")
    assert p.title == "Kopi arabika, 250 g"
    assert p.price == Decimal("85000.00")
    assert p.category_path == ("Food and Drink",)
    assert p.attributes == {"colour": "coklat"}
    assert (p.rating, p.stock, p.language) == (4.9, 5, "id")
    assert sql_store.get_product("A1").category_path == ("Sport", "Running")


def test_reingest_is_idempotent(sql_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CATALOG_CSV)
    m = mapping("external_id=sku", "title=product_name")
    ingest_file(sql_store, "catalog", path, m)
    again = ingest_file(sql_store, "catalog", path, m)
    assert again.written == UpsertCounts(0, 3)
    assert sql_store.counts()["products"] == 3
    changed = write(tmp_path, "c2.csv", CATALOG_CSV.replace("Tas ransel", "Tas ransel besar"))
    ingest_file(sql_store, "catalog", changed, m)
    assert sql_store.get_product("A3").title == "Tas ransel besar"


def test_three_malformed_rows_are_named_and_nothing_is_written(sql_store: Store, tmp_path: Path) -> None:
    bad = CATALOG_CSV + (
        "A4,Jaket,murah,Fashion,4.0,1,biru\n"  # line 5: price is not a number
        ",Topi,50000,Fashion,4.0,1,biru\n"  # line 6: no id
        "A6,Payung,40000,Fashion,9.5,1,biru\n"  # line 7: rating above 5
        "A7,Kaos,60000,Fashion,4.2,3,putih\n"
    )
    path = write(tmp_path, "bad.csv", bad)
    m = mapping("external_id=sku", "title=product_name")
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sql_store, "catalog", path, m)
    errors = caught.value.errors
    assert [e.line for e in errors] == [5, 6, 7]
    assert "price" in errors[0].reason and "'murah'" in errors[0].reason
    assert "external_id is required" in errors[1].reason
    assert "rating" in errors[2].reason and "above 5" in errors[2].reason
    assert sql_store.counts()["products"] == 0


def test_skip_invalid_writes_the_valid_rows(sql_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", CATALOG_CSV + "A4,Jaket,-5,Fashion,4.0,1,biru\n")
    report = ingest_file(sql_store, "catalog", path, mapping("external_id=sku", "title=product_name"),
                         skip_invalid=True)  # fmt: skip
    assert report.written == UpsertCounts(3, 0)
    assert [(e.line, "below 0" in e.reason) for e in report.invalid] == [(5, True)]


def test_csv_extra_fields_and_multiline_quotes_keep_true_line_numbers(
    sql_store: Store, tmp_path: Path
) -> None:
    text = 'external_id,title,description\nB1,Satu,"baris\nkedua"\nB2,Dua,x,EXTRA\nB3,Tiga,ok\n'
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sql_store, "catalog", write(tmp_path, "m.csv", text))
    assert [(e.line, e.reason) for e in caught.value.errors] == [(4, "has 4 fields but the header has 3")]


def test_jsonl_bad_json_and_types(sql_store: Store, tmp_path: Path) -> None:
    lines = [
        json.dumps({"external_id": "J1", "title": "Madu hutan", "price": 120000, "attributes": {"ml": 500}}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"external_id": "J4", "title": "Teh", "stock": 1.5}),
        json.dumps({"external_id": "J5", "title": "Gula", "image_url": "javascript:alert(1)"}),
    ]
    path = write(tmp_path, "p.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sql_store, "catalog", path)
    got = [(e.line, e.reason.split(" ")[0]) for e in caught.value.errors]
    assert got == [(2, "is"), (3, "is"), (4, "stock:"), (5, "image_url:")]
    report = ingest_file(sql_store, "catalog", path, skip_invalid=True)
    assert report.written.inserted == 1
    assert sql_store.get_product("J1").attributes == {"ml": 500}


def test_parquet_orders_group_into_orders(sql_store: Store, tmp_path: Path) -> None:
    ingest_file(sql_store, "catalog", write(tmp_path, "c.csv", CATALOG_CSV),
                mapping("external_id=sku", "title=product_name"))  # fmt: skip
    table = pa.table(
        {
            "basket": ["o1", "o1", "o2", "o3"],
            "household": ["h1", "h1", "h2", "h1"],
            "when": ["2024-01-02T10:00:00", "2024-01-02T10:00:00", "2024-01-03", "2024-01-09"],
            "product_id": ["A1", "A2", "A1", "ZZ"],
            "quantity": [1, 2, 1, 1],
            "unit_price": [250000, 85000, 250000, 1],
        }
    )
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    m = ColumnMapping.parse(["order_id=basket", "customer_id=household", "placed_at=when"], [],
                           FIELDS["orders"])  # fmt: skip
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sql_store, "orders", path, m)
    assert [(e.line, e.reason) for e in caught.value.errors] == [(4, "unknown product_id 'ZZ'")]
    assert sql_store.counts()["orders"] == 0
    report = ingest_file(sql_store, "orders", path, m, skip_invalid=True)
    assert report.written == UpsertCounts(2, 0)
    orders = sql_store.orders_for("h1")
    assert [o.external_id for o in orders] == ["o1"]
    assert orders[0].total == Decimal("420000.00")
    assert sql_store.counts()["customers"] == 2


def test_order_lines_must_agree_with_their_order(sql_store: Store, tmp_path: Path) -> None:
    ingest_file(sql_store, "catalog", write(tmp_path, "c.csv", CATALOG_CSV),
                mapping("external_id=sku", "title=product_name"))  # fmt: skip
    text = (
        "order_id,customer_id,placed_at,product_id,quantity,unit_price\n"
        "o1,h1,2024-01-02,A1,1,10\n"
        "o1,h2,2024-01-02,A2,1,10\n"
        "o2,h1,yesterday,A2,0,10\n"
    )
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sql_store, "orders", write(tmp_path, "o.csv", text))
    reasons = {e.line: e.reason for e in caught.value.errors}
    assert set(reasons) == {2, 3, 4}
    assert "customer_id h2 differs" in reasons[3]
    assert "placed_at" in reasons[4]
    assert reasons[2] == "order 'o1' has an invalid line, so none of its lines is written"
    text += (
        "o3,h1,2024-01-05,A1,1,10\no3,h1,2024-01-05,A2,1,10\n"
        "o4,h1,2024-01-06,A1,x,10\no4,h1,2024-01-06,A3,1,5\n"
    )
    report = ingest_file(sql_store, "orders", write(tmp_path, "o.csv", text), skip_invalid=True)
    assert [o.external_id for o in sql_store.orders_for("h1")] == ["o3"]  # o1, o2, o4 are not half-written
    assert len(sql_store.orders_for("h1")[0].lines) == 2
    assert {e.line for e in report.invalid} == {2, 3, 4, 7, 8}


def test_thousands_with_dots_are_not_read_as_decimals(sql_store: Store, tmp_path: Path) -> None:
    text = "external_id,title,price\nD1,Kopi,85.000\nD2,Teh,12.50\n"
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sql_store, "catalog", write(tmp_path, "d.csv", text))
    assert [e.line for e in caught.value.errors] == [2]
    assert "85000, not 85.000" in caught.value.errors[0].reason


def test_reviews_need_known_products(sql_store: Store, tmp_path: Path) -> None:
    ingest_file(sql_store, "catalog", write(tmp_path, "c.csv", CATALOG_CSV),
                mapping("external_id=sku", "title=product_name"))  # fmt: skip
    text = "product_id,rating,text,date\nA1,5,mantap,2024-02-01\nA9,4,bagus,\nA2,7,wow,\n"
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sql_store, "reviews", write(tmp_path, "r.csv", text))
    assert [e.line for e in caught.value.errors] == [3, 4]
    report = ingest_file(sql_store, "reviews", write(tmp_path, "r.csv", text), skip_invalid=True)
    assert report.written.inserted == 1
    again = ingest_file(sql_store, "reviews", write(tmp_path, "r.csv", text), skip_invalid=True)
    assert again.written == UpsertCounts(0, 1)  # the derived review id is stable


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "empty or has no header"),
        ("latin1.csv", "external_id,title\nA,caf\xe9\n", "not UTF-8"),
        ("data.xlsx", "x", "cannot tell the format"),
        ("bad.parquet", "not parquet at all", "not a readable Parquet file"),
        ("header-only.csv", "external_id,title\n", "no rows"),
    ],
)
def test_unreadable_files_get_a_clear_error(
    sql_store: Store, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(InputError, match=message):
        ingest_file(sql_store, "catalog", path)


def test_mapping_errors_are_clear(sql_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown field 'titel'"):
        mapping("titel=name")
    with pytest.raises(InputError, match="expected FIELD=VALUE"):
        mapping("title")
    with pytest.raises(InputError, match="mapped column\\(s\\) not in the file: 'nama' \\(for title\\)"):
        ingest_file(sql_store, "catalog", write(tmp_path, "c.csv", CATALOG_CSV), mapping("title=nama"))
    with pytest.raises(InputError, match="no such file"):
        ingest_file(sql_store, "catalog", tmp_path / "missing.csv")
