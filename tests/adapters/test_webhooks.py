"""The webhook sender against a real HTTP receiver and a real SQLite outbox: signed, stable ids,
retried with backoff, parked as a dead letter, and run in a background thread that stops cleanly."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import select, update

from hangat.adapters.sql import tables
from hangat.adapters.sql.store import SqlStore
from hangat.adapters.stores import open_store
from hangat.adapters.webhooks import PARKED_UNTIL, WebhookSender, backoff, encode, redact, sign, verify
from hangat.domain.conversation import EventKind, NewEvent
from hangat.domain.customer import Customer, StaffMember
from hangat.domain.handoff import Outbound
from hangat.ports import Store

SECRET = b"whsec-test-0123456789"
PAST_FIRST_RETRY = timedelta(seconds=34)  # 30 s + at most 10 % jitter, and a second to spare
PAST_SECOND_RETRY = timedelta(seconds=67)  # 60 s + 10 %


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A real HTTP server on 127.0.0.1 that records every request and fails the first ``fail_first``
    with 503 (or sleeps ``delay`` seconds before answering)."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.fail_first = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.hits.append(Hit(self.path, dict(self.headers.items()), body))
                    failing = len(receiver.hits) <= receiver.fail_first
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = 503 if failing else 200
                answer = b"busy" if failing else b"ok"
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the client gave up (the timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/hangat"

    def count(self) -> int:
        with self.lock:
            return len(self.hits)


class FakeClock:
    def __init__(self) -> None:
        self.t = datetime.now(UTC) + timedelta(seconds=1)  # just after the outbox rows were written

    def now(self) -> datetime:
        return self.t

    def advance(self, delta: timedelta) -> None:
        self.t += delta


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store("sqlite:///" + str(tmp_path / "db.sqlite3"))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _handoff(store: Store, steps: int = 3) -> None:
    """A handoff requested, claimed (with a staff message) and resolved: one outbox row per step,
    and one for the staff message."""
    store.upsert_staff([StaffMember("s-dewi", "Dewi"), StaffMember("s-budi", "Budi")])
    store.upsert_customers([Customer("cust-1", "Ayu")])
    store.open_conversation("c1", "cust-1", "id")
    ask = [
        NewEvent(EventKind.SHOPPER_SAID, {"text": "mau bicara dengan orang"}),
        NewEvent(EventKind.HANDOFF_REQUESTED, {"reason": "shopper_asked", "stakes": ["health"]}),
    ]
    store.append_events("c1", ask, "ask")
    if steps >= 2:
        store.append_events("c1", [NewEvent(EventKind.HANDOFF_CLAIMED, {"staff_id": "s-dewi"})], "claim")
        store.append_events("c1", [NewEvent(EventKind.STAFF_SAID, {"staff_id": "s-dewi", "text": "hi"})], "r")
    if steps >= 3:
        store.append_events("c1", [NewEvent(EventKind.HANDOFF_RESOLVED, {"staff_id": "s-dewi"})], "done")


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _outbox(store: Store) -> list[dict[str, Any]]:
    o = tables.webhook_outbox
    with cast(SqlStore, store).engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(o).order_by(o.c.id))]


def _pending(store: Store) -> list[Outbound]:
    """Every undelivered row, due or not (dead letters excepted)."""
    return store.due_webhooks(datetime(9000, 1, 1, tzinfo=UTC))


def test_delivers_signed_requests_with_stable_ids_and_headers(
    store: Store, receiver: Receiver, clock: FakeClock
) -> None:
    _handoff(store)
    sender = WebhookSender(store, receiver.url, SECRET, clock)
    try:
        assert sender.deliver_due() == 4
        assert sender.deliver_due() == 0  # delivered rows are not sent again
    finally:
        sender.close()
    assert receiver.count() == 4
    ts = int(clock.now().timestamp())
    types, ids = [], []
    for hit in receiver.hits:
        h = {k.lower(): v for k, v in hit.headers.items()}
        body = json.loads(hit.body)
        assert hit.path == "/hooks/hangat"
        assert h["content-type"] == "application/json"
        assert h["hangat-event-id"] == body["id"] and h["hangat-event-type"] == body["type"]
        assert h["hangat-timestamp"] == str(ts)
        assert hit.body == encode(body)  # compact, sorted keys, UTF-8
        assert b": " not in hit.body and list(body) == sorted(body)
        assert {"id", "type", "occurred_at", "conversation_id", "handoff"} <= set(body)
        sig = h["hangat-signature"]
        assert sig.startswith("v1=") and sig == sign(SECRET, ts, hit.body)
        assert verify(SECRET, h["hangat-timestamp"], hit.body, sig, now=ts + 5)
        assert not verify(SECRET, ts, hit.body.replace(b"c1", b"c2"), sig, now=ts)  # tampered body
        assert not verify(SECRET, ts, hit.body + b" ", sig, now=ts)
        assert not verify(SECRET, ts, hit.body, sig, now=ts + 301)  # too old: a replay
        assert not verify(SECRET, ts - 301, hit.body, sign(SECRET, ts - 301, hit.body), now=ts)
        assert not verify(b"another secret", ts, hit.body, sig, now=ts)
        assert not verify(SECRET, ts + 1, hit.body, sig, now=ts)  # the timestamp is signed too
        assert not verify(SECRET, "soon", hit.body, sig, now=ts) and not verify(SECRET, ts, hit.body, None)
        assert verify(SECRET, ts, hit.body, "v1=00ff, " + sig, now=ts)  # several v1 values: any one
        types.append(h["hangat-event-type"])
        ids.append(h["hangat-event-id"])
    assert types == ["handoff.requested", "handoff.claimed", "conversation.staff_said", "handoff.resolved"]
    assert len(set(ids)) == 4 and all(i.startswith("c1:") for i in ids)
    said = json.loads(receiver.hits[2].body)["message"]
    assert said == {"text": "hi"}  # no "parts": not a text-channel conversation
    assert ids == [r["event_id"] for r in _outbox(store)]  # the outbox rows, in order
    assert _pending(store) == []


def test_503_twice_then_200_is_delivered_on_the_third_pass_after_the_backoff(
    store: Store, receiver: Receiver, clock: FakeClock
) -> None:
    _handoff(store, steps=1)
    receiver.fail_first = 2
    sender = WebhookSender(store, receiver.url, SECRET, clock)
    try:
        assert sender.deliver_due() == 0 and receiver.count() == 1
        [row] = _pending(store)
        assert row.attempts == 1 and row.next_attempt_at is not None
        assert timedelta(seconds=30) <= row.next_attempt_at - clock.now() <= timedelta(seconds=33)
        clock.advance(timedelta(seconds=29))
        assert sender.deliver_due() == 0 and receiver.count() == 1  # not due yet
        clock.advance(PAST_FIRST_RETRY - timedelta(seconds=29))
        assert sender.deliver_due() == 0 and receiver.count() == 2
        [row] = _pending(store)
        assert row.attempts == 2 and row.next_attempt_at is not None
        assert timedelta(seconds=60) <= row.next_attempt_at - clock.now() <= timedelta(seconds=66)
        assert _outbox(store)[0]["last_error"].startswith("HTTP 503")
        clock.advance(PAST_SECOND_RETRY)
        assert sender.deliver_due() == 1 and receiver.count() == 3
        clock.advance(timedelta(hours=2))
        assert sender.deliver_due() == 0 and receiver.count() == 3  # not re-sent after delivery
    finally:
        sender.close()
    assert _pending(store) == []
    [row_db] = _outbox(store)
    assert row_db["attempts"] == 3 and row_db["delivered_at"] is not None
    assert len({h.headers["Hangat-Event-Id"] for h in receiver.hits}) == 1  # the same id every time
    for hit in receiver.hits:  # each attempt is signed afresh, with its own timestamp
        t = hit.headers["Hangat-Timestamp"]
        assert verify(SECRET, t, hit.body, hit.headers["Hangat-Signature"], now=int(t))


def test_a_receiver_that_is_down_is_retried_later_and_the_query_string_never_logged(
    store: Store, receiver: Receiver, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    _handoff(store, steps=1)
    down = f"http://127.0.0.1:{_closed_port()}/hook?token=sekret-token"
    sender = WebhookSender(store, down, SECRET, clock, timeout=1.0)
    caplog.set_level(logging.INFO, logger="hangat.webhooks")
    try:
        assert sender.deliver_due() == 0  # no exception
    finally:
        sender.close()
    [row] = _pending(store)
    assert row.attempts == 1 and store.due_webhooks(clock.now()) == []
    warnings = [r for r in caplog.records if r.name == "hangat.webhooks" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "ConnectError" in warnings[0].getMessage()
    assert "<redacted>" in warnings[0].getMessage()
    assert "sekret" not in caplog.text and "sekret" not in _outbox(store)[0]["last_error"]
    assert "sekret" not in repr(sender)
    clock.advance(PAST_FIRST_RETRY)  # the receiver is back (here: at another address)
    again = WebhookSender(store, receiver.url + "?token=x", SECRET, clock)
    try:
        assert again.deliver_due() == 1
    finally:
        again.close()
    assert receiver.count() == 1 and receiver.hits[0].path == "/hooks/hangat?token=x"
    assert _pending(store) == []


def test_a_slow_receiver_times_out_and_is_retried(store: Store, receiver: Receiver, clock: FakeClock) -> None:
    _handoff(store, steps=1)
    receiver.delay = 1.0
    sender = WebhookSender(store, receiver.url, SECRET, clock, timeout=0.2)
    try:
        started = time.monotonic()
        assert sender.deliver_due() == 0
        assert time.monotonic() - started < 0.9
    finally:
        sender.close()
    [row] = _pending(store)
    assert row.attempts == 1 and _outbox(store)[0]["last_error"].startswith("timed out")


def test_after_max_attempts_the_row_is_parked_as_a_dead_letter(
    store: Store, receiver: Receiver, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    _handoff(store, steps=1)
    receiver.fail_first = 10**6
    sender = WebhookSender(store, receiver.url, SECRET, clock, max_attempts=3)
    caplog.set_level(logging.WARNING, logger="hangat.webhooks")
    try:
        assert sender.deliver_due() == 0
        clock.advance(PAST_FIRST_RETRY)
        assert sender.deliver_due() == 0
        clock.advance(PAST_SECOND_RETRY)
        assert sender.deliver_due() == 0 and receiver.count() == 3
        for _ in range(3):  # a day, a year: never tried again
            clock.advance(timedelta(days=400))
            assert sender.deliver_due() == 0
        assert receiver.count() == 3
        [row] = _outbox(store)
        assert row["attempts"] == 3 and row["delivered_at"] is None
        assert row["last_error"].startswith("dead-letter: gave up after 3 attempts: HTTP 503")
        assert row["next_attempt_at"].replace(tzinfo=UTC) == PARKED_UNTIL
        assert _pending(store) == []
        errors = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert len(errors) == 1 and "dead letter" in errors[0].getMessage()
        # the operator re-drives it, as the module docstring says, once the receiver is fixed
        receiver.fail_first = 0
        o = tables.webhook_outbox
        with cast(SqlStore, store).engine.begin() as conn:
            conn.execute(update(o).values(next_attempt_at=clock.now(), attempts=0))
        assert sender.deliver_due() == 1 and receiver.count() == 4
    finally:
        sender.close()


class FlakyStore:
    """The real store, except that the first ``due_webhooks`` call blows up."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.calls = 0

    def due_webhooks(self, now: datetime, limit: int = 50) -> list[Outbound]:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("database hiccup")
        return self.store.due_webhooks(now, limit)

    def webhook_attempted(
        self, ident: int, delivered_at: datetime | None, retry_at: datetime | None, error: str = ""
    ) -> None:
        self.store.webhook_attempted(ident, delivered_at, retry_at, error)


def test_the_background_thread_delivers_survives_errors_and_stops_promptly(
    store: Store, receiver: Receiver, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    _handoff(store)
    flaky = FlakyStore(store)
    sender = WebhookSender(cast(Store, flaky), receiver.url, SECRET, clock)
    started = time.monotonic()
    thread = sender.run_in_background(every=0.1)
    try:
        assert thread.daemon and thread.is_alive()
        assert sender.run_in_background(every=0.1) is thread  # one thread, however often asked
        while receiver.count() < 4 and time.monotonic() - started < 2.0:
            time.sleep(0.02)
        assert receiver.count() == 4 and time.monotonic() - started < 2.0
    finally:
        stopping = time.monotonic()
        sender.close()
    assert not thread.is_alive() and time.monotonic() - stopping < 0.5
    assert "database hiccup" in caplog.text  # logged with its traceback, and the loop went on
    calls = flaky.calls
    time.sleep(0.3)
    assert flaky.calls == calls and receiver.count() == 4  # nothing runs after stop
    assert _pending(store) == []


def test_backoff_doubles_from_30_s_to_an_hour_with_a_little_jitter() -> None:
    lows = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    for n, low in enumerate(lows, start=1):
        for _ in range(20):
            assert low <= backoff(n).total_seconds() <= low * 1.1
    assert backoff(10_000).total_seconds() <= 3960
    assert redact("https://u:pw@shop.example/hook?key=1#x") == "https://u:***@shop.example/hook?<redacted>"
