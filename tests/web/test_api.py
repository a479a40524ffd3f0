"""The HTTP API, through the real app on a real SQLite file."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hangat.assistant import Assistant


def test_healthz_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert "/api/products/search" in spec["paths"]
    assert "/api/conversations/{conversation_id}/messages" in spec["paths"]


def test_search_returns_results_with_reasons(client: TestClient) -> None:
    body = client.get("/api/products/search", params={"q": "sepatu"}).json()
    assert body["language"] == "id"
    assert [r["id"] for r in body["results"]] == ["tkp-1", "tkp-2"]  # a shoe before a shoe box
    assert body["results"][1]["price_text"] == "Rp6.385"
    assert body["results"][0]["reason"].startswith("Cocok dengan “sepatu”")
    coffee = client.get("/api/products/search", params={"q": "coffee", "lang": "en"}).json()
    assert [r["title"] for r in coffee["results"]] == ["Ground Coffee, 39 oz"]
    assert coffee["results"][0]["price_text"] == "$4.99"
    only = client.get("/api/products/search", params={"q": "sepatu", "category": "Marketplace > Sport"})
    assert [r["id"] for r in only.json()["results"]] == ["tkp-1"]


def test_search_applies_filters_from_words_and_parameters(client: TestClient) -> None:
    body = client.get("/api/products/search", params={"q": "sepatu di bawah 100 ribu"}).json()
    assert body["text"] == "sepatu"
    assert body["filters"] == [{"name": "price_max", "value": 100000.0}, {"name": "currency", "value": "IDR"}]
    assert [r["id"] for r in body["results"]] == ["tkp-2"]
    body = client.get("/api/products/search", params={"q": "sepatu", "min_rating": 4.75}).json()
    assert [r["id"] for r in body["results"]] == ["tkp-1"]
    assert {"name": "min_rating", "value": 4.75} in body["filters"]
    bad = client.get("/api/products/search", params={"q": "x", "price_max": "-1"})
    assert bad.status_code == 422


def test_search_never_fails_on_odd_input(client: TestClient) -> None:
    for q in ["", "🙂🙂", "'; DROP TABLE products; --", "<script>alert(1)</script>", "%_%", "x" * 5000]:
        response = client.get("/api/products/search", params={"q": q})
        assert response.status_code == 200, q
        assert isinstance(response.json()["results"], list)
    assert client.get("/api/products/search", params={"q": "x" * 10_001}).status_code == 422
    assert client.get("/api/products/search", params={"q": "a", "lang": "fr"}).status_code == 422
    assert client.get("/api/products/search", params={"q": "a", "limit": "many"}).status_code == 422
    assert client.get("/api/products/search", params={"q": "sepatu"}).json()["results"]  # still there


def test_product_detail_and_unknown_ids(client: TestClient) -> None:
    body = client.get("/api/products/tkp-1").json()
    assert body["product"]["title"] == "Sepatu Lari Pria Ringan"
    assert body["reviews"][0]["text"] == "Mantap, ringan sekali"
    missing = client.get("/api/products/nope")
    assert missing.status_code == 404
    assert missing.json() == {"error": "NotFound", "detail": "unknown product: 'nope'"}


def test_categories_and_no_customer_list_for_a_real_store(client: TestClient) -> None:
    names = [c["name"] for c in client.get("/api/categories", params={"depth": 1}).json()]
    assert names == ["Grocery", "Marketplace"]
    for url in ("/api/customers", "/api/customers/cj-h1"):  # only the demo's picker lists shoppers
        assert client.get(url).status_code == 404
    assert client.post("/api/sign-in", json={"customer_id": "cj-h1"}).status_code == 404


def test_message_answers_in_the_shoppers_language(client: TestClient) -> None:
    r = client.post("/api/conversations/c1/messages", json={"text": "saya cari sepatu lari"})
    assert r.status_code == 200
    body = r.json()
    assert body["reply"]["language"] == "id"
    assert body["reply"]["text"].endswith(
        f"Ini {len(body['products'])} produk yang cocok dengan “saya cari sepatu lari”."
    )
    assert [p["id"] for p in body["products"][:2]] == ["tkp-1", "tkp-2"]  # both words, then one
    r = client.post("/api/conversations/c1/messages", json={"text": "I want coffee", "language": "id"})
    assert r.json()["reply"]["language"] == "en"  # the shopper's language beats the page's
    assert r.json()["reply"]["text"] == "Here is one product that matches “I want coffee”."
    assert r.json()["products"][0]["id"] == "cj-1"
    kinds = [e["kind"] for e in client.get("/api/conversations/c1/events").json()]
    assert kinds == ["shopper_said", "products_shown", "assistant_said"] * 2


def test_a_message_sent_twice_is_stored_once(client: TestClient, assistant: Assistant) -> None:
    headers = {"Idempotency-Key": "msg-123"}
    first = client.post("/api/conversations/c2/messages", json={"text": "kopi?"}, headers=headers)
    again = client.post("/api/conversations/c2/messages", json={"text": "kopi?"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["reply"] == first.json()["reply"]
    assert again.json()["products"] == first.json()["products"]
    assert len(assistant.store.events("c2")) == len(first.json()["event_seqs"])


def test_bad_messages_get_clear_errors_and_nothing_is_stored(
    client: TestClient, assistant: Assistant
) -> None:
    url = "/api/conversations/c3/messages"
    too_long = client.post(url, json={"text": "a" * 501, "language": "id"})
    assert too_long.status_code == 413
    assert "terlalu panjang" in too_long.json()["detail"]
    assert client.post(url, json={"text": "   "}).status_code == 422
    assert client.post(url, json={"text": 42}).status_code == 422
    assert (
        client.post(url, content=b"{not json", headers={"content-type": "application/json"}).status_code
        == 422
    )
    unsigned = client.post(url, json={"text": "hi", "customer_id": "cj-h1"})  # a customer needs a token
    assert unsigned.status_code == 401 and unsigned.json()["message"]["id"].startswith("Silakan masuk")
    bad_id = client.post("/api/conversations/has%20space/messages", json={"text": "hi"})
    assert bad_id.status_code == 422 and "conversation id" in bad_id.json()["detail"]
    long_key = client.post(url, json={"text": "hi"}, headers={"Idempotency-Key": "k" * 181})
    assert long_key.status_code == 422
    assert client.get("/api/conversations/c3/events").status_code == 404  # never created


def test_security_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"


def test_every_message_is_understood_and_the_reading_is_stored(
    client: TestClient, assistant: Assistant
) -> None:
    r = client.post("/api/conversations/c9/messages", json={"text": "halo kak"})
    assert r.json()["products"] == []  # a greeting is answered, not searched
    client.post(
        "/api/conversations/c9/messages",
        json={"text": "ini ketiga kalinya paket saya hilang!!! kecewa banget, mau refund"},
    )
    said = [e for e in assistant.store.events("c9") if e.kind.value == "shopper_said"]
    first, second = (e.payload["understanding"] for e in said)
    assert first["intents"][0][0] == "greeting"
    assert {"complaint", "return_refund"} & {name for name, _ in second["intents"]}
    assert "repeated_failure" in {name for name, _ in second["stakes"]}
    assert second["emotion"]["state"] != "neutral" and second["emotion"]["trend"] == "rising"


def test_a_request_search_cannot_serve_gets_an_honest_answer_not_products(client: TestClient) -> None:
    r = client.post("/api/conversations/c10/messages", json={"text": "saya mau bicara dengan CS sekarang"})
    body = r.json()
    assert body["products"] == []
    assert body["handoff"] is not None and body["handoff"]["requested"]  # a person, not products
    r = client.post("/api/conversations/c11/messages", json={"text": "where is my order? it's been a week"})
    assert r.json()["products"] == [] and "sign in" in r.json()["reply"]["text"].lower()


def test_a_misspelt_search_finds_the_product_and_says_how_it_read_the_words(client: TestClient) -> None:
    body = client.get("/api/products/search", params={"q": "spatu", "lang": "id"}).json()
    assert body["read_as"] == "sepatu"
    assert "tkp-1" in [r["id"] for r in body["results"]]
    exact = client.get("/api/products/search", params={"q": "sepatu"}).json()
    assert exact["read_as"] is None
