"""From one message (and the conversation so far) to an ``Understanding``.

language (word lists) → features (sentence embedding + hashed n-grams) → intents, emotion and
stakes (trained linear heads) → slots (rules for money, dates, quantities, sizes, people,
occasions and references; the CRF tagger for the product and its attributes) → stakes rules.
Everything is local and runs in a few milliseconds beside the embedding.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
from scipy import sparse

from hangat.errors import ConfigError
from hangat.understand.features import LinearHead, Neighbours, lexical_features
from hangat.understand.intent_rules import (
    READ_AS_SEARCH,
    asks_availability,
    explicit_intents,
    merge,
    opens_with_greeting,
    opens_with_search,
)
from hangat.understand.language import detect_language
from hangat.understand.slots import extract
from hangat.understand.spans import SpanTagger
from hangat.understand.stakes import rule_stakes
from hangat.understand.understanding import Context, Emotion, Scored, SlotValue, Understanding

EmbedQuery = Callable[[str], np.ndarray]
MAX_CHARS = 2000
LOW_CONFIDENCE = 0.45
MAX_INTENTS = 2
SECOND_INTENT = 0.8
# The share of the nearest training messages' intents in the intent scores (with an embedding):
# leave-one-author-out accuracy 0.767 → 0.778 at 0.2 (10 neighbours).
NEIGHBOUR_SHARE = 0.2  # leave-one-author-out over the training sets: 0.3 → 0.713, 0.8 → 0.753
# Below this confidence, a message that opens by looking for something ("cari …", "I need …") is a
# search whatever the heads guessed.
SEARCH_CUE_BELOW = 0.6
# Intents that already find products; the search rules leave them alone (a weak bulk order or
# bargain reading of "do you sell paper plates?" gives way).
_FINDING = frozenset({"search", "recommend", "plan_occasion", "compare"})
_CHAT_ONLY = frozenset({"greeting", "smalltalk", "out_of_scope"})
# Intents where a bare amount ("kado 300rb") is what the shopper means to spend.
_BUDGET_INTENTS = frozenset(
    {"search", "recommend", "plan_occasion", "bulk_order", "negotiate", "compare", "reorder"}
)
# Intents whose message can name a product; elsewhere a tagged "product" is noise.
_PRODUCT_INTENTS = frozenset(
    "search product_question compare reviews recommend plan_occasion reorder cart_add cart_remove "
    "return_refund complaint book_service bulk_order negotiate".split()
)


class Understander:
    """Loads the trained heads from ``models`` (the package's own by default)."""

    def __init__(self, models: Path | None = None, embed: EmbedQuery | None = None,
                 high_value: dict[str, float] | None = None) -> None:  # fmt: skip
        from hangat.understand.training import models_dir

        heads = _load(models or models_dir())
        (self.intent_head, self.emotion_head, self.emotion_id_head, self.stakes_head, self.tagger,
         self.embedder_name, self.neighbours) = heads  # fmt: skip
        self.embed = embed
        self.high_value = high_value

    def emotion_head_for(self, language: str) -> LinearHead:
        """Indonesian (and mixed) messages are read by the head trained on Indonesian text."""
        return self.emotion_id_head if language in ("id", "mixed") else self.emotion_head

    @property
    def trained_with(self) -> tuple[str, int]:
        """The sentence embedder (name, dimension) the heads were trained on."""
        return self.embedder_name, int(self.intent_head.w_dense.shape[1])

    def understand(
        self,
        text: str,
        now: date,
        context: Context | None = None,
        vector: np.ndarray | None = None,
        default_language: str = "en",
    ) -> Understanding:
        """``context``: the conversation so far; ``vector``: the message's query embedding when the
        caller already has it."""
        context = context or Context()
        text = text[:MAX_CHARS]
        previous = context.language if context.language in ("en", "id") else default_language
        language = detect_language(text, default=previous)
        dense = vector if vector is not None else (self.embed(text) if self.embed else None)
        dense_rows = None if dense is None else np.asarray(dense, dtype=np.float32).reshape(1, -1)
        lexical = lexical_features([text])

        probs = self.intent_head.scores(dense_rows, lexical)[0]
        if dense_rows is not None:
            probs = (1 - NEIGHBOUR_SHARE) * probs + NEIGHBOUR_SHARE * self.neighbours.scores(dense_rows)[0]
        intents = _with_rules(text, _choose(self.intent_head.labels, probs, MAX_INTENTS))
        ruled = extract(text, now)
        top = intents[0] if intents else None
        if (
            top
            and "reference" not in ruled.values
            and top.name not in _FINDING
            and (
                (top.name in READ_AS_SEARCH and asks_availability(text))
                or (
                    top.confidence < SEARCH_CUE_BELOW and (opens_with_search(text) or asks_availability(text))
                )
            )
        ):
            # "sepatu safety ada ga?", "lagi nyari games buat Nintendo Switch" (read as a reorder at
            # 0.06): whether the store has something, and looking for something, are searches
            rest = tuple(i for i in intents[1:] if i.name != "search")
            intents = (Scored("search", intents[0].confidence), *rest)
        names = tuple(i.name for i in intents)
        slots: dict[str, SlotValue] = {}
        if not set(names) <= _CHAT_ONLY:  # chit-chat and out-of-scope messages carry no shopping details
            slots = {k: v for k, v in ruled.values.items()}  # type: ignore[misc]
        if ruled.bare_price and not set(names) & _BUDGET_INTENTS:
            slots.pop("budget_max", None)  # "the $1,500 laptop I bought…": a price, not a budget
            slots.pop("currency", None)
        sources = dict.fromkeys(slots, "rule")
        if set(names) & _PRODUCT_INTENTS:
            product, attributes = self.tagger.find(text, ruled.spans)
            if product:
                slots["product"] = product
                sources["product"] = "tagger"
            if attributes:
                slots["attributes"] = tuple(attributes)
                sources["attributes"] = "tagger"

        emotion = _emotion(self.emotion_head_for(language), dense_rows, lexical, context.emotions)
        stake_probs = self.stakes_head.scores(dense_rows, lexical)[0]
        stakes = {
            label: float(p)
            for label, p, t in zip(
                self.stakes_head.labels, stake_probs, self.stakes_head.thresholds, strict=True
            )
            if p >= t
        }
        for label in rule_stakes(text, slots, names, self.high_value):
            stakes[label] = max(stakes.get(label, 0.0), 0.9)
        low = not intents or intents[0].confidence < LOW_CONFIDENCE
        return Understanding(
            text=text,
            language=language,
            intents=intents,
            slots=slots,
            emotion=emotion,
            stakes=tuple(Scored(k, round(v, 3)) for k, v in sorted(stakes.items(), key=lambda kv: -kv[1])),
            low_confidence=low,
            slot_sources=sources,
        )


@functools.lru_cache(maxsize=4)
def _load(folder: Path) -> tuple[LinearHead, LinearHead, LinearHead, LinearHead, SpanTagger, str, Neighbours]:
    """The model files of ``folder``, read once per process (they are read-only once loaded)."""
    missing = [n for n in _FILES if not (folder / n).is_file()]
    if missing:
        raise ConfigError(f"understanding models missing in {folder}: {', '.join(missing)}; "
                          "run `hangat train understand`")  # fmt: skip
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return (LinearHead.load(folder / "intents.npz"), LinearHead.load(folder / "emotion.npz"),
                LinearHead.load(folder / "emotion_id.npz"), LinearHead.load(folder / "stakes.npz"),
                SpanTagger(folder / "tagger.crfsuite"), str(manifest["embedder"]),
                Neighbours.load(folder / "intent_neighbours.npz"))  # fmt: skip
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"understanding models in {folder} cannot be read: {exc}") from exc


_FILES = (
    "intents.npz",
    "intent_neighbours.npz",
    "emotion.npz",
    "emotion_id.npz",
    "stakes.npz",
    "tagger.crfsuite",
    "manifest.json",
)


def _choose(labels: tuple[str, ...], probs: np.ndarray, limit: int) -> tuple[Scored, ...]:
    """The most likely intent, and the next ones while they are likely enough (``SECOND_INTENT``)."""
    order = [int(j) for j in np.argsort(-probs)[:limit]]
    chosen = [order[0]] + [j for j in order[1:] if probs[j] >= SECOND_INTENT]
    return tuple(Scored(labels[j], round(float(probs[j]), 3)) for j in chosen)


def _with_rules(text: str, model: tuple[Scored, ...]) -> tuple[Scored, ...]:
    merged = merge([(s.name, s.confidence) for s in model], explicit_intents(text), MAX_INTENTS)
    if opens_with_greeting(text) and all(n != "greeting" for n, _ in merged):
        merged = [*merged[:1], ("greeting", 0.9)]
    return tuple(Scored(n, round(float(p), 3)) for n, p in merged)


def _emotion(head: LinearHead, dense: np.ndarray | None, lexical: sparse.csr_matrix,
             history: Sequence[tuple[str, float]]) -> Emotion:  # fmt: skip
    probs = head.scores(dense, lexical)[0]
    labels = head.labels
    best, best_margin = "neutral", 0.0
    for j, label in enumerate(labels):
        if label == "neutral":
            continue
        margin = float(probs[j] - head.thresholds[j])
        if margin >= 0 and (best == "neutral" or margin > best_margin):
            best, best_margin = label, margin
    intensity = 0.0 if best == "neutral" else round(float(probs[labels.index(best)]), 3)
    trajectory = (*(state for state, _ in history[-9:]), best)
    trend = "steady"
    if history:
        before = history[-1][1]
        if intensity - before >= 0.15:
            trend = "rising"
        elif before - intensity >= 0.15:
            trend = "falling"
    return Emotion(best, intensity, trajectory, trend)
