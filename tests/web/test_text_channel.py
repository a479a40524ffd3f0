"""The text channel over real HTTP on a real SQLite file: signed requests only, a provider's retry
answered once, replies in ≤ 320-character parts with numbered products, "2" picking a product."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hangat.adapters.webhooks import sign
from hangat.assistant import Assistant, build_assistant
from hangat.domain.catalog import Product
from hangat.domain.conversation import EventKind, NewEvent, fold
from hangat.domain.customer import StaffMember
from hangat.settings import Settings
from hangat.text_channel import TextChannel
from hangat.web import create_app

SECRET = "provider-shared-secret-1234"
URL = "/channel/text/inbound"
PHONE = "081234567890"
PRODUCTS = [
    Product("k1", "Kopi Kapal Api 165g", "Kopi bubuk hitam, aroma kuat.", ("Grocery", "Coffee"), "Kapal Api",
            Decimal(12_500), "IDR", rating=4.8, units_sold=5000, language="id"),
    Product("k2", "Kopi Bubuk Excelso 200g", "Kopi robusta pilihan.", ("Grocery", "Coffee"), "Excelso",
            Decimal(38_000), "IDR", rating=4.6, units_sold=900, language="id"),
    Product("e1", "Ground Coffee Medium Roast 340g", "Smooth, balanced ground coffee.", ("Grocery", "Coffee"),
            "Folgers", Decimal("7.49"), "USD", rating=4.8, units_sold=300, language="en"),
    Product("e2", "Whole Bean Coffee Dark Roast 1kg", "Bold beans.", ("Grocery", "Coffee"), "Lavazza",
            Decimal("19.99"), "USD", rating=4.4, units_sold=120, language="en"),
]  # fmt: skip


def make(tmp_path: Path, secret: str = SECRET) -> Assistant:
    settings = Settings(data_dir=tmp_path, embedder="none", secret_key="k", text_channel_secret=secret)
    assistant = build_assistant(settings)
    assistant.store.upsert_products(PRODUCTS)
    assistant.refresh_index()
    return assistant


@pytest.fixture
def channel_assistant(tmp_path: Path) -> Iterator[Assistant]:
    a = make(tmp_path)
    yield a
    a.close()


@pytest.fixture
def client(channel_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(channel_assistant)) as c:
        yield c


def body_of(text: str, message_id: str, sender: str = PHONE, **more: Any) -> bytes:
    fields = {"message_id": message_id, "from": sender, "text": text, "timestamp": int(time.time()), **more}
    return json.dumps(fields, ensure_ascii=False).encode("utf-8")


def post(client: TestClient, body: bytes, at: int | None = None, signature: str | None = None) -> Any:
    ts = int(time.time()) if at is None else at
    headers = {"Content-Type": "application/json", "X-Hangat-Timestamp": str(ts)}
    headers["X-Hangat-Signature"] = signature if signature is not None else sign(SECRET.encode(), ts, body)
    return client.post(URL, content=body, headers=headers)


def send(client: TestClient, text: str, message_id: str, sender: str = PHONE, **more: Any) -> dict[str, Any]:
    response = post(client, body_of(text, message_id, sender, **more))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert all(len(p) <= 320 for p in answer["parts"]), answer["parts"]
    return answer


def lines(answer: dict[str, Any]) -> list[str]:
    return [line for part in answer["parts"] for line in part.splitlines()]


def test_only_signed_fresh_requests_are_answered_and_refused_ones_store_nothing(
    client: TestClient, channel_assistant: Assistant
) -> None:
    body = body_of("cari kopi", "m1")
    now = int(time.time())
    refused = [
        post(client, body, signature=sign(b"another-secret-of-16+", now, body)),  # wrong key
        post(client, body, signature=sign(SECRET.encode(), now, body + b" ")),  # another body
        post(client, body, at=now - 400),  # stale (the limit is 300 s; a slow run must not cross it)
        post(client, body, at=now + 400),  # from the future
        post(client, body, signature=""),  # missing
        client.post(URL, content=body, headers={"Content-Type": "application/json"}),  # no headers at all
    ]
    assert [r.status_code for r in refused] == [401] * 6
    assert refused[0].json() == {"error": "Unauthorized", "detail": "bad, missing or stale signature"}
    assert channel_assistant.store.counts()["conversation_events"] == 0
    assert channel_assistant.store.counts()["conversations"] == 0
    assert post(client, body).status_code == 200
    assert channel_assistant.store.counts()["conversations"] == 1


def test_a_retry_of_the_same_message_id_returns_the_same_parts_and_stores_nothing_twice(
    client: TestClient, channel_assistant: Assistant
) -> None:
    first = send(client, "cari kopi", "SMabc123")
    stored = channel_assistant.store.events(first["conversation_id"])
    again = send(client, "cari kopi", "SMabc123")
    assert again["parts"] == first["parts"] and again["replayed"] and not first["replayed"]
    assert channel_assistant.store.events(first["conversation_id"]) == stored
    picked = send(client, "2", "wamid.HBg/LNjI=")  # an id with characters keys may not hold
    stored = channel_assistant.store.events(first["conversation_id"])
    assert send(client, "2", "wamid.HBg/LNjI=")["parts"] == picked["parts"]
    assert channel_assistant.store.events(first["conversation_id"]) == stored


def test_the_conversation_is_the_phone_numbers_without_the_number_in_it(
    client: TestClient, channel_assistant: Assistant
) -> None:
    one = send(client, "cari kopi", "a1", "081234567890")
    same = send(client, "halo", "a2", "+62 812-3456-7890")
    other = send(client, "halo", "a3", "+14155550100")
    assert one["to"] == same["to"] == "+6281234567890" and other["to"] == "+14155550100"
    assert one["conversation_id"] == same["conversation_id"] != other["conversation_id"]
    assert one["conversation_id"].startswith("sms-") and "1234567890" not in one["conversation_id"]
    events = channel_assistant.store.events(one["conversation_id"])
    assert "1234567890" not in json.dumps([e.payload for e in events])
    assert TextChannel(channel_assistant).conversation_id("081234567890") == one["conversation_id"]
    bad = post(client, body_of("halo", "a4", "not a number"))
    assert bad.status_code == 422


def test_products_are_numbered_lines_with_price_and_rating_in_the_shoppers_language(
    client: TestClient,
) -> None:
    indonesian = lines(send(client, "cari kopi kapal api", "i1", "081111111111"))
    assert indonesian[1].startswith("Ini ") and indonesian[2] == "1. Kopi Kapal Api 165g — Rp12.500 ⭐4,8"
    assert all(re.fullmatch(r"\d\. .+ — (Rp|US\$)[\d.,]+ ⭐\d,\d", line) for line in indonesian[2:])
    english = lines(send(client, "I am looking for coffee", "e1", "082222222222"))
    assert "1. Ground Coffee Medium Roast 340g — $7.49 ⭐4.8" in english
    assert "2. Whole Bean Coffee Dark Roast 1kg — $19.99 ⭐4.4" in english
    assert all(re.fullmatch(r"\d\. .+ — (Rp|\$)[\d.,]+ ⭐\d\.\d", line) for line in english[2:])
    assert english[0] == "I'm hangat, this store's AI assistant."


def test_two_picks_the_second_product_and_add_to_cart_then_means_it(
    client: TestClient, channel_assistant: Assistant
) -> None:
    listed = lines(send(client, "cari kopi bubuk", "s1"))
    second = next(line for line in listed if line.startswith("2. "))
    title = second[3:].split(" — ")[0]
    product = next(p for p in PRODUCTS if p.title == title)
    picked = send(client, "2", "s2")
    text = picked["parts"][0]
    assert text.startswith(f"2. {title}\n") and product.description in text
    assert "Ditampilkan karena: Cocok dengan “kopi" in text and "Balas “masukkan ke keranjang”" in text
    cid = picked["conversation_id"]
    events = channel_assistant.store.events(cid)
    focused = [e for e in events if e.kind is EventKind.PRODUCT_FOCUSED]
    assert [e.payload["product_id"] for e in focused] == [product.external_id]
    assert [e.payload["text"] for e in events if e.kind is EventKind.SHOPPER_SAID][-1] == "2"
    first = send(client, "nomor 1", "s3")  # the same list, still
    assert first["parts"][0].startswith("1. ") and first["parts"][0] != text
    send(client, "#2", "s4")
    added = send(client, "masukkan ke keranjang", "s5")
    cart = fold(channel_assistant.store.events(cid)).cart
    assert [(line.product_id, line.quantity) for line in cart.lines] == [(product.external_id, 1)]
    assert "masuk keranjang" in added["parts"][0]


def test_a_pending_checkout_still_takes_ya_and_its_quick_replies_take_numbers(
    client: TestClient, channel_assistant: Assistant
) -> None:
    send(client, "cari kopi bubuk", "c1")
    send(client, "1", "c2")
    added = lines(send(client, "masukkan ke keranjang", "c3"))
    assert added[-1] == "Balas 2 untuk “Checkout”."
    offer = lines(send(client, "2", "c4"))  # the quick reply numbered 2: "Checkout"
    assert offer[-2:] == ["Balas 1 untuk “Ya, ke pembayaran”.", "Balas 2 untuk “Nanti dulu”."]
    done = send(client, "ya", "c5")
    assert "/checkout?cart=" in done["parts"][0]
    events = channel_assistant.store.events(done["conversation_id"])
    assert [e.kind for e in events].count(EventKind.CHECKOUT_CONFIRMED) == 1
    send(client, "checkout", "c6")
    by_number = send(client, "1", "c7")  # "Ya, ke pembayaran" by its number
    assert "/checkout?cart=" in by_number["parts"][0]
    events = channel_assistant.store.events(done["conversation_id"])
    assert [e.kind for e in events].count(EventKind.CHECKOUT_CONFIRMED) == 2
    said = [e.payload["text"] for e in events if e.kind is EventKind.SHOPPER_SAID]
    assert said[-1] == "Ya, ke pembayaran"  # the number is stored as the words it stood for


def test_service_slots_keep_their_own_numbers(client: TestClient, channel_assistant: Assistant) -> None:
    channel_assistant.store.upsert_staff(
        [StaffMember("staff-budi", "Budi"), StaffMember("staff-sarah", "Sarah")]
    )
    send(client, "cari kopi bubuk", "b1")
    offer = lines(send(client, "saya mau booking setup laptop", "b2"))
    assert "2. " in offer[0] and not any(line.startswith("Balas 1 untuk") for line in offer)
    booked = send(client, "2", "b3")
    events = channel_assistant.store.events(booked["conversation_id"])
    assert [e.kind for e in events].count(EventKind.SERVICE_BOOKED) == 1
    assert not any(e.kind is EventKind.PRODUCT_FOCUSED for e in events)


POLICY_ID = (
    "Barang yang belum dipakai dan masih dalam kemasan aslinya bisa dikembalikan dalam 30 hari setelah "
    "diterima, termasuk perlengkapan dapur, pakaian, sepatu, mainan anak, alat tulis dan elektronik kecil. "
    "Untuk elektronik, sertakan kartu garansi, kotak asli dan semua aksesorinya; barang yang segelnya sudah "
    "dibuka hanya bisa ditukar jika rusak dari pabrik. Makanan, minuman, obat-obatan dan produk perawatan "
    "tubuh tidak bisa dikembalikan kecuali kemasannya rusak saat diterima. Setiap pengembalian dana atau "
    "pengecualian diputuskan oleh tim kami, biasanya dalam dua hari kerja, dan dananya kembali ke metode "
    "pembayaran semula dalam tujuh hari kerja setelah disetujui."
)


def test_a_long_reply_is_split_with_no_part_over_320_and_no_word_cut(tmp_path: Path) -> None:
    import tomllib
    from importlib import resources

    profile = tomllib.loads((resources.files("hangat") / "data" / "store.toml").read_text("utf-8"))
    packaged = (resources.files("hangat") / "data" / "store.toml").read_text("utf-8")
    path = tmp_path / "store.toml"
    path.write_text(packaged.replace(json.dumps(profile["returns"]["id"]), json.dumps(POLICY_ID)), "utf-8")
    settings = Settings(
        data_dir=tmp_path, embedder="none", secret_key="k", text_channel_secret=SECRET, store_profile=path
    )
    assistant = build_assistant(settings)
    assert assistant.profile.return_policy["id"] == POLICY_ID
    with TestClient(create_app(assistant)) as c:
        answer = send(c, "saya mau mengembalikan barang, bagaimana caranya?", "l1")
        parts = answer["parts"]
        assert len(parts) >= 3 and all(len(p) <= 320 for p in parts)
        said = " ".join(" ".join(parts).split())
        assert " ".join(POLICY_ID.split()) in said  # every word whole and in order: none cut
        assert all(p.endswith((".", "?")) for p in parts)  # each part ends at a sentence here
    assistant.close()


def test_a_long_comparison_is_split_between_lines(client: TestClient, channel_assistant: Assistant) -> None:
    title = (
        "Kopi Tubruk Robusta Lampung Premium Pilihan Petani Lokal Gula Aren {} Kemasan Hemat Keluarga Besar"
    )
    attributes = {"berat": "1 kg", "asal": "Lampung Barat", "jenis": "robusta", "proses": "natural"}
    long = [
        Product(f"long-{i}", title.format(i), "Kopi tubruk.", ("Grocery", "Coffee"),
                price=Decimal(99_000 + i), rating=4.5, attributes=attributes, language="id")
        for i in range(3)
    ]  # fmt: skip
    channel_assistant.store.upsert_products(long)
    channel_assistant.refresh_index()
    send(client, "cari kopi tubruk lampung", "t1")
    answer = send(client, "bandingkan ketiganya", "t2")
    assert len(answer["parts"]) >= 2
    got = lines(answer)
    assert [line[:3] for line in got if line[:2] in ("1.", "2.", "3.")] == ["1. ", "2. ", "3. "]
    assert "asal: 1) Lampung Barat · 2) Lampung Barat · 3) Lampung Barat" in got


def test_a_conversation_a_person_owns_gets_no_parts(client: TestClient, channel_assistant: Assistant) -> None:
    first = send(client, "cari kopi", "p1")
    cid = first["conversation_id"]
    channel_assistant.store.upsert_staff([StaffMember("staff-dewi", "Dewi")])
    channel_assistant.store.append_events(
        cid, [NewEvent(EventKind.HANDOFF_REQUESTED, {"reason": "shopper_asked", "stakes": []})], "ask"
    )
    channel_assistant.store.append_events(
        cid, [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "staff-dewi"})], "claim"
    )
    for text, key in (("halo?", "p2"), ("2", "p3")):
        quiet = send(client, text, key)
        assert quiet["parts"] == [] and quiet["conversation_id"] == cid
    said = [e for e in channel_assistant.store.events(cid) if e.kind is EventKind.SHOPPER_SAID]
    assert [e.payload["text"] for e in said][-2:] == ["halo?", "2"]  # kept for the person
    assert not any(e.kind is EventKind.PRODUCT_FOCUSED for e in channel_assistant.store.events(cid))


def test_a_persons_replies_go_out_as_signed_webhooks_with_the_parts_to_text(
    client: TestClient, channel_assistant: Assistant
) -> None:
    asked = send(client, "saya mau bicara dengan orang dari toko", "h1")
    cid = asked["conversation_id"]
    assert channel_assistant.store.handoff(cid) is not None  # the request is in the queue
    dewi = StaffMember("staff-dewi", "Dewi")
    channel_assistant.store.upsert_staff([dewi])
    desk = channel_assistant.desk
    desk.claim(cid, dewi)
    long = "Halo, saya Dewi dari toko. " + "Kopi Kapal Api 165g masih ada, dikirim besok pagi. " * 8
    desk.reply(cid, dewi, long, "r1")
    desk.reply(cid, dewi, long, "r1")  # a double click stores and sends nothing twice
    hooks = [w for w in channel_assistant.store.due_webhooks(datetime.now(UTC) + timedelta(seconds=1))
             if w.type == "conversation.staff_said"]  # fmt: skip
    assert len(hooks) == 1 and hooks[0].body["conversation_id"] == cid
    message = hooks[0].body["message"]
    assert message["text"] == long.strip() and message["name"] == "Dewi"
    assert len(message["parts"]) >= 2 and all(len(p) <= 320 for p in message["parts"])
    assert message["parts"][0].startswith("Dewi: Halo")
    assert " ".join(" ".join(message["parts"]).split()) == " ".join(f"Dewi: {long}".split())  # nothing lost
    assert PHONE not in json.dumps(hooks[0].body) and "1234567890" not in json.dumps(hooks[0].body)


def test_the_channel_is_off_without_a_secret(tmp_path: Path) -> None:
    assistant = make(tmp_path, secret="")
    with TestClient(create_app(assistant)) as c:
        body = body_of("cari kopi", "m1")
        response = post(c, body)
        assert response.status_code == 404
        assert response.json() == {"error": "NotFound", "detail": "text channel not configured"}
    assert assistant.store.counts()["conversations"] == 0
    assistant.close()


def test_a_short_secret_is_a_configuration_error(tmp_path: Path) -> None:
    from hangat.errors import ConfigError

    with pytest.raises(ConfigError, match="text_channel_secret"):
        Settings(data_dir=tmp_path, text_channel_secret="too-short")
    assert "provider" not in repr(Settings(data_dir=tmp_path, text_channel_secret=SECRET))


def test_malformed_bodies_are_refused_after_the_signature(
    client: TestClient, channel_assistant: Assistant
) -> None:
    assert post(client, b"not json").status_code == 422
    assert post(client, body_of("", "m1")).status_code == 422  # an empty message
    assert post(client, body_of("halo", "m2", language="fr")).status_code == 422
    assert post(client, body_of("x" * 5000, "m3")).status_code == 413  # over max_message_chars
    assert channel_assistant.store.counts()["conversation_events"] == 0
    english = send(client, "halo", "m4", language="en")  # a hint: a greeting could be either
    assert english["parts"]
