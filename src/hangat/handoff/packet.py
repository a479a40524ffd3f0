"""The handoff packet: what a person needs to take over without making the shopper repeat anything.

Built from the conversation's event log alone (plus the customer's record and orders): a short
summary, the shopper's own words, what the assistant tried and showed, the cart, the emotional
trajectory, the stakes and reason, and suggested next steps — every line in the staff member's
language. Suggested replies are drafts: the person edits or approves them before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hangat.domain.conversation import ConversationState, Event, EventKind, fold
from hangat.domain.customer import Customer, StaffMember
from hangat.domain.handoff import Handoff
from hangat.errors import NotFound
from hangat.i18n import MESSAGES, format_price, t
from hangat.memory.card import for_staff
from hangat.ports import Store

QUOTES = 4  # the shopper's last messages quoted in the packet
_NEGATIVE = ("frustration", "anxiety", "sadness", "confusion")


@dataclass(frozen=True)
class Packet:
    summary: str
    reason: str
    stakes: tuple[str, ...]
    quotes: tuple[str, ...]  # the shopper's own words, most recent last
    told: tuple[tuple[str, str], ...]  # details the shopper gave (budget, recipient, occasion, ...)
    tried: tuple[str, ...]  # what the assistant did, in order
    shown: tuple[tuple[str, str], ...]  # (product id, title) last shown
    cart: tuple[str, ...]
    emotions: tuple[tuple[str, float], ...]
    next_steps: tuple[str, ...]
    drafts: tuple[str, ...]
    customer: dict[str, Any] = field(default_factory=dict)
    language: str = "en"
    remembered: tuple[str, ...] = ()  # the customer's memory card, in the staff member's language


def build(
    store: Store, conversation_id: str, handoff: Handoff | None, staff: StaffMember, lang: str,
    tone: str = "warm", now: datetime | None = None,
) -> Packet:  # fmt: skip
    """The packet for ``staff`` reading in ``lang`` (the console's language)."""
    events = store.events(conversation_id)
    convo = store.get_conversation(conversation_id)
    state = fold(events)
    reason = handoff.reason if handoff else state.handoff_reason or "staff_joined"
    stakes = handoff.stakes if handoff else ()
    customer = _customer(store, convo.customer_id)
    said = [str(e.payload.get("text", "")) for e in events if e.kind is EventKind.SHOPPER_SAID]
    shown = _shown(store, state)
    tried = tuple(_tried(events, lang))
    cart = tuple(
        t(
            lang,
            "console.cart_line",
            n=ln.quantity,
            title=ln.title,
            price=format_price(ln.unit_price, ln.currency, lang),
        )
        for ln in state.cart.lines
    )
    shopper_lang = state.language or convo.language
    name = customer.display_name if customer else ""
    summary = t(
        lang,
        "console.summary",
        who=name or t(lang, "console.guest"),
        reason=t(lang, f"console.reason.{reason}") if _has(f"console.reason.{reason}") else reason,
        n=len(said),
        language=t(lang, f"console.lang.{shopper_lang}") if shopper_lang in ("en", "id") else shopper_lang,
        mood=_mood(state, lang),
    )
    return Packet(
        summary=summary,
        reason=reason,
        stakes=stakes,
        quotes=tuple(said[-QUOTES:]),
        told=tuple(dict(state.told).items()),
        tried=tried,
        shown=shown,
        cart=cart,
        emotions=tuple((s, i) for s, i in state.emotions if s != "neutral"),
        next_steps=tuple(_next_steps(reason, stakes, state, lang)),
        drafts=tuple(_drafts(reason, name, staff, shopper_lang, tone)),
        customer=_customer_facts(store, customer),
        language=shopper_lang,
        remembered=_remembered(store, customer, lang, now),
    )


def _customer(store: Store, customer_id: str | None) -> Customer | None:
    if not customer_id:
        return None
    try:
        return store.get_customer(customer_id)
    except NotFound:
        return None


def _customer_facts(store: Store, customer: Customer | None) -> dict[str, Any]:
    if customer is None:
        return {}
    orders = store.orders_for(customer.external_id, limit=20)
    late = [o for o in orders if o.promised_on and (o.delivered_on is None or o.delivered_on > o.promised_on)]
    return {
        "id": customer.external_id,
        "name": customer.display_name,
        "orders": len(orders),
        "late_orders": len(late),
        "last_order": orders[0].external_id if orders else None,
    }


def _remembered(store: Store, customer: Customer | None, lang: str, now: datetime | None) -> tuple[str, ...]:
    """What hangat remembers about the customer (with their consent), as the card says it."""
    if customer is None:
        return ()
    held = store.facts(customer.external_id)
    return tuple(for_staff(f, lang) for f in held if now is None or f.live(now))


def _shown(store: Store, state: ConversationState) -> tuple[tuple[str, str], ...]:
    found = {p.external_id: p.title for p in store.get_products(list(state.last_products))}
    return tuple((pid, found[pid]) for pid in state.last_products if pid in found)


def _tried(events: list[Event], lang: str) -> list[str]:
    out = []
    for e in events:
        if e.kind is not EventKind.ASSISTANT_SAID or e.payload.get("from_desk"):
            continue
        for action in e.payload.get("actions", []):
            kind = str(action.get("type", ""))
            if not _has(f"console.action.{kind}"):
                continue  # greetings, handoffs and confirmations are not attempts to help
            label = t(lang, f"console.action.{kind}")
            failed = e.payload.get("outcome") == "failed"
            out.append(t(lang, "console.tried_failed" if failed else "console.tried", action=label))
    return out[-8:]


def _mood(state: ConversationState, lang: str) -> str:
    strong = [(s, i) for s, i in state.emotions if s in _NEGATIVE and i >= 0.5]
    if not strong:
        return t(lang, "console.mood_calm")
    last = strong[-1][0]
    times = sum(1 for x, _ in strong if x == last)
    return t(lang, "console.mood", state=t(lang, f"console.emotion.{last}"), n=times)


def _next_steps(reason: str, stakes: tuple[str, ...], state: ConversationState, lang: str) -> list[str]:
    steps = []
    for key in (reason, *stakes):
        if _has(f"console.step.{key}") and t(lang, f"console.step.{key}") not in steps:
            steps.append(t(lang, f"console.step.{key}"))
    if state.cart.lines:
        steps.append(t(lang, "console.step.cart", n=len(state.cart.lines)))
    if not steps:
        steps.append(t(lang, "console.step.generic"))
    return steps


def _drafts(reason: str, name: str, staff: StaffMember, lang: str, tone: str) -> list[str]:
    """Replies drafted in the shopper's language and the store's tone, for the person to edit."""
    greet_key = "draft.greet_named" if name else "draft.greet"
    toned = f"{greet_key}#{tone}"
    greet = t(lang, toned if _has(toned) else greet_key, name=name, staff=staff.first_name)
    out = [greet]
    if _has(f"draft.{reason}"):
        out.append(t(lang, f"draft.{reason}", staff=staff.first_name))
    out.append(t(lang, "draft.anything_else"))
    return out


def _has(key: str) -> bool:
    return key in MESSAGES["en"]
