"""Revision 0012 fills the service report's columns of the job facts recorded before it (formats made, downloads,
first download and wait, flagged passages, end) from the rows they were counted from, and goes back down;
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from inclusio.store.jobs import JobStore
from inclusio.store.migrate import downgrade_database, upgrade_database
from inclusio.store.models import JobFacts

COLUMNS = {"outputs", "downloads", "first_download_at", "wait_seconds", "flagged", "finished_at"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('m0012') / 'm.db'}"
        return
    from service_fixtures import _fresh_pg_database

    with _fresh_pg_database() as fresh:
        yield fresh


def test_0012_fills_the_facts_recorded_before_it_and_goes_back(url: str) -> None:
    store = JobStore(url)
    upgrade_database(store.engine, "0011")
    with store.engine.begin() as conn:
        for job_id, passages in (("j1", '{"machine": 4, "reviewed": 1, "flagged": 2}'), ("j2", None)):
            conn.execute(
                text(
                    "INSERT INTO jobs (id, status, progress, message, profile_id, filename, input_sha256, "
                    "input_bytes, input_path, created_at, finished_at, errors, warnings, artifacts, attempts, "
                    "passages) VALUES (:id, 'succeeded', 1, 'done', 'dyslexia', 'c.pdf', :sha, 1, 'x', "
                    ":created, :finished, '[]', '[]', '{}', 1, :passages)"
                ),
                {
                    "id": job_id,
                    "sha": "a" * 64,
                    "created": datetime(2026, 3, 1, 10),
                    "finished": datetime(2026, 3, 1, 10, 5),
                    "passages": passages,
                },
            )
            conn.execute(
                text(
                    "INSERT INTO job_facts (job_id, institution, input_sha256, student_id, profile_id, "
                    "doc_type, month, created_at, status, llm_tokens) VALUES (:id, 'uni', :sha, 's1', "
                    "'dyslexia', 'pdf', '2026-03', :created, 'succeeded', 0)"
                ),
                {"id": job_id, "sha": "a" * 64, "created": datetime(2026, 3, 1, 10)},
            )
        conn.execute(
            text(
                "INSERT INTO job_fact_items (job_id, kind, key, count) VALUES ('j1', 'output', 'mp3', 1), "
                "('j1', 'output', 'epub', 1), ('j1', 'issue', 'alt_text', 3)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO job_downloads (job_id, format, downloads, first_at) VALUES "
                "('j1', 'epub', 3, :late), ('j1', 'mp3', 1, :early)"
            ),
            {"late": datetime(2026, 3, 1, 13), "early": datetime(2026, 3, 1, 12)},
        )
    upgrade_database(store.engine, "0012")
    with store.session() as session:
        one, two = session.get(JobFacts, "j1"), session.get(JobFacts, "j2")
        assert (one.outputs, one.downloads, one.flagged) == (",epub,mp3,", ",epub:3,mp3:1,", 2)
        assert one.first_download_at == datetime(2026, 3, 1, 12, tzinfo=UTC) and one.wait_seconds == 7200
        assert one.finished_at == datetime(2026, 3, 1, 10, 5, tzinfo=UTC)
        assert (two.outputs, two.downloads, two.first_download_at, two.wait_seconds, two.flagged) == (
            "",
            "",
            None,
            None,
            0,
        )
    downgrade_database(store.engine, "0011")
    assert not COLUMNS & {c["name"] for c in inspect(store.engine).get_columns("job_facts")}
    upgrade_database(store.engine, "0012")
    assert {c["name"] for c in inspect(store.engine).get_columns("job_facts")} >= COLUMNS
    store.dispose()
