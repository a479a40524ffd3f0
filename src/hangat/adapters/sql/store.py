"""The SQL implementation of the :class:`~hangat.ports.Store` port (SQLite and PostgreSQL).

Each public write is one transaction. Foreign exceptions become hangat errors at this edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    Table,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from hangat.adapters.sql import rows, tables
from hangat.adapters.sql.engine import make_engine
from hangat.adapters.sql.migrate import upgrade
from hangat.adapters.sql.personal import PersonalData
from hangat.domain.booking import Booking
from hangat.domain.catalog import CATEGORY_SEPARATOR, Product, Review
from hangat.domain.conversation import Conversation, Event, NewEvent
from hangat.domain.customer import Customer, StaffMember, StaffSession
from hangat.domain.handoff import RELEVANT, WEBHOOK_TYPES, Handoff, Outbound, advance, outbound
from hangat.domain.order import Order
from hangat.errors import Conflict, NotFound, OwnershipConflict, StorageError
from hangat.ports import UpsertCounts, check_idempotency_key

CHUNK = 500
SEEN_EVERY = 30  # seconds between updates of a session's "last seen" (staff presence)


class SqlStore(PersonalData):
    """Storage on SQLite or PostgreSQL; the schema is migrated to the latest on open."""

    def __init__(self, engine: Engine, migrate: bool = True) -> None:
        self.engine = engine
        if migrate:
            with self._translated():
                upgrade(engine)

    @classmethod
    def from_url(cls, url: str, migrate: bool = True) -> SqlStore:
        return cls(make_engine(url), migrate=migrate)

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError as exc:
            raise Conflict(f"the write contradicts stored data: {exc.orig}") from exc
        except OperationalError as exc:
            raise StorageError(f"database error: {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"database error: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._translated(), self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._translated(), self.engine.connect() as conn:
            yield conn

    def _insert(self, table: Table) -> Any:
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def _upsert(self, conn: Connection, table: Table, values: Sequence[dict[str, Any]]) -> UpsertCounts:
        if not values:
            return UpsertCounts()
        key = table.c.external_id
        unique = {v["external_id"]: v for v in values}  # the last row for an id wins
        existing = _existing(conn, key, unique)
        stmt = self._insert(table)
        columns = [c.name for c in table.columns if c.name != "external_id"]
        stmt = stmt.on_conflict_do_update(index_elements=[key], set_={c: stmt.excluded[c] for c in columns})
        conn.execute(stmt, list(unique.values()))
        return UpsertCounts(inserted=len(unique) - len(existing), updated=len(existing))

    # -- catalog --------------------------------------------------------------------------------

    def upsert_products(self, products: Sequence[Product]) -> UpsertCounts:
        now = datetime.now(UTC)
        with self._write() as conn:
            return self._upsert(conn, tables.products, [rows.product_row(p, now) for p in products])

    def get_product(self, external_id: str) -> Product:
        found = self.get_products([external_id])
        if not found:
            raise NotFound("product", external_id)
        return found[0]

    def get_products(self, external_ids: Sequence[str]) -> list[Product]:
        t = tables.products
        with self._read() as conn:
            got = {
                r.external_id: rows.product_from(r)
                for chunk in _chunks(list(dict.fromkeys(external_ids)))
                for r in conn.execute(select(t).where(t.c.external_id.in_(chunk)))
            }
        return [got[i] for i in external_ids if i in got]

    def existing_product_ids(self, external_ids: Iterable[str]) -> set[str]:
        with self._read() as conn:
            return _existing(conn, tables.products.c.external_id, list(external_ids))

    def list_products(self, category_prefix: str = "", limit: int = 24, offset: int = 0) -> list[Product]:
        t = tables.products
        query = select(t).where(_in_category(t, category_prefix))
        query = query.order_by(t.c.units_sold.desc().nulls_last(), t.c.external_id)
        with self._read() as conn:
            return [rows.product_from(r) for r in conn.execute(query.limit(limit).offset(offset))]

    def categories(self, depth: int = 1) -> list[tuple[str, int]]:
        t = tables.products
        with self._read() as conn:
            pairs = conn.execute(select(t.c.category, func.count()).group_by(t.c.category)).all()
        totals: dict[str, int] = {}
        for category, n in pairs:
            if not category:
                continue
            head = CATEGORY_SEPARATOR.join(category.split(CATEGORY_SEPARATOR)[:depth])
            totals[head] = totals.get(head, 0) + n
        return sorted(totals.items())

    def all_products(self) -> list[Product]:
        t = tables.products
        with self._read() as conn:
            return [rows.product_from(r) for r in conn.execute(select(t).order_by(t.c.external_id))]

    def catalog_version(self) -> str:
        """Changes whenever a product or an embedding is written (a cheap aggregate query)."""
        p, e = tables.products, tables.product_embeddings
        with self._read() as conn:
            count, latest = conn.execute(select(func.count(), func.max(p.c.updated_at))).one()
            vectors = conn.execute(select(func.count()).select_from(e)).scalar()
        return f"{count}:{latest}:{vectors}"

    def embedding_hashes(self, model: str) -> dict[str, str]:
        t = tables.product_embeddings
        query = select(t.c.product_id, t.c.text_hash).where(t.c.model == model)
        with self._read() as conn:
            return {pid: h for pid, h in conn.execute(query)}

    def put_embeddings(self, model: str, items: Sequence[tuple[str, str, bytes]]) -> int:
        t = tables.product_embeddings
        values = [{"product_id": p, "model": model, "text_hash": h, "vector": v} for p, h, v in items]
        if not values:
            return 0
        stmt = self._insert(t)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.product_id, t.c.model],
            set_={"text_hash": stmt.excluded.text_hash, "vector": stmt.excluded.vector},
        )
        with self._write() as conn:
            conn.execute(stmt, values)
        return len(values)

    def load_embeddings(self, model: str) -> list[tuple[str, bytes]]:
        t = tables.product_embeddings
        query = select(t.c.product_id, t.c.vector).where(t.c.model == model).order_by(t.c.product_id)
        with self._read() as conn:
            return [(pid, bytes(v)) for pid, v in conn.execute(query)]

    def upsert_reviews(self, reviews: Sequence[Review]) -> UpsertCounts:
        with self._write() as conn:
            return self._upsert(conn, tables.reviews, [rows.review_row(r) for r in reviews])

    def reviews_for(self, product_id: str, limit: int = 50) -> list[Review]:
        t = tables.reviews
        query = (
            select(t)
            .where(t.c.product_id == product_id)
            .order_by(t.c.reviewed_on.desc().nulls_last(), t.c.external_id)
            .limit(limit)
        )
        with self._read() as conn:
            return [rows.review_from(r) for r in conn.execute(query)]

    # -- people and orders ----------------------------------------------------------------------

    def upsert_customers(self, customers: Sequence[Customer]) -> UpsertCounts:
        with self._write() as conn:
            return self._upsert(conn, tables.customers, [rows.customer_row(c) for c in customers])

    def get_customer(self, external_id: str) -> Customer:
        t = tables.customers
        with self._read() as conn:
            r = conn.execute(select(t).where(t.c.external_id == external_id)).first()
        if r is None:
            raise NotFound("customer", external_id)
        return rows.customer_from(r)

    def list_customers(self, limit: int = 100, offset: int = 0) -> list[Customer]:
        t = tables.customers
        query = select(t).order_by(t.c.external_id).limit(limit).offset(offset)
        with self._read() as conn:
            return [rows.customer_from(r) for r in conn.execute(query)]

    def upsert_orders(self, orders: Sequence[Order], customers: Sequence[Customer] = ()) -> UpsertCounts:
        with self._write() as conn:
            if customers:
                self._upsert(conn, tables.customers, [rows.customer_row(c) for c in customers])
            unique = {o.external_id: o for o in orders}
            known = _existing(conn, tables.orders.c.external_id, unique)
            lines = tables.order_lines
            for chunk in _chunks(sorted(known)):
                conn.execute(delete(lines).where(lines.c.order_id.in_(chunk)))
            counts = self._upsert(conn, tables.orders, [rows.order_row(o) for o in unique.values()])
            line_values = [x for o in unique.values() for x in rows.line_rows(o)]
            if line_values:
                conn.execute(insert(lines), line_values)
            return counts

    def orders_for(self, customer_id: str, limit: int = 100) -> list[Order]:
        o = tables.orders
        query = select(o).where(o.c.customer_id == customer_id).order_by(o.c.placed_at.desc()).limit(limit)
        return self._orders(query)

    def orders_placed(self, since: datetime | None = None, limit: int = 1000, offset: int = 0) -> list[Order]:
        o = tables.orders
        query = select(o).order_by(o.c.placed_at, o.c.external_id).limit(limit).offset(offset)
        if since is not None:
            query = query.where(o.c.placed_at >= since.astimezone(UTC))
        return self._orders(query)

    def _orders(self, query: Select[Any]) -> list[Order]:
        """The orders ``query`` selects, in its order, each with its lines."""
        lines = tables.order_lines
        with self._read() as conn:
            heads = conn.execute(query).all()
            ids = [h.external_id for h in heads]
            by_order: dict[str, list[Any]] = {i: [] for i in ids}
            for chunk in _chunks(ids):
                for line in conn.execute(select(lines).where(lines.c.order_id.in_(chunk))):
                    by_order[line.order_id].append(line)
        return [rows.order_from(h, by_order[h.external_id]) for h in heads]

    def upsert_staff(self, staff: Sequence[StaffMember]) -> UpsertCounts:
        with self._write() as conn:
            return self._upsert(conn, tables.staff, [rows.staff_row(s) for s in staff])

    def list_staff(self) -> list[StaffMember]:
        t = tables.staff
        with self._read() as conn:
            return [rows.staff_from(r) for r in conn.execute(select(t).order_by(t.c.external_id))]

    # -- conversations --------------------------------------------------------------------------

    def hold_booking(self, booking: Booking) -> Booking:
        t = tables.bookings
        start, end = booking.starts_at, booking.ends_at
        with self._write() as conn:
            window = start - timedelta(hours=12), end
            near = conn.execute(
                select(t).where(t.c.staff_id == booking.staff_id, t.c.starts_at.between(*window))
            ).all()
            if any(rows.booking_from(r).overlaps(start, end) for r in near):
                raise Conflict(f"{booking.staff_id} is already booked at {start.isoformat()}")
            conn.execute(insert(t).values(rows.booking_row(booking, datetime.now(UTC))))
        return booking

    def bookings_between(self, start: datetime, end: datetime) -> list[Booking]:
        t = tables.bookings
        query = select(t).where(t.c.starts_at < end, t.c.starts_at >= start - timedelta(hours=12))
        with self._read() as conn:
            found = [rows.booking_from(r) for r in conn.execute(query.order_by(t.c.starts_at))]
        return [b for b in found if b.overlaps(start, end)]

    def open_conversation(self, external_id: str, customer_id: str | None, language: str) -> Conversation:
        t = tables.conversations
        with self._write() as conn:
            r = conn.execute(select(t).where(t.c.external_id == external_id)).first()
            if r is not None:
                return rows.conversation_from(r)
            values = {
                "external_id": external_id,
                "customer_id": customer_id,
                "language": language,
                "created_at": datetime.now(UTC),
            }
            if customer_id is not None:
                c = tables.customers.c
                if conn.execute(select(c.external_id).where(c.external_id == customer_id)).first() is None:
                    raise NotFound("customer", customer_id)
            stmt = self._insert(t).on_conflict_do_nothing(index_elements=[t.c.external_id])
            conn.execute(stmt, values)
            r = conn.execute(select(t).where(t.c.external_id == external_id)).one()
            return rows.conversation_from(r)

    def get_conversation(self, external_id: str) -> Conversation:
        t = tables.conversations
        with self._read() as conn:
            r = conn.execute(select(t).where(t.c.external_id == external_id)).first()
        if r is None:
            raise NotFound("conversation", external_id)
        return rows.conversation_from(r)

    def append_events(
        self, conversation_id: str, events: Sequence[NewEvent], idempotency_key: str
    ) -> list[Event]:
        check_idempotency_key(idempotency_key)
        for _attempt in range(5):
            try:
                return self._append_once(conversation_id, events, idempotency_key)
            except OwnershipConflict:
                raise
            except Conflict:
                continue  # a concurrent writer took the same sequence number; read and retry
        raise StorageError(f"could not append to conversation {conversation_id!r}")

    def _append_once(self, conversation_id: str, events: Sequence[NewEvent], key: str) -> list[Event]:
        t = tables.conversation_events
        with self._write() as conn:
            conv = tables.conversations
            lock = select(conv).where(conv.c.external_id == conversation_id)
            found = conn.execute(lock.with_for_update()).first()  # serialises appends
            if found is None:
                raise NotFound("conversation", conversation_id)
            convo = rows.conversation_from(found)
            done = _written(conn, conversation_id, key)
            if done:
                return done
            last = conn.execute(
                select(func.max(t.c.seq)).where(t.c.conversation_id == conversation_id)
            ).scalar()
            now = datetime.now(UTC)
            values = [
                {
                    "conversation_id": conversation_id,
                    "seq": (last or 0) + i,
                    "kind": e.kind.value,
                    "payload": e.payload,
                    "idempotency_key": f"{key}#{i}",
                    "created_at": now,
                }
                for i, e in enumerate(events, start=1)
            ]
            if values:
                self._keep_handoff(conn, convo, events, values, now)
                conn.execute(insert(t), values)
            return _written(conn, conversation_id, key)

    def _keep_handoff(
        self, conn: Connection, convo: Conversation, events: Sequence[NewEvent],
        values: list[dict[str, Any]], now: datetime,
    ) -> None:  # fmt: skip
        """Advance the conversation's handoff through the new events (refusing what the owner
        state forbids) and queue their webhooks, in the appending transaction."""
        if not any(e.kind in RELEVANT or e.kind in WEBHOOK_TYPES for e in events):
            return
        h = tables.handoffs
        row = conn.execute(select(h).where(h.c.conversation_id == convo.external_id)).first()
        before = rows.handoff_from(row) if row is not None else None
        current = before
        who = (convo.external_id, convo.customer_id, convo.language)
        outbox = []
        for e, v in zip(events, values, strict=True):
            current = advance(current, e.kind, e.payload, now, v["seq"], who)
            hook = outbound(e.kind, current, v["seq"], now, e.payload)
            if hook is not None:
                outbox.append(rows.outbox_row(hook, now))
        if current is not None and current != before:
            record = rows.handoff_row(current)
            stmt = self._insert(h).values(record)
            update = {k: stmt.excluded[k] for k in record if k != "conversation_id"}
            conn.execute(stmt.on_conflict_do_update(index_elements=[h.c.conversation_id], set_=update))
        if outbox:  # a staff message changes no state, and still goes out
            o = tables.webhook_outbox
            conn.execute(self._insert(o).on_conflict_do_nothing(index_elements=[o.c.event_id]), outbox)

    # -- handoffs, staff sign-in, webhooks -------------------------------------------------------

    def handoff(self, conversation_id: str) -> Handoff | None:
        h = tables.handoffs
        with self._read() as conn:
            row = conn.execute(select(h).where(h.c.conversation_id == conversation_id)).first()
        return rows.handoff_from(row) if row is not None else None

    def handoffs(self, states: Sequence[str], limit: int = 200) -> list[Handoff]:
        h = tables.handoffs
        query = select(h).where(h.c.state.in_(list(states))).order_by(h.c.requested_at).limit(limit)
        with self._read() as conn:
            return [rows.handoff_from(r) for r in conn.execute(query)]

    def last_handler(self, customer_id: str) -> str | None:
        h = tables.handoffs
        query = (
            select(h.c.staff_id)
            .where(h.c.customer_id == customer_id, h.c.staff_id.is_not(None))
            .order_by(h.c.claimed_at.desc())
            .limit(1)
        )
        with self._read() as conn:
            return conn.execute(query).scalar()

    def set_staff_password(self, staff_id: str, password_hash: str) -> None:
        c = tables.staff_credentials
        with self._write() as conn:
            s = tables.staff.c
            if conn.execute(select(s.external_id).where(s.external_id == staff_id)).first() is None:
                raise NotFound("staff member", staff_id)
            values = {"staff_id": staff_id, "password_hash": password_hash, "updated_at": datetime.now(UTC)}
            stmt = self._insert(c).values(values)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[c.c.staff_id],
                    set_={k: stmt.excluded[k] for k in ("password_hash", "updated_at")},
                )
            )

    def staff_password(self, staff_id: str) -> str | None:
        c = tables.staff_credentials
        with self._read() as conn:
            return conn.execute(select(c.c.password_hash).where(c.c.staff_id == staff_id)).scalar()

    def open_session(self, session: StaffSession) -> None:
        with self._write() as conn:
            conn.execute(insert(tables.staff_sessions).values(rows.session_row(session)))

    def get_session(self, token_hash: str, now: datetime) -> StaffSession | None:
        t = tables.staff_sessions
        with self._write() as conn:
            row = conn.execute(select(t).where(t.c.token_hash == token_hash)).first()
            if row is None:
                return None
            found = rows.session_from(row)
            now = now.astimezone(UTC)
            if found.expires_at <= now:
                conn.execute(delete(t).where(t.c.token_hash == token_hash))
                return None
            if (now - found.seen_at).total_seconds() >= SEEN_EVERY:
                conn.execute(update(t).where(t.c.token_hash == token_hash).values(seen_at=now))
            return found

    def close_session(self, token_hash: str) -> None:
        t = tables.staff_sessions
        with self._write() as conn:
            conn.execute(delete(t).where(t.c.token_hash == token_hash))

    def staff_seen_since(self, since: datetime) -> set[str]:
        t = tables.staff_sessions
        with self._read() as conn:
            query = select(t.c.staff_id).where(t.c.seen_at >= since.astimezone(UTC))
            return set(conn.execute(query).scalars())

    def due_webhooks(self, now: datetime, limit: int = 50) -> list[Outbound]:
        o = tables.webhook_outbox
        query = (
            select(o)
            .where(o.c.delivered_at.is_(None), o.c.next_attempt_at <= now.astimezone(UTC))
            .order_by(o.c.id)
            .limit(limit)
        )
        with self._read() as conn:
            return [rows.outbox_from(r) for r in conn.execute(query)]

    def webhook_attempted(
        self, ident: int, delivered_at: datetime | None, retry_at: datetime | None, error: str = ""
    ) -> None:
        o = tables.webhook_outbox
        values: dict[str, Any] = {"attempts": o.c.attempts + 1, "last_error": error[:2000]}
        if delivered_at is not None:
            values["delivered_at"] = delivered_at.astimezone(UTC)
        if retry_at is not None:
            values["next_attempt_at"] = retry_at.astimezone(UTC)
        with self._write() as conn:
            conn.execute(update(o).where(o.c.id == ident).values(**values))

    def events(self, conversation_id: str, after_seq: int = 0) -> list[Event]:
        t = tables.conversation_events
        self.get_conversation(conversation_id)
        query = select(t).where(t.c.conversation_id == conversation_id, t.c.seq > after_seq).order_by(t.c.seq)
        with self._read() as conn:
            return [rows.event_from(r) for r in conn.execute(query)]

    # -- housekeeping ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        names = ["products", "reviews", "customers", "orders", "order_lines", "staff"]
        names += ["conversations", "conversation_events", "bookings", "handoffs", "webhook_outbox"]
        names += ["consents", "memory_facts"]
        with self._read() as conn:
            return {
                n: int(
                    conn.execute(select(func.count()).select_from(tables.metadata.tables[n])).scalar() or 0
                )
                for n in names
            }

    def close(self) -> None:
        self.engine.dispose()


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _existing(conn: Connection, key: Any, ids: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(ids))
    found: set[str] = set()
    for chunk in _chunks(wanted):
        found.update(conn.execute(select(key).where(key.in_(chunk))).scalars())
    return found


def _in_category(t: Table, prefix: str) -> Any:
    if not prefix:
        return literal(True)
    return or_(t.c.category == prefix, t.c.category.startswith(prefix + CATEGORY_SEPARATOR, autoescape=True))


def _written(conn: Connection, conversation_id: str, key: str) -> list[Event]:
    t = tables.conversation_events
    query = (
        select(t)
        .where(
            t.c.conversation_id == conversation_id,
            t.c.idempotency_key.startswith(key + "#", autoescape=True),
        )
        .order_by(t.c.seq)
    )
    return [rows.event_from(r) for r in conn.execute(query)]
