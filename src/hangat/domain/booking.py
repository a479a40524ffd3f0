"""Service bookings: a slot of a service with one staff member, held for a shopper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Booking:
    external_id: str
    service: str
    staff_id: str
    starts_at: datetime
    minutes: int
    conversation_id: str | None = None
    customer_id: str | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.starts_at < end and start < self.ends_at
