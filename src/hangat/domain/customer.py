"""The people: customers (shoppers, households) and the store's staff members."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Customer:
    """A shopper or household known to the store."""

    external_id: str
    display_name: str = ""
    language: str = ""
    profile: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StaffMember:
    """A person who can take over conversations (sales associate, support agent)."""

    external_id: str
    first_name: str
    role: str = "agent"
    languages: tuple[str, ...] = ("en", "id")
    active: bool = True


@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member's console session; the cookie holds a token, the store its hash."""

    token_hash: str
    staff_id: str
    csrf: str
    created_at: datetime
    expires_at: datetime
    seen_at: datetime
