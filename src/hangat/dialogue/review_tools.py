"""The reviews tool: what reviewers say about the products the shopper means, by aspect with counts
and one or two short real quotes (each an exact piece of one review, with that review's id)."""

from __future__ import annotations

from hangat.dialogue.answer_tools import focus_events
from hangat.dialogue.outcome import Outcome, ShownProduct, ToolContext
from hangat.dialogue.references import resolve
from hangat.domain.catalog import Product
from hangat.reviews import Synthesis, render, synthesise

MAX_REVIEWS = 200


def synthesis_for(ctx: ToolContext, product: Product) -> Synthesis:
    return synthesise(ctx.store.reviews_for(product.external_id, limit=MAX_REVIEWS))


def review_line(ctx: ToolContext, product: Product) -> str:
    """One short line: the aspects reviewers praise most, with how many said so ("" if none)."""
    s = synthesis_for(ctx, product)
    if not s.pros:
        return ""
    parts = [f"{a.aspect.label(ctx.lang)} ({a.positive})" for a in s.pros[:2]]
    return ctx.say("reason.reviewers_praise", aspects=", ".join(parts))


def reviews(ctx: ToolContext) -> Outcome:
    shown = ctx.shown()
    picked = resolve(ctx.text, shown)
    if not picked:
        from hangat.dialogue.answer_tools import target

        one = target(ctx)
        picked = [one] if one is not None else []
    if not picked:
        line = ctx.say("reply.reviews_which")
        return Outcome("clarify", (line,), record={"type": "clarify", "for": "reviews"}, failed=True)
    lines: list[str] = []
    evidence = []
    cards = []
    for product in picked[:2]:
        s = synthesis_for(ctx, product)
        lines.append(f"{product.title[:70]}: {render(s, ctx.lang)}")
        for quote in s.quotes[:2]:
            lines.append(f"“{quote.text}”")
            ident = product.external_id
            evidence.append(
                {"source": "review", "review_id": quote.review_id, "product_id": ident, "text": quote.text}
            )
        cards.append(ShownProduct(product, render(s, ctx.lang)))
    record = {"type": "reviews", "products": [p.external_id for p in picked[:2]]}
    return Outcome(
        "reviews",
        tuple(lines),
        tuple(cards),
        evidence=tuple(evidence),
        events=focus_events(ctx, tuple(cards)),
        record=record,
    )
