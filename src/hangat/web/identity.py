"""Who is asking: the shopper a request's token names, and whose a conversation is.

A store's site signs its shopper in and gives the chat a token (``privacy/tokens``); requests carry
it as ``Authorization: Bearer …`` or ``X-Hangat-Customer``, and an EventSource, which cannot set
headers, as ``?customer_token=``. A conversation that belongs to a customer answers only to that
customer's token: to anyone else it does not exist (404, so ids cannot be probed).
"""

from __future__ import annotations

from fastapi import Request

from hangat.assistant import Assistant
from hangat.errors import Forbidden, NotFound, Unauthorized

HEADER = "X-Hangat-Customer"
QUERY = "customer_token"


def _assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


def token_of(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get(HEADER, "") or request.query_params.get(QUERY, "")


def shopper(request: Request) -> str | None:
    """The signed-in shopper, or ``None`` for a guest; a bad or expired token is Unauthorized."""
    token = token_of(request)
    return _assistant(request).shopper_from_token(token) if token else None


def required_shopper(request: Request) -> str:
    who = shopper(request)
    if who is None:
        raise Unauthorized("sign in first: this needs a shopper token")
    return who


def claimed(request: Request, customer_id: str | None) -> str | None:
    """The customer a request acts for: the token's; a ``customer_id`` in the body must match it."""
    who = shopper(request)
    if customer_id is not None and who is None:
        raise Unauthorized("a customer_id needs the shopper's token")
    if customer_id is not None and customer_id != who:
        raise Forbidden("the customer_id is not the signed-in shopper")
    return who


def check_conversation(request: Request, conversation_id: str) -> None:
    """A customer's conversation is only for that customer's token (an unknown one is new)."""
    try:
        convo = _assistant(request).store.get_conversation(conversation_id)
    except NotFound:
        return
    if convo.customer_id is not None and shopper(request) != convo.customer_id:
        raise NotFound("conversation", conversation_id)
