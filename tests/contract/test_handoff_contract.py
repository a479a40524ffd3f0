"""The handoff part of the Store contract: every adapter keeps the owner state machine, refuses
what it forbids without writing anything, and hands out webhooks and sessions the same way."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from hangat.domain.conversation import EventKind, NewEvent, fold
from hangat.domain.customer import Customer, StaffMember, StaffSession
from hangat.domain.handoff import CLAIMED, OPEN, QUEUED, RESOLVED, RETURNED
from hangat.errors import NotFound, OwnershipConflict
from hangat.ports import Store


def _setup(store: Store, conv: str = "c1", customer: str | None = "cust-1") -> None:
    store.upsert_staff([StaffMember("s-dewi", "Dewi"), StaffMember("s-budi", "Budi")])
    if customer:
        store.upsert_customers([Customer(customer, "Ayu")])
    store.open_conversation(conv, customer, "id")


def _ask(store: Store, conv: str = "c1", key: str = "ask") -> None:
    store.append_events(
        conv,
        [
            NewEvent(EventKind.SHOPPER_SAID, {"text": "mau bicara dengan orang"}),
            NewEvent(EventKind.HANDOFF_REQUESTED, {"reason": "shopper_asked", "stakes": ["health"]}),
        ],
        key,
    )


def test_request_queues_with_reason_language_and_time(store: Store) -> None:
    _setup(store)
    assert store.handoff("c1") is None
    _ask(store)
    h = store.handoff("c1")
    assert h is not None and h.state == QUEUED
    assert (h.reason, h.stakes, h.language, h.customer_id) == ("shopper_asked", ("health",), "id", "cust-1")
    assert h.requested_at is not None and h.claimed_at is None
    assert [x.conversation_id for x in store.handoffs(OPEN)] == ["c1"]
    assert store.handoffs([RESOLVED]) == []


def test_claim_reply_return_keeps_timings_and_note(store: Store) -> None:
    _setup(store)
    _ask(store)
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-dewi"})], "claim")
    store.append_events("c1", [NewEvent(EventKind.STAFF_SAID, {"staff_id": "s-dewi", "text": "Halo"})], "r1")
    store.append_events("c1", [NewEvent(EventKind.STAFF_SAID, {"staff_id": "s-dewi", "text": "Ok"})], "r2")
    h = store.handoff("c1")
    assert h is not None and h.state == CLAIMED and h.staff_id == "s-dewi"
    assert h.requested_at and h.claimed_at and h.first_reply_at
    assert h.requested_at <= h.claimed_at <= h.first_reply_at
    first = h.first_reply_at
    back = NewEvent(EventKind.HANDOFF_RETURNED, {"staff_id": "s-dewi", "note": "diskon 10% disetujui"})
    store.append_events("c1", [back], "back")
    h = store.handoff("c1")
    assert h is not None and h.state == RETURNED and h.note == "diskon 10% disetujui"
    assert h.first_reply_at == first and h.closed_at is not None
    assert store.last_handler("cust-1") == "s-dewi"
    state = fold(store.events("c1"))
    assert state.owner == "bot" and state.handoff_note == "diskon 10% disetujui"
    assert "shopper_asked" in state.settled


def test_second_claim_is_refused_and_writes_nothing(store: Store) -> None:
    _setup(store)
    _ask(store)
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-dewi"})], "claim-a")
    before = len(store.events("c1"))
    with pytest.raises(OwnershipConflict, match="s-dewi"):
        store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-budi"})], "claim-b")
    assert len(store.events("c1")) == before
    h = store.handoff("c1")
    assert h is not None and h.staff_id == "s-dewi"


def test_the_assistant_cannot_speak_while_a_person_owns_the_conversation(store: Store) -> None:
    _setup(store)
    _ask(store)
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-dewi"})], "claim")
    turn = [
        NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": ["p1"]}),
        NewEvent(EventKind.ASSISTANT_SAID, {"text": "Here are some shoes"}),
    ]
    with pytest.raises(OwnershipConflict):
        store.append_events("c1", turn, "bot-turn")
    assert all(e.kind is not EventKind.PRODUCTS_SHOWN for e in store.events("c1"))
    with pytest.raises(OwnershipConflict):  # someone else cannot reply either
        store.append_events("c1", [NewEvent(EventKind.STAFF_SAID, {"staff_id": "s-budi"})], "x")


def test_resolve_then_the_shopper_reopens_with_the_bot(store: Store) -> None:
    _setup(store)
    _ask(store)
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-dewi"})], "claim")
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_RESOLVED, {"staff_id": "s-dewi"})], "done")
    with pytest.raises(OwnershipConflict):
        store.append_events("c1", [NewEvent(EventKind.HANDOFF_RESOLVED, {"staff_id": "s-dewi"})], "again")
    store.append_events("c1", [NewEvent(EventKind.ASSISTANT_SAID, {"text": "Halo lagi"})], "reopen")
    assert fold(store.events("c1")).owner == "bot"
    _ask(store, key="ask-2")  # a new request after a resolved one queues again
    h = store.handoff("c1")
    assert h is not None and h.state == QUEUED and h.staff_id is None


def test_a_person_can_join_unasked_and_a_queued_request_can_be_withdrawn(store: Store) -> None:
    _setup(store)
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-budi"})], "join")
    h = store.handoff("c1")
    assert h is not None and h.state == CLAIMED and h.reason == "staff_joined"
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_RETURNED, {"staff_id": "s-budi"})], "back")
    _ask(store, key="ask")
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_RETURNED, {"note": "never mind"})], "withdraw")
    h = store.handoff("c1")
    assert h is not None and h.state == RETURNED


def test_claims_from_many_threads_have_exactly_one_winner(store: Store) -> None:
    _setup(store)
    _ask(store)
    names = [f"s-{i}" for i in range(6)]
    store.upsert_staff([StaffMember(n, n) for n in names])
    wins: list[str] = []
    losses: list[str] = []
    barrier = threading.Barrier(len(names))

    def claim(staff: str) -> None:
        barrier.wait()
        try:
            store.append_events(
                "c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": staff})], f"cl-{staff}"
            )
            wins.append(staff)
        except OwnershipConflict:
            losses.append(staff)

    threads = [threading.Thread(target=claim, args=(n,)) for n in names]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(wins) == 1 and len(losses) == len(names) - 1
    claims = [e for e in store.events("c1") if e.kind is EventKind.HANDOFF_CLAIMED]
    assert [e.payload["staff_id"] for e in claims] == wins


def test_webhooks_are_queued_once_per_step_with_stable_ids(store: Store) -> None:
    _setup(store)
    _ask(store)
    _ask(store)  # a retried write (same key) adds nothing
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-dewi"})], "claim")
    staff_said = {"staff_id": "s-dewi", "name": "Dewi", "text": "hi", "parts": ["Dewi: hi"]}
    store.append_events("c1", [NewEvent(EventKind.STAFF_SAID, staff_said)], "r")
    store.append_events("c1", [NewEvent(EventKind.STAFF_SAID, staff_said)], "r")  # a retry: nothing new
    store.append_events("c1", [NewEvent(EventKind.HANDOFF_RESOLVED, {"staff_id": "s-dewi"})], "done")
    now = datetime.now(UTC) + timedelta(seconds=1)
    due = store.due_webhooks(now)
    types = [w.type for w in due]
    assert types == ["handoff.requested", "handoff.claimed", "conversation.staff_said", "handoff.resolved"]
    assert len({w.event_id for w in due}) == 4 and all(w.event_id.startswith("c1:") for w in due)
    assert due[2].body["message"] == {"text": "hi", "name": "Dewi", "parts": ["Dewi: hi"]}
    assert due[1].body["handoff"]["staff_id"] == "s-dewi"
    first, second = due[0], due[1]
    store.webhook_attempted(first.id, delivered_at=now, retry_at=None)
    store.webhook_attempted(second.id, delivered_at=None, retry_at=now + timedelta(minutes=1), error="503")
    assert [w.type for w in store.due_webhooks(now)] == ["conversation.staff_said", "handoff.resolved"]
    later = store.due_webhooks(now + timedelta(minutes=2))
    assert [(w.type, w.attempts) for w in later] == [
        ("handoff.claimed", 1),
        ("conversation.staff_said", 0),
        ("handoff.resolved", 0),
    ]


def test_staff_passwords_and_sessions(store: Store) -> None:
    _setup(store)
    with pytest.raises(NotFound):
        store.set_staff_password("nobody", "hash")
    store.set_staff_password("s-dewi", "hash-1")
    store.set_staff_password("s-dewi", "hash-2")
    assert store.staff_password("s-dewi") == "hash-2" and store.staff_password("s-budi") is None
    store.upsert_staff([StaffMember("s-dewi", "Dewi Lestari")])  # an edit keeps the password
    assert store.staff_password("s-dewi") == "hash-2"
    now = datetime.now(UTC)
    session = StaffSession("t" * 64, "s-dewi", "c" * 43, now, now + timedelta(hours=8), now)
    store.open_session(session)
    got = store.get_session("t" * 64, now + timedelta(minutes=1))
    assert got is not None and (got.staff_id, got.csrf) == ("s-dewi", "c" * 43)
    assert store.staff_seen_since(now - timedelta(seconds=1)) == {"s-dewi"}
    assert store.get_session("t" * 64, now + timedelta(hours=9)) is None  # expired, and gone
    assert store.get_session("t" * 64, now) is None
    store.open_session(StaffSession("u" * 64, "s-budi", "d" * 43, now, now + timedelta(hours=8), now))
    store.close_session("u" * 64)
    assert store.get_session("u" * 64, now) is None
