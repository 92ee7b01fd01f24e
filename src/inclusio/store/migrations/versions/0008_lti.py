"""LTI 1.3: the learning platforms registered with inclusio, and single-use launch records (issue #14).

``lti_platforms``: one row per platform registration (issuer + client id), with its deployment ids, its
JWKS, authorization and token URLs, the institution its people belong to, the role that means disability
services there, and whether names and e-mail addresses may be kept (off by default).
``lti_once``: what may be used once before it expires: a login's state (with its nonce), a nonce seen in a
launch, a one-time ticket exchanged for a session.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inclusio.store.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lti_platforms",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("deployment_ids", sa.JSON(), nullable=False),
        sa.Column("jwks_url", sa.String(1000), nullable=False),
        sa.Column("auth_login_url", sa.String(1000), nullable=False),
        sa.Column("token_url", sa.String(1000), nullable=False),
        sa.Column("institution", sa.String(64), nullable=False),
        sa.Column("staff_role", sa.String(255), nullable=True),
        sa.Column("keep_names", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("issuer", "client_id", name="uq_lti_platforms_issuer_client"),
    )
    op.create_table(
        "lti_once",
        sa.Column("key", sa.String(96), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("lti_once")
    op.drop_table("lti_platforms")
