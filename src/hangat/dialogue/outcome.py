"""What a tool gives back to the turn: reply sentences, products with reasons, evidence, a
comparison table, the events to store, and the typed action record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hangat.answers.ranking import EvidenceSet
from hangat.domain.catalog import Product, Review
from hangat.domain.conversation import ConversationState, NewEvent
from hangat.domain.memory import Fact
from hangat.domain.store_profile import StoreProfile
from hangat.i18n import voiced
from hangat.ports import Store
from hangat.recommend.suggest import Suggestion
from hangat.search.filters import Filters
from hangat.understand.understanding import Understanding


@dataclass(frozen=True)
class ShownProduct:
    """A product in a reply, with the one-line reason it is shown."""

    product: Product
    reason: str


@dataclass(frozen=True)
class Table:
    """A side-by-side comparison: one column per product, one row per property."""

    product_ids: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row label, one cell per product)


@dataclass(frozen=True)
class Outcome:
    action: str
    lines: tuple[str, ...] = ()
    products: tuple[ShownProduct, ...] = ()
    table: Table | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    events: tuple[NewEvent, ...] = ()
    record: dict[str, Any] = field(default_factory=dict)
    failed: bool = False  # the assistant could not do what was asked
    facts: dict[str, Any] = field(default_factory=dict)  # specifics for the acknowledgment
    offer_person: str | None = None  # a reason this outcome itself calls for a person
    choices: tuple[str, ...] = ()  # quick replies


Prepared = Callable[[Product, list[Review]], EvidenceSet]
Finder = Callable[[str, str, Filters | None, int], list[ShownProduct]]
Similar = Callable[[Product, int], list[Product]]


@dataclass(frozen=True)
class ToolContext:
    """Everything a tool may use. Only tools touch the store."""

    store: Store
    find: Finder
    similar: Similar
    profile: StoreProfile
    conversation_id: str
    customer_id: str | None
    lang: str
    now: datetime
    state: ConversationState
    text: str
    understanding: Understanding
    secret: bytes
    prepared: Prepared | None = None  # a cache of products' evidence, ready to rank
    plain: bool = False  # short sentences and everyday words
    # (household, k=8, now=): the household's likely next items as of the turn
    next_basket: Callable[..., list[Suggestion]] | None = None
    said_seq: int | None = None  # the position of the shopper's message in the conversation
    remembered: tuple[Fact, ...] = ()  # the customer's live memory facts as the turn began

    def say(self, key: str, **values: object) -> str:
        """A sentence in the shopper's language, the store's tone, and plain language if wanted."""
        return voiced(self.lang, key, self.profile.tone, self.plain, **values)

    def shown(self) -> list[Product]:
        """The products shown last, in the order they were shown."""
        ids = list(self.state.last_products)
        return ordered(self.store.get_products(ids), ids)

    def slot(self, name: str) -> Any:
        return self.understanding.slots.get(name)


def ordered(products: Sequence[Product], ids: Sequence[str]) -> list[Product]:
    by_id = {p.external_id: p for p in products}
    return [by_id[i] for i in ids if i in by_id]
