"""The SQL side of personal data: consents, memory facts, erasure and retention.

A mixin of :class:`~hangat.adapters.sql.store.SqlStore`, kept apart because it is the part a
privacy review reads. Every method is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from hangat.adapters.sql import rows, tables
from hangat.domain.booking import Booking
from hangat.domain.conversation import Conversation
from hangat.domain.memory import KIND_PURPOSE, Consent, Fact, check_consent, check_fact
from hangat.errors import Conflict, NotFound


class PersonalData:
    """Consents, memory facts, a customer's erasure and the retention purge."""

    engine: Engine

    def _write(self) -> AbstractContextManager[Connection]:  # provided by SqlStore
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    # -- consent ----------------------------------------------------------------------------------

    def record_consent(self, consent: Consent) -> None:
        """Append a yes or a no; a no also erases the facts that purpose allowed."""
        check_consent(consent)
        with self._write() as conn:
            _known_customer(conn, consent.customer_id)
            conn.execute(insert(tables.consents), [rows.consent_row(consent)])
            if not consent.granted:
                kinds = [k for k, p in KIND_PURPOSE.items() if p == consent.purpose]
                f = tables.memory_facts.c
                conn.execute(delete(tables.memory_facts).where(f.customer_id == consent.customer_id,
                                                               f.kind.in_(kinds)))  # fmt: skip

    def consents(self, customer_id: str) -> list[Consent]:
        c = tables.consents.c
        query = select(tables.consents).where(c.customer_id == customer_id).order_by(c.at, c.id)
        with self._read() as conn:
            return [rows.consent_from(r) for r in conn.execute(query)]

    def consenting(self, purpose: str) -> list[str]:
        """The customers whose latest answer for ``purpose`` is yes."""
        c = tables.consents.c
        query = select(c.customer_id, c.granted).where(c.purpose == purpose).order_by(c.at, c.id)
        latest: dict[str, bool] = {}
        with self._read() as conn:
            for customer, granted in conn.execute(query):
                latest[customer] = bool(granted)
        return sorted(k for k, yes in latest.items() if yes)

    # -- memory facts -----------------------------------------------------------------------------

    def add_facts(self, facts: Sequence[Fact]) -> None:
        """Keep ``facts``; each needs a yes to its purpose at this moment, or nothing is written."""
        for fact in facts:
            check_fact(fact)
        with self._write() as conn:
            for fact in facts:
                _known_customer(conn, fact.customer_id)
                if not _granted(conn, fact.customer_id, fact.purpose):
                    raise Conflict(f"no consent to {fact.purpose!r} for this customer: fact not kept")
            if facts:
                conn.execute(insert(tables.memory_facts), [rows.fact_row(f) for f in facts])

    def facts(self, customer_id: str) -> list[Fact]:
        f = tables.memory_facts.c
        query = select(tables.memory_facts).where(f.customer_id == customer_id)
        with self._read() as conn:
            return [rows.fact_from(r) for r in conn.execute(query.order_by(f.created_at, f.ident))]

    def change_fact(self, customer_id: str, ident: str, value: str, expires_at: datetime) -> Fact:
        """Correct a fact's value (the customer's own fact only: anyone else's is unknown)."""
        f = tables.memory_facts.c
        mine = (f.ident == ident) & (f.customer_id == customer_id)
        with self._write() as conn:
            row = conn.execute(select(tables.memory_facts).where(mine)).first()
            if row is None:
                raise NotFound("fact", ident)
            fact = rows.fact_from(row)
            changed = Fact(**{**fact.__dict__, "value": value, "expires_at": expires_at})
            check_fact(changed)
            values = {"value": value, "expires_at": expires_at.astimezone(UTC)}
            conn.execute(update(tables.memory_facts).where(mine).values(**values))
            return changed

    def erase_facts(self, customer_id: str, idents: Sequence[str] | None = None) -> int:
        """Erase some of a customer's facts (``None``: all of them); returns how many went."""
        f = tables.memory_facts.c
        query = delete(tables.memory_facts).where(f.customer_id == customer_id)
        if idents is not None:
            query = query.where(f.ident.in_(list(idents)))
        with self._write() as conn:
            erased = int(conn.execute(query).rowcount or 0)
        self._forget_pages()
        return erased

    def conversations_for(self, customer_id: str) -> list[Conversation]:
        c = tables.conversations.c
        query = select(tables.conversations).where(c.customer_id == customer_id).order_by(c.created_at)
        with self._read() as conn:
            return [rows.conversation_from(r) for r in conn.execute(query)]

    def bookings_for(self, customer_id: str) -> list[Booking]:
        with self._read() as conn:
            b = tables.bookings.c
            mine = b.customer_id == customer_id
            conversation_ids = _conversation_ids(conn, customer_id)
            if conversation_ids:
                mine = mine | b.conversation_id.in_(conversation_ids)
            query = select(tables.bookings).where(mine).order_by(b.starts_at, b.external_id)
            return [rows.booking_from(r) for r in conn.execute(query)]

    # -- erasure and retention --------------------------------------------------------------------

    def erase_customer(self, customer_id: str, tombstone: str) -> dict[str, int]:
        """Remove the customer from every table. Orders the store must keep are moved to the
        anonymous ``tombstone`` customer with their tracking number cleared."""
        done: dict[str, int] = {}
        with self._write() as conn:
            _known_customer(conn, customer_id)
            conversation_ids = _conversation_ids(conn, customer_id)
            o = tables.orders.c
            if conn.execute(select(func.count()).where(o.customer_id == customer_id)).scalar():
                conn.execute(insert(tables.customers), [{"external_id": tombstone, "display_name": "",
                                                         "language": "", "profile": {}}])  # fmt: skip
                moved = update(tables.orders).where(o.customer_id == customer_id)
                done["orders_deidentified"] = conn.execute(
                    moved.values(customer_id=tombstone, tracking="")
                ).rowcount
            b = tables.bookings.c
            mine = b.customer_id == customer_id
            if conversation_ids:
                mine = mine | b.conversation_id.in_(conversation_ids)
            cleared = update(tables.bookings).where(mine).values(customer_id=None, conversation_id=None)
            done["bookings_deidentified"] = conn.execute(cleared).rowcount
            done["webhooks"] = _drop_webhooks(conn, {customer_id, *conversation_ids})
            h = tables.handoffs.c
            conn.execute(delete(tables.handoffs).where(h.customer_id == customer_id))
            for name in ("memory_facts", "consents"):
                table = tables.metadata.tables[name]
                done[name] = conn.execute(delete(table).where(table.c.customer_id == customer_id)).rowcount
            c = tables.conversations.c
            done["conversations"] = conn.execute(
                delete(tables.conversations).where(c.customer_id == customer_id)
            ).rowcount
            cu = tables.customers.c
            done["customers"] = conn.execute(
                delete(tables.customers).where(cu.external_id == customer_id)
            ).rowcount
        self._forget_pages()
        return {k: int(v or 0) for k, v in done.items()}

    def _forget_pages(self) -> None:
        """SQLite keeps old page images in its write-ahead log until a checkpoint: fold them into
        the database (where secure_delete has zeroed the deleted rows) and empty the log."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def purge(self, now: datetime, customer_before: datetime, anonymous_before: datetime,
              webhooks_before: datetime) -> dict[str, int]:  # fmt: skip
        """Delete what has outlived its lifetime: lapsed facts, conversations quiet since before
        the cut-offs (a customer's, an anonymous one's), delivered webhooks, ended staff sessions."""
        f, c, e = tables.memory_facts.c, tables.conversations.c, tables.conversation_events.c
        o, s = tables.webhook_outbox.c, tables.staff_sessions.c
        last = select(func.max(e.created_at)).where(e.conversation_id == c.external_id).scalar_subquery()
        quiet = func.coalesce(last, c.created_at)
        done: dict[str, int] = {}
        with self._write() as conn:
            done["memory_facts"] = conn.execute(
                delete(tables.memory_facts).where(f.expires_at <= now)
            ).rowcount
            stale = select(c.external_id).where(
                ((c.customer_id.is_not(None)) & (quiet < customer_before))
                | ((c.customer_id.is_(None)) & (quiet < anonymous_before))
            )
            ids = [r[0] for r in conn.execute(stale)]
            if ids:
                _drop_webhooks(conn, set(ids))
                conn.execute(delete(tables.conversations).where(c.external_id.in_(ids)))
            done["conversations"] = len(ids)
            done["webhooks"] = conn.execute(
                delete(tables.webhook_outbox).where(
                    o.delivered_at.is_not(None), o.delivered_at < webhooks_before
                )
            ).rowcount
            done["staff_sessions"] = conn.execute(
                delete(tables.staff_sessions).where(s.expires_at <= now)
            ).rowcount
        self._forget_pages()
        return {k: int(v or 0) for k, v in done.items()}


def _known_customer(conn: Connection, customer_id: str) -> None:
    c = tables.customers.c
    if conn.execute(select(c.external_id).where(c.external_id == customer_id)).first() is None:
        raise NotFound("customer", customer_id)


def _granted(conn: Connection, customer_id: str, purpose: str) -> bool:
    c = tables.consents.c
    query = select(c.granted).where(c.customer_id == customer_id, c.purpose == purpose)
    row = conn.execute(query.order_by(c.at.desc(), c.id.desc()).limit(1)).first()
    return bool(row and row[0])


def _conversation_ids(conn: Connection, customer_id: str) -> list[str]:
    c = tables.conversations.c
    return [r[0] for r in conn.execute(select(c.external_id).where(c.customer_id == customer_id))]


def _drop_webhooks(conn: Connection, needles: set[str]) -> int:
    """Delete outbox rows whose payload names any of ``needles`` (a customer or conversation id)."""
    o = tables.webhook_outbox.c
    doomed = [r.id for r in conn.execute(select(o.id, o.payload)) if _names(r.payload, needles)]
    for start in range(0, len(doomed), 500):
        conn.execute(delete(tables.webhook_outbox).where(o.id.in_(doomed[start : start + 500])))
    return len(doomed)


def _names(payload: Any, needles: set[str]) -> bool:
    text = json.dumps(payload, ensure_ascii=False)
    return any(n and n in text for n in needles)
