"""A circuit breaker for the language model: stop calling an endpoint that keeps failing.

Pure: the caller passes the time in. What counts:

- a **failure** is an error from the model (unreachable, HTTP error, unreadable answer) or an answer
  that came too late (a timeout, or over the time budget);
- a **success** is any answer on time, *even one the guard then rejects*. A rejection says something
  about that one reply (often about the shopper's own message, such as a prompt injection), not about
  the endpoint's health; counting rejections would let one shopper switch phrasing off for everyone.

``threshold`` failures in a row open the breaker: for ``cooldown`` no call is made. After that it is
half-open: one trial call is let through (others are refused while it runs); a success closes the
breaker, a failure opens it for another cool-down. A trial that never reports back (the caller
crashed) is replaced by a new one after another cool-down.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Literal

BreakerState = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """Counts consecutive failures; thread-safe, so one breaker can serve every conversation."""

    def __init__(self, threshold: int = 3, cooldown: timedelta = timedelta(seconds=30)) -> None:
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        if cooldown <= timedelta(0):
            raise ValueError("cooldown must be positive")
        self.threshold = threshold
        self.cooldown = cooldown
        self._failures = 0
        self._opened_at: datetime | None = None
        self._trial_started: datetime | None = None
        self._lock = threading.Lock()

    @property
    def failures(self) -> int:
        """Consecutive failures since the last success."""
        return self._failures

    def state(self, now: datetime) -> BreakerState:
        """``closed`` (calls allowed), ``open`` (cooling down) or ``half-open`` (a trial is due)."""
        with self._lock:
            return self._state(now)

    def allow(self, now: datetime) -> bool:
        """Whether a call may be made now. In half-open state this claims the one trial call."""
        with self._lock:
            state = self._state(now)
            if state == "closed":
                return True
            if state == "open":
                return False
            if self._trial_started is None or now - self._trial_started >= self.cooldown:
                self._trial_started = now
                return True
            return False

    def record_success(self, now: datetime) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_started = None

    def record_failure(self, now: datetime) -> None:
        with self._lock:
            self._failures += 1
            self._trial_started = None
            if self._opened_at is not None or self._failures >= self.threshold:
                self._opened_at = now

    def _state(self, now: datetime) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        return "open" if now - self._opened_at < self.cooldown else "half-open"
