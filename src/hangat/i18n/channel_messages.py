"""The text channel's sentences (SMS and WhatsApp-style replies), in English and Indonesian (merged
into ``hangat.i18n.MESSAGES``).

The numbered product lines themselves ("1. Kopi Kapal Api 165g — Rp12.500 ⭐4,8") hold no words: only
the price and the rating, each written the language's way.
"""

from __future__ import annotations

EN: dict[str, str] = {
    "channel.choice": "Reply {n} for “{label}”.",
    "channel.compared": "Compared: {items}",
    "channel.why": "Shown because: {reason}",
    "channel.select_hint": "Reply “add to cart” to buy it, or another number to see that product.",
}
ID: dict[str, str] = {
    "channel.choice": "Balas {n} untuk “{label}”.",
    "channel.compared": "Dibandingkan: {items}",
    "channel.why": "Ditampilkan karena: {reason}",
    "channel.select_hint": (
        "Balas “masukkan ke keranjang” untuk membelinya, atau nomor lain untuk melihat produk itu."
    ),
}

CHANNEL = {"en": EN, "id": ID}
