"""The shared caches hold content, never people; an erasure leaves nothing of the person anywhere.

Real API, real worker process, embedded default (SQLite database, SQL broker in the data folder), and
PostgreSQL for the tables. Alice (university A, learner profile "blind") uploads documents whose file
names tell a disability; Carl (university B) uploads the same bytes as ``cours.md``. Carl's outputs,
every one of them (EPUB and its members, HTML, JSON, report, MP3 and its ID3 tags, braille, the
large-print PDF's metadata and streams), must not hold Alice's file name; after Alice erases her
account no file under the data folder (SQLite files and their -wal/-shm included) and no column of
any table holds her ids, her user name or her file names.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from privacy_probe import grep_tables, grep_tree, hits
from service_helpers import RunningWorker, make_settings, make_user, wait_finished

from inclusio.config import Settings
from inclusio.store.db import make_engine

ALL_OUTPUTS = "epub,html,json,report,mp3,brf,large-print"
REVEALING = "Dossier-MDPH-Alice-Martin-2026.md"
SECOND = "bilan-orthophonique-Alice-Martin.md"
FOR_HER = "PAP-Alice-Martin-amenagements.md"
# No heading and no title: the title can only come from the document's file name.
COURSE = (
    "Le cycle de l'eau décrit le trajet de l'eau sur la Terre. L'eau des océans s'évapore avec la "
    "chaleur du soleil.\n\nLa vapeur monte et forme des nuages. Les nuages donnent la pluie, qui "
    "rejoint les rivières et la mer.\n"
)
SECOND_TEXT = (
    "# Les fractions\n\nUne fraction représente une partie d'un tout qui a été partagé en parts "
    "égales, et le dénominateur indique en combien de parts égales le tout a été partagé.\n"
)


@dataclass
class Life:
    """What one realistic life in the service left: people, their jobs, and what names Alice."""

    alice_id: str
    alice: TestClient
    carl: TestClient
    staff: TestClient
    admin: TestClient  # reads the technical files (report, document JSON, timings), which students may not
    alice_jobs: list[str] = field(default_factory=list)
    carl_job: dict[str, Any] = field(default_factory=dict)
    alice_job: dict[str, Any] = field(default_factory=dict)

    def needles(self) -> list[str]:
        """Everything that names Alice: ids, user name, every file name and its stem."""
        names = [REVEALING, SECOND, FOR_HER]
        return [
            self.alice_id,
            "alice.martin",
            *self.alice_jobs,
            *names,
            *(n.rsplit(".", 1)[0] for n in names),
            "Alice",
            "MDPH",
            "orthophon",
        ]


def _client(
    settings: Settings, role: str, institution: str, username: str, app: Any
) -> tuple[str, TestClient]:
    user_id, token = make_user(settings, role, institution=institution, username=username)
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return user_id, client


def _post(client: TestClient, name: str, data: bytes, **form: str) -> str:
    response = client.post("/jobs", files={"file": (name, data, "text/markdown")}, data=form)
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _live(settings: Settings, worker: RunningWorker) -> Life:
    """Alice's life: a profile, three uploads (one by staff for her), a review edit, downloads; Carl's job."""
    from inclusio.server import create_app

    app = create_app(settings)
    alice_id, alice = _client(settings, "student", "univ-a", "alice.martin", app)
    _, carl = _client(settings, "student", "univ-b", "carl.b", app)
    _, staff = _client(settings, "staff", "univ-a", "staff.a", app)
    _, admin = _client(settings, "admin", "univ-a", "admin.a", app)
    life = Life(alice_id=alice_id, alice=alice, carl=carl, staff=staff, admin=admin)
    assert alice.put("/me/profile", json={"profile": "blind"}).json()["profile"] == "blind"
    assert alice.get("/me/profile").json()["profile"] == "blind"
    # Her display settings and her e-mail opt-in are stored with her account; her jobs bring notifications.
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(settings)
    UserStore(store.engine).set_reading(alice_id, {"font": "dys", "size": 180})
    UserStore(store.engine).set_email_notice(alice_id, "alice.martin@etu.univ-a.example")
    store.dispose()
    course = COURSE.encode("utf-8")
    life.alice_jobs.append(_post(alice, REVEALING, course, profile="blind", outputs=ALL_OUTPUTS))
    life.alice_jobs.append(
        _post(alice, SECOND, SECOND_TEXT.encode(), profile="easy-read", outputs="json,html,report")
    )
    life.alice_jobs.append(
        _post(
            staff,
            FOR_HER,
            b"Temps majore d'un tiers aux examens.\n",
            learner="alice.martin",
            outputs="json,report",
        )
    )
    carl_id = _post(carl, "cours.md", course, profile="dyslexia", outputs=ALL_OUTPUTS)
    jobs = {
        job_id: wait_finished(alice if job_id != life.alice_jobs[2] else staff, job_id, worker)
        for job_id in life.alice_jobs
    }
    life.carl_job = wait_finished(carl, carl_id, worker)
    for job in [*jobs.values(), life.carl_job]:
        assert job["status"] == "succeeded", (job["errors"], worker.log()[-3000:])
    life.alice_job = jobs[life.alice_jobs[0]]
    # Alice downloads what was made for her (the technical files are for staff: artifact.staff_only); staff
    # of her university edits a block of her easy-read draft.
    for job_id, job in jobs.items():
        reader = staff if job_id == life.alice_jobs[2] else alice
        for name, record in job["artifacts"].items():
            response = reader.get(record["url"])
            if reader is alice and not _for_students(name):
                assert response.status_code == 403, (name, response.text)
                assert response.json()["error"]["code"] == "artifact.staff_only"
            else:
                assert response.status_code == 200, (name, response.text)
    document = staff.get(f"/jobs/{life.alice_jobs[1]}/document").json()
    block = next(b for b in document["blocks"] if b["type"] == "paragraph")
    edited = staff.put(
        f"/jobs/{life.alice_jobs[1]}/blocks/{block['id']}/adaptation",
        json={"kind": "easy_read", "text": "Une fraction est une part d'un tout."},
    )
    assert edited.status_code == 200, edited.text
    return life


def _for_students(name: str) -> bool:
    """A file a student may fetch of their own job (inclusio.auth.policy): not the technical ones."""
    from inclusio.auth.policy import SECTION_FILE, STUDENT_FILES

    return name in STUDENT_FILES or SECTION_FILE.fullmatch(name) is not None


def _downloads(client: TestClient, job: dict[str, Any], admin: TestClient) -> dict[str, bytes]:
    """Every artifact of ``job`` as served (with its Content-Disposition), and the job's JSON: the student's
    own files by ``client``, the technical ones (report, document JSON, timings) by ``admin``."""
    out: dict[str, bytes] = {"job": client.get(f"/jobs/{job['id']}").content}
    for name, record in job["artifacts"].items():
        response = (client if _for_students(name) else admin).get(record["url"])
        assert response.status_code == 200 and len(response.content) == record["bytes"]
        out[name] = response.content
        out[f"{name} header"] = response.headers["content-disposition"].encode("utf-8")
    return out


def _braille(word: str) -> str:
    from inclusio.writers.braille import translate

    return translate([word], "fr")[0]


def _check_carl_sees_no_alice(life: Life, settings: Settings) -> None:
    carl = _downloads(life.carl, life.carl_job, life.admin)
    assert {"epub", "html", "json", "report", "mp3", "brf", "large-print"} <= set(carl), sorted(carl)
    assert json.loads(carl["report"])["input"]["from_cache"] is True  # Alice's conversion, served to Carl
    needles = ["Alice", "MDPH", "Dossier", REVEALING]
    leaks = [hit for name, data in carl.items() for hit in hits(name, data, needles)]
    brf = carl["brf"].decode("ascii", "replace").lower()
    leaks += [f"brf: braille of {w}" for w in ("Alice", "MDPH") if _braille(w).lower() in brf]
    assert leaks == [], leaks
    # The title Carl's outputs carry is his own file name's (the document has none).
    with zipfile.ZipFile(io.BytesIO(carl["epub"])) as book:
        opf = next(book.read(n) for n in book.namelist() if n.endswith(".opf")).decode()
    assert "<dc:title" in opf and ">cours<" in opf, opf[:600]
    # The probe finds a name where it is: Alice's own EPUB, PDF metadata, ID3 tags, report carry hers.
    mine = _downloads(life.alice, life.alice_job, life.admin)
    for name in ("epub", "large-print", "mp3", "report", "html", "json"):
        assert hits(name, mine[name], ["Dossier-MDPH-Alice-Martin-2026"]), f"probe blind on Alice's {name}"
    # The shared conversion cache: content only.
    cached = list((settings.data_dir / "cache" / "documents").glob("*.json"))
    assert cached and not [h for p in cached for h in hits(p.name, p.read_bytes(), needles)]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_carl_gets_none_of_alices_names_and_her_erasure_leaves_no_trace_on_the_embedded_default(
    tmp_path: Path, start_worker: Callable[[Settings], RunningWorker]
) -> None:
    settings = make_settings(tmp_path)
    assert settings.resolved_broker_url().startswith("sqla+sqlite:///")
    worker = start_worker(settings)
    life = _live(settings, worker)
    _check_carl_sees_no_alice(life, settings)
    data = settings.data_dir
    needles = life.needles()
    assert grep_tree(data, needles), "before the erasure Alice is everywhere: the probe must see her"

    erased = life.alice.delete("/me")
    assert erased.status_code == 200 and erased.json()["jobs"] == 3, erased.text

    assert grep_tree(data, needles) == []
    engine = make_engine(settings.resolved_database_url())
    broker = make_engine(settings.resolved_broker_url().removeprefix("sqla+"))
    try:
        assert grep_tables(engine, [*needles, "blind"]) == []
        assert grep_tables(broker, needles) == []
        # Probes that can fail: Carl's job is still in the broker's table and in the files.
        assert grep_tables(broker, [life.carl_job["id"]]) and grep_tree(data, [life.carl_job["id"]])
    finally:
        engine.dispose()
        broker.dispose()
    _check_audit_and_what_stays(life, settings)


def _check_audit_and_what_stays(life: Life, settings: Settings) -> None:
    admin_id, token = make_user(settings, "admin", username="auditor")
    entries = life.carl.get("/audit", headers={"Authorization": f"Bearer {token}"}).json()
    writes = [e for e in entries if e["action"] == "profile.write"]
    erased = [e for e in entries if e["action"] == "data.erased"]
    assert len(writes) == 1 and len(erased) == 1, entries
    assert writes[0]["details"] == {} and erased[0]["subject_id"].startswith("erased-")
    assert writes[0]["subject_id"] == erased[0]["subject_id"]  # one pseudonym links her entries
    assert erased[0]["details"] == {"jobs": 3, "shares": 0, "account_deleted": True}
    # Carl's job and its files are untouched.
    job = life.carl.get(f"/jobs/{life.carl_job['id']}").json()
    assert job["status"] == "succeeded" and life.carl.get(job["artifacts"]["epub"]["url"]).status_code == 200
    assert life.alice.get("/me").status_code == 401


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_erasure_leaves_no_trace_in_any_postgresql_table_nor_in_the_data_folder(
    tmp_path: Path, start_worker: Callable[[Settings], RunningWorker], pg_db: str
) -> None:
    settings = make_settings(tmp_path, database_url=pg_db)
    worker = start_worker(settings)
    life = _live(settings, worker)
    engine = make_engine(pg_db)
    try:
        needles = life.needles()
        assert grep_tables(engine, needles), "before the erasure the probe must find Alice"
        assert life.alice.delete("/me").status_code == 200
        assert grep_tables(engine, [*needles, "blind"]) == []
        assert grep_tables(engine, [life.carl_job["id"]])  # the probe still sees what stays
    finally:
        engine.dispose()
    assert grep_tree(settings.data_dir, life.needles()) == []
    _check_audit_and_what_stays(life, settings)


def _queued_payloads(settings: Settings) -> list[str]:
    """Every message the broker holds, as text (SQL broker rows, or Redis queue entries and unacked ones)."""
    url = settings.resolved_broker_url()
    if url.startswith("sqla+"):
        from sqlalchemy import text

        engine = make_engine(url.removeprefix("sqla+"))
        try:
            with engine.connect() as conn:
                return [str(row[0]) for row in conn.execute(text("SELECT payload FROM kombu_message"))]
        finally:
            engine.dispose()
    import redis

    from workers.celery_app import ALL_QUEUES

    client = redis.Redis.from_url(url)
    try:
        return [entry.decode() for queue in ALL_QUEUES for entry in client.lrange(queue, 0, -1)] + [
            entry.decode() for entry in client.hgetall("unacked").values()
        ]
    finally:
        client.close()


@pytest.mark.parametrize("broker", ["sql", pytest.param("redis", marks=pytest.mark.redis)])
def test_erasure_removes_the_waiting_broker_messages_of_the_persons_jobs_and_only_those(
    tmp_path: Path, broker: str, request: pytest.FixtureRequest
) -> None:
    from privacy_probe import hits as found

    from inclusio.server import create_app
    from inclusio.store.erasure import _names_a_job

    overrides = {"broker_url": request.getfixturevalue("redis_url")} if broker == "redis" else {}
    settings = make_settings(tmp_path, **overrides)
    app = create_app(settings)  # no worker: the messages wait in the broker
    _, alice = _client(settings, "student", "univ-a", "alice.martin", app)
    _, carl = _client(settings, "student", "univ-b", "carl.b", app)
    hers = [_post(alice, REVEALING, COURSE.encode(), profile="blind", outputs="report") for _ in range(2)]
    his = _post(carl, "cours.md", COURSE.encode(), profile="dyslexia", outputs="report")
    before = _queued_payloads(settings)
    assert len(before) == 3 and all(any(_names_a_job(p, {job}) for p in before) for job in [*hers, his])
    assert alice.delete("/me").status_code == 200
    after = _queued_payloads(settings)
    assert len(after) == 1 and _names_a_job(after[0], {his}) and not _names_a_job(after[0], set(hers))
    assert not [hit for p in after for hit in found("message", p.encode(), ["alice", *hers])]


def test_retention_cleanup_leaves_no_byte_of_an_expired_job_in_the_sqlite_files(tmp_path: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from inclusio.store.jobs import JobStore
    from inclusio.store.models import Job, utcnow
    from inclusio.store.retention import cleanup

    settings = make_settings(tmp_path, retention_days=1)
    store = JobStore.from_settings(settings)
    store.migrate()
    try:
        job = store.create(
            profile_id="blind",
            filename=REVEALING,
            input_sha256="0" * 64,
            input_path="originals/00/" + "0" * 64,
            input_bytes=1,
        )
        store.finish(job.id, status="failed", errors=[], message="")
        with store.session() as session:
            session.execute(
                update(Job).where(Job.id == job.id).values(finished_at=utcnow() - timedelta(days=3))
            )
        assert grep_tree(settings.data_dir, ["Alice"]), "the probe sees the row before the cleanup"
        assert cleanup(settings, store=store).jobs == [job.id]
        assert grep_tree(settings.data_dir, ["Alice", job.id]) == []
    finally:
        store.dispose()
