"""The memory card: each remembered fact as one plain sentence, in the shopper's language.

"you wear size 39", "your mother needs easy-open lids", "kesehatan ibu Anda: arthritis" — written
from the fact's kind, who it is about and its value, never by reciting the shopper's message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hangat.domain.conversation import EventKind
from hangat.domain.memory import Fact
from hangat.errors import NotFound
from hangat.i18n import t
from hangat.ports import Store

_MINE_EN = re.compile(r"^(?:my|our)\s+", re.IGNORECASE)
_MINE_ID = re.compile(r"\s*(?:saya|sy|aku|ku|gue|gw|kami)$", re.IGNORECASE)


def who(subject: str, lang: str) -> str:
    """The person a fact is about, as the assistant says it: "my mother" → "your mother"."""
    text = subject.strip()
    if lang == "en":
        return _MINE_EN.sub(t("en", "who.your") + " ", text)
    bare = _MINE_ID.sub("", _MINE_EN.sub("", text))
    return f"{bare} {t('id', 'who.your')}" if bare != text or _MINE_EN.match(text) else text


def phrase(fact: Fact, lang: str) -> str:
    """One plain sentence for ``fact``."""
    form = "self" if fact.subject in ("self", "household") else "other"
    return t(lang, f"fact.{fact.kind}.{form}", who=who(fact.subject, lang), value=fact.value)


def for_staff(fact: Fact, lang: str) -> str:
    """The fact as the staff console lists it: "Needs (my mother): easy-open lids"."""
    label = t(lang, f"kind.{fact.kind}")
    if fact.subject in ("self", "household"):
        return f"{label}: {fact.value}"
    return f"{label} ({fact.subject}): {fact.value}"


def phrases(facts: list[Fact], lang: str, limit: int = 4) -> str:
    """Several facts in one clause: "you wear size 39; you like Indomie"."""
    return "; ".join(phrase(f, lang) for f in facts[:limit])


def sources(store: Store, held: Sequence[Fact], width: int = 80) -> dict[str, str]:
    """The shopper's own words each fact came from, where that conversation is still kept."""
    out: dict[str, str] = {}
    said: dict[str, dict[int, str]] = {}
    for f in held:
        if f.conversation_id is None or f.seq is None:
            continue
        if f.conversation_id not in said:
            try:
                events = store.events(f.conversation_id)
            except NotFound:
                events = []
            said[f.conversation_id] = {
                e.seq: str(e.payload.get("text", "")) for e in events if e.kind is EventKind.SHOPPER_SAID
            }
        text = said[f.conversation_id].get(f.seq, "")
        if text:
            out[f.ident] = text if len(text) <= width else text[: width - 1] + "…"
    return out
