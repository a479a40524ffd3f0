"""The store's own rules: tone, hours, return policy, bookable services and when a basket is
"high value". Read from a TOML file (the ``store_profile`` setting; the demo store's by default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

from hangat.domain.memory import DEFAULT_LIFETIME_DAYS
from hangat.errors import ConfigError

TONES = ("warm", "formal", "luxury", "casual")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Service:
    """A bookable service: installation, fitting, set-up, consultation."""

    id: str
    names: dict[str, str]  # by language
    minutes: int
    staff: tuple[str, ...]
    words: tuple[str, ...] = ()  # words that name it in a message, both languages

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))


OFFER_STAKES = (
    "safety",
    "bereavement",
    "health",
    "vulnerability",
    "b2b_bulk",
    "negotiation",
    "high_value",
    "financial_hardship",
    "repeated_failure",
)


@dataclass(frozen=True)
class HandoffRules:
    """When a person is offered or brought in, and how the wait is estimated (``[handoff]``)."""

    offer_for: tuple[str, ...] = OFFER_STAKES  # stakes that bring a person into view, first wins
    stake_floor: float = 0.5  # a stake the models are less sure of does not, alone, offer a person
    urgent: tuple[str, ...] = ("safety",)  # brought in at once, without asking
    failures: int = 2  # consecutive replies that could not help before a person is offered
    low_confidence: float = 0.15  # below this intent confidence (on a real request) a person is offered
    minutes_per_conversation: float = 8.0  # a person's average time on one conversation
    callback_minutes: int = 30  # length of a call-back slot outside business hours
    seen_minutes: int = 5  # staff seen in the console this recently count as available


# how long each kind of personal data is kept, in days (``[retention]`` in the profile changes it):
# each memory fact kind, a signed-in customer's conversations and an anonymous one's (counted from
# their last message), and delivered webhooks
RETENTION_DAYS: dict[str, int] = {
    **DEFAULT_LIFETIME_DAYS,
    "conversations": 730,
    "anonymous_conversations": 90,
    "webhooks": 30,
}


@dataclass(frozen=True)
class StoreProfile:
    timezone: str = "Asia/Jakarta"
    tone: str = "warm"
    plain_language: bool = False
    checkout_url: str = "/checkout"
    high_value: dict[str, Decimal] = field(default_factory=lambda: {"IDR": Decimal(5_000_000)})
    bulk_quantity: int = 50
    hours: dict[str, tuple[time, time] | None] = field(default_factory=dict)
    return_days: int = 30
    return_policy: dict[str, str] = field(default_factory=dict)
    services: tuple[Service, ...] = ()
    handoff: HandoffRules = field(default_factory=HandoffRules)
    retention_days: dict[str, int] = field(default_factory=lambda: dict(RETENTION_DAYS))

    def service(self, ident: str) -> Service | None:
        return next((s for s in self.services if s.id == ident), None)


def parse_profile(data: dict[str, Any], source: str = "store profile") -> StoreProfile:
    """A profile from parsed TOML; a bad value is a :class:`ConfigError` naming it."""
    try:
        tone = str(data.get("tone", "warm"))
        if tone not in TONES:
            raise ValueError(f"tone must be one of {TONES}, not {tone!r}")
        returns = data.get("returns", {})
        return StoreProfile(
            timezone=str(data.get("timezone", "Asia/Jakarta")),
            tone=tone,
            plain_language=bool(data.get("plain_language", False)),
            checkout_url=str(data.get("checkout_url", "/checkout")),
            high_value={
                str(k): Decimal(str(v)) for k, v in data.get("high_value", {"IDR": 5_000_000}).items()
            },
            bulk_quantity=int(data.get("bulk_quantity", 50)),
            hours={day: _hours(data.get("hours", {}).get(day, "")) for day in DAYS},
            return_days=int(returns.get("days", 30)),
            return_policy={lang: str(returns[lang]) for lang in ("en", "id") if lang in returns},
            services=tuple(_service(s) for s in data.get("services", [])),
            handoff=_handoff(data.get("handoff", {})),
            retention_days=_retention(data.get("retention", {})),
        )
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
        raise ConfigError(f"{source}: {exc}") from exc


def _retention(raw: dict[str, Any]) -> dict[str, int]:
    days = dict(RETENTION_DAYS)
    for key, value in raw.items():
        if key not in RETENTION_DAYS:
            raise ValueError(f"retention.{key}: unknown; expected one of {', '.join(RETENTION_DAYS)}")
        if not isinstance(value, int) or not 1 <= value <= 3650:
            raise ValueError(f"retention.{key}: expected whole days from 1 to 3650, not {value!r}")
        days[key] = value
    return days


def _hours(text: str) -> tuple[time, time] | None:
    if not text:
        return None
    start, end = (time.fromisoformat(part.strip()) for part in str(text).split("-"))
    if end <= start:
        raise ValueError(f"hours {text!r}: closing must be after opening")
    return start, end


def _service(raw: dict[str, Any]) -> Service:
    names = {lang: str(raw[f"name_{lang}"]) for lang in ("en", "id") if f"name_{lang}" in raw}
    if not names:
        raise ValueError(f"service {raw.get('id')!r} needs name_en and name_id")
    minutes = int(raw["minutes"])
    if not 5 <= minutes <= 600:
        raise ValueError(f"service {raw['id']!r}: minutes must be 5 to 600")
    words = tuple(str(w).lower() for w in raw.get("words", []))
    return Service(str(raw["id"]), names, minutes, tuple(str(s) for s in raw["staff"]), words)


def _handoff(raw: dict[str, Any]) -> HandoffRules:
    known = set(OFFER_STAKES)
    offer_for = tuple(str(x) for x in raw.get("offer_for", OFFER_STAKES))
    urgent = tuple(str(x) for x in raw.get("urgent", ("safety",)))
    unknown = sorted((set(offer_for) | set(urgent)) - known)
    if unknown:
        raise ValueError(f"handoff: unknown stakes {unknown}; known: {sorted(known)}")
    rules = HandoffRules(
        offer_for=offer_for,
        stake_floor=float(raw.get("stake_floor", 0.5)),
        urgent=urgent,
        failures=int(raw.get("failures", 2)),
        low_confidence=float(raw.get("low_confidence", 0.15)),
        minutes_per_conversation=float(raw.get("minutes_per_conversation", 8.0)),
        callback_minutes=int(raw.get("callback_minutes", 30)),
        seen_minutes=int(raw.get("seen_minutes", 5)),
    )
    if not 0 <= rules.stake_floor <= 1 or not 0 <= rules.low_confidence <= 1:
        raise ValueError("handoff: stake_floor and low_confidence must be between 0 and 1")
    if rules.failures < 1 or rules.minutes_per_conversation <= 0 or not 5 <= rules.callback_minutes <= 240:
        raise ValueError("handoff: failures >= 1, minutes_per_conversation > 0, callback_minutes 5-240")
    return rules
