"""Who owns a conversation: the handoff state machine.

::

    bot ──requested──▶ queued ──claimed──▶ claimed ──returned (note)──▶ bot
     ▲                   │                   │
     │                   └──────resolved─────┴──resolved──▶ resolved ── (the shopper writes again: bot)
     └──claimed (a person joins unasked)─────▶ claimed

:func:`advance` applies one event of the conversation's log to its current :class:`Handoff` and
refuses what the machine does not allow — a second claim, a reply from someone who does not own the
conversation, the assistant speaking while a person owns it — with :class:`OwnershipConflict`.
Every store calls it inside the transaction that appends the events, after locking the
conversation, so the refusal is race-free: of two staff claiming at once, exactly one wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from hangat.domain.conversation import EventKind
from hangat.errors import OwnershipConflict

QUEUED = "queued"
CLAIMED = "claimed"
RETURNED = "returned"
RESOLVED = "resolved"
STATES = (QUEUED, CLAIMED, RETURNED, RESOLVED)
OPEN = (QUEUED, CLAIMED)  # a person is waited for or is there
MODES = ("live", "message", "callback")  # now; a message left for opening time; a call back at a time


@dataclass(frozen=True)
class Handoff:
    """The latest handoff of one conversation, with its timings (for the queue and the dashboard)."""

    conversation_id: str
    state: str
    reason: str
    stakes: tuple[str, ...] = ()
    language: str = "en"
    customer_id: str | None = None
    staff_id: str | None = None
    mode: str = "live"
    preferred_staff: str | None = None  # who helped this customer last time, offered again
    callback_at: datetime | None = None
    requested_at: datetime | None = None
    claimed_at: datetime | None = None
    first_reply_at: datetime | None = None
    closed_at: datetime | None = None  # returned to the bot or resolved
    note: str = ""
    seq: int = 0  # the last event applied

    @property
    def open(self) -> bool:
        return self.state in OPEN

    def record(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO 8601)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, datetime) else value
        out["stakes"] = list(self.stakes)
        return out


RELEVANT = frozenset(
    {
        EventKind.HANDOFF_REQUESTED,
        EventKind.HANDOFF_CLAIMED,
        EventKind.HANDOFF_RETURNED,
        EventKind.HANDOFF_RESOLVED,
        EventKind.STAFF_SAID,
        EventKind.ASSISTANT_SAID,
    }
)


def advance(
    current: Handoff | None,
    kind: EventKind,
    payload: dict[str, Any],
    at: datetime,
    seq: int,
    conversation: tuple[str, str | None, str],
) -> Handoff | None:
    """The handoff after one event (``conversation`` is its id, customer id and language).

    Raises :class:`OwnershipConflict` for a transition the machine does not allow.
    """
    if kind not in RELEVANT:
        return current
    state = current.state if current is not None else None
    staff = str(payload.get("staff_id") or "") or None
    if kind is EventKind.ASSISTANT_SAID:
        if state == CLAIMED:
            raise OwnershipConflict("a person owns this conversation: the assistant stays silent")
        return current
    if kind is EventKind.HANDOFF_REQUESTED:
        if state == CLAIMED:
            raise OwnershipConflict("a person already owns this conversation")
        if state == QUEUED and current is not None:  # asked again while waiting: the first request
            if payload.get("mode") == "callback":  # stands, unless it now asks for a call back
                return replace(
                    current, mode="callback", callback_at=_time(payload.get("callback_at")), seq=seq
                )
            return replace(current, seq=seq)
        ident, customer, language = conversation
        return Handoff(
            ident,
            QUEUED,
            str(payload.get("reason", "")),
            tuple(str(s) for s in payload.get("stakes", [])),
            str(payload.get("language") or language),
            customer,
            mode=str(payload.get("mode", "live")),
            preferred_staff=str(payload.get("preferred_staff") or "") or None,
            callback_at=_time(payload.get("callback_at")),
            requested_at=at,
            seq=seq,
        )
    if kind is EventKind.HANDOFF_CLAIMED:
        if staff is None:
            raise OwnershipConflict("a claim must name the staff member")
        if state == CLAIMED and current is not None:
            raise OwnershipConflict(f"already claimed by {current.staff_id}")
        if current is None or state != QUEUED:  # a person joins a conversation nobody asked them to
            ident, customer, language = conversation
            current = Handoff(ident, QUEUED, "staff_joined", (), language, customer, requested_at=at)
        return replace(current, state=CLAIMED, staff_id=staff, claimed_at=at, seq=seq)
    if current is None:
        raise OwnershipConflict("nobody from the store has been asked into this conversation")
    if kind is EventKind.STAFF_SAID:
        _owned_by(current, staff)
        return replace(current, first_reply_at=current.first_reply_at or at, seq=seq)
    if kind is EventKind.HANDOFF_RETURNED:
        if state == QUEUED:  # withdrawn before anyone claimed it (the shopper said never mind)
            return replace(current, state=RETURNED, closed_at=at, note=str(payload.get("note", "")), seq=seq)
        _owned_by(current, staff)
        return replace(current, state=RETURNED, closed_at=at, note=str(payload.get("note", "")), seq=seq)
    # resolved
    if state not in OPEN:
        raise OwnershipConflict(f"this handoff is already {state}")
    if state == CLAIMED:
        _owned_by(current, staff)
    return replace(current, state=RESOLVED, closed_at=at, note=str(payload.get("note", "")), seq=seq)


def _owned_by(current: Handoff, staff: str | None) -> None:
    if current.state != CLAIMED:
        raise OwnershipConflict(f"this conversation is {current.state}, not claimed")
    if staff != current.staff_id:
        raise OwnershipConflict(f"{current.staff_id} owns this conversation, not {staff}")


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


WEBHOOK_TYPES = {
    EventKind.HANDOFF_REQUESTED: "handoff.requested",
    EventKind.HANDOFF_CLAIMED: "handoff.claimed",
    EventKind.HANDOFF_RETURNED: "handoff.returned",
    EventKind.HANDOFF_RESOLVED: "handoff.resolved",
    EventKind.STAFF_SAID: "conversation.staff_said",  # for channels hangat cannot reach itself (SMS)
    EventKind.REMINDER_SENT: "conversation.reminder",  # the store delivers it (e-mail, SMS, WhatsApp)
}


@dataclass(frozen=True)
class Outbound:
    """A webhook to the store, kept in an outbox written in the same transaction as its event.

    ``event_id`` is stable (conversation and event position), so a receiver can drop duplicates.
    """

    event_id: str
    type: str
    body: dict[str, Any]
    attempts: int = 0
    next_attempt_at: datetime | None = None
    id: int = 0


def outbound(
    kind: EventKind, handoff: Handoff | None, seq: int, at: datetime, payload: dict[str, Any] | None = None
) -> Outbound | None:
    """The webhook an applied event sends, if it sends one. A staff message carries its text, the
    person's first name and, for a text-channel conversation, the text-message ``parts`` to send."""
    if kind is EventKind.REMINDER_SENT:
        return _reminder(seq, at, payload or {})
    if kind not in WEBHOOK_TYPES or handoff is None:
        return None
    event_id = f"{handoff.conversation_id}:{seq}"
    body: dict[str, Any] = {
        "id": event_id,
        "type": WEBHOOK_TYPES[kind],
        "occurred_at": at.isoformat(),
        "conversation_id": handoff.conversation_id,
        "handoff": handoff.record(),
    }
    if kind is EventKind.STAFF_SAID:
        body["message"] = {k: (payload or {})[k] for k in ("text", "name", "parts") if k in (payload or {})}
    return Outbound(event_id, WEBHOOK_TYPES[kind], body)


def _reminder(seq: int, at: datetime, payload: dict[str, Any]) -> Outbound:
    """A reminder goes out on its own, without a handoff: the store sends it where the shopper is."""
    conversation = str(payload.get("conversation_id", ""))
    event_id = f"{conversation}:{seq}"
    body: dict[str, Any] = {
        "id": event_id,
        "type": WEBHOOK_TYPES[EventKind.REMINDER_SENT],
        "occurred_at": at.isoformat(),
        "conversation_id": conversation,
        "customer_id": payload.get("customer_id"),
        "message": {k: payload[k] for k in ("text", "language", "items") if k in payload},
    }
    return Outbound(event_id, WEBHOOK_TYPES[EventKind.REMINDER_SENT], body)
