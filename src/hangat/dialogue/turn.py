"""The pure parts of a turn: deciding what to do with a message, and composing the reply.

This is the walking skeleton of the dialogue: a message with product words becomes a search unless
it is understood as only a greeting or small talk; anything else is a greeting. The conversation
issue replaces ``decide`` with the real policy over the whole ``Understanding``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hangat.domain.catalog import Product
from hangat.domain.conversation import ConversationState
from hangat.i18n import format_number, t
from hangat.search.terms import query_terms
from hangat.search.text import analyze
from hangat.understand.language import detect_language, reply_language
from hangat.understand.understanding import Understanding

_CHAT_ONLY = frozenset({"greeting", "smalltalk"})
# What a search can serve today; other requests (a person, an order, a refund…) get an honest
# "not here yet" instead of unrelated products, until their tools exist.
_SHOPPING = frozenset(
    "search recommend plan_occasion product_question compare reviews cart_add bulk_order reorder "
    "negotiate".split()
)


@dataclass(frozen=True)
class Plan:
    """What the turn will do: ``action`` is ``"search"``, ``"greet"`` or ``"not_yet"``."""

    action: str
    language: str
    detected_language: str
    terms: tuple[str, ...]
    understanding: Understanding | None = None


@dataclass(frozen=True)
class ShownProduct:
    """A product in a reply, with the one-line reason it is shown."""

    product: Product
    reason: str


@dataclass(frozen=True)
class Reply:
    text: str
    language: str
    products: tuple[ShownProduct, ...] = ()


def decide(
    text: str,
    state: ConversationState,
    default_language: str,
    hint: str | None = None,
    understanding: Understanding | None = None,
) -> Plan:
    """Answer in the language the shopper writes; ``hint`` (the page's language) only breaks ties."""
    fallback = state.language or hint or default_language
    detected = detect_language(text, default=fallback)
    language = reply_language(detected, state.language or hint, fallback)
    terms = tuple(query_terms(text))
    action = "search" if terms else "greet"
    if understanding is not None:
        intents = set(understanding.intent_names)
        if intents <= _CHAT_ONLY:
            action = "greet"
        elif not intents & _SHOPPING:
            action = "not_yet"
    return Plan(action, language, detected, terms, understanding)


def respond(plan: Plan, query: str, cards: Sequence[ShownProduct]) -> Reply:
    """The reply to a planned turn, given the products the search found (with their reasons)."""
    lang = plan.language
    if plan.action == "greet":
        return Reply(t(lang, "reply.greeting"), lang)
    if plan.action == "not_yet":
        return Reply(t(lang, "reply.not_yet"), lang)
    shown = query.strip()[:80]
    if not cards:
        return Reply(t(lang, "reply.no_results", query=shown), lang)
    key = "reply.result_one" if len(cards) == 1 else "reply.results"
    return Reply(t(lang, key, n=len(cards), query=shown), lang, tuple(cards))


def reason_for(product: Product, terms: Sequence[str], lang: str, translated: Sequence[str] = ()) -> str:
    """Why a product is shown, in one line: which of the shopper's words it matches (or which
    English equivalents, or that it is close in meaning), its rating and its sales."""
    haystack = f"{product.title} {product.category} {product.brand}"
    known = set(analyze(haystack, "mixed"))
    own = [w for w in terms if set(analyze(w, "mixed")) & known]
    english = list({tuple(analyze(w, "en")): w for w in translated if set(analyze(w, "en")) & known}.values())
    if own:
        parts = [t(lang, "reason.matched", terms=" ".join(own))]
    elif english:
        parts = [t(lang, "reason.matched_translated", terms=" ".join(english[:2]), query=" ".join(terms))]
    elif terms:
        parts = [t(lang, "reason.similar", query=" ".join(terms))]
    else:
        parts = []
    if product.rating is not None:
        parts.append(t(lang, "reason.rating", rating=format_number(product.rating, lang, 1)))
    if product.units_sold:
        parts.append(t(lang, "reason.sold", sold=format_number(product.units_sold, lang)))
    return " · ".join(parts)
