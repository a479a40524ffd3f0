"""The product question tool: an answer from the product's own attributes, description and reviews,
with the evidence shown; when the data does not say, the assistant says so and offers a person."""

from __future__ import annotations

import re

from hangat.answers.answerable import answer
from hangat.answers.evidence import product_evidence
from hangat.dialogue.outcome import Outcome, ShownProduct, ToolContext
from hangat.dialogue.references import POINTS_AT_ONE, resolve
from hangat.domain.catalog import Product
from hangat.domain.conversation import EventKind, NewEvent
from hangat.i18n import format_price


def target(ctx: ToolContext) -> Product | None:
    """The product the shopper means: named by reference or by its words among those shown, else
    the best search match when its title shares a word with the message, else "it"/"ini" for the
    one shown first."""
    shown = ctx.shown()
    picked = resolve(ctx.text, shown) or _named(ctx.text, shown, 2)
    if picked:
        return picked[0]
    found = ctx.find(str(ctx.slot("product") or ctx.text), ctx.lang, None, 1)
    if found and _named(ctx.text, [found[0].product], 1):
        return found[0].product
    if shown and (POINTS_AT_ONE.search(ctx.text) or len(shown) == 1):
        focus = next((p for p in shown if p.external_id == ctx.state.focus), None)
        return focus or shown[0]
    if found:
        return found[0].product
    return shown[0] if shown else None


def product_question(ctx: ToolContext) -> Outcome:
    product = target(ctx)
    if product is None:
        line = ctx.say("reply.question_which")
        return Outcome("clarify", (line,), record={"type": "clarify", "for": "product_question"}, failed=True)
    if _PRICE.search(ctx.text) and product.price is not None:
        return _price_answer(ctx, product)
    reviews = ctx.store.reviews_for(product.external_id, limit=100)
    evidence = ctx.prepared(product, reviews) if ctx.prepared else product_evidence(product, reviews)
    result = answer(ctx.text, evidence)
    card = (ShownProduct(product, ctx.say("reason.asked_about")),)
    shown = focus_events(ctx, card)
    record = {
        "type": "product_question",
        "product_id": product.external_id,
        "answerable": result.answerable,
        "confidence": result.confidence,
    }
    if not result.answerable or not result.evidence:
        line = ctx.say("reply.data_silent", title=product.title[:70])
        return Outcome(
            "product_question", (line,), card, events=shown, record=record, offer_person="unanswered"
        )
    best = result.evidence[0].evidence
    source = ctx.say(f"evidence.{best.source}", field=best.field.replace("_", " "))
    lines = (ctx.say("reply.answer_from", title=product.title[:70], source=source), f"“{best.text}”")
    quoted = tuple(
        {
            "source": s.evidence.source,
            "field": s.evidence.field,
            "review_id": s.evidence.review_id,
            "product_id": product.external_id,
            "text": s.evidence.text,
        }
        for s in result.evidence[:2]
    )
    return Outcome("product_question", lines, card, evidence=quoted, events=shown, record=record)


def _named(text: str, products: list[Product], least: int) -> list[Product]:
    """Products whose title shares at least ``least`` longer words with the message, best first."""
    words = {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3} - _COMMON
    scored = [(len(words & set(re.findall(r"\w+", p.title.lower()))), p) for p in products]
    return [p for n, p in sorted(scored, key=lambda x: -x[0]) if n >= least]


_COMMON = {
    "yang",
    "untuk",
    "dengan",
    "berapa",
    "apakah",
    "bisa",
    "this",
    "that",
    "what",
    "does",
    "with",
    "have",
    "isinya",
    "harganya",
    "ukurannya",
}


_PRICE = re.compile(r"\b(harga(nya)?|price|cost|how much)\b", re.IGNORECASE)


def _price_answer(ctx: ToolContext, product: Product) -> Outcome:
    price = format_price(product.price, product.currency, ctx.lang)
    line = ctx.say("reply.price_is", title=product.title[:70], price=price)
    evidence = (
        {
            "source": "attribute",
            "field": "price",
            "review_id": "",
            "product_id": product.external_id,
            "text": price,
        },
    )
    record = {
        "type": "product_question",
        "product_id": product.external_id,
        "answerable": True,
        "confidence": 1.0,
    }
    card = (ShownProduct(product, ctx.say("reason.asked_about")),)
    return Outcome(
        "product_question", (line,), card, evidence=evidence, events=focus_events(ctx, card), record=record
    )


def focus_events(ctx: ToolContext, cards: tuple[ShownProduct, ...]) -> tuple[NewEvent, ...]:
    """The product asked about becomes the one "it" means next; a product that was not in the
    list shown becomes the list (so "the first two" still means the list the shopper saw)."""
    ids = [c.product.external_id for c in cards]
    if len(ids) == 1 and ids[0] in ctx.state.last_products:
        return (NewEvent(EventKind.PRODUCT_FOCUSED, {"product_id": ids[0]}),)
    return (NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": ids, "reasons": [c.reason for c in cards]}),)
