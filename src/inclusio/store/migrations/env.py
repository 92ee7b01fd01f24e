"""Alembic environment: runs on the connection :func:`inclusio.store.migrate.upgrade_database` passes.

From the command line (``alembic -c alembic.ini upgrade head`` in a checkout) it connects to
``sqlalchemy.url`` or, when unset, to the database of the ``INCLUSIO_*`` settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from inclusio.store.models import Base

config = context.config


def _run(connection: Connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from inclusio.config import get_settings
    from inclusio.store.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
