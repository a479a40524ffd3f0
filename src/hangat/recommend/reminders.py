"""Replenishment reminders: "coffee is probably running low", for shoppers who said yes to them.

A scheduled job (``Assistant.send_reminders``, run daily by the server and by ``hangat remind``)
asks the next-basket model which of a household's regular items are due within ``DUE_WITHIN`` days,
writes one reminder into a conversation of the customer's own (so a reply — "add them all to the
cart" — continues there), and queues a ``conversation.reminder`` webhook so the store delivers it
where the shopper is (e-mail, SMS, WhatsApp). At most one reminder a week per customer; only with
the ``reminders`` consent, and never for a customer the model does not know.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hangat.domain.catalog import Product
from hangat.domain.conversation import EventKind, NewEvent
from hangat.i18n import t
from hangat.recommend.suggest import Suggestion

DUE_WITHIN = 2.0  # days: an item due by then is worth a reminder today
QUIET = timedelta(days=7)  # at most one reminder a week per customer
MOST = 3  # items named in one reminder
PREFIX = "reminder-"


@dataclass(frozen=True)
class Reminder:
    conversation_id: str
    key: str  # the idempotency key: one reminder per customer and day, however often the job runs
    events: tuple[NewEvent, ...]


def due(suggestions: Sequence[Suggestion], limit: int = MOST) -> list[Suggestion]:
    """The household's regular items due within ``DUE_WITHIN`` days, the most overdue first."""
    soon = [s for s in suggestions if s.repeat and s.due_in_days is not None and s.due_in_days <= DUE_WITHIN]
    return sorted(soon, key=lambda s: (s.due_in_days or 0.0, -s.score))[:limit]


def conversation_for(customer_id: str, now: datetime) -> str:
    """The reminder's conversation: one a day per customer (the id names no one)."""
    digest = hashlib.sha256(customer_id.encode()).hexdigest()[:16]
    return f"{PREFIX}{now:%Y%m%d}-{digest}"


def compose(
    customer_id: str, items: Sequence[tuple[Suggestion, Product]], lang: str, now: datetime
) -> Reminder:
    """The reminder's events: the products shown, the assistant's message, and the one the store sends."""
    titles = ", ".join(p.title for _, p in items)
    text = "\n".join([t(lang, "reminder.due", items=titles), t(lang, "reminder.how")])
    ids = [p.external_id for _, p in items]
    reasons = [t(lang, "reason.due_now") for _ in items]
    conversation = conversation_for(customer_id, now)
    sent = {
        "conversation_id": conversation, "customer_id": customer_id, "text": text, "language": lang,
        "items": [{"product_id": p.external_id, "title": p.title} for _, p in items],
    }  # fmt: skip
    events = (
        NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": ids, "reasons": reasons}),
        NewEvent(EventKind.ASSISTANT_SAID, {"text": text, "language": lang, "reminder": True, "actions": []}),
        NewEvent(EventKind.REMINDER_SENT, sent),
    )
    return Reminder(conversation, f"{PREFIX}{now:%Y%m%d}", events)
