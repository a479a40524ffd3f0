"""Masking personal data in text: e-mail addresses, phone numbers, NIK, NPWP and payment cards.

What a shopper types can hold their e-mail, phone, national identity number (NIK), tax number
(NPWP) or a card number. Before text goes into a log line or to an external language model, each
is replaced by its kind in brackets ("[email]", "[phone]", "[nik]", "[npwp]", "[card]").

Found with the libraries made for each: phone numbers by ``phonenumbers`` (Google's libphonenumber;
Indonesia is the default region, so "0812-3456-7890" and "+62 812 3456 7890" both count, and
other countries' numbers need their "+"), NIK and NPWP by their structure as ``python-stdnum``
validates it (province code, date of birth, check digit), cards by the Luhn check (``stdnum.luhn``)
on 13–19 digits. Hand-written here is only the e-mail pattern, the order of precedence when two
kinds overlap, and what is never personal data: prices ("Rp1.250.000", "$12.99"), order numbers and
codes glued to letters ("INV-20261120-001", "SKU-12345678"), and dates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import phonenumbers
from stdnum import luhn
from stdnum.id import nik, npwp

KINDS = ("email", "phone", "card", "nik", "npwp")
REGION = "ID"
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# a run of digits with the separators people use inside numbers
_NUMBER = re.compile(r"(?<![\w@/-])\+?\d(?:[ .\-]?\(?\d\)?){5,}(?![\w])")
_NPWP_SHAPE = re.compile(r"^\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}$")
_MONEY_BEFORE = re.compile(r"(?:rp\.?|idr|usd|\$|₹|inr|rs\.?)\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"^\s*(?:ribu|rb|k|jt|juta|rupiah|dollars?)\b", re.IGNORECASE)
_PRECEDENCE = {"email": 0, "npwp": 1, "nik": 2, "card": 3, "phone": 4}


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Redacted:
    """``text`` with every personal datum masked, and what was found (positions in the original)."""

    text: str
    found: tuple[Found, ...] = ()

    def counts(self) -> Counter[str]:
        return Counter(f.kind for f in self.found)


def redact(text: str) -> Redacted:
    """``text`` with e-mails, phones, NIK, NPWP and card numbers replaced by ``[kind]``."""
    found = find(text)
    if not found:
        return Redacted(text)
    out, last = [], 0
    for f in found:
        out.append(text[last : f.start])
        out.append(f"[{f.kind}]")
        last = f.end
    out.append(text[last:])
    return Redacted("".join(out), tuple(found))


def find(text: str) -> list[Found]:
    """Every personal datum of ``text``, in order, none overlapping (the stronger kind wins)."""
    candidates = [Found("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for m in _NUMBER.finditer(text):
        for start, end in _runs(m.group(), m.start()):
            kind = _number_kind(text[start:end])
            if kind and not _money(text, start, end):
                candidates.append(Found(kind, start, end))
    for match in phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        start, end = match.start, match.end
        if not _money(text, start, end) and not _glued(text, start, end) and _phone_like(match.raw_string):
            candidates.append(Found("phone", start, end))
    chosen: list[Found] = []
    for f in sorted(candidates, key=lambda c: (_PRECEDENCE[c.kind], c.start)):
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda c: c.start)


def _runs(raw: str, offset: int) -> list[tuple[int, int]]:
    """The whole run of digits, and every stretch of its space-separated groups: numbers written
    one after another ("0812-7788-9900 3171015808900007") are found one by one."""
    groups = [(m.start() + offset, m.end() + offset) for m in re.finditer(r"\S+", raw)]
    spans = [(offset, offset + len(raw))]
    for i in range(len(groups)):
        for j in range(i, min(len(groups), i + 5)):
            if (i, j) != (0, len(groups) - 1):
                spans.append((groups[i][0], groups[j][1]))
    return spans


def _number_kind(raw: str) -> str | None:
    """What a run of digits is, when it is one of the identifiers (phones are left to phonenumbers)."""
    digits = re.sub(r"\D", "", raw)
    if _NPWP_SHAPE.match(raw.strip()) or (len(digits) == 15 and npwp.is_valid(digits)):
        return "npwp"
    if len(digits) == 16 and nik.is_valid(digits):
        return "nik"
    if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn.is_valid(digits):
        return "card"
    return None


def _phone_like(raw: str) -> bool:
    """A phone number as people write one: at least 9 digits, not a date or a decimal amount."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 9 or len(digits) > 15:
        return False
    return not re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", raw.strip())


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a code: letters right before it ("JX1234…", "INV-2026…") or right after it."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 1]
    return bool(re.search(r"[A-Za-z]-?$", before) or (after and (after.isalnum() or after == "-")))


def _money(text: str, start: int, end: int) -> bool:
    return bool(
        _MONEY_BEFORE.search(text[max(0, start - 5) : start]) or _MONEY_AFTER.match(text[end : end + 8])
    )
