"""The circuit breaker: open after N failures in a row, one trial after the cool-down."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hangat.dialogue.breaker import CircuitBreaker

from .conftest import ManualClock


def test_it_opens_after_the_threshold_of_consecutive_failures(clock: ManualClock) -> None:
    breaker = CircuitBreaker(threshold=3, cooldown=timedelta(seconds=30))
    for _ in range(2):
        assert breaker.allow(clock.now())
        breaker.record_failure(clock.now())
    assert breaker.state(clock.now()) == "closed"
    breaker.record_failure(clock.now())
    assert breaker.state(clock.now()) == "open"
    assert not breaker.allow(clock.now())
    clock.advance(29.9)
    assert not breaker.allow(clock.now())


def test_a_success_resets_the_count(clock: ManualClock) -> None:
    breaker = CircuitBreaker(threshold=2)
    breaker.record_failure(clock.now())
    breaker.record_success(clock.now())
    breaker.record_failure(clock.now())
    assert breaker.state(clock.now()) == "closed" and breaker.failures == 1


def test_after_the_cool_down_one_trial_closes_it(clock: ManualClock) -> None:
    breaker = CircuitBreaker(threshold=1, cooldown=timedelta(seconds=10))
    breaker.record_failure(clock.now())
    clock.advance(10)
    assert breaker.state(clock.now()) == "half-open"
    assert breaker.allow(clock.now())
    assert not breaker.allow(clock.now()), "only one trial call at a time"
    breaker.record_success(clock.now())
    assert breaker.state(clock.now()) == "closed"
    assert breaker.allow(clock.now()) and breaker.allow(clock.now())


def test_a_failed_trial_opens_it_for_another_cool_down(clock: ManualClock) -> None:
    breaker = CircuitBreaker(threshold=3, cooldown=timedelta(seconds=10))
    for _ in range(3):
        breaker.record_failure(clock.now())
    clock.advance(10)
    assert breaker.allow(clock.now())
    breaker.record_failure(clock.now())  # one failure is enough while half-open
    assert breaker.state(clock.now()) == "open"
    clock.advance(9)
    assert not breaker.allow(clock.now())
    clock.advance(1)
    assert breaker.allow(clock.now())


def test_a_trial_that_never_reports_is_replaced_after_a_cool_down(clock: ManualClock) -> None:
    breaker = CircuitBreaker(threshold=1, cooldown=timedelta(seconds=10))
    breaker.record_failure(clock.now())
    clock.advance(10)
    assert breaker.allow(clock.now())
    clock.advance(5)
    assert not breaker.allow(clock.now())
    clock.advance(5)
    assert breaker.allow(clock.now())


@pytest.mark.parametrize(("threshold", "cooldown"), [(0, timedelta(seconds=1)), (1, timedelta(0))])
def test_bad_parameters_are_refused(threshold: int, cooldown: timedelta) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(threshold=threshold, cooldown=cooldown)
