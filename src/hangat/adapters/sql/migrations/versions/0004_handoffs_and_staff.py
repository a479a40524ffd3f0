"""handoffs, staff sign-in and the webhook outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.String(length=200)
Time = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "handoffs",
        sa.Column("conversation_id", Id, nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.Column("stakes", Json, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("customer_id", Id, nullable=True),
        sa.Column("staff_id", Id, nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("preferred_staff", Id, nullable=True),
        sa.Column("callback_at", Time, nullable=True),
        sa.Column("requested_at", Time, nullable=True),
        sa.Column("claimed_at", Time, nullable=True),
        sa.Column("first_reply_at", Time, nullable=True),
        sa.Column("closed_at", Time, nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.external_id"],
            name=op.f("fk_handoffs_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_handoffs")),
    )
    op.create_index("ix_handoffs_state_requested", "handoffs", ["state", "requested_at"])
    op.create_index("ix_handoffs_customer", "handoffs", ["customer_id"])
    op.create_table(
        "staff_credentials",
        sa.Column("staff_id", Id, nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("updated_at", Time, nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.external_id"],
            name=op.f("fk_staff_credentials_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_credentials")),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", Id, nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("expires_at", Time, nullable=False),
        sa.Column("seen_at", Time, nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.external_id"],
            name=op.f("fk_staff_sessions_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_staff_sessions")),
    )
    op.create_index("ix_staff_sessions_seen", "staff_sessions", ["seen_at"])
    op.create_table(
        "webhook_outbox",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", Json, nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Time, nullable=False),
        sa.Column("delivered_at", Time, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_webhook_outbox_event_id")),
    )
    op.create_index("ix_webhook_outbox_due", "webhook_outbox", ["delivered_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("webhook_outbox")
    op.drop_table("staff_sessions")
    op.drop_table("staff_credentials")
    op.drop_table("handoffs")
