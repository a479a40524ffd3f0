"""The reason a product is shown in search results (shared by search and the conversation)."""

from __future__ import annotations

from collections.abc import Sequence

from hangat.domain.catalog import Product
from hangat.i18n import format_number, t
from hangat.search.text import analyze


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
    return " · ".join([*parts, *stats(product, lang)])


def stats(product: Product, lang: str) -> list[str]:
    """The product's rating and sales, as reason parts ("rated 4.8★", "2,300 sold")."""
    parts = []
    if product.rating is not None:
        parts.append(t(lang, "reason.rating", rating=format_number(product.rating, lang, 1)))
    if product.units_sold:
        parts.append(t(lang, "reason.sold", sold=format_number(product.units_sold, lang)))
    return parts
