"""Chat messages for a language model, and the one marker pair that fences the draft reply.

The phrasing guard (``hangat.dialogue.phrasing``) writes the deterministic draft between
:data:`DRAFT_OPEN` and :data:`DRAFT_CLOSE`; the shipped fake models find it with :func:`draft_in`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hangat.errors import InputError

ROLES = ("system", "user", "assistant")
DRAFT_OPEN = "<draft>"
DRAFT_CLOSE = "</draft>"


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat-completion request: ``role`` is ``system``, ``user`` or ``assistant``."""

    role: str
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InputError(f"chat message role: expected one of {ROLES}, got {self.role!r}")
        if not isinstance(self.content, str):
            raise InputError(f"chat message content: expected text, got {type(self.content).__name__}")


def draft_in(messages: Sequence[ChatMessage]) -> str | None:
    """The draft reply fenced in the last message that has one, or ``None``."""
    for message in reversed(messages):
        start = message.content.find(DRAFT_OPEN)
        end = message.content.find(DRAFT_CLOSE, start + len(DRAFT_OPEN))
        if start != -1 and end != -1:
            return message.content[start + len(DRAFT_OPEN) : end].strip()
    return None
