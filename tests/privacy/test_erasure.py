"""Erasure leaves nothing: canary values for one customer, put everywhere hangat keeps things, are
gone from every text column of every table, every file under the data directory (the search
index, the recommendation model) and the logs — and the other customer is untouched.

Runs through the real app over HTTP, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from hangat.adapters.sql.tables import metadata
from hangat.assistant import Assistant, build_assistant
from hangat.domain.catalog import Product
from hangat.domain.customer import Customer, StaffMember
from hangat.domain.order import Order, OrderLine
from hangat.logs import configure_logging
from hangat.settings import Settings
from hangat.web import create_app

PRODUCTS = [
    Product("p1", "Millet for birds", "Organic millet.", ("Grocery", "Pets"), price=Decimal(30_000)),
    Product("p2", "Sepatu lari biru", "Ukuran 39-44.", ("Marketplace", "Sport"), price=Decimal(199_000)),
    Product("p3", "Jar opener easy-open", "Wide grip.", ("Home", "Kitchen"), price=Decimal(90_000)),
]


def canaries(tag: str) -> dict[str, str]:
    """Values that appear nowhere but where this customer put them."""
    return {
        "id": f"cust-{tag}-7731",
        "name": f"Canary{tag}Name",
        "email": f"canary.{tag}.7731@example.com",
        "phone": "+62 812-7731-00" + ("42" if tag == "ana" else "43"),
        "nik": "31712345678901" + ("23" if tag == "ana" else "24"),
        "life": f"Kiwi{tag}7731",  # a life fact: the brand of millet their parrot eats
        "tracking": f"JNE{tag.upper()}7731",
    }


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_over(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Assistant, TestClient, str]]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    settings = Settings(
        data_dir=tmp_path, database_url=url, embedder="hash", secret_key="erasure-test-secret"
    )
    configure_logging(settings)
    assistant = build_assistant(settings)
    assistant.store.upsert_products(PRODUCTS)
    assistant.refresh_index()
    with TestClient(create_app(assistant)) as client:
        yield assistant, client, url
    logging.getLogger().handlers = []
    assistant.close()


def _seed(assistant: Assistant, client: TestClient, tag: str) -> dict[str, str]:
    c = canaries(tag)
    store = assistant.store
    store.upsert_customers([Customer(c["id"], c["name"], "en", {"email": c["email"], "phone": c["phone"]})])
    placed = datetime.now(UTC) - timedelta(days=90)
    lines = (OrderLine("p1", 2, Decimal(30_000)), OrderLine("p2", 1, Decimal(199_000)))
    when = [placed + timedelta(days=10 * i) for i in range(8)]
    store.upsert_orders(
        [
            Order(f"o-{tag}-{i}", c["id"], d, lines[: 1 + i % 2], tracking=c["tracking"])
            for i, d in enumerate(when)
        ]
    )
    auth = {"Authorization": f"Bearer {assistant.customer_token(c['id'])}"}
    convo = f"web-{tag}-chat"
    said = [
        f"I always buy {c['life']} millet for my parrot",  # a preference: asked, then kept
        "yes",
        f"my email is {c['email']} and my NIK {c['nik']}, phone {c['phone']}",
        "talk to a person please",
    ]
    for i, text in enumerate(said):
        r = client.post(
            f"/api/conversations/{convo}/messages",
            json={"text": text},
            headers={**auth, "Idempotency-Key": f"{tag}-{i}"},
        )
        assert r.status_code == 200, r.text
    staff = StaffMember("staff-dewi", "Dewi")
    store.upsert_staff([staff])
    assistant.desk.claim(convo, staff)
    assistant.desk.reply(convo, staff, f"Noted {c['life']}, we will call {c['phone']}", f"{tag}-staff")
    assistant.desk.hand_back(convo, staff, note=f"likes {c['life']}")
    logging.getLogger("hangat.test").warning("conversation %s of %s needed a person", convo, c["id"])
    facts = client.get("/api/me", headers=auth).json()["facts"]
    assert any(c["life"] in f["value"] for f in facts), facts
    return c


def _everything(assistant: Assistant, url: str, data_dir: Path) -> str:
    """Every text value of every table, every file under the data directory, every log file."""
    parts: list[str] = []
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                parts.extend(str(v) for v in row)
    engine.dispose()
    for path in data_dir.rglob("*"):
        if path.is_file() and not path.name.endswith((".sqlite3-shm",)):
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_erasure_leaves_no_canary_anywhere(
    app_over: tuple[Assistant, TestClient, str], tmp_path: Path
) -> None:
    assistant, client, url = app_over
    ana = _seed(assistant, client, "ana")
    budi = _seed(assistant, client, "budi")
    assert assistant.train_recommender() == 2
    assistant.save_recommender()
    before = _everything(assistant, url, tmp_path)
    for c in (ana, budi):
        for kind in ("id", "life", "tracking", "name"):
            assert c[kind] in before, f"{kind} was never stored: the test would prove nothing"

    token = assistant.customer_token(ana["id"])
    erased = client.delete("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert erased.status_code == 200, erased.text
    done = erased.json()["erased"]
    assert done["customers"] == 1 and done["orders_deidentified"] == 8 and done["recommendation_model"] == 1
    assert done["log_lines"] >= 1
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 404

    after = _everything(assistant, url, tmp_path)
    left = {kind: value for kind, value in ana.items() if value in after}
    assert left == {}, f"canaries left after erasure: {left}"
    for kind in ("id", "life", "tracking", "name"):
        assert budi[kind] in after, f"the other customer's {kind} went too"
    # orders are kept for the store's books, without the person
    kept = [
        o for c in assistant.store.list_customers(limit=10) for o in assistant.store.orders_for(c.external_id)
    ]
    assert len(kept) == 16 and {o.tracking for o in kept} == {"", budi["tracking"]}
