"""Numbers as answers, for channels that number what they show (SMS, WhatsApp): a bare "2", "no 2",
"#2" or "nomor 2" picks product 2 of the last reply's list, or the quick reply numbered after them.

One numbering, shared with the text channel's formatter (``dialogue/text_parts``): the last reply's
products are 1…P, its quick replies P+1…P+C — unless the quick replies are numbers themselves (a
booking's slots), which then keep their own numbers. Pure: it reads the event log it is given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hangat.dialogue.references import short
from hangat.dialogue.respond import Reply
from hangat.domain.catalog import Product
from hangat.domain.conversation import ConversationState, Event, EventKind, NewEvent, fold
from hangat.i18n import format_number, format_price, t

MAX_NUMBER = 99
_NUMBER = re.compile(r"^\s*(?:no\.?|nomor|number|nr\.?|#)?\s*(\d{1,2})\s*[.!)]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Numbered:
    """What the last reply numbered: its products (id, the reason shown) and the quick replies
    numbered after them (empty when it had none, or when they are numbers themselves)."""

    products: tuple[tuple[str, str], ...] = ()
    choices: tuple[str, ...] = ()

    def choice(self, n: int) -> str | None:
        """The quick reply that number ``n`` stands for, if any."""
        i = n - len(self.products) - 1
        return self.choices[i] if 0 <= i < len(self.choices) else None


def number_in(text: str) -> int | None:
    """The number a message consists of ("2", "2.", "no 2", "#2", "nomor 2"), else ``None``."""
    found = _NUMBER.match(text)
    if found is None:
        return None
    n = int(found.group(1))
    return n if 1 <= n <= MAX_NUMBER else None


def numbered_choices(products: int, choices: Sequence[str]) -> list[tuple[int, str]]:
    """(number, label) of each quick reply, numbered after ``products``; none when the quick
    replies are numbers themselves (they are answered by those numbers)."""
    if any(c.strip().isdigit() for c in choices):
        return []
    return [(products + i, c) for i, c in enumerate(choices, start=1)]


def numbered(history: Sequence[Event]) -> Numbered:
    """What the last reply of the conversation numbered. A selection's reply keeps the list it
    picked from, so "2" then "3" walks the same list; a person's message ends any list."""
    for event in reversed(history):
        if event.kind is EventKind.STAFF_SAID:
            return Numbered()
        if event.kind is EventKind.ASSISTANT_SAID:
            p = event.payload
            picked = next((a for a in p.get("actions", []) if a.get("type") == "select"), None)
            if picked is not None:
                return Numbered(tuple((str(i), str(r)) for i, r in picked.get("list", [])))
            products = tuple((str(i), str(r)) for i, r in p.get("products", []))
            choices = numbered_choices(len(products), [str(c) for c in p.get("choices", [])])
            return Numbered(products, tuple(label for _, label in choices))
    return Numbered()


def quick_reply(n: int, history: Sequence[Event]) -> str | None:
    """The words of the quick reply numbered ``n`` in the last reply, if there is one; ``None``
    while a person owns the conversation (they read what the shopper typed)."""
    if fold(list(history)).owner == "person":
        return None
    return numbered(history).choice(n)


def offer_waiting(state: ConversationState) -> bool:
    """An offer (checkout, slots, call-back times, a person) awaits this very message's answer."""
    return state.pending is not None and state.pending.get("turn") == state.turns


def pick(n: int, listed: Numbered, state: ConversationState) -> tuple[str, str] | None:
    """(product id, reason shown) of product ``n`` of ``listed``, or ``None`` when the number picks
    no product now: out of range, an offer waiting for this answer, or a person owns the conversation."""
    if state.owner == "person" or offer_waiting(state) or not 1 <= n <= len(listed.products):
        return None
    return listed.products[n - 1]


def shopper_said(text: str, lang: str, understanding: dict[str, object], n: int) -> dict[str, object]:
    """The ``shopper_said`` payload of a number that picked a product (no person is routed in)."""
    route = {"reason": None, "rule": f"a number picked product {n} of the list", "urgent": False}
    return {"text": text, "language": lang, "understanding": understanding, "plain": None, "route": route}


def details(
    product: Product, n: int, reason: str, listed: Numbered, lang: str
) -> tuple[Reply, list[NewEvent]]:
    """The reply to "``n``": the product's title, price, rating, why it was shown and a line of its
    description; and the events to store: the product becomes the one "it" and "add to cart" mean
    next, and the reply (never re-phrased by a language model: it is all facts)."""
    price = format_price(product.price, product.currency, lang)
    rating = f" ⭐{format_number(product.rating, lang, 1)}" if product.rating is not None else ""
    lines = [f"{n}. {short(product.title, 120)}", f"{price}{rating}"]
    if reason:
        lines.append(t(lang, "channel.why", reason=reason))
    if product.description.strip():
        lines.append(short(product.description, 160))
    lines.append(t(lang, "channel.select_hint"))
    record = {
        "type": "select",
        "n": n,
        "product_id": product.external_id,
        "list": [[i, r] for i, r in listed.products],
    }
    reply = Reply("\n".join(lines), lang, actions=(record,))
    ident = product.external_id
    events = [
        # the cart tools read "the product shown last"; the selection narrows the list to it
        NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": [ident], "reasons": [reason]}),
        NewEvent(EventKind.PRODUCT_FOCUSED, {"product_id": ident}),
        NewEvent(EventKind.ASSISTANT_SAID, {**reply.record(), "phrased_by": "deterministic"}),
    ]
    return reply, events
