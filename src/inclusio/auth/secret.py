"""The server secret: ``INCLUSIO_SECRET_KEY``, else a random key made once in ``<data_dir>/secret.key``.

It signs what must not be forged by someone who does not hold a session (the web forms' CSRF tokens).
Every process on the same data folder reads the same file; the first one to start writes it (atomically,
mode 0600): two processes starting together agree, since only one ``link`` can succeed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from inclusio.config import Settings

KEY_FILE = "secret.key"
_cache: dict[str, bytes] = {}
_lock = threading.Lock()


def _read_or_make(path: Path) -> bytes:
    with contextlib.suppress(FileNotFoundError):
        value = path.read_text().strip()
        if len(value) >= 32:
            return value.encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        with contextlib.suppress(FileExistsError):  # another process got there first: its key is the key
            os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path.read_text().strip().encode()


def server_secret(settings: Settings) -> bytes:
    """The secret of this deployment (read once per process and data folder)."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value().encode()
    key = str(settings.data_dir)
    with _lock:
        if key not in _cache:
            _cache[key] = _read_or_make(Path(settings.data_dir) / KEY_FILE)
        return _cache[key]


def sign(settings: Settings, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` for ``purpose`` under the server secret (hex)."""
    message = purpose.encode() + b"\x00" + value.encode()
    return hmac.new(server_secret(settings), message, hashlib.sha256).hexdigest()
