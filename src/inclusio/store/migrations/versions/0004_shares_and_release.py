"""Documents teachers share with their students; the release of a reviewed job done by a worker.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inclusio.store.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RELEASE_COLUMNS = (
    "release_state",
    "release_token",
    "release_beat_at",
    "released_at",
    "released_by",
    "release_errors",
)


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("institution", sa.String(64), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("course", sa.String(120), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("input_path", sa.String(255), nullable=False),
        sa.Column("input_bytes", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_shares_owner_id", "shares", ["owner_id"])
    op.create_index("ix_shares_institution", "shares", ["institution"])
    op.create_index("ix_shares_input_sha256", "shares", ["input_sha256"])
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("release_state", sa.String(16), nullable=True))
        batch.add_column(sa.Column("release_token", sa.String(32), nullable=True))
        batch.add_column(sa.Column("release_beat_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("released_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("released_by", sa.String(128), nullable=True))
        batch.add_column(sa.Column("release_errors", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        for column in RELEASE_COLUMNS:
            batch.drop_column(column)
    op.drop_table("shares")
