"""The composition root: ``build_assistant(settings)`` wires everything, and nothing else does.

:class:`Assistant` is the one object the web app, the CLI and library users talk to.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from hangat.adapters.stores import open_store
from hangat.dialogue.turn import Reply, ShownProduct, decide, reason_for, respond
from hangat.domain.catalog import Product
from hangat.domain.conversation import Event, EventKind, NewEvent, fold
from hangat.errors import InputError, MessageTooLong
from hangat.i18n import t
from hangat.ports import Store, check_identifier
from hangat.search.terms import MAX_QUERY_CHARS, query_terms
from hangat.settings import Settings
from hangat.understand.language import detect_language

MAX_CLIENT_KEY = 180  # the store's limit is 200; a turn adds ".in" / ".out" and a position


@dataclass(frozen=True)
class SearchResult:
    query: str
    language: str
    terms: tuple[str, ...]
    results: tuple[ShownProduct, ...]


@dataclass(frozen=True)
class TurnResult:
    """A finished turn: the reply and the sequence numbers of the events it stored."""

    conversation_id: str
    reply: Reply
    event_seqs: tuple[int, ...]
    replayed: bool = False


class Assistant:
    """The shopping assistant over one store. Create it with :func:`build_assistant`."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # -- search ---------------------------------------------------------------------------------

    def search(
        self, query: str, lang: str | None = None, category: str = "", limit: int | None = None
    ) -> SearchResult:
        if len(query) > MAX_QUERY_CHARS * 20:
            raise InputError(f"the query is longer than {MAX_QUERY_CHARS * 20} characters")
        if lang not in (None, "en", "id"):
            raise InputError(f"lang must be 'en' or 'id', not {lang!r}")
        language = lang or _plain_language(query, self.settings.default_language)
        terms = tuple(query_terms(query))
        size = min(limit or self.settings.search_limit, 100)
        found = self.store.match_products(terms, category, size) if terms else []
        cards = tuple(ShownProduct(p, reason_for(p, terms, language)) for p in found)
        return SearchResult(query, language, terms, cards)

    # -- conversation ---------------------------------------------------------------------------

    def handle_message(
        self,
        conversation_id: str,
        text: str,
        idempotency_key: str,
        customer_id: str | None = None,
        language: str | None = None,
    ) -> TurnResult:
        """One turn. Sending the same ``idempotency_key`` again returns the stored reply."""
        check_identifier(conversation_id, "conversation id")
        check_identifier(idempotency_key, "idempotency key", limit=MAX_CLIENT_KEY)
        self._check_text(text, language or self.settings.default_language)
        with self._serialised(conversation_id):
            convo = self.store.open_conversation(
                conversation_id, customer_id, language or self.settings.default_language
            )
            history = self.store.events(convo.external_id)
            previous = self._replay(history, idempotency_key)
            if previous is not None:
                return previous
            plan = decide(text, fold(history), self.settings.default_language, language)
            said = self.store.append_events(
                conversation_id,
                [NewEvent(EventKind.SHOPPER_SAID, {"text": text, "language": plan.detected_language})],
                f"{idempotency_key}.in",
            )
            products = self._act(plan.action, plan.terms)
            reply = respond(plan, text, products)
            out = self.store.append_events(conversation_id, _reply_events(reply), f"{idempotency_key}.out")
            seqs = tuple(e.seq for e in said + out)
            return TurnResult(conversation_id, reply, seqs)

    def _replay(self, history: list[Event], key: str) -> TurnResult | None:
        """The reply already stored for ``key``, rebuilt from its events; ``None`` if not answered."""
        mine = [e for e in history if e.idempotency_key.startswith((f"{key}.in#", f"{key}.out#"))]
        said = next((e for e in mine if e.kind is EventKind.ASSISTANT_SAID), None)
        if said is None:
            return None
        shown = next((e for e in mine if e.kind is EventKind.PRODUCTS_SHOWN), None)
        cards: tuple[ShownProduct, ...] = ()
        if shown is not None:
            reasons = dict(zip(shown.payload["product_ids"], shown.payload["reasons"], strict=True))
            found = self.store.get_products(list(reasons))
            cards = tuple(ShownProduct(p, str(reasons[p.external_id])) for p in found)
        reply = Reply(str(said.payload["text"]), str(said.payload["language"]), cards)
        return TurnResult(said.conversation_id, reply, tuple(e.seq for e in mine), replayed=True)

    def _act(self, action: str, terms: tuple[str, ...]) -> list[Product]:
        if action == "search":
            return self.store.match_products(terms, "", min(self.settings.search_limit, 6))
        return []

    def _check_text(self, text: str, lang: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise InputError(t(lang, "error.empty_message"))
        if len(text) > self.settings.max_message_chars:
            raise MessageTooLong(
                t(lang, "error.too_long", n=len(text), limit=self.settings.max_message_chars)
            )

    @contextmanager
    def _serialised(self, conversation_id: str) -> Iterator[None]:
        with self._locks_guard:
            lock = self._locks.setdefault(conversation_id, threading.Lock())
        with lock:
            yield

    def close(self) -> None:
        self.store.close()


def build_assistant(settings: Settings) -> Assistant:
    """Wire the assistant from settings: the store picked by URL (migrated), and everything else."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Assistant(settings, open_store(settings.database_url))


def _plain_language(text: str, default: str) -> str:
    found = detect_language(text, default)
    return found if found in ("en", "id") else "id"


def _reply_events(reply: Reply) -> list[NewEvent]:
    events = []
    if reply.products:
        events.append(
            NewEvent(
                EventKind.PRODUCTS_SHOWN,
                {
                    "product_ids": [c.product.external_id for c in reply.products],
                    "reasons": [c.reason for c in reply.products],
                },
            )
        )
    events.append(NewEvent(EventKind.ASSISTANT_SAID, {"text": reply.text, "language": reply.language}))
    return events


__all__ = ["Assistant", "SearchResult", "TurnResult", "build_assistant"]
