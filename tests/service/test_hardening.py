"""Web hardening: security headers on every answer, CSRF tokens bound to the session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user

from inclusio.api.app import create_app
from inclusio.config import Settings
from inclusio.store.accounts import UserStore
from inclusio.store.db import JobStore
from inclusio.web.session import CSRF_COOKIE, SESSION_COOKIE, WebRoute

PASSWORD = "mot-de-passe-1"
STRICT = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, enqueue=lambda _kind, _job: None))


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    token = _form_token(client.get("/web/sign-in").text)
    answer = client.post("/web/sign-in", data={"username": username, "password": password, "csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]


# -- headers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/health", "/web/sign-in", "/openapi.json", "/no/such/route",
                                  "/web/static/inclusio.css", "/me"])
def test_every_answer_carries_the_security_headers(settings: Settings, path: str) -> None:
    answer = _client(settings).get(path)
    assert answer.headers["content-security-policy"] == STRICT
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["x-frame-options"] == "DENY"


def test_an_lms_origin_may_frame_the_pages_and_then_no_deny_contradicts_it(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, frame_ancestors="https://moodle.univ.example 'self'")
    answer = _client(settings).get("/web/sign-in")
    assert answer.headers["content-security-policy"].endswith(
        "frame-ancestors https://moodle.univ.example 'self'")
    assert "x-frame-options" not in answer.headers
    with pytest.raises(ValueError, match="not an origin"):
        make_settings(tmp_path, frame_ancestors="https://a.example; script-src *")


def test_a_header_a_route_set_is_kept(settings: Settings) -> None:
    app = create_app(settings, enqueue=lambda _kind, _job: None)

    @app.get("/test-own-policy")
    def own() -> object:
        from fastapi.responses import PlainTextResponse

        return PlainTextResponse("x", headers={"Content-Security-Policy": "sandbox", "Referrer-Policy": "no-referrer"})

    answer = TestClient(app).get("/test-own-policy")
    assert answer.headers["content-security-policy"] == "sandbox"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_docs_page_has_its_own_policy_with_the_hash_of_its_inline_script(settings: Settings) -> None:
    import base64
    import hashlib

    answer = _client(settings).get("/docs")
    assert answer.status_code == 200 and "SwaggerUIBundle" in answer.text
    inline = re.findall(r"<script>(.*?)</script>", answer.text, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    policy = answer.headers["content-security-policy"]
    assert f"script-src 'self' https://cdn.jsdelivr.net 'sha256-{digest}';" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert _client(settings).get("/openapi.json").json()["info"]["title"] == "inclusio"


def test_a_page_with_inline_css_allows_only_its_own_nonce(settings: Settings) -> None:
    make_user(settings, "student", username="stu", password=PASSWORD)
    client = _client(settings)
    _sign_in(client, "stu")
    client.cookies.set("inclusio_reading", '{"font": "hyper", "size": 150}')
    page = client.get("/web/student")
    policy = page.headers["content-security-policy"]
    nonce = re.search(r"style-src 'self' 'nonce-([A-Za-z0-9_-]+)';", policy).group(1)
    styles = re.findall(r"<style([^>]*)>(.*?)</style>", page.text, re.S)
    assert styles == [(f' nonce="{nonce}"', styles[0][1])]
    assert ":root{--reader-font:'Atkinson Hyperlegible', Verdana, sans-serif;--reader-size:1.50rem}" in styles[0][1]
    assert "#preview{--pv-font:" in styles[0][1]
    assert not re.search(r"<[^>]+\sstyle=", page.text) and "<script>" not in page.text
    assert not re.search(r"<[^>]+\son[a-z]+=", page.text)  # no inline event handler
    assert _client(settings).get("/web/sign-in").headers["content-security-policy"] == STRICT  # no CSS, no nonce
    assert client.get("/web/student").headers["content-security-policy"] != policy  # a fresh nonce per page


# -- CSRF bound to the session -------------------------------------------------------------------------

def test_a_planted_cookie_and_field_pair_does_not_change_a_students_profile(settings: Settings) -> None:
    make_user(settings, "student", username="victim", password=PASSWORD)
    store = JobStore.from_settings(settings)
    users = UserStore(store.engine)
    victim = users.by_username("victim")
    # The attacker gets a genuine pair of their own (a fresh browser on the sign-in page)...
    attacker = _client(settings)
    attacker_field = _form_token(attacker.get("/web/sign-in").text)
    attacker_cookie = attacker.cookies[CSRF_COOKIE]
    # ...and the victim, signed in, gets it planted (a cookie set from a sibling subdomain) with a form.
    browser = _client(settings)
    _sign_in(browser, "victim")
    browser.cookies.set(CSRF_COOKIE, attacker_cookie)
    forged = browser.post("/web/student/profile", data={"csrf_token": attacker_field, "profile": "dyslexia"})
    assert forged.status_code == 403 and "formulaire a expiré" in forged.text
    assert users.get_profile(victim.id) is None
    # A pair the attacker makes for another session of their own does not fit the victim's either.
    make_user(settings, "student", username="mallory", password=PASSWORD)
    _sign_in(attacker, "mallory")
    own_field = _form_token(attacker.get("/web/student").text)
    assert browser.post("/web/student/profile", data={"csrf_token": own_field, "profile": "dyslexia"}
                        ).status_code == 403
    assert users.get_profile(victim.id) is None
    # The genuine form of the victim's own page works.
    genuine = _form_token(browser.get("/web/student").text)
    saved = browser.post("/web/student/profile", data={"csrf_token": genuine, "profile": "dyslexia"},
                         follow_redirects=False)
    assert saved.status_code in (200, 303), saved.text[:300]
    assert users.get_profile(victim.id).profile_id == "dyslexia"
    store.dispose()


def test_the_token_follows_the_session_and_the_secret(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    make_user(settings, "student", username="stu", password=PASSWORD)
    client = _client(settings)
    anonymous = _form_token(client.get("/web/sign-in").text)
    _sign_in(client, "stu")
    signed_in = _form_token(client.get("/web/student").text)
    assert signed_in != anonymous
    assert _form_token(client.get("/web/student").text) == signed_in  # stable within one session
    key = (settings.data_dir / "secret.key")
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_text().strip()) >= 32
    # Another secret (INCLUSIO_SECRET_KEY) gives other tokens for the same session.
    other = _client(make_settings(tmp_path, secret_key="another-secret-of-forty-characters-at-least"))
    other.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    assert _form_token(other.get("/web/student").text) != signed_in


def test_every_state_changing_web_route_refuses_a_missing_or_wrong_token(settings: Settings) -> None:
    make_user(settings, "admin", username="boss", password=PASSWORD)
    app = create_app(settings, enqueue=lambda _kind, _job: None)
    client = TestClient(app)
    _sign_in(client, "boss")
    from inclusio.web import pages, shares, staff

    routes = [(r.path, m) for module in (pages, shares, staff) for r in module.router.routes
              if isinstance(r, WebRoute) for m in r.methods - {"GET", "HEAD"}]
    assert len(routes) >= 12, routes
    for path, method in routes:
        url = path.replace("{job_id}", "a" * 32).replace("{block_id}", "b1").replace("{share_id}", "c" * 32)
        for token in ("", "0" * 64):
            answer = client.request(method, url, data={"csrf_token": token, "username": "boss",
                                                       "password": PASSWORD},
                                    files=[("file", ("a.md", b"# A", "text/markdown")),
                                           ("files", ("b.md", b"# B", "text/markdown"))], follow_redirects=False)
            assert answer.status_code == 403 and "formulaire a expiré" in answer.text, (method, url, answer.text)
