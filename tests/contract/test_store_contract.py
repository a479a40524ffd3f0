"""The Store contract: every adapter (memory, SQLite, PostgreSQL) must pass all of it."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from hangat.domain.booking import Booking
from hangat.domain.catalog import Product, Review
from hangat.domain.conversation import EventKind, NewEvent, fold
from hangat.domain.customer import Customer, StaffMember
from hangat.domain.order import Order, OrderLine
from hangat.errors import Conflict, InputError, NotFound
from hangat.ports import Store, UpsertCounts


def product(i: int, **kw: object) -> Product:
    base: dict[str, object] = {
        "external_id": f"p{i}",
        "title": f"Sepatu lari {i}",
        "description": "ringan dan nyaman",
        "category_path": ("Marketplace", "Sport"),
        "brand": "Adidas" if i % 2 else "Nike",
        "price": Decimal("150000.00") + i,
        "currency": "IDR",
        "attributes": {"size": [40, 41], "colour": "merah"},
        "stock": i,
        "rating": 4.5,
        "units_sold": 100 - i,
        "language": "id",
    }
    base.update(kw)
    return Product(**base)  # type: ignore[arg-type]


def test_products_round_trip_every_field(store: Store) -> None:
    p = product(1, image_url="https://img.example/p1.jpg")
    assert store.upsert_products([p]) == UpsertCounts(inserted=1, updated=0)
    got = store.get_product("p1")
    assert got == p
    assert got.department == "Marketplace"


def test_upsert_is_idempotent_and_updates(store: Store) -> None:
    store.upsert_products([product(1), product(2)])
    counts = store.upsert_products([product(1, title="Sepatu baru"), product(3)])
    assert counts == UpsertCounts(inserted=1, updated=1)
    assert store.get_product("p1").title == "Sepatu baru"
    assert store.counts()["products"] == 3
    assert store.upsert_products([product(1, title="Sepatu baru")]) == UpsertCounts(0, 1)
    assert store.counts()["products"] == 3


def test_unknown_product_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.get_product("nope")
    assert store.get_products(["nope"]) == []


def test_list_and_categories(store: Store) -> None:
    store.upsert_products([product(i) for i in range(1, 6)])
    store.upsert_products(
        [
            product(
                10,
                title="Ground coffee 12 oz",
                category_path=("Grocery", "Coffee"),
                brand="Private",
                description="",
                language="en",
                units_sold=500,
            ),
            product(
                11,
                title="Coffee filters",
                category_path=("Grocery", "Coffee filters"),
                brand="National",
                description="",
                language="en",
                units_sold=50,
            ),
        ]
    )
    assert [p.external_id for p in store.list_products(limit=2)] == ["p10", "p1"]
    assert {p.external_id for p in store.list_products("Grocery")} == {"p10", "p11"}
    assert [p.external_id for p in store.list_products("Grocery > Coffee")] == ["p10"]
    assert store.categories() == [("Grocery", 2), ("Marketplace", 5)]
    assert ("Grocery > Coffee filters", 1) in store.categories(depth=2)


def test_reviews(store: Store) -> None:
    store.upsert_products([product(1)])
    reviews = [
        Review("r1", "p1", 5, "mantap", "Pembeli 1", date(2024, 1, 2), "id"),
        Review("r2", "p1", 2, "kurang", "Pembeli 2", None, "id"),
    ]
    assert store.upsert_reviews(reviews) == UpsertCounts(2, 0)
    assert [r.external_id for r in store.reviews_for("p1")] == ["r1", "r2"]
    assert store.reviews_for("p1")[0] == reviews[0]
    with pytest.raises(Conflict):
        store.upsert_reviews([Review("r3", "ghost", 5, "?", "", None, "id")])
    assert store.counts()["reviews"] == 2


def test_customers_orders_and_line_replacement(store: Store) -> None:
    store.upsert_products([product(1), product(2)])
    when = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    o = Order("o1", "c1", when, (OrderLine("p1", 2, Decimal("10.50")),), "USD")
    counts = store.upsert_orders([o], [Customer("c1", "Household 1", "en", {"size": 2})])
    assert counts == UpsertCounts(1, 0)
    assert store.get_customer("c1").profile == {"size": 2}
    assert store.orders_for("c1") == [o]
    jakarta = datetime.fromisoformat("2024-07-01T09:30:00+07:00")
    store.upsert_orders([Order("o9", "c1", jakarta, (), "IDR")])
    assert store.orders_for("c1")[0].placed_at == jakarta  # the same instant, whatever the offset
    assert store.orders_for("c1")[0].placed_at.utcoffset() is not None
    assert o.total == Decimal("21.00")
    o2 = Order("o1", "c1", when, (OrderLine("p2", 1, Decimal("3.00")),), "USD")
    assert store.upsert_orders([o2]) == UpsertCounts(0, 1)
    assert store.orders_for("c1")[1] == o2
    assert store.counts()["order_lines"] == 1
    with pytest.raises(Conflict):
        store.upsert_orders([Order("o2", "c1", when, (OrderLine("ghost", 1, Decimal(1)),), "USD")])
    with pytest.raises(Conflict):
        store.upsert_orders([Order("o3", "nobody", when, (), "USD")])
    assert store.counts()["orders"] == 2
    assert [c.external_id for c in store.list_customers()] == ["c1"]


def test_every_customers_orders_by_time(store: Store) -> None:
    store.upsert_products([product(1)])
    start = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    line = (OrderLine("p1", 1, Decimal("1.00")),)
    people = [Customer(f"c{i}", f"Household {i}", "en", {}) for i in range(3)]
    orders = [Order(f"o{i}", f"c{i % 3}", start + timedelta(hours=i), line, "USD") for i in range(7)]
    same_time = Order("o0b", "c2", start, line, "USD")  # as early as o0: the id breaks the tie
    store.upsert_orders([*reversed(orders), same_time], people)
    every = store.orders_placed()
    assert [o.external_id for o in every] == ["o0", "o0b", "o1", "o2", "o3", "o4", "o5", "o6"]
    assert every[2].lines == line and every[2].customer_id == "c1"
    jakarta = timezone(timedelta(hours=7))  # the same instant as 14:00 UTC, whatever the offset
    since = store.orders_placed(since=datetime(2024, 5, 1, 21, 0, tzinfo=jakarta))
    assert [o.external_id for o in since] == ["o4", "o5", "o6"]
    page = store.orders_placed(limit=3, offset=3)
    assert [o.external_id for o in page] == ["o2", "o3", "o4"]
    assert store.orders_placed(since=start + timedelta(days=1)) == []
    with pytest.raises(NotFound):
        store.get_customer("c9")


def test_order_delivery_fields_round_trip(store: Store) -> None:
    store.upsert_products([product(1)])
    when = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    late = Order("o5", "c5", when, (OrderLine("p1", 1, Decimal(5)),), "IDR", "shipped",
                 promised_on=date(2026, 11, 25), tracking="JNE-123")  # fmt: skip
    store.upsert_orders([late], [Customer("c5", "Ayu")])
    got = store.orders_for("c5")[0]
    assert got == late
    assert got.is_late(date(2026, 11, 28)) and not got.is_late(date(2026, 11, 24))
    done = Order("o6", "c5", when, (), "IDR", "delivered", date(2026, 11, 20), date(2026, 11, 19))
    store.upsert_orders([done])
    got_done = next(o for o in store.orders_for("c5") if o.external_id == "o6")
    assert got_done == done and not got_done.is_late(date(2026, 12, 30))


def test_bookings_hold_a_slot_once(store: Store) -> None:
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    first = Booking("b1", "setup", "staff-dewi", start, 60, "conv-1", None)
    assert store.hold_booking(first) == first
    with pytest.raises(Conflict):  # the same person, an overlapping time
        store.hold_booking(Booking("b2", "install", "staff-dewi", start + timedelta(minutes=30), 90))
    other = store.hold_booking(Booking("b3", "setup", "staff-budi", start, 60))
    after = store.hold_booking(Booking("b4", "setup", "staff-dewi", start + timedelta(minutes=60), 60))
    found = store.bookings_between(start, start + timedelta(hours=3))
    assert {b.external_id for b in found} == {"b1", "b3", "b4"}
    assert found[0].starts_at == start and other in found and after in found
    assert store.bookings_between(start + timedelta(hours=3), start + timedelta(hours=4)) == []
    assert store.counts()["bookings"] == 3


def test_concurrent_bookings_of_one_slot_have_one_winner(store: Store) -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    wins: list[str] = []
    errors: list[Exception] = []

    def grab(i: int) -> None:
        try:
            held = store.hold_booking(Booking(f"race{i}", "setup", "staff-sarah", start, 60))
            wins.append(held.external_id)
        except Conflict as exc:
            errors.append(exc)

    threads = [threading.Thread(target=grab, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(wins) == 1 and len(errors) == 5


def test_staff(store: Store) -> None:
    s = StaffMember("s1", "Dewi", "sales", ("id", "en"), True)
    store.upsert_staff([s])
    assert store.list_staff() == [s]


def test_conversation_event_log_is_ordered_and_idempotent(store: Store) -> None:
    store.upsert_customers([Customer("c1")])
    conv = store.open_conversation("conv-1", "c1", "id")
    assert store.open_conversation("conv-1", "c1", "id") == conv
    first = store.append_events(
        "conv-1",
        [NewEvent(EventKind.SHOPPER_SAID, {"text": "cari sepatu", "language": "id"})],
        "k1",
    )
    again = store.append_events("conv-1", [NewEvent(EventKind.SHOPPER_SAID, {"text": "cari sepatu"})], "k1")
    assert again == first
    store.append_events(
        "conv-1",
        [
            NewEvent(EventKind.PRODUCTS_SHOWN, {"product_ids": ["p1", "p2"]}),
            NewEvent(EventKind.ASSISTANT_SAID, {"text": "Ini dua pilihan."}),
        ],
        "k2",
    )
    events = store.events("conv-1")
    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.kind for e in events] == [
        EventKind.SHOPPER_SAID,
        EventKind.PRODUCTS_SHOWN,
        EventKind.ASSISTANT_SAID,
    ]
    assert events[0].created_at.tzinfo is not None
    assert [e.seq for e in store.events("conv-1", after_seq=2)] == [3]
    state = fold(events)
    assert (state.turns, state.language, state.last_products) == (1, "id", ("p1", "p2"))


def test_conversation_errors(store: Store) -> None:
    with pytest.raises(NotFound):
        store.append_events("ghost", [NewEvent(EventKind.SHOPPER_SAID, {})], "k")
    with pytest.raises(NotFound):
        store.events("ghost")
    with pytest.raises(NotFound):
        store.open_conversation("c", "no-such-customer", "en")
    store.open_conversation("c", None, "en")
    for bad in ("", "has space", "x#y", "k" * 201):
        with pytest.raises(InputError):
            store.append_events("c", [NewEvent(EventKind.SHOPPER_SAID, {})], bad)
    assert store.events("c") == []


def test_concurrent_appends_get_distinct_sequence_numbers(store: Store) -> None:
    store.open_conversation("busy", None, "en")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for j in range(5):
                store.append_events("busy", [NewEvent(EventKind.SHOPPER_SAID, {"n": n, "j": j})], f"w{n}-{j}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [e.seq for e in store.events("busy")] == list(range(1, 21))


def test_product_embeddings_per_model(store: Store) -> None:
    store.upsert_products([product(1), product(2)])
    vec = bytes(range(16))
    assert store.put_embeddings("m1", [("p1", "h1", vec), ("p2", "h2", vec[::-1])]) == 2
    store.put_embeddings("m1", [("p1", "h1b", vec[::-1])])
    store.put_embeddings("m2", [("p1", "x", vec)])
    assert store.embedding_hashes("m1") == {"p1": "h1b", "p2": "h2"}
    assert store.load_embeddings("m1") == [("p1", vec[::-1]), ("p2", vec[::-1])]
    assert store.load_embeddings("m2") == [("p1", vec)]
    with pytest.raises(Conflict):
        store.put_embeddings("m1", [("ghost", "h", vec)])
    assert [p.external_id for p in store.all_products()] == ["p1", "p2"]


def test_catalog_version_changes_with_the_catalog(store: Store) -> None:
    first = store.catalog_version()
    store.upsert_products([product(1)])
    second = store.catalog_version()
    assert second != first
    store.put_embeddings("m", [("p1", "h", b"\x00" * 8)])
    assert store.catalog_version() != second
    assert store.catalog_version() == store.catalog_version()
