"""The staff console under ``/console``: sign-in, the live queue, a conversation with its handoff
packet, and the forms to claim, reply, hand back and resolve.

Server-rendered (Jinja autoescapes every shopper-, catalog- and model-supplied string); the live
parts are Server-Sent Events carrying fragments rendered here, inserted by ``static/console.js``.
Every form carries the session's CSRF token; the session cookie is HttpOnly and SameSite=Strict.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from hangat.assistant import Assistant
from hangat.domain.conversation import Event, EventKind
from hangat.domain.customer import StaffMember
from hangat.domain.handoff import CLAIMED, OPEN
from hangat.errors import Conflict, InputError, NotFound, OwnershipConflict
from hangat.handoff.accounts import SignedIn, csrf_ok
from hangat.handoff.desk import QUEUE_LIMIT, Desk, QueueItem
from hangat.handoff.drafts import model_draft
from hangat.handoff.packet import build as build_packet
from hangat.i18n import MESSAGES, format_price, t
from hangat.web.storefront import page_language

router = APIRouter(prefix="/console", include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
COOKIE = "hangat_staff"
LOGIN_COOKIE = "hangat_login"
LANG_COOKIE = "hangat_console_lang"
STREAM_SECONDS = 300
QUEUE_POLL = 0.5  # seconds: the longest a change made by another process waits to be seen
FLASHES = (
    "lost_claim",
    "claimed_ok",
    "not_yours",
    "form_expired",
    "note_kept",
    "note_needs_consent",
    "note_empty",
)


def _assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


def _lang(request: Request, lang: str | None = None) -> str:
    cookie = request.cookies.get(LANG_COOKIE)
    return page_language(request, lang or cookie, _assistant(request).settings.default_language)


def _signed(request: Request) -> SignedIn | None:
    return _assistant(request).accounts.signed_in(request.cookies.get(COOKIE))


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse("/console/login", status_code=303)


def _context(request: Request, lang: str, signed: SignedIn | None, **more: Any) -> dict[str, Any]:
    return {
        "lang": lang,
        "other_lang": "id" if lang == "en" else "en",
        "t": lambda key, **kw: t(lang, key, **kw),
        "store_name": _assistant(request).settings.store_name,
        "me": signed.staff if signed else None,
        "csrf": signed.session.csrf if signed else "",
        **more,
    }


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- sign-in --------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, lang: Annotated[str | None, Query(pattern="^(en|id)$")] = None) -> Response:
    language = _lang(request, lang)
    token = secrets.token_urlsafe(24)
    response = _page(request, "console_login.html", _context(request, language, None, login_csrf=token))
    _cookie(response, request, LOGIN_COOKIE, token, 1800)
    if lang:
        _cookie(response, request, LANG_COOKIE, lang, 365 * 86400, http_only=False)
    return response


@router.post("/login")
def login(
    request: Request,
    staff_id: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=500)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    language = _lang(request)
    sent = request.cookies.get(LOGIN_COOKIE, "")
    if not sent or not secrets.compare_digest(sent, csrf):
        context = _context(request, language, None, error=t(language, "console.form_expired"), login_csrf="")
        return _page(request, "console_login.html", context, 400)
    found = _assistant(request).accounts.sign_in(staff_id.strip(), password)
    if found is None:
        token = secrets.token_urlsafe(24)
        context = _context(
            request, language, None, error=t(language, "console.sign_in_failed"), login_csrf=token
        )
        page = _page(request, "console_login.html", context, 401)
        _cookie(page, request, LOGIN_COOKIE, token, 1800)
        return page
    token, _ = found
    response = RedirectResponse("/console", status_code=303)
    _cookie(response, request, COOKIE, token, 12 * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    signed = _signed(request)
    if signed is not None and csrf_ok(signed, csrf):
        _assistant(request).accounts.sign_out(request.cookies.get(COOKIE))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


# -- the queue ------------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request,
    lang: Annotated[str | None, Query(pattern="^(en|id)$")] = None,
    m: Annotated[str | None, Query(max_length=40)] = None,
    by: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    signed = _signed(request)
    if signed is None:
        return _to_login(request)
    language = _lang(request, lang)
    rows = _queue_rows(request, language)
    more = _assistant(request).desk.overflowing()
    flash = t(language, f"console.{m}", name=by or "") if m in FLASHES else ""
    response = _page(
        request,
        "console_queue.html",
        _context(request, language, signed, rows=rows, flash=flash, more=more, limit=QUEUE_LIMIT),
    )
    if lang:
        _cookie(response, request, LANG_COOKIE, lang, 365 * 86400, http_only=False)
    return response


def _queue_rows(request: Request, lang: str) -> list[dict[str, Any]]:
    return [_row(item, lang) for item in _assistant(request).desk.queue(OPEN)]


def _row(item: QueueItem, lang: str) -> dict[str, Any]:
    h = item.handoff
    return {
        "id": h.conversation_id,
        "customer": item.conversation.customer_id or t(lang, "console.guest"),
        "reason": _reason(h.reason, lang),
        "stakes": ", ".join(_reason(s, lang) for s in h.stakes),
        "wait": _duration(item.waiting_seconds, lang),
        "language": t(lang, f"console.lang.{h.language}") if h.language in ("en", "id") else h.language,
        "last": item.first_words,
        "claimed": h.state == CLAIMED,
        "by": item.staff_name or "",
        "mode": h.mode,
    }


def _duration(seconds: int, lang: str) -> str:
    return (
        t(lang, "console.seconds", n=seconds) if seconds < 90 else t(lang, "console.minutes", n=seconds // 60)
    )


@router.get("/queue/stream")
async def queue_stream(request: Request) -> Response:
    """The queue table's body, re-rendered and sent whenever it changes (and every 15 s for the
    waiting times)."""
    signed = _signed(request)
    if signed is None:
        return Response(status_code=401)
    language = _lang(request)
    assistant = _assistant(request)

    def state() -> list[tuple[str, str, int]]:  # one query: what the queue holds, and how far along
        return [
            (h.conversation_id, h.state, h.seq)
            for h in assistant.store.handoffs(OPEN, limit=QUEUE_LIMIT + 1)  # one more: any overflow
        ]

    async def frames() -> AsyncIterator[str]:
        last: list[tuple[str, str, int]] | None = None
        sent_at = 0.0
        deadline = time.monotonic() + STREAM_SECONDS
        yield "retry: 1000\n\n"
        while time.monotonic() < deadline and not await request.is_disconnected():
            now = await run_in_threadpool(state)
            if now != last or time.monotonic() - sent_at > 15:  # the rows only when the queue moved,
                rows = await run_in_threadpool(_queue_rows, request, language)  # or the waits aged
                html = templates.get_template("console_queue_rows.html").render(
                    rows=rows, t=lambda key, **kw: t(language, key, **kw), csrf=signed.session.csrf,
                    more=len(now) > QUEUE_LIMIT, limit=QUEUE_LIMIT,
                )  # fmt: skip
                last, sent_at = now, time.monotonic()
                yield _sse("queue", html)
            await run_in_threadpool(assistant.wait_for_change, QUEUE_POLL)

    return StreamingResponse(frames(), media_type="text/event-stream", headers=_stream_headers())


# -- one conversation ----------------------------------------------------------------------------


@router.get("/c/{conversation_id}", response_class=HTMLResponse)
def conversation_page(
    request: Request,
    conversation_id: str,
    m: Annotated[str | None, Query(max_length=40)] = None,
    by: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    signed = _signed(request)
    if signed is None:
        return _to_login(request)
    language = _lang(request)
    assistant = _assistant(request)
    try:
        convo = assistant.store.get_conversation(conversation_id)
    except (NotFound, InputError):
        return _page(request, "console_missing.html", _context(request, language, signed), 404)
    events = assistant.store.events(conversation_id)
    handoff = assistant.store.handoff(conversation_id)
    packet = build_packet(
        assistant.store, conversation_id, handoff, signed.staff, language, assistant.profile.tone,
        assistant.clock.now(),
    )  # fmt: skip
    shown = assistant.store.get_products([pid for pid, _ in packet.shown])
    mine = handoff is not None and handoff.state == CLAIMED and handoff.staff_id == signed.staff.external_id
    drafts = list(packet.drafts)
    if mine and assistant.model is not None:
        said = [_item(e, "en") for e in events]
        lines = [f"{i['who']}: {i['text']}" for i in said if not i.get("skip")]
        timeout = assistant.settings.lm_timeout_ms / 1000
        drafted = model_draft(
            assistant.model, packet, lines, signed.staff.first_name, assistant.profile.tone, timeout
        )
        if drafted and drafted not in drafts:
            drafts.insert(0, drafted)
    flash = t(language, f"console.{m}", name=by or "") if m in FLASHES else ""
    context = _context(
        request, language, signed,
        convo=convo, handoff=handoff, packet=packet, mine=mine, flash=flash, drafts=drafts,
        items=[_item(e, language) for e in events], last_seq=events[-1].seq if events else 0,
        products=[{"title": p.title, "price": format_price(p.price, p.currency, language)} for p in shown],
        claimable=handoff is None or handoff.state != CLAIMED,
        admin_close=signed.admin and not mine and handoff is not None and handoff.state == CLAIMED,
        holder=_name(assistant, handoff.staff_id if handoff else None),
        reason_label=_reason(packet.reason, language),
        stake_labels=[_reason(s, language) for s in packet.stakes],
        reply_key=secrets.token_hex(12),
    )  # fmt: skip
    return _page(request, "console_conversation.html", context)


def _reason(reason: str, lang: str) -> str:
    key = f"console.reason.{reason}"
    return t(lang, key) if key in MESSAGES["en"] else reason


def _name(assistant: Assistant, staff_id: str | None) -> str:
    return next((s.first_name for s in assistant.store.list_staff() if s.external_id == staff_id), "")


_SPEAKERS = {
    EventKind.SHOPPER_SAID: ("console.who_shopper", "shopper"),
    EventKind.ASSISTANT_SAID: ("console.who_assistant", "assistant"),
    EventKind.STAFF_SAID: ("console.who_staff", "staff"),
}


def _item(e: Event, lang: str) -> dict[str, Any]:
    """One transcript line for the console."""
    p = e.payload
    when = e.created_at.strftime("%H:%M")
    name = str(p.get("name", ""))
    if e.kind in _SPEAKERS:
        key, cls = _SPEAKERS[e.kind]
        return {
            "seq": e.seq,
            "who": t(lang, key, name=name),
            "cls": cls,
            "text": p.get("text", ""),
            "when": when,
        }
    system = {
        EventKind.HANDOFF_CLAIMED: "console.event_claimed",
        EventKind.HANDOFF_RETURNED: "console.event_returned",
        EventKind.HANDOFF_RESOLVED: "console.event_resolved",
        EventKind.HANDOFF_REQUESTED: "console.event_requested",
    }  # fmt: skip
    said = system.get(e.kind)
    if said is None:
        return {"seq": e.seq, "skip": True}
    label = _reason(str(p.get("reason", "")), lang)
    return {
        "seq": e.seq,
        "who": "",
        "cls": "system",
        "text": t(lang, said, name=name, reason=label),
        "when": when,
    }


@router.get("/c/{conversation_id}/stream")
async def conversation_stream(
    request: Request, conversation_id: str, after: Annotated[int, Query(ge=0)] = 0
) -> Response:
    """New transcript lines as they are written, rendered for the console."""
    signed = _signed(request)
    if signed is None:
        return Response(status_code=401)
    language = _lang(request)
    assistant = _assistant(request)
    assistant.store.get_conversation(conversation_id)
    item_template = templates.get_template("console_item.html")

    async def frames() -> AsyncIterator[str]:
        seen = after
        deadline = time.monotonic() + STREAM_SECONDS
        yield "retry: 1000\n\n"
        while time.monotonic() < deadline and not await request.is_disconnected():
            batch = await run_in_threadpool(assistant.wait_for_events, conversation_id, seen, 5.0)
            for e in batch:
                seen = e.seq
                item = _item(e, language)
                if not item.get("skip"):
                    yield _sse("item", item_template.render(item=item), e.seq)
                if e.kind in (
                    EventKind.HANDOFF_CLAIMED,
                    EventKind.HANDOFF_RETURNED,
                    EventKind.HANDOFF_RESOLVED,
                ):
                    yield _sse("owner", e.kind.value, e.seq)
            if not batch:
                yield ": keep-alive\n\n"
            await asyncio.sleep(0)

    return StreamingResponse(frames(), media_type="text/event-stream", headers=_stream_headers())


def _step(request: Request, conversation_id: str, csrf: str) -> tuple[SignedIn | None, Response | None]:
    signed = _signed(request)
    if signed is None:
        return None, _to_login(request)
    if not csrf_ok(signed, csrf):
        return None, RedirectResponse(f"/console/c/{quote(conversation_id)}?m=form_expired", status_code=303)
    return signed, None


def _back(conversation_id: str, flash: str = "", by: str = "") -> RedirectResponse:
    query = f"?m={flash}&by={quote(by)}" if flash else ""
    return RedirectResponse(f"/console/c/{quote(conversation_id)}{query}", status_code=303)


@router.post("/c/{conversation_id}/claim")
def claim(
    request: Request, conversation_id: str, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    signed, refused = _step(request, conversation_id, csrf)
    if signed is None:
        return refused or _to_login(request)
    assistant = _assistant(request)
    try:
        assistant.desk.claim(conversation_id, signed.staff)
    except OwnershipConflict:
        holder = assistant.store.handoff(conversation_id)
        names = {s.external_id: s.first_name for s in assistant.store.list_staff()}
        return _back(conversation_id, "lost_claim", names.get(holder.staff_id or "", "") if holder else "")
    return _back(conversation_id, "claimed_ok")


@router.post("/c/{conversation_id}/reply")
def reply(
    request: Request,
    conversation_id: str,
    text: Annotated[str, Form(max_length=4000)],
    key: Annotated[str, Form(max_length=100)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    return _act(
        request, conversation_id, csrf, lambda desk, me: desk.reply(conversation_id, me, text, key),
        lambda: _back(conversation_id),
    )  # fmt: skip


@router.post("/c/{conversation_id}/memory-note")
def memory_note(
    request: Request,
    conversation_id: str,
    note: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """A note on the customer's memory card, which the shopper sees too; only with their consent
    to ``personalisation``."""
    signed, refused = _step(request, conversation_id, csrf)
    if signed is None:
        return refused or _to_login(request)
    assistant = _assistant(request)
    customer = assistant.store.get_conversation(conversation_id).customer_id
    if customer is None:
        return _back(conversation_id)
    try:
        assistant.rights.add_note(customer, signed.staff.external_id, note, conversation_id)
    except InputError:
        return _back(conversation_id, "note_empty")
    except Conflict:
        return _back(conversation_id, "note_needs_consent")
    return _back(conversation_id, "note_kept")


@router.post("/c/{conversation_id}/{step}")
def close(
    request: Request,
    conversation_id: str,
    step: Annotated[str, PathParam(pattern="^(hand-back|resolve)$")],
    note: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Hand the conversation back to the assistant (with a note), or mark it resolved."""

    def done(desk: Desk, me: StaffMember) -> None:
        (desk.hand_back if step == "hand-back" else desk.resolve)(conversation_id, me, note)

    return _act(request, conversation_id, csrf, done, _to_queue)


def _act(
    request: Request, conversation_id: str, csrf: str, step: Callable[[Desk, StaffMember], object],
    then: Callable[[], Response],
) -> Response:  # fmt: skip
    """A staff step behind sign-in and CSRF; a step the owner state refuses says "not yours"."""
    signed, refused = _step(request, conversation_id, csrf)
    if signed is None:
        return refused or _to_login(request)
    try:
        step(_assistant(request).desk, signed.staff)
    except OwnershipConflict:
        return _back(conversation_id, "not_yours")
    return then()


def _to_queue() -> Response:
    return RedirectResponse("/console", status_code=303)


# -- plumbing -------------------------------------------------------------------------------------


def _sse(event: str, data: str, ident: int | None = None) -> str:
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    head = f"id: {ident}\n" if ident is not None else ""
    return f"{head}event: {event}\n{lines}\n"


def _stream_headers() -> dict[str, str]:
    return {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def _cookie(
    response: Response, request: Request, name: str, value: str, max_age: int, http_only: bool = True
) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/console", httponly=http_only, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip
