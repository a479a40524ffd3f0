"""Explicit requests that must never be missed, in either language: a person, the shopper's data,
paying, and where an order is.

The intent head reads meaning; these patterns catch the fixed phrases a shop hears every day
("sambungkan ke CS", "what do you know about me", "hapus data saya", "lanjut bayar", "no resi")
whatever the model's confidence. Hand-written because a missed "talk to a person" or "forget me"
is a broken promise to the shopper, and a short pattern list is easy to test and to extend.
"""

from __future__ import annotations

import re

_PEOPLE_EN = (
    r"(?:a\s+|an\s+|the\s+|some\s+)?(?:human|real\s+person|person|someone|somebody|agent|live\s+agent|"
    r"staff|representative|rep|manager|customer\s+service|customer\s+support|support\s+team|cs|operator|"
    r"admin|supervisor)"
)
_PEOPLE_ID = (
    r"(?:cs|admin|mimin|customer\s+service|orang(?:\s+beneran|\s+asli)?|manusia|petugas|staf|staff|"
    r"operator|agen|karyawan|pegawai|pihak\s+toko|penjual|seller|supervisor|atasan)"
)
RULES: dict[str, re.Pattern[str]] = {
    "human_request": re.compile(
        rf"\b(?:talk|speak|chat|connect\s+me|put\s+me\s+through|transfer\s+me)\s+(?:to|with)\s+{_PEOPLE_EN}\b"
        rf"|\b(?:get|need|want|give)\s+(?:me\s+)?{_PEOPLE_EN}\b(?!\s+(?:gift|present))"
        r"|\b(?:human|real\s+person|live\s+agent)\s*(?:please|pls|now)\b"
        rf"|\b(?:bicara|berbicara|ngomong|ngobrol|chat|hubungkan|sambungkan|sambungin|hubungin|oper|"
        rf"panggil(?:kan|in)?|minta|mau|pengen|bisa)\s+(?:\w+\s+)?(?:dengan|sama|ke|dgn|sm)\s+{_PEOPLE_ID}\b"
        r"|\b(?:panggil(?:kan|in)?|minta)\s+(?:cs|admin|mimin|orang|manusia|petugas)\b",
        re.IGNORECASE,
    ),
    "memory_view": re.compile(
        r"\bwhat\s+(?:do|did|does)\s+(?:you|hangat)\s+(?:know|remember|have|keep|store)\s+(?:about|on)\s+me\b"
        r"|\bwhat\s+(?:data|info(?:rmation)?)\s+(?:do\s+you\s+)?(?:have|hold|keep|store)\s+(?:about|on)\s+me\b"
        r"|\bapa\s+(?:saja|aja|yang|yg)\s+(?:yang\s+|yg\s+)?(?:kamu|anda|km|lo|lu)\s+"
        r"(?:tahu|tau|ingat|inget|simpan)\s+(?:tentang|soal|ttg|dari)\s+(?:saya|aku|gue|gw|sy)\b"
        r"|\bdata\s+(?:saya|aku|gue|gw|sy)\s+(?:apa\s+(?:saja|aja)|yang\s+(?:disimpan|kamu\s+simpan))",
        re.IGNORECASE,
    ),
    "memory_forget": re.compile(
        r"\b(?:forget|delete|erase|remove|wipe)\s+(?:everything|all\s+(?:my|about\s+me)|my\s+(?:data|info"
        r"|information|details|profile|history|address|number)|what\s+i\s+(?:said|told))"
        r"|\b(?:hapus|lupakan|lupain|hapusin|hilangkan)\s+(?:semua\s+)?(?:data|info(?:rmasi)?|alamat|riwayat|"
        r"nomor|yang\s+(?:saya|aku|gue)\s+(?:bilang|ceritakan|sebut))",
        re.IGNORECASE,
    ),
    "checkout": re.compile(
        r"\b(?:check\s*out|proceed\s+to\s+(?:payment|checkout)|pay\s+now|place\s+(?:the|my)\s+order|"
        r"bayar\s+sekarang|lanjut(?:kan)?\s+(?:ke\s+)?(?:pembayaran|bayar|checkout)|mau\s+bayar)\b",
        re.IGNORECASE,
    ),
    "order_status": re.compile(
        r"\bwhere(?:'s|\s+is)\s+my\s+(?:order|package|parcel|delivery)\b"
        r"|\btrack(?:ing)?\s+(?:my\s+)?(?:order|package|parcel)\b"
        r"|\b(?:no(?:mor|mer)?\.?\s+)?resi\b"
        r"|\b(?:pesanan|paket|orderan|kiriman)\s*(?:saya|aku|gue|gw|ku|sy)?\s*(?:di\s*mana|sampai\s+mana|"
        r"sampe\s+mana|kapan\s+(?:sampai|sampe|nyampe|datang|dateng|tiba))\b",
        re.IGNORECASE,
    ),
}
# "Do you have X?" in either language: whether the store sells something is a search, not a
# question about a product already shown ("yang ini ada warna merah nggak?" has a reference).
_NOT = r"(?:ga|gak|nggak|ngga|enggak|engga|gk|nda|ndak|tidak|ngak|kah)"
AVAILABILITY = re.compile(
    rf"\b(?:ada|jual|nyediain|sedia|punya)\b.*\b{_NOT}\b\s*(?:sih|ya|kak|min|gan|sis)?\s*[?.!]*\s*$"
    rf"|\b(?:ada|jual)\s+{_NOT}\b"
    rf"|^\s*(?:ada|jual)\s+(?!apa\b|yang\b|yg\b)\w+(?:\s+\w+)?\s+{_NOT}\b"
    r"|^\s*(?:(?:kak|kakak|min|gan|sis)\W+)?ada\s+(?!apa\b|yang\b|yg\b|ga\b|gak\b|nggak\b|ngga\b|kah\b)\w+[^?]*\?\s*$"
    r"|^\s*(?:apakah|apa)\s+(?:\w+\s+)?(?:ada|tersedia|menjual|jual|punya|menyediakan)\b"
    r"|\b(?:do|does)\s+(?:you|the\s+store|your\s+(?:store|shop))\s+(?:have|sell|carry|stock|offer)\b"
    r"|\b(?:have\s+you\s+got|is\s+there\s+(?:a|an|any)|are\s+there\s+any|got\s+any)\b",
    re.IGNORECASE,
)
# A message that opens by saying the shopper is looking for or wants to buy something.
_ADDRESS = r"(?:(?:kak|kakak|min|gan|sis|halo|hai|hi|hello|permisi)\W+)?"
SEARCH_CUE = re.compile(
    rf"^\s*{_ADDRESS}(?:(?:aku|saya|gw|gue|sy|ak|i|i'm|im|we|we're)\s+)?"
    r"(?:(?:lagi|sedang|lg|mau|ingin|pengen|pingin|pgn|am|are|'m)\s+)?"
    r"(?:cari|nyari|mencari|carikan|beli|membeli|butuh|membutuhkan|perlu|need|want\s+to\s+buy|"
    r"looking\s+for|searching\s+for|shopping\s+for)\b"
    rf"|^\s*{_ADDRESS}ada\s+(?!apa|yang|yg|ga|gak|nggak|ngga|enggak|kah)\w+[^?]*\?\s*$",
    re.IGNORECASE,
)
# What a "do you have X?" question is often misread as, when it names no product already shown.
READ_AS_SEARCH = frozenset({"product_question", "cart_add", "out_of_scope", "smalltalk"})
# A message that opens with a greeting and goes on to ask something is both ("Halo kak, ada…").
OPENING_GREETING = re.compile(
    r"^\s*(?:hi+|hello|hey|halo+|hallo|hai|helo|selamat\s+(?:pagi|siang|sore|malam)|"
    r"good\s+(?:morning|afternoon|evening)|pagi|siang|sore|malam|assalamu\w*|permisi|excuse\s+me)\b"
    r"(?:\s+(?:kak|kakak|min|gan|sis|bro|bu|pak|there|team|all|guys|gaes|admin|mbak|mas))?\s*[,!.]*\s+(?=\S)",
    re.IGNORECASE,
)
# Intents that an explicit request above displaces when it is the model's only, weak guess.
_WEAK = frozenset({"out_of_scope", "smalltalk", "greeting"})


def explicit_intents(text: str) -> list[str]:
    return [name for name, pattern in RULES.items() if pattern.search(text)]


def asks_availability(text: str) -> bool:
    """Whether the message asks if the store has or sells something ("X ada ga?", "do you sell X")."""
    return AVAILABILITY.search(text) is not None


def opens_with_search(text: str) -> bool:
    """Whether the message opens by looking for something ("lagi nyari X", "I need X", "ada X?")."""
    return SEARCH_CUE.search(text) is not None


def opens_with_greeting(text: str) -> bool:
    """A greeting followed by at least a few more words (a request, not just "halo kak")."""
    return OPENING_GREETING.match(text) is not None and len(text.split()) > 3


def merge(model: list[tuple[str, float]], explicit: list[str], limit: int = 2) -> list[tuple[str, float]]:
    """The model's ranked (intent, confidence) pairs with the explicit requests put first; a weak
    out-of-scope or small-talk guess gives way to them."""
    if not explicit:
        return model
    kept = [(n, p) for n, p in model if n not in explicit and not (n in _WEAK and p < 0.6)]
    found = [(n, max(0.9, dict(model).get(n, 0.0))) for n in explicit]
    return (found + kept)[: max(limit, len(found))]
