"""The conversation over real HTTP: a checkout offer, the confirm button, and a forged token."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient

from hangat.assistant import build_assistant
from hangat.domain.catalog import Product
from hangat.settings import Settings
from hangat.web.app import create_app


def test_checkout_confirm_button_checks_the_token(tmp_path: Path) -> None:
    assistant = build_assistant(Settings(data_dir=tmp_path, embedder="none"))
    assistant.store.upsert_products(
        [Product("p1", "Kopi bubuk 200g", price=Decimal(35_000), rating=4.7, units_sold=900, language="id")]
    )
    with TestClient(create_app(assistant)) as client:
        url = "/api/conversations/web-1/messages"
        client.post(url, json={"text": "cari kopi bubuk"}, headers={"Idempotency-Key": "m1"})
        added = client.post(url, json={"text": "tambah ini ke keranjang"}, headers={"Idempotency-Key": "m2"})
        assert added.status_code == 200 and added.json()["actions"][0]["type"] == "cart_add"
        offer = client.post(url, json={"text": "checkout"}, headers={"Idempotency-Key": "m3"}).json()
        token = offer["actions"][0]["token"]
        assert offer["actions"][0]["confirm_required"] and offer["choices"]
        forged = client.post("/api/conversations/web-1/confirm", json={"token": token[:-4] + "0000"})
        assert forged.status_code == 200 and not forged.json()["actions"][0]["confirmed"]
        done = client.post("/api/conversations/web-1/confirm", json={"token": token})
        assert done.json()["actions"][0]["confirmed"] and "/checkout?cart=" in done.json()["reply"]["text"]
        bad = client.post("/api/conversations/web-1/confirm", json={"token": 5})
        assert bad.status_code == 422


def test_events_stream_as_sse_and_resume_after_the_last_id(tmp_path: Path, monkeypatch: object) -> None:
    from hangat.web import api

    monkeypatch.setattr(api, "STREAM_SECONDS", 1)  # type: ignore[attr-defined]
    assistant = build_assistant(Settings(data_dir=tmp_path, embedder="none"))
    assistant.store.upsert_products([Product("p1", "Kopi bubuk 200g", price=Decimal(35_000), language="id")])
    with TestClient(create_app(assistant)) as client:
        client.post(
            "/api/conversations/s1/messages", json={"text": "cari kopi"}, headers={"Idempotency-Key": "a"}
        )
        body = client.get("/api/conversations/s1/stream").text
        assert "id: 1\nevent: shopper_said\ndata: " in body and "event: assistant_said" in body
        last = max(int(line[4:]) for line in body.splitlines() if line.startswith("id: "))
        resumed = client.get("/api/conversations/s1/stream", headers={"Last-Event-ID": str(last)}).text
        assert "event:" not in resumed and ": keep-alive" in resumed
        assert client.get("/api/conversations/nope/stream").status_code == 404


def test_create_a_conversation_then_talk_in_it(tmp_path: Path) -> None:
    assistant = build_assistant(Settings(data_dir=tmp_path, embedder="none"))
    with TestClient(create_app(assistant)) as client:
        made = client.post("/api/conversations", json={"language": "id"})
        assert made.status_code == 201 and made.json()["language"] == "id"
        ident = made.json()["conversation_id"]
        reply = client.post(f"/api/conversations/{ident}/messages", json={"text": "halo"})
        assert reply.status_code == 200 and reply.json()["reply"]["language"] == "id"
        assert client.post("/api/conversations", json={"customer_id": "nobody"}).status_code == 401
        assert client.post("/api/conversations", json={"language": "fr"}).status_code == 422
