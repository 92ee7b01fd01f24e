"""Fixtures for the service tests (tests/api, store, jobs, cli, privacy): real worker processes, real brokers and
databases. A pytest plugin, loaded by tests/conftest.py, so that every test folder has them.

* Embedded default: SQLite database and ``sqla+sqlite`` broker in a temporary folder.
* Redis: ``redis://127.0.0.1:6379/<db>``, a db this test process claims for itself (a key
  ``inclusio-test:claimed-by`` set if absent), from 13 down to 6 (``INCLUSIO_TEST_REDIS_DB`` moves the
  top); flushed before and after each test (tests marked ``redis``). So the xdist workers of one run, and
  runs of other checkouts on the same server, never flush each other's queues. db 0 is never used.
* PostgreSQL: a fresh database ``inclusio_test_<random>`` on 127.0.0.1:5432 (user postgres, trust),
  created for the session and dropped after (tests marked ``postgres``); ``pg_db`` gives a test its own.
* Private brokers (tests/jobs/test_faults.py): a redis-server and a RabbitMQ node of the test's own on
  free ports, so they can be killed and restarted without disturbing the shared services.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from service_helpers import RunningWorker, make_settings

from inclusio.config import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
SAMPLES = ROOT / "samples"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


REDIS_TOP_DB = int(os.environ.get("INCLUSIO_TEST_REDIS_DB", "13"))
REDIS_CLAIM = "inclusio-test:claimed-by"
REDIS_CLAIM_SECONDS = 3600  # a run killed without releasing its db gives it back after an hour


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS.resolve()


@pytest.fixture(scope="session")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-page French PDF with a heading and paragraphs (a sample from samples/ if there is one)."""
    candidates = sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
    if candidates:
        return min(candidates, key=lambda p: p.stat().st_size)
    import pymupdf

    path = tmp_path_factory.mktemp("pdf") / "cours-biologie.pdf"
    doc = pymupdf.open()
    texts = [
        (
            "La cellule",
            "La cellule est l'unité de base du vivant. Elle contient un noyau. Le noyau protège l'ADN.",
        ),
        (
            "La membrane",
            "La membrane entoure la cellule. Elle laisse entrer l'eau et les nutriments. "
            "Elle garde les déchets dehors.",
        ),
    ]
    for title, body in texts:
        page = doc.new_page()
        page.insert_text((72, 90), title, fontsize=20)
        page.insert_textbox(pymupdf.Rect(72, 120, 520, 400), body, fontsize=12)
    doc.set_metadata({"title": "Cours de biologie", "author": "inclusio tests"})
    doc.save(path)
    return path


@pytest.fixture
def corrupt_pdf(tmp_path: Path) -> Path:
    """A file that says it is a PDF (header, name) but whose body is noise, as a damaged download."""
    import random

    path = tmp_path / "abime.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(6000))
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[[Settings], RunningWorker]]:
    workers: list[RunningWorker] = []

    def start(settings: Settings) -> RunningWorker:
        worker = RunningWorker(settings, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()  # the test is over: nothing to wait for (RunningWorker.kill)


@contextlib.contextmanager
def _fresh_pg_database() -> Iterator[str]:
    import psycopg

    name = f"inclusio_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session (dropped afterwards)."""
    with _fresh_pg_database() as url:
        yield url


@pytest.fixture
def pg_db() -> Iterator[str]:
    """A PostgreSQL database of this test alone: fault tests leave no job behind for another test's watchdog."""
    with _fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="session")
def redis_db() -> Iterator[tuple[int, str]]:
    """``(db, claim token)``: a Redis db of this test process alone, released (flushed) at the end.

    The dbs from the top one down are tried in turn, each xdist worker starting at its own offset so
    that they rarely contend. A db is taken when its claim key was absent and it is empty, except the
    top db, which the older test runs flushed unconditionally (leftovers there are ours).
    """
    import redis

    token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    candidates = [db for db in range(REDIS_TOP_DB, REDIS_TOP_DB - 8, -1) if db >= 1]
    offset = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % len(candidates)
    for db in candidates[offset:] + candidates[:offset]:
        client = redis.Redis(host="127.0.0.1", port=6379, db=db)
        try:
            if not client.set(REDIS_CLAIM, token, nx=True, ex=REDIS_CLAIM_SECONDS):
                continue
            if db != REDIS_TOP_DB and client.dbsize() != 1:
                client.delete(REDIS_CLAIM)  # someone's data without a claim: not ours to flush
                continue
            try:
                yield db, token
            finally:
                if client.get(REDIS_CLAIM) == token.encode():
                    client.flushdb()
            return
        finally:
            client.close()
    pytest.fail(f"no free Redis db among {candidates}: other test runs hold them (key {REDIS_CLAIM})")


@pytest.fixture
def redis_url(redis_db: tuple[int, str]) -> Iterator[str]:
    """The claimed db, empty (except the claim) at the start and the end of the test."""
    import redis

    db, token = redis_db
    url = f"redis://127.0.0.1:6379/{db}"
    client = redis.Redis.from_url(url)

    def flush() -> None:
        with client.pipeline(transaction=True) as pipe:  # MULTI/EXEC: the claim never disappears
            pipe.flushdb()
            pipe.set(REDIS_CLAIM, token, ex=REDIS_CLAIM_SECONDS)
            pipe.execute()

    flush()
    try:
        yield url
    finally:
        with contextlib.suppress(Exception):
            flush()
        client.close()
