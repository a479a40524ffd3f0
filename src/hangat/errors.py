"""The one error tree of hangat.

Every error hangat raises on purpose is a :class:`HangatError`. Adapters translate foreign
exceptions (SQLAlchemy, psycopg, pyarrow, json) into these with ``raise X from exc``; the web
layer maps each class to one HTTP status in one place (``hangat.web.errors``)::

    HangatError
    ├── ConfigError            a setting is missing or has a bad value          (CLI exit 2)
    ├── InputError             the caller sent something malformed              (HTTP 422)
    │   ├── MessageTooLong     a chat message over the configured limit         (HTTP 413)
    │   └── IngestRejected     a file with invalid rows; nothing was written    (HTTP 422)
    ├── NotFound               an unknown id                                    (HTTP 404)
    ├── Unauthorized           no valid shopper token where one is needed       (HTTP 401)
    ├── Forbidden              a shopper asking for another shopper's data       (HTTP 403)
    ├── Conflict               a write that contradicts stored state            (HTTP 409)
    │   └── OwnershipConflict  a handoff step the owner state does not allow    (HTTP 409)
    ├── StorageError           the database failed or is unreachable            (HTTP 503)
    └── LanguageModelError     the language model failed or answered garbage    (caught: draft used)
        └── LanguageModelTimeout   no answer within the timeout                 (caught: draft used)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class HangatError(Exception):
    """Base class of every error hangat raises on purpose."""


class ConfigError(HangatError):
    """A setting is missing or has a bad value."""


class InputError(HangatError):
    """The caller sent something malformed (a bad file, a wrong type, a bad query)."""


class MessageTooLong(InputError):
    """A chat message is longer than ``Settings.max_message_chars``."""


class NotFound(HangatError):
    """An id that the store does not know."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"unknown {kind}: {ident!r}")
        self.kind = kind
        self.ident = ident


class Unauthorized(HangatError):
    """A request that needs a signed-in shopper came without a valid token (missing, bad, expired,
    or signed by another store). ``key`` names the message the shopper sees, in both languages."""

    def __init__(self, detail: str, key: str = "auth.sign_in") -> None:
        super().__init__(detail)
        self.key = key


class Forbidden(HangatError):
    """A shopper asking for something that belongs to another shopper."""

    def __init__(self, detail: str, key: str = "auth.not_yours") -> None:
        super().__init__(detail)
        self.key = key


class Conflict(HangatError):
    """A write that contradicts what is stored."""


class OwnershipConflict(Conflict):
    """A handoff step that the conversation's owner state does not allow: a second claim, a reply
    from someone who does not own it, the assistant speaking while a person does."""


class StorageError(HangatError):
    """The database failed or could not be reached."""


class LanguageModelError(HangatError):
    """The optional language model failed: unreachable, an HTTP error, or an unreadable answer.

    The phrasing guard catches it and uses the deterministic reply; it never reaches a shopper.
    """


class LanguageModelTimeout(LanguageModelError):
    """The language model did not answer within the time budget."""


@dataclass(frozen=True)
class RowError:
    """One invalid row of an ingest file: where it is and why it was refused."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class IngestRejected(InputError):
    """An ingest file had invalid rows and ``--skip-invalid`` was not given; nothing was written."""

    def __init__(self, path: str, errors: Sequence[RowError], total_invalid: int | None = None) -> None:
        self.path = path
        self.errors = list(errors)
        self.total_invalid = total_invalid if total_invalid is not None else len(self.errors)
        shown = "; ".join(str(e) for e in self.errors[:10])
        more = f" (and {self.total_invalid - 10} more)" if self.total_invalid > 10 else ""
        super().__init__(f"{path}: {self.total_invalid} invalid row(s), nothing was written: {shown}{more}")
