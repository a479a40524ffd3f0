"""Outbound webhooks to the store: the handoff steps, delivered from the transactional outbox.

The store writes one outbox row per handoff step (``handoff.requested``, ``handoff.claimed``,
``handoff.returned``, ``handoff.resolved``) in the same transaction as the event.
:class:`WebhookSender` reads the rows that are due and POSTs each to the store's URL. A delivery is
*at least once*: a receiver drops duplicates by ``Hangat-Event-Id``.

The request
-----------
``POST <url>`` with the row's body as compact JSON (UTF-8, keys sorted, no spaces) and these headers::

    Content-Type: application/json
    Hangat-Event-Id: conv-1:4                 stable across retries: the receiver's dedup key
    Hangat-Event-Type: handoff.claimed
    Hangat-Timestamp: 1717171717              unix seconds when this attempt was signed
    Hangat-Signature: v1=<hex>                HMAC-SHA256(secret, f"{timestamp}.{raw body}")

Verifying a request (any language)
----------------------------------
1. Take ``Hangat-Timestamp`` as ``t`` and the raw request body bytes as ``body`` — the bytes as
   received, before any JSON parsing.
2. Compute ``hex(HMAC-SHA256(key=secret, message=t + "." + body))`` (``t`` as ASCII digits).
3. Compare it, in constant time, with each ``v1=`` value of ``Hangat-Signature`` (comma-separated;
   there is one today, more may come while a secret is rotated). No match: reject.
4. Reject when ``|now - t|`` is more than 5 minutes (a replayed old request).
5. Drop the event if its ``Hangat-Event-Id`` was seen before; answer 2xx either way.

In Python, :func:`verify` does steps 1–4: ``verify(secret, t, body, header)``.

Retries
-------
A 2xx answer means delivered. Anything else — another status (redirects are not followed), a
timeout, a refused connection — is a failed attempt, logged (logger ``hangat.webhooks``, the URL's
query string and password redacted) and never raised. After the n-th failed attempt the row waits
``min(30 s × 2^(n-1), 1 h)`` plus up to 10 % jitter: 30 s, 1 min, 2 min, 4 min, 8 min, 16 min,
32 min, then hourly. With the default ``max_attempts = 12`` the last try comes about 5 hours after
the first.

Dead letters
------------
When attempt ``max_attempts`` fails, the row is parked: ``next_attempt_at`` is set to
:data:`PARKED_UNTIL` (9999-01-01 UTC), ``delivered_at`` stays empty and ``last_error`` starts with
``dead-letter:``. An operator finds them with::

    SELECT * FROM webhook_outbox WHERE delivered_at IS NULL AND last_error LIKE 'dead-letter:%';

and re-drives one by setting ``next_attempt_at`` to now and ``attempts`` to 0.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx

from hangat.domain.handoff import Outbound
from hangat.errors import ConfigError
from hangat.ports import Clock, Store

log = logging.getLogger("hangat.webhooks")

BASE_DELAY_S = 30.0
MAX_DELAY_S = 3600.0
JITTER = 0.1  # up to 10 % added to each delay, so retries after an outage do not arrive together
PARKED_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)  # a dead letter's next attempt: never, until re-driven
DEAD_LETTER = "dead-letter: "
SIGNATURE_VERSION = "v1"


def encode(body: dict[str, object]) -> bytes:
    """The exact bytes sent and signed: compact JSON, keys sorted, UTF-8."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The ``Hangat-Signature`` value: ``v1=`` and the hex HMAC-SHA256 of ``b"<timestamp>.<body>"``."""
    message = str(int(timestamp)).encode("ascii") + b"." + body
    return f"{SIGNATURE_VERSION}={hmac.new(secret, message, hashlib.sha256).hexdigest()}"


def verify(
    secret: bytes,
    timestamp: int | str,
    body: bytes,
    header: str | None,
    tolerance_s: float = 300,
    now: float | None = None,
) -> bool:
    """Whether ``header`` (``Hangat-Signature``) signs ``body`` at ``timestamp`` (``Hangat-Timestamp``)
    with ``secret``, and ``timestamp`` is within ``tolerance_s`` of ``now`` (unix seconds; default
    the system time). Any malformed input is ``False``, never an exception."""
    if not header or not secret:
        return False
    try:
        t = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - t) > tolerance_s:
        return False
    expected = sign(secret, t, body).encode("ascii")
    ok = False
    for part in header.split(","):
        version, _, value = part.strip().partition("=")
        if version == SIGNATURE_VERSION and value:
            # no early exit: every candidate is compared, each in constant time
            ok |= hmac.compare_digest(expected, f"{version}={value}".encode("utf-8", "replace"))
    return ok


def backoff(failed_attempts: int, rng: random.Random | None = None) -> timedelta:
    """How long to wait after the ``failed_attempts``-th failed attempt (1 for the first)."""
    exponent = max(0, failed_attempts - 1)
    delay = MAX_DELAY_S if exponent >= 12 else min(MAX_DELAY_S, BASE_DELAY_S * 2**exponent)
    return timedelta(seconds=delay * (1 + JITTER * (rng or random).random()))


def redact(url: str) -> str:
    """``url`` without its query string, fragment and password, for logs and stored errors."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, host = netloc.rpartition("@")
            user = userinfo.partition(":")[0]
            netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
        query = "<redacted>" if parts.query else ""
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return "<unparseable url>"


class WebhookSender:
    """Delivers the due outbox rows of ``store`` to ``url``, signed with ``secret``.

    ``deliver_due`` does one pass; ``run_in_background`` repeats it in a daemon thread until ``stop``.
    """

    def __init__(
        self,
        store: Store,
        url: str,
        secret: bytes,
        clock: Clock,
        timeout: float = 5.0,
        client: httpx.Client | None = None,
        max_attempts: int = 12,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"webhook url: expected an http:// or https:// URL, got {redact(url)!r}")
        if not secret:
            raise ConfigError("webhook secret: must not be empty")
        if max_attempts < 1:
            raise ConfigError(f"webhook max_attempts: must be at least 1, got {max_attempts}")
        self.store = store
        self.url = url
        self.safe_url = redact(url)
        self._secret = secret
        self.clock = clock
        self.timeout = timeout
        self.max_attempts = max_attempts
        self._owns_client = client is None
        self._client = client or httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": "hangat-webhooks"}
        )
        self._pass_lock = threading.Lock()  # one pass at a time in this process: no double sends
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"WebhookSender(url={self.safe_url!r}, max_attempts={self.max_attempts})"

    # -- one pass ---------------------------------------------------------------------------------

    def deliver_due(self) -> int:
        """POST every due webhook once; the number delivered. Delivery failures are recorded, not raised
        (a failing store still raises: nothing could be recorded)."""
        return self._deliver(None)

    def _deliver(self, stopping: threading.Event | None) -> int:
        with self._pass_lock:
            delivered = 0
            for hook in self.store.due_webhooks(self.clock.now()):
                if stopping is not None and stopping.is_set():
                    break
                delivered += self._attempt(hook)
            return delivered

    def _attempt(self, hook: Outbound) -> int:
        error = self._post(hook)
        now = self.clock.now()
        if error is None:
            self.store.webhook_attempted(hook.id, delivered_at=now, retry_at=None)
            log.info("webhook %s (%s) delivered to %s", hook.event_id, hook.type, self.safe_url)
            return 1
        failed = hook.attempts + 1
        if failed >= self.max_attempts:
            self.store.webhook_attempted(
                hook.id, delivered_at=None, retry_at=PARKED_UNTIL,
                error=f"{DEAD_LETTER}gave up after {failed} attempts: {error}",
            )  # fmt: skip
            log.error(
                "webhook %s (%s) to %s: gave up after %d attempts, parked as a dead letter: %s",
                hook.event_id, hook.type, self.safe_url, failed, error,
            )  # fmt: skip
            return 0
        retry_at = now + backoff(failed)
        self.store.webhook_attempted(hook.id, delivered_at=None, retry_at=retry_at, error=error)
        log.warning(
            "webhook %s (%s) to %s failed (attempt %d of %d): %s; next try at %s",
            hook.event_id, hook.type, self.safe_url, failed, self.max_attempts, error, retry_at.isoformat(),
        )  # fmt: skip
        return 0

    def _post(self, hook: Outbound) -> str | None:
        """``None`` when the store answered 2xx, else what went wrong (with no secret or query in it)."""
        try:
            body = encode(hook.body)
            timestamp = int(self.clock.now().timestamp())
            headers = {
                "Content-Type": "application/json",
                "Hangat-Event-Id": hook.event_id,
                "Hangat-Event-Type": hook.type,
                "Hangat-Timestamp": str(timestamp),
                "Hangat-Signature": sign(self._secret, timestamp, body),
            }
            response = self._client.post(self.url, content=body, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException as exc:
            return self._scrub(f"timed out after {self.timeout:g} s ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return self._scrub(f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a bad body or URL: a failed attempt all the same, never a crash
            log.exception("webhook %s (%s): could not be sent", hook.event_id, hook.type)
            return self._scrub(f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return None
        return self._scrub(f"HTTP {response.status_code}: {response.text[:200]!r}")

    def _scrub(self, message: str) -> str:
        return message.replace(self.url, self.safe_url)[:2000]

    # -- in the background ----------------------------------------------------------------------

    def run_in_background(self, every: float = 2.0) -> threading.Thread:
        """Start (or return the running) daemon thread that calls ``deliver_due`` every ``every`` s."""
        if self._thread is not None and self._thread.is_alive():
            return self._thread
        self._stopping = threading.Event()
        stopping = self._stopping

        def loop() -> None:
            while not stopping.is_set():
                try:
                    self._deliver(stopping)
                except Exception:
                    log.exception("webhook pass to %s failed; trying again in %g s", self.safe_url, every)
                stopping.wait(every)

        self._thread = threading.Thread(target=loop, name="hangat-webhooks", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        """End the background thread: at once between deliveries, or after the one in flight."""
        self._stopping.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.timeout + 1.0)
            if thread.is_alive():
                log.warning("the webhook thread did not stop within %g s", self.timeout + 1.0)

    def close(self) -> None:
        """Stop, and close the HTTP client if this sender made it."""
        self.stop()
        if self._owns_client:
            self._client.close()


__all__ = ["PARKED_UNTIL", "WebhookSender", "backoff", "encode", "redact", "sign", "verify"]
