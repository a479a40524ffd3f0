"""The LanguageModel contract: every model (fake, worst case, OpenAI-compatible over real HTTP) must
pass all of it. The OpenAI-compatible client talks to a tiny chat-completions server started here."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hangat.adapters.llm.fake import FakeLanguageModel
from hangat.adapters.llm.openai import OpenAICompatibleModel
from hangat.adapters.llm.worst_case import WorstCaseLanguageModel
from hangat.dialogue.breaker import CircuitBreaker
from hangat.dialogue.phrasing import Facts, ProductFact, StoreVoice, build_messages, phrase
from hangat.domain.chat import ChatMessage, draft_in
from hangat.errors import InputError, LanguageModelError, LanguageModelTimeout
from hangat.ports import LanguageModel

DRAFT = "Sepatu Lari Ringan costs Rp350.000 and is rated 4,8."
FACTS = Facts(products=(ProductFact("Sepatu Lari Ringan", ("Rp350.000", "rating 4,8")),))
MESSAGES = build_messages(DRAFT, FACTS, "en", StoreVoice(), "CANARY-CONTRACT")


class FixedClock:
    def now(self) -> datetime:
        return datetime(2024, 1, 1, tzinfo=UTC)


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, dict[str, str], Any]]


class Handler(BaseHTTPRequestHandler):
    """``/<behaviour>/v1/chat/completions``: ok, slow, error, badjson, noshape, nulltext."""

    server: ChatServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, dict(self.headers), body))
        behaviour = self.path.split("/")[1]
        if behaviour == "slow":
            time.sleep(1.0)
        if behaviour == "error":
            return self._send(500, b'{"error": {"message": "model crashed"}}')
        if behaviour == "badjson":
            return self._send(200, b"<html>not json</html>")
        if behaviour == "noshape":
            return self._send(200, json.dumps({"choices": []}).encode())
        messages = [ChatMessage(m["role"], m["content"]) for m in body["messages"]]
        content: Any = None if behaviour == "nulltext" else draft_in(messages) or "hello"
        answer = {
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
        }
        return self._send(200, json.dumps(answer).encode())

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[ChatServer]:
    srv = ChatServer(("127.0.0.1", 0), Handler)
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def base_url(server: ChatServer, behaviour: str = "ok") -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/{behaviour}/v1"


@pytest.fixture(params=["fake", "worst-case", "openai"])
def model(request: pytest.FixtureRequest) -> Iterator[LanguageModel]:
    if request.param == "fake":
        yield FakeLanguageModel()
    elif request.param == "worst-case":
        yield WorstCaseLanguageModel()
    else:
        srv = request.getfixturevalue("server")
        client = OpenAICompatibleModel(base_url(srv), "test-model", "sk-test")
        yield client
        client.close()


# -- every model -------------------------------------------------------------------------------------


def test_it_has_a_name_and_answers_text(model: LanguageModel) -> None:
    assert isinstance(model.name, str) and model.name
    answer = model.complete(MESSAGES, 2.0)
    assert isinstance(answer, str) and DRAFT in answer


def test_it_is_repeatable(model: LanguageModel) -> None:
    assert model.complete(MESSAGES, 2.0) == model.complete(MESSAGES, 2.0)


def test_it_refuses_an_empty_conversation(model: LanguageModel) -> None:
    with pytest.raises(InputError):
        model.complete([], 2.0)


def test_the_guard_accepts_its_faithful_answer(model: LanguageModel) -> None:
    result = phrase(DRAFT, FACTS, model, "en", CircuitBreaker(), FixedClock(), budget_s=2.0)
    assert result.source == "model" and DRAFT in result.text, result.rejected_because


# -- the OpenAI-compatible client over HTTP ----------------------------------------------------------


def test_it_sends_an_openai_chat_completion_request(server: ChatServer) -> None:
    client = OpenAICompatibleModel(base_url(server), "qwen2.5:7b", "sk-test")
    server.requests.clear()
    assert client.complete(MESSAGES, 2.0) == DRAFT
    path, headers, body = server.requests[0]
    assert path == "/ok/v1/chat/completions"
    assert headers["Authorization"] == "Bearer sk-test"
    assert body["model"] == "qwen2.5:7b" and body["stream"] is False
    assert body["messages"] == [{"role": m.role, "content": m.content} for m in MESSAGES]


def test_without_a_key_no_authorization_is_sent(server: ChatServer) -> None:
    server.requests.clear()
    OpenAICompatibleModel(base_url(server), "m").complete(MESSAGES, 2.0)
    assert "Authorization" not in server.requests[0][1]


def test_a_timeout_is_a_language_model_timeout(server: ChatServer) -> None:
    client = OpenAICompatibleModel(base_url(server, "slow"), "m", "sk-test")
    with pytest.raises(LanguageModelTimeout) as caught:
        client.complete(MESSAGES, 0.2)
    assert caught.value.__cause__ is not None and "sk-test" not in str(caught.value)


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("error", "answered HTTP 500"),
        ("badjson", "not a chat completion"),
        ("noshape", "not a chat completion"),
        ("nulltext", "content is NoneType"),
    ],
)
def test_a_bad_answer_is_a_language_model_error(server: ChatServer, behaviour: str, message: str) -> None:
    client = OpenAICompatibleModel(base_url(server, behaviour), "m", "sk-secret-key")
    with pytest.raises(LanguageModelError, match=message) as caught:
        client.complete(MESSAGES, 2.0)
    assert "sk-secret-key" not in str(caught.value)


def test_an_unreachable_server_is_a_language_model_error(server: ChatServer) -> None:
    probe = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = probe.server_address[1]
    probe.server_close()  # nothing listens there now
    client = OpenAICompatibleModel(f"http://127.0.0.1:{port}/v1", "m")
    with pytest.raises(LanguageModelError) as caught:
        client.complete(MESSAGES, 2.0)
    assert caught.value.__cause__ is not None


def test_the_guard_falls_back_when_the_server_fails(server: ChatServer) -> None:
    breaker = CircuitBreaker(threshold=2)
    client = OpenAICompatibleModel(base_url(server, "error"), "m")
    for _ in range(2):
        result = phrase(DRAFT, FACTS, client, "en", breaker, FixedClock())
        assert (result.text, result.source) == (DRAFT, "deterministic")
        assert result.rejected_because is not None and result.rejected_because.startswith("error: ")
    assert breaker.state(FixedClock().now()) == "open"
