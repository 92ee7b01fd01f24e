"""Database migrations (Alembic), run at every start and by ``inclusio db upgrade``.

The migration scripts live inside the package (``inclusio/store/migrations``), so an installed
copy can upgrade its database without a checkout. Several processes may start at once (the API,
N workers): on PostgreSQL they queue on an advisory lock, on SQLite on a lock file next to the
database, so exactly one runs the migrations and the others find the schema at head.

A database made by the walking skeleton's ``create_all`` (a ``jobs`` table, no Alembic version)
is stamped at revision ``0001`` first, then upgraded like any other.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, inspect
from sqlalchemy.engine import Engine, make_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PG_LOCK_KEY = 0x696E636C  # "incl": one advisory lock for inclusio migrations
LEGACY_REVISION = "0001"


def _config(connection: Connection | None = None) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision these scripts know."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()  # type: ignore[arg-type]
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None``: no Alembic table yet)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextlib.contextmanager
def _sqlite_lock(url: str) -> Iterator[None]:
    database = make_url(url).database
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade_database(engine: Engine, revision: str = "head") -> str:
    """Bring the database behind ``engine`` to ``revision`` (default: head); returns the revision reached."""
    from alembic import command

    is_sqlite = engine.dialect.name == "sqlite"
    lock = _sqlite_lock(str(engine.url)) if is_sqlite else contextlib.nullcontext()
    with lock, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
        tables = set(inspect(conn).get_table_names())
        cfg = _config(conn)
        if "jobs" in tables and "alembic_version" not in tables:
            command.stamp(cfg, LEGACY_REVISION)  # type: ignore[arg-type]
        command.upgrade(cfg, revision)  # type: ignore[arg-type]
    return current_revision(engine) or ""


def downgrade_database(engine: Engine, revision: str) -> None:
    """Go back to ``revision`` (for operators undoing an upgrade; ``base`` drops everything)."""
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(_config(conn), revision)  # type: ignore[arg-type]
