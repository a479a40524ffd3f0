"""The cart tools: add, change, remove, and checkout behind a server-checked confirmation.

Checkout never happens on a model's or a text's say-so. It is *offered* with a token that binds the
conversation, the customer, the exact cart and the amount (HMAC-SHA256 with the store's secret);
only the shopper's own "yes" in the next message, or the token sent back by the widget's button,
hands over the checkout link, and only if the cart and amount still match the token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from decimal import Decimal
from urllib.parse import urlencode

from hangat.dialogue.outcome import Outcome, ShownProduct, ToolContext
from hangat.dialogue.references import POINTS_AT_ONE, resolve, short
from hangat.domain.cart import Cart, CartLine
from hangat.domain.catalog import Product
from hangat.domain.conversation import EventKind, NewEvent
from hangat.i18n import format_price, t

TOKEN_MINUTES = 15


def confirmation_token(
    secret: bytes, conversation: str, customer: str | None, cart: Cart, expires: int
) -> str:
    """The token a checkout confirmation must carry: bound to who, what, how much and until when."""
    amounts = ",".join(f"{c}:{a}" for c, a in sorted(cart.totals().items()))
    body = f"{conversation}|{customer or ''}|{cart.digest()}|{amounts}|{expires}"
    mac = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{mac}"


def token_valid(
    secret: bytes, token: str, conversation: str, customer: str | None, cart: Cart, now: int
) -> bool:
    expires_text, _, _ = token.partition(".")
    if not expires_text.isdigit() or int(expires_text) < now:
        return False
    expected = confirmation_token(secret, conversation, customer, cart, int(expires_text))
    return hmac.compare_digest(expected, token)


def _targets(ctx: ToolContext) -> list[Product]:
    """The products a cart request is about: named by reference, else the one in focus, else the
    only one shown."""
    shown = ctx.shown()
    if shown and _ALL.search(ctx.text):
        return shown
    if shown and _CHEAPEST.search(ctx.text):
        priced = [p for p in shown if p.price is not None]
        return [min(priced, key=lambda p: p.price or 0)] if priced else []
    picked = resolve(ctx.text, shown)
    if picked:
        return picked[:1]
    focused = [p for p in shown if p.external_id == ctx.state.focus]
    if focused:
        return focused  # the product the shopper last asked about or picked: "add it"
    if len(shown) == 1 or (shown and POINTS_AT_ONE.search(ctx.text)):
        return shown[:1]
    return []


_ALL = re.compile(r"\b(all of them|them all|all|semua(nya)?|everything|usual basket|seperti biasa)\b", re.I)
_CHEAPEST = re.compile(r"\b(cheapest|termurah|paling murah|the cheap one)\b", re.I)


def add(ctx: ToolContext) -> Outcome:
    targets = _targets(ctx)
    if not targets:
        found = ctx.find(str(ctx.slot("product") or ctx.text), ctx.lang, None, 1)
        if not found:
            line = ctx.say("reply.cart_which")
            return Outcome("clarify", (line,), record={"type": "clarify", "for": "cart_add"}, failed=True)
        targets = [found[0].product]
    if len(targets) > 1:
        return _add_all(ctx, targets)
    product = targets[0]
    if product.price is None:
        line = ctx.say("reply.cart_no_price", title=product.title)
        return Outcome("cart_add", (line,), record={"type": "cart_add", "added": None}, failed=True)
    quantity = max(1, min(int(ctx.slot("quantity") or 1), 10_000))
    line_item = CartLine(product.external_id, product.title, quantity, product.price, product.currency)
    cart = ctx.state.cart.add(line_item)
    reply = t(
        ctx.lang,
        "reply.cart_added",
        qty=quantity,
        title=short(product.title, 60),
        summary=_summary(cart, ctx.lang),
    )
    return _changed(ctx, "cart_add", cart, reply, product, quantity)


def _add_all(ctx: ToolContext, products: list[Product]) -> Outcome:
    cart = ctx.state.cart
    for p in products:
        if p.price is not None:
            cart = cart.add(CartLine(p.external_id, p.title, 1, p.price, p.currency))
    reply = ctx.say("reply.cart_added_all", n=len(products), summary=_summary(cart, ctx.lang))
    event = NewEvent(
        EventKind.CART_CHANGED, {"op": "cart_add", "product_id": None, "quantity": 1, "lines": cart.record()}
    )
    record = {
        "type": "cart_add",
        "product_ids": [p.external_id for p in products],
        "cart_total": _amounts(cart, ctx.lang),
    }
    return Outcome(
        "cart_add", (reply,), events=(event,), record=record, choices=(ctx.say("choice.checkout"),)
    )


def change(ctx: ToolContext) -> Outcome:
    cart = ctx.state.cart
    number = re.search(r"\b(\d{1,5})\b", ctx.text)
    quantity = int(ctx.slot("quantity") or (number.group(1) if number else 0))
    product = _in_cart(ctx, cart)
    if product is None or quantity <= 0:
        line = ctx.say("reply.cart_which")
        return Outcome("clarify", (line,), record={"type": "clarify", "for": "cart_change"}, failed=True)
    cart = cart.set_quantity(product.product_id, quantity)
    reply = t(
        ctx.lang,
        "reply.cart_changed",
        qty=quantity,
        title=short(product.title, 60),
        summary=_summary(cart, ctx.lang),
    )
    return _changed(ctx, "cart_change", cart, reply, None, quantity, product.product_id)


def remove(ctx: ToolContext) -> Outcome:
    cart = ctx.state.cart
    product = _in_cart(ctx, cart)
    if product is None:
        key = "reply.cart_empty" if not cart.lines else "reply.cart_which"
        return Outcome(
            "clarify", (ctx.say(key),), record={"type": "clarify", "for": "cart_remove"}, failed=True
        )
    cart = cart.remove(product.product_id)
    reply = ctx.say("reply.cart_removed", title=short(product.title, 60), summary=_summary(cart, ctx.lang))
    return _changed(ctx, "cart_remove", cart, reply, None, 0, product.product_id)


def checkout(ctx: ToolContext) -> Outcome:
    cart = ctx.state.cart
    if not cart.lines:
        line = ctx.say("reply.cart_empty")
        return Outcome(
            "checkout", (line,), record={"type": "checkout", "confirm_required": False}, failed=True
        )
    expires = int(ctx.now.timestamp()) + TOKEN_MINUTES * 60
    token = confirmation_token(ctx.secret, ctx.conversation_id, ctx.customer_id, cart, expires)
    amount = _amounts(cart, ctx.lang)
    line = ctx.say("reply.checkout_confirm", n=sum(x.quantity for x in cart.lines), amount=amount)
    event = NewEvent(EventKind.CHECKOUT_OFFERED, {"token": token, "cart": cart.digest(), "amount": amount})
    record = {"type": "checkout", "confirm_required": True, "token": token, "amount": amount}
    limits = ctx.profile.high_value
    high = any(total > limits[c] for c, total in cart.totals().items() if c in limits)
    return Outcome(
        "checkout",
        (line,),
        events=(event,),
        record=record,
        offer_person="high_value" if high else None,
        choices=(ctx.say("choice.yes_checkout"), ctx.say("choice.not_yet")),
    )


def confirm_checkout(ctx: ToolContext, token: str) -> Outcome:
    """Hand over the checkout link if ``token`` matches the cart as it is now."""
    cart = ctx.state.cart
    now = int(ctx.now.timestamp())
    if not cart.lines or not token_valid(ctx.secret, token, ctx.conversation_id, ctx.customer_id, cart, now):
        line = ctx.say("reply.checkout_stale")
        return Outcome("checkout", (line,), record={"type": "checkout", "confirmed": False}, failed=True)
    query = urlencode({"cart": cart.digest(), "conversation": ctx.conversation_id})
    link = f"{ctx.profile.checkout_url}?{query}"
    event = NewEvent(
        EventKind.CHECKOUT_CONFIRMED,
        {"link": link, "cart": cart.record(), "amount": _amounts(cart, ctx.lang)},
    )
    line = ctx.say("reply.checkout_link", link=link)
    return Outcome(
        "checkout", (line,), events=(event,), record={"type": "checkout", "confirmed": True, "link": link}
    )


def _in_cart(ctx: ToolContext, cart: Cart) -> CartLine | None:
    if not cart.lines:
        return None
    in_cart = ctx.store.get_products([x.product_id for x in cart.lines])
    picked = resolve(ctx.text, in_cart) or resolve(ctx.text, ctx.shown())
    for product in picked:
        line = cart.line(product.external_id)
        if line is not None:
            return line
    words = {w for w in ctx.text.lower().split() if len(w) > 3}
    for line in cart.lines:
        if words & set(line.title.lower().split()):
            return line
    return cart.lines[-1] if len(cart.lines) == 1 else None


def _changed(ctx: ToolContext, action: str, cart: Cart, reply: str, product: Product | None, qty: int,
             product_id: str | None = None) -> Outcome:  # fmt: skip
    ident = product.external_id if product else product_id
    event = NewEvent(
        EventKind.CART_CHANGED, {"op": action, "product_id": ident, "quantity": qty, "lines": cart.record()}
    )
    cards = (ShownProduct(product, ctx.say("reason.in_cart")),) if product else ()
    record = {"type": action, "product_id": ident, "quantity": qty, "cart_total": _amounts(cart, ctx.lang)}
    return Outcome(
        action, (reply,), cards, events=(event,), record=record, choices=(ctx.say("choice.checkout"),)
    )


def _summary(cart: Cart, lang: str) -> str:
    if not cart.lines:
        return t(lang, "cart.empty_summary")
    return t(lang, "cart.summary", n=sum(x.quantity for x in cart.lines), amount=_amounts(cart, lang))


def _amounts(cart: Cart, lang: str) -> str:
    return " + ".join(format_price(Decimal(a), c, lang) for c, a in sorted(cart.totals().items()))
