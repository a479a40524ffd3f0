"""The staff console over real HTTP: sign-in, CSRF, the queue, claim / reply / hand back, a lost
claim, escaping of shopper text, and the bot's silence while a person owns the conversation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from hangat.assistant import Assistant, build_assistant
from hangat.domain.catalog import Product
from hangat.domain.conversation import EventKind, fold
from hangat.settings import Settings
from hangat.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def assistant(tmp_path: Path) -> Iterator[Assistant]:
    a = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="k"))
    a.store.upsert_products([Product("p1", "Kopi bubuk 200g", price=Decimal(35_000), language="id")])
    a.accounts.add("staff-dewi", "Dewi", PASSWORD)
    a.accounts.add("staff-budi", "Budi", PASSWORD, role="admin")
    yield a
    a.close()


def sign_in(client: TestClient, staff: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token read from the queue page."""
    page = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    done = client.post(
        "/console/login", data={"staff_id": staff, "password": password, "csrf": token.group(1)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303, done.text
    queue = client.get("/console")
    found = re.search(r'name="csrf" value="([^"]+)"', queue.text)
    assert found is not None
    return found.group(1)


def ask_for_person(client: TestClient, conversation: str, text: str = "saya mau bicara dengan orang") -> None:
    url = f"/api/conversations/{conversation}/messages"
    reply = client.post(url, json={"text": text}, headers={"Idempotency-Key": f"{conversation}-ask"})
    assert reply.status_code == 200 and reply.json()["handoff"]["requested"]


def test_sign_in_needs_the_right_password_and_the_form_token(assistant: Assistant) -> None:
    with TestClient(create_app(assistant)) as client:
        assert client.get("/console", follow_redirects=False).headers["location"] == "/console/login"
        page = client.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        wrong = client.post(
            "/console/login", data={"staff_id": "staff-dewi", "password": "nope", "csrf": token}
        )
        assert wrong.status_code == 401 and "Wrong staff id or password" in wrong.text
        forged = client.post(
            "/console/login", data={"staff_id": "staff-dewi", "password": PASSWORD, "csrf": "x"}
        )
        assert forged.status_code == 400
        sign_in(client, "staff-dewi")
        cookie = client.cookies.get("hangat_staff")
        assert cookie and assistant.store.get_session is not None
        assert (
            "HttpOnly" in page.headers.get("set-cookie", "")
            and "SameSite=strict" in page.headers["set-cookie"]
        )


def test_queue_claim_reply_and_hand_back(assistant: Assistant) -> None:
    with TestClient(create_app(assistant)) as shop, TestClient(create_app(assistant)) as desk:
        ask_for_person(shop, "c-1")
        csrf = sign_in(desk, "staff-dewi")
        queue = desk.get("/console").text
        assert "c-1" in queue and "asked for a person" in queue and "saya mau bicara dengan orang" in queue
        refused = desk.post("/console/c/c-1/claim", data={"csrf": "wrong"}, follow_redirects=False)
        assert refused.headers["location"].endswith("m=form_expired")
        assert assistant.store.handoff("c-1").state == "queued"  # type: ignore[union-attr]
        claimed = desk.post("/console/c/c-1/claim", data={"csrf": csrf}, follow_redirects=True)
        assert "You have this conversation" in claimed.text and "Handoff packet" in claimed.text
        quiet = shop.post(
            "/api/conversations/c-1/messages",
            json={"text": "halo? cari kopi"},
            headers={"Idempotency-Key": "q"},
        ).json()
        assert quiet["silent"] is True
        key = re.search(r'name="key" value="([^"]+)"', claimed.text).group(1)  # type: ignore[union-attr]
        for _ in range(2):  # a double submit stores one reply
            desk.post("/console/c/c-1/reply", data={"csrf": csrf, "key": key, "text": "Halo, saya Dewi."})
        events = assistant.store.events("c-1")
        staff_said = [e for e in events if e.kind is EventKind.STAFF_SAID]
        assert [e.payload["text"] for e in staff_said] == ["Halo, saya Dewi."]
        assert staff_said[0].payload["name"] == "Dewi"
        desk.post(
            "/console/c/c-1/hand-back", data={"csrf": csrf, "note": "Diskon 10% untuk 60 pcs disetujui"}
        )
        state = fold(assistant.store.events("c-1"))
        assert state.owner == "bot" and "shopper_asked" in state.settled
        told = [e for e in assistant.store.events("c-1") if e.payload.get("from_desk")]
        assert "Diskon 10% untuk 60 pcs disetujui" in told[-1].payload["text"]
        again = shop.post(
            "/api/conversations/c-1/messages",
            json={"text": "cari kopi bubuk"},
            headers={"Idempotency-Key": "r"},
        ).json()
        assert not again["silent"] and again["products"]
        h = assistant.store.handoff("c-1")
        assert h is not None and h.requested_at and h.claimed_at and h.first_reply_at and h.closed_at


def test_the_second_agent_is_told_at_once_who_won(assistant: Assistant) -> None:
    app = create_app(assistant)
    with TestClient(app) as shop, TestClient(app) as dewi, TestClient(app) as budi:
        ask_for_person(shop, "c-2")
        a, b = sign_in(dewi, "staff-dewi"), sign_in(budi, "staff-budi")
        dewi.post("/console/c/c-2/claim", data={"csrf": a})
        lost = budi.post("/console/c/c-2/claim", data={"csrf": b}, follow_redirects=True)
        assert "Dewi claimed this conversation first" in lost.text
        sent = budi.post(
            "/console/c/c-2/reply", data={"csrf": b, "key": "k1", "text": "hi"}, follow_redirects=True
        )
        assert "You don&#39;t own this conversation" in sent.text or "You don't own" in sent.text
        assert not [e for e in assistant.store.events("c-2") if e.kind is EventKind.STAFF_SAID]


class Tags(HTMLParser):
    """The elements a browser would build from a page: scripts, event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str | None] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs).get("src"))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if value and value.strip().lower().startswith("javascript:"):
                self.js_urls.append(f"{tag} {name}")


def test_shopper_text_is_escaped_in_the_console(assistant: Assistant) -> None:
    from shared_data import xss_payloads

    payloads = xss_payloads()[:60]
    with TestClient(create_app(assistant)) as shop, TestClient(create_app(assistant)) as desk:
        csrf = sign_in(desk, "staff-dewi")
        for i, payload in enumerate(payloads):
            conv = f"x-{i}"
            shop.post(
                f"/api/conversations/{conv}/messages", json={"text": payload[:900]},
                headers={"Idempotency-Key": f"{conv}-1"},
            )  # fmt: skip
            shop.post(
                f"/api/conversations/{conv}/messages", json={"text": "I want to talk to a person"},
                headers={"Idempotency-Key": f"{conv}-2"},
            )  # fmt: skip
            assert assistant.store.handoff(conv) is not None
        queue = desk.get("/console").text
        desk.post("/console/c/x-0/claim", data={"csrf": csrf})
        pages = [queue] + [desk.get(f"/console/c/x-{i}").text for i in range(len(payloads))]
        for payload, page in zip(payloads, pages[1:], strict=True):
            assert str(escape(payload[:900])) in page  # shown, as text
        for page in pages:
            tags = Tags()
            tags.feed(page)
            assert tags.scripts == ["/static/console.js"], tags.scripts
            assert tags.handlers == [] and tags.js_urls == []


def test_a_configured_language_model_drafts_a_reply_the_person_must_approve(assistant: Assistant) -> None:
    from hangat.adapters.llm.fake import FakeLanguageModel

    model = FakeLanguageModel(reply="Halo, saya Dewi. Kopi bubuk 200g ada, harganya Rp35.000.")
    assistant.model = model
    with TestClient(create_app(assistant)) as shop, TestClient(create_app(assistant)) as desk:
        ask_for_person(shop, "c-lm")
        csrf = sign_in(desk, "staff-dewi")
        page = desk.post("/console/c/c-lm/claim", data={"csrf": csrf}, follow_redirects=True).text
        assert "Kopi bubuk 200g ada, harganya Rp35.000." in page  # offered as a draft
        prompt = model.calls[-1][1].content
        assert "saya mau bicara dengan orang" in prompt and "<draft>" in prompt
        assert not [e for e in assistant.store.events("c-lm") if e.kind is EventKind.STAFF_SAID]  # not sent


def test_an_admin_can_close_a_conversation_an_agent_left_claimed(assistant: Assistant) -> None:
    app = create_app(assistant)
    with TestClient(app) as shop, TestClient(app) as dewi, TestClient(app) as budi:
        ask_for_person(shop, "c-admin")
        a, b = sign_in(dewi, "staff-dewi"), sign_in(budi, "staff-budi")  # Budi is an admin
        dewi.post("/console/c/c-admin/claim", data={"csrf": a})
        page = budi.get("/console/c/c-admin").text
        assert "Hand back to the assistant" in page and "Claimed by Dewi" in page
        budi.post("/console/c/c-admin/hand-back", data={"csrf": b, "note": "Dewi's shift ended"})
        back = [e for e in assistant.store.events("c-admin") if e.kind is EventKind.HANDOFF_RETURNED][-1]
        assert back.payload["by"] == "staff-budi" and back.payload["staff_id"] == "staff-dewi"
        assert fold(assistant.store.events("c-admin")).owner == "bot"
        ask_for_person(shop, "c-agent")
        dewi.post("/console/c/c-agent/claim", data={"csrf": a})
        ask_for_person(shop, "c-agent2")
        budi.post("/console/c/c-agent2/claim", data={"csrf": b})
        assert "Hand back to the assistant" not in dewi.get("/console/c/c-agent2").text  # agents cannot


def test_a_queue_longer_than_the_page_says_more_are_waiting(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hangat.handoff import desk as desk_module
    from hangat.web import console as console_module

    monkeypatch.setattr(desk_module, "QUEUE_LIMIT", 2)
    monkeypatch.setattr(console_module, "QUEUE_LIMIT", 2)
    with TestClient(create_app(assistant)) as shop, TestClient(create_app(assistant)) as desk:
        for n in (1, 2):
            ask_for_person(shop, f"q-{n}")
        sign_in(desk, "staff-dewi")
        assert "More shoppers are waiting" not in desk.get("/console").text  # two fit on the page
        ask_for_person(shop, "q-3")
        page = desk.get("/console").text
        assert "More shoppers are waiting than these 2" in page
        assert page.count('class="waiting"') == 2 and "q-1" in page and "q-3" not in page  # longest first
        indonesian = desk.get("/console", params={"lang": "id"}).text
        assert "Masih ada pembeli lain yang menunggu selain 2 ini" in indonesian


def test_the_packet_shows_the_memory_card_and_a_note_needs_the_shoppers_consent(assistant: Assistant) -> None:
    from hangat.domain.customer import Customer

    assistant.store.upsert_customers([Customer("ana", "Ana", "id"), Customer("budi", "Budi", "id")])
    with TestClient(create_app(assistant)) as shop, TestClient(create_app(assistant)) as desk:
        for who in ("ana", "budi"):
            assistant.rights.consent(who, "personalisation", who == "ana", "id", "api")
            auth = {"Authorization": f"Bearer {assistant.customer_token(who)}"}
            said = ["ukuran sepatu aku 39", "saya mau bicara dengan orang"]
            for i, text in enumerate(said):
                r = shop.post(f"/api/conversations/c-{who}/messages", json={"text": text},
                              headers={**auth, "Idempotency-Key": f"{who}-{i}"})  # fmt: skip
                assert r.status_code == 200, r.text
        csrf = sign_in(desk, "staff-dewi")
        page = desk.post("/console/c/c-ana/claim", data={"csrf": csrf}, follow_redirects=True).text
        assert "What hangat remembers about them" in page and "Size: 39" in page
        noted = {"csrf": csrf, "note": "Prefers delivery after 5pm"}
        kept = desk.post("/console/c/c-ana/memory-note", data=noted, follow_redirects=True)
        assert "The note is on their memory card." in kept.text
        card = shop.get(
            "/api/me", headers={"Authorization": f"Bearer {assistant.customer_token('ana')}"}
        ).json()
        note = [f for f in card["facts"] if f["kind"] == "note"]
        assert (
            note
            and note[0]["author"] == "staff:staff-dewi"
            and note[0]["value"] == "Prefers delivery after 5pm"
        )
        refused = desk.post(
            "/console/c/c-budi/memory-note", data={"csrf": csrf, "note": "VIP"}, follow_redirects=True
        )
        assert "has not allowed tailored suggestions" in refused.text
        assert assistant.store.facts("budi") == []
        forged = desk.post(
            "/console/c/c-ana/memory-note", data={"csrf": "wrong", "note": "x"}, follow_redirects=False
        )
        assert forged.headers["location"].endswith("m=form_expired")
