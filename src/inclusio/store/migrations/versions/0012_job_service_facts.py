"""The service report in one read of the job facts (issue #15): each job's facts carry what the service
report counts of it beside its status: the formats made (``outputs``, ``,epub,mp3,``), its downloads per
format (``downloads``, ``,epub:3,html:1,``), the time of its first download and the wait from upload to it (``first_download_at``,
``wait_seconds``), the flagged passages still waiting for review and when it finished (``flagged``,
``finished_at``). Written when the job is recorded, released, and downloaded; filled here from the rows
already recorded (``job_fact_items``, ``job_downloads``, ``jobs``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from inclusio.store.models import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SERVICE_INDEX = (
    "institution",
    "student_id",
    "created_at",
    "doc_type",
    "profile_id",
    "month",
    "status",
    "error_code",
    "llm_tokens",
    "wait_seconds",
    "flagged",
    "outputs",
    "downloads",
)
COLUMNS = ("outputs", "downloads", "first_download_at", "wait_seconds", "flagged", "finished_at")


def upgrade() -> None:
    with op.batch_alter_table("job_facts") as batch:
        batch.add_column(sa.Column("outputs", sa.String(255), nullable=False, server_default=""))
        batch.add_column(sa.Column("downloads", sa.String(255), nullable=False, server_default=""))
        batch.add_column(sa.Column("first_download_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("wait_seconds", sa.Float(), nullable=True))
        batch.add_column(sa.Column("flagged", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("finished_at", UTCDateTime(), nullable=True))
    _fill(op.get_bind())
    # the service report's scans read this index only, in student order (its distinct-student counts)
    op.create_index("ix_job_facts_service", "job_facts", list(SERVICE_INDEX))


def _listed(names: list[str]) -> str:
    """As ``inclusio.reports.facts.listed``: comma-enclosed, empty when there is none."""
    return f",{','.join(names)},"[:255] if names else ""


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without the column's type
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _fill(conn: sa.Connection) -> None:
    """Facts recorded under 0009-0010: their new columns from the rows they were counted from."""
    facts = sa.table(
        "job_facts",
        sa.column("job_id"),
        sa.column("created_at", UTCDateTime()),
        *(sa.column(c) for c in ("outputs", "downloads", "wait_seconds", "flagged")),
        sa.column("first_download_at", UTCDateTime()),
        sa.column("finished_at", UTCDateTime()),
    )
    items = sa.table("job_fact_items", sa.column("job_id"), sa.column("kind"), sa.column("key"))
    downloads = sa.table(
        "job_downloads",
        sa.column("job_id"),
        sa.column("format"),
        sa.column("downloads"),
        sa.column("first_at", UTCDateTime()),
    )
    jobs = sa.table(
        "jobs", sa.column("id"), sa.column("passages", sa.JSON()), sa.column("finished_at", UTCDateTime())
    )
    rows: dict[str, dict[str, Any]] = {}
    for job_id, created, finished, passages in conn.execute(
        sa.select(facts.c.job_id, facts.c.created_at, jobs.c.finished_at, jobs.c.passages).join(
            jobs, jobs.c.id == facts.c.job_id
        )
    ):
        flagged = (passages or {}).get("flagged") if isinstance(passages, dict) else None
        rows[job_id] = {
            "created": _aware(created),
            "finished_at": _aware(finished),
            "flagged": int(flagged or 0),
            "outputs": [],
            "downloads": [],
            "first": None,
        }
    for job_id, key in conn.execute(sa.select(items.c.job_id, items.c.key).where(items.c.kind == "output")):
        if job_id in rows:
            rows[job_id]["outputs"].append(key)
    for job_id, fmt, n, first in conn.execute(sa.select(downloads)):
        if job_id in rows:
            row = rows[job_id]
            row["downloads"].append(f"{fmt}:{int(n)}")
            first = _aware(first)
            row["first"] = first if row["first"] is None else min(row["first"], first)
    for job_id, row in rows.items():
        first = row["first"]
        wait = None if first is None else max(0.0, float(round((first - row["created"]).total_seconds())))
        conn.execute(
            sa.update(facts)
            .where(facts.c.job_id == job_id)
            .values(
                outputs=_listed(sorted(row["outputs"])),
                downloads=_listed(sorted(row["downloads"])),
                first_download_at=first,
                wait_seconds=wait,
                flagged=row["flagged"],
                finished_at=row["finished_at"],
            )
        )


def downgrade() -> None:
    op.drop_index("ix_job_facts_service", table_name="job_facts")
    with op.batch_alter_table("job_facts") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
