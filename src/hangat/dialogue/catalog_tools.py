"""The catalog tools: search, recommend, compare and occasion planning.

Every product shown carries a one-line reason built from the store's data (the shopper's words it
matches, the budget it fits, its rating and sales); nothing here invents a fact.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hangat.dialogue.outcome import Outcome, ShownProduct, Table, ToolContext
from hangat.dialogue.references import resolve, short
from hangat.dialogue.turn import stats
from hangat.domain.catalog import Product
from hangat.domain.conversation import EventKind, NewEvent
from hangat.i18n import MESSAGES, format_number, format_price, t
from hangat.search.filters import Filters
from hangat.search.text import words

SHOW = 3  # products per reply: few enough to read on a phone or hear on a screen reader
MAX_COMPARE = 4
# Words that widen an occasion into the kinds of products it needs (both languages).
OCCASION_WORDS = {
    "lebaran": ["hampers", "kue kering", "sarung", "mukena", "kurma"],
    "eid": ["hampers", "kue kering", "sarung", "mukena", "kurma"],
    "ramadan": ["kurma", "mukena", "sarung", "al quran"],
    "birthday": ["kado", "mainan", "hadiah"],
    "christmas": ["kado", "hadiah", "dekorasi"],
    "wedding": ["kado pernikahan", "peralatan dapur", "hadiah"],
    "camping": ["tenda", "senter", "matras", "kompor portable", "sleeping bag"],
    "graduation": ["kado wisuda", "buket", "jam tangan"],
    "funeral": ["karangan bunga", "bunga", "kain"],
    "new_baby": ["perlengkapan bayi", "baju bayi", "selimut bayi"],
}


# What an interest means in products (the shopper's "she loves gardening" → garden tools, plants).
INTEREST_WORDS = {
    "berkebun": ["gunting rumput", "semprotan air taman", "pot bunga", "lampu taman", "boots kebun"],
    "gardening": ["gunting rumput", "semprotan air taman", "pot bunga", "lampu taman", "boots kebun"],
    "kebun": ["gunting rumput", "semprotan air taman", "pot bunga", "lampu taman"],
    "tanaman": ["tanaman", "pot bunga", "pupuk"],
    "memasak": ["peralatan masak", "wajan", "pisau dapur"],
    "masak": ["peralatan masak", "wajan", "pisau dapur"],
    "cooking": ["peralatan masak", "wajan", "pisau dapur"],
    "membaca": ["buku", "novel"],
    "baca": ["buku", "novel"],
    "reading": ["buku", "novel"],
    "olahraga": ["perlengkapan olahraga", "sepatu olahraga"],
    "sport": ["perlengkapan olahraga", "sepatu olahraga"],
    "mancing": ["pancing", "joran"],
    "fishing": ["pancing", "joran"],
    "kopi": ["kopi", "coffee"],
    "coffee": ["kopi", "coffee"],
    "gaming": ["gaming", "mouse gaming", "headset gaming"],
    "musik": ["headphone", "speaker"],
    "music": ["headphone", "speaker"],
}


def budget_filters(ctx: ToolContext) -> Filters | None:
    high, low = ctx.slot("budget_max"), ctx.slot("budget_min")
    if high is None and low is None:
        return None
    currency = ctx.slot("currency") or None
    return Filters(price_min=_dec(low), price_max=_dec(high), currency=currency)


def with_budget(card: ShownProduct, ctx: ToolContext) -> ShownProduct:
    """The reason, led by "under your budget" when the shopper gave one and the product fits."""
    high = _dec(ctx.slot("budget_max"))
    price = card.product.price
    if high is None or price is None or price > high:
        return card
    note = ctx.say("reason.budget", budget=format_price(high, card.product.currency, ctx.lang))
    return ShownProduct(card.product, f"{note} · {card.reason}" if card.reason else note)


def search(ctx: ToolContext, query: str | None = None) -> Outcome:
    text = query or ctx.text
    cards = [with_budget(c, ctx) for c in ctx.find(text, ctx.lang, budget_filters(ctx), SHOW)]
    named = str(ctx.slot("product") or "")
    if query is None and named and not any(_names(c.product, named) for c in cards):
        # the other words of the message outweighed the product the shopper named ("keyboard yang
        # enak" found "Apples Gold Delicious"): look for the named product itself
        focused = [with_budget(c, ctx) for c in ctx.find(named, ctx.lang, budget_filters(ctx), SHOW)]
        if any(_names(c.product, named) for c in focused):
            cards = focused
    shown = short(text)
    if not cards:
        line = ctx.say("reply.no_results", query=shown)
        return Outcome("search", (line,), record={"type": "search", "query": text, "results": 0}, failed=True)
    key = "reply.result_one" if len(cards) == 1 else "reply.results"
    return _showing("search", [ctx.say(key, n=len(cards), query=shown)], cards, {"query": text})


def _names(product: Product, named: str) -> bool:
    """Whether the product's title or category holds a word of the product the shopper named."""
    where = f"{product.title} {product.category}".lower()
    return any(re.search(rf"\b{re.escape(w)}", where) for w in named.lower().split() if len(w) > 2)


def recommend(ctx: ToolContext) -> Outcome:
    anchor = resolve(ctx.text, ctx.shown())
    if anchor:
        base = anchor[0]
        found = [p for p in ctx.similar(base, SHOW + 1) if p.external_id != base.external_id][:SHOW]
        reason = ctx.say("reason.similar_to", title=short(base.title, 40))
        cards = [ShownProduct(p, _join(reason, _stats(p, ctx.lang))) for p in found]
        if cards:
            line = ctx.say("reply.similar", title=short(base.title, 60))
            return _showing("recommend", [line], cards, {"similar_to": base.external_id})
    named = bool(ctx.slot("product") or ctx.slot("budget_max"))
    if named or asks_for_something(ctx.text):
        out = search(ctx)
        if named or out.products:  # "rekomendasi mikrofon buat vlog" names what, even untagged
            return Outcome(
                "recommend",
                out.lines,
                out.products,
                events=out.events,
                record={**out.record, "type": "recommend"},
                failed=out.failed,
            )
    liked = _like_you(ctx)
    if liked:
        return _showing("recommend", [ctx.say("reply.like_you")], liked, {"people_like_you": True})
    popular = ctx.store.list_products("", limit=SHOW)
    cards = [ShownProduct(p, _join(ctx.say("reason.popular"), _stats(p, ctx.lang))) for p in popular]
    return _showing("recommend", [ctx.say("reply.popular")], cards, {"popular": True})


def _like_you(ctx: ToolContext) -> list[ShownProduct]:
    """For a household the next-basket model knows: what households that shop like it buy and it
    has not bought yet ("people like you also bought"), rather than the store's best sellers."""
    if not ctx.customer_id or ctx.next_basket is None:
        return []
    likely = ctx.next_basket(ctx.customer_id, 150, now=ctx.now)
    new = [s.item for s in likely if not s.repeat]  # explore items rank low
    products = {p.external_id: p for p in ctx.store.get_products(new)}
    reason = ctx.say("reason.people_like_you")
    return [
        ShownProduct(products[i], _join(reason, _stats(products[i], ctx.lang))) for i in new if i in products
    ][:SHOW]


# Words of a request for suggestions that say nothing about what is wanted (both languages).
_ASKING = frozenset(
    """
    recommend recommendation recommendations rekomendasi rekomen rekomendasiin rekomendasikan saran
    sarankan suggest suggestion suggestions mohon please pls plz tolong bagus good best great nice
    terbaik enak apa what any some something sesuatu kak min gan sis could would should ada nih
    sih produk product products barang item items toko store shop beli buy populer popular laris
    terlaris favorit favourite favorite dong deh hari today sekarang now kasih give show tunjukkan
    lihat see let idea ideas ide
    """.split()
)


def asks_for_something(text: str) -> bool:
    """Whether a request for suggestions names what it is for ("rekomendasi mikrofon buat vlog"),
    not just asks ("rekomendasi dong")."""
    return any(w not in _ASKING and len(w) > 2 and not w[0].isdigit() for w in words(text))


def compare(ctx: ToolContext) -> Outcome:
    shown = ctx.shown()
    picked = resolve(ctx.text, shown) or shown[:2]
    picked = list({p.external_id: p for p in picked}.values())[:MAX_COMPARE]
    if len(picked) < 2:
        line = ctx.say("reply.compare_what")
        return Outcome("clarify", (line,), record={"type": "clarify", "for": "compare"}, failed=True)
    table = comparison(picked, ctx)
    cards = [ShownProduct(p, _stats(p, ctx.lang)) for p in picked]
    cheapest = min((p for p in picked if p.price is not None), key=lambda p: p.price or 0, default=None)
    best = max((p for p in picked if p.rating is not None), key=lambda p: p.rating or 0, default=None)
    lines = [ctx.say("reply.compare", n=len(picked))]
    if (
        cheapest is not None
        and best is not None
        and cheapest is not best
        and round(best.rating or 0, 1) > round(cheapest.rating or 0, 1)
    ):
        lines.append(
            t(
                ctx.lang,
                "reply.compare_tradeoff",
                cheap=short(cheapest.title, 40),
                best=short(best.title, 40),
            )
        )
    out = _showing("compare", lines, cards, {"product_ids": [p.external_id for p in picked]})
    return Outcome(out.action, out.lines, out.products, table, events=out.events, record=out.record)


def comparison(products: list[Product], ctx: ToolContext) -> Table:
    lang = ctx.lang
    rows: list[tuple[str, tuple[str, ...]]] = [
        (t(lang, "compare.price"), tuple(format_price(p.price, p.currency, lang) for p in products)),
        (
            t(lang, "compare.rating"),
            tuple("—" if p.rating is None else f"{format_number(p.rating, lang, 1)}★" for p in products),
        ),
        (
            t(lang, "compare.sold"),
            tuple("—" if p.units_sold is None else format_number(p.units_sold, lang) for p in products),
        ),
        (
            t(lang, "compare.category"),
            tuple(p.category_path[-1] if p.category_path else "—" for p in products),
        ),
    ]
    shared = [k for k in products[0].attributes if all(k in p.attributes for p in products[1:])]
    for key in shared[:4]:
        label = ctx.say(f"attr.{key}") if f"attr.{key}" in MESSAGES["en"] else key.replace("_", " ")
        rows.append((label, tuple(_value(p.attributes[key], ctx) for p in products)))
    return Table(tuple(p.external_id for p in products), tuple(p.title for p in products), tuple(rows))


def plan_occasion(ctx: ToolContext) -> Outcome:
    """Gift-like requests (a recipient) get alternatives that each fit the budget; occasions
    (camping, hampers) get a bundle whose total fits it, with alternatives."""
    budget = _dec(ctx.slot("budget_max"))
    queries = _occasion_queries(ctx)
    per_item = budget if ctx.slot("recipient") or budget is None else None
    pool: dict[str, ShownProduct] = {}
    limit_filters = Filters(price_max=budget, currency=ctx.slot("currency")) if budget else None
    found = [_named(q, ctx.find(q, ctx.lang, limit_filters, 4)) for q in queries]
    for rank in range(4):  # round-robin: the best of each kind first, so ideas are varied
        for cards_of_query in found:
            if rank < len(cards_of_query):
                pool.setdefault(cards_of_query[rank].product.external_id, cards_of_query[rank])
    cards = list(pool.values())
    if not cards:
        line = ctx.say("reply.no_results", query=short(ctx.text))
        return Outcome("plan_occasion", (line,), record={"type": "plan_occasion", "results": 0}, failed=True)
    if per_item is not None or budget is None:
        chosen = [_with_reviews(with_budget(c, ctx), ctx) for c in cards[:SHOW]]
        line = ctx.say("reply.gift_ideas", n=len(chosen))
        return _showing("plan_occasion", [line], chosen, {"mode": "suggestions", "budget": _num(budget)})
    bundle, total = _bundle(cards, budget)
    currency = bundle[0].product.currency
    line = t(
        ctx.lang,
        "reply.bundle",
        n=len(bundle),
        total=format_price(total, currency, ctx.lang),
        budget=format_price(budget, currency, ctx.lang),
    )
    record = {"mode": "bundle", "budget": _num(budget), "total": _num(total)}
    return _showing("plan_occasion", [line], bundle, record)


def _occasion_queries(ctx: ToolContext) -> list[str]:
    product = ctx.slot("product")
    interest = re.findall(r"(?:suka|hobi|loves?|likes?|enjoys?|into)\s+(\w+)", ctx.text, re.IGNORECASE)
    queries = [q for w in interest if len(w) > 3 for q in INTEREST_WORDS.get(w.lower(), [w])]
    if product and str(product).lower() not in ("kado", "gift", "hadiah", "present"):
        queries.append(str(product))
    occasion = ctx.slot("occasion")
    if occasion:
        queries.extend(OCCASION_WORDS.get(str(occasion), []))
    if not queries:
        queries.append(ctx.text)
    return list(dict.fromkeys(queries))[:5]


def _bundle(cards: list[ShownProduct], budget: Decimal) -> tuple[list[ShownProduct], Decimal]:
    chosen: list[ShownProduct] = []
    total = Decimal(0)
    categories: set[str] = set()
    for card in cards:
        price = card.product.price
        if price is None or total + price > budget or card.product.category in categories:
            continue
        chosen.append(card)
        categories.add(card.product.category)
        total += price
        if len(chosen) == SHOW:
            break
    return chosen or cards[:1], total


def _showing(action: str, lines: list[str], cards: list[ShownProduct], record: dict[str, Any]) -> Outcome:
    ids = [c.product.external_id for c in cards]
    event = NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": ids, "reasons": [c.reason for c in cards]})
    return Outcome(
        action,
        tuple(lines),
        tuple(cards),
        events=(event,),
        record={"type": action, **record, "products": ids},
    )


def _stats(p: Product, lang: str) -> str:
    return " · ".join(stats(p, lang))


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _with_reviews(card: ShownProduct, ctx: ToolContext) -> ShownProduct:
    from hangat.dialogue.review_tools import review_line

    line = review_line(ctx, card.product)
    return ShownProduct(card.product, _join(card.reason, line)) if line else card


def _named(query: str, cards: list[ShownProduct]) -> list[ShownProduct]:
    """Cards whose title carries a word of the query, when some do (an idea list is better short
    than padded with loosely related products)."""
    words = {w for w in query.lower().split() if len(w) > 2}
    named = [c for c in cards if words & set(re.findall(r"\w+", c.product.title.lower()))]
    return named or cards


def cheaper(ctx: ToolContext) -> Outcome:
    """The shopper says what was shown costs too much: own it plainly and show cheaper ones."""
    shown = [p for p in ctx.shown() if p.price is not None]
    told = dict(ctx.state.told)
    budget = _dec(ctx.slot("budget_max") or told.get("budget_max"))
    query = ctx.state.last_query or ctx.text
    cap = budget if budget is not None else (min(p.price or Decimal(0) for p in shown) - 1 if shown else None)
    currency = shown[0].currency if shown else ctx.slot("currency")
    filters = Filters(price_max=cap, currency=currency) if cap is not None else None
    seen = {p.external_id for p in shown}
    cards = [
        c for c in ctx.find(query, ctx.lang, filters, SHOW + len(seen)) if c.product.external_id not in seen
    ]
    cards = cards[:SHOW]
    if cap is None or not cards:
        line = ctx.say("reply.no_cheaper")
        return Outcome(
            "search", (line,), record={"type": "search", "cheaper": True, "results": 0}, failed=True
        )
    amount = format_price(cap, cards[0].product.currency, ctx.lang)
    over = any((p.price or 0) > cap for p in shown) if budget is not None else True
    key = "reply.own_mistake_budget" if budget is not None and over else "reply.cheaper"
    return _showing("search", [ctx.say(key, n=len(cards), budget=amount)], cards, {"cheaper": True})


def _value(value: Any, ctx: ToolContext) -> str:
    if isinstance(value, bool):
        return ctx.say("attr.yes" if value else "attr.no")
    if isinstance(value, int | float):
        return format_number(value, ctx.lang)
    return str(value)[:40]
