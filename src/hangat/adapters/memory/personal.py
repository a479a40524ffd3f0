"""The in-memory side of personal data: consents, memory facts, erasure and retention.

A mixin of :class:`~hangat.adapters.memory.store.MemoryStore`; same contract as the SQL one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from hangat.domain.booking import Booking
from hangat.domain.conversation import Conversation, Event
from hangat.domain.customer import Customer, StaffSession
from hangat.domain.handoff import Handoff, Outbound
from hangat.domain.memory import Consent, Fact, allowed, check_consent, check_fact
from hangat.domain.order import Order
from hangat.errors import Conflict, NotFound


class PersonalData:
    """Consents, memory facts, a customer's erasure and the retention purge, in dictionaries."""

    _lock: threading.RLock
    customers: dict[str, Customer]
    orders: dict[str, Order]
    conversations: dict[str, Conversation]
    event_log: dict[str, list[Event]]
    bookings: dict[str, Booking]
    handoff_by_conversation: dict[str, Handoff]
    sessions: dict[str, StaffSession]
    outbox: list[Outbound]
    outbox_state: dict[int, dict[str, Any]]
    consent_log: list[Consent]
    memory: dict[str, Fact]

    def _known(self, customer_id: str) -> None:
        if customer_id not in self.customers:
            raise NotFound("customer", customer_id)

    def record_consent(self, consent: Consent) -> None:
        check_consent(consent)
        with self._lock:
            self._known(consent.customer_id)
            self.consent_log.append(consent)
            if not consent.granted:
                self.memory = {
                    k: f for k, f in self.memory.items()
                    if not (f.customer_id == consent.customer_id and f.purpose == consent.purpose)
                }  # fmt: skip

    def consents(self, customer_id: str) -> list[Consent]:
        return sorted((c for c in self.consent_log if c.customer_id == customer_id), key=lambda c: c.at)

    def consenting(self, purpose: str) -> list[str]:
        latest: dict[str, bool] = {}
        for c in sorted(self.consent_log, key=lambda c: c.at):
            if c.purpose == purpose:
                latest[c.customer_id] = c.granted
        return sorted(k for k, yes in latest.items() if yes)

    def add_facts(self, facts: Sequence[Fact]) -> None:
        for fact in facts:
            check_fact(fact)
        with self._lock:
            for fact in facts:
                self._known(fact.customer_id)
                if not allowed(self.consents(fact.customer_id), fact.purpose):
                    raise Conflict(f"no consent to {fact.purpose!r} for this customer: fact not kept")
            if any(f.ident in self.memory for f in facts):
                raise Conflict("a fact with this id exists")
            self.memory.update((f.ident, f) for f in facts)

    def facts(self, customer_id: str) -> list[Fact]:
        mine = [f for f in self.memory.values() if f.customer_id == customer_id]
        return sorted(mine, key=lambda f: (f.created_at, f.ident))

    def change_fact(self, customer_id: str, ident: str, value: str, expires_at: datetime) -> Fact:
        with self._lock:
            fact = self.memory.get(ident)
            if fact is None or fact.customer_id != customer_id:
                raise NotFound("fact", ident)
            changed = replace(fact, value=value, expires_at=expires_at)
            check_fact(changed)
            self.memory[ident] = changed
            return changed

    def erase_facts(self, customer_id: str, idents: Sequence[str] | None = None) -> int:
        with self._lock:
            doomed = [k for k, f in self.memory.items()
                      if f.customer_id == customer_id and (idents is None or k in idents)]  # fmt: skip
            for k in doomed:
                del self.memory[k]
            return len(doomed)

    def conversations_for(self, customer_id: str) -> list[Conversation]:
        mine = [c for c in self.conversations.values() if c.customer_id == customer_id]
        return sorted(mine, key=lambda c: c.created_at)

    def bookings_for(self, customer_id: str) -> list[Booking]:
        ids = {c.external_id for c in self.conversations_for(customer_id)}
        mine = [b for b in self.bookings.values() if b.customer_id == customer_id or b.conversation_id in ids]
        return sorted(mine, key=lambda b: (b.starts_at, b.external_id))

    def erase_customer(self, customer_id: str, tombstone: str) -> dict[str, int]:
        with self._lock:
            self._known(customer_id)
            done: dict[str, int] = {}
            ids = {c.external_id for c in self.conversations_for(customer_id)}
            theirs = [o for o in self.orders.values() if o.customer_id == customer_id]
            if theirs:
                self.customers[tombstone] = Customer(tombstone)
                for o in theirs:
                    self.orders[o.external_id] = replace(o, customer_id=tombstone, tracking="")
                done["orders_deidentified"] = len(theirs)
            touched = [
                b for b in self.bookings.values() if b.customer_id == customer_id or b.conversation_id in ids
            ]
            for b in touched:
                self.bookings[b.external_id] = replace(b, customer_id=None, conversation_id=None)
            done["bookings_deidentified"] = len(touched)
            done["webhooks"] = self._drop_webhooks({customer_id, *ids})
            done["memory_facts"] = self.erase_facts(customer_id)
            before = len(self.consent_log)
            self.consent_log = [c for c in self.consent_log if c.customer_id != customer_id]
            done["consents"] = before - len(self.consent_log)
            self._drop_conversations(ids)
            done["conversations"] = len(ids)
            del self.customers[customer_id]
            done["customers"] = 1
            return done

    def purge(self, now: datetime, customer_before: datetime, anonymous_before: datetime,
              webhooks_before: datetime) -> dict[str, int]:  # fmt: skip
        with self._lock:
            lapsed = [k for k, f in self.memory.items() if not f.live(now)]
            for k in lapsed:
                del self.memory[k]
            stale = set()
            for c in self.conversations.values():
                quiet = max(
                    (e.created_at for e in self.event_log.get(c.external_id, [])), default=c.created_at
                )
                if quiet < (customer_before if c.customer_id else anonymous_before):
                    stale.add(c.external_id)
            self._drop_webhooks(stale)
            self._drop_conversations(stale)
            delivered = {h.id: self.outbox_state[h.id]["delivered"] for h in self.outbox}
            old = [i for i, d in delivered.items() if d is not None and d < webhooks_before]
            self._drop_outbox(set(old))
            ended = [k for k, s in self.sessions.items() if s.expires_at <= now]
            for k in ended:
                del self.sessions[k]
            return {"memory_facts": len(lapsed), "conversations": len(stale), "webhooks": len(old),
                    "staff_sessions": len(ended)}  # fmt: skip

    def _drop_conversations(self, ids: set[str]) -> None:
        for ident in ids:
            self.conversations.pop(ident, None)
            self.event_log.pop(ident, None)
            self.handoff_by_conversation.pop(ident, None)
        for k, f in list(self.memory.items()):
            if f.conversation_id in ids:
                self.memory[k] = replace(f, conversation_id=None)

    def _drop_webhooks(self, needles: set[str]) -> int:
        doomed = {
            h.id for h in self.outbox if any(n in json.dumps(h.body, ensure_ascii=False) for n in needles)
        }
        self._drop_outbox(doomed)
        return len(doomed)

    def _drop_outbox(self, ids: set[int]) -> None:
        self.outbox = [h for h in self.outbox if h.id not in ids]
        for i in ids:
            self.outbox_state.pop(i, None)
