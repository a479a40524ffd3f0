"""The store's own rules: tone, hours, return policy, bookable services and when a basket is
"high value". Read from a TOML file (the ``store_profile`` setting; the demo store's by default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

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
        )
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
        raise ConfigError(f"{source}: {exc}") from exc


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
