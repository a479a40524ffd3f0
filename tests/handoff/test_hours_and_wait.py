"""The honest wait: opening hours, the queue estimate, the person from last time, and the call-back
choice outside business hours — through the real assistant on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hangat.assistant import Assistant, build_assistant
from hangat.domain.conversation import EventKind
from hangat.domain.customer import Customer
from hangat.domain.store_profile import StoreProfile
from hangat.handoff.hours import callback_slots, is_open, next_opening
from hangat.settings import Settings

JAKARTA_TUE_10 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 10:00 in Asia/Jakarta
JAKARTA_SAT_22 = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)  # Saturday 22:00: closed until Monday


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def assistant(tmp_path: Path) -> Assistant:
    a = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="k"))
    a.store.upsert_customers([Customer("ayu", "Ayu"), Customer("sam", "Sam")])
    a.accounts.add("staff-dewi", "Dewi", "password-dewi-1", languages=("id", "en"))
    a.accounts.add("staff-budi", "Budi", "password-budi-1", languages=("id",))
    return a


def test_opening_hours_of_the_demo_profile(assistant: Assistant) -> None:
    profile = assistant.profile
    assert is_open(JAKARTA_TUE_10, profile)
    assert not is_open(JAKARTA_SAT_22, profile)
    opens = next_opening(JAKARTA_SAT_22, profile)
    assert opens is not None and opens.isoformat() == "2026-11-30T09:00:00+07:00"  # Sunday is closed
    slots = callback_slots(JAKARTA_SAT_22, profile)
    assert [s.strftime("%a %H:%M") for s in slots] == ["Mon 09:00", "Mon 09:30", "Mon 10:00"]
    assert next_opening(JAKARTA_SAT_22, StoreProfile()) is None  # a store with no hours never opens


def ask(a: Assistant, conv: str, when: datetime, customer: str | None = None, text: str = "") -> str:
    turn = a.handle_message(
        conv, text or "saya mau bicara dengan orang", f"{conv}-{text[:3]}", customer, "id", when
    )
    return turn.reply.text


def test_the_wait_names_who_is_online_and_counts_the_queue(assistant: Assistant) -> None:
    assistant.clock = FixedClock(JAKARTA_TUE_10)
    assert "Saat ini belum ada orang dari toko yang online" in ask(assistant, "c0", JAKARTA_TUE_10)
    token, _ = assistant.accounts.sign_in("staff-dewi", "password-dewi-1") or ("", None)
    assert token
    assistant.clock = FixedClock(JAKARTA_TUE_10 + timedelta(minutes=1))
    first = ask(assistant, "c1", JAKARTA_TUE_10)
    assert "Dewi" in first and "sekitar" in first
    h = assistant.store.handoff("c1")
    assert h is not None and h.mode == "live"


def test_the_person_from_last_time_is_asked_again(assistant: Assistant) -> None:
    assistant.clock = FixedClock(JAKARTA_TUE_10)
    assistant.accounts.sign_in("staff-dewi", "password-dewi-1")
    assistant.accounts.sign_in("staff-budi", "password-budi-1")
    ask(assistant, "old", JAKARTA_TUE_10, "ayu")
    budi = next(s for s in assistant.store.list_staff() if s.external_id == "staff-budi")
    assistant.desk.claim("old", budi)
    assistant.desk.resolve("old", budi)
    again = ask(assistant, "new", JAKARTA_TUE_10, "ayu")
    assert "Budi, yang membantu Anda sebelumnya" in again
    h = assistant.store.handoff("new")
    assert h is not None and h.preferred_staff == "staff-budi"


def test_outside_hours_a_message_or_a_call_back(assistant: Assistant) -> None:
    assistant.clock = FixedClock(JAKARTA_SAT_22)
    text = ask(assistant, "late", JAKARTA_SAT_22)
    assert "Toko sedang tutup dan buka lagi Senin 09:00" in text and "1) Senin 09:00" in text
    h = assistant.store.handoff("late")
    assert h is not None and h.state == "queued" and h.mode == "message"
    picked = assistant.handle_message("late", "2", "late-2", None, "id", JAKARTA_SAT_22).reply
    assert "Senin 09:30" in picked.text and "menelepon" in picked.text
    h = assistant.store.handoff("late")
    assert h is not None and h.mode == "callback" and h.callback_at is not None
    assert h.callback_at == datetime.fromisoformat("2026-11-30T09:30:00+07:00")
    kinds = [e.kind for e in assistant.store.events("late")]
    assert kinds.count(EventKind.HANDOFF_REQUESTED) == 2 and EventKind.CALLBACK_OFFERED in kinds
