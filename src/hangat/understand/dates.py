"""Dates in shoppers' words, resolved against a given "now": "besok", "Sabtu depan", "next Friday",
"minggu depan", "12 Mei", "May 3", "3 hari lagi", "akhir bulan".

Written by hand: the date parsers on PyPI (dateparser, parsedatetime) either misread Indonesian
relative forms ("Sabtu depan", "lusa", "minggu depan" vs "hari Minggu depan") or bring large rule
sets for languages we do not need. The rules follow ``docs/understand.md`` and are few and tested.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEKDAYS = {
    "monday": 0, "mon": 0, "senin": 0, "tuesday": 1, "tue": 1, "tues": 1, "selasa": 1,
    "wednesday": 2, "wed": 2, "rabu": 2, "thursday": 3, "thu": 3, "thurs": 3, "kamis": 3,
    "friday": 4, "fri": 4, "jumat": 4, "jum'at": 4, "jumaat": 4, "saturday": 5, "sat": 5,
    "sabtu": 5, "sunday": 6, "sun": 6, "minggu": 6, "ahad": 6,
}  # fmt: skip
_MONTHS = {
    "january": 1, "jan": 1, "januari": 1, "february": 2, "feb": 2, "februari": 2, "pebruari": 2,
    "march": 3, "mar": 3, "maret": 3, "april": 4, "apr": 4, "may": 5, "mei": 5, "june": 6,
    "jun": 6, "juni": 6, "july": 7, "jul": 7, "juli": 7, "august": 8, "aug": 8, "agustus": 8,
    "agu": 8, "agt": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11, "december": 12,
    "dec": 12, "desember": 12, "des": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10,
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "sepuluh": 10,
    "a": 1, "an": 1, "se": 1,
}  # fmt: skip
_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True)).replace("'", "'?")
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
_N = r"\d{1,2}|" + "|".join(k for k in _NUMBER_WORDS if len(k) > 2)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("after_tomorrow", re.compile(r"\b(?:lusa|day\s+after\s+tomorrow)\b")),
    ("tomorrow", re.compile(r"\b(?:besok|besuk|bsk|tomorrow|tmrw|tmr)\b")),
    (
        "in_days",
        re.compile(
            rf"\b(?:(?:in|dalam|within)\s+(?P<n>{_N})\s+(?:hari|days?)\b(?!\s+(?:ago|yang\s+lalu|lalu))"
            rf"|(?P<m>{_N})\s+(?:hari|days?)\s+(?:lagi|from\s+now)\b)"
        ),
    ),
    ("in_weeks", re.compile(rf"\b(?:in\s+)?(?P<n>{_N})\s+(?:minggu|weeks?)\s+(?:lagi|from\s+now)\b")),
    ("month_end", re.compile(r"\b(?:akhir\s+bulan(?:\s+ini)?|end\s+of\s+(?:the|this)\s+month)\b")),
    (
        "next_weekday",
        re.compile(
            rf"\b(?:next\s+(?P<a>{_WD})|(?:hari\s+)?(?P<b>{_WD})\s+(?:depan|besok)|(?P<c>{_WD})\s+next\s+week)\b"
        ),
    ),
    (
        "this_weekday",
        re.compile(rf"\b(?:this\s+(?:coming\s+)?(?P<a>{_WD})|(?:hari\s+)?(?P<b>{_WD})\s+ini)\b"),
    ),
    ("next_week", re.compile(r"\b(?:next\s+week|minggu\s+depan|pekan\s+depan|mgg\s+depan|minggu\s+dpn)\b")),
    (
        "day_month",
        re.compile(
            rf"\b(?:tanggal\s+|tgl\.?\s*)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MON})\b\.?"
        ),
    ),
    ("month_day", re.compile(rf"\b(?P<m>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b")),
    ("bare_weekday", re.compile(rf"\b(?:hari\s+|on\s+|for\s+|pada\s+)(?P<a>{_WD})\b")),
]


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _weekday_word(match: re.Match[str]) -> str:
    return next(g for g in (match.groupdict().get(k) for k in ("a", "b", "c")) if g).replace("'", "")


def find_date(text: str, now: date) -> FoundDate | None:
    """The first date phrase in ``text`` (lower-cased inside), resolved against ``now``."""
    low = text.lower()
    best: FoundDate | None = None
    for kind, pattern in _PATTERNS:
        match = pattern.search(low)
        if match is None:
            continue
        value = _resolve(kind, match, now)
        if value is None:
            continue
        found = FoundDate(value, match.start(), match.end())
        # the longer, more specific phrase wins; "minggu depan" (next week) loses to "hari minggu depan"
        if best is None or (found.end - found.start) > (best.end - best.start):
            best = found
    return best


def _resolve(kind: str, match: re.Match[str], now: date) -> date | None:
    if kind == "tomorrow":
        return now + timedelta(days=1)
    if kind == "after_tomorrow":
        return now + timedelta(days=2)
    if kind == "in_days":
        return now + timedelta(days=_number(match.group("n") or match.group("m")))
    if kind == "in_weeks":
        return now + timedelta(weeks=_number(match.group("n")))
    if kind == "month_end":
        return now.replace(day=calendar.monthrange(now.year, now.month)[1])
    if kind == "next_week":
        return now + timedelta(days=7 - now.weekday())
    if kind in ("next_weekday", "this_weekday", "bare_weekday"):
        word = _weekday_word(match)
        if word == "minggu" and not match.group(0).startswith("hari"):
            return None  # "minggu depan" is next week, "minggu ini" this week; "hari Minggu" is Sunday
        target = _WEEKDAYS[word]
        ahead = (target - now.weekday()) % 7
        if kind == "next_weekday" and ahead == 0:
            ahead = 7
        return now + timedelta(days=ahead)
    if kind in ("day_month", "month_day"):
        month = _MONTHS[match.group("m")]
        day = int(match.group("d"))
        if not 1 <= day <= calendar.monthrange(now.year, month)[1]:
            return None
        value = date(now.year, month, day)
        if value < now:
            try:
                value = date(now.year + 1, month, day)
            except ValueError:
                return None
        return value
    return None
