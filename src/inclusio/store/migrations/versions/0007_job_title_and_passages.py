"""A job's title as its student reads it, and how many machine-written passages of its copy a person reviewed.

``jobs.title``: the teacher's share title when the job was asked of a share, else the document's own title
(set when the job finishes); the job page and the reader show it instead of the file name.
``jobs.passages``: ``{"machine", "reviewed", "flagged"}`` of the student's copy
(:func:`inclusio.model.flags.machine_passages`), recorded by the job and by each release, so the job page and
the reader say honestly how much of it a person reviewed (:mod:`inclusio.web.status`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("title", sa.String(255), nullable=True))
        batch.add_column(sa.Column("passages", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("passages")
        batch.drop_column("title")
