"""Every error of a ``/web/`` address is a page in the reader's language (its code, what to do, a link home):
an unknown address (404), a form's address opened as a page (405, e.g. reached again with Back),
a page of another role (403) and a failure of the server (500); the API's addresses keep their JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user
from test_journeys import axe_clean, sign_in
from web_fixtures import PASSWORD, Server

from inclusio.web.session import WebRoute

ERRORS = {
    # status: (French heading, English heading, code)
    403: ("Accès refusé", "Access denied", "auth.forbidden"),
    404: ("Page introuvable", "Page not found", "page.not_found"),
    405: (
        "Cette adresse ne s'ouvre pas ainsi",
        "This address cannot be opened this way",
        "page.wrong_method",
    ),
    500: ("Erreur du serveur", "Server error", "page.failed"),
}


class Boom(RuntimeError):
    """A bug in a page (raised by the routes this test adds)."""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    """The whole app in this process, with two pages that fail as a bug would (one of the pages' routes, one
    plain route under /web/); a student's session token."""
    from inclusio.server import create_app

    tmp: Path = tmp_path_factory.mktemp("errors")
    settings = make_settings(tmp)
    app = create_app(settings)
    broken = APIRouter(route_class=WebRoute)

    @broken.get("/web/broken")
    def broken_page() -> None:
        raise Boom("a bug")

    app.include_router(broken)

    @app.get("/web/broken-plain")
    def broken_plain() -> None:
        raise Boom("a bug")

    _, token = make_user(settings, "student", username="student-errors", password=PASSWORD)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client, token


def assert_error_page(answer: Any, status: int, lang: str) -> None:
    french, english, code = ERRORS[status]
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert f'<html lang="{lang}"' in html
    heading = re.search(r"<h1>(.*?)</h1>", html)
    assert heading is not None
    assert heading.group(1).replace("&#39;", "'") == (french if lang == "fr" else english)
    assert (f"Code de l&#39;erreur : {code}" if lang == "fr" else f"Error code: {code}") in html
    assert '<a href="/web/">' in html  # the way home
    assert "Traceback" not in html and "a bug" not in html and "Boom" not in html  # no internals shown


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unknown_address_wrong_method_and_failure_are_pages(
    client: tuple[TestClient, str], lang: str
) -> None:
    http, _ = client
    headers = {"Accept-Language": "en-GB,en;q=0.9" if lang == "en" else "fr-FR"}
    assert_error_page(http.get("/web/no-such-page", headers=headers), 404, lang)
    assert_error_page(http.get("/web/jobs/abc/nothing/here", headers=headers), 404, lang)
    wrong = http.get("/web/teacher/shares", headers=headers)  # a form's address, opened as a page
    assert_error_page(wrong, 405, lang)
    assert wrong.headers["allow"] == "POST"
    assert_error_page(http.get("/web/broken", headers=headers), 500, lang)
    assert_error_page(http.get("/web/broken-plain", headers=headers), 500, lang)
    # what to do, in the page's language
    page = http.get("/web/no-such-page", headers=headers).text
    assert ("revenez à votre page d&#39;accueil" if lang == "fr" else "go back to your home page") in page


def test_another_roles_page_is_a_403_page(client: tuple[TestClient, str]) -> None:
    http, token = client
    answer = http.get("/web/staff", cookies={"inclusio_session": token}, headers={"Accept-Language": "en"})
    assert_error_page(answer, 403, "en")
    assert "Ask the disability-services staff" in answer.text


def test_the_api_keeps_its_json(client: tuple[TestClient, str]) -> None:
    http, token = client
    missing = http.get("/no-such-address", headers={"Accept-Language": "en"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "request.not_found"
    job = http.get("/jobs/0123456789abcdef0123456789abcdef", headers={"Authorization": f"Bearer {token}"})
    assert job.status_code == 404 and job.json()["error"]["code"] == "job.not_found"
    wrong = http.put("/jobs", headers={"Authorization": f"Bearer {token}"})
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "request.invalid"


def test_error_pages_in_the_browser(browser: Any, server: Server) -> None:
    """The pages as people meet them: axe-core clean, in an English browser and a French one."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, server, "staff1")
    page.get_by_role("link", name="Read this page in English").click()  # the person chooses English
    page.wait_for_load_state()
    answer = page.goto(f"{server.base}/web/student/request")  # a form's address, reached again as a page
    assert answer is not None and answer.status == 405
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == ERRORS[405][1]
    assert "page.wrong_method" in page.get_by_role("alert").inner_text()
    axe_clean(page, "405 page")
    page.get_by_role("link", name="Back to the home page").click()
    page.wait_for_load_state()
    assert page.url.endswith("/web/staff")
    context.close()

    english = browser.new_context(locale="en-GB")  # nobody chose: the browser's language
    page = english.new_page()
    answer = page.goto(f"{server.base}/web/no-such-page")
    assert answer is not None and answer.status == 404
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == ERRORS[404][1]
    axe_clean(page, "404 page (English)")
    english.close()

    french = browser.new_context(locale="fr-FR")
    page = french.new_page()
    answer = page.goto(f"{server.base}/web/pas-de-page")
    assert answer is not None and answer.status == 404
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == ERRORS[404][0]
    axe_clean(page, "404 page")
    french.close()
