"""The typed result of understanding one message — the contract the dialogue, the handoff router and
the benchmarks rely on (names fixed by the understanding issue; see ``docs/understand.md``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "id", "mixed")
INTENTS = (
    "greeting", "smalltalk", "search", "product_question", "compare", "reviews", "recommend",
    "plan_occasion", "reorder", "cart_add", "cart_remove", "checkout", "order_status", "return_refund",
    "complaint", "book_service", "human_request", "memory_view", "memory_forget", "bulk_order",
    "negotiate", "out_of_scope",
)  # fmt: skip
SLOTS = (
    "product", "attributes", "budget_min", "budget_max", "currency", "quantity", "recipient", "occasion",
    "date", "size", "reference",
)  # fmt: skip
EMOTIONS = ("frustration", "anxiety", "sadness", "confusion", "joy", "gratitude", "neutral")
STAKES = (
    "health", "bereavement", "financial_hardship", "vulnerability", "b2b_bulk", "high_value", "negotiation",
    "safety", "repeated_failure",
)  # fmt: skip
SlotValue = str | int | float | tuple[str, ...]


@dataclass(frozen=True)
class Scored:
    """A label with the confidence (0–1) that it applies."""

    name: str
    confidence: float


@dataclass(frozen=True)
class Emotion:
    """The dominant state, how strongly it shows (0–1), and the states of the conversation so far,
    oldest first, ending with this message's (``trend``: ``rising``, ``falling`` or ``steady``
    intensity of a non-neutral state)."""

    state: str
    intensity: float
    trajectory: tuple[str, ...] = ()
    trend: str = "steady"


@dataclass(frozen=True)
class Understanding:
    text: str
    language: str
    intents: tuple[Scored, ...]
    slots: dict[str, SlotValue]
    emotion: Emotion
    stakes: tuple[Scored, ...] = ()
    low_confidence: bool = False
    slot_sources: dict[str, str] = field(default_factory=dict)  # slot → "rule" | "tagger"

    @property
    def intent_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.intents)

    @property
    def stake_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stakes)

    def stake_confidence(self, name: str) -> float:
        """How sure the models are of the stake ``name`` (0 when it was not found)."""
        return max((s.confidence for s in self.stakes if s.name == name), default=0.0)

    @property
    def top_intent(self) -> str:
        return self.intents[0].name if self.intents else "out_of_scope"

    def record(self) -> dict[str, Any]:
        """A JSON-ready summary for the conversation's event log."""
        return {
            "language": self.language,
            "intents": [[i.name, i.confidence] for i in self.intents],
            "slots": {k: list(v) if isinstance(v, tuple) else v for k, v in self.slots.items()},
            "emotion": {
                "state": self.emotion.state,
                "intensity": self.emotion.intensity,
                "trend": self.emotion.trend,
            },
            "stakes": [[s.name, s.confidence] for s in self.stakes],
            "low_confidence": self.low_confidence,
        }


@dataclass(frozen=True)
class Context:
    """What understanding needs from the conversation so far: the language it was in, and the
    emotional states of the shopper's earlier messages (state, intensity), oldest first."""

    language: str | None = None
    emotions: tuple[tuple[str, float], ...] = ()

    @classmethod
    def of(cls, history: Sequence[Understanding]) -> Context:
        language = history[-1].language if history else None
        return cls(language, tuple((h.emotion.state, h.emotion.intensity) for h in history))
