"""Retention with a moved clock, and the privacy commands (token, export, erase, purge) run as a
store's staff would, against a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hangat.assistant import Assistant, build_assistant
from hangat.cli import app
from hangat.domain.booking import Booking
from hangat.domain.catalog import Product
from hangat.domain.customer import Customer
from hangat.domain.order import Order, OrderLine
from hangat.domain.store_profile import parse_profile
from hangat.errors import ConfigError
from hangat.settings import Settings

runner = CliRunner()
START = datetime.now(UTC)  # the store stamps events with the real time; the purge's clock moves on


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def _assistant(path: Path) -> Assistant:
    a = build_assistant(Settings(data_dir=path, embedder="none"))  # secret.key: shared with the CLI
    a.store.upsert_products([Product("p1", "Sepatu lari", "", ("Sport",), price=Decimal(100_000))])
    a.store.upsert_customers([Customer("ana", "Ana")])
    return a


def test_each_kind_lapses_on_its_day(tmp_path: Path) -> None:
    a = _assistant(tmp_path)
    clock = Clock(START)
    a.clock = clock
    keys = iter(range(100))

    def say(convo: str, text: str, who: str | None = "ana") -> None:
        a.handle_message(convo, text, f"k{next(keys)}", who, None, clock.now())

    say("c-ana", "ukuran sepatu aku 39")
    say("c-ana", "ya")
    say("c-ana", "please keep answers short")  # style: kept 1095 days
    say("c-guest", "cari sepatu lari", None)
    assert sorted(f.kind for f in a.store.facts("ana")) == ["size", "style"]

    clock.at = START + timedelta(days=91)  # a guest's conversation lapses after 90 quiet days
    done = a.rights.purge()
    assert done["conversations"] == 1 and done["memory_facts"] == 0
    a.store.get_conversation("c-ana")

    clock.at = START + timedelta(days=366)  # the size lapses (365), the style does not
    assert a.rights.purge()["memory_facts"] == 1
    assert [f.kind for f in a.store.facts("ana")] == ["style"]

    clock.at = START + timedelta(days=731)  # the customer's conversation, 730 quiet days
    assert a.rights.purge()["conversations"] == 1
    assert a.store.conversations_for("ana") == [] and [f.kind for f in a.store.facts("ana")] == ["style"]
    a.close()


def test_a_store_profile_sets_lifetimes_and_refuses_nonsense() -> None:
    profile = parse_profile({"retention": {"size": 30, "anonymous_conversations": 7}})
    assert profile.retention_days["size"] == 30 and profile.retention_days["health"] == 365
    for bad in ({"size": 0}, {"size": "long"}, {"shoes": 10}):
        with pytest.raises(ConfigError):
            parse_profile({"retention": bad})


def test_privacy_commands(tmp_path: Path) -> None:
    a = _assistant(tmp_path)
    a.store.upsert_orders(
        [Order("o1", "ana", START, (OrderLine("p1", 1, Decimal(100_000)),), tracking="JNE1")]
    )
    a.handle_message("c-ana", "aku suka warna pastel", "k1", "ana")
    a.handle_message("c-ana", "boleh", "k2", "ana")
    a.store.hold_booking(
        Booking("bk-ana", "fitting", "s1", datetime(2026, 12, 5, 3, tzinfo=UTC), 30, "c-ana")
    )
    a.close()
    where = ["--data-dir", str(tmp_path)]

    token = runner.invoke(app, ["privacy", "token", "ana", "--minutes", "5", *where])
    assert token.exit_code == 0, token.output
    check = _assistant(tmp_path)
    assert check.shopper_from_token(token.output.strip()) == "ana"
    check.close()
    assert runner.invoke(app, ["privacy", "token", "nobody", *where]).exit_code == 1

    out = tmp_path / "ana.json"
    exported = runner.invoke(app, ["privacy", "export", "ana", "--out", str(out), *where])
    assert exported.exit_code == 0, exported.output
    document = json.loads(out.read_text())
    assert document["format"] == "hangat-export/1" and document["customer"]["id"] == "ana"
    assert [f["value"] for f in document["memory"]] == ["warna pastel"]
    assert document["consents"][0]["purpose"] == "personalisation" and document["consents"][0]["granted"]
    assert document["orders"][0]["tracking"] == "JNE1" and document["conversations"][0]["events"]
    assert set(document["purposes"]) >= {"personalisation", "sensitive", "orders"}
    assert [(b["external_id"], b["starts_at"]) for b in document["bookings"]] == [
        ("bk-ana", "2026-12-05T03:00:00+00:00")
    ]

    refused = runner.invoke(app, ["privacy", "erase", "ana", *where], input="n\n")
    assert refused.exit_code == 1
    erased = runner.invoke(app, ["privacy", "erase", "ana", "--yes", *where])
    assert erased.exit_code == 0, erased.output and "Erased ana" in erased.output
    assert runner.invoke(app, ["privacy", "export", "ana", *where]).exit_code == 1

    purged = runner.invoke(app, ["privacy", "purge", "--now", "2030-01-01T00:00Z", *where])
    assert purged.exit_code == 0, purged.output and "memory_facts" in purged.output
    assert runner.invoke(app, ["privacy", "purge", "--now", "2030-01-01T00:00", *where]).exit_code == 2
