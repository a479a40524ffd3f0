"""Relationship memory: the facts hangat keeps about a person, and the consents that allow it.

A :class:`Fact` exists only because its purpose had the shopper's consent when it was written
(:func:`allowed`); a :class:`Consent` is the proof of a yes or a no: when, to which wording (its
version and language) and through which channel. Consents are never overwritten: the latest per
purpose decides, the history is the proof.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hangat.errors import InputError

PURPOSES = ("personalisation", "reminders", "sensitive")

# kind → the purpose whose consent it needs. ``health`` is special-category data (GDPR art. 9,
# UU PDP art. 4): never kept without an explicit yes to ``sensitive``.
KIND_PURPOSE = {
    "preference": "personalisation",
    "dislike": "personalisation",
    "size": "personalisation",
    "constraint": "personalisation",
    "recipient": "personalisation",
    "household": "personalisation",
    "accessibility": "personalisation",
    "style": "personalisation",
    "health": "sensitive",
    "note": "personalisation",  # a note a staff member added, which the shopper sees on the card
}
KINDS = tuple(KIND_PURPOSE)
FOUND_KINDS = tuple(k for k in KINDS if k != "note")  # what the shopper's messages can state

# how long a fact is kept unless the store's profile says otherwise (days)
DEFAULT_LIFETIME_DAYS = {
    "preference": 730,
    "dislike": 730,
    "size": 365,
    "constraint": 730,
    "recipient": 730,
    "household": 730,
    "accessibility": 1095,
    "style": 1095,
    "health": 365,
    "note": 730,
}

SHOPPER = "shopper"
MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class Fact:
    """One thing remembered about a customer, with where it came from and when it lapses.

    ``subject`` is "self" or the person it is about as the shopper put it ("ibu", "my son");
    ``author`` is ``"shopper"`` or ``"staff:<id>"`` for a note a staff member added.
    """

    ident: str
    customer_id: str
    kind: str
    subject: str
    value: str
    language: str
    conversation_id: str | None
    seq: int | None
    created_at: datetime
    expires_at: datetime
    author: str = SHOPPER

    @property
    def purpose(self) -> str:
        return KIND_PURPOSE[self.kind]

    def live(self, now: datetime) -> bool:
        return self.expires_at > now


@dataclass(frozen=True)
class Consent:
    """A yes or a no to one purpose, as given: the proof of consent."""

    customer_id: str
    purpose: str
    granted: bool
    at: datetime
    version: str  # the version of the wording the shopper answered (``memory.consent.*`` strings)
    language: str
    channel: str  # "chat", "widget", "api", "sms", "console"


def latest(consents: Iterable[Consent], purpose: str) -> Consent | None:
    """The consent that decides ``purpose`` now: the most recent one given for it."""
    chosen = [c for c in consents if c.purpose == purpose]
    return max(chosen, key=lambda c: c.at) if chosen else None


def allowed(consents: Iterable[Consent], purpose: str) -> bool:
    """True when the latest answer for ``purpose`` is yes."""
    last = latest(consents, purpose)
    return last is not None and last.granted


def lifetime(kind: str, days: dict[str, int] | None = None) -> timedelta:
    """How long a fact of ``kind`` is kept (the store profile's ``[retention]`` can change it)."""
    return timedelta(days=(days or {}).get(kind, DEFAULT_LIFETIME_DAYS[kind]))


def check_fact(fact: Fact) -> None:
    """InputError for a fact no store should hold (unknown kind, empty or huge value)."""
    if fact.kind not in KIND_PURPOSE:
        raise InputError(f"unknown fact kind {fact.kind!r}; expected one of {', '.join(KINDS)}")
    if not fact.value.strip() or len(fact.value) > MAX_VALUE_CHARS:
        raise InputError(f"a fact's value must be 1-{MAX_VALUE_CHARS} characters")


def check_consent(consent: Consent) -> None:
    if consent.purpose not in PURPOSES:
        raise InputError(f"unknown purpose {consent.purpose!r}; expected one of {', '.join(PURPOSES)}")


def live_facts(facts: Sequence[Fact], now: datetime) -> list[Fact]:
    return [f for f in facts if f.live(now)]
