"""``/api/me``: the signed-in shopper's own data — the memory card, consents, corrections, the
export and erasure. Every route needs the shopper's token and only ever reaches that shopper."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from hangat.assistant import Assistant
from hangat.domain.memory import Consent, Fact
from hangat.web import identity
from hangat.web.schemas import ConsentIn, ConsentOut, FactOut, FactPatch, MeOut

router = APIRouter(prefix="/api/me")
Lang = Annotated[str, Query(pattern="^(en|id)$")]


def _assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


def _fact(f: Fact, text: str, quote: str) -> FactOut:
    return FactOut(
        id=f.ident, kind=f.kind, purpose=f.purpose, subject=f.subject, value=f.value, text=text, quote=quote,
        conversation_id=f.conversation_id, author=f.author, created_at=f.created_at.isoformat(),
        expires_at=f.expires_at.isoformat(),
    )  # fmt: skip


def _consent(c: Consent) -> ConsentOut:
    return ConsentOut(purpose=c.purpose, granted=c.granted, at=c.at.isoformat(), version=c.version,
                      language=c.language, channel=c.channel)  # fmt: skip


@router.get("", response_model=MeOut)
def memory_card(request: Request, lang: Lang = "en") -> MeOut:
    """Everything remembered about the shopper, in plain words with where it came from, and the
    answer that decides each purpose."""
    who = identity.required_shopper(request)
    assistant = _assistant(request)
    customer = assistant.store.get_customer(who)
    rights = assistant.rights
    card = [_fact(e.fact, e.text, e.quote) for e in rights.card(who, lang)]
    consents = {p: (_consent(c) if c else None) for p, c in rights.consents(who).items()}
    return MeOut(customer_id=who, display_name=customer.display_name, facts=card, consents=consents)


@router.patch("/facts/{fact_id}", response_model=FactOut)
def correct_fact(request: Request, fact_id: str, body: FactPatch, lang: Lang = "en") -> FactOut:
    """Correct one fact's value (another shopper's fact id is unknown: 404)."""
    who = identity.required_shopper(request)
    rights = _assistant(request).rights
    fact = rights.correct(who, fact_id, body.value)
    entry = next(e for e in rights.card(who, lang) if e.fact.ident == fact.ident)
    return _fact(entry.fact, entry.text, entry.quote)


@router.delete("/facts/{fact_id}", status_code=204)
def forget_fact(request: Request, fact_id: str) -> Response:
    who = identity.required_shopper(request)
    _assistant(request).rights.forget(who, [fact_id])
    return Response(status_code=204)


@router.delete("/facts")
def forget_everything(request: Request) -> dict[str, int]:
    """Forget every fact (consents and orders stay)."""
    who = identity.required_shopper(request)
    return {"forgotten": _assistant(request).rights.forget(who)}


@router.post("/consents", response_model=ConsentOut, status_code=201)
def give_or_withdraw(request: Request, body: ConsentIn) -> ConsentOut:
    """A yes or a no to one purpose; a no also erases the facts that purpose allowed."""
    who = identity.required_shopper(request)
    return _consent(_assistant(request).rights.consent(who, body.purpose, body.granted, body.language, "api"))


@router.get("/export")
def export(request: Request) -> JSONResponse:
    """Everything held about the shopper, as one JSON document to keep or take elsewhere."""
    who = identity.required_shopper(request)
    document: dict[str, Any] = _assistant(request).rights.export(who)
    headers = {
        "Content-Disposition": 'attachment; filename="hangat-export.json"',
        "Cache-Control": "no-store",
    }
    return JSONResponse(document, headers=headers)


@router.delete("")
def erase(request: Request) -> dict[str, Any]:
    """Erase the shopper: every table, the recommendation model and the logs; orders the store
    must keep stay, without the shopper's identity. The token stops working with the customer."""
    who = identity.required_shopper(request)
    return {"erased": _assistant(request).rights.erase(who)}
