"""An in-memory :class:`~hangat.ports.Store`: same contract as the SQL store, nothing durable."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hangat.adapters.memory.personal import PersonalData
from hangat.domain.booking import Booking
from hangat.domain.catalog import CATEGORY_SEPARATOR, Product, Review
from hangat.domain.conversation import Conversation, Event, NewEvent
from hangat.domain.customer import Customer, StaffMember, StaffSession
from hangat.domain.handoff import Handoff, Outbound, advance, outbound
from hangat.domain.memory import Consent, Fact
from hangat.domain.order import Order
from hangat.errors import Conflict, NotFound
from hangat.ports import UpsertCounts, check_idempotency_key


class MemoryStore(PersonalData):
    """Dictionaries behind a lock; writes validate everything before changing anything."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.products: dict[str, Product] = {}
        self.reviews: dict[str, Review] = {}
        self.customers: dict[str, Customer] = {}
        self.orders: dict[str, Order] = {}
        self.staff: dict[str, StaffMember] = {}
        self.conversations: dict[str, Conversation] = {}
        self.event_log: dict[str, list[Event]] = {}
        self.vectors: dict[tuple[str, str], tuple[str, bytes]] = {}
        self.bookings: dict[str, Booking] = {}
        self.handoff_by_conversation: dict[str, Handoff] = {}
        self.passwords: dict[str, str] = {}
        self.sessions: dict[str, StaffSession] = {}
        self.outbox: list[Outbound] = []
        self.outbox_state: dict[int, dict[str, Any]] = {}
        self.consent_log: list[Consent] = []
        self.memory: dict[str, Fact] = {}
        self._writes = 0

    @staticmethod
    def _put(target: dict[str, Any], items: Iterable[tuple[str, Any]]) -> UpsertCounts:
        fresh = dict(items)
        updated = sum(1 for k in fresh if k in target)
        target.update(fresh)
        return UpsertCounts(inserted=len(fresh) - updated, updated=updated)

    def upsert_products(self, products: Sequence[Product]) -> UpsertCounts:
        with self._lock:
            self._writes += 1
            return self._put(self.products, ((p.external_id, copy.deepcopy(p)) for p in products))

    def get_product(self, external_id: str) -> Product:
        try:
            return self.products[external_id]
        except KeyError:
            raise NotFound("product", external_id) from None

    def get_products(self, external_ids: Sequence[str]) -> list[Product]:
        return [self.products[i] for i in external_ids if i in self.products]

    def existing_product_ids(self, external_ids: Iterable[str]) -> set[str]:
        return {i for i in external_ids if i in self.products}

    def _ranked(self, products: Iterable[Product]) -> list[Product]:
        return sorted(
            products, key=lambda p: (-(p.units_sold if p.units_sold is not None else -1), p.external_id)
        )

    def list_products(self, category_prefix: str = "", limit: int = 24, offset: int = 0) -> list[Product]:
        chosen = [p for p in self.products.values() if _in_category(p, category_prefix)]
        return self._ranked(chosen)[offset : offset + limit]

    def categories(self, depth: int = 1) -> list[tuple[str, int]]:
        totals: dict[str, int] = {}
        for p in self.products.values():
            if p.category_path:
                head = CATEGORY_SEPARATOR.join(p.category_path[:depth])
                totals[head] = totals.get(head, 0) + 1
        return sorted(totals.items())

    def all_products(self) -> list[Product]:
        return [self.products[k] for k in sorted(self.products)]

    def catalog_version(self) -> str:
        return f"{len(self.products)}:{self._writes}:{len(self.vectors)}"

    def embedding_hashes(self, model: str) -> dict[str, str]:
        return {pid: h for (pid, m), (h, _) in self.vectors.items() if m == model and pid in self.products}

    def put_embeddings(self, model: str, items: Sequence[tuple[str, str, bytes]]) -> int:
        with self._lock:
            if any(pid not in self.products for pid, _, _ in items):
                raise Conflict("embeddings refer to unknown products")
            for pid, text_hash, vector in items:
                self.vectors[(pid, model)] = (text_hash, bytes(vector))
        return len(items)

    def load_embeddings(self, model: str) -> list[tuple[str, bytes]]:
        return sorted(
            (pid, v) for (pid, m), (_, v) in self.vectors.items() if m == model and pid in self.products
        )

    def upsert_reviews(self, reviews: Sequence[Review]) -> UpsertCounts:
        with self._lock:
            missing = {r.product_id for r in reviews} - set(self.products)
            if missing:
                raise Conflict(f"reviews refer to unknown products: {sorted(missing)[:5]}")
            return self._put(self.reviews, ((r.external_id, r) for r in reviews))

    def reviews_for(self, product_id: str, limit: int = 50) -> list[Review]:
        mine = [r for r in self.reviews.values() if r.product_id == product_id]
        mine.sort(key=lambda r: r.external_id)
        mine.sort(key=lambda r: (r.reviewed_on is None, -(r.reviewed_on.toordinal() if r.reviewed_on else 0)))
        return mine[:limit]

    def upsert_customers(self, customers: Sequence[Customer]) -> UpsertCounts:
        with self._lock:
            return self._put(self.customers, ((c.external_id, c) for c in customers))

    def get_customer(self, external_id: str) -> Customer:
        try:
            return self.customers[external_id]
        except KeyError:
            raise NotFound("customer", external_id) from None

    def list_customers(self, limit: int = 100, offset: int = 0) -> list[Customer]:
        return [self.customers[k] for k in sorted(self.customers)][offset : offset + limit]

    def upsert_orders(self, orders: Sequence[Order], customers: Sequence[Customer] = ()) -> UpsertCounts:
        with self._lock:
            people = set(self.customers) | {c.external_id for c in customers}
            if any(o.customer_id not in people for o in orders):
                raise Conflict("orders refer to unknown customers")
            wanted = {line.product_id for o in orders for line in o.lines}
            if wanted - set(self.products):
                raise Conflict("order lines refer to unknown products")
            self._put(self.customers, ((c.external_id, c) for c in customers))
            return self._put(self.orders, ((o.external_id, o) for o in orders))

    def orders_for(self, customer_id: str, limit: int = 100) -> list[Order]:
        mine = [o for o in self.orders.values() if o.customer_id == customer_id]
        return sorted(mine, key=lambda o: o.placed_at, reverse=True)[:limit]

    def orders_placed(self, since: datetime | None = None, limit: int = 1000, offset: int = 0) -> list[Order]:
        found = [o for o in self.orders.values() if since is None or o.placed_at >= since]
        return sorted(found, key=lambda o: (o.placed_at, o.external_id))[offset : offset + limit]

    def upsert_staff(self, staff: Sequence[StaffMember]) -> UpsertCounts:
        with self._lock:
            return self._put(self.staff, ((s.external_id, s) for s in staff))

    def list_staff(self) -> list[StaffMember]:
        return [self.staff[k] for k in sorted(self.staff)]

    def hold_booking(self, booking: Booking) -> Booking:
        with self._lock:
            if booking.external_id in self.bookings:
                raise Conflict(f"booking {booking.external_id} already exists")
            mine = (b for b in self.bookings.values() if b.staff_id == booking.staff_id)
            if any(b.overlaps(booking.starts_at, booking.ends_at) for b in mine):
                raise Conflict(f"{booking.staff_id} is already booked at {booking.starts_at.isoformat()}")
            self.bookings[booking.external_id] = booking
            return booking

    def bookings_between(self, start: datetime, end: datetime) -> list[Booking]:
        found = [b for b in self.bookings.values() if b.overlaps(start, end)]
        return sorted(found, key=lambda b: b.starts_at)

    def open_conversation(self, external_id: str, customer_id: str | None, language: str) -> Conversation:
        with self._lock:
            if external_id in self.conversations:
                return self.conversations[external_id]
            if customer_id is not None and customer_id not in self.customers:
                raise NotFound("customer", customer_id)
            conv = Conversation(external_id, customer_id, language, datetime.now(UTC))
            self.conversations[external_id] = conv
            self.event_log[external_id] = []
            return conv

    def get_conversation(self, external_id: str) -> Conversation:
        try:
            return self.conversations[external_id]
        except KeyError:
            raise NotFound("conversation", external_id) from None

    def append_events(
        self, conversation_id: str, events: Sequence[NewEvent], idempotency_key: str
    ) -> list[Event]:
        check_idempotency_key(idempotency_key)
        with self._lock:
            log = self.event_log.get(conversation_id)
            if log is None:
                raise NotFound("conversation", conversation_id)
            done = [e for e in log if e.idempotency_key.startswith(idempotency_key + "#")]
            if done:
                return done
            now = datetime.now(UTC)
            convo = self.conversations[conversation_id]
            current = self.handoff_by_conversation.get(conversation_id)
            who = (convo.external_id, convo.customer_id, convo.language)
            hooks = []
            for i, e in enumerate(events, start=1):  # refuses before anything is written
                current = advance(current, e.kind, e.payload, now, len(log) + i, who)
                hook = outbound(e.kind, current, len(log) + i, now, e.payload)
                if hook is not None:
                    hooks.append(hook)
            if current is not None:
                self.handoff_by_conversation[conversation_id] = current
            for hook in hooks:
                ident = len(self.outbox) + 1
                self.outbox.append(replace(hook, id=ident, next_attempt_at=now))
                self.outbox_state[ident] = {"attempts": 0, "next": now, "delivered": None, "error": ""}
            fresh = [
                Event(
                    conversation_id,
                    len(log) + i,
                    e.kind,
                    copy.deepcopy(e.payload),
                    f"{idempotency_key}#{i}",
                    now,
                )
                for i, e in enumerate(events, start=1)
            ]
            log.extend(fresh)
            return list(fresh)

    def events(self, conversation_id: str, after_seq: int = 0) -> list[Event]:
        self.get_conversation(conversation_id)
        return [replace(e) for e in self.event_log[conversation_id] if e.seq > after_seq]

    def handoff(self, conversation_id: str) -> Handoff | None:
        with self._lock:
            return self.handoff_by_conversation.get(conversation_id)

    def handoffs(self, states: Sequence[str], limit: int = 200) -> list[Handoff]:
        with self._lock:
            found = [h for h in self.handoff_by_conversation.values() if h.state in states]
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(found, key=lambda h: h.requested_at or far)[:limit]

    def last_handler(self, customer_id: str) -> str | None:
        with self._lock:
            mine = [
                h for h in self.handoff_by_conversation.values()
                if h.customer_id == customer_id and h.staff_id and h.claimed_at
            ]  # fmt: skip
        latest = max(mine, key=lambda h: h.claimed_at or datetime.min.replace(tzinfo=UTC), default=None)
        return latest.staff_id if latest else None

    def set_staff_password(self, staff_id: str, password_hash: str) -> None:
        with self._lock:
            if staff_id not in self.staff:
                raise NotFound("staff member", staff_id)
            self.passwords[staff_id] = password_hash

    def staff_password(self, staff_id: str) -> str | None:
        return self.passwords.get(staff_id)

    def open_session(self, session: StaffSession) -> None:
        with self._lock:
            if session.staff_id not in self.staff:
                raise Conflict(f"unknown staff member {session.staff_id!r}")
            if session.token_hash in self.sessions:
                raise Conflict("session token already in use")
            self.sessions[session.token_hash] = session

    def get_session(self, token_hash: str, now: datetime) -> StaffSession | None:
        with self._lock:
            found = self.sessions.get(token_hash)
            if found is None:
                return None
            if found.expires_at <= now:
                del self.sessions[token_hash]
                return None
            self.sessions[token_hash] = replace(found, seen_at=max(found.seen_at, now))
            return found

    def close_session(self, token_hash: str) -> None:
        with self._lock:
            self.sessions.pop(token_hash, None)

    def staff_seen_since(self, since: datetime) -> set[str]:
        with self._lock:
            return {s.staff_id for s in self.sessions.values() if s.seen_at >= since}

    def due_webhooks(self, now: datetime, limit: int = 50) -> list[Outbound]:
        with self._lock:
            due = []
            for hook in self.outbox:
                st = self.outbox_state[hook.id]
                if st["delivered"] is None and st["next"] <= now:
                    due.append(replace(hook, attempts=st["attempts"], next_attempt_at=st["next"]))
            return due[:limit]

    def webhook_attempted(
        self, ident: int, delivered_at: datetime | None, retry_at: datetime | None, error: str = ""
    ) -> None:
        with self._lock:
            st = self.outbox_state[ident]
            st["attempts"] += 1
            st["error"] = error[:2000]
            if delivered_at is not None:
                st["delivered"] = delivered_at
            if retry_at is not None:
                st["next"] = retry_at

    def counts(self) -> dict[str, int]:
        return {
            "products": len(self.products),
            "reviews": len(self.reviews),
            "customers": len(self.customers),
            "orders": len(self.orders),
            "order_lines": sum(len(o.lines) for o in self.orders.values()),
            "staff": len(self.staff),
            "conversations": len(self.conversations),
            "conversation_events": sum(len(v) for v in self.event_log.values()),
            "bookings": len(self.bookings),
            "handoffs": len(self.handoff_by_conversation),
            "webhook_outbox": len(self.outbox),
            "consents": len(self.consent_log),
            "memory_facts": len(self.memory),
        }

    def close(self) -> None:
        """Nothing to release."""


def _in_category(p: Product, prefix: str) -> bool:
    return not prefix or p.category == prefix or p.category.startswith(prefix + CATEGORY_SEPARATOR)
