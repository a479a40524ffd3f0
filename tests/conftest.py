"""Shared fixtures: a fresh SQLite file per test, and a PostgreSQL database created and dropped per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from hangat.adapters.sql.engine import scratch_postgres
from hangat.adapters.stores import open_store
from hangat.ports import Store

PG_ADMIN_URL = os.environ.get("HANGAT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hangat.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new PostgreSQL database on the local server, dropped after the test."""
    with scratch_postgres(PG_ADMIN_URL, "hangat_test") as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same contract, run against every store adapter."""
    if request.param == "memory":
        url = "memory:"
    elif request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        url = request.getfixturevalue("postgres_url")
    s = open_store(url)
    try:
        yield s
    finally:
        s.close()
