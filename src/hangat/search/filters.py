"""Filters from plain language, in English and Indonesian: price, rating, stock, brand, category.

"sepatu lari di bawah 300 ribu" → price ≤ 300,000 IDR; "antara 100-200k", "1,5 jt", "under $50",
"₹999", "rating 4+", "bintang 4 ke atas", "in stock", "ready stok", "merek Adidas",
"kategori dapur". The phrases that set a filter are taken out of the query text; what remains is
what the products are searched for. Written by hand: no library parses Indonesian money phrases
("1,5 jt", "300rb", "100-200 ribu"), and the rules are few and testable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

_MULT = {
    "ribu": 1_000, "rb": 1_000, "rebu": 1_000, "k": 1_000, "rbu": 1_000, "jt": 1_000_000,
    "juta": 1_000_000, "jeti": 1_000_000, "m": 1_000_000, "million": 1_000_000, "mio": 1_000_000,
    "thousand": 1_000,
}  # fmt: skip
_IDR_WORDS = {"ribu", "rb", "rebu", "rbu", "jt", "juta", "jeti", "rp", "idr", "rupiah"}
_USD_WORDS = {"$", "usd", "dollar", "dollars", "bucks", "us$"}
_INR_WORDS = {"₹", "inr", "rs", "rs.", "rupee", "rupees"}

_AMOUNT = (
    r"(?P<pre>rp\.?|idr|us\$|\$|₹|rs\.?|inr|usd)?\s*"
    r"(?P<num>\d+(?:[.,]\d+)*)\s*"
    r"(?P<mult>ribu|rebu|rbu|rb|k|juta|jt|jeti|million|mio|thousand|m)?\b\s*"
    r"(?P<post>rupiah|idr|rp|dollars?|usd|bucks|rupees?|inr)?"
)
_AMT = re.compile(_AMOUNT, re.IGNORECASE)
_UNDER_WORDS = [
    r"di\s*bawah", "dibawah", r"kurang\s+dari", "maks(?:imal|imum)?", "max(?:imum)?",
    r"paling\s+mahal", "under", "below", r"less\s+than", r"cheaper\s+than", r"up\s+to",
    r"at\s+most", "budget(?:nya)?", "bujet", "<=?", "≤", "sampai", "hingga", "s/d",
]  # fmt: skip
_OVER_WORDS = [
    r"di\s*atas", "diatas", r"lebih\s+dari", "min(?:imal|imum)?", "over", "above",
    r"more\s+than", r"at\s+least", "from", r"mulai(?:\s+dari)?", ">=?", "≥",
]  # fmt: skip
_UNDER = "(?:" + "|".join(_UNDER_WORDS) + ")"
_OVER = "(?:" + "|".join(_OVER_WORDS) + ")"
_A = _AMOUNT.replace("?P<", "?P<a_")
_B = _AMOUNT.replace("?P<", "?P<b_")
_RANGE = re.compile(
    rf"(?:antara|between|dari|from)?\s*(?P<a>{_A})\s*(?:-|–|to|sampai|hingga|s/d|and|dan)\s*(?P<b>{_B})",
    re.IGNORECASE,
)
_BOUND = re.compile(rf"(?P<dir>{_UNDER}|{_OVER})\s*(?P<amt>{_AMOUNT.replace('?P<', '?P<x_')})", re.IGNORECASE)
_RATING = re.compile(
    r"(?:rating|rated|bintang|stars?|minimal\s+bintang|min(?:imal)?\s+rating)\s*(?P<a>[1-5](?:[.,]\d)?)\s*(?:\+|ke\s+atas|and\s+up|or\s+(?:more|better|higher)|keatas)?"
    r"|(?P<b>[1-5](?:[.,]\d)?)\s*(?:\+\s*)?(?:★|⭐|stars?|bintang)\s*(?:\+|ke\s*atas|and\s+up|or\s+(?:more|better|higher))?",
    re.IGNORECASE,
)
_STOCK = re.compile(
    r"\b(?:in\s+stock|available\s+now|ready\s+stock|ready\s+stok|stok\s+(?:ada|tersedia|ready)|ada\s+stok|tersedia|available)\b",
    re.IGNORECASE,
)
_BRAND = re.compile(r"\b(?:merek|merk|brand|by)\s+(?P<brand>[\w&'.-]+(?:\s+[\w&'.-]+)?)", re.IGNORECASE)
_CATEGORY = re.compile(
    r"\b(?:kategori|category|in\s+the\s+category|di\s+kategori)\s+(?P<cat>[\w&' -]+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Filters:
    """Constraints on the products of a search; ``None`` means no constraint."""

    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str | None = None
    min_rating: float | None = None
    in_stock: bool | None = None
    brand: str | None = None
    category: str | None = None

    def merged(self, other: Filters) -> Filters:
        """``other``'s set values win (API parameters over parsed words)."""
        changes = {k: v for k, v in vars(other).items() if v is not None}
        return replace(self, **changes)

    @property
    def empty(self) -> bool:
        return all(v is None for v in vars(self).values())

    def describe(self) -> list[tuple[str, float | bool | str]]:
        """The filters that are set, as (name, value) pairs (for the API's ``filters`` field)."""
        return [
            (k, float(v) if isinstance(v, Decimal) else v) for k, v in vars(self).items() if v is not None
        ]


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what remains to search for
    filters: Filters = field(default_factory=Filters)


def parse_query(query: str, categories: tuple[str, ...] = ()) -> ParsedQuery:
    """Take the filter phrases out of ``query``; ``categories`` are the store's category paths."""
    text = " " + query[:500] + " "
    filters = Filters()
    text, filters = _price(text, filters)
    match = _RATING.search(text)
    if match:
        value = float((match.group("a") or match.group("b")).replace(",", "."))
        filters = replace(filters, min_rating=value)
        text = _cut(text, match)
    match = _STOCK.search(text)
    if match:
        filters = replace(filters, in_stock=True)
        text = _cut(text, match)
    match = _BRAND.search(text)
    if match:
        filters = replace(filters, brand=match.group("brand").strip())
        text = _cut(text, match)
    match = _CATEGORY.search(text)
    if match and categories:
        wanted = match.group("cat").strip().lower()
        found = _category(wanted, categories)
        if found:
            filters = replace(filters, category=found)
            text = _cut(text, match)
    return ParsedQuery(" ".join(text.split()), filters)


def _price(text: str, filters: Filters) -> tuple[str, Filters]:
    match = _RANGE.search(text)
    if match:
        a = _amount(match, "a_")
        b = _amount(match, "b_")
        if (
            a
            and b
            and (a[1] == b[1] or a[1] is None or b[1] is None)
            and (_money(match, "a_") or _money(match, "b_"))
        ):
            currency = a[1] or b[1]
            scale_a = a[0] * (b[2] if a[2] == 1 and b[2] > 1 else 1)  # "100-200k": the k applies to both
            low, high = sorted((scale_a, b[0]))
            return _cut(text, match), replace(filters, price_min=low, price_max=high, currency=currency)
    match = _BOUND.search(text)
    if match:
        amount = _amount(match, "x_")
        if amount:
            under = re.fullmatch(_UNDER, match.group("dir").strip(), re.IGNORECASE) is not None
            if under:
                return _cut(text, match), replace(filters, price_max=amount[0], currency=amount[1])
            return _cut(text, match), replace(filters, price_min=amount[0], currency=amount[1])
    for match in _AMT.finditer(text):
        if _money(match, "") and match.group("num"):
            amount = _amount(match, "")
            if amount:
                return _cut(text, match), replace(filters, price_max=amount[0], currency=amount[1])
    return text, filters


def _money(match: re.Match[str], prefix: str) -> bool:
    """The amount carries a currency sign or word (a bare "10" is a quantity, not a price)."""
    return any(match.group(prefix + g) for g in ("pre", "mult", "post"))


def _amount(match: re.Match[str], prefix: str) -> tuple[Decimal, str | None, int] | None:
    raw = match.group(prefix + "num")
    mult_word = (match.group(prefix + "mult") or "").lower()
    words = {(match.group(prefix + "pre") or "").lower().rstrip("."), mult_word,
             (match.group(prefix + "post") or "").lower()}  # fmt: skip
    currency = (
        "USD" if words & _USD_WORDS else "INR" if words & _INR_WORDS or "rs" in words
        else "IDR" if words & _IDR_WORDS else None
    )  # fmt: skip
    if mult_word == "k" and currency is None:
        currency = None  # "200k" alone: thousands, currency unknown
    multiplier = _MULT.get(mult_word, 1)
    if mult_word == "m" and currency != "USD":
        multiplier = 1_000_000
    number = _number(raw, decimal_comma=currency == "IDR" or multiplier > 1)
    if number is None:
        return None
    return (number * multiplier).quantize(Decimal("0.01")), currency, multiplier


def _number(raw: str, decimal_comma: bool) -> Decimal | None:
    """``1.500.000`` and ``1,500,000`` are thousands; ``1,5`` (with jt/rb) and ``1.5`` decimals."""
    text = raw
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text) and not (
        decimal_comma and re.fullmatch(r"\d+,\d{1,2}", text)
    ):
        text = re.sub(r"[.,]", "", text)
    elif "," in text and "." not in text:
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _category(wanted: str, categories: tuple[str, ...]) -> str | None:
    for path in categories:
        leaf = path.split(" > ")[-1].lower()
        if wanted == leaf or wanted.startswith(leaf) or leaf.startswith(wanted):
            return path
    return None


def _cut(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " + text[match.end() :]
