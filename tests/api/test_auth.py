"""Signing in: local accounts (Argon2, opaque tokens) and identity-provider tokens checked against a JWKS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user

from inclusio.config import Settings
from inclusio.server import create_app
from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore

ISSUER = "https://idp.univ.example/realms/etudiants"


def _key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks(*keys: tuple[Any, str]) -> dict[str, Any]:
    out = []
    for key, kid in keys:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        out.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
    return {"keys": out}


def _token(key: Any, kid: str, **claims: Any) -> str:
    now = int(time.time())
    body = {
        "iss": ISSUER,
        "aud": "inclusio",
        "sub": "u-42",
        "iat": now,
        "exp": now + 300,
        "preferred_username": "camille.martin",
        "roles": ["student"],
        "institution": "univ-lyon",
    }
    body.update(claims)
    return jwt.encode(
        {k: v for k, v in body.items() if v is not None}, key, algorithm="RS256", headers={"kid": kid}
    )


@pytest.fixture(scope="module")
def keys() -> tuple[Any, Any]:
    return _key(), _key()


@pytest.fixture(scope="module")
def jwks_server(keys: tuple[Any, Any]) -> Iterator[str]:
    """The identity provider's JWKS on 127.0.0.1 (the university's certs endpoint), counting its hits."""
    body = json.dumps(_jwks((keys[0], "k1"))).encode()

    class Handler(BaseHTTPRequestHandler):
        hits = 0

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            Handler.hits += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/realms/etudiants/protocol/openid-connect/certs"
    server.shutdown()


def test_local_sign_in_gives_a_token_that_works_until_revoked(settings: Settings) -> None:
    make_user(settings, "teacher", username="prof.durand", password="correct horse battery")
    client = TestClient(create_app(settings))
    assert (
        client.post("/auth/token", data={"username": "prof.durand", "password": "wrong password"}).json()[
            "error"
        ]["code"]
        == "auth.invalid"
    )
    assert client.post("/auth/token", data={"username": "nobody", "password": "x" * 10}).status_code == 401
    response = client.post(
        "/auth/token", data={"username": "prof.durand", "password": "correct horse battery"}
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    assert token.startswith("inc_") and response.json()["token_type"] == "bearer"
    auth = {"Authorization": f"Bearer {token}"}
    me = client.get("/me", headers=auth).json()
    assert me["username"] == "prof.durand" and me["role"] == "teacher"
    # only the digest is stored, and the password only as an Argon2id hash
    store = JobStore.from_settings(settings)
    with store.engine.connect() as conn:
        stored = [row[0] for row in conn.exec_driver_sql("SELECT token_sha256 FROM api_tokens")]
        hashes = [row[0] for row in conn.exec_driver_sql("SELECT password_hash FROM users")]
    assert token not in stored and all(h.startswith("$argon2id$") for h in hashes)
    assert client.delete("/auth/token", headers=auth).status_code == 204
    assert client.get("/me", headers=auth).json()["error"]["code"] == "auth.invalid"
    assert client.get("/me").json()["error"]["code"] == "auth.required"
    assert client.get("/me", headers={"Authorization": "Basic YTpi"}).status_code == 401
    assert client.get("/me").headers["www-authenticate"] == "Bearer"


def test_an_expired_local_token_is_refused(settings: Settings) -> None:
    store = JobStore.from_settings(settings)
    store.migrate()
    users = UserStore(store.engine)
    user = users.create_user("lea", role="student", institution="default", password="12345678")
    token, _ = users.issue_token(user.id, hours=-1)
    client = TestClient(create_app(settings))
    assert (
        client.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["error"]["code"]
        == "auth.invalid"
    )


def test_identity_provider_tokens_are_checked_against_the_jwks_url(
    tmp_path: Path, keys: tuple[Any, Any], jwks_server: str
) -> None:
    settings = make_settings(
        tmp_path, oidc_issuer=ISSUER, oidc_audience="inclusio", oidc_jwks_url=jwks_server
    )
    client = TestClient(create_app(settings))
    good = _token(keys[0], "k1")
    me = client.get("/me", headers={"Authorization": f"Bearer {good}"})
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "camille.martin" and me.json()["role"] == "student"
    assert me.json()["institution"] == "univ-lyon"
    # the same person again is the same account; a staff role claim is honoured
    again = client.get(
        "/me", headers={"Authorization": f"Bearer {_token(keys[0], 'k1', roles=['staff', 'x'])}"}
    )
    assert again.json()["id"] == me.json()["id"] and again.json()["role"] == "staff"
    refused = {
        "another key": _token(keys[1], "k1"),
        "unknown kid": _token(keys[1], "k9"),
        "wrong issuer": _token(keys[0], "k1", iss="https://evil.example"),
        "wrong audience": _token(keys[0], "k1", aud="another-app"),
        "expired": _token(keys[0], "k1", exp=int(time.time()) - 60),
        "no subject": _token(keys[0], "k1", sub=None),
        "hs256 with the public key": jwt.encode(
            {"iss": ISSUER, "aud": "inclusio", "sub": "x", "exp": int(time.time()) + 60},
            "s" * 40,
            algorithm="HS256",
            headers={"kid": "k1"},
        ),
        "garbage": "a.b.c",
    }
    for why, token in refused.items():
        response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and response.json()["error"]["code"] == "auth.invalid", why


def test_identity_provider_tokens_with_a_jwks_file(tmp_path: Path, keys: tuple[Any, Any]) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(_jwks((keys[1], "k2"))))
    settings = make_settings(tmp_path, oidc_issuer=ISSUER, oidc_jwks_url=str(jwks))
    client = TestClient(create_app(settings))
    token = _token(keys[1], "k2", roles="teacher", aud=None)
    me = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["role"] == "teacher", me.text
    assert client.get("/me", headers={"Authorization": f"Bearer {_token(keys[0], 'k2')}"}).status_code == 401


def test_without_oidc_settings_a_jwt_is_refused(settings: Settings, keys: tuple[Any, Any]) -> None:
    client = TestClient(create_app(settings))
    response = client.get("/me", headers={"Authorization": f"Bearer {_token(keys[0], 'k1')}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "auth.invalid"
