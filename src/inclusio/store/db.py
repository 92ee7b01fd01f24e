"""The database every store shares: one engine, its sessions and the migrations.

SQLite is the embedded default, PostgreSQL the production database; the same code runs on both.
On SQLite, WAL mode and a busy timeout let the API process and the worker processes share the file.

The rows are kept by one store per kind, each made on a :class:`Database` (so they share its
engine and connection pool): jobs and their events in :class:`inclusio.store.jobs.JobStore`,
shares in :class:`inclusio.store.shares.ShareStore`, batches in
:class:`inclusio.store.batches.BatchStore`, accounts in :class:`inclusio.store.accounts.UserStore`.

The schema is made by Alembic migrations (:mod:`inclusio.store.migrate`), the tables are in
:mod:`inclusio.store.models`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from inclusio.store.models import Job, Share

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another process's lock before failing."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
            cursor.execute("PRAGMA foreign_keys=ON")  # job_events follow their job on delete
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One database: its engine, short transactions on it, its migrations."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Any) -> Database:
        """The database of ``settings.resolved_database_url()`` (creates the data folder for SQLite)."""
        url = settings.resolved_database_url()
        if url.startswith("sqlite"):
            settings.ensure_dirs()
        return cls(url)

    def migrate(self) -> str:
        """Run the Alembic migrations up to head (safe when several processes start together)."""
        from inclusio.store.migrate import upgrade_database

        return upgrade_database(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise if the database cannot be reached."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    def original_uses(self, sha256: str) -> int:
        """How many jobs and shares use the original ``sha256``: its file stays while this is above 0."""
        with self.session() as session:
            jobs = session.scalar(select(func.count()).select_from(Job).where(Job.input_sha256 == sha256))
            shares = session.scalar(
                select(func.count()).select_from(Share).where(Share.input_sha256 == sha256)
            )
            return int(jobs or 0) + int(shares or 0)


class RowStore:
    """The base of the stores: a :class:`Database` (given, or opened from a URL) and its sessions.

    Stores made on the same :class:`Database` share its engine: ``ShareStore(job_store.db)``.
    """

    def __init__(self, db: Database | str) -> None:
        self.db = db if isinstance(db, Database) else Database(db)

    @classmethod
    def from_settings(cls, settings: Any) -> Any:
        """The store on the database of ``settings`` (a new engine: share one with ``cls(other.db)``)."""
        return cls(Database.from_settings(settings))

    @property
    def url(self) -> str:
        return self.db.url

    @property
    def engine(self) -> Engine:
        return self.db.engine

    def session(self) -> Any:
        return self.db.session()

    def migrate(self) -> str:
        """Run the Alembic migrations up to head (see :meth:`Database.migrate`)."""
        return self.db.migrate()

    create_all = migrate
    """The skeleton's name for making the schema; it now runs the migrations."""

    def dispose(self) -> None:
        self.db.dispose()

    def ping(self) -> None:
        self.db.ping()


def looks_like_id(value: str) -> bool:
    """A 1-32 character lowercase hex id (anything else cannot be a row: no query is made)."""
    return 0 < len(value) <= 32 and all(c in "0123456789abcdef" for c in value)


_looks_like_id = looks_like_id  # the skeleton's name
