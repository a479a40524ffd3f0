"""Stakes that follow from what was already understood, or from words that must never be missed.

The trained stakes head reads the message as a whole; these rules add what is better decided
exactly: a budget above the store's high-value line, bulk quantities, haggling, "this is the third
time", and the few words where a miss costs a person's safety ("tertelan", "overdose", "bunuh
diri"). Hand-written because they are thresholds and short word lists, each pinned by a test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Above these a purchase is high-value (about Rp 10 million); the store can set its own line.
HIGH_VALUE = {"IDR": 10_000_000, "USD": 700, "INR": 55_000}
BULK_QUANTITY = 50

_REPEATED = re.compile(
    r"\b(?:(?:second|third|fourth|fifth|2nd|3rd|4th|5th|nth)\s+time|(?:again\s+and\s+again)|"
    r"(?:for\s+the\s+)?(?:\d+|two|three|four|five|several|many)\s+times|"
    r"(?:kedua|ketiga|keempat|kelima)\s+kali(?:nya)?|ke-?\d+\s+kali(?:nya)?|berkali-kali|berkali2|"
    r"(?:udah|sudah|udh|dah)\s+(?:\d+|dua|tiga|empat|lima|beberapa|berapa)\s+kali|"
    r"(?:still|masih)\s+(?:not|nothing|no|belum|gak|ga|nggak|tidak)\b.*\b(?:again|lagi))",
    re.IGNORECASE,
)
_SAFETY = re.compile(
    r"\b(?:swallow(?:ed)?|ketelan|tertelan|nelen|overdos\w*|poison(?:ed|ing)?|keracunan|"
    r"bunuh\s+diri|suicid\w*|kill\s+myself|end\s+my\s+life|self[- ]harm|gas\s+leak|bocor\s+gas|"
    r"gasnya\s+bocor|kesetrum|electrocut\w*|(?:caught|catch(?:ing)?)\s+fire|kebakaran|terbakar|"
    r"can'?t\s+breathe|susah\s+napas|sesak\s+napas|tidak\s+bisa\s+bernapas|choking|tersedak|"
    r"keselek|meledak|explod\w*)\b",
    re.IGNORECASE,
)
_BEREAVEMENT = re.compile(
    r"\b(?:passed\s+away|died|funeral|condolence\w*|meninggal(?:\s+dunia)?|wafat|almarhum\w*|"
    r"almh\.?|alm\.|pemakaman|melayat|takziah|tahlilan|berduka|duka\s+cita|lost\s+my\s+"
    r"(?:mother|father|mom|dad|wife|husband|son|daughter|baby|grandma|grandpa))\b",
    re.IGNORECASE,
)


def rule_stakes(
    text: str,
    slots: Mapping[str, object],
    intents: tuple[str, ...],
    high_value: Mapping[str, float] | None = None,
) -> set[str]:
    found: set[str] = set()
    lines = high_value or HIGH_VALUE
    currency = str(slots.get("currency") or "")
    for key in ("budget_max", "budget_min"):
        amount = slots.get(key)
        if isinstance(amount, int | float) and currency in lines and amount >= lines[currency]:
            found.add("high_value")
    quantity = slots.get("quantity")
    if "bulk_order" in intents or (isinstance(quantity, int) and quantity >= BULK_QUANTITY):
        found.add("b2b_bulk")
    if "negotiate" in intents:
        found.add("negotiation")
    if _REPEATED.search(text):
        found.add("repeated_failure")
    if _SAFETY.search(text):
        found.add("safety")
    if _BEREAVEMENT.search(text):
        found.add("bereavement")
    return found
