"""The service tools: order status, returns, reorder, service booking, a person, and "what do you
know about me" — each from the store's own orders, policy and calendar.

The assistant never promises a refund or an exception: it states the written policy and brings in a
person, who decides.
"""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hangat.dialogue import memory_tools
from hangat.dialogue.outcome import Outcome, ShownProduct, ToolContext
from hangat.domain.booking import Booking
from hangat.domain.conversation import EventKind, NewEvent
from hangat.domain.order import Order
from hangat.domain.store_profile import DAYS, Service
from hangat.errors import Conflict
from hangat.i18n import MESSAGES, format_price, t
from hangat.recommend.suggest import Suggestion

SLOTS_OFFERED = 3


def _orders(ctx: ToolContext) -> list[Order]:
    return ctx.store.orders_for(ctx.customer_id, limit=20) if ctx.customer_id else []


def order_status(ctx: ToolContext) -> Outcome:
    orders = _orders(ctx)
    if not ctx.customer_id:
        return Outcome(
            "order_status",
            (ctx.say("reply.sign_in_for_orders"),),
            record={"type": "order_status", "order": None},
            offer_person="order_unknown",
        )
    if not orders:
        return Outcome(
            "order_status",
            (ctx.say("reply.no_orders"),),
            record={"type": "order_status", "order": None},
            failed=True,
        )
    today = ctx.now.date()
    named = next((o for o in orders if o.external_id.lower() in ctx.text.lower()), None)
    open_orders = [o for o in orders if o.status not in ("delivered", "cancelled", "returned")]
    order = named or (open_orders[0] if open_orders else orders[0])
    late_count = sum(1 for o in orders if o.is_late(today))
    lines = [status_line(order, today, ctx.lang)]
    if order.is_late(today) and late_count >= 2:
        lines.append(ctx.say("reply.late_history", n=late_count))
    record = {
        "type": "order_status",
        "order": order.external_id,
        "status": order.status,
        "late": order.is_late(today),
        "late_orders": late_count,
    }
    offer = "repeated_failure" if order.is_late(today) and late_count >= 2 else None
    if order.is_late(today) and offer is None:
        offer = "late_order"
    facts = {"order": order.external_id, "late_orders": late_count, "late": order.is_late(today)}
    return Outcome("order_status", tuple(lines), record=record, facts=facts, offer_person=offer)


def status_line(order: Order, today: date, lang: str) -> str:
    when = order.promised_on.isoformat() if order.promised_on else ""
    tracking = t(lang, "order.tracking", tracking=order.tracking) if order.tracking else ""
    if order.status == "delivered":
        day = order.delivered_on.isoformat() if order.delivered_on else order.placed_at.date().isoformat()
        return t(lang, "order.delivered", order=order.external_id, day=day)
    if order.is_late(today):
        days = (today - order.promised_on).days if order.promised_on else 0
        return t(
            lang,
            "order.late",
            order=order.external_id,
            status=t(lang, f"status.{_status(order)}"),
            day=when,
            days=days,
            tracking=tracking,
        )
    if when:
        return t(
            lang,
            "order.on_time",
            order=order.external_id,
            status=t(lang, f"status.{_status(order)}"),
            day=when,
            tracking=tracking,
        )
    return t(lang, "order.status", order=order.external_id, status=t(lang, f"status.{_status(order)}"))


def _status(order: Order) -> str:
    known = ("processing", "shipped", "delivered", "cancelled", "returned")
    return order.status if order.status in known else "other"


def complaint(ctx: ToolContext) -> Outcome:
    """A complaint that is not about an order: a concrete next step — a person who can act on it."""
    line = ctx.say("reply.complaint_next")
    return Outcome("complaint", (line,), record={"type": "complaint"}, offer_person="complaint")


def return_refund(ctx: ToolContext) -> Outcome:
    policy = ctx.profile.return_policy.get(ctx.lang) or t(
        ctx.lang, "policy.default", days=ctx.profile.return_days
    )
    lines = [policy]
    record: dict[str, Any] = {"type": "return_refund", "policy_days": ctx.profile.return_days}
    delivered = [o for o in _orders(ctx) if o.status == "delivered"]
    if delivered:
        order = next((o for o in delivered if o.external_id.lower() in ctx.text.lower()), delivered[0])
        day = order.delivered_on or order.placed_at.date()
        left = ctx.profile.return_days - (ctx.now.date() - day).days
        key = "reply.return_window_open" if left >= 0 else "reply.return_window_closed"
        lines.append(ctx.say(key, order=order.external_id, days=max(left, 0), day=day.isoformat()))
        record.update(order=order.external_id, days_left=left)
    lines.append(ctx.say("reply.return_person_decides"))
    offer = "refund_decision" if delivered else None
    return Outcome("return_refund", tuple(lines), record=record, offer_person=offer)


def reorder(ctx: ToolContext) -> Outcome:
    predicted = ctx.next_basket(ctx.customer_id, now=ctx.now) if ctx.customer_id and ctx.next_basket else []
    if predicted:
        return _predicted_basket(ctx, predicted)
    orders = ctx.store.orders_for(ctx.customer_id, limit=200) if ctx.customer_id else []
    if not orders:
        key = "reply.sign_in_for_reorder" if not ctx.customer_id else "reply.no_orders"
        return Outcome("reorder", (ctx.say(key),), record={"type": "reorder", "products": []}, failed=True)
    baskets = Counter(pid for o in orders for pid in {x.product_id for x in o.lines})
    last: dict[str, datetime] = {}
    for o in orders:
        for item in o.lines:
            last[item.product_id] = max(last.get(item.product_id, o.placed_at), o.placed_at)
    usual = [pid for pid, n in baskets.most_common(12) if n >= 2][:5]
    products = {p.external_id: p for p in ctx.store.get_products(usual)}
    today = ctx.now
    cards = []
    for pid in usual:
        if pid not in products:
            continue
        ago = max((today - last[pid]).days, 0)
        every = _interval(orders, pid)
        reason = ctx.say("reason.usual", n=baskets[pid], total=len(orders), every=every)
        if ago <= 365:
            reason = f"{reason} · {ctx.say('reason.last_bought', days=ago)}"
        cards.append(ShownProduct(products[pid], reason))
    if not cards:
        return Outcome("reorder", (ctx.say("reply.no_usual"),), record={"type": "reorder", "products": []})
    ids = [c.product.external_id for c in cards]
    event = NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": ids, "reasons": [c.reason for c in cards]})
    line = ctx.say("reply.reorder", n=len(cards), baskets=len(orders))
    return Outcome(
        "reorder",
        (line,),
        tuple(cards),
        events=(event,),
        record={"type": "reorder", "products": ids},
        choices=(ctx.say("choice.add_all"),),
    )


def _predicted_basket(ctx: ToolContext, predicted: list[Suggestion]) -> Outcome:
    """The next-basket model's items for the household, each with when it is due and why."""
    products = {p.external_id: p for p in ctx.store.get_products([s.item for s in predicted])}
    cards = [ShownProduct(products[s.item], _why(ctx, s)) for s in predicted if s.item in products][:6]
    ids = [c.product.external_id for c in cards]
    event = NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": ids, "reasons": [c.reason for c in cards]})
    line = ctx.say("reply.reorder_predicted", n=len(cards))
    record = {"type": "reorder", "products": ids, "model": "next_basket"}
    return Outcome(
        "reorder", (line,), tuple(cards), events=(event,), record=record, choices=(ctx.say("choice.add_all"),)
    )


def _why(ctx: ToolContext, s: Suggestion) -> str:
    """ "You buy this about every 2 weeks; last time 12 days ago · probably due now", in words."""
    if not s.repeat:
        return ctx.say("reason.people_like_you")
    parts = []
    if s.every_days:
        parts.append(ctx.say("reason.every", span=_span(ctx, s.every_days)))
    if s.last_days is not None:
        parts.append(ctx.say("reason.last_time", span=_span(ctx, s.last_days)))
    if s.due_in_days is not None:
        parts.append(
            ctx.say("reason.due_now")
            if s.due_in_days <= 1
            else ctx.say("reason.due_in", span=_span(ctx, s.due_in_days))
        )
    return " · ".join(parts)


def _span(ctx: ToolContext, days: float) -> str:
    d = max(round(days), 0)
    if d < 14:
        return ctx.say("span.day" if d == 1 else "span.days", n=d)
    if d < 60:
        return ctx.say("span.weeks", n=round(d / 7))
    return ctx.say("span.months", n=round(d / 30))


def _interval(orders: list[Order], product_id: str) -> int:
    """The median number of days between the household's purchases of one product."""
    days = sorted(o.placed_at for o in orders if any(x.product_id == product_id for x in o.lines))
    gaps = sorted((b - a).days for a, b in itertools.pairwise(days) if (b - a).days > 0)
    return gaps[len(gaps) // 2] if gaps else 0


# -- service booking ----------------------------------------------------------------------------


def book_service(ctx: ToolContext) -> Outcome:
    service = _which_service(ctx)
    if service is None:
        names = ", ".join(s.name(ctx.lang) for s in ctx.profile.services)
        line = ctx.say("reply.which_service", services=names)
        return Outcome("clarify", (line,), record={"type": "clarify", "for": "book_service"})
    wanted = ctx.slot("date")
    slots = free_slots(ctx, service, date.fromisoformat(str(wanted)) if wanted else None)
    if not slots:
        line = ctx.say("reply.no_slots", service=service.name(ctx.lang))
        return Outcome(
            "book_service",
            (line,),
            record={"type": "book_service", "slots": []},
            failed=True,
            offer_person="no_slots",
        )
    staff = {s.external_id: s.first_name for s in ctx.store.list_staff()}
    options = [
        {"start": start.isoformat(), "staff": sid, "name": staff.get(sid, sid)} for start, sid in slots
    ]
    listed = "; ".join(
        f"{i}. {_when(start, ctx.lang)} — {staff.get(sid, sid)}" for i, (start, sid) in enumerate(slots, 1)
    )
    line = ctx.say("reply.slots", service=service.name(ctx.lang), minutes=service.minutes, slots=listed)
    event = NewEvent(EventKind.SERVICE_OFFERED, {"service": service.id, "options": options})
    record = {"type": "book_service", "service": service.id, "slots": options, "confirm_required": True}
    return Outcome(
        "book_service",
        (line,),
        events=(event,),
        record=record,
        choices=tuple(str(i) for i in range(1, len(slots) + 1)),
    )


def confirm_booking(ctx: ToolContext, choice: int) -> Outcome:
    pending = ctx.state.pending or {}
    options = list(pending.get("options", []))
    service = ctx.profile.service(str(pending.get("service")))
    if service is None or not 1 <= choice <= len(options):
        line = ctx.say("reply.slot_choice", n=len(options))
        return Outcome("clarify", (line,), record={"type": "clarify", "for": "book_service"})
    picked = options[choice - 1]
    start = datetime.fromisoformat(picked["start"])
    booking = Booking(
        f"bk-{uuid.uuid4().hex[:12]}",
        service.id,
        picked["staff"],
        start,
        service.minutes,
        ctx.conversation_id,
        ctx.customer_id,
    )
    try:
        ctx.store.hold_booking(booking)
    except Conflict:
        line = ctx.say("reply.slot_taken")
        return Outcome("book_service", (line,), record={"type": "book_service", "booked": None}, failed=True)
    event = NewEvent(
        EventKind.SERVICE_BOOKED,
        {
            "booking": booking.external_id,
            "service": service.id,
            "start": picked["start"],
            "staff": picked["staff"],
        },
    )
    line = t(
        ctx.lang,
        "reply.booked",
        service=service.name(ctx.lang),
        when=_when(start, ctx.lang),
        name=picked["name"],
    )
    record = {
        "type": "book_service",
        "booked": booking.external_id,
        "start": picked["start"],
        "staff": picked["staff"],
    }
    return Outcome("book_service", (line,), events=(event,), record=record)


def free_slots(ctx: ToolContext, service: Service, day: date | None) -> list[tuple[datetime, str]]:
    """The first free (start, staff id) pairs on ``day`` (or from tomorrow on), within opening hours."""
    zone = ZoneInfo(ctx.profile.timezone)
    local_now = ctx.now.astimezone(zone)
    first = day or (local_now.date() + timedelta(days=1))
    out: list[tuple[datetime, str]] = []
    for offset in range(0, 14):
        current = first + timedelta(days=offset)
        hours = ctx.profile.hours.get(DAYS[current.weekday()])
        if hours is None:
            continue
        opening = datetime.combine(current, hours[0], zone)
        closing = datetime.combine(current, hours[1], zone)
        taken = ctx.store.bookings_between(opening, closing)
        start = opening
        while start + timedelta(minutes=service.minutes) <= closing and len(out) < SLOTS_OFFERED:
            end = start + timedelta(minutes=service.minutes)
            for sid in service.staff:
                busy = any(b.staff_id == sid and b.overlaps(start, end) for b in taken)
                if start > local_now and not busy:
                    out.append((start, sid))
                    break
            start = end
        if out and (day is not None or len(out) >= SLOTS_OFFERED):
            break
    return out[:SLOTS_OFFERED]


def _which_service(ctx: ToolContext) -> Service | None:
    low = ctx.text.lower()
    scored = [(sum(w in low for w in s.words), s) for s in ctx.profile.services]
    best = max(scored, key=lambda x: x[0], default=(0, None))
    if best[0]:
        return best[1]
    return ctx.profile.services[0] if len(ctx.profile.services) == 1 else None


def _when(moment: datetime, lang: str) -> str:
    days = {
        "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        "id": ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"),
    }[lang]
    return f"{days[moment.weekday()]} {moment.date().isoformat()} {moment.strftime('%H:%M')}"


# -- a person, and what the assistant knows ------------------------------------------------------


def _has(key: str) -> bool:
    return key in MESSAGES["en"]


def memory_view(ctx: ToolContext) -> Outcome:
    """The memory card for a signed-in customer; otherwise, truthfully, this conversation alone."""
    card = memory_tools.view(ctx)
    if card is not None:
        return card
    lines = [ctx.say("memory.scope")]
    told = dict(ctx.state.told)
    for slot in ("recipient", "occasion", "budget_max", "size", "date"):
        if slot in told:
            value = _told_value(slot, told[slot], ctx.lang, told.get("currency", "IDR"))
            lines.append(ctx.say(f"memory.{slot}", value=value))
    if ctx.state.cart.lines:
        lines.append(ctx.say("memory.cart", n=len(ctx.state.cart.lines)))
    if ctx.customer_id:
        lines.append(ctx.say("memory.signed_in", id=ctx.customer_id))
    if len(lines) == 1:
        lines.append(ctx.say("memory.nothing"))
    return Outcome("memory_view", tuple(lines), record={"type": "memory_view", "facts": dict(told)})


def _told_value(slot: str, value: str, lang: str, currency: str = "IDR") -> str:
    if slot in ("recipient", "occasion"):
        return t(lang, f"{slot}.{value}") if _has(f"{slot}.{value}") else value
    if slot == "budget_max":
        try:
            return format_price(Decimal(value), currency, lang)
        except ArithmeticError:
            return value
    return value


def memory_forget(ctx: ToolContext) -> Outcome:
    forgotten = memory_tools.forget(ctx)
    if forgotten is not None:
        return forgotten
    return Outcome("memory_forget", (ctx.say("memory.forget_scope"),), record={"type": "memory_forget"})
