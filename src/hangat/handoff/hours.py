"""The store's opening hours (``[hours]`` in the store profile, in its time zone): open now, and the
next opening. Written by hand: a week of fixed daily windows needs no scheduling library."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hangat.domain.store_profile import DAYS, StoreProfile


def is_open(now: datetime, profile: StoreProfile) -> bool:
    """Whether ``now`` falls inside today's opening window (a day with no hours is closed)."""
    local = now.astimezone(ZoneInfo(profile.timezone))
    window = profile.hours.get(DAYS[local.weekday()])
    return window is not None and window[0] <= local.time().replace(tzinfo=None) < window[1]


def next_opening(now: datetime, profile: StoreProfile) -> datetime | None:
    """When the store next opens after ``now`` (``now`` itself when open; ``None``: never open)."""
    if is_open(now, profile):
        return now
    zone = ZoneInfo(profile.timezone)
    local = now.astimezone(zone)
    for ahead in range(8):
        day = (local + timedelta(days=ahead)).date()
        window = profile.hours.get(DAYS[day.weekday()])
        if window is None:
            continue
        opens = datetime.combine(day, window[0], tzinfo=zone)
        if opens > now:
            return opens
    return None


def callback_slots(now: datetime, profile: StoreProfile, count: int = 3) -> list[datetime]:
    """The first ``count`` call-back times of ``callback_minutes`` from the next opening."""
    opens = next_opening(now, profile)
    if opens is None:
        return []
    step = timedelta(minutes=profile.handoff.callback_minutes)
    zone = ZoneInfo(profile.timezone)
    window = profile.hours.get(DAYS[opens.astimezone(zone).weekday()])
    slots: list[datetime] = []
    at = opens
    while len(slots) < count and window is not None and (at + step).astimezone(zone).time() <= window[1]:
        slots.append(at)
        at += step
    return slots
