"""The honest wait: who is coming and how long it will take, from the live queue.

Available staff are the active ones who speak the shopper's language and have been seen in the
console within ``seen_minutes``. A free person (available and not holding a conversation) picks up
in about a minute; otherwise the wait is the queue ahead shared over the available staff, each
taking ``minutes_per_conversation``. Outside business hours nobody is promised: the shopper is told
when the store opens. The person who helped this customer last time is preferred when available.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from hangat.domain.customer import StaffMember
from hangat.domain.handoff import CLAIMED, QUEUED
from hangat.domain.store_profile import StoreProfile
from hangat.handoff.hours import is_open, next_opening
from hangat.ports import Store


@dataclass(frozen=True)
class Wait:
    """What the shopper is told: who (``None``: nobody online to name), about how many minutes
    (``None``: unknown), whether the store is open, and when it opens if not."""

    staff: StaffMember | None
    minutes: int | None
    ahead: int
    open_now: bool
    opens_at: datetime | None = None
    preferred: bool = False  # the person named helped this customer before


def estimate(
    store: Store, profile: StoreProfile, language: str, now: datetime, customer_id: str | None = None,
    conversation_id: str | None = None,
) -> Wait:  # fmt: skip
    """The wait for a new (or this conversation's) request."""
    rules = profile.handoff
    open_now = is_open(now, profile)
    waiting = store.handoffs([QUEUED, CLAIMED])
    queued = [h for h in waiting if h.state == QUEUED and h.conversation_id != conversation_id]
    mine = next((h for h in waiting if h.conversation_id == conversation_id), None)
    if mine is not None and mine.requested_at is not None:
        queued = [h for h in queued if h.requested_at is not None and h.requested_at < mine.requested_at]
    ahead = len(queued)
    if not open_now:
        return Wait(None, None, ahead, False, next_opening(now, profile))
    seen = store.staff_seen_since(now - timedelta(minutes=rules.seen_minutes))
    staff = store.list_staff()
    available = [s for s in staff if s.active and s.external_id in seen and language in s.languages]
    if not available:
        return Wait(None, None, ahead, True)
    holding = {h.staff_id for h in waiting if h.state == CLAIMED}
    free = [s for s in available if s.external_id not in holding]
    last = store.last_handler(customer_id) if customer_id else None
    preferred = next((s for s in available if s.external_id == last), None)
    person = preferred or (free[0] if free else available[0])
    if ahead < len(free):
        minutes = 1
    else:
        minutes = math.ceil((ahead - len(free) + 1) / len(available) * rules.minutes_per_conversation)
    return Wait(person, max(1, minutes), ahead, True, preferred=preferred is not None)
