"""What the institution's reports count (issue #15, :mod:`inclusio.reports`).

``job_facts``: one row per recorded job (institution, original, student id, profile, document type, month,
status, first error code, audit score, reading ease before/after, LLM tokens); ``job_fact_items``: its failed
audit checks and formats made; ``job_downloads``: downloads per job and format by the person it was made for
(count and first time). The indexes serve the reports' filters (institution + date, institution + original).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inclusio.store.models import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_facts",
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("institution", sa.String(64), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("student_id", sa.String(32), nullable=True),
        sa.Column("profile_id", sa.String(64), nullable=False),
        sa.Column("doc_type", sa.String(16), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("audit_score", sa.Integer(), nullable=True),
        sa.Column("ease_before", sa.Float(), nullable=True),
        sa.Column("ease_after", sa.Float(), nullable=True),
        sa.Column("llm_tokens", sa.Integer(), nullable=False),
    )
    op.create_index("ix_job_facts_inst_created", "job_facts", ["institution", "created_at"])
    op.create_index("ix_job_facts_inst_sha", "job_facts", ["institution", "input_sha256"])
    op.create_table(
        "job_fact_items",
        sa.Column(
            "job_id", sa.String(32), sa.ForeignKey("job_facts.job_id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_job_fact_items_kind_key", "job_fact_items", ["kind", "key"])
    op.create_table(
        "job_downloads",
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("format", sa.String(32), primary_key=True),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("first_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_downloads")
    op.drop_index("ix_job_fact_items_kind_key", table_name="job_fact_items")
    op.drop_table("job_fact_items")
    op.drop_index("ix_job_facts_inst_sha", table_name="job_facts")
    op.drop_index("ix_job_facts_inst_created", table_name="job_facts")
    op.drop_table("job_facts")
