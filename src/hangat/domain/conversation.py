"""The conversation as an append-only, ordered event log, and its state as a fold over it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    SHOPPER_SAID = "shopper_said"
    ASSISTANT_SAID = "assistant_said"
    PRODUCTS_SHOWN = "products_shown"
    STAFF_SAID = "staff_said"
    CART_CHANGED = "cart_changed"
    HANDOFF_REQUESTED = "handoff_requested"
    HANDOFF_CLAIMED = "handoff_claimed"
    HANDOFF_RETURNED = "handoff_returned"


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


def fold(events: list[Event]) -> ConversationState:
    """Replay events in order into the conversation's current state."""
    state = ConversationState()
    for event in sorted(events, key=lambda e: e.seq):
        state = _apply(state, event)
    return state


def _apply(state: ConversationState, event: Event) -> ConversationState:
    p = event.payload
    if event.kind is EventKind.SHOPPER_SAID:
        emotions = state.emotions
        understood = p.get("understanding")
        if isinstance(understood, dict) and isinstance(understood.get("emotion"), dict):
            e = understood["emotion"]
            emotions = (*emotions, (str(e.get("state", "neutral")), float(e.get("intensity", 0.0))))
        return ConversationState(
            turns=state.turns + 1,
            language=str(p.get("language") or state.language or "") or None,
            last_products=state.last_products,
            last_query=str(p.get("text", "")),
            emotions=emotions,
        )
    if event.kind is EventKind.PRODUCTS_SHOWN:
        ids = tuple(str(i) for i in p.get("product_ids", []))
        return replace(state, last_products=ids)
    return state
