"""The same tool driven by an independent platform implementation: the ``lti1p3platform`` package (0.1.8), its
OIDC login initiation, its signed resource-link and deep-linking launches, and its check of the tool's signed
deep-linking answer against the tool's JWKS. So the tool is not only tested against its own reading of the
specification (tests/lti/platform.py). Skipped where the package is not installed (the ``test`` extra has it)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from service_helpers import make_settings

lti1p3platform = pytest.importorskip("lti1p3platform")

from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract  # noqa: E402
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract  # noqa: E402
from lti1p3platform.oidc_login import OIDCLoginAbstract  # noqa: E402
from lti1p3platform.registration import Registration  # noqa: E402

from inclusio.store.lti import PlatformStore  # noqa: E402

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
CLIENT_ID = "lti1p3platform-client"
DEPLOYMENT = "lti1p3platform-dep"
TOOL = "http://testserver"


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class Platform(LTI1P3PlatformConfAbstract):
    """The package's platform configuration: one registration of the tool."""

    def init_platform_config(self, **kwargs: Any) -> None:
        self.registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self.registration


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return launch_data


class _Request:
    """The authorization request the tool sent the browser to (the package reads ``get_data``)."""

    def __init__(self, query: dict[str, str]) -> None:
        self.get_data, self.form_data = query, {}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from inclusio.server import create_app

    private, public = _pem_pair()
    registration = (
        Registration()
        .set_iss("https://lms.lti1p3platform.test")
        .set_client_id(CLIENT_ID)
        .set_deployment_id(DEPLOYMENT)
        .set_launch_url(TOOL + "/lti/launch")
        .set_deeplink_launch_url(TOOL + "/lti/launch")
        .set_oidc_login_url(TOOL + "/lti/login")
        .set_platform_public_key(public)
        .set_platform_private_key(private)
    )
    jwks = json.dumps({"keys": registration.get_jwks()}).encode()
    kid = registration.get_kid()
    assert kid, "lti1p3platform gives its key a kid"

    # the tool reads the platform's JWKS over HTTP, as from Moodle's certs.php
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = json.dumps({"keys": [{**k, "kid": kid} for k in json.loads(jwks)["keys"]]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = make_settings(tmp_path_factory.mktemp("lti1p3platform"))
    app = create_app(settings, enqueue=lambda kind, job_id: None)
    PlatformStore(app.state.services.store.db).add(
        issuer=registration.get_iss(),
        client_id=CLIENT_ID,
        deployment_ids=[DEPLOYMENT],
        jwks_url=f"http://127.0.0.1:{server.server_address[1]}/jwks",
        auth_login_url="https://lms.lti1p3platform.test/auth",
        token_url="https://lms.lti1p3platform.test/token",
        institution="univ-p",
    )
    try:
        yield {"app": app, "registration": registration, "svc": app.state.services}
    finally:
        server.shutdown()
        server.server_close()


def _launch(world: dict[str, Any], client: TestClient, prepare: Any) -> Any:
    """The package's login initiation, the tool's redirect, the package's signed launch posted to the tool."""
    platform = Platform(registration=world["registration"])
    login = Login(request=None, platform_config=platform)
    login.set_lti_message_hint(hint="resource-1")
    preflight = login.initiate_login("user-123")
    assert preflight.startswith(TOOL + "/lti/login?")
    answer = client.get(preflight[len(TOOL) :], follow_redirects=False)
    assert answer.status_code == 302, answer.text
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
    launch = Launch(_Request(query), platform)  # type: ignore[arg-type]
    prepare(launch)
    data = launch.lti_launch()
    assert data["launch_url"] == TOOL + "/lti/launch"
    return client.post(
        "/lti/launch", data={"id_token": data["id_token"], "state": data["state"]}, follow_redirects=False
    )


def test_a_learner_launch_of_lti1p3platform_signs_in_a_student(world: dict[str, Any]) -> None:
    client = TestClient(world["app"])

    def prepare(launch: Launch) -> None:
        launch.set_user_data("user-123", [LEARNER], full_name="Not Kept", email_address="nk@example.edu")
        launch.set_resource_link_claim("rl-9", title="Cours")
        launch.set_launch_context_claim("ctx-1", context_title="Chimie", context_label="CHIM-1")

    answer = _launch(world, client, prepare)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"], follow_redirects=False)
    assert page.headers["refresh"] == "0; url=/web/student"
    assert client.get("/web/student", follow_redirects=False).status_code == 200
    users = world["svc"].users.list(institution="univ-p")
    assert [u.role for u in users] == ["student"] and users[0].username.startswith("lti-")


def test_a_tampered_lti1p3platform_launch_is_refused(world: dict[str, Any]) -> None:
    client = TestClient(world["app"])
    before = len(world["svc"].users.list(institution="univ-p"))

    def prepare(launch: Launch) -> None:
        launch.set_user_data("user-evil", [INSTRUCTOR])
        launch.set_resource_link_claim("rl-9")

    # the package signs; the body is changed afterwards (a learner making themself an instructor)
    original = Launch.generate_launch_request

    def tampered(self: Launch) -> dict[str, str]:
        data = original(self)
        header, body, signature = data["id_token"].split(".")
        import base64

        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["sub"] = "user-admin"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return {"state": data["state"], "id_token": f"{header}.{forged}.{signature}"}

    Launch.generate_launch_request = tampered  # type: ignore[method-assign]
    try:
        answer = _launch(world, client, prepare)
    finally:
        Launch.generate_launch_request = original  # type: ignore[method-assign]
    assert answer.status_code == 401 and "lti.bad_signature" in answer.text
    assert len(world["svc"].users.list(institution="univ-p")) == before


def test_lti1p3platform_deep_links_and_accepts_the_tools_signed_answer(world: dict[str, Any]) -> None:
    client = TestClient(world["app"])

    def prepare(launch: Launch) -> None:
        launch.set_user_data("teacher-1", [INSTRUCTOR])
        launch.set_launch_context_claim("ctx-2", context_title="Physique", context_label="PHY-2")
        launch.set_dl("https://lms.lti1p3platform.test/dl-return", title="Ajouter", extra_data={"k": "v"})

    answer = _launch(world, client, prepare)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"], follow_redirects=False)
    picker = page.headers["refresh"].split("url=", 1)[1]
    form = client.get(picker)
    assert form.status_code == 200 and "PHY-2" in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    lesson = b"# Ondes\n\nUne onde transporte de l'energie sans transporter de matiere.\n"
    done = client.post(
        picker,
        data={"csrf_token": csrf, "title": "Les ondes"},
        files={"file": ("ondes.md", lesson, "text/markdown")},
    )
    assert done.status_code == 200, done.text
    token = re.search(r'name="JWT" value="([^"]+)"', done.text).group(1)  # type: ignore[union-attr]
    # the package checks the answer with the tool's published keys
    platform = Platform(registration=world["registration"])
    platform.get_registration()
    world["registration"].set_tool_key_set(client.get("/lti/jwks").json())
    claims = platform.tool_validate_and_decode(token)
    assert claims["aud"] == world["registration"].get_iss() and claims["iss"] == CLIENT_ID
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == {"k": "v"}
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["title"] == "Versions accessibles : Les ondes"
    assert world["svc"].shares.get(item["custom"]["share"]).course == "PHY-2"
