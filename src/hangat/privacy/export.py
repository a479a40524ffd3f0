"""Everything held about one customer, as one JSON document (the right of access and portability:
GDPR art. 15 and 20, UU PDP art. 7 and 13).

The profile, every consent with its proof, the memory facts with where each came from, every
conversation with its events and its cart, orders, service bookings, handoff notes, and the
purposes hangat processes personal data for, with their legal basis. Machine-readable: a shopper
can take it elsewhere.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from hangat.domain.conversation import fold
from hangat.domain.memory import KIND_PURPOSE
from hangat.ports import Store

FORMAT = "hangat-export/1"

PURPOSES = {
    "service": {
        "basis": "contract",
        "en": "Answer your questions, search, keep your cart and bring in a person from the store.",
        "id": "Menjawab pertanyaan, mencari produk, menyimpan keranjang dan memanggil orang dari toko.",
    },
    "personalisation": {
        "basis": "consent",
        "en": "Remember your preferences, sizes and the people you shop for, to tailor suggestions.",
        "id": "Mengingat preferensi, ukuran dan orang yang Anda belanjakan, untuk menyesuaikan saran.",
    },
    "reminders": {
        "basis": "consent",
        "en": "Remind you of occasions and of products you are likely to run out of.",
        "id": "Mengingatkan acara dan produk yang kemungkinan akan habis.",
    },
    "sensitive": {
        "basis": "explicit consent",
        "en": "Keep health facts you told us, only to suggest suitable products.",
        "id": "Menyimpan fakta kesehatan yang Anda ceritakan, hanya untuk menyarankan produk yang cocok.",
    },
    "orders": {
        "basis": "legal obligation",
        "en": "Orders are kept as the law requires; on erasure they are kept without your identity.",
        "id": "Pesanan disimpan sesuai hukum; saat dihapus, pesanan disimpan tanpa identitas Anda.",
    },
}


def export(store: Store, customer_id: str, now: datetime) -> dict[str, Any]:
    """The export document (``NotFound`` for an unknown customer)."""
    customer = store.get_customer(customer_id)
    conversations = []
    for c in store.conversations_for(customer_id):
        events = store.events(c.external_id)
        handoff = store.handoff(c.external_id)
        conversations.append({
            "id": c.external_id, "language": c.language, "created_at": c.created_at.isoformat(),
            "events": [{"seq": e.seq, "kind": e.kind.value, "at": e.created_at, "payload": e.payload}
                       for e in events],
            "cart": fold(events).cart.record(),
            "handoff": handoff.record() if handoff else None,
        })  # fmt: skip
    document: dict[str, Any] = _plain({
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "customer": {"id": customer.external_id, "display_name": customer.display_name,
                     "language": customer.language, "profile": customer.profile},
        "consents": [asdict(c) for c in store.consents(customer_id)],
        "memory": [{**asdict(f), "purpose": KIND_PURPOSE[f.kind]} for f in store.facts(customer_id)],
        "conversations": conversations,
        "orders": [asdict(o) for o in store.orders_for(customer_id, limit=100_000)],
        "bookings": [asdict(b) for b in store.bookings_for(customer_id)],
        "purposes": PURPOSES,
    })  # fmt: skip
    return document


def _plain(value: Any) -> Any:
    """JSON-ready: datetimes and dates as ISO 8601, decimals as strings, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
