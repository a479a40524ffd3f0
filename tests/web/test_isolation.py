"""Access isolation: a shopper's requests never reach another shopper's memory, cart, conversation
or export — every endpoint, two shoppers, two stores (each with its own secret)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient

from hangat.assistant import Assistant, build_assistant
from hangat.domain.catalog import Product
from hangat.domain.customer import Customer
from hangat.privacy import tokens
from hangat.settings import Settings
from hangat.web import create_app

SHOES = Product("p1", "Sepatu lari biru", "Sol karet.", ("Marketplace", "Sport"), price=Decimal(199_000))


def _store(path: Path, secret: str) -> Assistant:
    a = build_assistant(Settings(data_dir=path, embedder="none", secret_key=secret))
    a.store.upsert_products([SHOES])
    a.store.upsert_customers([Customer("ana", "Ana"), Customer("budi", "Budi")])
    return a


@pytest.fixture
def shops(tmp_path: Path) -> Iterator[tuple[TestClient, TestClient, Assistant, Assistant]]:
    one, two = _store(tmp_path / "one", "store-one-secret"), _store(tmp_path / "two", "store-two-secret")
    with TestClient(create_app(one)) as c1, TestClient(create_app(two)) as c2:
        yield c1, c2, one, two
    one.close()
    two.close()


def bearer(a: Assistant, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {a.customer_token(who)}"}


def _chat(client: TestClient, convo: str, text: str, headers: dict[str, str], key: str) -> dict[str, object]:
    r = client.post(f"/api/conversations/{convo}/messages", json={"text": text},
                    headers={**headers, "Idempotency-Key": key})  # fmt: skip
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def _remembering(client: TestClient, a: Assistant, who: str, convo: str) -> str:
    """A conversation of ``who`` with a fact kept (size) and a product in the cart; the fact's id."""
    h = bearer(a, who)
    _chat(client, convo, "ukuran sepatu aku 39", h, f"{convo}-1")
    _chat(client, convo, "ya", h, f"{convo}-2")
    _chat(client, convo, "cari sepatu lari", h, f"{convo}-3")
    _chat(client, convo, "tambah yang pertama ke keranjang", h, f"{convo}-4")
    facts = client.get("/api/me", headers=h).json()["facts"]
    assert [f["value"] for f in facts] == ["39"]
    return str(facts[0]["id"])


def test_every_endpoint_keeps_shoppers_apart(
    shops: tuple[TestClient, TestClient, Assistant, Assistant],
) -> None:
    c1, _, one, _ = shops
    ana_fact = _remembering(c1, one, "ana", "c-ana")
    _remembering(c1, one, "budi", "c-budi")
    budi = bearer(one, "budi")

    # budi reaches none of ana's conversation: it does not exist for him
    for method, url, body in [
        ("get", "/api/conversations/c-ana/events", None),
        ("get", "/api/conversations/c-ana/stream", None),
        ("post", "/api/conversations/c-ana/messages", {"text": "apa yang kamu ingat tentang saya?"}),
        ("post", "/api/conversations/c-ana/confirm", {"token": "x" * 20}),
    ]:
        r = c1.request(method, url, json=body, headers=budi)
        assert r.status_code == 404, (url, r.status_code)
        r = c1.request(method, url, json=body)  # nor a guest
        assert r.status_code == 404, (url, r.status_code)
    # nor ana's facts, by id
    assert c1.patch(f"/api/me/facts/{ana_fact}", json={"value": "44"}, headers=budi).status_code == 404
    assert c1.delete(f"/api/me/facts/{ana_fact}", headers=budi).status_code == 404
    # a customer_id in the body that is not the token's is refused
    r = c1.post("/api/conversations/c-new/messages", json={"text": "hi", "customer_id": "ana"}, headers=budi)
    assert r.status_code == 403 and r.json()["message"]["en"] == "That belongs to another account."
    # his own card, export and erasure hold only him
    card = c1.get("/api/me", headers=budi).json()
    assert card["customer_id"] == "budi" and len(card["facts"]) == 1
    export = c1.get("/api/me/export", headers=budi).json()
    assert export["customer"]["id"] == "budi" and [c["id"] for c in export["conversations"]] == ["c-budi"]
    assert export["conversations"][0]["cart"] and "c-ana" not in str(export) and "'ana'" not in str(export)
    assert c1.delete("/api/me", headers=budi).status_code == 200
    # ana is untouched
    ana = bearer(one, "ana")
    assert [f["id"] for f in c1.get("/api/me", headers=ana).json()["facts"]] == [ana_fact]
    events = c1.get("/api/conversations/c-ana/events", headers=ana).json()
    assert any(e["kind"] == "cart_changed" for e in events)


def test_tokens_of_another_store_expired_or_forged_are_refused(
    shops: tuple[TestClient, TestClient, Assistant, Assistant],
) -> None:
    c1, c2, one, two = shops
    assert c2.get("/api/me", headers=bearer(one, "ana")).status_code == 401  # store one's token at store two
    assert c2.get("/api/me", headers=bearer(two, "ana")).status_code == 200
    assert c1.get("/api/me").status_code == 401
    key = one._customer_key
    now = datetime.now(UTC)
    expired = tokens.issue(key, "ana", now - timedelta(days=2), timedelta(hours=1))
    r = c1.get("/api/me", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and r.json()["message"]["id"].startswith("Sesi masuk")
    unsigned = jwt.encode(
        {"sub": "ana", "aud": "hangat", "exp": now + timedelta(hours=1)}, None, algorithm="none"
    )
    assert c1.get("/api/me", headers={"Authorization": f"Bearer {unsigned}"}).status_code == 401
    other_aud = jwt.encode(
        {"sub": "ana", "aud": "else", "exp": now + timedelta(hours=1)}, key, algorithm="HS256"
    )
    assert c1.get("/api/me", headers={"X-Hangat-Customer": other_aud}).status_code == 401
    assert c1.get("/api/me", headers={"X-Hangat-Customer": "x" * 5000}).status_code == 401
    # a customer this store does not know: signed correctly, still nobody
    ghost = tokens.issue(key, "ghost", now, timedelta(hours=1))
    assert c1.get("/api/me", headers={"Authorization": f"Bearer {ghost}"}).status_code == 404
