"""Alembic migrations on SQLite and PostgreSQL: from nothing, from the skeleton's schema, concurrently."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from inclusio.store.jobs import JobStore
from inclusio.store.migrate import current_revision, downgrade_database, head_revision, upgrade_database
from inclusio.store.models import Base
from inclusio.store.shares import ShareStore

HEAD = "0012"  # the newest revision (0012: the service report's job facts; 0011: teacher previews, document versions)

SKELETON_JOBS = """CREATE TABLE jobs (id VARCHAR(32) PRIMARY KEY, status VARCHAR(16) NOT NULL, stage VARCHAR(32),
progress FLOAT NOT NULL, message TEXT NOT NULL, profile_id VARCHAR(64) NOT NULL, outputs JSON,
filename VARCHAR(255) NOT NULL, input_sha256 VARCHAR(64) NOT NULL, input_bytes INTEGER NOT NULL,
input_path VARCHAR(255) NOT NULL, created_at DATETIME NOT NULL, started_at DATETIME, finished_at DATETIME,
errors JSON NOT NULL, warnings JSON NOT NULL, artifacts JSON NOT NULL, attempts INTEGER NOT NULL)"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    import uuid

    import psycopg

    name = f"inclusio_mig_{uuid.uuid4().hex[:10]}"
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrations_build_exactly_the_models_schema_and_go_down_and_up_again(empty_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = JobStore(empty_url)
    assert current_revision(store.engine) is None
    assert store.migrate() == head_revision() == HEAD
    assert store.migrate() == HEAD  # a second start changes nothing
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == [], diff  # the migrations and the models agree
    downgrade_database(store.engine, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    assert store.migrate() == HEAD
    store.dispose()


def test_a_skeleton_database_is_stamped_and_upgraded_keeping_its_jobs(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute(SKELETON_JOBS)
        conn.execute(
            "INSERT INTO jobs VALUES ('ab12', 'succeeded', NULL, 1, 'done', 'dyslexia', NULL, 'cours.pdf', "
            "'aa', 10, 'originals/aa/aa', '2024-09-01 10:00:00', NULL, NULL, '[]', '[]', '{}', 1)"
        )
    store = JobStore(f"sqlite:///{path}")
    assert store.migrate() == HEAD
    job = store.get("ab12")
    assert (
        job.status == "succeeded"
        and job.filename == "cours.pdf"
        and job.kind == "cpu"
        and job.owner_id is None
    )
    assert {"users", "job_events", "audit_log", "learner_profiles"} <= set(
        inspect(store.engine).get_table_names()
    )


@pytest.mark.postgres
def test_four_processes_starting_together_migrate_once(pg_url: str) -> None:
    code = "import sys; from inclusio.store.jobs import JobStore; print(JobStore(sys.argv[1]).migrate())"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, pg_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [r[1][-800:] for r in results]
    assert {r[0].strip() for r in results} == {HEAD}


def test_concurrent_starts_on_one_sqlite_file_and_the_db_cli(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    code = "import sys; from inclusio.store.jobs import JobStore; print(JobStore(sys.argv[1]).migrate())"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [r[1][-800:] for r in results]
    env = {"INCLUSIO_DATABASE_URL": url, "INCLUSIO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "inclusio.cli", "db", "current"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0 and f"current: {HEAD}" in out.stdout and f"head: {HEAD}" in out.stdout, (
        out.stderr
    )


def test_0004_keeps_the_jobs_of_0003_adds_shares_and_goes_back(empty_url: str) -> None:
    from sqlalchemy import text

    store = JobStore(empty_url)
    upgrade_database(store.engine, "0003")
    assert "shares" not in inspect(store.engine).get_table_names()
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, role, institution, created_at) "
                "VALUES ('u1', 'prof', 'teacher', 'A', '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO jobs (id, status, progress, message, profile_id, filename, input_sha256, "
                "input_bytes, input_path, created_at, errors, warnings, artifacts, attempts, owner_id) "
                "VALUES ('ab12', 'succeeded', 1, 'done', 'dyslexia', 'cours.pdf', :sha, 10, :path, "
                "'2026-01-01 10:00:00', '[]', '[]', '{}', 1, 'u1')"
            ),
            {"sha": "a" * 64, "path": "originals/aa/" + "a" * 64},
        )
    assert store.migrate() == HEAD
    kept = store.get("ab12")
    assert kept.filename == "cours.pdf" and kept.release_state is None and kept.release_errors is None
    share = ShareStore(store.db).create(
        owner_id="u1",
        institution="A",
        title="Cours 1",
        course="BIO-101",
        filename="cours.pdf",
        input_sha256="a" * 64,
        input_path="originals/aa/" + "a" * 64,
        input_bytes=10,
    )
    assert ShareStore(store.db).list(institution="A", search="bio")[0].id == share.id
    assert store.db.original_uses("a" * 64) == 2  # the job and the share: the file stays
    downgrade_database(store.engine, "0003")
    assert "shares" not in inspect(store.engine).get_table_names()
    assert "release_state" not in {c["name"] for c in inspect(store.engine).get_columns("jobs")}
    assert store.migrate() == HEAD
    store.dispose()
