"""Staff accounts for the console: passwords hashed with argon2 (``argon2-cffi``), server-side
sessions (the cookie holds a random token; the store keeps only its SHA-256), and a CSRF token per
session that every form must echo. Roles: ``agent`` (queue and conversations) and ``admin``."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hangat.domain.customer import StaffMember, StaffSession
from hangat.errors import InputError, NotFound
from hangat.ports import Clock, Store, check_identifier

ROLES = ("agent", "admin")
MIN_PASSWORD = 10
SESSION_HOURS = 12


@dataclass(frozen=True)
class SignedIn:
    """A valid session and the staff member it belongs to."""

    session: StaffSession
    staff: StaffMember

    @property
    def admin(self) -> bool:
        return self.staff.role == "admin"


class Accounts:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._hasher = PasswordHasher()

    def add(
        self, staff_id: str, first_name: str, password: str, role: str = "agent",
        languages: tuple[str, ...] = ("en", "id"),
    ) -> StaffMember:  # fmt: skip
        """Create (or update) a staff member and set their password."""
        check_identifier(staff_id, "staff id", limit=100)
        if role not in ROLES:
            raise InputError(f"role must be one of {ROLES}, not {role!r}")
        if not first_name.strip() or len(first_name) > 100:
            raise InputError("the first name must be 1-100 characters")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"the password must be at least {MIN_PASSWORD} characters")
        if not languages or any(lang not in ("en", "id") for lang in languages):
            raise InputError("languages must be 'en' and/or 'id'")
        member = StaffMember(staff_id, first_name.strip(), role, tuple(languages))
        self.store.upsert_staff([member])
        self.store.set_staff_password(staff_id, self._hasher.hash(password))
        return member

    def sign_in(self, staff_id: str, password: str) -> tuple[str, SignedIn] | None:
        """A new session token for the right password of an active staff member, else ``None``."""
        member = self._member(staff_id)
        stored = self.store.staff_password(staff_id) if member is not None else None
        try:
            self._hasher.verify(stored or _dummy(self._hasher), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if member is None or stored is None or not member.active:
            return None
        if self._hasher.check_needs_rehash(stored):
            self.store.set_staff_password(staff_id, self._hasher.hash(password))
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        session = StaffSession(
            _digest(token), member.external_id, secrets.token_urlsafe(32), now,
            now + timedelta(hours=SESSION_HOURS), now,
        )  # fmt: skip
        self.store.open_session(session)
        return token, SignedIn(session, member)

    def signed_in(self, token: str | None) -> SignedIn | None:
        """The session of a cookie's token, if it is valid and its staff member still active."""
        if not token or len(token) > 200:
            return None
        session = self.store.get_session(_digest(token), self.clock.now())
        if session is None:
            return None
        member = self._member(session.staff_id)
        if member is None or not member.active:
            return None
        return SignedIn(session, member)

    def sign_out(self, token: str | None) -> None:
        if token and len(token) <= 200:
            self.store.close_session(_digest(token))

    def staff(self, staff_id: str) -> StaffMember:
        member = self._member(staff_id)
        if member is None:
            raise NotFound("staff member", staff_id)
        return member

    def _member(self, staff_id: str) -> StaffMember | None:
        return next((s for s in self.store.list_staff() if s.external_id == staff_id), None)


def csrf_ok(signed: SignedIn, sent: str | None) -> bool:
    """Whether a form's CSRF field matches its session's token (constant-time)."""
    return bool(sent) and hmac.compare_digest(signed.session.csrf.encode(), str(sent).encode())


_DUMMY: list[str] = []


def _dummy(hasher: PasswordHasher) -> str:
    """A hash to verify against for unknown ids, so they cost the same time as known ones."""
    if not _DUMMY:
        _DUMMY.append(hasher.hash(secrets.token_hex(16)))
    return _DUMMY[0]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
