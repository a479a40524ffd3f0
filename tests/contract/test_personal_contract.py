"""Personal data in every Store adapter: consents, memory facts, erasure and the retention purge."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hangat.domain.booking import Booking
from hangat.domain.conversation import EventKind, NewEvent
from hangat.domain.customer import Customer
from hangat.domain.memory import Consent, Fact
from hangat.domain.order import Order, OrderLine
from hangat.errors import Conflict, InputError, NotFound
from hangat.ports import Store

from .test_store_contract import product

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def consent(customer: str, purpose: str, granted: bool, at: datetime = NOW) -> Consent:
    return Consent(customer, purpose, granted, at, "2026-11", "id", "chat")


def fact(customer: str, ident: str, kind: str = "size", value: str = "39", **kw: object) -> Fact:
    base: dict[str, object] = {
        "ident": ident, "customer_id": customer, "kind": kind, "subject": "self", "value": value,
        "language": "id", "conversation_id": None, "seq": None, "created_at": NOW,
        "expires_at": NOW + timedelta(days=365),
    }  # fmt: skip
    base.update(kw)
    return Fact(**base)  # type: ignore[arg-type]


@pytest.fixture
def people(store: Store) -> Store:
    store.upsert_customers([Customer("ana", "Ana"), Customer("budi", "Budi")])
    return store


def test_a_fact_needs_a_yes_to_its_purpose(people: Store) -> None:
    with pytest.raises(Conflict):
        people.add_facts([fact("ana", "f1")])
    people.record_consent(consent("ana", "personalisation", True))
    people.add_facts([fact("ana", "f1")])
    with pytest.raises(Conflict):  # health needs "sensitive", and nothing of the batch is written
        people.add_facts([fact("ana", "f2", "preference", "Indomie"), fact("ana", "f3", "health", "gout")])
    assert [f.ident for f in people.facts("ana")] == ["f1"]
    assert people.facts("budi") == []


def test_consents_are_kept_as_proof_and_a_no_erases_that_purpose(people: Store) -> None:
    people.record_consent(consent("ana", "personalisation", True))
    people.record_consent(consent("ana", "sensitive", True))
    people.add_facts([fact("ana", "f1"), fact("ana", "f2", "health", "arthritis")])
    people.record_consent(consent("ana", "sensitive", False, NOW + timedelta(minutes=1)))
    assert [f.ident for f in people.facts("ana")] == ["f1"]
    proof = people.consents("ana")
    assert [(c.purpose, c.granted) for c in proof] == [
        ("personalisation", True), ("sensitive", True), ("sensitive", False),
    ]  # fmt: skip
    assert proof[0] == consent("ana", "personalisation", True)
    assert people.consenting("sensitive") == [] and people.consenting("personalisation") == ["ana"]
    people.record_consent(consent("budi", "reminders", True))
    people.record_consent(consent("budi", "reminders", False, NOW + timedelta(minutes=2)))
    assert people.consenting("reminders") == []
    with pytest.raises(NotFound):
        people.record_consent(consent("nobody", "personalisation", True))
    with pytest.raises(InputError):
        people.record_consent(consent("ana", "marketing", True))


def test_facts_round_trip_and_change_only_for_their_owner(people: Store) -> None:
    people.record_consent(consent("ana", "personalisation", True))
    people.record_consent(consent("budi", "personalisation", True))
    f = fact("ana", "f1", "recipient", "ibu ulang tahun 12 Mei", subject="ibu")
    people.add_facts([f, fact("budi", "g1")])
    assert people.facts("ana") == [f]
    later = NOW + timedelta(days=30)
    assert people.change_fact("ana", "f1", "ibu ulang tahun 14 Mei", later) == replace(
        f, value="ibu ulang tahun 14 Mei", expires_at=later
    )
    with pytest.raises(NotFound):
        people.change_fact("budi", "f1", "stolen", later)
    with pytest.raises(InputError):
        people.change_fact("ana", "f1", "", later)
    assert people.erase_facts("budi", ["f1"]) == 0
    assert people.erase_facts("ana", ["f1"]) == 1
    assert people.facts("ana") == [] and len(people.facts("budi")) == 1
    with pytest.raises(InputError):
        people.add_facts([fact("budi", "g2", "mood", "happy")])


def _history(store: Store, customer: str, conversation: str) -> None:
    store.open_conversation(conversation, customer, "id")
    said = NewEvent(EventKind.SHOPPER_SAID, {"text": f"ukuran sepatu {customer} 39"})
    asked = NewEvent(EventKind.HANDOFF_REQUESTED, {"reason": "human_request"})
    store.append_events(conversation, [said, asked], f"{conversation}-k1")


def test_erasing_a_customer_leaves_others_and_deidentifies_orders(people: Store) -> None:
    people.upsert_products([product(1)])
    for who in ("ana", "budi"):
        people.record_consent(consent(who, "personalisation", True))
        people.add_facts([fact(who, f"{who}-f")])
        _history(people, who, f"c-{who}")
        line = OrderLine("p1", 1, product(1).price or 0)
        people.upsert_orders([Order(f"o-{who}", who, NOW, (line,), tracking=f"JNE-{who}")])
    people.hold_booking(Booking("b1", "fitting", "s1", NOW, 30, "c-ana", "ana"))
    later = NOW + timedelta(days=2)
    people.hold_booking(Booking("b2", "tailoring", "s1", later, 30, "c-ana", None))  # by conversation
    people.hold_booking(Booking("b3", "fitting", "s2", NOW, 30, "c-budi", "budi"))
    assert [b.external_id for b in people.bookings_for("ana")] == ["b1", "b2"]
    assert [b.external_id for b in people.bookings_for("budi")] == ["b3"]
    done = people.erase_customer("ana", "erased-1")
    assert done["customers"] == 1 and done["conversations"] == 1 and done["orders_deidentified"] == 1
    with pytest.raises(NotFound):
        people.get_customer("ana")
    with pytest.raises(NotFound):
        people.get_conversation("c-ana")
    assert people.facts("ana") == [] and people.consents("ana") == []
    kept = people.orders_for("erased-1")
    assert [o.external_id for o in kept] == ["o-ana"] and kept[0].tracking == ""
    booking = next(b for b in people.bookings_between(NOW, NOW + timedelta(hours=1)) if b.external_id == "b1")
    assert booking.customer_id is None and booking.conversation_id is None
    assert people.bookings_for("ana") == [] and len(people.bookings_for("budi")) == 1
    assert all("ana" not in json_of(h.body) for h in people.due_webhooks(NOW + timedelta(days=1)))
    assert people.get_customer("budi").display_name == "Budi"
    assert len(people.facts("budi")) == 1 and people.orders_for("budi")[0].tracking == "JNE-budi"
    assert len(people.events("c-budi")) == 2
    with pytest.raises(NotFound):
        people.erase_customer("ana", "erased-2")


def json_of(body: object) -> str:
    import json

    return json.dumps(body)


def test_the_purge_removes_what_outlived_its_lifetime(people: Store) -> None:
    people.record_consent(consent("ana", "personalisation", True))
    people.add_facts([fact("ana", "old", expires_at=NOW - timedelta(days=1)), fact("ana", "new")])
    _history(people, "ana", "c-ana")
    people.open_conversation("anon", None, "en")
    later = datetime.now(UTC) + timedelta(days=400)
    done = people.purge(NOW, customer_before=NOW, anonymous_before=later, webhooks_before=NOW)
    assert done["memory_facts"] == 1 and done["conversations"] == 1
    assert [f.ident for f in people.facts("ana")] == ["new"]
    people.get_conversation("c-ana")  # quiet since now: kept
    with pytest.raises(NotFound):
        people.get_conversation("anon")
    done = people.purge(NOW, customer_before=later, anonymous_before=later, webhooks_before=NOW)
    assert done["conversations"] == 1
    assert people.conversations_for("ana") == [] and len(people.facts("ana")) == 1
