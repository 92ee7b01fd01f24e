"""inclusio as an LTI 1.3 tool, driven by the test platform (platform.py): login, launch, refusals, keys,
deep linking and a student's resource-link launch, through the real app (FastAPI's TestClient) and a real
platform HTTP server on 127.0.0.1 (its JWKS, its authorization endpoint, its deep-linking return)."""

from __future__ import annotations

import html
import io
import os
import re
import stat
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lti_test_platform import DISABILITY, INSTRUCTOR, LEARNER, REMOVE, TEACHING_ASSISTANT, TestPlatform
from service_helpers import make_settings, make_user
from sqlalchemy import func, select

from inclusio.lti import keys
from inclusio.lti.launch import CLAIM, role_of
from inclusio.store.lti import PlatformStore
from inclusio.store.models import ApiToken, Job, Share, User

LESSON = (
    "# La photosynthèse\n\nLes plantes vertes fabriquent leur nourriture avec la lumière du soleil.\n\n"
    "## Les feuilles\n\nLa chlorophylle capte la lumière. Elle donne aux feuilles leur couleur verte.\n"
).encode()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from inclusio.server import create_app

    settings = make_settings(tmp_path_factory.mktemp("lti"))
    sent: list[str] = []
    app = create_app(settings, enqueue=lambda kind, job_id: sent.append(job_id))
    platform = TestPlatform()
    other = TestPlatform(client_id="other-client", deployment_id="dep-x")  # never registered
    svc = app.state.services
    platforms = PlatformStore(svc.store.db)
    platforms.add(**platform.registration(), institution="univ-a", staff_role=DISABILITY)
    platform.tool_jwks_url = None
    try:
        yield {
            "app": app,
            "settings": settings,
            "platform": platform,
            "other": other,
            "svc": svc,
            "sent": sent,
        }
    finally:
        platform.close()
        other.close()


@pytest.fixture()
def client(world: dict[str, Any]) -> TestClient:
    return TestClient(world["app"])  # a fresh browser: no cookie


def login(client: TestClient, platform: TestPlatform, **params: str) -> dict[str, str]:
    """The tool's answer to a login initiation: the authorization request's query (state, nonce...)."""
    answer = client.get("/lti/login", params=platform.login_params(**params), follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(platform.base + "/auth?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def launch(client: TestClient, platform: TestPlatform, token: str | None = None, **claims: Any) -> Any:
    """Login, then post the (given or freshly signed) id_token with the login's state."""
    query = login(client, platform)
    return client.post(
        "/lti/launch",
        data={"id_token": token or platform.id_token(query["nonce"], **claims), "state": query["state"]},
        follow_redirects=False,
    )


def enter(client: TestClient, answer: Any) -> Any:
    """Follow a launch's ticket to the session; the page it sends the browser on to."""
    assert answer.status_code == 303, answer.text
    ticket_url = answer.headers["location"]
    assert ticket_url.startswith("/lti/session?ticket=")
    page = client.get(ticket_url, follow_redirects=False)
    assert page.status_code == 200, page.text
    return page


def counts(world: dict[str, Any]) -> tuple[int, int, int, int]:
    with world["svc"].store.db.session() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (User, ApiToken, Share, Job)
        )


def test_the_login_sends_the_browser_to_the_platform_with_a_fresh_state_and_nonce(
    world: dict[str, Any], client: TestClient
) -> None:
    platform = world["platform"]
    first, second = login(client, platform), login(client, platform)
    assert first["redirect_uri"] == "http://testserver/lti/launch"
    assert first["client_id"] == platform.client_id and first["login_hint"] == "user-hint-42"
    assert first["lti_message_hint"] == "msg-hint" and first["response_mode"] == "form_post"
    assert first["state"] != second["state"] and first["nonce"] != second["nonce"]
    # the same by POST, as some platforms do
    answer = client.post("/lti/login", data=platform.login_params(), follow_redirects=False)
    assert answer.status_code == 302 and "state=" in answer.headers["location"]


def test_a_learner_launch_makes_an_account_from_iss_and_sub_only_and_signs_in(
    world: dict[str, Any], client: TestClient
) -> None:
    before = counts(world)
    page = enter(client, launch(client, world["platform"], sub="learner-77"))
    assert page.headers["refresh"] == "0; url=/web/student"
    assert 'href="/web/student"' in page.text
    assert client.get("/web/student", follow_redirects=False).status_code == 200  # signed in
    after = counts(world)
    assert after[0] == before[0] + 1
    with world["svc"].store.db.session() as session:
        user = session.scalars(select(User).order_by(User.created_at.desc())).first()
        assert user.role == "student" and user.institution == "univ-a"
        assert user.username.startswith("lti-") and user.oidc_subject.startswith("lti|")
        assert "learner-77" not in user.oidc_subject and "Camille" not in user.username
        assert user.password_hash is None
    # the same person again: the same account
    again = TestClient(world["app"])
    enter(again, launch(again, world["platform"], sub="learner-77"))
    assert counts(world)[0] == after[0]


def test_the_ticket_is_exchanged_once(world: dict[str, Any], client: TestClient) -> None:
    answer = launch(client, world["platform"], sub="learner-ticket")
    enter(client, answer)
    replay = TestClient(world["app"]).get(answer.headers["location"], follow_redirects=False)
    assert replay.status_code == 401 and "lti.replayed" in replay.text
    assert "inclusio_session" not in replay.headers.get("set-cookie", "")


def test_over_https_the_session_cookie_works_in_the_platforms_iframe(world: dict[str, Any]) -> None:
    browser = TestClient(world["app"], base_url="https://testserver")
    world["platform"].tool_url = "https://testserver"
    try:
        page = enter(browser, launch(browser, world["platform"], sub="learner-https"))
    finally:
        world["platform"].tool_url = "http://testserver"
    (cookie,) = [c for c in page.headers.get_list("set-cookie") if c.startswith("__Host-inclusio_session=")]
    assert "SameSite=none" in cookie or "samesite=none" in cookie.lower()
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([LEARNER], "student"),
        ([INSTRUCTOR], "teacher"),
        ([TEACHING_ASSISTANT], "teacher"),
        ([LEARNER, DISABILITY], "staff"),
        (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"], "student"),
        ([], "student"),
    ],
)
def test_platform_roles_map_to_inclusio_roles(roles: list[str], expected: str) -> None:
    assert role_of(roles, DISABILITY) == expected
    assert role_of(roles, None) == ("student" if expected == "staff" else expected)


def test_an_instructor_launch_shows_the_courses_documents_with_their_audit_and_reading_ease(
    world: dict[str, Any], client: TestClient, corpus_dir: Any
) -> None:
    from inclusio.jobs.uploads import store_document

    svc = world["svc"]
    owner, _ = make_user(world["settings"], "teacher", institution="univ-a")
    made = []
    for name, source in (
        ("lecon.md", io.BytesIO(LESSON)),
        ("fiche.docx", (corpus_dir / "fixture-word.docx").open("rb")),
    ):
        with source:
            stored = store_document(svc.files, source, max_bytes=10_000_000, filename=name)
        made.append(
            svc.shares.create(
                owner_id=owner,
                institution="univ-a",
                title=f"Doc {name}",
                course="CHIM-9",
                filename=name,
                input_sha256=stored.sha256,
                input_path=stored.relpath,
                input_bytes=stored.size,
            )
        )
    other_course = svc.shares.create(
        owner_id=owner,
        institution="univ-a",
        title="Autre cours",
        course="BIO-101",
        filename="lecon.md",
        input_sha256=made[0].input_sha256,
        input_path=made[0].input_path,
        input_bytes=made[0].input_bytes,
    )
    context = {CLAIM + "context": {"id": "ctx-chim", "label": "CHIM-9", "title": "Chimie"}}
    page = enter(client, launch(client, world["platform"], sub="prof-1", roles=[INSTRUCTOR], extra=context))
    assert page.headers["refresh"] == "0; url=/lti/course?course=CHIM-9"
    course = client.get("/lti/course?course=CHIM-9")
    assert course.status_code == 200
    text = html.unescape(course.text)
    assert "Documents du cours CHIM-9" in text and "Doc lecon.md" in text and "Doc fiche.docx" in text
    assert other_course.title not in text
    assert text.count(" sur 100") == 2 and "Facilité de lecture" in text
    # the audit's own findings: the Markdown lesson has no title in its metadata, or passes; whatever it
    # says, each failed check is listed with its fix
    from inclusio.lti.course import source_summary

    summary = source_summary(svc, made[1])
    assert summary["score"] == int(re.search(r"(\d+) sur 100", text.split("Doc fiche.docx")[1]).group(1))  # type: ignore[union-attr]
    for check in summary["failed"]:
        assert html.unescape(check.title_fr) in text
    # a student cannot see it
    student = _signed_in(world, "student")
    assert student.get("/lti/course?course=CHIM-9").status_code == 403


def _other_key_same_kid(platform: TestPlatform, nonce: str) -> str:
    return platform.sign(platform.claims(nonce), key=TestPlatform._new_key())


REFUSALS = {
    "signed by another key": (lambda p, n: _other_key_same_kid(p, n), "lti.bad_signature", 401),
    "tampered after signing": (
        lambda p, n: p.tamper(p.id_token(n), sub="someone-else"),
        "lti.bad_signature",
        401,
    ),
    "unknown kid": (
        lambda p, n: p.sign(p.claims(n), key=TestPlatform._new_key(), kid="never-published"),
        "lti.bad_signature",
        401,
    ),
    "wrong audience": (lambda p, n: p.id_token(n, aud="another-tool"), "lti.wrong_audience", 401),
    "wrong azp": (lambda p, n: p.id_token(n, azp="another-tool"), "lti.wrong_audience", 401),
    "expired": (lambda p, n: p.id_token(n, iat=1_700_000_000, exp=1_700_000_300), "lti.expired", 401),
    "issued in the future": (
        lambda p, n: p.id_token(n, iat=4_000_000_000, exp=4_000_000_300),
        "lti.expired",
        401,
    ),
    "another issuer": (lambda p, n: p.id_token(n, iss="https://evil.invalid"), "lti.unknown_platform", 403),
    "nonce of another login": (lambda p, n: p.id_token("not-the-nonce"), "lti.replayed", 401),
    "no nonce": (lambda p, n: p.id_token(n, extra={"nonce": REMOVE}), "lti.bad_message", 400),
    "unknown deployment": (
        lambda p, n: p.id_token(n, extra={CLAIM + "deployment_id": "dep-unknown"}),
        "lti.unknown_deployment",
        403,
    ),
    "wrong version": (lambda p, n: p.id_token(n, extra={CLAIM + "version": "1.1"}), "lti.bad_message", 400),
    "target link on another site": (
        lambda p, n: p.id_token(n, extra={CLAIM + "target_link_uri": "https://evil.invalid/lti/launch"}),
        "lti.wrong_target",
        403,
    ),
    "target link on another port": (
        lambda p, n: p.id_token(n, extra={CLAIM + "target_link_uri": "http://testserver:8443/lti/launch"}),
        "lti.wrong_target",
        403,
    ),
    "no target link": (
        lambda p, n: p.id_token(n, extra={CLAIM + "target_link_uri": REMOVE}),
        "lti.bad_message",
        400,
    ),
    "wrong message type": (
        lambda p, n: p.id_token(n, extra={CLAIM + "message_type": "LtiSubmissionReviewRequest"}),
        "lti.bad_message",
        400,
    ),
    "no resource link": (
        lambda p, n: p.id_token(n, extra={CLAIM + "resource_link": REMOVE}),
        "lti.bad_message",
        400,
    ),
    "not a JWT": (lambda p, n: "not-a-token", "lti.bad_message", 400),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_every_bad_launch_is_a_coded_page_and_creates_nothing(
    world: dict[str, Any], client: TestClient, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    make, code, status = REFUSALS[case]
    platform = world["platform"]
    before = counts(world)
    query = login(client, platform)
    with caplog.at_level("WARNING", logger="inclusio.lti"):
        answer = client.post(
            "/lti/launch", data={"id_token": make(platform, query["nonce"]), "state": query["state"]}
        )
    assert answer.status_code == status, answer.text
    assert code in answer.text and "Lancement refusé" in answer.text
    assert "Rien n'a été créé" in html.unescape(answer.text)
    assert counts(world) == before
    assert "set-cookie" not in {k.lower() for k in answer.headers if "session" in answer.headers.get(k, "")}
    assert any(code in record.getMessage() for record in caplog.records)  # logged


def test_a_launch_is_used_once(world: dict[str, Any], client: TestClient) -> None:
    platform = world["platform"]
    query = login(client, platform)
    token = platform.id_token(query["nonce"], sub="learner-replay")
    first = client.post(
        "/lti/launch", data={"id_token": token, "state": query["state"]}, follow_redirects=False
    )
    assert first.status_code == 303
    before = counts(world)
    replay = client.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    assert replay.status_code == 401 and "lti.replayed" in replay.text
    # the same token with a new login's state: its nonce was seen
    fresh = login(client, platform)
    again = client.post("/lti/launch", data={"id_token": token, "state": fresh["state"]})
    assert again.status_code == 401 and "lti.replayed" in again.text
    no_state = client.post("/lti/launch", data={"id_token": token})
    assert no_state.status_code == 401 and "lti.replayed" in no_state.text
    assert counts(world) == before


def test_an_unregistered_platform_or_deployment_is_refused_at_login(
    world: dict[str, Any], client: TestClient
) -> None:
    other = world["other"]
    answer = client.get("/lti/login", params=other.login_params(), follow_redirects=False)
    assert answer.status_code == 403 and "lti.unknown_platform" in answer.text
    deployment = client.get(
        "/lti/login",
        params=world["platform"].login_params(lti_deployment_id="dep-zzz"),
        follow_redirects=False,
    )
    assert deployment.status_code == 403 and "lti.unknown_deployment" in deployment.text
    english = TestClient(world["app"], cookies={"inclusio_lang": "en"})
    page = english.get("/lti/login", params=other.login_params(), follow_redirects=False)
    assert "is not registered with inclusio" in page.text and "Launch refused" in page.text


def once_rows(world: dict[str, Any]) -> int:
    from inclusio.store.models import LtiOnce

    with world["svc"].store.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(LtiOnce)) or 0)


@pytest.mark.parametrize(
    ("target", "code", "status"),
    [
        ("https://evil.invalid/lti/launch", "lti.wrong_target", 403),
        ("https://testserver/lti/launch", "lti.wrong_target", 403),  # another scheme: another origin
        ("javascript:alert(1)", "lti.wrong_target", 403),
        ("", "lti.bad_message", 400),
    ],
)
def test_a_login_whose_target_link_is_not_this_tool_is_refused(
    world: dict[str, Any],
    client: TestClient,
    target: str,
    code: str,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = once_rows(world)
    with caplog.at_level("WARNING", logger="inclusio.lti"):
        answer = client.get(
            "/lti/login",
            params=world["platform"].login_params(target_link_uri=target),
            follow_redirects=False,
        )
    assert answer.status_code == status and code in answer.text and "Lancement refusé" in answer.text
    assert once_rows(world) == before  # no state stored
    assert any(code in r.getMessage() for r in caplog.records)


def test_the_configured_public_address_is_this_tool_too(tmp_path: Any) -> None:
    """Behind a proxy the platform knows the public address (INCLUSIO_BASE_URL), not the one the app sees."""
    from inclusio.server import create_app

    app = create_app(
        make_settings(tmp_path, base_url="https://inclusio.univ.example"), enqueue=lambda k, j: None
    )
    platform = TestPlatform()
    try:
        PlatformStore(app.state.services.store.db).add(**platform.registration(), institution="univ-a")
        browser = TestClient(app)
        platform.tool_url = "https://inclusio.univ.example"
        answer = browser.get("/lti/login", params=platform.login_params(), follow_redirects=False)
        assert answer.status_code == 302, answer.text
        query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
        launched = browser.post(
            "/lti/launch",
            data={"id_token": platform.id_token(query["nonce"]), "state": query["state"]},
            follow_redirects=False,
        )
        assert launched.status_code == 303, launched.text
        platform.tool_url = "https://inclusio-old.univ.example"
        refused = browser.get("/lti/login", params=platform.login_params(), follow_redirects=False)
        assert refused.status_code == 403 and "lti.wrong_target" in refused.text
    finally:
        platform.close()


def test_the_platforms_new_key_is_fetched_when_an_unknown_kid_arrives(
    world: dict[str, Any], client: TestClient
) -> None:
    from inclusio.lti.launch import JWKS

    platform = world["platform"]
    spare = [
        TestPlatform._new_key(),
        TestPlatform._new_key(),
    ]  # made beforehand: RSA takes time on a busy machine
    JWKS.configure(cooldown=3.0)
    try:
        enter(client, launch(client, platform, sub="learner-rotate-1"))  # keys cached now
        fetches = platform.jwks_fetches
        enter(client, launch(client, platform, sub="learner-rotate-1"))
        assert platform.jwks_fetches == fetches  # a known kid: from the cache
        platform.rotate(spare[0])
        time.sleep(3.1)
        enter(client, launch(client, platform, sub="learner-rotate-2"))
        assert platform.jwks_fetches == fetches + 1  # the unknown kid made the tool fetch the keys again
        platform.rotate(spare[1])
        # within the cooldown after a fetch, an unknown kid is refused without fetching (no hammering)
        refused = launch(client, platform, sub="learner-rotate-3")
        assert refused.status_code == 401 and "lti.bad_signature" in refused.text
        assert platform.jwks_fetches == fetches + 1
        time.sleep(3.1)
        enter(client, launch(client, platform, sub="learner-rotate-3"))
    finally:
        JWKS.configure(cooldown=30.0)


def test_the_tools_jwks_publishes_each_key_until_retired(world: dict[str, Any], client: TestClient) -> None:
    data_dir = world["settings"].data_dir
    first = client.get("/lti/jwks").json()["keys"]
    assert first and all(k["kty"] == "RSA" and k["alg"] == "RS256" and "d" not in k for k in first)
    new = keys.rotate(data_dir)
    published = client.get("/lti/jwks").json()["keys"]
    assert published[0]["kid"] == new.kid and {k["kid"] for k in first} < {k["kid"] for k in published}
    for path in keys.key_dir(data_dir).glob("*.pem"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(Exception, match="signing key cannot be retired"):
        keys.retire(data_dir, new.kid)
    keys.retire(data_dir, first[0]["kid"])
    assert first[0]["kid"] not in {k["kid"] for k in client.get("/lti/jwks").json()["keys"]}


def _deep_link(world: dict[str, Any], client: TestClient, **upload: Any) -> tuple[str, dict[str, Any]]:
    """A teacher's deep-linking launch, then the picker's form posted; the answer page and the platform's check."""
    platform = world["platform"]
    page = enter(
        client,
        launch(client, platform, sub="prof-dl", roles=[INSTRUCTOR], message_type="LtiDeepLinkingRequest"),
    )
    picker_url = page.headers["refresh"].split("url=", 1)[1]
    assert picker_url.startswith("/lti/deep-link/")
    picker = client.get(picker_url)
    assert picker.status_code == 200 and "BIO-101" in picker.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', picker.text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        picker_url, data={"csrf_token": csrf, **upload.get("data", {})}, files=upload.get("files")
    )
    assert answer.status_code == 200, answer.text
    platform.tool_jwks_url = None
    token = re.search(r'name="JWT" value="([^"]+)"', answer.text).group(1)  # type: ignore[union-attr]
    return answer, _check_with_tool_keys(world, client, token)


def _check_with_tool_keys(world: dict[str, Any], client: TestClient, token: str) -> dict[str, Any]:
    import jwt

    platform = world["platform"]
    key_set = jwt.PyJWKSet.from_dict(client.get("/lti/jwks").json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in key_set.keys if k.key_id == kid).key
    return jwt.decode(token, key, algorithms=["RS256"], audience=platform.issuer, issuer=platform.client_id)


def test_deep_linking_returns_a_signed_link_and_shares_the_upload_for_the_course(
    world: dict[str, Any], client: TestClient
) -> None:
    answer, claims = _deep_link(
        world,
        client,
        data={"title": "Photosynthèse"},
        files={"file": ("photosynthese.md", io.BytesIO(LESSON), "text/markdown")},
    )
    platform = world["platform"]
    assert f'action="{platform.base}/deep-link-return"' in answer.text
    assert f"form-action 'self' {platform.base}" in answer.headers["content-security-policy"]
    assert claims[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[CLAIM + "version"] == "1.3.0" and claims[CLAIM + "deployment_id"] == platform.deployment_id
    dl = "https://purl.imsglobal.org/spec/lti-dl/claim/"
    assert claims[dl + "data"] == "opaque-platform-data"
    (item,) = claims[dl + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["title"] == "Versions accessibles : Photosynthèse"
    share = world["svc"].shares.get(item["custom"]["share"])
    assert share.course == "BIO-101" and share.title == "Photosynthèse" and share.institution == "univ-a"
    # the request is used once: the same form again is refused
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/web/teacher").text).group(1)  # type: ignore[union-attr]
    again = client.post(answer.url.path, data={"csrf_token": csrf, "share": share.id})
    assert again.status_code == 401 and "lti.replayed" in again.text


def test_a_student_launch_of_a_linked_document_asks_the_profile_once_then_opens_their_version(
    world: dict[str, Any], client: TestClient, corpus_dir: Any
) -> None:
    teacher = TestClient(world["app"])
    with (corpus_dir / "fixture-word.docx").open("rb") as fh:
        _, claims = _deep_link(
            world,
            teacher,
            data={"title": "Fiche Word"},
            files={"file": ("fixture-word.docx", fh, "application/octet-stream")},
        )
    share_id = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"][0]["custom"]["share"]
    sent = len(world["sent"])
    page = enter(
        client,
        launch(client, world["platform"], sub="learner-doc", extra={CLAIM + "custom": {"share": share_id}}),
    )
    assert page.headers["refresh"] == f"0; url=/lti/open/{share_id}"
    first = client.get(f"/lti/open/{share_id}", follow_redirects=False)
    assert first.status_code == 200 and "Choisissez votre profil de lecture" in first.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', first.text).group(1)  # type: ignore[union-attr]
    chosen = client.post(
        f"/lti/open/{share_id}/profile",
        data={"csrf_token": csrf, "profile": "dyslexia"},
        follow_redirects=False,
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == f"/lti/open/{share_id}"
    opened = client.get(f"/lti/open/{share_id}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"].startswith("/web/jobs/")
    job_id = opened.headers["location"].rsplit("/", 1)[1]
    assert world["sent"][sent:] == [job_id]
    job = world["svc"].store.get(job_id)
    share = world["svc"].shares.get(share_id)
    assert (
        job.input_sha256 == share.input_sha256 and job.profile_id == "dyslexia" and job.title == "Fiche Word"
    )
    assert client.get(f"/web/jobs/{job_id}").status_code == 200
    # the next launch opens the same version: no second job
    enter(
        client,
        launch(client, world["platform"], sub="learner-doc", extra={CLAIM + "custom": {"share": share_id}}),
    )
    again = client.get(f"/lti/open/{share_id}", follow_redirects=False)
    assert again.headers["location"] == f"/web/jobs/{job_id}" and world["sent"][sent:] == [job_id]


def test_a_link_to_a_share_of_another_institution_is_refused(
    world: dict[str, Any], client: TestClient
) -> None:
    svc = world["svc"]
    owner, _ = make_user(world["settings"], "teacher", institution="univ-b")
    other = svc.shares.create(
        owner_id=owner,
        institution="univ-b",
        title="Ailleurs",
        course="",
        filename="a.md",
        input_sha256="0" * 64,
        input_path="originals/00/0",
        input_bytes=1,
    )
    before = counts(world)
    answer = launch(client, world["platform"], sub="learner-x", extra={CLAIM + "custom": {"share": other.id}})
    assert answer.status_code == 404 and "lti.link_missing" in answer.text
    assert counts(world) == before  # no account for a refused link
    gone = launch(client, world["platform"], sub="learner-x", extra={CLAIM + "custom": {"share": "f" * 32}})
    assert gone.status_code == 404 and "lti.link_missing" in gone.text and counts(world) == before


def _signed_in(world: dict[str, Any], role: str) -> TestClient:
    _, token = make_user(world["settings"], role, institution="univ-a")
    browser = TestClient(world["app"])
    browser.cookies.set("inclusio_session", token)
    return browser


def test_the_admin_page_registers_and_removes_a_platform_and_rotates_the_key(world: dict[str, Any]) -> None:
    admin = _signed_in(world, "admin")
    page = admin.get("/lti/admin")
    assert page.status_code == 200
    for url in ("http://testserver/lti/login", "http://testserver/lti/launch", "http://testserver/lti/jwks"):
        assert url in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    form = {
        "csrf_token": csrf,
        "issuer": "https://moodle.univ-a.example",
        "client_id": "moodle-client-7",
        "deployments": "4, 5",
        "jwks_url": "https://moodle.univ-a.example/mod/lti/certs.php",
        "auth_url": "https://moodle.univ-a.example/mod/lti/auth.php",
        "token_url": "https://moodle.univ-a.example/mod/lti/token.php",
        "institution": "univ-a",
        "staff_role": DISABILITY,
    }
    added = admin.post("/lti/admin/platforms", data=form, follow_redirects=True)
    assert "Plateforme enregistrée." in added.text and "moodle-client-7" in added.text
    row = PlatformStore(world["svc"].store.db).find("https://moodle.univ-a.example", "moodle-client-7")
    assert row is not None and row.deployment_ids == ["4", "5"] and row.staff_role == DISABILITY
    assert not row.keep_names
    # a wrong address is the form's coded error, nothing stored
    bad = admin.post("/lti/admin/platforms", data={**form, "client_id": "x", "jwks_url": "ftp://nope"})
    assert bad.status_code == 400 and "request.invalid" in bad.text
    assert PlatformStore(world["svc"].store.db).find("https://moodle.univ-a.example", "x") is None
    kids = [k["kid"] for k in admin.get("/lti/jwks").json()["keys"]]
    rotated = admin.post("/lti/admin/keys/rotate", data={"csrf_token": csrf}, follow_redirects=True)
    assert "Nouvelle clé de signature publiée" in rotated.text
    now = [k["kid"] for k in admin.get("/lti/jwks").json()["keys"]]
    assert now[1:] == kids and now[0] not in kids
    removed = admin.post(
        f"/lti/admin/platforms/{row.id}/remove", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "Plateforme retirée." in removed.text and "moodle-client-7" not in removed.text
    # without the form's token, or as another role: refused
    assert admin.post("/lti/admin/keys/rotate", data={"csrf_token": "forged"}).status_code == 403
    for role in ("student", "teacher", "staff"):
        assert _signed_in(world, role).get("/lti/admin").status_code == 403
    assert TestClient(world["app"]).get("/lti/admin", follow_redirects=False).status_code == 303


def test_dynamic_registration_installs_the_tool_from_one_url_once(world: dict[str, Any]) -> None:
    admin = _signed_in(world, "admin")
    page = admin.get("/lti/admin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    made = admin.post("/lti/admin/registration-url", data={"csrf_token": csrf})
    url = re.search(r'id="registration-url">([^<]+)<', made.text).group(1)  # type: ignore[union-attr]
    assert url.startswith("http://testserver/lti/register/")
    path = url[len("http://testserver") :]
    newcomer = TestPlatform(client_id="dyn-client-1", deployment_id="dyn-dep-1")
    try:
        query = {
            "openid_configuration": newcomer.base + "/.well-known/openid-configuration",
            "registration_token": newcomer.registration_token,
        }
        browser = TestClient(world["app"])  # the platform's frame: no inclusio session
        done = browser.get(path, params=query)
        assert done.status_code == 200 and "inclusio est installé" in done.text
        assert 'data-lti-close="true"' in done.text
        (asked,) = newcomer.registrations
        assert asked["initiate_login_uri"] == "http://testserver/lti/login"
        assert asked["redirect_uris"] == ["http://testserver/lti/launch"]
        assert asked["jwks_uri"] == "http://testserver/lti/jwks" and asked["scope"] == ""
        tool = asked["https://purl.imsglobal.org/spec/lti-tool-configuration"]
        assert tool["claims"] == ["iss", "sub"]
        assert {m["type"] for m in tool["messages"]} == {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}
        row = PlatformStore(world["svc"].store.db).find(newcomer.issuer, "dyn-client-1")
        assert (
            row is not None
            and row.deployment_ids == ["dyn-dep-1"]
            and row.jwks_url == newcomer.base + "/jwks"
        )
        # the new platform launches at once
        student = TestClient(world["app"])
        enter(student, launch(student, newcomer, sub="dyn-learner"))
        # the URL is used once
        again = browser.get(path, params=query)
        assert again.status_code == 401 and "lti.replayed" in again.text
        # a wrong registration token (the platform refuses) or a configuration of another origin: nothing stored
        for bad_query in (
            {**query, "registration_token": "wrong"},
            {
                **query,
                "openid_configuration": newcomer.base.replace("127.0.0.1", "localhost")
                + "/.well-known/openid-configuration",
            },
        ):
            made = admin.post("/lti/admin/registration-url", data={"csrf_token": csrf})
            fresh = re.search(r'id="registration-url">([^<]+)<', made.text).group(1)  # type: ignore[union-attr]
            before = len(PlatformStore(world["svc"].store.db).list())
            refused = browser.get(fresh[len("http://testserver") :], params=bad_query)
            assert refused.status_code == 400 and "lti.bad_message" in refused.text
            assert len(PlatformStore(world["svc"].store.db).list()) == before
    finally:
        newcomer.close()


def test_registering_the_same_platform_again_adds_deployments_and_sets_the_role(
    world: dict[str, Any],
) -> None:
    platforms = PlatformStore(world["svc"].store.db)
    values = {
        "issuer": "https://canvas.example",
        "client_id": "100001",
        "jwks_url": "https://canvas.example/jwks",
        "auth_login_url": "https://canvas.example/auth",
        "token_url": "https://canvas.example/token",
        "institution": "univ-a",
    }
    first = platforms.add(**values, deployment_ids=["1:a"])
    again = platforms.add(**values, deployment_ids=["2:b"], staff_role=DISABILITY, keep_names=True)
    assert again.id == first.id and again.deployment_ids == ["1:a", "2:b"]
    assert again.staff_role == DISABILITY and again.keep_names
    assert len([p for p in platforms.list() if p.issuer == "https://canvas.example"]) == 1
    with pytest.raises(Exception, match="http"):
        platforms.add(
            **{**values, "client_id": "2", "token_url": "javascript:alert(1)"}, deployment_ids=["x"]
        )


def test_staff_read_the_courses_roster_and_give_a_learner_a_profile(world: dict[str, Any]) -> None:
    from lti_test_platform import NRPS_CLAIM

    platform = world["platform"]
    platform.tool_jwks = TestClient(world["app"]).get("/lti/jwks").json()
    # a learner who launched once has an account; another never did
    learner = TestClient(world["app"])
    enter(learner, launch(learner, platform, sub="roster-learner"))
    platform.members = [
        {"user_id": "roster-learner", "name": "Camille Martin", "roles": [LEARNER], "status": "Active"},
        {"user_id": "roster-new", "name": "Sacha Petit", "roles": [LEARNER], "status": "Active"},
        {"user_id": "roster-prof", "name": "Prof Durand", "roles": [INSTRUCTOR], "status": "Active"},
        {"user_id": "roster-gone", "name": "Parti", "roles": [LEARNER], "status": "Inactive"},
    ]
    tokens = len(platform.access_tokens)
    nrps = {
        NRPS_CLAIM: {"context_memberships_url": platform.base + "/memberships", "service_versions": ["2.0"]}
    }
    staff = TestClient(world["app"])
    page = enter(staff, launch(staff, platform, sub="roster-staff", roles=[DISABILITY], extra=nrps))
    roster_url = page.headers["refresh"].split("url=", 1)[1]
    assert roster_url.startswith("/lti/roster/")
    assert len(platform.access_tokens) == tokens  # the scope is asked only when the roster is read
    roster = staff.get(roster_url)
    assert roster.status_code == 200, roster.text
    text = html.unescape(roster.text)
    assert (
        "Camille Martin" in text and "Sacha Petit" in text and "Prof Durand" in text and "Parti" not in text
    )
    assert text.count("a un compte inclusio") == 1 and list(platform.access_tokens.values())[-1].endswith(
        "readonly"
    )
    learner_id = re.search(r'name="learner" value="([0-9a-f]+)"', roster.text).group(1)  # type: ignore[union-attr]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', roster.text).group(1)  # type: ignore[union-attr]
    saved = staff.post(
        f"{roster_url}/profile",
        data={"csrf_token": csrf, "learner": learner_id, "profile": "low-vision"},
        follow_redirects=True,
    )
    assert "Profil enregistré." in saved.text
    assert world["svc"].users.get_profile(learner_id).profile_id == "low-vision"
    # names are shown, never stored
    with world["svc"].store.db.session() as session:
        assert "Camille" not in " ".join(u.username for u in session.scalars(select(User)))
    # someone not on the roster (another student of the institution) cannot be given a profile through it
    outsider, _ = make_user(world["settings"], "student", institution="univ-a")
    refused = staff.post(
        f"{roster_url}/profile", data={"csrf_token": csrf, "learner": outsider, "profile": "blind"}
    )
    assert refused.status_code == 401 and world["svc"].users.get_profile(outsider) is None
    # another person with the roster's address gets nothing
    other_staff = _signed_in(world, "staff")
    assert other_staff.get(roster_url).status_code == 401
