"""The shipped understanding models, end to end with the real multilingual embedder."""

from __future__ import annotations

from datetime import date

import pytest

from hangat.adapters.embed.e5 import E5Embedder
from hangat.understand.understander import Understander
from hangat.understand.understanding import EMOTIONS, INTENTS, STAKES, Context

NOW = date(2026, 3, 4)


@pytest.fixture(scope="module")
def understander() -> Understander:
    return Understander(embed=E5Embedder().embed_query)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("halo kak, selamat pagi", "greeting"),
        ("mau cari sepatu lari warna hitam ukuran 42", "search"),
        ("tolong sambungkan saya ke CS, saya mau bicara dengan orang", "human_request"),
        ("I want to talk to a real person", "human_request"),
        ("what do you know about me?", "memory_view"),
        ("hapus semua data saya", "memory_forget"),
        ("paket saya sampai mana ya? no resi JX123", "order_status"),
        ("lanjut ke pembayaran", "checkout"),
        ("what's the weather in Jakarta tomorrow", "out_of_scope"),
    ],
)
def test_intents_in_both_languages(understander: Understander, text: str, intent: str) -> None:
    u = understander.understand(text, NOW)
    assert intent in u.intent_names, (text, u.intents)
    assert all(i.name in INTENTS and 0 <= i.confidence <= 1 for i in u.intents)


def test_a_full_reading_of_a_gift_request(understander: Understander) -> None:
    u = understander.understand("mau cari kado buat ibu, budget 300rb, buat Lebaran minggu depan", NOW)
    assert u.language == "id"
    assert "plan_occasion" in u.intent_names
    assert u.slots["budget_max"] == 300000 and u.slots["currency"] == "IDR"
    assert u.slots["recipient"] == "mother" and u.slots["occasion"] == "lebaran"
    assert u.slots["date"] == "2026-03-09"
    assert u.slot_sources["budget_max"] == "rule"


def test_the_product_and_its_attributes_come_from_the_tagger(understander: Understander) -> None:
    u = understander.understand("I'm looking for a waterproof hiking backpack under $80", NOW)
    assert "backpack" in str(u.slots.get("product", ""))
    assert u.slots["budget_max"] == 80 and u.slots["currency"] == "USD"


def test_code_mixing_is_recognised(understander: Understander) -> None:
    u = understander.understand("mau cari laptop yg budget-friendly buat kuliah dong", NOW)
    assert u.language in ("id", "mixed")
    assert "laptop" in str(u.slots.get("product", ""))


def test_emotion_stakes_and_trajectory(understander: Understander) -> None:
    calm = understander.understand("halo, ada kopi bubuk?", NOW)
    angry = understander.understand(
        "ini udah ketiga kalinya paket saya hilang!!! kecewa banget, saya mau refund sekarang",
        NOW,
        Context("id", ((calm.emotion.state, calm.emotion.intensity),)),
    )
    assert angry.emotion.state in ("frustration", "sadness")
    assert angry.emotion.intensity > 0.3
    assert angry.emotion.trajectory == (calm.emotion.state, angry.emotion.state)
    assert angry.emotion.trend == "rising"
    assert "repeated_failure" in angry.stake_names
    assert all(e in EMOTIONS for e in angry.emotion.trajectory)


@pytest.mark.parametrize(
    ("text", "stake"),
    [
        ("my toddler swallowed a button battery, what do I do", "safety"),
        ("butuh karangan bunga untuk pemakaman ayah saya besok", "bereavement"),
        ("saya butuh 300 kaos polos untuk seragam kantor, bisa harga grosir?", "b2b_bulk"),
        ("looking for a gaming laptop around $2,500", "high_value"),
    ],
)
def test_stakes_that_bring_a_person_in(understander: Understander, text: str, stake: str) -> None:
    u = understander.understand(text, NOW)
    assert stake in u.stake_names and all(s.name in STAKES for s in u.stakes)


def test_the_record_is_json_ready(understander: Understander) -> None:
    import json

    u = understander.understand("add two packs of the red one", NOW)
    record = json.loads(json.dumps(u.record()))
    assert record["slots"]["quantity"] == 2 and record["slots"]["reference"] == "red"
    assert record["emotion"]["state"] in EMOTIONS


def test_lexical_only_without_the_embedder() -> None:
    u = Understander().understand("tolong sambungkan ke admin", NOW)
    assert "human_request" in u.intent_names


@pytest.mark.parametrize(
    "text",
    [
        "sepatu safety buat proyek ada ga?",  # read as a product question by the heads
        "Apakah tersedia kabel data untuk mengisi daya ponsel?",
        "jual yogurt nggak buat sarapan?",
        "lagi nyari games buat Nintendo Switch",  # read as a reorder at low confidence
        "mau beli novel buat bacaan weekend",  # "book" is not a service booking
        "do you sell paper plates?",
    ],
)
def test_asking_whether_the_store_has_something_is_a_search(understander: Understander, text: str) -> None:
    u = understander.understand(text, NOW)
    assert u.intents[0].name == "search", (text, u.intents)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("yang kedua ada warna merah nggak?", "product_question"),  # about a product shown
        ("aku mau ngomong sama CS aja", "human_request"),
        ("paket saya sampai mana ya?", "order_status"),
    ],
)
def test_the_search_rules_leave_other_requests_alone(
    understander: Understander, text: str, intent: str
) -> None:
    u = understander.understand(text, NOW)
    assert u.intents[0].name == intent, (text, u.intents)
