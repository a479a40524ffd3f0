"""order delivery dates and service bookings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("promised_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("delivered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("tracking", sa.String(length=200), nullable=False, server_default=""))
    op.create_table(
        "bookings",
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("service", sa.String(length=100), nullable=False),
        sa.Column("staff_id", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=True),
        sa.Column("customer_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("external_id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("staff_id", "starts_at", name="uq_bookings_staff_start"),
    )


def downgrade() -> None:
    op.drop_table("bookings")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("tracking")
        batch.drop_column("delivered_on")
        batch.drop_column("promised_on")
