"""Shared pieces of the language-model tests: a hand-driven clock, scripted models, a small shop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from hangat.dialogue.breaker import CircuitBreaker
from hangat.dialogue.phrasing import Facts, ProductFact
from hangat.domain.chat import ChatMessage
from hangat.errors import LanguageModelError

DRAFT_EN = (
    "I found 2 running shoes under Rp500.000: Sepatu Lari Ringan at Rp350.000, rated 4,8, "
    "and Sepatu Trail X2 at Rp450.000. Both ship from Jakarta."
)
DRAFT_ID = (
    "Saya menemukan 2 sepatu lari di bawah Rp500.000: Sepatu Lari Ringan seharga Rp350.000, "
    "rating 4,8, dan Sepatu Trail X2 seharga Rp450.000. Keduanya dikirim dari Jakarta."
)
PRODUCT_URL = "https://toko.example/p/sepatu-lari-ringan"


def shop_facts(quotes: tuple[str, ...] = (), shopper: str = "", **kw: object) -> Facts:
    products = (
        ProductFact("Sepatu Lari Ringan", ("Rp350.000", "rating 4,8", "stock 7"), quotes, PRODUCT_URL),
        ProductFact("Sepatu Trail X2", ("Rp450.000", "rating 4,6")),
    )
    return Facts(products=products, shopper_message=shopper, **kw)  # type: ignore[arg-type]


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.t = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


class ScriptedModel:
    """Answers with ``reply`` (text, or a function of the messages); may take time or fail."""

    def __init__(
        self,
        reply: str | Callable[[Sequence[ChatMessage]], str] = "",
        *,
        clock: ManualClock | None = None,
        takes: float = 0.0,
        error: LanguageModelError | None = None,
    ) -> None:
        self.name = "scripted"
        self.reply = reply
        self.clock = clock
        self.takes = takes
        self.error = error
        self.calls: list[list[ChatMessage]] = []

    def complete(self, messages: Sequence[ChatMessage], timeout: float) -> str:
        self.calls.append(list(messages))
        if self.clock is not None:
            self.clock.advance(self.takes)
        if self.error is not None:
            raise self.error
        return self.reply(messages) if callable(self.reply) else self.reply


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def breaker() -> CircuitBreaker:
    return CircuitBreaker(threshold=3, cooldown=timedelta(seconds=30))
