"""A deterministic language model for tests and demos: it returns the draft, lightly re-phrased.

It finds the draft between the phrasing prompt's fences and puts a harmless opener in front of it
("Sure. " / "Baik. "), so every fact stays as the tools wrote it and the output is repeatable.
"""

from __future__ import annotations

from collections.abc import Sequence

from hangat.domain.chat import ChatMessage, draft_in
from hangat.errors import InputError
from hangat.understand.language import detect_language

OPENERS = {"en": "Sure. ", "id": "Baik. "}


class FakeLanguageModel:
    """Returns ``reply`` if given, else the fenced draft with an opener (``prefix`` overrides it).

    Every call's messages are kept in ``calls``, so tests can read the prompt that was sent.
    """

    def __init__(self, prefix: str | None = None, reply: str | None = None) -> None:
        self.name = "fake"
        self.prefix = prefix
        self.reply = reply
        self.calls: list[list[ChatMessage]] = []

    def complete(self, messages: Sequence[ChatMessage], timeout: float) -> str:
        if not messages:
            raise InputError("a chat completion needs at least one message")
        self.calls.append(list(messages))
        if self.reply is not None:
            return self.reply
        draft = draft_in(messages)
        if draft is None:
            return messages[-1].content.strip()
        prefix = self.prefix if self.prefix is not None else OPENERS.get(detect_language(draft), "Sure. ")
        return prefix + draft
