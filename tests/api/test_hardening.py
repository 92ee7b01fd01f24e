"""Web hardening: security headers on every answer, CSRF tokens bound to the session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user

from inclusio.config import Settings
from inclusio.server import create_app
from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore
from inclusio.web.session import CSRF_COOKIE, SESSION_COOKIE, WebRoute

PASSWORD = "mot-de-passe-1"
STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, enqueue=lambda _kind, _job: None))


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    token = _form_token(client.get("/web/sign-in").text)
    answer = client.post(
        "/web/sign-in",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]


# -- headers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/health", "/web/sign-in", "/openapi.json", "/no/such/route", "/web/static/inclusio.css", "/me"]
)
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
        "frame-ancestors https://moodle.univ.example 'self'"
    )
    assert "x-frame-options" not in answer.headers
    with pytest.raises(ValueError, match="not an origin"):
        make_settings(tmp_path, frame_ancestors="https://a.example; script-src *")


def test_a_header_a_route_set_is_kept(settings: Settings) -> None:
    app = create_app(settings, enqueue=lambda _kind, _job: None)

    @app.get("/test-own-policy")
    def own() -> object:
        from fastapi.responses import PlainTextResponse

        return PlainTextResponse(
            "x", headers={"Content-Security-Policy": "sandbox", "Referrer-Policy": "no-referrer"}
        )

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
    stu, _ = make_user(settings, "student", username="stu", password=PASSWORD)
    store = JobStore.from_settings(settings)
    UserStore(store.engine).set_reading(stu, {"font": "hyper", "size": 150})  # the account's display settings
    store.dispose()
    client = _client(settings)
    _sign_in(client, "stu")
    page = client.get("/web/student")
    policy = page.headers["content-security-policy"]
    nonce = re.search(r"style-src 'self' 'nonce-([A-Za-z0-9_-]+)';", policy).group(1)
    styles = re.findall(r"<style([^>]*)>(.*?)</style>", page.text, re.S)
    assert styles == [(f' nonce="{nonce}"', styles[0][1])]
    assert (
        ":root{--reader-font:'Atkinson Hyperlegible', Verdana, sans-serif;--reader-size:1.50rem}"
        in styles[0][1]
    )
    assert "#preview{--pv-font:" in styles[0][1]
    assert not re.search(r"<[^>]+\sstyle=", page.text) and "<script>" not in page.text
    assert not re.search(r"<[^>]+\son[a-z]+=", page.text)  # no inline event handler
    assert (
        _client(settings).get("/web/sign-in").headers["content-security-policy"] == STRICT
    )  # no CSS, no nonce
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
    assert (
        browser.post(
            "/web/student/profile", data={"csrf_token": own_field, "profile": "dyslexia"}
        ).status_code
        == 403
    )
    assert users.get_profile(victim.id) is None
    # The genuine form of the victim's own page works.
    genuine = _form_token(browser.get("/web/student").text)
    saved = browser.post(
        "/web/student/profile", data={"csrf_token": genuine, "profile": "dyslexia"}, follow_redirects=False
    )
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
    key = settings.data_dir / "secret.key"
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

    routes = [
        (r.path, m)
        for module in (pages, shares, staff)
        for r in module.router.routes
        if isinstance(r, WebRoute)
        for m in r.methods - {"GET", "HEAD"}
    ]
    assert len(routes) >= 12, routes
    for path, method in routes:
        url = path.replace("{job_id}", "a" * 32).replace("{block_id}", "b1").replace("{share_id}", "c" * 32)
        for token in ("", "0" * 64):
            answer = client.request(
                method,
                url,
                data={"csrf_token": token, "username": "boss", "password": PASSWORD},
                files=[
                    ("file", ("a.md", b"# A", "text/markdown")),
                    ("files", ("b.md", b"# B", "text/markdown")),
                ],
                follow_redirects=False,
            )
            assert answer.status_code == 403 and "formulaire a expiré" in answer.text, (
                method,
                url,
                answer.text,
            )


# -- a password change or reset revokes earlier tokens and sessions -----------------------------------


def _token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    answer = client.post("/auth/token", data={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _web_session_works(client: TestClient) -> bool:
    answer = client.get("/web/student", follow_redirects=False)
    assert answer.status_code in (200, 303), answer.text[:300]
    return answer.status_code == 200


def test_changing_my_password_ends_every_earlier_token_and_web_session(settings: Settings) -> None:
    make_user(settings, "student", username="lea", password=PASSWORD)
    api = _client(settings)
    first, second = _token(api, "lea"), _token(api, "lea")
    browser = _client(settings)
    _sign_in(browser, "lea")
    assert _web_session_works(browser)
    wrong = api.post(
        "/me/password", headers=first, json={"current_password": "not it", "new_password": "x" * 12}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "auth.invalid"
    short = api.post(
        "/me/password", headers=first, json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert short.status_code == 400
    assert api.get("/me", headers=second).status_code == 200  # nothing changed yet
    changed = api.post(
        "/me/password",
        headers=first,
        json={"current_password": PASSWORD, "new_password": "nouveau-mot-de-passe"},
    )
    assert changed.status_code == 200, changed.text
    renewed = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    for old in (first, second):
        assert api.get("/me", headers=old).json()["error"]["code"] == "auth.invalid"
    assert not _web_session_works(browser)  # the cookie's token is gone: back to the sign-in form
    assert api.get("/me", headers=renewed).json()["username"] == "lea"  # the caller's new session
    assert api.post("/auth/token", data={"username": "lea", "password": PASSWORD}).status_code == 401
    _token(api, "lea", "nouveau-mot-de-passe")
    admin = _client(settings)
    admin.headers["Authorization"] = f"Bearer {make_user(settings, 'admin')[1]}"
    actions = [e["action"] for e in admin.get("/audit").json()]
    assert "password.changed" in actions


def test_an_admin_reset_ends_the_users_tokens_and_sessions_not_the_admins(settings: Settings) -> None:
    student_id, _ = make_user(settings, "student", username="noe", password=PASSWORD, institution="A")
    _admin_id, admin_token = make_user(settings, "admin", institution="A")
    _staff_b, staff_b_token = make_user(settings, "staff", institution="B")
    api = _client(settings)
    admin = {"Authorization": f"Bearer {admin_token}"}
    student = _token(api, "noe")
    browser = _client(settings)
    _sign_in(browser, "noe")
    refused = api.put(
        f"/users/{student_id}/password",
        headers={"Authorization": f"Bearer {staff_b_token}"},
        json={"new_password": "choisi-par-b-123"},
    )
    assert refused.status_code == 404  # another institution's staff do not even see the account
    assert api.get("/me", headers=student).status_code == 200
    own = api.put(f"/users/{_admin_id}/password", headers=admin, json={"new_password": "x" * 12})
    assert own.status_code == 403  # one's own password: POST /me/password, with the current one
    reset = api.put(
        f"/users/{student_id}/password", headers=admin, json={"new_password": "remis-a-zero-2026"}
    )
    assert reset.status_code == 204, reset.text
    assert api.get("/me", headers=student).json()["error"]["code"] == "auth.invalid"
    assert not _web_session_works(browser)
    assert api.get("/me", headers=admin).status_code == 200
    _token(api, "noe", "remis-a-zero-2026")


def test_the_passwd_command_ends_every_earlier_token_and_session(settings: Settings) -> None:
    import subprocess
    import sys

    from inclusio.processes import settings_env

    make_user(settings, "teacher", username="prof", password=PASSWORD)
    api = _client(settings)
    token = _token(api, "prof")
    browser = _client(settings)
    _sign_in(browser, "prof")
    assert browser.get("/web/teacher", follow_redirects=False).status_code == 200
    from inclusio.store.models import SignInThrottle
    from inclusio.store.throttle import FOREVER, account_key

    store = JobStore.from_settings(settings)
    with store.engine.begin() as conn:  # the account is locked too (too many wrong passwords)
        conn.execute(
            SignInThrottle.__table__.insert().values(
                key=account_key("prof"), failures=10, locked_until=FOREVER
            )
        )
    store.dispose()
    assert api.post("/auth/token", data={"username": "prof", "password": PASSWORD}).status_code == 423
    out = subprocess.run(
        [sys.executable, "-m", "inclusio.cli", "users", "passwd", "prof", "--password-stdin"],
        env=settings_env(settings),
        input="un-nouveau-secret\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 earlier token(s)" in out.stdout, out.stdout  # make_user's, the API's, the web session's
    assert api.get("/me", headers=token).json()["error"]["code"] == "auth.invalid"
    assert browser.get("/web/teacher", follow_redirects=False).status_code == 303
    _token(api, "prof", "un-nouveau-secret")  # the lock went with the reset


# -- sign-in throttling, in the database (SQLite and PostgreSQL) --------------------------------------

FAST = {
    "signin_free_failures": 2,
    "signin_delay_s": 0.15,
    "signin_max_delay_s": 0.3,
    "signin_lock_failures": 6,
    "signin_lock_minutes": 0,
    "signin_address_free_failures": 1000,
    "signin_address_lock_failures": 1000,
}
"""Small delays so the tests stay quick; the lock waits for an administrator."""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return request.getfixturevalue("pg_db") if request.param == "postgres" else None


def _hammer(client: TestClient, username: str, password: str) -> list[tuple[str, float]]:
    """Wrong passwords, each sent as soon as the last is answered, until the lock (at most 3000):
    (code, seconds since the start)."""
    import time

    start, seen = time.monotonic(), []
    for _ in range(3000):
        answer = client.post("/auth/token", data={"username": username, "password": password})
        code = answer.json()["error"]["code"]
        if code == "auth.throttled":
            assert answer.status_code == 429 and int(answer.headers["retry-after"]) >= 1
        seen.append((code, time.monotonic() - start))
        if code == "auth.locked":
            break
    return seen


def test_wrong_passwords_in_a_burst_are_slowed_then_locked_until_an_admin_lifts_it(
    tmp_path: Path, db_url: str | None
) -> None:
    # A delay longer than a loaded machine takes to answer a wrong password (hashing it took over 0.15 s in a
    # loaded full run, so the third attempt came after the delay and was checked, not throttled).
    settings = make_settings(
        tmp_path, database_url=db_url, **{**FAST, "signin_delay_s": 1.0, "signin_max_delay_s": 1.5}
    )
    user_id, _ = make_user(settings, "student", username="cible", password=PASSWORD)
    _admin, admin_token = make_user(settings, "admin")
    client = _client(settings)
    seen = _hammer(client, "cible", "devine-0000")
    codes = [code for code, _at in seen]
    assert codes[:2] == ["auth.invalid"] * 2  # the free failures
    assert codes[-1] == "auth.locked"
    assert codes.count("auth.invalid") == 6  # exactly the lock threshold of passwords were checked
    assert codes[2] == "auth.throttled"  # slowed: the next attempt right after the answer must wait
    assert all(code == "auth.throttled" for code in codes[2:-1:] if code != "auth.invalid")
    # Locked: even the right password is refused, with a stable code and a message in both languages.
    locked = client.post("/auth/token", data={"username": "cible", "password": PASSWORD})
    assert locked.status_code == 423
    error = locked.json()["error"]
    assert (
        error["code"] == "auth.locked"
        and "administrat" in error["message"]
        and "bloquée" in error["message_fr"]
    )
    # The web form says the same, in French.
    page = client.get("/web/sign-in")
    form = client.post(
        "/web/sign-in",
        data={"username": "cible", "password": PASSWORD, "csrf_token": _form_token(page.text)},
        follow_redirects=False,
    )
    assert form.status_code == 423 and "La connexion est bloquée" in form.text
    # A student may not lift it; an admin may, and the right password then works at once.
    admin = {"Authorization": f"Bearer {admin_token}"}
    teacher = {"Authorization": f"Bearer {make_user(settings, 'teacher')[1]}"}
    assert client.delete(f"/users/{user_id}/lock", headers=teacher).status_code == 403
    assert client.post("/auth/token", data={"username": "cible", "password": PASSWORD}).status_code == 423
    assert client.delete(f"/users/{user_id}/lock", headers=admin).status_code == 204
    _token(client, "cible")


def test_an_unknown_name_gets_the_same_answers_as_a_known_one(tmp_path: Path, db_url: str | None) -> None:
    import subprocess
    import sys

    from inclusio.processes import settings_env

    settings = make_settings(tmp_path, database_url=db_url, **FAST)
    make_user(settings, "student", username="connu", password=PASSWORD)
    client = _client(settings)
    known = client.post("/auth/token", data={"username": "connu", "password": "devine-0000"})
    unknown = client.post("/auth/token", data={"username": "inconnu", "password": "devine-0000"})
    assert (known.status_code, known.json(), known.headers.get("www-authenticate")) == (
        unknown.status_code,
        unknown.json(),
        unknown.headers.get("www-authenticate"),
    )
    runs = {name: _hammer(client, name, "devine-0000") for name in ("connu", "inconnu")}
    for name, seen in runs.items():
        codes = [code for code, _at in seen]
        assert codes.count("auth.invalid") == 5 and codes[-1] == "auth.locked", (name, codes)
    last = {name: client.post("/auth/token", data={"username": name, "password": "x"}) for name in runs}
    assert last["connu"].json() == last["inconnu"].json() and last["connu"].status_code == 423
    if db_url is None:  # the operator's command lifts a lock on any name (SQLite: the command's own database)
        out = subprocess.run(
            [sys.executable, "-m", "inclusio.cli", "users", "unlock", "connu"],
            env=settings_env(settings),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0 and "connu: unlocked" in out.stdout, out.stdout + out.stderr
        _token(client, "connu")


def test_one_address_trying_many_names_is_slowed_then_locked(tmp_path: Path, db_url: str | None) -> None:
    settings = make_settings(
        tmp_path,
        database_url=db_url,
        **{**FAST, "signin_address_free_failures": 4, "signin_address_lock_failures": 8},
    )
    make_user(settings, "student", username="autre", password=PASSWORD)
    client = _client(settings)
    codes = []
    for n in range(3000):
        answer = client.post("/auth/token", data={"username": f"nom-{n}", "password": "devine-0000"})
        codes.append(answer.json()["error"]["code"])
        if codes[-1] == "auth.locked":
            break
    assert codes[:4] == ["auth.invalid"] * 4 and "auth.throttled" in codes
    assert codes[-1] == "auth.locked" and codes.count("auth.invalid") == 8
    # the address is locked: even another account's right password is refused from it
    assert client.post("/auth/token", data={"username": "autre", "password": PASSWORD}).status_code == 423
    from inclusio.store.throttle import Throttle

    store = JobStore.from_settings(settings)
    assert Throttle(store.engine, settings).unlock(address="testclient")
    store.dispose()
    _token(client, "autre")


def test_parallel_attempts_cannot_share_one_free_slot(tmp_path: Path, db_url: str | None) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from inclusio.errors import AuthInvalid, AuthThrottled
    from inclusio.store.throttle import Throttle, check_password

    settings = make_settings(
        tmp_path, database_url=db_url, **{**FAST, "signin_delay_s": 30.0, "signin_max_delay_s": 30.0}
    )
    make_user(settings, "student", username="vise", password=PASSWORD)
    store = JobStore.from_settings(settings)
    users, throttle = UserStore(store.engine), Throttle(store.engine, settings)

    def attempt(n: int) -> str:
        try:
            check_password(users, throttle, "vise", f"essai-{n}", "10.0.0.7")
        except (AuthInvalid, AuthThrottled) as err:
            return err.code
        return "signed in"

    with ThreadPoolExecutor(12) as pool:
        codes = list(pool.map(attempt, range(24)))
    # the 2 free failures, the second of which starts the 30 s wait: never more, however parallel
    assert codes.count("auth.invalid") <= 2 and codes.count("auth.throttled") >= 22, codes
    assert "signed in" not in codes
    store.dispose()


def test_the_web_form_changes_the_password_and_keeps_only_this_browsers_session(settings: Settings) -> None:
    make_user(settings, "student", username="ines", password=PASSWORD)
    api = _client(settings)
    token = _token(api, "ines")
    here, elsewhere = _client(settings), _client(settings)
    _sign_in(here, "ines")
    _sign_in(elsewhere, "ines")
    page = here.get("/web/password")
    assert page.status_code == 200 and "Changer de mot de passe" in page.text
    field = _form_token(page.text)

    def change(current: str, new: str, confirm: str) -> object:
        return here.post(
            "/web/password",
            data={
                "csrf_token": field,
                "current_password": current,
                "new_password": new,
                "confirm_password": confirm,
            },
            follow_redirects=False,
        )

    wrong = change("pas le bon", "nouveau-secret-1", "nouveau-secret-1")
    assert wrong.status_code == 401 and "Le mot de passe actuel est incorrect." in wrong.text
    assert change(PASSWORD, "nouveau-secret-1", "autre-chose-22").status_code == 400
    assert change(PASSWORD, "court", "court").status_code == 400
    assert _web_session_works(elsewhere) and api.get("/me", headers=token).status_code == 200
    forged = elsewhere.post(
        "/web/password",
        data={
            "csrf_token": field,
            "current_password": PASSWORD,
            "new_password": "vole-par-autrui",
            "confirm_password": "vole-par-autrui",
        },
    )
    assert forged.status_code == 403  # another session's field does not fit
    done = change(PASSWORD, "nouveau-secret-1", "nouveau-secret-1")
    assert done.status_code == 303 and done.headers["location"] == "/web/password?done=1"
    assert "Mot de passe changé." in here.get("/web/password?done=1").text  # this browser: a new session
    assert not _web_session_works(elsewhere)
    assert api.get("/me", headers=token).json()["error"]["code"] == "auth.invalid"
    _token(api, "ines", "nouveau-secret-1")


def test_an_unexpected_error_also_carries_the_headers(settings: Settings) -> None:
    app = create_app(settings, enqueue=lambda _kind, _job: None)

    @app.get("/test-broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    answer = TestClient(app, raise_server_exceptions=False).get("/test-broken")
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "internal.error"
    assert (
        answer.headers["content-security-policy"] == STRICT
        and answer.headers["x-content-type-options"] == "nosniff"
    )


def test_cleanup_forgets_old_unlocked_sign_in_records_and_keeps_locks(tmp_path: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from inclusio.store.models import SignInThrottle, utcnow
    from inclusio.store.retention import cleanup
    from inclusio.store.throttle import FOREVER, Throttle, account_key

    settings = make_settings(tmp_path, **FAST)
    store = JobStore.from_settings(settings)
    store.migrate()
    throttle = Throttle(store.engine, settings)
    for name in ("ancien", "verrouille", "recent"):
        throttle.failed(throttle.claim(name, None))
    old = utcnow() - timedelta(days=2)
    with store.engine.begin() as conn:
        conn.execute(
            update(SignInThrottle)
            .where(SignInThrottle.key.in_([account_key("ancien"), account_key("verrouille")]))
            .values(last_failure_at=old)
        )
        conn.execute(
            update(SignInThrottle)
            .where(SignInThrottle.key == account_key("verrouille"))
            .values(locked_until=FOREVER)
        )
    cleanup(settings, store=store)
    with store.engine.connect() as conn:
        kept = {row[0] for row in conn.execute(SignInThrottle.__table__.select())}
    assert kept == {account_key("verrouille"), account_key("recent")}
    assert throttle.locked("verrouille") == FOREVER
    store.dispose()


def test_a_timed_lock_ends_by_itself_and_the_count_starts_again(tmp_path: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from inclusio.errors import AuthLocked
    from inclusio.store.models import SignInThrottle, utcnow
    from inclusio.store.throttle import Throttle, account_key

    settings = make_settings(tmp_path, **{**FAST, "signin_delay_s": 0, "signin_lock_minutes": 30})
    store = JobStore.from_settings(settings)
    store.migrate()
    throttle = Throttle(store.engine, settings)
    for _ in range(6):
        throttle.failed(throttle.claim("pressee", "10.1.1.1"))
    with pytest.raises(AuthLocked) as locked:
        throttle.claim("pressee", "10.1.1.1")
    assert 1790 <= locked.value.details["retry_after_s"] <= 1800  # 30 minutes
    with store.engine.begin() as conn:  # half an hour later
        conn.execute(
            update(SignInThrottle)
            .where(SignInThrottle.key == account_key("pressee"))
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
    claim = throttle.claim("pressee", "10.1.1.1")
    assert claim.keys[account_key("pressee")] == 1  # a fresh count, not one failure from the lock
    store.dispose()


def test_over_https_the_cookies_are_host_only_and_planted_ones_are_ignored(settings: Settings) -> None:
    make_user(settings, "student", username="zoe", password=PASSWORD)
    make_user(settings, "student", username="intrus", password=PASSWORD)
    app = create_app(settings, enqueue=lambda _kind, _job: None)
    attacker, victim = (TestClient(app, base_url="https://inclusio.univ.example") for _ in range(2))
    _sign_in(attacker, "intrus")
    names = {c.name: c for c in attacker.cookies.jar}
    assert set(names) >= {"__Host-inclusio_session", "__Host-inclusio_csrf"}, names
    assert all(c.secure and c.path == "/" and not c.domain_specified for c in names.values())
    # Cookies a sibling subdomain could set (no __Host- prefix): the attacker's own session and CSRF pair.
    victim.cookies.set("inclusio_session", attacker.cookies["__Host-inclusio_session"])
    victim.cookies.set("inclusio_csrf", attacker.cookies["__Host-inclusio_csrf"])
    page = victim.get("/web/student", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith(
        "/web/sign-in"
    )  # not the intruder's
    _sign_in(victim, "zoe")
    assert "zoe" in victim.get("/web/student").text
    out = victim.post(
        "/web/sign-out",
        data={"csrf_token": _form_token(victim.get("/web/student").text)},
        follow_redirects=False,
    )
    assert out.status_code == 303 and '__Host-inclusio_session=""' in out.headers["set-cookie"]
    assert "Secure" in out.headers["set-cookie"]
    assert victim.get("/web/student", follow_redirects=False).status_code == 303


def test_the_sign_in_page_says_how_long_to_wait(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, **{**FAST, "signin_delay_s": 30, "signin_max_delay_s": 30})
    make_user(settings, "student", username="lent", password=PASSWORD)
    client = _client(settings)
    answers = []
    for _ in range(3):
        field = _form_token(client.get("/web/sign-in").text)
        answers.append(
            client.post(
                "/web/sign-in",
                data={"username": "lent", "password": "pas le bon", "csrf_token": field},
                follow_redirects=False,
            )
        )
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert "ou mot de passe incorrect." in answers[0].text
    assert re.search(r"patientez (29|30) s puis réessayez", answers[2].text)
    assert answers[2].headers["retry-after"] in ("29", "30")


def test_an_account_without_a_local_password_cannot_set_one_with_its_token(settings: Settings) -> None:
    _user, token = make_user(settings, "student")  # no password: identity provider or tokens only
    answer = _client(settings).post(
        "/me/password",
        headers={"Authorization": f"Bearer {token}"},
        json={"current_password": "anything", "new_password": "un-nouveau-secret"},
    )
    assert answer.status_code == 403 and answer.json()["error"]["details"] == {"reason": "no local password"}
    assert "mot de passe local" in answer.json()["error"]["message_fr"]
