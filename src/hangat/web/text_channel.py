"""``POST /channel/text/inbound``: an SMS or WhatsApp provider's webhook. Check the signature, parse,
call the text channel (``hangat.text_channel``), answer with the parts to send back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from hangat.text_channel import Inbound, TextChannel

router = APIRouter(prefix="/channel/text", tags=["text channel"])
MAX_BODY_BYTES = 64 * 1024


class TextIn(BaseModel):
    """One message from a phone, as the provider delivers it."""

    model_config = ConfigDict(populate_by_name=True)

    message_id: str = Field(min_length=1, max_length=500, description="the provider's id: the dedup key")
    sender: str = Field(alias="from", min_length=3, max_length=40, description="E.164 (+628…) or 08…")
    text: str = Field(max_length=100_000)
    timestamp: int | None = Field(default=None, ge=0, description="when it was sent (unix seconds)")
    language: str | None = Field(default=None, pattern="^(en|id)$", description="else detected")


class TextOut(BaseModel):
    """The reply to send: the parts in order, each at most 320 characters (none: stay silent)."""

    to: str
    parts: list[str]
    conversation_id: str
    replayed: bool = False


def _refused(status: int, error: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status)


@router.post(
    "/inbound",
    response_model=TextOut,
    responses={401: {"description": "bad, missing or stale signature"}, 404: {"description": "off"}},
)
async def inbound(
    request: Request,
    x_hangat_timestamp: Annotated[str | None, Header(max_length=20)] = None,
    x_hangat_signature: Annotated[str | None, Header(max_length=1000)] = None,
) -> TextOut | JSONResponse:
    """A message from a phone number and the assistant's answer as text-message parts. Signed:
    ``X-Hangat-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}.{raw body}")>`` with
    ``X-Hangat-Timestamp``; the same ``message_id`` again returns the same parts."""
    channel = TextChannel(request.app.state.assistant)
    if not channel.configured:
        return _refused(404, "NotFound", "text channel not configured")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _refused(413, "MessageTooLong", f"the body is over {MAX_BODY_BYTES} bytes")
    if not channel.verified(x_hangat_timestamp, body, x_hangat_signature):
        return _refused(401, "Unauthorized", "bad, missing or stale signature")
    try:
        message = TextIn.model_validate_json(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        return JSONResponse({"detail": errors}, status_code=422)
    got = Inbound(message.message_id, message.sender, message.text, message.language)
    out = await run_in_threadpool(channel.answer, got)
    return TextOut(
        to=out.to, parts=list(out.parts), conversation_id=out.conversation_id, replayed=out.replayed
    )
