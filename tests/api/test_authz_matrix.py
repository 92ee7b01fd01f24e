"""Every route, for every role and for an anonymous caller: who gets what.

Institution A has two students (s1, s2), a teacher, a staff member and an admin; institution B has a
staff member. The world: a job s1 submitted (finished, with a report), one the teacher submitted, one
A's staff made for s1 with s1's stored profile, a batch of s1's, and a document the teacher shared with
A's students. Anything the caller may not see answers 404 (its existence is not revealed); what their
role may never do answers 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user

from inclusio.server import create_app
from inclusio.store.jobs import JobStore

ROLES = ("anon", "s1", "s2", "teacher", "staff", "staff_b", "admin")


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, str]
    pdf: bytes
    settings: Any

    def auth(self, who: str) -> dict[str, str]:
        return {} if who == "anon" else {"Authorization": f"Bearer {self.tokens[who]}"}

    def fresh_token(self, who: str) -> dict[str, str]:
        if who == "anon":
            return {}
        from inclusio.store.accounts import UserStore

        store = JobStore.from_settings(self.settings)
        token, _ = UserStore(store.engine).issue_token(self.ids[who], hours=1)
        store.dispose()
        return {"Authorization": f"Bearer {token}"}

    def job_of(self, who: str, **data: str) -> str:
        response = self.client.post(
            "/jobs",
            headers=self.auth(who),
            files={"file": ("cours.pdf", self.pdf)},
            data={"profile": "dyslexia", "outputs": "json,report", **data},
        )
        assert response.status_code == 202, response.text
        return str(response.json()["id"])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, small_pdf: Path) -> World:
    settings = make_settings(tmp_path_factory.mktemp("matrix"))
    app = create_app(settings, enqueue=lambda _kind, _job: None)
    client = TestClient(app)
    client.fastapi_app = app  # type: ignore[attr-defined]
    tokens, ids = {}, {}
    for name, role, inst in (
        ("s1", "student", "A"),
        ("s2", "student", "A"),
        ("teacher", "teacher", "A"),
        ("staff", "staff", "A"),
        ("staff_b", "staff", "B"),
        ("admin", "admin", "A"),
    ):
        ids[name], tokens[name] = make_user(settings, role, institution=inst, username=name)
    w = World(client, tokens, ids, small_pdf.read_bytes(), settings)
    assert client.put("/me/profile", headers=w.auth("s1"), json={"profile": "dyslexia"}).status_code == 200
    ids["job_s1"] = w.job_of("s1")
    ids["job_teacher"] = w.job_of("teacher")
    ids["job_cohort"] = w.job_of("staff", learner="s1", profile="")
    store = JobStore.from_settings(settings)
    job_dir = settings.data_dir / "jobs" / ids["job_s1"]
    job_dir.mkdir(parents=True)
    (job_dir / "cours.report.json").write_text('{"status": "succeeded"}')
    store.start(ids["job_s1"])
    store.finish(
        ids["job_s1"],
        status="succeeded",
        artifacts={"report": {"file": "cours.report.json", "media_type": "application/json", "bytes": 23}},
    )
    batch = client.post(
        "/batches",
        headers=w.auth("s1"),
        files=[("files", ("a.pdf", w.pdf))],
        data={"profile": "blind", "outputs": "json"},
    )
    assert batch.status_code == 202, batch.text
    ids["batch_s1"] = batch.json()["id"]
    ids["share_teacher"] = _share_of(w, "teacher")
    return w


def _share_of(w: World, who: str, course: str = "BIO-101") -> str:
    """A document ``who`` shares with the students of their institution (a fresh upload each time)."""
    response = w.client.post(
        "/shares",
        headers=w.auth(who),
        files={"file": ("cours.pdf", w.pdf)},
        data={"title": "La cellule", "course": f"{course}-{uuid.uuid4().hex[:6]}"},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _student_in_a(w: World) -> str:
    return make_user(w.settings, "student", institution="A")[0]


OK_ALL = {r: 200 for r in ROLES} | {"anon": 401}
STAFF_ONLY = {"anon": 401, "s1": 403, "s2": 403, "teacher": 403, "staff": 200, "staff_b": 200, "admin": 200}
S1_THINGS = {"anon": 401, "s1": 200, "s2": 404, "teacher": 404, "staff": 200, "staff_b": 404, "admin": 200}
S1_TECHNICAL = S1_THINGS | {"s1": 403}
"""s1's job's technical files (report, document JSON, audio timings): its staff and admins, not s1 (issue #16)."""

# (method, route template) -> (how to call it for a caller, expected status per caller)
Call = Callable[[World, str], Any]
MATRIX: dict[tuple[str, str], tuple[Call, dict[str, int]]] = {
    ("GET", "/health"): (
        lambda w, who: w.client.get("/health", headers=w.auth(who)),
        {r: 200 for r in ROLES},
    ),
    ("GET", "/profiles"): (
        lambda w, who: w.client.get("/profiles", headers=w.auth(who)),
        {r: 200 for r in ROLES},
    ),
    ("GET", "/profiles/{profile_id}"): (
        lambda w, who: w.client.get("/profiles/blind", headers=w.auth(who)),
        {r: 200 for r in ROLES},
    ),
    ("GET", "/metrics"): (lambda w, who: w.client.get("/metrics", headers=w.auth(who)), STAFF_ONLY),
    # a report: staff (their institution), administrators and teachers (their own courses); never a student
    ("GET", "/reports/{name}"): (
        lambda w, who: w.client.get("/reports/source", headers=w.auth(who)),
        STAFF_ONLY | {"teacher": 200},
    ),
    ("POST", "/preview/readability"): (
        lambda w, who: w.client.post(
            "/preview/readability", headers=w.auth(who), files={"file": ("c.pdf", w.pdf)}
        ),
        OK_ALL,
    ),
    ("POST", "/auth/token"): (  # each caller tries another name: no account nears its sign-in throttle
        lambda w, who: w.client.post(
            "/auth/token",
            headers=w.auth(who),
            data={"username": "s1" if who == "anon" else who, "password": "not the password"},
        ),
        {r: 401 for r in ROLES},
    ),
    ("DELETE", "/auth/token"): (
        lambda w, who: w.client.delete("/auth/token", headers=w.fresh_token(who)),
        {r: 204 for r in ROLES} | {"anon": 401},
    ),
    ("GET", "/me"): (lambda w, who: w.client.get("/me", headers=w.auth(who)), OK_ALL),
    ("DELETE", "/me"): (lambda w, who: w.client.delete("/me", headers=_throwaway(w, who)), OK_ALL),
    ("GET", "/me/profile"): (lambda w, who: w.client.get("/me/profile", headers=w.auth(who)), OK_ALL),
    ("PUT", "/me/profile"): (
        lambda w, who: w.client.put("/me/profile", headers=w.auth(who), json={"profile": "dyslexia"}),
        OK_ALL,
    ),
    ("GET", "/users"): (lambda w, who: w.client.get("/users", headers=w.auth(who)), STAFF_ONLY),
    ("POST", "/users"): (
        lambda w, who: w.client.post(
            "/users",
            headers=w.auth(who),
            json={
                "username": f"new-{uuid.uuid4().hex[:8]}",
                "role": "student",
                "institution": "A",
                "password": "longenough",
            },
        ),
        {"anon": 401, "s1": 403, "s2": 403, "teacher": 403, "staff": 201, "staff_b": 403, "admin": 201},
    ),
    ("GET", "/users/{user_id}"): (
        lambda w, who: w.client.get(f"/users/{w.ids['s1']}", headers=w.auth(who)),
        S1_THINGS,
    ),
    ("GET", "/users/{user_id}/profile"): (
        lambda w, who: w.client.get(f"/users/{w.ids['s1']}/profile", headers=w.auth(who)),
        S1_THINGS,
    ),
    ("PUT", "/users/{user_id}/profile"): (
        lambda w, who: w.client.put(
            f"/users/{w.ids['s1']}/profile", headers=w.auth(who), json={"profile": "dyslexia"}
        ),
        S1_THINGS,
    ),
    ("DELETE", "/users/{user_id}/data"): (
        lambda w, who: w.client.delete(f"/users/{_student_in_a(w)}/data", headers=w.auth(who)),
        {"anon": 401, "s1": 404, "s2": 404, "teacher": 404, "staff": 200, "staff_b": 404, "admin": 200},
    ),
    ("GET", "/audit"): (lambda w, who: w.client.get("/audit", headers=w.auth(who)), STAFF_ONLY),
    ("POST", "/jobs"): (
        lambda w, who: w.client.post(
            "/jobs",
            headers=w.auth(who),
            files={"file": ("c.pdf", w.pdf)},
            data={"profile": "blind", "outputs": "json"},
        ),
        {r: 202 for r in ROLES} | {"anon": 401},
    ),
    ("GET", "/jobs"): (lambda w, who: w.client.get("/jobs", headers=w.auth(who)), OK_ALL),
    ("GET", "/jobs/{job_id}"): (
        lambda w, who: w.client.get(f"/jobs/{w.ids['job_s1']}", headers=w.auth(who)),
        S1_THINGS,
    ),
    ("DELETE", "/jobs/{job_id}"): (
        lambda w, who: w.client.delete(f"/jobs/{w.job_of('s1')}", headers=w.auth(who)),
        {"anon": 401, "s1": 204, "s2": 404, "teacher": 404, "staff": 204, "staff_b": 404, "admin": 204},
    ),
    ("GET", "/jobs/{job_id}/events"): (
        lambda w, who: w.client.get(f"/jobs/{w.ids['job_s1']}/events", headers=w.auth(who)),
        S1_THINGS,
    ),
    ("GET", "/jobs/{job_id}/artifacts/{name}"): (
        lambda w, who: w.client.get(f"/jobs/{w.ids['job_s1']}/artifacts/report", headers=w.auth(who)),
        S1_TECHNICAL,
    ),
    ("POST", "/batches"): (
        lambda w, who: w.client.post(
            "/batches",
            headers=w.auth(who),
            files=[("files", ("a.pdf", w.pdf))],
            data={"profile": "blind", "outputs": "json"},
        ),
        {r: 202 for r in ROLES} | {"anon": 401},
    ),
    ("GET", "/batches"): (lambda w, who: w.client.get("/batches", headers=w.auth(who)), OK_ALL),
    ("GET", "/batches/{batch_id}"): (
        lambda w, who: w.client.get(f"/batches/{w.ids['batch_s1']}", headers=w.auth(who)),
        S1_THINGS,
    ),
}


MANAGES_A_STUDENT = {
    "anon": 401,
    "s1": 403,
    "s2": 403,
    "teacher": 403,
    "staff": 204,
    "staff_b": 404,
    "admin": 204,
}
MATRIX.update(
    {  # passwords and sign-in locks (web hardening)
        ("POST", "/me/password"): (
            lambda w, who: w.client.post(
                "/me/password",
                headers=_throwaway(w, who, password="ancien-mot-de-passe"),
                json={"current_password": "ancien-mot-de-passe", "new_password": "nouveau-mot-de-passe"},
            ),
            OK_ALL,
        ),
        ("PUT", "/users/{user_id}/password"): (
            lambda w, who: w.client.put(
                f"/users/{_student_in_a(w)}/password",
                headers=w.auth(who),
                json={"new_password": "remis-a-zero-2026"},
            ),
            MANAGES_A_STUDENT,
        ),
        ("DELETE", "/users/{user_id}/lock"): (
            lambda w, who: w.client.delete(f"/users/{_student_in_a(w)}/lock", headers=w.auth(who)),
            MANAGES_A_STUDENT,
        ),
    }
)


def _throwaway(w: World, who: str, password: str | None = None) -> dict[str, str]:
    """DELETE /me erases the caller: run it as a fresh account of the same role and institution."""
    if who == "anon":
        return {}
    role = {
        "s1": "student",
        "s2": "student",
        "teacher": "teacher",
        "staff": "staff",
        "staff_b": "staff",
        "admin": "admin",
    }[who]
    _user, token = make_user(
        w.settings, role, institution="B" if who == "staff_b" else "A", password=password
    )
    return {"Authorization": f"Bearer {token}"}


def _reviewable(w: World) -> str:
    """A finished job of s1 with its Document (the json output) holding one easy-to-read draft (made once)."""
    if "job_doc" not in w.ids:
        from inclusio.model.document import (
            Adaptation,
            Document,
            GlossaryEntry,
            Paragraph,
            Provenance,
            SourceInfo,
        )

        job_id = w.job_of("s1")
        draft = Adaptation(
            kind="easy_read",
            provenance=Provenance(engine="offline", pass_name="easy_read"),
            blocks=[Paragraph(id="p1.e1", text="La cellule vit.")],
        )
        doc = Document(
            title="Cours",
            source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
            blocks=[Paragraph(id="p1", text="La cellule, qui vit, respire.", adaptations=[draft])],
            glossary=[  # reviewed or not, defined: nothing here holds the release back
                GlossaryEntry(
                    term=term,
                    definition=f"Le mot {term}.",
                    provenance=Provenance(**made),
                    translations={"en": term} if term == "membrane" else {},
                )
                for term, made in (
                    ("cellule", {"engine": "offline", "pass_name": "glossary"}),
                    ("noyau", {"engine": "human", "pass_name": "glossary", "reviewed_by": "staff"}),
                    ("membrane", {"engine": "human", "pass_name": "glossary", "reviewed_by": "staff"}),
                )
            ],
        )
        job_dir = w.settings.data_dir / "jobs" / job_id
        job_dir.mkdir(parents=True)
        (job_dir / "cours.document.json").write_text(doc.to_json())
        store = JobStore.from_settings(w.settings)
        store.start(job_id)
        store.finish(
            job_id,
            status="succeeded",
            artifacts={"json": {"file": "cours.document.json", "media_type": "application/json"}},
        )
        store.dispose()
        w.ids["job_doc"] = job_id
    return w.ids["job_doc"]


REVIEWERS = {"anon": 401, "s1": 403, "s2": 403, "teacher": 403, "staff": 200, "staff_b": 404, "admin": 200}
MATRIX.update(
    {  # review routes (web issue): reading for whoever sees the job, changes for staff
        ("GET", "/jobs/{job_id}/document"): (
            lambda w, who: w.client.get(f"/jobs/{_reviewable(w)}/document", headers=w.auth(who)),
            S1_TECHNICAL,
        ),
        ("PUT", "/jobs/{job_id}/blocks/{block_id}/adaptation"): (
            lambda w, who: w.client.put(
                f"/jobs/{_reviewable(w)}/blocks/p1/adaptation",
                headers=w.auth(who),
                json={"kind": "easy_read", "text": "La cellule respire."},
            ),
            REVIEWERS,
        ),
        ("POST", "/jobs/{job_id}/blocks/{block_id}/approve"): (
            lambda w, who: w.client.post(
                f"/jobs/{_reviewable(w)}/blocks/p1/approve", headers=w.auth(who), json={"kind": "easy_read"}
            ),
            REVIEWERS,
        ),
        ("POST", "/jobs/{job_id}/blocks/{block_id}/regenerate"): (
            lambda w, who: w.client.post(
                f"/jobs/{_reviewable(w)}/blocks/p1/regenerate",
                headers=w.auth(who),
                json={"kind": "easy_read"},
            ),
            REVIEWERS,
        ),
        ("PUT", "/jobs/{job_id}/glossary/{term}"): (
            lambda w, who: w.client.put(
                f"/jobs/{_reviewable(w)}/glossary/cellule",
                headers=w.auth(who),
                json={"definition": "La plus petite partie du vivant."},
            ),
            REVIEWERS,
        ),
        ("PUT", "/jobs/{job_id}/glossary/{term}/translation"): (
            lambda w, who: w.client.put(
                f"/jobs/{_reviewable(w)}/glossary/membrane/translation",
                headers=w.auth(who),
                json={"translation": "membrane"},
            ),
            REVIEWERS,
        ),
        ("POST", "/jobs/{job_id}/glossary"): (  # a preview (no confirm): it changes nothing
            lambda w, who: w.client.post(
                f"/jobs/{_reviewable(w)}/glossary", headers=w.auth(who), json={"action": "remove_undefined"}
            ),
            REVIEWERS,
        ),
        ("POST", "/jobs/{job_id}/glossary/{term}/approve"): (
            lambda w, who: w.client.post(
                f"/jobs/{_reviewable(w)}/glossary/cellule/approve", headers=w.auth(who)
            ),
            REVIEWERS,
        ),
        ("DELETE", "/jobs/{job_id}/glossary/{term}"): (  # a removed term stays removed when asked again
            lambda w, who: w.client.delete(f"/jobs/{_reviewable(w)}/glossary/noyau", headers=w.auth(who)),
            REVIEWERS,
        ),
        ("POST", "/jobs/{job_id}/release"): (
            lambda w, who: w.client.post(f"/jobs/{_reviewable(w)}/release", headers=w.auth(who)),
            REVIEWERS | {"staff": 202, "admin": 202},
        ),
    }
)

A_SHARE = {"anon": 401, "s1": 200, "s2": 200, "teacher": 200, "staff": 200, "staff_b": 404, "admin": 200}
MATRIX.update(
    {  # shared documents: teachers and staff share, their institution's students ask for versions
        ("POST", "/shares"): (
            lambda w, who: w.client.post(
                "/shares", headers=w.auth(who), files={"file": ("c.pdf", w.pdf)}, data={"course": "BIO-101"}
            ),
            {"anon": 401, "s1": 403, "s2": 403, "teacher": 201, "staff": 201, "staff_b": 201, "admin": 201},
        ),
        ("GET", "/shares"): (lambda w, who: w.client.get("/shares", headers=w.auth(who)), OK_ALL),
        ("GET", "/shares/{share_id}"): (
            lambda w, who: w.client.get(f"/shares/{w.ids['share_teacher']}", headers=w.auth(who)),
            A_SHARE,
        ),
        ("DELETE", "/shares/{share_id}"): (
            lambda w, who: w.client.delete(f"/shares/{_share_of(w, 'teacher')}", headers=w.auth(who)),
            {"anon": 401, "s1": 403, "s2": 403, "teacher": 204, "staff": 204, "staff_b": 404, "admin": 204},
        ),
        ("POST", "/shares/{share_id}/jobs"): (
            lambda w, who: w.client.post(
                f"/shares/{w.ids['share_teacher']}/jobs",
                headers=w.auth(who),
                data={"profile": "blind", "outputs": "json"},
            ),
            A_SHARE | {r: 202 for r in ("s1", "s2", "teacher", "staff", "admin")},
        ),
    }
)


def test_the_matrix_covers_every_route_of_the_api(world: World) -> None:
    schema = world.client.get("/openapi.json").json()
    routes = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert routes == set(MATRIX), routes ^ set(MATRIX)


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_role_gets_what_it_may_and_nothing_more(world: World, route: tuple[str, str]) -> None:
    call, expected = MATRIX[route]
    got = {who: call(world, who).status_code for who in ROLES}
    assert got == expected
    for who in ROLES:  # refusals carry the one coded error body
        response = call(world, who) if got[who] >= 400 and route[0] == "GET" else None
        if response is not None:
            assert response.json()["error"]["code"] in {
                "auth.required",
                "auth.forbidden",
                "job.not_found",
                "user.not_found",
                "batch.not_found",
                "share.not_found",
                "auth.invalid",
                "request.not_found",
                "artifact.staff_only",
            }


STUDENT_FILES = {"epub": ".epub", "mp3": ".mp3", "mp3-01": "-01.mp3", "html": ".html", "brf": ".brf"}
STUDENT_FILES |= {"large-print": ".large-print.pdf"}
TECHNICAL_FILES = {"report": ".report.json", "json": ".json", "audio-timings": ".timings.json"}


def _finished_with_files(w: World, job_id: str) -> None:
    """``job_id`` finished with every kind of file a job makes (small stand-ins: the route sends bytes)."""
    job_dir = w.settings.data_dir / "jobs" / job_id
    job_dir.mkdir(parents=True, exist_ok=True)
    artifacts = {}
    for name, suffix in (STUDENT_FILES | TECHNICAL_FILES).items():
        (job_dir / f"cours{suffix}").write_bytes(name.encode())
        artifacts[name] = {
            "file": f"cours{suffix}",
            "media_type": "application/octet-stream",
            "bytes": len(name),
        }
    store = JobStore.from_settings(w.settings)
    store.start(job_id)
    store.finish(job_id, status="succeeded", artifacts=artifacts)
    store.dispose()


def test_a_student_fetches_the_files_made_for_them_and_not_the_technical_ones(world: World) -> None:
    """The API's rule is the web pages': a student gets their list (EPUB, MP3, each section MP3, web page,
    braille, large print) of their own job and of the one staff made for them; the report, the document JSON
    and the audio timings answer artifact.staff_only (403, French and English), for the job's teacher, staff
    and admins they are files like the others."""
    own, cohort, teachers = (
        world.job_of("s1"),
        world.job_of("staff", learner="s1", profile=""),
        world.job_of("teacher"),
    )
    for job_id in (own, cohort, teachers):
        _finished_with_files(world, job_id)
    for job_id, who in ((own, "s1"), (cohort, "s1"), (own, "staff"), (teachers, "teacher"), (own, "admin")):
        for name in STUDENT_FILES:
            answer = world.client.get(f"/jobs/{job_id}/artifacts/{name}", headers=world.auth(who))
            assert answer.status_code == 200 and answer.content == name.encode(), (who, name, answer.text)
    for job_id in (own, cohort):
        for name in TECHNICAL_FILES:
            refused = world.client.get(f"/jobs/{job_id}/artifacts/{name}", headers=world.auth("s1"))
            assert refused.status_code == 403, (name, refused.text)
            error = refused.json()["error"]
            assert error["code"] == "artifact.staff_only" and error["message"] and error["message_fr"]
            assert error["details"] == {"job": job_id, "artifact": name}
    for job_id, who in ((own, "staff"), (cohort, "admin"), (teachers, "teacher")):
        for name in TECHNICAL_FILES:
            answer = world.client.get(f"/jobs/{job_id}/artifacts/{name}", headers=world.auth(who))
            assert answer.status_code == 200 and answer.content == name.encode(), (who, name)
    # A name the job does not have is not found for everyone, the student too (nothing is revealed).
    missing = world.client.get(f"/jobs/{own}/artifacts/pdf", headers=world.auth("s1"))
    assert missing.json()["error"]["code"] == "artifact.not_found"
    # Nor another student's files, technical or not.
    assert world.client.get(f"/jobs/{own}/artifacts/epub", headers=world.auth("s2")).status_code == 404
    assert world.client.get(f"/jobs/{own}/artifacts/report", headers=world.auth("s2")).status_code == 404


def test_job_lists_show_each_role_exactly_its_jobs(world: World) -> None:
    def ids(who: str) -> set[str]:
        return {j["id"] for j in world.client.get("/jobs?limit=500", headers=world.auth(who)).json()}

    fixed = {world.ids[k] for k in ("job_s1", "job_teacher", "job_cohort")}
    assert ids("s1") & fixed == {world.ids["job_s1"], world.ids["job_cohort"]}
    assert ids("s2") & fixed == set()
    assert ids("teacher") & fixed == {world.ids["job_teacher"]}
    assert ids("staff") & fixed == fixed and ids("admin") >= fixed
    assert ids("staff_b") & fixed == set()
    everyone_in_a = ids("staff")
    assert all(
        world.client.get(f"/jobs/{j}", headers=world.auth("staff")).status_code == 200 for j in everyone_in_a
    )


def test_a_teacher_cannot_use_a_learners_profile_and_staff_of_b_cannot_use_as(world: World) -> None:
    for who in ("teacher", "s2", "staff_b"):
        response = world.client.post(
            "/jobs", headers=world.auth(who), files={"file": ("c.pdf", world.pdf)}, data={"learner": "s1"}
        )
        assert response.status_code in (403, 404), (who, response.text)


def test_a_shared_document_gives_each_student_a_job_only_they_see(world: World) -> None:
    share = world.ids["share_teacher"]
    mine = {}
    for who in ("s1", "s2"):
        response = world.client.post(
            f"/shares/{share}/jobs",
            headers=world.auth(who),
            data={"outputs": "json"} if who == "s1" else {"profile": "easy-read", "outputs": "json"},
        )
        assert response.status_code == 202, response.text
        mine[who] = response.json()["id"]
    jobs = {who: world.client.get(f"/jobs/{mine[who]}", headers=world.auth(who)).json() for who in mine}
    # s1 has no profile given: their stored one (dyslexia); the same original, no new upload.
    assert jobs["s1"]["profile"] == "dyslexia" and jobs["s2"]["profile"] == "easy-read"
    assert jobs["s1"]["input"] == jobs["s2"]["input"] and jobs["s1"]["filename"] == "cours.pdf"
    for me, other in (("s1", "s2"), ("s2", "s1")):
        assert world.client.get(f"/jobs/{mine[other]}", headers=world.auth(me)).status_code == 404
        listed = {j["id"] for j in world.client.get("/jobs?limit=500", headers=world.auth(me)).json()}
        assert mine[me] in listed and mine[other] not in listed
    assert world.client.get(f"/jobs/{mine['s1']}", headers=world.auth("teacher")).status_code == 404
    # What a student sees of a share: its title, course and file name; not who shared it, nor its file's hash.
    seen = world.client.get(f"/shares/{share}", headers=world.auth("s2")).json()
    assert (
        seen["title"] == "La cellule"
        and seen["course"].startswith("BIO-101")
        and seen["filename"] == "cours.pdf"
    )
    assert seen["owner_id"] is None and seen["input"] is None
    assert (
        world.client.get(f"/shares/{share}", headers=world.auth("teacher")).json()["owner_id"]
        == world.ids["teacher"]
    )
    listed = world.client.get("/shares?search=bio-101", headers=world.auth("s1")).json()
    assert share in {s["id"] for s in listed} and all(s["owner_id"] is None for s in listed)
    assert world.client.get("/shares?search=chimie", headers=world.auth("s1")).json() == []
    assert share not in {s["id"] for s in world.client.get("/shares", headers=world.auth("staff_b")).json()}


def test_only_ones_own_uploads_can_be_shared(world: World) -> None:
    # Staff see s1's upload (their institution) but may not share a student's document; its owner is a student.
    for who in ("staff", "s1"):
        response = world.client.post("/shares", headers=world.auth(who), data={"job": world.ids["job_s1"]})
        assert response.status_code == 403, (who, response.text)
    response = world.client.post(
        "/shares",
        headers=world.auth("teacher"),
        data={"job": world.ids["job_teacher"], "course": "  BIO   101 "},
    )
    assert response.status_code == 201 and response.json()["course"] == "BIO 101"
    again = world.client.post(
        "/shares", headers=world.auth("teacher"), data={"job": world.ids["job_teacher"], "course": "BIO 101"}
    )
    assert again.json()["id"] == response.json()["id"]  # shared once, not twice
    assert (
        world.client.post("/shares", headers=world.auth("teacher"), data={"course": "x"}).status_code == 400
    )
