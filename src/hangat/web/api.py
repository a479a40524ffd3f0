"""The JSON API under ``/api``: parse, call the assistant, serialise."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from hangat.assistant import Assistant, TurnResult
from hangat.errors import NotFound
from hangat.search.filters import Filters
from hangat.web import identity
from hangat.web.schemas import (
    CategoryOut,
    ConfirmIn,
    ConversationIn,
    ConversationOut,
    CustomerOut,
    EventOut,
    FilterOut,
    MessageIn,
    MessageOut,
    ProductDetail,
    ProductOut,
    ReplyOut,
    ReviewOut,
    SearchOut,
    SignInIn,
    SignInOut,
    TableOut,
)

router = APIRouter(prefix="/api")
STREAM_SECONDS = 300


def _assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


@router.get("/products/search", response_model=SearchOut)
def search_products(
    request: Request,
    q: Annotated[str, Query(max_length=10_000)] = "",
    lang: Annotated[str | None, Query(pattern="^(en|id)$")] = None,
    category: Annotated[str | None, Query(max_length=500)] = None,
    brand: Annotated[str | None, Query(max_length=200)] = None,
    price_min: Annotated[Decimal | None, Query(ge=0)] = None,
    price_max: Annotated[Decimal | None, Query(ge=0)] = None,
    currency: Annotated[str | None, Query(pattern="^[A-Z]{3}$")] = None,
    min_rating: Annotated[float | None, Query(ge=0, le=5)] = None,
    in_stock: bool | None = None,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> SearchOut:
    """Hybrid search. Filters come from the words of ``q`` ("di bawah 300 ribu", "rating 4+")
    and from the parameters, which win; ``filters`` in the answer lists those applied.
    ``limit`` defaults to the ``search_limit`` setting."""
    given = Filters(
        price_min, price_max, currency, min_rating, in_stock or None, brand or None, category or None
    )
    found = _assistant(request).search(q, lang, given, limit)
    return SearchOut(
        query=found.query,
        text=found.text,
        read_as=found.read_as,
        language=found.language,
        terms=list(found.terms),
        filters=[FilterOut(name=name, value=value) for name, value in found.filters.describe()],
        results=[ProductOut.card(c, found.language) for c in found.results],
    )


@router.get("/products/{product_id}", response_model=ProductDetail)
def get_product(
    request: Request, product_id: str, lang: Annotated[str, Query(pattern="^(en|id)$")] = "en"
) -> ProductDetail:
    store = _assistant(request).store
    product = store.get_product(product_id)
    reviews = store.reviews_for(product_id, limit=10)
    return ProductDetail(product=ProductOut.of(product, lang), reviews=[ReviewOut.of(r) for r in reviews])


@router.get("/categories", response_model=list[CategoryOut])
def categories(request: Request, depth: Annotated[int, Query(ge=1, le=5)] = 2) -> list[CategoryOut]:
    pairs = _assistant(request).store.categories(depth)
    return [CategoryOut(name=name, count=count) for name, count in pairs]


def _demo_only(request: Request) -> None:
    """Listing shoppers and signing in without a password exist only for the demo store."""
    if not _assistant(request).settings.demo_sign_in:
        raise NotFound("route", request.url.path)


@router.post("/sign-in", response_model=SignInOut)
def demo_sign_in(request: Request, body: SignInIn) -> SignInOut:
    """The demo storefront's shopper picker: a token for any demo customer, no password. Only with
    the ``demo_sign_in`` setting; a real store's site signs its shoppers in and issues tokens itself."""
    _demo_only(request)
    assistant = _assistant(request)
    customer = assistant.store.get_customer(body.customer_id)
    token = assistant.customer_token(customer.external_id)
    return SignInOut(token=token, customer_id=customer.external_id, display_name=customer.display_name)


@router.get("/customers", response_model=list[CustomerOut])
def customers(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[CustomerOut]:
    _demo_only(request)
    people = _assistant(request).store.list_customers(limit, offset)
    return [CustomerOut(id=c.external_id, display_name=c.display_name) for c in people]


@router.get("/customers/{customer_id}", response_model=CustomerOut)
def get_customer(request: Request, customer_id: str) -> CustomerOut:
    _demo_only(request)
    c = _assistant(request).store.get_customer(customer_id)
    return CustomerOut(id=c.external_id, display_name=c.display_name)


@router.post("/conversations", response_model=ConversationOut, status_code=201)
def create_conversation(request: Request, body: ConversationIn | None = None) -> ConversationOut:
    """A new conversation (posting to an id that does not exist yet also creates one)."""
    given = body or ConversationIn()
    who = identity.claimed(request, given.customer_id) if given.customer_id else identity.shopper(request)
    c = _assistant(request).start_conversation(who, given.language)
    return ConversationOut(
        conversation_id=c.external_id, customer_id=c.customer_id, language=c.language,
        created_at=c.created_at.isoformat(),
    )  # fmt: skip


@router.post("/conversations/{conversation_id}/messages", response_model=MessageOut)
def post_message(
    request: Request,
    conversation_id: str,
    message: MessageIn,
    idempotency_key: Annotated[str | None, Header(max_length=180)] = None,
) -> MessageOut:
    """One shopper message and the assistant's reply. Resending the same idempotency key
    (``Idempotency-Key`` header or ``idempotency_key`` field) returns the stored reply."""
    key = idempotency_key or message.idempotency_key or uuid.uuid4().hex
    who = identity.claimed(request, message.customer_id)
    identity.check_conversation(request, conversation_id)
    turn = _assistant(request).handle_message(
        conversation_id, message.text, key, who, message.language, plain=message.plain
    )
    return _message_out(turn)


@router.post("/conversations/{conversation_id}/confirm", response_model=MessageOut)
def confirm_checkout(
    request: Request,
    conversation_id: str,
    body: ConfirmIn,
    idempotency_key: Annotated[str | None, Header(max_length=180)] = None,
) -> MessageOut:
    """The shopper's "confirm" button for a checkout offer: the server checks that the token still
    matches this conversation, customer, cart and amount before handing over the checkout link."""
    key = idempotency_key or uuid.uuid4().hex
    identity.check_conversation(request, conversation_id)
    return _message_out(_assistant(request).confirm(conversation_id, body.token, key))


def _message_out(turn: TurnResult) -> MessageOut:
    reply = turn.reply
    lang = reply.language or "en"
    table = None
    if reply.table is not None:
        rows = [(label, list(cells)) for label, cells in reply.table.rows]
        table = TableOut(
            product_ids=list(reply.table.product_ids), headers=list(reply.table.headers), rows=rows
        )
    return MessageOut(
        conversation_id=turn.conversation_id,
        reply=ReplyOut(text=reply.text, language=lang),
        products=[ProductOut.card(c, lang) for c in reply.products],
        event_seqs=list(turn.event_seqs),
        replayed=turn.replayed,
        actions=list(reply.actions),
        evidence=list(reply.evidence),
        handoff=reply.handoff,
        table=table,
        choices=list(reply.choices),
        silent=reply.silent,
    )


@router.get("/conversations/{conversation_id}/events", response_model=list[EventOut])
def conversation_events(
    request: Request, conversation_id: str, after: Annotated[int, Query(ge=0)] = 0
) -> list[EventOut]:
    identity.check_conversation(request, conversation_id)
    events = _assistant(request).store.events(conversation_id, after)
    return [
        EventOut(seq=e.seq, kind=e.kind.value, payload=e.payload, created_at=e.created_at.isoformat())
        for e in events
    ]


@router.get("/conversations/{conversation_id}/stream")
async def stream_events(
    request: Request,
    conversation_id: str,
    after: Annotated[int, Query(ge=0)] = 0,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> StreamingResponse:
    """The conversation's events as Server-Sent Events (``id`` = seq, ``event`` = kind, ``data`` =
    JSON). A reconnecting client resumes after ``Last-Event-ID``; the stream ends after
    ``STREAM_SECONDS`` and the client reconnects."""
    assistant = _assistant(request)
    assistant.store.get_conversation(conversation_id)  # an unknown id is a 404 before streaming
    identity.check_conversation(request, conversation_id)
    start = int(last_event_id) if last_event_id and last_event_id.isdigit() else after

    async def events() -> AsyncIterator[str]:
        seen = start
        deadline = time.monotonic() + STREAM_SECONDS
        yield ": stream open\n\n"
        while time.monotonic() < deadline and not await request.is_disconnected():
            batch = await run_in_threadpool(
                assistant.wait_for_events,
                conversation_id,
                seen,
                max(0.0, min(5.0, deadline - time.monotonic())),
            )
            for e in batch:
                seen = e.seq
                body = json.dumps(
                    {
                        "seq": e.seq,
                        "kind": e.kind.value,
                        "payload": e.payload,
                        "created_at": e.created_at.isoformat(),
                    },
                    ensure_ascii=False,
                )
                yield f"id: {e.seq}\nevent: {e.kind.value}\ndata: {body}\n\n"
            if not batch:
                yield ": keep-alive\n\n"

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
