"""Relationship memory, as shoppers live it, in both languages: facts captured with consent, used
later in a different conversation, corrected, erased and then never used again; health facts
refused without the ``sensitive`` consent; nothing kept for a guest."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from hangat.assistant import Assistant, build_assistant
from hangat.dialogue.respond import Reply
from hangat.domain.catalog import Product
from hangat.domain.conversation import EventKind
from hangat.domain.customer import Customer
from hangat.settings import Settings

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
CATALOG = [
    Product("shoe-1", "Sepatu lari biru", "Sol karet, ukuran 39-44.", ("Marketplace", "Sport"),
            price=Decimal(199_000), units_sold=900, language="id"),
    Product("shoe-2", "Sepatu lari merah", "Ringan.", ("Marketplace", "Sport"), price=Decimal(250_000),
            units_sold=500, language="id"),
    Product("jar-1", "Jar opener steel", "Steel jar opener.", ("Home", "Kitchen"), price=Decimal(40_000),
            units_sold=2000, language="en"),
    Product("jar-2", "Jar opener easy-open grip", "Wide grip jar opener, easy-open lids with no effort.",
            ("Home", "Kitchen"), price=Decimal(90_000), units_sold=10, language="en"),
]  # fmt: skip


@pytest.fixture
def assistant(tmp_path: Path) -> Iterator[Assistant]:
    a = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="memory-scenarios"))
    a.store.upsert_products(CATALOG)
    a.store.upsert_customers([Customer("ana", "Ana", "id"), Customer("bob", "Bob", "en")])
    yield a
    a.close()


class Shopper:
    """One customer talking, conversation after conversation."""

    def __init__(self, assistant: Assistant, who: str | None) -> None:
        self.a, self.who = assistant, who
        self.keys = itertools.count()
        self.convo = f"{who}-1"

    def new_conversation(self, n: int) -> None:
        self.convo = f"{self.who}-{n}"

    def say(self, text: str) -> Reply:
        return self.a.handle_message(self.convo, text, f"k{next(self.keys)}", self.who, None, NOW).reply

    def facts(self) -> list[tuple[str, str]]:
        return [(f.kind, f.value) for f in self.a.store.facts(self.who or "")]


def test_a_size_kept_with_consent_used_corrected_and_erased_id(assistant: Assistant) -> None:
    ana = Shopper(assistant, "ana")
    asked = ana.say("ukuran sepatu aku 39 ya kak")
    assert "Boleh saya ingat ini" in asked.text and "Anda pakai ukuran 39" in asked.text
    assert ana.facts() == []  # nothing before the yes
    assert "saya akan ingat" in ana.say("ya").text
    assert ana.facts() == [("size", "39")]
    assert "pernah bilang" not in ana.say("cari sepatu lari").text  # just said: not "you told me before"
    proof = assistant.store.consents("ana")
    assert [(c.purpose, c.granted, c.language, c.channel) for c in proof] == [
        ("personalisation", True, "id", "chat")
    ]

    ana.new_conversation(2)  # another day, another conversation
    found = ana.say("cari sepatu lari")
    assert "Anda pernah bilang: Anda pakai ukuran 39" in found.text
    assert found.products
    again = ana.say("cari sepatu lari merah")
    assert "pernah bilang" not in again.text  # recalled once per conversation, not recited

    corrected = ana.say("ukuran sepatu aku 40")
    assert "Diperbarui: Anda pakai ukuran 40 (sebelumnya 39)" in corrected.text
    assert ana.facts() == [("size", "40")]

    card = ana.say("apa yang kamu ingat tentang saya?")
    assert "Yang saya ingat tentang Anda (1)" in card.text and "ukuran sepatu aku 39 ya kak" in card.text

    forgot = ana.say("lupakan ukuran saya")
    assert "sudah melupakan 1" in forgot.text and ana.facts() == []
    ana.new_conversation(3)
    later = ana.say("cari sepatu lari")
    assert "pernah bilang" not in later.text and "ukuran" not in later.text.split("\n")[0]
    assert "belum mengingat apa pun" in ana.say("apa yang kamu ingat tentang saya?").text


def test_health_needs_its_own_yes_and_the_need_then_shapes_results_en(assistant: Assistant) -> None:
    bob = Shopper(assistant, "bob")
    first = bob.say("My mother has arthritis, she needs easy-open lids")
    assert "easy-open" not in first.text or "May I" not in first.text  # a person is offered first
    asked = bob.say("no")  # no person, thanks: now the memory questions, health first
    assert "What you said about health (“arthritis”) is sensitive" in asked.text
    kept = bob.say("yes")
    assert "I'll remember: your mother's health: arthritis" in kept.text
    assert "May I remember this for your next visits" in kept.text  # then the other purpose
    bob.say("yes")
    assert sorted(bob.facts()) == [("constraint", "easy-open lids"), ("health", "arthritis")]

    bob.new_conversation(2)
    found = bob.say("looking for a jar opener for my mother")
    assert "You told me before: your mother needs easy-open lids" in found.text
    assert "put the products that say so first" in found.text
    assert found.products[0].product.external_id == "jar-2"  # the wide grip one, not the best seller
    used = [e for e in assistant.store.events(bob.convo) if e.kind is EventKind.MEMORY_USED]
    assert len(used) == 1


def test_a_no_to_health_keeps_nothing_and_is_never_asked_again_id(assistant: Assistant) -> None:
    ana = Shopper(assistant, "ana")
    ana.say("Ayah saya diabetes, jadi cari gula rendah kalori")
    asked = ana.say("tidak")  # no person: then the health question
    assert "termasuk data sensitif" in asked.text
    assert "Tidak ada yang berubah" in ana.say("tidak").text
    assert [k for k, _ in ana.facts()] in ([], ["constraint"])
    assert all(k != "health" for k, _ in ana.facts())
    ana.new_conversation(2)
    ana.say("ibu saya kena diabetes juga")
    ana.say("tidak")
    assert all(k != "health" for k, _ in ana.facts())
    events = [e.kind for e in assistant.store.events(ana.convo)]
    assert EventKind.MEMORY_ASKED not in events or all(
        e.payload.get("purpose") != "sensitive"
        for e in assistant.store.events(ana.convo)
        if e.kind is EventKind.MEMORY_ASKED
    )


def test_withdrawing_consent_erases_and_stops_recall_en(assistant: Assistant) -> None:
    bob = Shopper(assistant, "bob")
    bob.say("I always buy Indomie")
    bob.say("yes")
    assert bob.facts() == [("preference", "Indomie")]
    assistant.rights.consent("bob", "personalisation", False, "en", "api")
    assert bob.facts() == []
    bob.new_conversation(2)
    bob.say("I love Pocky")  # asked before and answered no: never asked again, nothing kept
    assert bob.facts() == []
    assert not [e for e in assistant.store.events(bob.convo) if e.kind is EventKind.MEMORY_ASKED]


def test_a_guest_is_never_asked_and_nothing_is_kept(assistant: Assistant) -> None:
    guest = Shopper(assistant, None)
    reply = guest.say("ukuran sepatu aku 39, aku suka warna pastel")
    assert "Boleh saya ingat" not in reply.text
    card = guest.say("apa yang kamu ingat tentang saya?")
    assert "tidak menyimpan apa pun tentang Anda di luar percakapan ini" in card.text
    assert assistant.store.counts()["memory_facts"] == 0


def test_how_the_shopper_likes_to_be_spoken_to_carries_over_id(assistant: Assistant) -> None:
    ana = Shopper(assistant, "ana")
    ana.say("pakai bahasa santai aja ya")
    ana.say("ya")
    assert ana.facts() == [("style", "bahasa santai")]
    ana.new_conversation(2)
    assert ana.say("cari sepatu lari").text.startswith("Hai kak! Aku hangat")  # the casual tone
    bob = Shopper(assistant, "bob")
    bob.say("please keep answers short")
    bob.say("yes")
    bob.new_conversation(2)
    assert bob.say("looking for a jar opener").text.startswith("I am hangat. I am a computer helper (AI)")
