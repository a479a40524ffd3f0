"""Reorder from the next-basket model: the household's usual items with how often and when due,
in both languages; households the model does not know fall back to plain purchase frequency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from hangat.assistant import Assistant, build_assistant
from hangat.domain.catalog import Product
from hangat.domain.customer import Customer
from hangat.domain.order import Order, OrderLine
from hangat.settings import Settings

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Assistant]:
    a = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="k"))
    names = ["Kopi bubuk 200g", "Susu UHT 1L", "Roti tawar", "Telur 10 butir", "Gula pasir 1kg", "Teh celup"]
    a.store.upsert_products(
        [Product(f"g{i}", n, price=Decimal(10_000 + i), language="id") for i, n in enumerate(names)]
    )
    orders = []
    for h in range(12):  # twelve households, each with a weekly habit and a monthly one
        for week in range(16):
            day = NOW - timedelta(days=7 * (16 - week) + h % 3)
            lines = [
                OrderLine(f"g{h % 3}", 1, Decimal(10_000)),
                OrderLine(f"g{3 + week % 3}", 1, Decimal(9_000)),
            ]
            if week % 4 == 0:
                lines.append(OrderLine("g5", 1, Decimal(5_000)))
            orders.append(Order(f"o{h}-{week}", f"h{h}", day, tuple(lines)))
    a.store.upsert_orders(orders, [Customer(f"h{h}", f"Household {h}") for h in range(12)])
    yield a
    a.close()


def test_reorder_uses_the_trained_model_with_reasons_in_both_languages(shop: Assistant) -> None:
    before = shop.handle_message("b1", "what do I usually buy?", "k1", "h0", None, NOW).reply
    assert before.actions[0].get("model") is None  # not trained yet: plain purchase frequency
    assert shop.train_recommender() == 12
    en = shop.handle_message("r1", "what do I usually buy?", "k1", "h0", None, NOW).reply
    assert en.actions[0]["model"] == "next_basket"
    weekly = next(c for c in en.products if c.product.external_id == "g0")  # bought every single week
    assert "you buy this about every 1 week" in weekly.reason or "every 7 days" in weekly.reason
    assert "probably due now" in weekly.reason  # a week after its last order, as of the turn
    id_ = shop.handle_message("r2", "biasanya saya beli apa?", "k1", "h0", None, NOW).reply
    assert "Anda membeli ini kira-kira tiap" in id_.products[0].reason
    assert all("you buy" not in c.reason for c in id_.products)


def test_a_household_the_model_does_not_know_gets_its_frequency(shop: Assistant) -> None:
    shop.train_recommender()
    shop.store.upsert_orders(
        [
            Order("new-1", "h99", NOW - timedelta(days=3), (OrderLine("g1", 1, Decimal(10_000)),)),
            Order("new-2", "h99", NOW - timedelta(days=1), (OrderLine("g1", 1, Decimal(10_000)),)),
        ],
        [Customer("h99", "Baru")],
    )
    reply = shop.handle_message("n1", "what do I usually buy?", "k1", "h99", None, NOW).reply
    assert reply.actions[0].get("model") is None and reply.products[0].product.external_id == "g1"


def test_new_orders_reach_the_model_by_a_refresh_without_training(shop: Assistant) -> None:
    shop.train_recommender()
    learned = shop.recommender
    assert learned is not None
    assert shop.refresh_recommender() == 0  # nothing new
    shop.store.upsert_orders(
        [
            Order("new-1", "h99", NOW - timedelta(days=3), (OrderLine("g1", 1, Decimal(10_000)),)),
            Order("new-2", "h99", NOW - timedelta(hours=5), (OrderLine("g1", 1, Decimal(10_000)),)),
            Order("h0-today", "h0", NOW - timedelta(hours=2), (OrderLine("g5", 1, Decimal(5_000)),)),
        ],
        [Customer("h99", "Baru")],
    )
    assert shop.refresh_recommender() == 3
    fresh = shop.recommender
    assert fresh is not learned and fresh is not None and fresh.model.model is learned.model.model
    reply = shop.handle_message("n1", "what do I usually buy?", "k1", "h99", None, NOW).reply
    assert reply.actions[0]["model"] == "next_basket"  # the new household is known now
    shown = [c.product.external_id for c in reply.products]
    assert shown and "g1" not in shown  # bought five hours ago: they still have it
    # bought two hours ago: h0 surely still has it, so it is not offered (it was, before)
    assert "g5" in {s.item for s in learned.next_basket("h0", k=6)}
    assert "g5" not in {s.item for s in fresh.next_basket("h0", k=6)}
    assert fresh.due.last[fresh.index["h0"]][fresh.histories.items.index("g5")] > learned.histories.today
    assert shop.refresh_recommender() == 0  # the same orders are not counted twice


def test_the_trained_model_is_saved_and_a_new_process_answers_from_it(
    shop: Assistant, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from hangat.cli import app

    runner = CliRunner()
    done = runner.invoke(app, ["train", "recommend", "--data-dir", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert "Trained on 12 households" in done.output and shop.recommender_file.is_file()
    fresh = build_assistant(Settings(data_dir=tmp_path, embedder="none", secret_key="k"))
    try:
        assert fresh.recommender is None and fresh.load_recommender()
        reply = fresh.handle_message("s1", "what do I usually buy?", "k1", "h0", None, NOW).reply
        assert reply.actions[0]["model"] == "next_basket" and "g0" in {
            c.product.external_id for c in reply.products
        }
    finally:
        fresh.close()
    shop.recommender_file.write_bytes(b"not a model")  # an unreadable file: train afresh, never fail
    assert not shop.load_recommender()
    shop.train_recommender()
    assert shop.recommender is not None
    shop.recommender.format = 1  # as saved by an older hangat, whose layout this one cannot read
    shop.save_recommender()
    shop.recommender = None
    assert not shop.load_recommender() and shop.recommender is None


def test_without_orders_there_is_nothing_to_train(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from hangat.cli import app

    done = CliRunner().invoke(app, ["train", "recommend", "--data-dir", str(tmp_path / "empty")])
    assert done.exit_code == 1 and "needs orders" in done.output


def test_a_known_household_asking_for_suggestions_gets_what_households_like_it_buy(shop: Assistant) -> None:
    shop.train_recommender()
    reply = shop.handle_message("s1", "ada rekomendasi?", "k1", "h0", None, NOW).reply
    assert reply.actions[0].get("people_like_you") is True, reply.actions
    bought = {line.product_id for o in shop.store.orders_for("h0", limit=100) for line in o.lines}
    shown = [c.product.external_id for c in reply.products]
    assert shown and not set(shown) & bought  # only what the household has not bought
    assert all("Sering dibeli rumah tangga yang belanjanya mirip Anda" in c.reason for c in reply.products)
    assert "Rumah tangga yang belanjanya mirip Anda sering membeli ini" in reply.text
    guest = shop.handle_message("s2", "ada rekomendasi?", "k2", None, None, NOW).reply
    assert guest.actions[0].get("popular") is True  # a guest gets the best sellers


def test_reminders_with_consent_only_once_a_week_and_a_stop(shop: Assistant) -> None:
    import json

    from hangat.domain.conversation import EventKind

    shop.train_recommender()
    offered = shop.handle_message("m1", "biasanya saya beli apa?", "k1", "h0", None, NOW).reply
    assert "Mau saya ingatkan kalau barang yang rutin Anda beli" in offered.text  # asked once, after reorder
    assert "saya akan mengingatkan" in shop.handle_message("m1", "ya", "k2", "h0", None, NOW).reply.text
    assert shop.store.consenting("reminders") == ["h0"]
    sent = shop.send_reminders(NOW)
    assert sent["sent"] == 1, sent
    note = [c for c in shop.store.conversations_for("h0") if c.external_id.startswith("reminder-")]
    assert len(note) == 1 and "h0" not in note[0].external_id  # the id names no one
    events = shop.store.events(note[0].external_id)
    said = next(e for e in events if e.kind is EventKind.ASSISTANT_SAID)
    assert said.payload["text"].startswith("Kemungkinan sebentar lagi habis: ")
    hooks = [h for h in shop.store.due_webhooks(NOW + timedelta(days=1)) if h.type == "conversation.reminder"]
    assert len(hooks) == 1 and hooks[0].body["customer_id"] == "h0"
    assert json.dumps(hooks[0].body["message"]["items"])  # what to deliver, for the store's channel
    assert shop.send_reminders(NOW)["sent"] == 0  # the same day again: nothing twice
    assert shop.send_reminders(NOW + timedelta(days=3))["recently_reminded"] == 1  # once a week at most
    # the shopper answers in that conversation: the products shown go to the cart
    added = shop.handle_message(
        note[0].external_id, "masukkan semua ke keranjang", "k3", "h0", None, NOW
    ).reply
    assert added.actions[0]["type"] == "cart_add", added.actions
    off = shop.handle_message(note[0].external_id, "stop pengingat", "k4", "h0", None, NOW).reply
    assert "tidak ada pengingat lagi" in off.text
    assert shop.store.consenting("reminders") == []
    assert shop.send_reminders(NOW + timedelta(days=30))["consenting"] == 0
    # a household that never said yes gets none
    assert not [c for c in shop.store.conversations_for("h1") if c.external_id.startswith("reminder-")]
