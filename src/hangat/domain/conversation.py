"""The conversation as an append-only, ordered event log, and its state as a fold over it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from hangat.domain.cart import Cart

# Conversations of the text channel (SMS, WhatsApp): hangat cannot write to the phone itself, the
# provider does (``hangat.text_channel``; staff messages reach it as webhooks).
TEXT_CHANNEL_PREFIX = "sms-"


class EventKind(StrEnum):
    SHOPPER_SAID = "shopper_said"
    ASSISTANT_SAID = "assistant_said"
    PRODUCTS_SHOWN = "products_shown"
    STAFF_SAID = "staff_said"
    CART_CHANGED = "cart_changed"
    HANDOFF_REQUESTED = "handoff_requested"
    HANDOFF_CLAIMED = "handoff_claimed"
    HANDOFF_RETURNED = "handoff_returned"
    HANDOFF_OFFERED = "handoff_offered"
    HANDOFF_RESOLVED = "handoff_resolved"
    CALLBACK_OFFERED = "callback_offered"  # outside business hours: call-back times to pick from
    CHECKOUT_OFFERED = "checkout_offered"
    CHECKOUT_CONFIRMED = "checkout_confirmed"
    SERVICE_OFFERED = "service_offered"
    SERVICE_BOOKED = "service_booked"
    OFFER_DECLINED = "offer_declined"
    PRODUCT_FOCUSED = "product_focused"  # the shopper asked about one of the products shown
    MEMORY_ASKED = "memory_asked"  # may I remember this? (an offer: answered yes or no next)
    MEMORY_DEFERRED = "memory_deferred"  # to ask once the question already asked is answered
    CONSENT_RECORDED = "consent_recorded"  # the answer, as kept in the consent proof
    MEMORY_NOTED = "memory_noted"  # facts kept (ids and kinds only: the values live in the memory)
    MEMORY_USED = "memory_used"  # facts recalled in a reply
    MEMORY_ERASED = "memory_erased"  # facts the shopper had forgotten
    REMINDER_SENT = "reminder_sent"  # "coffee is probably running low" (with the reminders consent)


@dataclass(frozen=True)
class NewEvent:
    """An event about to be appended; the store gives it a sequence number and a time."""

    kind: EventKind
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """A stored event: ``seq`` is 1, 2, 3 ... within its conversation."""

    conversation_id: str
    seq: int
    kind: EventKind
    payload: dict[str, Any]
    idempotency_key: str
    created_at: datetime


@dataclass(frozen=True)
class Conversation:
    external_id: str
    customer_id: str | None
    language: str
    created_at: datetime


@dataclass(frozen=True)
class ConversationState:
    """What the replay of a conversation's events gives."""

    turns: int = 0
    language: str | None = None
    last_products: tuple[str, ...] = ()
    last_query: str = ""
    emotions: tuple[tuple[str, float], ...] = ()  # (state, intensity) of each shopper message
    cart: Cart = field(default_factory=Cart)
    pending: dict[str, Any] | None = None  # an offer awaiting the shopper's yes: checkout, handoff, slots
    owner: str = "bot"  # "bot", "queued" (a person was asked for) or "person" (a person has claimed it)
    failures: int = 0  # consecutive replies in which the assistant could not help
    told: tuple[tuple[str, str], ...] = ()  # (slot, value) the shopper told in this conversation
    replies: int = 0
    handoff_reason: str = ""
    plain: bool | None = None  # the shopper asked for plain language (None: not said)
    focus: str | None = None  # the product last asked about ("is it waterproof?" means this one)
    staff_id: str | None = None  # the person who owns the conversation, or last did
    handoff_note: str = ""  # the note a person left on handing back, not yet passed on
    settled: tuple[str, ...] = ()  # reasons a person has dealt with: not offered again
    memory_asked: tuple[str, ...] = ()  # purposes already asked about here: never asked twice
    recalled: tuple[str, ...] = ()  # facts already recalled here: not repeated
    deferred: dict[str, Any] | None = None  # a consent question waiting for its turn


def fold(events: list[Event]) -> ConversationState:
    """Replay events in order into the conversation's current state."""
    state = ConversationState()
    for event in sorted(events, key=lambda e: e.seq):
        state = _apply(state, event)
    return state


_TOLD = ("budget_max", "budget_min", "currency", "recipient", "occasion", "size", "date", "product")


def _apply(state: ConversationState, event: Event) -> ConversationState:
    p, kind = event.payload, event.kind
    if kind is EventKind.SHOPPER_SAID:
        return _shopper_said(state, p)
    if kind is EventKind.PRODUCTS_SHOWN:
        ids = tuple(str(i) for i in p.get("product_ids", []))
        return replace(state, last_products=ids, focus=ids[0] if len(ids) == 1 else None)
    if kind is EventKind.PRODUCT_FOCUSED:
        return replace(state, focus=str(p.get("product_id")))
    if kind is EventKind.CART_CHANGED:
        return replace(state, cart=Cart.from_record(list(p.get("lines", []))), pending=None)
    if kind in _OFFERS:
        return replace(state, pending={"kind": _OFFERS[kind], **p, "turn": state.turns})
    if kind is EventKind.MEMORY_ASKED:
        asked = (*state.memory_asked, str(p.get("purpose", "")))
        pending = {"kind": "memory", **p, "turn": state.turns}
        return replace(state, pending=pending, memory_asked=asked, deferred=None)
    if kind is EventKind.MEMORY_DEFERRED:
        return replace(state, deferred=dict(p))
    if kind is EventKind.MEMORY_USED:
        return replace(state, recalled=(*state.recalled, *(str(i) for i in p.get("fact_ids", []))))
    if kind in (EventKind.CHECKOUT_CONFIRMED, EventKind.SERVICE_BOOKED, EventKind.OFFER_DECLINED,
                EventKind.CONSENT_RECORDED):  # fmt: skip
        return replace(state, pending=None)
    if kind is EventKind.HANDOFF_REQUESTED:
        return replace(state, owner="queued", pending=None, handoff_reason=str(p.get("reason", "")))
    if kind is EventKind.HANDOFF_CLAIMED:
        return replace(state, owner="person", staff_id=str(p.get("staff_id") or "") or None, pending=None)
    if kind in (EventKind.HANDOFF_RETURNED, EventKind.HANDOFF_RESOLVED):
        settled = (*state.settled, state.handoff_reason) if state.handoff_reason else state.settled
        note = str(p.get("note", "")) if kind is EventKind.HANDOFF_RETURNED else ""
        return replace(state, owner="bot", failures=0, handoff_note=note, settled=settled)
    if kind is EventKind.ASSISTANT_SAID:
        failed = p.get("outcome") == "failed"
        return replace(
            state,
            replies=state.replies + 1,
            failures=state.failures + 1 if failed else 0,
            handoff_note="" if p.get("passed_note") else state.handoff_note,
        )
    return state


def _shopper_said(state: ConversationState, p: dict[str, Any]) -> ConversationState:
    emotions, told = state.emotions, state.told
    understood = p.get("understanding")
    if isinstance(understood, dict):
        e = understood.get("emotion")
        if isinstance(e, dict):
            emotions = (*emotions, (str(e.get("state", "neutral")), float(e.get("intensity", 0.0))))
        slots = understood.get("slots")
        if isinstance(slots, dict):
            told = (*told, *((k, str(slots[k])) for k in _TOLD if slots.get(k) not in (None, "", [])))
    return replace(
        state,
        turns=state.turns + 1,
        language=str(p.get("language") or state.language or "") or None,
        last_query=str(p.get("text", "")),
        emotions=emotions,
        told=told,
        plain=bool(p["plain"]) if p.get("plain") is not None else state.plain,
    )


_OFFERS = {
    EventKind.CHECKOUT_OFFERED: "checkout",
    EventKind.SERVICE_OFFERED: "booking",
    EventKind.HANDOFF_OFFERED: "handoff",
    EventKind.CALLBACK_OFFERED: "callback",
}
