"""Accounts made by a course platform's launch have no password: no "password" link on their pages, and the
password page refuses them with a coded message (lti.no_password); a local account keeps both."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lti_test_platform import INSTRUCTOR, LEARNER, TestPlatform
from service_helpers import make_settings, make_user

from inclusio.store.lti import PlatformStore

PASSWORD_LINK = 'href="/web/password"'


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from inclusio.server import create_app

    settings = make_settings(tmp_path_factory.mktemp("lti-password"))
    app = create_app(settings, enqueue=lambda kind, job_id: None)
    platform = TestPlatform()
    PlatformStore(app.state.services.store.db).add(**platform.registration(), institution="univ-p")
    try:
        yield {"app": app, "platform": platform, "settings": settings}
    finally:
        platform.close()


def launched(world: dict[str, Any], roles: list[str], sub: str) -> tuple[TestClient, str]:
    browser, platform = TestClient(world["app"]), world["platform"]
    answer = browser.get("/lti/login", params=platform.login_params(), follow_redirects=False)
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
    token = platform.id_token(query["nonce"], sub=sub, roles=roles)
    answer = browser.post(
        "/lti/launch", data={"id_token": token, "state": query["state"]}, follow_redirects=False
    )
    page = browser.get(answer.headers["location"], follow_redirects=False)
    assert page.status_code == 200, page.text
    return browser, page.headers["refresh"].split("url=", 1)[1]


@pytest.mark.parametrize(("roles", "home"), [([LEARNER], "/web/student"), ([INSTRUCTOR], "/web/teacher")])
def test_a_launched_account_has_no_password_link_and_the_password_page_refuses_it(
    world: dict[str, Any], roles: list[str], home: str
) -> None:
    browser, _ = launched(world, roles, sub=f"no-password-{home[5:]}")
    page = browser.get(home, follow_redirects=False)
    assert page.status_code == 200 and "Se déconnecter" in page.text  # signed in
    assert PASSWORD_LINK not in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    refused = browser.get("/web/password", follow_redirects=False)
    assert refused.status_code == 403 and "lti.no_password" in refused.text
    assert "Ouvrez inclusio depuis votre cours" in refused.text and PASSWORD_LINK not in refused.text
    posted = browser.post(
        "/web/password",
        data={
            "csrf_token": csrf,
            "current_password": "x",
            "new_password": "12345678",
            "confirm_password": "12345678",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 403 and "lti.no_password" in posted.text
    english = browser.get("/web/password", headers={"Accept-Language": "en"}, follow_redirects=False)
    assert "it has no password in inclusio" in english.text


def test_a_local_account_keeps_its_password_link_and_page(world: dict[str, Any]) -> None:
    _, token = make_user(world["settings"], "student", institution="univ-p", password="a-long-password")
    browser = TestClient(world["app"])
    browser.cookies.set("inclusio_session", token)
    page = browser.get("/web/student", follow_redirects=False)
    assert page.status_code == 200 and PASSWORD_LINK in page.text
    assert browser.get("/web/password", follow_redirects=False).status_code == 200
