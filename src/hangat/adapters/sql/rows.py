"""Translation between domain values and table rows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from hangat.domain.booking import Booking
from hangat.domain.catalog import CATEGORY_SEPARATOR, Product, Review
from hangat.domain.conversation import Conversation, Event, EventKind
from hangat.domain.customer import Customer, StaffMember, StaffSession
from hangat.domain.handoff import Handoff, Outbound
from hangat.domain.memory import Consent, Fact
from hangat.domain.order import Order, OrderLine


def aware(value: datetime) -> datetime:
    """SQLite gives naive datetimes back; hangat stores UTC, so mark them as such."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def product_row(p: Product, now: datetime) -> dict[str, Any]:
    return {
        "external_id": p.external_id,
        "title": p.title,
        "description": p.description,
        "category": p.category,
        "brand": p.brand,
        "price": p.price,
        "currency": p.currency,
        "attributes": p.attributes,
        "stock": p.stock,
        "rating": p.rating,
        "units_sold": p.units_sold,
        "image_url": p.image_url,
        "language": p.language,
        "updated_at": now,
    }


def product_from(r: Row[Any]) -> Product:
    m = r._mapping
    return Product(
        external_id=m["external_id"],
        title=m["title"],
        description=m["description"],
        category_path=tuple(m["category"].split(CATEGORY_SEPARATOR)) if m["category"] else (),
        brand=m["brand"],
        price=None if m["price"] is None else Decimal(m["price"]),
        currency=m["currency"],
        attributes=dict(m["attributes"] or {}),
        stock=m["stock"],
        rating=m["rating"],
        units_sold=m["units_sold"],
        image_url=m["image_url"],
        language=m["language"],
    )


def review_row(r: Review) -> dict[str, Any]:
    return {
        "external_id": r.external_id,
        "product_id": r.product_id,
        "rating": r.rating,
        "text": r.text,
        "author_alias": r.author_alias,
        "reviewed_on": r.reviewed_on,
        "language": r.language,
    }


def review_from(r: Row[Any]) -> Review:
    m = r._mapping
    return Review(
        external_id=m["external_id"],
        product_id=m["product_id"],
        rating=m["rating"],
        text=m["text"],
        author_alias=m["author_alias"],
        reviewed_on=m["reviewed_on"],
        language=m["language"],
    )


def customer_row(c: Customer) -> dict[str, Any]:
    return {
        "external_id": c.external_id,
        "display_name": c.display_name,
        "language": c.language,
        "profile": c.profile,
    }


def customer_from(r: Row[Any]) -> Customer:
    m = r._mapping
    return Customer(m["external_id"], m["display_name"], m["language"], dict(m["profile"] or {}))


def order_row(o: Order) -> dict[str, Any]:
    return {
        "external_id": o.external_id,
        "customer_id": o.customer_id,
        "placed_at": o.placed_at.astimezone(UTC),
        "currency": o.currency,
        "status": o.status,
        "total": o.total,
        "promised_on": o.promised_on,
        "delivered_on": o.delivered_on,
        "tracking": o.tracking,
    }


def line_rows(o: Order) -> list[dict[str, Any]]:
    return [
        {
            "order_id": o.external_id,
            "line_no": i,
            "product_id": line.product_id,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        }
        for i, line in enumerate(o.lines, start=1)
    ]


def order_from(r: Row[Any], lines: list[Row[Any]]) -> Order:
    m = r._mapping
    return Order(
        external_id=m["external_id"],
        customer_id=m["customer_id"],
        placed_at=aware(m["placed_at"]),
        lines=tuple(
            OrderLine(x.product_id, x.quantity, Decimal(x.unit_price))
            for x in sorted(lines, key=lambda x: x.line_no)
        ),
        currency=m["currency"],
        status=m["status"],
        promised_on=m["promised_on"],
        delivered_on=m["delivered_on"],
        tracking=m["tracking"] or "",
    )


def staff_row(s: StaffMember) -> dict[str, Any]:
    return {
        "external_id": s.external_id,
        "first_name": s.first_name,
        "role": s.role,
        "languages": list(s.languages),
        "active": s.active,
    }


def staff_from(r: Row[Any]) -> StaffMember:
    m = r._mapping
    return StaffMember(m["external_id"], m["first_name"], m["role"], tuple(m["languages"]), bool(m["active"]))


def conversation_from(r: Row[Any]) -> Conversation:
    m = r._mapping
    return Conversation(m["external_id"], m["customer_id"], m["language"], aware(m["created_at"]))


def event_from(r: Row[Any]) -> Event:
    m = r._mapping
    return Event(
        conversation_id=m["conversation_id"],
        seq=m["seq"],
        kind=EventKind(m["kind"]),
        payload=dict(m["payload"] or {}),
        idempotency_key=m["idempotency_key"],
        created_at=aware(m["created_at"]),
    )


def booking_row(b: Booking, now: datetime) -> dict[str, Any]:
    return {
        "external_id": b.external_id,
        "service": b.service,
        "staff_id": b.staff_id,
        "starts_at": b.starts_at.astimezone(UTC),
        "minutes": b.minutes,
        "conversation_id": b.conversation_id,
        "customer_id": b.customer_id,
        "created_at": now,
    }


def booking_from(r: Row[Any]) -> Booking:
    m = r._mapping
    return Booking(
        m["external_id"], m["service"], m["staff_id"], aware(m["starts_at"]), m["minutes"],
        m["conversation_id"], m["customer_id"],
    )  # fmt: skip


def handoff_row(h: Handoff) -> dict[str, Any]:
    return {
        "conversation_id": h.conversation_id,
        "state": h.state,
        "reason": h.reason,
        "stakes": list(h.stakes),
        "language": h.language,
        "customer_id": h.customer_id,
        "staff_id": h.staff_id,
        "mode": h.mode,
        "preferred_staff": h.preferred_staff,
        "callback_at": _utc(h.callback_at),
        "requested_at": _utc(h.requested_at),
        "claimed_at": _utc(h.claimed_at),
        "first_reply_at": _utc(h.first_reply_at),
        "closed_at": _utc(h.closed_at),
        "note": h.note,
        "seq": h.seq,
    }


def handoff_from(r: Row[Any]) -> Handoff:
    m = r._mapping
    names = ("callback_at", "requested_at", "claimed_at", "first_reply_at", "closed_at")
    times = {k: _maybe(m[k]) for k in names}
    return Handoff(
        m["conversation_id"], m["state"], m["reason"], tuple(m["stakes"] or ()), m["language"],
        m["customer_id"], m["staff_id"], m["mode"], m["preferred_staff"], note=m["note"], seq=m["seq"],
        **times,
    )  # fmt: skip


def _utc(value: datetime | None) -> datetime | None:
    """SQLite drops the offset: store every time in UTC."""
    return value.astimezone(UTC) if value is not None else None


def _maybe(value: datetime | None) -> datetime | None:
    return aware(value) if value is not None else None


def session_row(s: StaffSession) -> dict[str, Any]:
    return {
        "token_hash": s.token_hash,
        "staff_id": s.staff_id,
        "csrf": s.csrf,
        "created_at": _utc(s.created_at),
        "expires_at": _utc(s.expires_at),
        "seen_at": _utc(s.seen_at),
    }


def session_from(r: Row[Any]) -> StaffSession:
    m = r._mapping
    return StaffSession(
        m["token_hash"], m["staff_id"], m["csrf"], aware(m["created_at"]), aware(m["expires_at"]),
        aware(m["seen_at"]),
    )  # fmt: skip


def outbox_row(o: Outbound, now: datetime) -> dict[str, Any]:
    return {
        "event_id": o.event_id,
        "kind": o.type,
        "payload": o.body,
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": now,
        "delivered_at": None,
        "last_error": "",
    }


def outbox_from(r: Row[Any]) -> Outbound:
    m = r._mapping
    return Outbound(
        m["event_id"], m["kind"], dict(m["payload"]), m["attempts"], aware(m["next_attempt_at"]), m["id"]
    )


def consent_row(c: Consent) -> dict[str, Any]:
    return {
        "customer_id": c.customer_id,
        "purpose": c.purpose,
        "granted": c.granted,
        "at": c.at.astimezone(UTC),
        "version": c.version,
        "language": c.language,
        "channel": c.channel,
    }


def consent_from(r: Row[Any]) -> Consent:
    m = r._mapping
    return Consent(m["customer_id"], m["purpose"], bool(m["granted"]), aware(m["at"]), m["version"],
                   m["language"], m["channel"])  # fmt: skip


def fact_row(f: Fact) -> dict[str, Any]:
    return {
        "ident": f.ident,
        "customer_id": f.customer_id,
        "kind": f.kind,
        "subject": f.subject,
        "value": f.value,
        "language": f.language,
        "conversation_id": f.conversation_id,
        "seq": f.seq,
        "created_at": f.created_at.astimezone(UTC),
        "expires_at": f.expires_at.astimezone(UTC),
        "author": f.author,
    }


def fact_from(r: Row[Any]) -> Fact:
    m = r._mapping
    return Fact(
        ident=m["ident"],
        customer_id=m["customer_id"],
        kind=m["kind"],
        subject=m["subject"],
        value=m["value"],
        language=m["language"],
        conversation_id=m["conversation_id"],
        seq=m["seq"],
        created_at=aware(m["created_at"]),
        expires_at=aware(m["expires_at"]),
        author=m["author"],
    )
