"""Bearer tokens from the university's identity provider (OpenID Connect access or ID tokens, JWT).

Configured by ``INCLUSIO_OIDC_ISSUER``, ``INCLUSIO_OIDC_AUDIENCE`` and ``INCLUSIO_OIDC_JWKS_URL``
(the provider's ``jwks_uri``, or a path to a JWKS JSON file for machines that must not call out).
A token is accepted when its signature matches a key of the JWKS (RS256/ES256/PS256 family; never
``none`` or HMAC), it is unexpired, and its ``iss`` and ``aud`` are the configured ones.
The role comes from ``INCLUSIO_OIDC_ROLE_CLAIM`` (a string or a list; the highest of
admin > staff > teacher > student found wins, default student), the institution from
``INCLUSIO_OIDC_INSTITUTION_CLAIM`` (default: ``INCLUSIO_INSTITUTION``).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inclusio.config import Settings
from inclusio.errors import AuthInvalid

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
ROLE_ORDER = ("admin", "staff", "teacher", "student")


@dataclass(frozen=True)
class Identity:
    """What a valid token says about its holder."""

    subject: str
    username: str
    role: str
    institution: str


class OidcVerifier:
    """Checks identity-provider tokens against the configured JWKS (fetched once, refreshed on unknown keys)."""

    def __init__(self, settings: Settings) -> None:
        if not (settings.oidc_issuer and settings.oidc_jwks_url):
            raise ValueError("OIDC needs INCLUSIO_OIDC_ISSUER and INCLUSIO_OIDC_JWKS_URL")
        self.settings = settings
        self.issuer = settings.oidc_issuer
        self.source = settings.oidc_jwks_url
        self._lock = threading.Lock()
        self._client: Any = None
        self._file_keys: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcVerifier | None:
        """A verifier if OIDC is configured, else ``None`` (local accounts only)."""
        if settings.oidc_issuer and settings.oidc_jwks_url:
            return cls(settings)
        return None

    def _signing_key(self, token: str) -> Any:
        import jwt

        if self.source.startswith(("http://", "https://")):
            with self._lock:
                if self._client is None:
                    self._client = jwt.PyJWKClient(self.source, cache_keys=True, lifespan=3600, timeout=5)
            return self._client.get_signing_key_from_jwt(token).key
        with self._lock:
            if self._file_keys is None:
                self._file_keys = jwt.PyJWKSet.from_dict(json.loads(Path(self.source).read_text()))
        kid = jwt.get_unverified_header(token).get("kid")
        for key in self._file_keys.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise jwt.InvalidTokenError(f"no key {kid!r} in the JWKS file")

    def verify(self, token: str) -> Identity:
        """The identity in ``token``, or :class:`~inclusio.errors.AuthInvalid` (never another exception)."""
        import jwt

        try:
            key = self._signing_key(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.settings.oidc_audience,
                options={
                    "require": ["exp", "iss", "sub"],
                    "verify_aud": self.settings.oidc_audience is not None,
                },
            )
        except (jwt.PyJWTError, OSError, ValueError) as exc:
            raise AuthInvalid(details={"reason": type(exc).__name__}) from exc
        return Identity(
            subject=f"{self.issuer}|{claims['sub']}",
            username=str(claims.get(self.settings.oidc_username_claim) or claims["sub"])[:100],
            role=_role(claims.get(self.settings.oidc_role_claim)),
            institution=str(claims.get(self.settings.oidc_institution_claim) or self.settings.institution)[
                :64
            ],
        )


def _role(value: Any) -> str:
    values = {value} if isinstance(value, str) else set(value or []) if isinstance(value, list) else set()
    lowered = {str(v).lower() for v in values}
    return next((role for role in ROLE_ORDER if role in lowered), "student")
