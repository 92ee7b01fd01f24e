"""Login CSRF: the login's state is bound to the browser that started it (a cookie per login, SameSite=None;
Secure over HTTPS), and so is the session ticket. A launch or ticket carried to another browser is refused
(lti.other_browser); a browser that dropped the cookie (a frame with third-party cookies blocked) is offered
the same login in a new window, where the cookie is first-party."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lti_test_platform import LEARNER, TestPlatform
from service_helpers import make_settings
from sqlalchemy import func, select

from inclusio.store.lti import PlatformStore
from inclusio.store.models import ApiToken, User


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from inclusio.server import create_app

    app = create_app(make_settings(tmp_path_factory.mktemp("lti-csrf")), enqueue=lambda kind, job_id: None)
    platform = TestPlatform()
    PlatformStore(app.state.services.store.db).add(**platform.registration(), institution="univ-c")
    try:
        yield {"app": app, "platform": platform, "svc": app.state.services}
    finally:
        platform.close()


def login(browser: TestClient, platform: TestPlatform, **params: str) -> tuple[dict[str, str], Any]:
    answer = browser.get("/lti/login", params=platform.login_params(**params), follow_redirects=False)
    assert answer.status_code == 302, answer.text
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}, answer


def counts(world: dict[str, Any]) -> tuple[int, int]:
    with world["svc"].store.db.session() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(t)) or 0) for t in (User, ApiToken)
        )


def no_session_cookie(answer: Any) -> bool:
    return not any("inclusio_session" in c for c in answer.headers.get_list("set-cookie"))


def test_the_login_sets_a_cookie_binding_its_state_to_the_browser(world: dict[str, Any]) -> None:
    _, plain = login(TestClient(world["app"]), world["platform"])
    (cookie,) = plain.headers.get_list("set-cookie")
    assert cookie.startswith("inclusio_lti_state_") and "HttpOnly" in cookie and "Path=/;" in cookie
    assert "samesite=lax" in cookie.lower() and "Max-Age=600" in cookie
    world["platform"].tool_url = "https://testserver"
    try:
        _, secure = login(TestClient(world["app"], base_url="https://testserver"), world["platform"])
    finally:
        world["platform"].tool_url = "http://testserver"
    (cookie,) = secure.headers.get_list("set-cookie")
    # __Host-: only this host sets it (no cookie planted from a sibling subdomain), hence Path=/
    assert cookie.startswith("__Host-inclusio_lti_state_") and "Secure" in cookie
    assert "samesite=none" in cookie.lower() and "Path=/;" in cookie


def test_a_launch_posted_in_another_browser_is_refused(world: dict[str, Any]) -> None:
    platform = world["platform"]
    attacker, victim = TestClient(world["app"]), TestClient(world["app"])
    query, _ = login(attacker, platform)  # the attacker's own login and launch...
    token = platform.id_token(query["nonce"], sub="attacker-1", roles=[LEARNER])
    before = counts(world)
    # ...posted from the victim's browser (a form on the attacker's site): the victim has no cookie for it
    answer = victim.post(
        "/lti/launch", data={"id_token": token, "state": query["state"]}, follow_redirects=False
    )
    assert answer.status_code == 401 and "lti.other_browser" in answer.text
    assert no_session_cookie(answer) and counts(world) == before
    # the state is spent: the attacker cannot use it afterwards either
    again = attacker.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    assert again.status_code == 401 and "lti.replayed" in again.text


def test_a_session_ticket_opened_in_another_browser_is_refused(world: dict[str, Any]) -> None:
    platform = world["platform"]
    attacker, victim = TestClient(world["app"]), TestClient(world["app"])
    query, _ = login(attacker, platform)
    token = platform.id_token(query["nonce"], sub="attacker-2", roles=[LEARNER])
    launched = attacker.post(
        "/lti/launch", data={"id_token": token, "state": query["state"]}, follow_redirects=False
    )
    assert launched.status_code == 303
    # the attacker sends the ticket's address to the victim
    answer = victim.get(launched.headers["location"], follow_redirects=False)
    assert answer.status_code == 401 and "lti.other_browser" in answer.text and no_session_cookie(answer)
    assert victim.get("/web/student", follow_redirects=False).status_code == 303  # to the sign-in form


def test_a_browser_that_dropped_the_cookie_is_offered_the_login_in_a_new_window(
    world: dict[str, Any],
) -> None:
    platform = world["platform"]
    browser = TestClient(world["app"])
    query, _ = login(browser, platform)
    browser.cookies.clear()  # the frame's third-party cookie was blocked
    token = platform.id_token(query["nonce"], sub="learner-blocked", roles=[LEARNER])
    refused = browser.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    assert refused.status_code == 401 and "lti.other_browser" in refused.text
    assert "nouvelle fenêtre" in refused.text
    link = html.unescape(re.search(r'<a href="([^"]+)" target="_blank"', refused.text).group(1))  # type: ignore[union-attr]
    assert link.startswith("/lti/login?")
    assert parse_qs(urlsplit(link).query)["login_hint"] == ["user-hint-42"]
    # the new window (first-party: the cookie is kept) logs in again and launches
    fresh = browser.get(link, follow_redirects=False)
    assert fresh.status_code == 302
    state = parse_qs(urlsplit(fresh.headers["location"]).query)
    token = platform.id_token(state["nonce"][0], sub="learner-blocked", roles=[LEARNER])
    answer = browser.post(
        "/lti/launch", data={"id_token": token, "state": state["state"][0]}, follow_redirects=False
    )
    assert answer.status_code == 303
    page = browser.get(answer.headers["location"], follow_redirects=False)
    assert page.status_code == 200 and page.headers["refresh"] == "0; url=/web/student"
    assert any("inclusio_lti_state_" in c and "Max-Age=0" in c for c in page.headers.get_list("set-cookie"))
    assert browser.get("/web/student", follow_redirects=False).status_code == 200


def test_a_cookie_of_another_login_does_not_bind(world: dict[str, Any]) -> None:
    platform = world["platform"]
    browser = TestClient(world["app"])
    query, answer = login(browser, platform)
    name = answer.headers["set-cookie"].split("=", 1)[0]
    browser.cookies.clear()
    browser.cookies.set(name, "a-value-of-another-login")
    token = platform.id_token(query["nonce"], sub="learner-forged", roles=[LEARNER])
    refused = browser.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    assert refused.status_code == 401 and "lti.other_browser" in refused.text
