"""The relational schema, as SQLAlchemy Core tables (the Alembic migrations create the same)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(16, 2)
Id = String(200)
BigId = BigInteger().with_variant(Integer(), "sqlite")

products = Table(
    "products",
    metadata,
    Column("external_id", Id, primary_key=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("category", Text, nullable=False, server_default=""),
    Column("brand", String(200), nullable=False, server_default=""),
    Column("price", Money, nullable=True),
    Column("currency", String(3), nullable=False),
    Column("attributes", Json, nullable=False),
    Column("stock", Integer, nullable=True),
    Column("rating", Float, nullable=True),
    Column("units_sold", Integer, nullable=True),
    Column("image_url", Text, nullable=False, server_default=""),
    Column("language", String(8), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_products_category", "category"),
)

reviews = Table(
    "reviews",
    metadata,
    Column("external_id", Id, primary_key=True),
    Column("product_id", Id, ForeignKey("products.external_id", ondelete="CASCADE"), nullable=False),
    Column("rating", Integer, nullable=True),
    Column("text", Text, nullable=False),
    Column("author_alias", String(200), nullable=False, server_default=""),
    Column("reviewed_on", Date, nullable=True),
    Column("language", String(8), nullable=False),
    Index("ix_reviews_product_id", "product_id"),
)

customers = Table(
    "customers",
    metadata,
    Column("external_id", Id, primary_key=True),
    Column("display_name", String(200), nullable=False, server_default=""),
    Column("language", String(8), nullable=False, server_default=""),
    Column("profile", Json, nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("external_id", Id, primary_key=True),
    Column("customer_id", Id, ForeignKey("customers.external_id", ondelete="CASCADE"), nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(40), nullable=False),
    Column("total", Money, nullable=False),
    Column("promised_on", Date, nullable=True),
    Column("delivered_on", Date, nullable=True),
    Column("tracking", String(200), nullable=False, server_default=""),
    Index("ix_orders_customer_placed", "customer_id", "placed_at"),
    Index("ix_orders_placed", "placed_at", "external_id"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column(
        "order_id",
        Id,
        ForeignKey("orders.external_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("line_no", Integer, primary_key=True),
    Column("product_id", Id, ForeignKey("products.external_id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Money, nullable=False),
    Index("ix_order_lines_product_id", "product_id"),
)

staff = Table(
    "staff",
    metadata,
    Column("external_id", Id, primary_key=True),
    Column("first_name", String(100), nullable=False),
    Column("role", String(40), nullable=False),
    Column("languages", Json, nullable=False),
    Column("active", Boolean, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("external_id", Id, primary_key=True),
    Column("customer_id", Id, ForeignKey("customers.external_id", ondelete="SET NULL"), nullable=True),
    Column("language", String(8), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

conversation_events = Table(
    "conversation_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "conversation_id",
        Id,
        ForeignKey("conversations.external_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("seq", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("payload", Json, nullable=False),
    Column("idempotency_key", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conversation_id", "seq", name="uq_conversation_events_seq"),
    UniqueConstraint("conversation_id", "idempotency_key", name="uq_conversation_events_key"),
)

product_embeddings = Table(
    "product_embeddings",
    metadata,
    Column(
        "product_id",
        Id,
        ForeignKey("products.external_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("model", String(100), primary_key=True),
    Column("text_hash", String(40), nullable=False),
    Column("vector", LargeBinary, nullable=False),
)

bookings = Table(
    "bookings",
    metadata,
    Column("external_id", Id, primary_key=True),
    Column("service", String(100), nullable=False),
    Column("staff_id", Id, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("conversation_id", Id, nullable=True),
    Column("customer_id", Id, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("staff_id", "starts_at", name="uq_bookings_staff_start"),
)

handoffs = Table(
    "handoffs",
    metadata,
    Column(
        "conversation_id",
        Id,
        ForeignKey("conversations.external_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("state", String(20), nullable=False),
    Column("reason", String(100), nullable=False),
    Column("stakes", Json, nullable=False),
    Column("language", String(8), nullable=False),
    Column("customer_id", Id, nullable=True),
    Column("staff_id", Id, nullable=True),
    Column("mode", String(20), nullable=False),
    Column("preferred_staff", Id, nullable=True),
    Column("callback_at", DateTime(timezone=True), nullable=True),
    Column("requested_at", DateTime(timezone=True), nullable=True),
    Column("claimed_at", DateTime(timezone=True), nullable=True),
    Column("first_reply_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("note", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Index("ix_handoffs_state_requested", "state", "requested_at"),
    Index("ix_handoffs_customer", "customer_id"),
)

staff_credentials = Table(
    "staff_credentials",
    metadata,
    Column("staff_id", Id, ForeignKey("staff.external_id", ondelete="CASCADE"), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", Id, ForeignKey("staff.external_id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Index("ix_staff_sessions_seen", "seen_at"),
)

webhook_outbox = Table(
    "webhook_outbox",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(300), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("payload", Json, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=False),
    Index("ix_webhook_outbox_due", "delivered_at", "next_attempt_at"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("customer_id", Id, ForeignKey("customers.external_id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(40), nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("version", String(40), nullable=False),
    Column("language", String(8), nullable=False),
    Column("channel", String(20), nullable=False),
    Index("ix_consents_customer", "customer_id", "purpose"),
)

memory_facts = Table(
    "memory_facts",
    metadata,
    Column("ident", String(64), primary_key=True),
    Column("customer_id", Id, ForeignKey("customers.external_id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("value", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column(
        "conversation_id",
        Id,
        ForeignKey("conversations.external_id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("seq", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("author", String(100), nullable=False),
    Index("ix_memory_facts_customer", "customer_id"),
    Index("ix_memory_facts_expires", "expires_at"),
)
