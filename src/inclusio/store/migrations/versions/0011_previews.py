"""The teacher's preview as a worker's job (issue #17): ``previews``, one row per original and preview key
(claimed once, built once by a worker whatever the web processes do), and ``document_versions``, the link
from a teacher's job to the job of the version before it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inclusio.store.models import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "previews",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("input_sha256", sa.String(64), nullable=False, index=True),
        sa.Column("input_path", sa.String(255), nullable=False),
        sa.Column("suffix", sa.String(16), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(32), nullable=True),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("lease", sa.String(32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("result", sa.String(64), nullable=True),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "document_versions",
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(
            "previous_id",
            sa.String(32),
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
    )


def downgrade() -> None:
    op.drop_table("document_versions")
    op.drop_table("previews")
