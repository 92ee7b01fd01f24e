"""The tool's own RSA keys: each a PEM file ``<data_dir>/lti/keys/<kid>.pem`` (mode 0600).

The newest key signs (deep-linking responses, service tokens); every key in the folder is published in the
JWKS, so a platform that cached the previous key still checks what that key signed while it moves to the new
one. :func:`rotate` adds a key, :func:`retire` removes an old one (never the signing one).
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inclusio.errors import RequestInvalid


@dataclass(frozen=True)
class ToolKey:
    kid: str
    private_pem: bytes

    def private_key(self) -> Any:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        return load_pem_private_key(self.private_pem, password=None)

    def public_jwk(self) -> dict[str, str]:
        numbers = self.private_key().public_key().public_numbers()
        return {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
        }


def _b64(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def key_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "lti" / "keys"


def _new_key(folder: Path) -> ToolKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    # kids sort by creation time: the newest is the signing key
    kid = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f") + "-" + secrets.token_hex(4)
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path = folder / f"{kid}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return ToolKey(kid, pem)


def all_keys(data_dir: Path) -> list[ToolKey]:
    """Every key of the tool, oldest first (none yet: an empty list)."""
    folder = key_dir(data_dir)
    if not folder.is_dir():
        return []
    return [ToolKey(p.stem, p.read_bytes()) for p in sorted(folder.glob("*.pem"))]


def signing_key(data_dir: Path) -> ToolKey:
    """The newest key (made on first use)."""
    keys = all_keys(data_dir)
    return keys[-1] if keys else _new_key(key_dir(data_dir))


def jwks(data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """The public keys, newest first (the signing key is made if there is none)."""
    signing_key(data_dir)
    return {"keys": [key.public_jwk() for key in reversed(all_keys(data_dir))]}


def rotate(data_dir: Path) -> ToolKey:
    """A new signing key; the previous ones stay published until retired."""
    return _new_key(key_dir(data_dir))


def retire(data_dir: Path, kid: str) -> None:
    """Stop publishing ``kid`` (an older key): what it signed can no longer be checked."""
    keys = all_keys(data_dir)
    if not keys or kid not in {k.kid for k in keys[:-1]}:
        raise RequestInvalid(
            f"No older key {kid!r}: the signing key cannot be retired (rotate first).",
            message_fr=f"Aucune ancienne clé {kid!r} : la clé de signature ne peut pas être retirée "
            "(faites d'abord une rotation).",
            details={"kid": kid[:64]},
        )
    (key_dir(data_dir) / f"{kid}.pem").unlink()
