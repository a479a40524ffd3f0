"""The shopper's rights over what hangat holds about them: see it, fix it, take it, erase it — and
the retention purge that removes what has outlived its lifetime.

Used by the API (``/api/me``), the CLI (``hangat privacy …``) and the server's daily job. The chat's
own memory tools (``dialogue/memory_tools``) call the same store methods.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hangat.domain.memory import MAX_VALUE_CHARS, PURPOSES, Consent, Fact, latest, lifetime
from hangat.domain.store_profile import StoreProfile
from hangat.errors import InputError, NotFound
from hangat.i18n.memory_messages import CONSENT_VERSION
from hangat.memory.card import phrase, sources
from hangat.ports import Clock, Store
from hangat.privacy.export import export
from hangat.privacy.scrub import scrub_logs

TOMBSTONE_PREFIX = "erased-"


@dataclass(frozen=True)
class CardEntry:
    """One line of the memory card: the fact, in plain words, and where it came from."""

    fact: Fact
    text: str
    quote: str  # the shopper's own words it came from ("" when that conversation is gone)


class ShopperRights:
    """See, fix, take and erase one customer's data; purge what has lapsed."""

    def __init__(self, store: Store, clock: Clock, profile: StoreProfile, log_dir: Path | None,
                 forget_household: Callable[[str], bool]) -> None:  # fmt: skip
        self.store = store
        self.clock = clock
        self.profile = profile
        self.log_dir = log_dir
        self.forget_household = forget_household

    # -- see and fix ------------------------------------------------------------------------------

    def card(self, customer_id: str, lang: str) -> list[CardEntry]:
        self.store.get_customer(customer_id)  # an unknown customer is NotFound
        now = self.clock.now()
        held = [f for f in self.store.facts(customer_id) if f.live(now)]
        quotes = sources(self.store, held)
        return [CardEntry(f, phrase(f, lang), quotes.get(f.ident, "")) for f in held]

    def consents(self, customer_id: str) -> dict[str, Consent | None]:
        """The answer that decides each purpose now (``None``: never asked)."""
        given = self.store.consents(customer_id)
        return {p: latest(given, p) for p in PURPOSES}

    def consent(self, customer_id: str, purpose: str, granted: bool, lang: str, channel: str) -> Consent:
        """Record a yes or a no given outside the chat (the widget's memory panel, the API)."""
        if lang not in ("en", "id"):
            raise InputError(f"language must be 'en' or 'id', not {lang!r}")
        answer = Consent(customer_id, purpose, granted, self.clock.now(), CONSENT_VERSION, lang, channel)
        self.store.record_consent(answer)
        return answer

    def correct(self, customer_id: str, fact_id: str, value: str) -> Fact:
        held = {f.ident: f for f in self.store.facts(customer_id)}
        if fact_id not in held:
            raise NotFound("fact", fact_id)
        expires = self.clock.now() + lifetime(held[fact_id].kind, self.profile.retention_days)
        return self.store.change_fact(customer_id, fact_id, value.strip(), expires)

    def add_note(self, customer_id: str, staff_id: str, text: str, conversation_id: str | None) -> Fact:
        """A staff member's note on the customer's card, which the shopper sees too. It is kept
        under ``personalisation``: without the shopper's yes to it the store refuses (Conflict)."""
        value = " ".join(text.split())
        if not value:
            raise InputError("the note is empty")
        now = self.clock.now()
        expires = now + lifetime("note", self.profile.retention_days)
        note = Fact(
            uuid.uuid4().hex, customer_id, "note", "self", value[:MAX_VALUE_CHARS], "", conversation_id, None,
            now, expires, f"staff:{staff_id}",
        )  # fmt: skip
        self.store.add_facts([note])
        return note

    def forget(self, customer_id: str, fact_ids: Sequence[str] | None = None) -> int:
        """Erase some facts (``None``: all); an id that is not this customer's is NotFound."""
        if fact_ids is not None:
            mine = {f.ident for f in self.store.facts(customer_id)}
            unknown = [i for i in fact_ids if i not in mine]
            if unknown:
                raise NotFound("fact", unknown[0])
        return self.store.erase_facts(customer_id, fact_ids)

    # -- take and erase ---------------------------------------------------------------------------

    def export(self, customer_id: str) -> dict[str, Any]:
        return export(self.store, customer_id, self.clock.now())

    def erase(self, customer_id: str) -> dict[str, int]:
        """Remove the customer from every table, the recommendation model and the log files;
        orders are kept under an anonymous id. Returns what was removed, by kind."""
        conversations = [c.external_id for c in self.store.conversations_for(customer_id)]
        done = self.store.erase_customer(customer_id, TOMBSTONE_PREFIX + uuid.uuid4().hex[:16])
        done["recommendation_model"] = int(self.forget_household(customer_id))
        if self.log_dir is not None:
            done["log_lines"] = scrub_logs(self.log_dir, [customer_id, *conversations])
        return done

    # -- retention --------------------------------------------------------------------------------

    def purge(self, now: datetime | None = None) -> dict[str, int]:
        """Delete lapsed facts, conversations quiet for longer than their lifetime, delivered
        webhooks older than theirs, and ended staff sessions (the store profile's ``[retention]``)."""
        moment = now or self.clock.now()
        days = self.profile.retention_days
        return self.store.purge(
            moment,
            customer_before=moment - timedelta(days=days["conversations"]),
            anonymous_before=moment - timedelta(days=days["anonymous_conversations"]),
            webhooks_before=moment - timedelta(days=days["webhooks"]),
        )
