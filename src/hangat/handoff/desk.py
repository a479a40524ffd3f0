"""The staff side of a handoff: the queue, claiming, replying, handing back with a note, resolving.

Every step is an event appended to the conversation's log; the store refuses, inside the appending
transaction, any step the owner state machine forbids (:mod:`hangat.domain.handoff`), so two staff
claiming at once get one winner and one :class:`~hangat.errors.OwnershipConflict`, told at once.
Handing back and resolving tell the shopper in their language, in the same write.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hangat.dialogue.text_parts import pack
from hangat.domain.conversation import TEXT_CHANNEL_PREFIX, Conversation, Event, EventKind, NewEvent, fold
from hangat.domain.customer import StaffMember
from hangat.domain.handoff import CLAIMED, OPEN, QUEUED, Handoff
from hangat.errors import InputError, NotFound, OwnershipConflict
from hangat.i18n import t
from hangat.ports import Clock, Store, check_identifier

MAX_REPLY_CHARS = 4000
MAX_NOTE_CHARS = 1000
QUEUE_LIMIT = 500  # open handoffs listed; a store with more waiting has a staffing problem to see


@dataclass(frozen=True)
class QueueItem:
    """One line of the console's queue."""

    handoff: Handoff
    conversation: Conversation
    waiting_seconds: int
    first_words: str  # the shopper's last message, shortened
    staff_name: str | None  # who holds it, when claimed


class Desk:
    """What a signed-in staff member can do. ``notify`` wakes the live streams after each write."""

    def __init__(self, store: Store, clock: Clock, notify: Callable[[], None]) -> None:
        self.store = store
        self.clock = clock
        self.notify = notify

    def queue(self, states: tuple[str, ...] = OPEN) -> list[QueueItem]:
        """Open handoffs, the longest waiting first, then the ones being handled."""
        now = self.clock.now()
        names = {s.external_id: s.first_name for s in self.store.list_staff()}
        items = []
        for h in self.store.handoffs(states, limit=QUEUE_LIMIT):
            convo = self.store.get_conversation(h.conversation_id)
            said = [e for e in self.store.events(h.conversation_id) if e.kind is EventKind.SHOPPER_SAID]
            words = str(said[-1].payload.get("text", "")) if said else ""
            since = h.requested_at or now
            items.append(
                QueueItem(
                    h,
                    convo,
                    max(0, int((now - since).total_seconds())),
                    _short(words, 140),
                    names.get(h.staff_id or ""),
                )
            )
        return sorted(items, key=lambda i: (i.handoff.state == CLAIMED, -i.waiting_seconds))

    def overflowing(self, states: tuple[str, ...] = OPEN) -> bool:
        """Whether more open handoffs exist than the queue lists (``QUEUE_LIMIT``)."""
        return len(self.store.handoffs(states, limit=QUEUE_LIMIT + 1)) > QUEUE_LIMIT

    def claim(self, conversation_id: str, staff: StaffMember) -> Handoff:
        """Take the conversation; raises OwnershipConflict when someone else has it (claiming what
        one already holds — a double click — changes nothing)."""
        try:
            self._event(conversation_id, EventKind.HANDOFF_CLAIMED, staff, {}, f"claim.{staff.external_id}")
        except OwnershipConflict:
            held = self.store.handoff(conversation_id)
            if held is None or held.state != CLAIMED or held.staff_id != staff.external_id:
                raise
        return self._handoff(conversation_id)

    def reply(self, conversation_id: str, staff: StaffMember, text: str, key: str) -> Event:
        """Send ``text`` to the shopper as ``staff``; the same ``key`` again stores nothing new."""
        text = text.strip()
        if not text or len(text) > MAX_REPLY_CHARS:
            raise InputError(f"a reply must be 1-{MAX_REPLY_CHARS} characters")
        check_identifier(key, "reply key", limit=150)
        said: dict[str, object] = {"text": text}
        if conversation_id.startswith(TEXT_CHANNEL_PREFIX):  # the provider sends these to the phone
            said["parts"] = pack([f"{staff.first_name}: {text}"])
        return self._event(conversation_id, EventKind.STAFF_SAID, staff, said, f"staff.{key}", True)

    def hand_back(self, conversation_id: str, staff: StaffMember, note: str = "") -> None:
        """Return the conversation to the assistant with a note (shown to the shopper, read by the bot)."""
        note = _note(note)
        lang = self._language(conversation_id)
        key = "handoff.returned_note" if note else "handoff.returned"
        said = {"text": t(lang, key, name=staff.first_name, note=note), "language": lang, "from_desk": True}
        self._append(
            conversation_id,
            [
                NewEvent(EventKind.HANDOFF_RETURNED, self._acting(conversation_id, staff, {"note": note})),
                NewEvent(EventKind.ASSISTANT_SAID, {**said, "passed_note": bool(note), "outcome": "ok"}),
            ],
            f"back.{staff.external_id}",
        )

    def resolve(self, conversation_id: str, staff: StaffMember, note: str = "") -> None:
        """Mark the handoff done; the shopper may write again and the assistant answers."""
        note = _note(note)
        lang = self._language(conversation_id)
        text = t(lang, "handoff.resolved", name=staff.first_name)
        said = {"text": text, "language": lang, "from_desk": True}
        self._append(
            conversation_id,
            [
                NewEvent(EventKind.HANDOFF_RESOLVED, self._acting(conversation_id, staff, {"note": note})),
                NewEvent(EventKind.ASSISTANT_SAID, {**said, "outcome": "ok"}),
            ],
            f"resolve.{staff.external_id}",
        )

    def _acting(
        self, conversation_id: str, staff: StaffMember, payload: dict[str, object]
    ) -> dict[str, object]:
        """Who the step is recorded for: the staff member, or — when an admin closes a conversation
        someone else holds (they went home) — the holder, with the admin as ``by``. Only an admin may
        close a request nobody has claimed (the shopper would read "Budi has handed …" otherwise)."""
        held = self.store.handoff(conversation_id)
        if held is not None and held.state == QUEUED and staff.role != "admin":
            raise OwnershipConflict("claim the conversation before handing it back or resolving it")
        holder = held.staff_id if held is not None and held.state == CLAIMED else None
        if staff.role == "admin" and holder and holder != staff.external_id:
            return {**payload, "staff_id": holder, "name": staff.first_name, "by": staff.external_id}
        return _who(staff, payload)

    def owner(self, conversation_id: str) -> str:
        return fold(self.store.events(conversation_id)).owner

    def _event(
        self, conversation_id: str, kind: EventKind, staff: StaffMember, payload: dict[str, object],
        key: str, exact: bool = False,
    ) -> Event:  # fmt: skip
        events = self._append(conversation_id, [NewEvent(kind, _who(staff, payload))], key, exact)
        return events[0]

    def _append(
        self, conversation_id: str, events: list[NewEvent], key: str, exact: bool = False
    ) -> list[Event]:
        check_identifier(conversation_id, "conversation id")
        self.store.get_conversation(conversation_id)
        unique = key if exact else f"{key}.{uuid.uuid4().hex[:12]}"
        try:
            written = self.store.append_events(conversation_id, events, unique)
        finally:
            self.notify()
        return written

    def _handoff(self, conversation_id: str) -> Handoff:
        found = self.store.handoff(conversation_id)
        if found is None:
            raise NotFound("handoff", conversation_id)
        return found

    def _language(self, conversation_id: str) -> str:
        state = fold(self.store.events(conversation_id))
        if state.language in ("en", "id"):
            return state.language
        return self.store.get_conversation(conversation_id).language


def _who(staff: StaffMember, payload: dict[str, object]) -> dict[str, object]:
    return {**payload, "staff_id": staff.external_id, "name": staff.first_name}


def _note(note: str) -> str:
    note = " ".join(str(note).split())
    if len(note) > MAX_NOTE_CHARS:
        raise InputError(f"a note must be at most {MAX_NOTE_CHARS} characters")
    return note


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def waited(h: Handoff, now: datetime) -> int:
    """Seconds the shopper has waited (until claimed, or until now)."""
    if h.requested_at is None:
        return 0
    end = h.claimed_at or now
    return max(0, int((end - h.requested_at).total_seconds()))


__all__ = ["Desk", "OwnershipConflict", "QueueItem", "waited"]
