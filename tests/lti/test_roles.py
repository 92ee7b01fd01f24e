"""A launch's role is the session's, for the launch's course (lti/scope.py), never the account's: one person is
a teacher in course A and a learner in course B, through the real app and the test platform (platform.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lti_test_platform import DISABILITY, INSTRUCTOR, LEARNER, TestPlatform
from service_helpers import make_settings

from inclusio.lti.launch import CLAIM
from inclusio.store.lti import PlatformStore

COURSE_A = {"id": "ctx-a", "label": "BIO-101", "title": "Biologie cellulaire"}
COURSE_B = {"id": "ctx-b", "label": "CHIM-2", "title": "Chimie"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from inclusio.server import create_app

    app = create_app(make_settings(tmp_path_factory.mktemp("lti-roles")), enqueue=lambda kind, job_id: None)
    platform = TestPlatform()
    PlatformStore(app.state.services.store.db).add(
        **platform.registration(), institution="univ-r", staff_role=DISABILITY
    )
    try:
        yield {"app": app, "platform": platform, "svc": app.state.services}
    finally:
        platform.close()


def launched(
    world: dict[str, Any], browser: TestClient, roles: list[str], course: dict[str, str], **kw: Any
) -> str:
    """Login, launch (as ``prof-1`` unless told) and the ticket's exchange in ``browser``: where it leads."""
    platform = world["platform"]
    answer = browser.get("/lti/login", params=platform.login_params(), follow_redirects=False)
    assert answer.status_code == 302, answer.text
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
    token = platform.id_token(
        query["nonce"], sub=kw.pop("sub", "prof-1"), roles=roles, extra={CLAIM + "context": course}, **kw
    )
    answer = browser.post(
        "/lti/launch", data={"id_token": token, "state": query["state"]}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    page = browser.get(answer.headers["location"], follow_redirects=False)
    assert page.status_code == 200, page.text
    return page.headers["refresh"].split("url=", 1)[1]


def accounts(world: dict[str, Any]) -> list[Any]:
    return world["svc"].users.list(institution="univ-r")


def test_a_teacher_in_course_a_who_is_a_learner_in_course_b(world: dict[str, Any]) -> None:
    in_a, in_b = TestClient(world["app"]), TestClient(world["app"])  # two browsers of the same person
    assert launched(world, in_a, [INSTRUCTOR], COURSE_A) == "/lti/course?course=BIO-101"
    assert in_a.get("/lti/course", params={"course": "BIO-101"}).status_code == 200

    # the same person launches as a Learner in course B: the student side there
    assert launched(world, in_b, [LEARNER], COURSE_B) == "/web/student"
    student = in_b.get("/web/student", follow_redirects=False)
    assert student.status_code == 200 and "(étudiant·e)" in student.text
    for teacher_page in ("/web/teacher", "/lti/course?course=CHIM-2", "/lti/course?course=BIO-101"):
        refused = in_b.get(teacher_page, follow_redirects=False)
        assert refused.status_code == 403 and "auth.forbidden" in refused.text, teacher_page

    # the session opened in course A is still an instructor's, for course A only
    assert in_a.get("/lti/course", params={"course": "BIO-101"}).status_code == 200
    assert in_a.get("/web/teacher", follow_redirects=False).status_code == 200
    other = in_a.get("/lti/course", params={"course": "CHIM-2"}, follow_redirects=False)
    assert other.status_code == 403 and "lti.other_course" in other.text
    assert "Ouvrez inclusio depuis ce cours" in other.text

    # one account, whose own role no launch changed (the least: a launch's role is its session's)
    (account,) = accounts(world)
    assert account.role == "student"

    # in one browser, the latest launch decides: B as a learner, then A as an instructor again
    assert launched(world, in_a, [LEARNER], COURSE_B) == "/web/student"
    assert in_a.get("/lti/course", params={"course": "BIO-101"}, follow_redirects=False).status_code == 403
    assert launched(world, in_a, [INSTRUCTOR], COURSE_A) == "/lti/course?course=BIO-101"
    assert in_a.get("/lti/course", params={"course": "BIO-101"}).status_code == 200
    assert len(accounts(world)) == 1


def test_a_deep_linking_request_of_course_a_is_not_answered_from_a_learners_session(
    world: dict[str, Any],
) -> None:
    browser = TestClient(world["app"])
    picker = launched(
        world, browser, [INSTRUCTOR], COURSE_A, sub="prof-2", message_type="LtiDeepLinkingRequest"
    )
    assert picker.startswith("/lti/deep-link/")
    page = browser.get(picker)
    assert page.status_code == 200 and "BIO-101" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    # the same browser then launches as a learner in course B: the picker is no longer theirs to use
    assert launched(world, browser, [LEARNER], COURSE_B, sub="prof-2") == "/web/student"
    assert browser.get(picker).status_code == 403
    lesson = b"# Ondes\n\nUne onde transporte de l'energie.\n"
    answer = browser.post(
        picker, data={"csrf_token": csrf}, files={"file": ("ondes.md", lesson, "text/markdown")}
    )
    assert answer.status_code == 403
    assert world["svc"].shares.list(institution="univ-r") == []


def test_a_disability_services_launch_is_staff_for_that_session_only(world: dict[str, Any]) -> None:
    officer, learner = TestClient(world["app"]), TestClient(world["app"])
    assert launched(world, officer, [LEARNER, DISABILITY], COURSE_A, sub="officer-1").startswith(
        "/lti/course"
    )
    assert officer.get("/web/staff", follow_redirects=False).status_code == 200
    assert launched(world, learner, [LEARNER], COURSE_A, sub="officer-1") == "/web/student"
    assert learner.get("/web/staff", follow_redirects=False).status_code == 403
    assert officer.get("/web/staff", follow_redirects=False).status_code == 200
