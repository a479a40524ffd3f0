"""A client of any OpenAI-compatible ``/v1/chat/completions`` endpoint, over httpx.

Works with the hosted OpenAI API and with local servers that speak the same protocol: Ollama
(``http://127.0.0.1:11434/v1``), vLLM (``http://127.0.0.1:8000/v1``) and llama.cpp's
``llama-server`` (``http://127.0.0.1:8080/v1``). Every foreign exception (a timeout, a refused
connection, an HTTP error status, a body that is not the expected JSON) becomes a
:class:`~hangat.errors.LanguageModelError`; the API key never appears in a message or a ``repr``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from hangat.domain.chat import ChatMessage
from hangat.errors import ConfigError, InputError, LanguageModelError, LanguageModelTimeout
from hangat.privacy.redaction import redact

_THINKING = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL)


def chat_completions_url(base_url: str) -> str:
    """``<base>/chat/completions``; a base URL with no path at all gets ``/v1`` first."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"lm_url: expected an http:// or https:// URL, got {base_url!r}")
    base = base_url.rstrip("/")
    if parts.path in ("", "/"):
        base += "/v1"
    return base + "/chat/completions"


class OpenAICompatibleModel:
    """``complete`` posts the messages and returns ``choices[0].message.content``."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        temperature: float = 0.2,
        max_tokens: int = 600,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not model:
            raise ConfigError("lm_model: the OpenAI-compatible model needs a model name")
        self.name = f"openai:{model}"
        self.model = model
        self.url = chat_completions_url(base_url)
        self.temperature = temperature
        self.max_tokens = max_tokens
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(headers=headers, transport=transport, follow_redirects=False)

    def __repr__(self) -> str:
        return f"OpenAICompatibleModel(url={self.url!r}, model={self.model!r})"

    def complete(self, messages: Sequence[ChatMessage], timeout: float) -> str:
        if not messages:
            raise InputError("a chat completion needs at least one message")
        body = {
            "model": self.model,
            # an external service never sees a shopper's e-mail, phone, NIK, NPWP or card number
            "messages": [{"role": m.role, "content": redact(m.content).text} for m in messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "stream": False,
        }
        try:
            response = self._client.post(self.url, json=body, timeout=timeout)
        except httpx.TimeoutException as exc:
            raise LanguageModelTimeout(
                f"{self.name}: no answer from {self.url} within {timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise LanguageModelError(f"{self.name}: {self.url} failed: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise LanguageModelError(
                f"{self.name}: {self.url} answered HTTP {response.status_code}: {response.text[:200]!r}"
            )
        return _content(self.name, response)

    def close(self) -> None:
        self._client.close()


def _content(name: str, response: httpx.Response) -> str:
    try:
        data: Any = response.json()
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LanguageModelError(
            f"{name}: the answer is not a chat completion: {response.text[:200]!r}"
        ) from exc
    if not isinstance(content, str):
        raise LanguageModelError(f"{name}: the answer's content is {type(content).__name__}, not text")
    return _THINKING.sub("", content)
