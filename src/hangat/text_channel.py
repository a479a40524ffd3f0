"""The text channel: a message from a phone number in, the assistant's reply out as text-message
parts — the shape SMS and WhatsApp providers use. The HTTP side is ``hangat.web.text_channel``.

- The provider signs each request like hangat's own webhooks (``hangat.adapters.webhooks``):
  ``v1=`` + hex HMAC-SHA256(``text_channel_secret``, ``f"{timestamp}.{raw body}"``), at most
  5 minutes old.
- The conversation id is a keyed hash of the number (``sms-`` + 20 hex digits): the number itself is
  stored nowhere.
- The provider's message id is the turn's idempotency key: a retry returns the same parts and stores
  nothing twice.
- The reply is split into parts of at most 320 characters with the products numbered
  (``dialogue/text_parts``); a bare "2" picks product 2 (``Assistant.handle_numbered``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from hangat.adapters.webhooks import verify
from hangat.assistant import Assistant
from hangat.dialogue.text_parts import parts
from hangat.domain.conversation import TEXT_CHANNEL_PREFIX
from hangat.errors import InputError

TOLERANCE_S = 300  # a signature older (or newer) than 5 minutes is refused: a replayed request
CONVERSATION_PREFIX = TEXT_CHANNEL_PREFIX
_KEY_CHARS = 120  # the longest message id used as it is (the assistant allows 180 for a key)
_NOT_KEY = re.compile(r"[^A-Za-z0-9_.:\-]")
_PHONE = re.compile(r"\+[1-9]\d{6,14}")  # E.164: a country code and at most 15 digits in all


@dataclass(frozen=True)
class Inbound:
    """One message from a phone, as the provider delivered it."""

    message_id: str
    sender: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class Outbound:
    """The answer to send back: to whom, the parts in order (none: a person has the conversation,
    or nothing to say), and the conversation it belongs to."""

    to: str
    parts: tuple[str, ...]
    conversation_id: str
    replayed: bool = False


class TextChannel:
    """The text channel of one assistant; off while ``text_channel_secret`` is empty."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._secret = assistant.settings.text_channel_secret.encode("utf-8")

    @property
    def configured(self) -> bool:
        return bool(self._secret)

    def verified(
        self, timestamp: str | None, body: bytes, signature: str | None, now: float | None = None
    ) -> bool:
        """Whether ``signature`` signs ``body`` at ``timestamp`` with the channel's secret, and
        ``timestamp`` is within 5 minutes of now. Never raises."""
        if not self.configured or timestamp is None:
            return False
        return verify(self._secret, timestamp, body, signature, TOLERANCE_S, now)

    def conversation_id(self, number: str) -> str:
        """``sms-`` + the first 20 hex digits of HMAC-SHA256(secret, the E.164 number)."""
        digest = hmac.new(self._secret, normalise(number).encode("ascii"), hashlib.sha256).hexdigest()
        return CONVERSATION_PREFIX + digest[:20]

    def answer(self, message: Inbound) -> Outbound:
        """The assistant's reply to one message, as parts; the same parts again for a retry."""
        if message.language not in (None, "en", "id"):
            raise InputError(f"language must be 'en' or 'id', not {message.language!r}")
        to = normalise(message.sender)
        turn = self.assistant.handle_numbered(
            self.conversation_id(to), message.text, idempotency_key(message.message_id), message.language
        )
        return Outbound(to, tuple(parts(turn.reply)), turn.conversation_id, turn.replayed)


def normalise(number: str) -> str:
    """A phone number in E.164: spaces, dashes, dots and brackets dropped; ``08…`` (Indonesia's
    national form) → ``+628…``; ``628…`` and ``00…`` get their ``+``."""
    raw = re.sub(r"[\s\-.()/]", "", number.strip()) if isinstance(number, str) else ""
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("0"):
        raw = "+62" + raw[1:]
    elif raw[:1].isdigit():
        raw = "+" + raw
    if not _PHONE.fullmatch(raw):
        raise InputError("from must be a phone number: E.164 (+628…) or Indonesian national (08…)")
    return raw


def idempotency_key(message_id: str) -> str:
    """The turn's idempotency key for a provider's message id: the id itself when it is made of
    letters, digits and ``_ . : -`` only (and not too long), else its safe characters and a hash
    of the whole id (two different ids never share a key)."""
    if not isinstance(message_id, str) or not message_id.strip():
        raise InputError("message_id must not be empty")
    if len(message_id) <= _KEY_CHARS and not _NOT_KEY.search(message_id):
        return message_id
    safe = _NOT_KEY.sub("_", message_id)[:80]
    return f"{safe}:{hashlib.sha256(message_id.encode('utf-8')).hexdigest()[:24]}"
