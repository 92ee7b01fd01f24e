"""A small LTI 1.3 platform for the tests: its own RSA keys, its JWKS and pages served on 127.0.0.1.

It plays the learning platform's part of the specification (IMS LTI 1.3 core, Deep Linking 2.0):

* ``login_params()``: a third-party-initiated login (``iss``, ``login_hint``, ``target_link_uri``...);
* ``id_token(nonce, ...)``: a signed launch (resource link or deep linking), any claim overridden or removed,
  signed by its current key, another key, or tampered after signing;
* a real HTTP server (a thread) serving ``/jwks`` (its public keys: rotation shows the tool fetches them again
  on an unknown ``kid``), ``/auth`` (the OIDC authorization endpoint: answers with a form posting the launch
  to the tool's ``redirect_uri``, as a browser would get from Moodle), ``/course`` (a course page framing the
  tool in an iframe) and ``/deep-link-return`` (checks the tool's signed answer against the tool's JWKS).
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
TEACHING_ASSISTANT = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
DISABILITY = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Mentor"
REMOVE = object()
"""Pass as a claim's value to leave the claim out of a launch."""


def _jwk(key: Any, kid: str) -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**public, "kid": kid, "alg": "RS256", "use": "sig"}


class TestPlatform:
    """One platform: issuer, client id and deployment given to the tool, keys, and its HTTP server."""

    __test__ = False  # not a test class

    def __init__(self, client_id: str = "inclusio-client", deployment_id: str = "dep-1") -> None:
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.keys: list[tuple[str, Any]] = [(f"k-{uuid.uuid4().hex[:8]}", self._new_key())]
        self.tool_jwks_url: str | None = None
        self.returned: list[dict[str, Any]] = []
        """Deep-linking answers received (their checked claims), newest last."""
        self.launch_claims: dict[str, Any] = {}
        """Claims the ``/auth`` endpoint puts in the launches it signs (the test sets them)."""
        self.jwks_fetches = 0
        self.tool_jwks: dict[str, Any] | None = None
        """The tool's JWKS as the platform holds it (set by a test), else fetched from ``tool_jwks_url``."""
        self.access_tokens: dict[str, str] = {}
        """Access tokens issued (token -> scope)."""
        self.members: list[dict[str, Any]] = []
        """The course's roster served by ``/memberships`` (NRPS)."""
        self.registration_token = "reg-token-" + uuid.uuid4().hex[:8]
        self.registrations: list[dict[str, Any]] = []
        """Client registrations received by ``/register`` (Dynamic Registration), newest last."""
        self.tool_url = "http://testserver"
        """Where the tool is: its launch URL is the target link URI of logins and launches."""
        self.tamper_launches: dict[str, Any] | None = None
        """When set, the ``/auth`` endpoint changes these claims of its launches after signing them."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.issuer = self.base  # a platform's issuer is its URL
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @staticmethod
    def _new_key() -> Any:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what the admin registers in the tool -----------------------------------------------------

    def registration(self, **overrides: Any) -> dict[str, Any]:
        values = {
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_ids": [self.deployment_id],
            "jwks_url": self.base + "/jwks",
            "auth_login_url": self.base + "/auth",
            "token_url": self.base + "/token",
        }
        values.update(overrides)
        return values

    def rotate(self, key: Any = None) -> str:
        """A new signing key (``key``, or one made now), published beside the old one; its kid."""
        kid = f"k-{uuid.uuid4().hex[:8]}"
        self.keys.append((kid, key or self._new_key()))
        return kid

    def jwks(self) -> dict[str, Any]:
        return {"keys": [_jwk(key, kid) for kid, key in self.keys]}

    # -- messages ------------------------------------------------------------------------------------

    def login_params(self, **overrides: str) -> dict[str, str]:
        values = {
            "iss": self.issuer,
            "login_hint": "user-hint-42",
            "target_link_uri": self.tool_url + "/lti/launch",
            "lti_message_hint": "msg-hint",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }
        values.update(overrides)
        return values

    def claims(
        self,
        nonce: str,
        *,
        sub: str = "student-001",
        roles: list[str] | None = None,
        message_type: str = "LtiResourceLinkRequest",
        extra: dict[str, Any] | None = None,
        **overrides: Any,
    ) -> dict[str, Any]:
        """A launch's claims; ``overrides`` (plain names: ``aud=...``) and ``extra`` (full claim names) replace
        or, given :data:`REMOVE`, leave out claims."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "azp": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Camille Étudiante",
            "email": "camille@example.edu",
            CLAIM + "deployment_id": self.deployment_id,
            CLAIM + "message_type": message_type,
            CLAIM + "version": "1.3.0",
            CLAIM + "roles": roles if roles is not None else [LEARNER],
            CLAIM + "context": {"id": "ctx-bio101", "label": "BIO-101", "title": "Biologie cellulaire"},
            CLAIM + "target_link_uri": self.tool_url + "/lti/launch",
        }
        if message_type == "LtiResourceLinkRequest":
            claims[CLAIM + "resource_link"] = {"id": "rl-1", "title": "Cours 1"}
        else:
            claims[DL_CLAIM + "deep_linking_settings"] = {
                "deep_link_return_url": self.base + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "data": "opaque-platform-data",
            }
        for name, value in {**overrides, **(extra or {})}.items():
            if value is REMOVE:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def sign(self, claims: dict[str, Any], *, key: Any = None, kid: str | None = None) -> str:
        current_kid, current_key = self.keys[-1]
        return jwt.encode(claims, key or current_key, algorithm="RS256", headers={"kid": kid or current_kid})

    def id_token(self, nonce: str, **kwargs: Any) -> str:
        return self.sign(self.claims(nonce, **kwargs))

    @staticmethod
    def tamper(token: str, **changes: Any) -> str:
        """The token with its payload changed after signing (the signature no longer matches)."""
        header, payload, signature = token.split(".")
        claims = json.loads(jwt.utils.base64url_decode(payload))
        claims.update(changes)
        body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
        return f"{header}.{body}.{signature}"

    def _tool_key(self, token: str) -> Any:
        if self.tool_jwks is not None:
            kid = jwt.get_unverified_header(token)["kid"]
            return next(k.key for k in jwt.PyJWKSet.from_dict(self.tool_jwks).keys if k.key_id == kid)
        assert self.tool_jwks_url, "set tool_jwks or tool_jwks_url first"
        return jwt.PyJWKClient(self.tool_jwks_url).get_signing_key_from_jwt(token).key

    def check_token_request(self, form: dict[str, str]) -> str:
        """A client-credentials request with the tool's signed JWT (private_key_jwt): its scope."""
        assert form["grant_type"] == "client_credentials"
        assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        claims = jwt.decode(
            form["client_assertion"],
            self._tool_key(form["client_assertion"]),
            algorithms=["RS256"],
            audience=self.base + "/token",
            issuer=self.client_id,
        )
        assert claims["sub"] == self.client_id and claims["jti"]
        assert form["scope"] == NRPS_SCOPE, form["scope"]
        return form["scope"]

    def check_deep_link_answer(self, token: str) -> dict[str, Any]:
        """The tool's signed answer checked as a platform does: the tool's JWKS, aud = this issuer."""
        assert self.tool_jwks_url, "set tool_jwks_url first"
        key = jwt.PyJWKClient(self.tool_jwks_url).get_signing_key_from_jwt(token).key
        return jwt.decode(token, key, algorithms=["RS256"], audience=self.issuer, issuer=self.client_id)

    # -- the HTTP side -----------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8") -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/jwks":
                    platform.jwks_fetches += 1
                    self._send(200, json.dumps(platform.jwks()), "application/json")
                elif url.path == "/auth":
                    self._send(200, platform.auth_answer(query))
                elif url.path == "/.well-known/openid-configuration":
                    self._send(200, json.dumps(platform.openid_configuration()), "application/json")
                elif url.path == "/memberships":
                    token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                    if platform.access_tokens.get(token) != NRPS_SCOPE:
                        self._send(401, json.dumps({"error": "invalid_token"}), "application/json")
                    else:
                        body = {
                            "id": platform.base + "/memberships",
                            "context": {"id": "ctx-bio101"},
                            "members": platform.members,
                        }
                        self._send(
                            200, json.dumps(body), "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
                        )
                elif url.path == "/course":
                    self._send(200, platform.course_page(query["login"]))
                else:
                    self._send(404, "not found", "text/plain")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if urlsplit(self.path).path == "/register":
                    if self.headers.get("Authorization") != f"Bearer {platform.registration_token}":
                        self._send(401, json.dumps({"error": "invalid_token"}), "application/json")
                        return
                    platform.registrations.append(json.loads(raw))
                    answer = {
                        **platform.registrations[-1],
                        "client_id": platform.client_id,
                        TOOL_CONFIGURATION: {
                            **platform.registrations[-1].get(TOOL_CONFIGURATION, {}),
                            "deployment_id": platform.deployment_id,
                        },
                    }
                    self._send(200, json.dumps(answer), "application/json")
                    return
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                if urlsplit(self.path).path == "/token":
                    try:
                        scope = platform.check_token_request(form)
                    except Exception as exc:  # the test reads the status
                        self._send(
                            400, json.dumps({"error": "invalid_client", "why": repr(exc)}), "application/json"
                        )
                        return
                    token = uuid.uuid4().hex
                    platform.access_tokens[token] = scope
                    answer = {
                        "access_token": token,
                        "token_type": "Bearer",
                        "expires_in": 3600,
                        "scope": scope,
                    }
                    self._send(200, json.dumps(answer), "application/json")
                elif urlsplit(self.path).path == "/deep-link-return":
                    try:
                        platform.returned.append(platform.check_deep_link_answer(form["JWT"]))
                        self._send(
                            200, "<!DOCTYPE html><html lang='fr'><title>ok</title><h1>Lien ajouté</h1></html>"
                        )
                    except Exception as exc:  # the test reads the status
                        self._send(400, f"refused: {html.escape(repr(exc))}", "text/plain")
                else:
                    self._send(404, "not found", "text/plain")

        return Handler

    def openid_configuration(self) -> dict[str, Any]:
        """The platform's OpenID configuration (LTI Dynamic Registration, section 3.4)."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.base + "/auth",
            "token_endpoint": self.base + "/token",
            "jwks_uri": self.base + "/jwks",
            "registration_endpoint": self.base + "/register",
            "scopes_supported": ["openid"],
            "response_types_supported": ["id_token"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "inclusio-tests",
                "version": "1.0",
                "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}],
            },
        }

    def auth_answer(self, query: dict[str, str]) -> str:
        """The authorization endpoint: a page posting a signed launch to the tool's redirect_uri at once."""
        assert query.get("response_mode") == "form_post" and query.get("scope") == "openid"
        assert query.get("client_id") == self.client_id and query.get("prompt") == "none"
        token = self.id_token(query["nonce"], **self.launch_claims)
        if self.tamper_launches:
            token = self.tamper(token, **self.tamper_launches)
        return (
            "<!DOCTYPE html><html lang='fr'><head><title>Lancement</title></head><body>"
            f"<form id='f' method='post' action='{html.escape(query['redirect_uri'])}'>"
            f"<input type='hidden' name='id_token' value='{html.escape(token)}'>"
            f"<input type='hidden' name='state' value='{html.escape(query['state'])}'>"
            "<button type='submit'>Continuer</button></form>"
            "<script>document.getElementById('f').submit()</script></body></html>"
        )

    def course_page(self, login_url: str) -> str:
        """A course page framing the tool (the platform starts the login inside the iframe)."""
        params = "&".join(f"{k}={v}" for k, v in self.login_params().items())
        src = html.escape(f"{login_url}?{params}")
        return (
            "<!DOCTYPE html><html lang='fr'><head><title>Cours BIO-101</title></head><body><main>"
            "<h1>Cours BIO-101</h1>"
            f"<iframe id='tool' title='inclusio' src='{src}' width='900' height='700'></iframe>"
            "</main></body></html>"
        )


def new_nonce() -> str:
    return secrets.token_urlsafe(16)
