"""The source-accessibility report per document (issue #15): ``document_facts``, one row per original and
institution (latest audit score and failed checks, reading ease before adaptation, first job's time and month),
written with each job's facts; the source report reads 4,000 documents instead of their 30,000 jobs.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inclusio.store.models import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_facts",
        sa.Column("institution", sa.String(64), primary_key=True),
        sa.Column("input_sha256", sa.String(64), primary_key=True),
        sa.Column("doc_type", sa.String(16), nullable=False),
        sa.Column("first_at", UTCDateTime(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("audit_score", sa.Integer(), nullable=False),
        sa.Column("ease_before", sa.Float(), nullable=True),
        sa.Column("issues", sa.JSON(), nullable=False),
    )
    op.create_index("ix_document_facts_inst_first", "document_facts", ["institution", "first_at"])
    # documents of jobs recorded under 0009: their latest facts
    op.execute(
        "INSERT INTO document_facts (institution, input_sha256, doc_type, first_at, month, audit_score, "
        "ease_before, issues) SELECT f.institution, f.input_sha256, MIN(f.doc_type), MIN(f.created_at), "
        "MIN(f.month), MAX(f.audit_score), MAX(f.ease_before), '{}' FROM job_facts f "
        "WHERE f.audit_score IS NOT NULL GROUP BY f.institution, f.input_sha256"
    )


def downgrade() -> None:
    op.drop_index("ix_document_facts_inst_first", table_name="document_facts")
    op.drop_table("document_facts")
