"""Pick the store adapter by URL. An unknown scheme is an error, never a silent fallback."""

from __future__ import annotations

from hangat.errors import ConfigError
from hangat.ports import Store


def open_store(url: str, migrate: bool = True) -> Store:
    """``memory:``, ``sqlite:///path`` or ``postgresql://...``."""
    if url == "memory:":
        from hangat.adapters.memory.store import MemoryStore

        return MemoryStore()
    if url.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
        from hangat.adapters.sql.store import SqlStore

        return SqlStore.from_url(url, migrate=migrate)
    raise ConfigError(f"database_url: no store for {url!r}")
