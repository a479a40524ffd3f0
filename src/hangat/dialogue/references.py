"""Which earlier products a message points at: "the second one", "the first two", "yang pertama dan
ketiga", "both", "yang merah", "the last one", "yang tadi".

Hand-written: the phrases are few and fixed, and they need the list of products shown last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hangat.domain.catalog import Product

_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "pertama": 1,
    "kedua": 2,
    "ketiga": 3,
    "keempat": 4,
    "kelima": 5,
    "keenam": 6,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_FIRST_N = re.compile(
    r"\b(?:first|top|(?P<id>\d|dua|tiga|empat)\s+(?:yang\s+)?(?:pertama|teratas|awal))\s*(?P<n>\d|two|three|four)?\b"
)
_NUMBERED = re.compile(
    r"(?:\b(?:no|nomor|number|#|yang|yg|item|produk|the)\s*\.?\s*)(\d{1,2})\b|#(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th)\b"
)
_PAIR = re.compile(r"\b(\d)\s*(?:and|dan|vs\.?|&|,|or|atau|sama|with|dengan)\s*(\d)\b")
_BOTH = re.compile(r"\b(both|keduanya|dua-duanya|duanya|semuanya|all of them|all three|ketiganya)\b")
_LAST = re.compile(r"\b(the last( one)?|yang terakhir|yg terakhir|terakhir)\b")
_COLOURS = {
    "merah": ("merah", "red"),
    "red": ("merah", "red"),
    "biru": ("biru", "blue"),
    "blue": ("biru", "blue"),
    "hitam": ("hitam", "black"),
    "black": ("hitam", "black"),
    "putih": ("putih", "white"),
    "white": ("putih", "white"),
    "hijau": ("hijau", "green"),
    "green": ("hijau", "green"),
    "pink": ("pink", "merah muda"),
    "kuning": ("kuning", "yellow"),
    "yellow": ("kuning", "yellow"),
    "abu": ("abu", "grey", "gray"),
    "grey": ("abu", "grey", "gray"),
    "coklat": ("coklat", "cokelat", "brown"),
    "brown": ("coklat", "cokelat", "brown"),
}


def positions(text: str, shown: int) -> list[int]:
    """1-based positions in the last list the message names, in the order named ([] if none)."""
    low = text.lower()
    if shown == 0:
        return []
    if _BOTH.search(low):
        return list(range(1, min(shown, 3 if "three" in low or "tiga" in low else 2) + 1))
    first_n = _FIRST_N.search(low)
    if first_n and (first_n.group("n") or first_n.group("id")):
        n = _count(first_n.group("n") or first_n.group("id"))
        return list(range(1, min(n, shown) + 1))
    found: list[int] = []
    for match in re.finditer(r"\b(" + "|".join(_ORDINAL_WORDS) + r")\b", low):
        found.append(_ORDINAL_WORDS[match.group(1)])
    for match in _PAIR.finditer(low):
        found.extend(int(g) for g in match.groups())
    for match in _NUMBERED.finditer(low):
        found.append(int(next(g for g in match.groups() if g)))
    if _LAST.search(low):
        found.append(shown)
    out = [p for p in dict.fromkeys(found) if 1 <= p <= shown]
    return out


def colour_matches(text: str, products: Sequence[Product]) -> list[int]:
    """Positions of shown products whose title or attributes carry a colour the message names."""
    low = text.lower()
    wanted = [names for word, names in _COLOURS.items() if re.search(rf"\b{word}\b", low)]
    out = []
    for i, p in enumerate(products, start=1):
        hay = f"{p.title} {p.attributes}".lower()
        if any(any(re.search(rf"\b{n}\b", hay) for n in names) for names in wanted):
            out.append(i)
    return out


def resolve(text: str, products: Sequence[Product]) -> list[Product]:
    """The shown products the message refers to, in the order named."""
    picked = positions(text, len(products)) or colour_matches(text, products)
    return [products[i - 1] for i in picked]


_CARDINALS = {"two": 2, "three": 3, "four": 4, "dua": 2, "tiga": 3, "empat": 4}


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _CARDINALS.get(word, 2)


# "it", "this one", "yang ini", "warnanya": the message points at one product already in view.
POINTS_AT_ONE = re.compile(
    r"\b(it|this|that|these|this one|that one|ini|itu|yang ini|yg ini|nya|tsb|tersebut|the same)\b|\w+nya\b",
    re.IGNORECASE,
)


def short(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
