"""The embeddable widget's server side: its configuration, the public key on cross-site requests,
CORS, and the Content-Security-Policy of hangat's own pages — through the real app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hangat.assistant import Assistant
from hangat.errors import ConfigError
from hangat.settings import Settings
from hangat.web import create_app

SHOP = "https://toko.example"
KEY = {"X-Hangat-Key": "pk_demo"}


def test_the_config_gives_both_languages_to_the_right_key_only(client: TestClient) -> None:
    body = client.get("/api/widget/config", params={"key": "pk_demo"}).json()
    assert body["store_name"] == "hangat demo store" and body["languages"] == ["en", "id"]
    assert body["strings"]["en"]["chat.person_button"] == "Talk to a person"
    assert body["strings"]["id"]["chat.person_button"] != body["strings"]["en"]["chat.person_button"]
    assert set(body["strings"]["en"]) == set(body["strings"]["id"])
    assert body["image_hosts"] == []
    wrong = client.get("/api/widget/config", params={"key": "pk_other"})
    assert wrong.status_code == 403
    assert "widget key" in wrong.json()["detail"] and "Kunci widget" in wrong.json()["detail"]


def test_a_cross_site_request_needs_the_key_and_gets_cors_headers(client: TestClient) -> None:
    path = "/api/conversations/widget-t1/messages"
    body = {"text": "cari sepatu", "language": "id"}
    refused = client.post(path, json=body, headers={"Origin": SHOP, "Idempotency-Key": "k1"})
    assert refused.status_code == 403
    assert refused.headers["access-control-allow-origin"] == "*"  # the widget can read the refusal
    assert client.get("/api/conversations/widget-t1/events").status_code == 404  # nothing was stored
    ok = client.post(path, json=body, headers={"Origin": SHOP, "Idempotency-Key": "k1", **KEY})
    assert ok.status_code == 200, ok.text
    assert ok.json()["products"] and ok.headers["access-control-allow-origin"] == "*"
    stream_key = client.get("/api/conversations/widget-t1/events", params={"key": "pk_demo"},
                            headers={"Origin": SHOP})  # fmt: skip
    assert stream_key.status_code == 200 and len(stream_key.json()) >= 2


def test_the_preflight_allows_the_widget_headers(client: TestClient) -> None:
    response = client.options(
        "/api/conversations/widget-t2/messages",
        headers={
            "Origin": SHOP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,idempotency-key,x-hangat-key",
        },
    )
    assert response.status_code == 200
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "x-hangat-key" in allowed and "idempotency-key" in allowed
    assert "access-control-allow-credentials" not in response.headers  # no cookies across sites


def test_same_site_requests_need_no_key(client: TestClient) -> None:
    response = client.get(
        "/api/products/search", params={"q": "sepatu"}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 200


@pytest.fixture
def strict(assistant: Assistant) -> Iterator[TestClient]:
    """The app with the widget allowed on one site only and images from one host."""
    assistant.settings = replace(
        assistant.settings, widget_origins=f"{SHOP}, https://www.toko.example", image_hosts="cdn.toko.example"
    )
    with TestClient(create_app(assistant)) as c:
        yield c


def test_only_the_stores_sites_may_embed_it(strict: TestClient) -> None:
    ok = strict.get("/api/products/search", params={"q": "sepatu"}, headers={"Origin": SHOP, **KEY})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == SHOP
    other = strict.get(
        "/api/products/search", params={"q": "sepatu"}, headers={"Origin": "https://evil.example", **KEY}
    )
    assert other.status_code == 403 and "access-control-allow-origin" not in other.headers


def test_no_image_hosts_means_images_only_from_hangat(client: TestClient) -> None:
    assert "img-src 'self' data:;" in client.get("/").headers["content-security-policy"]


def test_images_only_from_the_allow_listed_hosts(strict: TestClient) -> None:
    policy = strict.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: https://cdn.toko.example;" in policy
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert strict.get("/api/widget/config", params={"key": "pk_demo"}).json()["image_hosts"] == [
        "cdn.toko.example"
    ]


def test_the_demo_page_embeds_the_widget_with_one_tag(client: TestClient) -> None:
    page = client.get("/widget-demo", params={"lang": "id"}).text
    assert '<script src="/static/widget.js" data-key="pk_demo"' in page and '<html lang="id">' in page
    script = client.get("/static/widget.js")
    assert script.status_code == 200 and "attachShadow" in script.text and "innerHTML" not in script.text
    assert client.get("/static/widget.css").status_code == 200


def test_without_a_key_the_widget_is_off(assistant: Assistant) -> None:
    assistant.settings = replace(assistant.settings, widget_key="")
    with TestClient(create_app(assistant)) as c:
        assert c.get("/api/widget/config", params={"key": ""}).status_code == 403
        cross = c.get("/api/products/search", params={"q": "x"}, headers={"Origin": SHOP, "X-Hangat-Key": ""})
        assert cross.status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("widget_key", "secret"),
        ("widget_key", "pk_<script>"),
        ("widget_origins", "toko.example"),
        ("widget_origins", "https://toko.example/path"),
        ("image_hosts", "https://cdn.example"),
    ],
)
def test_bad_widget_settings_are_refused(tmp_path: Path, field: str, value: str) -> None:
    with pytest.raises(ConfigError, match=field):
        Settings(data_dir=tmp_path, **{field: value})  # type: ignore[arg-type]
