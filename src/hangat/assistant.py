"""The composition root: ``build_assistant(settings)`` wires everything, and nothing else does.

:class:`Assistant` is the one object the web app, the CLI and library users talk to.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
import tomllib
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

import joblib
import numpy as np

from hangat.adapters.clock import SystemClock
from hangat.adapters.llm import make_language_model
from hangat.adapters.stores import open_store
from hangat.answers import prepare, product_evidence
from hangat.answers.ranking import EvidenceSet
from hangat.dialogue import cart_tools, selection
from hangat.dialogue.act import Extra, act
from hangat.dialogue.breaker import CircuitBreaker
from hangat.dialogue.outcome import ShownProduct, ToolContext
from hangat.dialogue.policy import Plan, decide
from hangat.dialogue.respond import Reply, reply_from_record, respond
from hangat.dialogue.turn import reason_for
from hangat.dialogue.voice import phrased
from hangat.domain.catalog import Product, Review
from hangat.domain.conversation import Conversation, ConversationState, Event, EventKind, NewEvent, fold
from hangat.domain.order import Order, OrderLine
from hangat.domain.store_profile import StoreProfile, parse_profile
from hangat.errors import ConfigError, Forbidden, InputError, MessageTooLong, NotFound, OwnershipConflict
from hangat.handoff.accounts import Accounts
from hangat.handoff.desk import Desk
from hangat.i18n import t
from hangat.memory.recall import plain_wanted, tone_wanted
from hangat.ports import Clock, LanguageModel, Store, check_identifier
from hangat.privacy import tokens
from hangat.privacy.rights import ShopperRights
from hangat.recommend import reminders
from hangat.recommend.history import build as build_history
from hangat.recommend.suggest import Recommender, Suggestion
from hangat.search.catalog_index import CatalogSearch, Embedder, Progress, refresh_embeddings
from hangat.search.engine import SearchConfig
from hangat.search.filters import Filters
from hangat.search.spelling import Spelling
from hangat.search.terms import MAX_QUERY_CHARS
from hangat.search.text import words
from hangat.search.vectors import VectorIndex
from hangat.settings import Settings
from hangat.understand.understander import Understander
from hangat.understand.understanding import Context, Emotion, Understanding

ORDER_PAGE = 5000  # orders read per query when training or refreshing the recommender
REFRESH_LOOKBACK = timedelta(days=2)  # how far before its newest order a refresh looks for late ones
READY_POLLS = 120  # the daily job waits up to ten minutes (120 × 5 s) for the recommendation model
STALE_DAYS = 365  # a household quiet this long is told what it usually buys, not what is "due"
EVIDENCE_CACHE = 512  # products whose evidence is kept ready to rank
MAX_CLIENT_KEY = 180  # the store's limit is 200; a turn adds ".in" / ".out" and a position


@dataclass(frozen=True)
class SearchResult:
    query: str
    language: str
    terms: tuple[str, ...]
    results: tuple[ShownProduct, ...]
    filters: Filters = field(default_factory=Filters)
    text: str = ""
    read_as: str | None = None  # the words searched for when misspelt ones were read as others


@dataclass(frozen=True)
class TurnResult:
    """A finished turn: the reply, the sequence numbers of the events it stored, and how the
    message was understood (``None`` for a replayed turn)."""

    conversation_id: str
    reply: Reply
    event_seqs: tuple[int, ...]
    replayed: bool = False
    understanding: Understanding | None = None


class Assistant:
    """The shopping assistant over one store. Create it with :func:`build_assistant`."""

    def __init__(self, settings: Settings, store: Store, catalog: CatalogSearch, understander: Understander,
                 profile: StoreProfile, secret: bytes) -> None:  # fmt: skip
        self.settings = settings
        self.store = store
        self.catalog = catalog
        self.understander = understander
        self.profile = profile
        self._secret = secret
        self.extra_tools: dict[str, Extra] = {}
        self._evidence: OrderedDict[str, EvidenceSet] = OrderedDict()
        self._appended = threading.Condition()
        self.model: LanguageModel | None = None  # the optional language model (``lm`` setting)
        self.breaker = CircuitBreaker()
        self.clock: Clock = SystemClock()
        self.recommender: Recommender | None = None  # trained by train_recommender()
        self.retrain_after_erasure = True  # off for a command that ends right after erasing
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @property
    def desk(self) -> Desk:
        """The staff side of handoffs: queue, claim, reply, hand back, resolve."""
        return Desk(self.store, self.clock, self._notify)

    @property
    def rights(self) -> ShopperRights:
        """The shopper's rights: the memory card, consents, corrections, export and erasure."""
        return ShopperRights(
            self.store, self.clock, self.profile, self.settings.log_dir, self.forget_household
        )

    def customer_token(self, customer_id: str, minutes: int | None = None) -> str:
        """A signed shopper token for ``customer_id`` (what a store's site gives its chat)."""
        self.store.get_customer(customer_id)
        span = timedelta(minutes=minutes or self.settings.customer_token_minutes)
        return tokens.issue(self._customer_key, customer_id, self.clock.now(), span)

    def shopper_from_token(self, token: str) -> str:
        """The customer a shopper token names (:class:`~hangat.errors.Unauthorized` if it is not valid)."""
        return tokens.verify(self._customer_key, token, self.clock.now())

    @property
    def _customer_key(self) -> bytes:
        given = self.settings.customer_secret
        return given.encode() if given else tokens.derived_secret(self._secret)

    def forget_household(self, customer_id: str) -> bool:
        """Drop the recommendation model when it knows ``customer_id`` (it is retrained from the
        de-identified orders in the background, unless ``retrain_after_erasure`` is off); True
        when it did."""
        if self.recommender is None:
            self.load_recommender()  # a saved model holds households' histories too
        rec = self.recommender
        if rec is None or customer_id not in rec.index:
            return False
        self.recommender = None
        self.recommender_file.unlink(missing_ok=True)
        if self.retrain_after_erasure:
            self.train_recommender_in_background(use_saved=False)
        return True

    def daily_in_background(self, every: float = 24 * 3600) -> threading.Thread:
        """The server's daily housekeeping: the retention purge, then a fresh recommendation model
        (which also drops households erased from another process, such as ``hangat privacy erase``)."""
        log = logging.getLogger("hangat.privacy")

        def work() -> None:
            while True:
                try:
                    done = self.rights.purge()
                    log.info("retention purge: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
                    for _ in range(READY_POLLS):  # reminders need the model, trained beside this job
                        if self.recommender is not None:
                            break
                        time.sleep(5)
                    sent = self.send_reminders()
                    log.info("reminders: %s", ", ".join(f"{k} {v}" for k, v in sent.items()))
                except Exception:  # a background job must report, not vanish
                    log.exception("retention purge or reminders failed; trying again tomorrow")
                time.sleep(every)
                self.train_recommender_in_background(use_saved=False).join()

        return _in_background("hangat-daily", work)

    @property
    def accounts(self) -> Accounts:
        """Staff sign-in and console sessions."""
        return Accounts(self.store, self.clock)

    # -- search ---------------------------------------------------------------------------------

    def search(
        self, query: str, lang: str | None = None, filters: Filters | None = None, limit: int | None = None
    ) -> SearchResult:
        """Hybrid search with filters from the words and from ``filters`` (which win)."""
        if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS * 20:
            raise InputError(f"the query must be text of at most {MAX_QUERY_CHARS * 20} characters")
        if lang not in (None, "en", "id"):
            raise InputError(f"lang must be 'en' or 'id', not {lang!r}")
        size = min(limit or self.settings.search_limit, 100)
        outcome = self.catalog.engine().search(query, filters, size)
        language = lang or _plain_language(outcome.language, self.settings.default_language)
        terms = tuple(words(outcome.text))
        cards = tuple(
            ShownProduct(h.product, reason_for(h.product, terms, language, outcome.translated))
            for h in outcome.hits
        )
        read_as = outcome.text if outcome.spelling else None
        return SearchResult(query, language, terms, cards, outcome.filters, outcome.text, read_as)

    # -- conversation ---------------------------------------------------------------------------

    def handle_message(
        self,
        conversation_id: str,
        text: str,
        idempotency_key: str,
        customer_id: str | None = None,
        language: str | None = None,
        now: datetime | None = None,
        plain: bool | None = None,
    ) -> TurnResult:
        """One turn: understand → decide → act → respond. Sending the same ``idempotency_key``
        again returns the stored reply; while a person owns the conversation the reply is silent."""
        check_identifier(conversation_id, "conversation id")
        check_identifier(idempotency_key, "idempotency key", limit=MAX_CLIENT_KEY)
        self._check_text(text, language or self.settings.default_language)
        moment = now or datetime.now(UTC)
        with self._serialised(conversation_id):
            convo = self.store.open_conversation(
                conversation_id, customer_id, language or self.settings.default_language
            )
            history = self.store.events(convo.external_id)
            previous = self._replay(history, idempotency_key)
            if previous is not None:
                return previous
            state = fold(history)
            reading = self.read(text)
            understood = self.understander.understand(
                reading.text,
                now=moment.date(),
                context=Context(state.language, state.emotions),
                default_language=self.settings.default_language,
            )
            plan = decide(
                reading.text, state, understood, language, self.settings.default_language,
                self.profile.handoff, self.profile.bulk_quantity,
            )  # fmt: skip
            payload: dict[str, object] = {
                "text": text,
                "language": understood.language,
                "understanding": understood.record(),
                "plain": plain,
                "route": plan.route.record(),
            }
            if reading.changed:
                payload["read_as"] = reading.text
            said = self.store.append_events(
                conversation_id, [NewEvent(EventKind.SHOPPER_SAID, payload)], f"{idempotency_key}.in"
            )
            if customer_id is not None and convo.customer_id not in (None, customer_id):
                raise Forbidden("this conversation belongs to another customer")
            who = convo.customer_id or customer_id
            ctx = self._context(conversation_id, who, plan.language, moment, state, reading.text, understood)
            known = [f for f in self.store.facts(who) if f.live(moment)] if who is not None else []
            store_plain = self.profile.plain_language or plain_wanted(known)
            ctx = replace(
                ctx,
                plain=_plain(plain, state.plain, store_plain),
                said_seq=said[0].seq,
                remembered=tuple(known),
            )
            tone = tone_wanted(known)  # "pakai bahasa santai aja", "please address me formally"
            if tone is not None:
                ctx = replace(ctx, profile=replace(self.profile, tone=tone))
            outcomes = act(plan, ctx, self.extra_tools)
            reply, events = respond(plan, outcomes, ctx)
            reply, wording = phrased(
                reply, ctx, self.model, self.breaker, self.clock, self.settings.lm_timeout_ms / 1000,
                self.settings.store_name,
            )  # fmt: skip
            if not reply.silent:
                record = {
                    **reply.record(),
                    "phrased_by": wording.source,
                    "phrase_rejected": wording.rejected_because,
                }
                events.append(NewEvent(EventKind.ASSISTANT_SAID, record))
            try:
                out = (
                    self.store.append_events(conversation_id, events, f"{idempotency_key}.out")
                    if events
                    else []
                )
            except OwnershipConflict:  # a person claimed the conversation during this turn
                self._notify()
                silent = Reply("", reply.language, silent=True)
                return TurnResult(
                    conversation_id, silent, tuple(e.seq for e in said), understanding=understood
                )
            seqs = tuple(e.seq for e in said + out)
            self._notify()
            return TurnResult(conversation_id, reply, seqs, understanding=understood)

    def start_conversation(self, customer_id: str | None = None, language: str | None = None) -> Conversation:
        """A new, empty conversation (an unknown customer id is an error)."""
        if language not in (None, "en", "id"):
            raise InputError(f"language must be 'en' or 'id', not {language!r}")
        ident = f"conv-{uuid.uuid4().hex}"
        return self.store.open_conversation(ident, customer_id, language or self.settings.default_language)

    def confirm(self, conversation_id: str, token: str, idempotency_key: str) -> TurnResult:
        """The widget's "confirm" button: hand over checkout if ``token`` still matches the cart."""
        check_identifier(conversation_id, "conversation id")
        check_identifier(idempotency_key, "idempotency key", limit=MAX_CLIENT_KEY)
        with self._serialised(conversation_id):
            convo = self.store.get_conversation(conversation_id)
            history = self.store.events(conversation_id)
            previous = self._replay(history, idempotency_key)
            if previous is not None:
                return previous
            state = fold(history)
            lang = state.language if state.language in ("en", "id") else convo.language
            understood = Understanding("", lang, (), {}, Emotion("neutral", 0.0))
            ctx = self._context(
                conversation_id, convo.customer_id, lang, datetime.now(UTC), state, "", understood
            )
            outcome = cart_tools.confirm_checkout(ctx, token)
            plan = Plan(lang, lang, ())
            reply, events = respond(plan, [outcome], ctx)
            events.append(NewEvent(EventKind.ASSISTANT_SAID, reply.record()))
            out = self.store.append_events(conversation_id, events, f"{idempotency_key}.out")
            self._notify()
            return TurnResult(conversation_id, reply, tuple(e.seq for e in out))

    def handle_numbered(
        self,
        conversation_id: str,
        text: str,
        idempotency_key: str,
        language: str | None = None,
        now: datetime | None = None,
    ) -> TurnResult:
        """A turn on a channel that numbers what it shows (``dialogue/text_parts``: SMS, WhatsApp).
        A bare number picks product n of the last reply's list (:meth:`select`) or the quick reply
        numbered n, which is then said in its own words; anything else is an ordinary turn. Offers
        that take numbers themselves (service slots) get the number as it is."""
        n = selection.number_in(text)
        if n is not None:
            picked = self.select(conversation_id, n, idempotency_key, text, now)
            if picked is not None:
                return picked
            try:
                label = selection.quick_reply(n, self.store.events(conversation_id))
            except NotFound:
                label = None
            text = label or text
        return self.handle_message(conversation_id, text, idempotency_key, None, language, now)

    def select(
        self, conversation_id: str, n: int, idempotency_key: str, text: str | None = None,
        now: datetime | None = None,
    ) -> TurnResult | None:  # fmt: skip
        """The shopper's "``n``" after a reply that listed products: product n's title, price, rating,
        the reason it was shown and a line of its description; "add to cart" then means it. ``None``,
        with nothing stored, when ``n`` picks no product: no list, out of range, an offer waiting for
        this answer, or a person owns the conversation. A repeated ``idempotency_key`` returns the
        stored turn, whatever it was."""
        check_identifier(conversation_id, "conversation id")
        check_identifier(idempotency_key, "idempotency key", limit=MAX_CLIENT_KEY)
        said = text if text and text.strip() else str(n)
        moment = now or datetime.now(UTC)
        with self._serialised(conversation_id):
            try:
                convo = self.store.get_conversation(conversation_id)
                history = self.store.events(conversation_id)
            except NotFound:
                return None
            previous = self._replay(history, idempotency_key)
            if previous is not None:
                return previous
            state = fold(history)
            listed = selection.numbered(history)
            picked = selection.pick(n, listed, state)
            found = self.store.get_products([picked[0]]) if picked else []
            if picked is None or not found:
                return None
            lang = state.language if state.language in ("en", "id") else convo.language
            context = Context(state.language, state.emotions)
            default = self.settings.default_language
            understood = self.understander.understand(said, moment.date(), context, default_language=default)
            payload = selection.shopper_said(said, lang, understood.record(), n)
            inbound = self.store.append_events(
                conversation_id, [NewEvent(EventKind.SHOPPER_SAID, payload)], f"{idempotency_key}.in"
            )
            reply, events = selection.details(found[0], n, picked[1], listed, lang)
            try:
                out = self.store.append_events(conversation_id, events, f"{idempotency_key}.out")
            except OwnershipConflict:  # a person claimed the conversation during this turn
                self._notify()
                silent = Reply("", lang, silent=True)
                return TurnResult(conversation_id, silent, tuple(e.seq for e in inbound))
            self._notify()
            seqs = tuple(e.seq for e in inbound + out)
            return TurnResult(conversation_id, reply, seqs, understanding=understood)

    def wait_for_events(self, conversation_id: str, after: int, timeout: float) -> list[Event]:
        """Events after ``after``, waiting up to ``timeout`` seconds for some to arrive (woken at once
        by this process's turns; other processes' writes are seen within a second)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.store.events(conversation_id, after)
            left = deadline - time.monotonic()
            if found or left <= 0:
                return found
            with self._appended:
                self._appended.wait(min(left, 1.0))

    def wait_for_change(self, timeout: float) -> None:
        """Block until this process appends an event anywhere, or ``timeout`` seconds pass."""
        with self._appended:
            self._appended.wait(timeout)

    def _notify(self) -> None:
        with self._appended:
            self._appended.notify_all()

    def read(self, text: str) -> Spelling:
        """``text`` with misspelt words read as the words they most likely are, knowing the
        catalog's own words ("mau bli biji kpoi" → "mau beli biji kopi")."""
        return self.catalog.engine().speller.correct(text)

    def understand(self, text: str, context: Context | None = None) -> Understanding:
        """Language, intents, slots, emotion and stakes of one message."""
        return self.understander.understand(
            text, now=date.today(), context=context, default_language=self.settings.default_language
        )

    def _find(self, query: str, lang: str, filters: Filters | None, limit: int) -> list[ShownProduct]:
        return list(self.search(query, lang, filters, limit).results)

    def _context(
        self, conversation_id: str, customer_id: str | None, lang: str, now: datetime,
        state: ConversationState, text: str, understood: Understanding,
    ) -> ToolContext:  # fmt: skip
        """What the tools of one turn may use."""
        return ToolContext(
            self.store, self._find, self._similar, self.profile, conversation_id, customer_id, lang, now,
            state, text, understood, self._secret, self._prepared,
            plain=self.profile.plain_language, next_basket=self._next_basket,
        )  # fmt: skip

    def _prepared(self, product: Product, reviews: list[Review]) -> EvidenceSet:
        """A product's evidence ready to rank, cached (preparing costs ~70 ms; a question ~2 ms)."""
        body = f"{product!r}|{[r.external_id for r in reviews]}"
        key = hashlib.sha1(body.encode()).hexdigest()
        with self._locks_guard:
            found = self._evidence.get(key)
            if found is not None:
                self._evidence.move_to_end(key)
                return found
        prepared = prepare(product_evidence(product, reviews))
        with self._locks_guard:
            self._evidence[key] = prepared
            while len(self._evidence) > EVIDENCE_CACHE:
                self._evidence.popitem(last=False)
        return prepared

    def _similar(self, product: Product, limit: int) -> list[Product]:
        query = " ".join(product.title.split()[:8])
        hits = self.catalog.engine().search(query, None, limit + 1).hits
        return [h.product for h in hits if h.product.external_id != product.external_id][:limit]

    def _replay(self, history: list[Event], key: str) -> TurnResult | None:
        """The reply already stored for ``key``, rebuilt from its events; ``None`` if not answered."""
        mine = [e for e in history if e.idempotency_key.startswith((f"{key}.in#", f"{key}.out#"))]
        said = next((e for e in mine if e.kind is EventKind.ASSISTANT_SAID), None)
        if said is None:
            if (
                any(e.idempotency_key.startswith(f"{key}.in#") for e in mine)
                and fold(history).owner == "person"
            ):
                return TurnResult(mine[0].conversation_id, Reply("", "", silent=True), (mine[0].seq,), True)
            return None
        pairs = [(str(i), str(r)) for i, r in said.payload.get("products", [])]
        found = {p.external_id: p for p in self.store.get_products([i for i, _ in pairs])}
        cards = tuple(ShownProduct(found[i], r) for i, r in pairs if i in found)
        reply = reply_from_record(said.payload, cards)
        return TurnResult(said.conversation_id, reply, tuple(e.seq for e in mine), replayed=True)

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

    def refresh_index(self, progress: Progress | None = None, everything: bool = False) -> int:
        """Embed new or changed products (all with ``everything``) and rebuild the search index."""
        done = 0
        if self.catalog.embedder is not None:
            done = refresh_embeddings(self.store, self.catalog.embedder, progress, everything=everything)
        self.catalog.invalidate()
        self.catalog.engine()
        return done

    def refresh_index_in_background(self) -> threading.Thread:
        """Embed what is missing without delaying start-up; search is lexical until it is done.
        The typo tolerance's word lists are built first, so no shopper waits for them."""
        log = logging.getLogger("hangat.index")

        def work() -> None:
            try:
                self.read("warm up")  # the speller's word lists (~2 s), before the first shopper
                started = time.perf_counter()
                done = self.refresh_index()
                self.read("warm up")
                if done:
                    log.info(
                        "search index: embedded %d products in %.1f s", done, time.perf_counter() - started
                    )
            except Exception:  # a background job must report, not vanish
                log.exception("search index: embedding failed; search stays lexical")

        return _in_background("hangat-index", work)

    def _order_lines(self, since: datetime | None = None) -> Iterator[tuple[Order, OrderLine]]:
        """Every order line placed at or after ``since`` (all when None), oldest order first."""
        offset = 0
        while page := self.store.orders_placed(since, limit=ORDER_PAGE, offset=offset):
            offset += len(page)
            for order in page:
                for line in order.lines:
                    yield order, line

    def train_recommender(self) -> int:
        """Fit the next-basket model on every customer's orders; returns the households it knows.
        Until it is ready, reorder answers from plain purchase frequency. Each product's category is
        its kind: the model also learns how a household buys a category, whichever product."""
        kinds = {p.external_id: p.category or p.external_id for p in self.store.all_products()}
        households, orders, items, days, kind = [], [], [], [], []
        for order, line in self._order_lines():
            households.append(order.customer_id)
            orders.append(order.external_id)
            items.append(line.product_id)
            days.append(order.placed_at)
            kind.append(kinds.get(line.product_id, line.product_id))
        if not days or len(set(households)) < 2:
            return 0
        start = min(days)
        history = build_history(
            households, orders, items, [(d - start).total_seconds() / 86400 for d in days], kind
        )
        recommender = Recommender().fit(history, orders)
        recommender.epoch = start
        self.recommender = recommender
        return len(history.households)

    def refresh_recommender(self) -> int:
        """Teach the serving model the orders placed since its newest one, without training it
        again (a second or two; see ``Recommender.refreshed``); returns how many orders were new.
        It looks back ``REFRESH_LOOKBACK`` for orders that arrive late; those it has are skipped."""
        rec = self.recommender
        if rec is None or rec.epoch is None:
            return 0
        newest = rec.epoch + timedelta(days=rec.histories.today)
        households, orders, items, days = [], [], [], []
        for order, line in self._order_lines(newest - REFRESH_LOOKBACK):
            households.append(order.customer_id)
            orders.append(order.external_id)
            items.append(line.product_id)
            days.append((order.placed_at - rec.epoch).total_seconds() / 86400)
        fresh, n = rec.refreshed(households, orders, items, days)
        if n and self.recommender is rec:  # a full fit that finished meanwhile knows them already
            self.recommender = fresh
        return n

    def refresh_in_background(self, every: float) -> threading.Thread:
        """Every ``every`` seconds, :meth:`refresh_recommender` (the ``recommend_refresh_minutes``
        setting): new orders reach reorder suggestions and reminders within minutes, not a day."""
        log = logging.getLogger("hangat.recommend")

        def work() -> None:
            while True:
                time.sleep(every)
                try:
                    started = time.perf_counter()
                    n = self.refresh_recommender()
                    if n:
                        log.info("recommendations: %d new orders in %.1f s", n, time.perf_counter() - started)
                except Exception:  # a background job must report, not vanish
                    log.exception("recommendations: refresh failed; trying again later")

        return _in_background("hangat-refresh", work)

    @property
    def recommender_file(self) -> Path:
        """Where ``hangat train recommend`` keeps the fitted model (``<data_dir>/models/``)."""
        return Path(self.settings.data_dir) / "models" / "recommend.joblib"

    def save_recommender(self) -> Path:
        """Write the fitted model to :attr:`recommender_file` (atomically: a reader never sees half)."""
        if self.recommender is None:
            raise InputError("no recommendation model to save: train it first (it needs orders)")
        path = self.recommender_file
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        joblib.dump(self.recommender, partial, compress=3)
        partial.replace(path)
        return path

    def load_recommender(self) -> bool:
        """Use the saved model, when there is one (a file this store's operator wrote with
        ``hangat train recommend``; like any pickle, never load one from elsewhere)."""
        path = self.recommender_file
        if not path.is_file():
            return False
        try:
            model = joblib.load(path)
        except Exception as exc:  # an unreadable file: train afresh instead
            logging.getLogger("hangat.recommend").warning("recommendations: %s unreadable (%s)", path, exc)
            return False
        if not isinstance(model, Recommender):
            return False
        if getattr(model, "format", 0) != Recommender.FORMAT:  # saved by an older hangat: retrain
            logging.getLogger("hangat.recommend").info("recommendations: %s is an older model", path)
            return False
        self.recommender = model
        return True

    def train_recommender_in_background(self, use_saved: bool = True) -> threading.Thread:
        """Serve from the saved model at once, when there is one; then train on today's orders
        without delaying start-up (about a minute for the demo store's 2,443 households) and save."""
        log = logging.getLogger("hangat.recommend")

        def work() -> None:
            try:
                if use_saved and self.load_recommender():
                    log.info("recommendations: serving the saved model %s", self.recommender_file)
                started = time.perf_counter()
                known = self.train_recommender()
                if known:
                    self.save_recommender()
                log.info("recommendations: %d households in %.1f s", known, time.perf_counter() - started)
            except Exception:  # a background job must report, not vanish
                log.exception("recommendations: training failed; reorder uses purchase frequency")

        return _in_background("hangat-recommend", work)

    def _next_basket(self, household: str, k: int = 8, now: datetime | None = None) -> list[Suggestion]:
        """The household's ``k`` likely next items as of ``now`` (the turn's moment; else the newest
        order the model knows). For a household that has not shopped for a year, ranked as of its
        last basket, without "last time" or "due" (they would mean nothing)."""
        rec = self.recommender
        if rec is None or household not in rec.index:
            return []
        baskets = rec.histories.baskets[rec.index[household]]
        last = baskets[-1].day if baskets else rec.histories.today
        asked = rec.day_of(now) if now is not None else None
        day = max(asked, rec.histories.today) if asked is not None else rec.histories.today
        if day - last <= STALE_DAYS:
            return rec.next_basket(household, k=k, day=day)
        found = rec.next_basket(household, k=k, day=last + 1)
        return [replace(x, last_days=None, due_in_days=None, due_day=None) for x in found]

    def send_reminders(self, now: datetime | None = None) -> dict[str, int]:
        """Replenishment reminders for every customer who said yes to them (``recommend/reminders``):
        written into a conversation of their own, and sent to the store as a webhook to deliver."""
        moment = now or self.clock.now()
        done = {"consenting": 0, "sent": 0, "nothing_due": 0, "recently_reminded": 0}
        for customer_id in self.store.consenting("reminders"):
            done["consenting"] += 1
            mine = self.store.conversations_for(customer_id)
            if any(c.external_id.startswith(reminders.PREFIX) and moment - c.created_at < reminders.QUIET
                   for c in mine):  # fmt: skip
                done["recently_reminded"] += 1
                continue
            items = reminders.due(self._due_suggestions(customer_id, moment))
            found = {p.external_id: p for p in self.store.get_products([s.item for s in items])}
            pairs = [(s, found[s.item]) for s in items if s.item in found]
            if not pairs:
                done["nothing_due"] += 1
                continue
            lang = self._shopper_language(customer_id, mine)
            note = reminders.compose(customer_id, pairs, lang, moment)
            self.store.open_conversation(note.conversation_id, customer_id, lang)
            self.store.append_events(note.conversation_id, list(note.events), note.key)
            done["sent"] += 1
        self._notify()
        return done

    def _shopper_language(self, customer_id: str, conversations: list[Conversation]) -> str:
        """The customer's language: their profile's, else the one they last wrote in, else the store's."""
        known = self.store.get_customer(customer_id).language
        if known in ("en", "id"):
            return known
        talks = [c for c in conversations if not c.external_id.startswith(reminders.PREFIX)]
        if talks:
            last = fold(self.store.events(talks[-1].external_id)).language
            if last in ("en", "id"):
                return last
        return self.settings.default_language

    def _due_suggestions(self, household: str, moment: datetime) -> list[Suggestion]:
        """The household's likely items as of ``moment`` (not of the last order): what is due now.
        Nothing for a household the model does not know or that has not shopped for a year."""
        rec = self.recommender
        day = rec.day_of(moment) if rec is not None else None
        if rec is None or day is None or household not in rec.index:
            return []
        baskets = rec.histories.baskets[rec.index[household]]
        if not baskets or day - baskets[-1].day > STALE_DAYS:
            return []
        return rec.next_basket(household, k=20, day=day)

    def close(self) -> None:
        self.store.close()


def _in_background(name: str, work: Callable[[], None]) -> threading.Thread:
    """Run ``work`` in a daemon thread named ``name`` (the server's background jobs)."""
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread


def build_assistant(settings: Settings) -> Assistant:
    """Wire the assistant from settings: the store picked by URL (migrated), the embedder and the
    search index over the store's catalog, and everything else."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(settings.database_url)
    embedder = make_embedder(settings.embedder)
    index_dir = settings.data_dir / "index"

    def ann(matrix: np.ndarray) -> VectorIndex:
        from hangat.adapters.vectors.hnsw import HnswIndex

        return HnswIndex(matrix, index_dir)

    config = SearchConfig(min_relative_score=0.3)  # shoppers see no weak matches
    catalog = CatalogSearch(store, embedder, config, ann=ann, ann_threshold=settings.ann_threshold)
    profile = load_profile(settings.store_profile)
    assistant = Assistant(
        settings, store, catalog, make_understander(embedder), profile, load_secret(settings)
    )
    assistant.model = make_language_model(settings)
    return assistant


def load_profile(path: Path | None) -> StoreProfile:
    """The store profile from ``path`` (TOML), or the packaged demo store's."""
    if path is None:
        text = (resources.files("hangat") / "data" / "store.toml").read_text("utf-8")
        source = "the packaged store profile"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"store_profile: cannot read {path}: {exc.strerror}") from exc
        source = f"store profile {path}"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from exc
    return parse_profile(data, source)


def load_secret(settings: Settings) -> bytes:
    """The key that signs confirmations: the setting, else one generated once into the data dir."""
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.data_dir / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip().encode()


def make_understander(embedder: Embedder | None) -> Understander:
    """The understanding models, fed by the sentence embedder they were trained with — the
    configured one when it is that model, else their own copy of it (the ``embedder`` setting
    chooses how the catalog is searched; understanding always reads with its own model, since
    without it the models misread short messages badly)."""
    from hangat.adapters.embed.e5 import E5Embedder

    understander = Understander()
    own = (
        embedder
        if embedder is not None and (embedder.name, embedder.dim) == understander.trained_with
        else None
    )
    if own is None:
        e5 = E5Embedder()
        own = e5 if (e5.name, e5.dim) == understander.trained_with else None
    if own is not None:
        understander.embed = own.embed_query
    return understander


def make_embedder(name: str) -> Embedder | None:
    """The sentence embedder named by the ``embedder`` setting (an unknown name is an error)."""
    if name == "e5":
        from hangat.adapters.embed.e5 import E5Embedder

        return E5Embedder()
    if name == "hash":
        from hangat.adapters.embed.fake import HashEmbedder

        return HashEmbedder()
    if name == "none":
        return None
    raise ConfigError(f"embedder: no embedder called {name!r}")


def _plain(asked: bool | None, before: bool | None, store: bool) -> bool:
    """Plain language: what this message asks, else what the conversation asked, else the store's."""
    return asked if asked is not None else before if before is not None else store


def _plain_language(detected: str, default: str) -> str:
    """A reply language from a detected one: a mix of the two is answered in Indonesian."""
    return detected if detected in ("en", "id") else ("id" if detected == "mixed" else default)


__all__ = ["Assistant", "SearchResult", "TurnResult", "build_assistant"]
