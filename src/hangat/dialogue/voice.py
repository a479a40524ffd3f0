"""Phrasing a finished reply with the optional language model, inside the guard of
:mod:`hangat.dialogue.phrasing`: the tools' facts go in, and the model's text is used only if it
adds no product, number, link or action the reply did not already carry."""

from __future__ import annotations

from dataclasses import replace

from hangat.dialogue.breaker import CircuitBreaker
from hangat.dialogue.outcome import ToolContext
from hangat.dialogue.phrasing import Facts, Phrased, ProductFact, StoreVoice, phrase
from hangat.dialogue.respond import Reply
from hangat.i18n import format_price
from hangat.ports import Clock, LanguageModel

TONES = {
    "warm": "warm, plain and brief; specific rather than effusive",
    "formal": "formal and courteous; 'Anda' in Indonesian; no slang",
    "luxury": "refined and unhurried; precise about materials and care",
    "casual": "relaxed and friendly; 'kamu' and 'kak' in Indonesian are fine",
}


def facts_of(reply: Reply, ctx: ToolContext) -> Facts:
    products = tuple(
        ProductFact(
            c.product.title,
            details=(format_price(c.product.price, c.product.currency, reply.language), c.reason),
        )
        for c in reply.products
    )
    return Facts(products=products, shopper_message=ctx.text)


def phrased(
    reply: Reply,
    ctx: ToolContext,
    model: LanguageModel | None,
    breaker: CircuitBreaker,
    clock: Clock,
    budget_s: float,
    store_name: str,
) -> tuple[Reply, Phrased]:
    """The reply with the model's wording when the guard accepts it; the deterministic one otherwise."""
    if model is None or reply.silent or not reply.text:
        return reply, Phrased(reply.text, "deterministic")
    voice = StoreVoice(store_name, TONES.get(ctx.profile.tone, TONES["warm"]))
    result = phrase(
        reply.text,
        facts_of(reply, ctx),
        model,
        reply.language,
        breaker,
        clock,
        budget_s=budget_s,
        voice=voice,
    )
    return replace(reply, text=result.text), result
