"""The service: job ownership, leases and heartbeats, events, batches, people, profiles, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inclusio.store.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("learner_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("institution", sa.String(64), nullable=True))
        batch.add_column(sa.Column("batch_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="cpu"))
        batch.add_column(sa.Column("lease", sa.String(32), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("enqueued_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("llm_tokens", sa.Integer, nullable=False, server_default="0"))
        batch.create_index("ix_jobs_owner_id", ["owner_id"])
        batch.create_index("ix_jobs_learner_id", ["learner_id"])
        batch.create_index("ix_jobs_institution", ["institution"])
        batch.create_index("ix_jobs_batch_id", ["batch_id"])

    op.create_table(
        "job_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(32), nullable=True),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_job_events_job_seq", "job_events", ["job_id", "id"])
    op.create_table(
        "batches",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_id", sa.String(32), nullable=True),
        sa.Column("institution", sa.String(64), nullable=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("rejected", sa.JSON, nullable=False),
    )
    op.create_index("ix_batches_owner_id", "batches", ["owner_id"])
    op.create_index("ix_batches_institution", "batches", ["institution"])
    op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("username", sa.String(128), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("institution", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("oidc_subject", sa.String(255), nullable=True, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "learner_profiles",
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("profile_id", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.String(32), nullable=True),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=True),
        sa.Column("institution", sa.String(64), nullable=True),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_subject_id", "audit_log", ["subject_id"])


def downgrade() -> None:
    for table in ("audit_log", "learner_profiles", "api_tokens", "users", "batches", "job_events"):
        op.drop_table(table)
    with op.batch_alter_table("jobs") as batch:
        for index in ("ix_jobs_owner_id", "ix_jobs_learner_id", "ix_jobs_institution", "ix_jobs_batch_id"):
            batch.drop_index(index)
        for column in (
            "owner_id",
            "learner_id",
            "institution",
            "batch_id",
            "kind",
            "lease",
            "heartbeat_at",
            "enqueued_at",
            "llm_tokens",
        ):
            batch.drop_column(column)
