"""A state machine over consent, chat, correction and erasure (hypothesis): whatever the order, a
fact exists only if its purpose had a yes when it was written, nothing of a purpose survives its
withdrawal, and nothing erased ever comes back unless the shopper says it again."""

from __future__ import annotations

import itertools
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hangat.assistant import build_assistant
from hangat.domain.customer import Customer
from hangat.domain.memory import KIND_PURPOSE, PURPOSES
from hangat.memory.extract import facts as extract
from hangat.settings import Settings

SAID = [
    "ukuran sepatu aku 39",
    "ukuran sepatu aku 41",
    "I always buy Indomie",
    "aku suka warna pastel",
    "I hate scented candles",
    "my mother has arthritis, she needs easy-open lids",
    "ayah saya diabetes",
    "kami punya 2 kucing",
    "please keep answers short",
    "cari sepatu lari",
    "what do you know about me?",
    "apa yang kamu ingat tentang saya?",
    "lupakan ukuran saya",
    "forget everything",
]
ANSWERS = ["ya", "yes", "boleh", "tidak", "no", "nggak"]


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


class Memory(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.a = build_assistant(
            Settings(data_dir=Path(self.dir.name), database_url="memory:", embedder="none")
        )
        self.clock = Clock()
        self.a.clock = self.clock
        self.a.store.upsert_customers([Customer("ana", "Ana")])
        self.keys = itertools.count()
        self.conversation = 0
        self.erased_ids: set[str] = set()
        self.erased_values: set[tuple[str, str, str]] = set()

    def teardown(self) -> None:
        self.a.close()
        self.dir.cleanup()

    def _tick(self) -> datetime:
        self.clock.at += timedelta(minutes=1)
        return self.clock.at

    def _held(self) -> dict[str, tuple[str, str, str]]:
        return {f.ident: (f.kind, f.subject, f.value) for f in self.a.store.facts("ana")}

    def _forgotten(self, before: dict[str, tuple[str, str, str]]) -> None:
        after = self._held()
        for ident, value in before.items():
            if ident not in after:
                self.erased_ids.add(ident)
                self.erased_values.add(value)

    @rule(text=st.sampled_from(SAID + ANSWERS))
    def chat(self, text: str) -> None:
        before = self._held()
        now = self._tick()
        for f in extract(text):  # said again: it may be kept again
            self.erased_values.discard((f.kind, f.subject, f.value))
        self.a.handle_message(f"c{self.conversation}", text, f"k{next(self.keys)}", "ana", None, now)
        self._forgotten(before)

    @rule()
    def new_conversation(self) -> None:
        self.conversation += 1

    @rule(purpose=st.sampled_from(PURPOSES), granted=st.booleans())
    def decide(self, purpose: str, granted: bool) -> None:
        before = self._held()
        self._tick()
        self.a.rights.consent("ana", purpose, granted, "id", "api")
        self._forgotten(before)

    @precondition(lambda self: bool(self.a.store.facts("ana")))
    @rule(pick=st.integers(min_value=0, max_value=50), value=st.sampled_from(["40", "pastel biru", "Sedaap"]))
    def correct(self, pick: int, value: str) -> None:
        held = self.a.store.facts("ana")
        fact = held[pick % len(held)]
        self._tick()
        self.erased_values.discard((fact.kind, fact.subject, value))
        self.a.rights.correct("ana", fact.ident, value)

    @precondition(lambda self: bool(self.a.store.facts("ana")))
    @rule(pick=st.integers(min_value=0, max_value=50), everything=st.booleans())
    def erase(self, pick: int, everything: bool) -> None:
        before = self._held()
        held = self.a.store.facts("ana")
        self._tick()
        self.a.rights.forget("ana", None if everything else [held[pick % len(held)].ident])
        self._forgotten(before)

    @invariant()
    def every_fact_had_consent_when_written(self) -> None:
        consents = self.a.store.consents("ana")
        for f in self.a.store.facts("ana"):
            then = [c for c in consents if c.purpose == KIND_PURPOSE[f.kind] and c.at <= f.created_at]
            assert then and max(then, key=lambda c: c.at).granted, f"{f} kept without consent"

    @invariant()
    def nothing_outlives_a_withdrawal(self) -> None:
        consents = self.a.store.consents("ana")
        for f in self.a.store.facts("ana"):
            given = [c for c in consents if c.purpose == f.purpose]
            assert given and max(given, key=lambda c: c.at).granted, f"{f} kept after a no"

    @invariant()
    def nothing_erased_comes_back(self) -> None:
        for ident, value in self._held().items():
            assert ident not in self.erased_ids, f"erased fact {ident} is back"
            assert value not in self.erased_values, f"erased {value} is back though not said again"


Memory.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestMemory = Memory.TestCase
