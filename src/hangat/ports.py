"""Ports: the small protocols the core depends on. Adapters live in ``hangat.adapters``.

Every adapter of :class:`Store` (memory, SQLite, PostgreSQL) passes the one contract suite in
``tests/contract/test_store_contract.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hangat.domain.booking import Booking
from hangat.domain.catalog import Product, Review
from hangat.domain.chat import ChatMessage
from hangat.domain.conversation import Conversation, Event, NewEvent
from hangat.domain.customer import Customer, StaffMember, StaffSession
from hangat.domain.handoff import Handoff, Outbound
from hangat.domain.order import Order
from hangat.errors import InputError


@dataclass(frozen=True)
class UpsertCounts:
    """How many records an upsert created and how many it updated."""

    inserted: int = 0
    updated: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(self.inserted + other.inserted, self.updated + other.updated)


IDENTIFIER = re.compile(r"[A-Za-z0-9_.:\-]+")


def check_identifier(value: str, what: str = "idempotency key", limit: int = 200) -> None:
    """Keys and conversation ids: 1-``limit`` characters of letters, digits and ``_ . : -``.

    Adapters rely on this (no ``#``: it separates a write's key from an event's position).
    """
    if not isinstance(value, str) or len(value) > limit or not IDENTIFIER.fullmatch(value):
        raise InputError(f"{what} must be 1-{limit} characters of letters, digits, '_', '.', ':' or '-'")


def check_idempotency_key(key: str) -> None:
    check_identifier(key)


class Store(Protocol):
    """Durable storage of the catalog, people, orders and conversations.

    Each write method is one transaction: it writes everything it was given or nothing.
    """

    # catalog
    def upsert_products(self, products: Sequence[Product]) -> UpsertCounts: ...
    def get_product(self, external_id: str) -> Product: ...
    def get_products(self, external_ids: Sequence[str]) -> list[Product]: ...
    def existing_product_ids(self, external_ids: Iterable[str]) -> set[str]: ...
    def list_products(self, category_prefix: str = "", limit: int = 24, offset: int = 0) -> list[Product]: ...
    def categories(self, depth: int = 1) -> list[tuple[str, int]]: ...
    def all_products(self) -> list[Product]: ...
    def catalog_version(self) -> str: ...
    def upsert_reviews(self, reviews: Sequence[Review]) -> UpsertCounts: ...
    def reviews_for(self, product_id: str, limit: int = 50) -> list[Review]: ...

    # product embeddings: (product id, hash of the embedded text, float32 bytes) per model
    def embedding_hashes(self, model: str) -> dict[str, str]: ...
    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, bytes]]) -> int: ...
    def load_embeddings(self, model: str) -> list[tuple[str, bytes]]: ...

    # people and orders
    def upsert_customers(self, customers: Sequence[Customer]) -> UpsertCounts: ...
    def get_customer(self, external_id: str) -> Customer: ...
    def list_customers(self, limit: int = 100, offset: int = 0) -> list[Customer]: ...
    def upsert_orders(self, orders: Sequence[Order], customers: Sequence[Customer] = ()) -> UpsertCounts: ...
    def orders_for(self, customer_id: str, limit: int = 100) -> list[Order]: ...
    def upsert_staff(self, staff: Sequence[StaffMember]) -> UpsertCounts: ...
    def list_staff(self) -> list[StaffMember]: ...

    # service bookings: ``hold_booking`` raises Conflict when the staff member is already booked then
    def hold_booking(self, booking: Booking) -> Booking: ...
    def bookings_between(self, start: datetime, end: datetime) -> list[Booking]: ...

    # conversations: an append-only, ordered event log
    def open_conversation(self, external_id: str, customer_id: str | None, language: str) -> Conversation: ...
    def get_conversation(self, external_id: str) -> Conversation: ...
    def append_events(
        self, conversation_id: str, events: Sequence[NewEvent], idempotency_key: str
    ) -> list[Event]: ...
    def events(self, conversation_id: str, after_seq: int = 0) -> list[Event]: ...

    # handoffs: kept by ``append_events`` through :func:`hangat.domain.handoff.advance`, in the same
    # transaction (a step the owner state refuses raises OwnershipConflict and writes nothing)
    def handoff(self, conversation_id: str) -> Handoff | None: ...
    def handoffs(self, states: Sequence[str], limit: int = 200) -> list[Handoff]: ...
    def last_handler(self, customer_id: str) -> str | None: ...

    # staff sign-in: a password hash per staff member, and console sessions by token hash
    def set_staff_password(self, staff_id: str, password_hash: str) -> None: ...
    def staff_password(self, staff_id: str) -> str | None: ...
    def open_session(self, session: StaffSession) -> None: ...
    def get_session(self, token_hash: str, now: datetime) -> StaffSession | None: ...
    def close_session(self, token_hash: str) -> None: ...
    def staff_seen_since(self, since: datetime) -> set[str]: ...

    # the webhook outbox: written with the handoff events; ``due_webhooks`` hands out what is due
    def due_webhooks(self, now: datetime, limit: int = 50) -> list[Outbound]: ...
    def webhook_attempted(self, ident: int, delivered_at: datetime | None, retry_at: datetime | None,
                          error: str = "") -> None: ...  # fmt: skip

    # housekeeping
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...


class Clock(Protocol):
    """The time, injectable so tests and replays are deterministic."""

    def now(self) -> datetime: ...


class LanguageModel(Protocol):
    """An optional chat model that may re-phrase a reply; the tools decide the facts.

    ``complete`` returns the assistant's text for ``messages`` within ``timeout`` seconds, or raises
    :class:`~hangat.errors.LanguageModelError` (:class:`~hangat.errors.LanguageModelTimeout` when
    slow). Adapters (``hangat.adapters.llm``) pass ``tests/contract/test_language_model_contract.py``.
    """

    name: str

    def complete(self, messages: Sequence[ChatMessage], timeout: float) -> str: ...
