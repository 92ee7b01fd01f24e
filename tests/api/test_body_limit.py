"""Upload limits against a real uvicorn server, with a raw socket client (issue #19, point 5).

A body over the limit is refused with ``413 input.too_large``: on its Content-Length before any of it
is sent, and, sent chunked with no length, as soon as the bytes received pass the limit; the server
then closes the connection instead of reading the rest, and its memory does not grow with the body.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from service_helpers import free_port, make_settings, make_user, wait_port

from inclusio.api.app import MULTIPART_OVERHEAD_BYTES

LIMIT = 5 * 1024 * 1024
BODY = 50 * 1024 * 1024
CHUNK = 64 * 1024
BOUNDARY = "inclusio-limit-test"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str, psutil.Process, Path]]:
    """A uvicorn process serving the API (5 MB upload limit): (port, bearer token, process, data dir)."""
    tmp_path = tmp_path_factory.mktemp("limit")
    settings = make_settings(tmp_path, max_upload_bytes=LIMIT)
    _uid, token = make_user(settings, "teacher")
    port = free_port()
    env = {
        **os.environ,
        "INCLUSIO_DATA_DIR": str(settings.data_dir),
        "INCLUSIO_MAX_UPLOAD_BYTES": str(LIMIT),
        "INCLUSIO_VALIDATE_EPUB": "false",
    }
    log = (tmp_path / "uvicorn.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "inclusio.server:create",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "info",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_port(port, 60, proc, "uvicorn")
        yield port, token, psutil.Process(proc.pid), settings.data_dir
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        log.close()


def _head(path: str, token: str, framing: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n{framing}\r\n"
    ).encode()


def _form_start() -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="profile"\r\n\r\nblind\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="gros.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _read_response(sock: socket.socket, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one HTTP/1.1 response (Content-Length framed)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        assert more, f"connection closed before a response: {data!r}"
        data += more
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    while len(body) < int(headers.get("content-length", "0")):
        more = sock.recv(65536)
        if not more:
            break
        body += more
    return status, headers, body


def _closed_by_server(sock: socket.socket, timeout: float = 10) -> bool:
    """True when the server closes the connection (EOF or reset) within ``timeout`` s."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


def test_content_length_over_the_limit_is_refused_before_the_body_is_sent(server) -> None:  # type: ignore[no-untyped-def]
    port, token, _proc, data_dir = server
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(_head("/jobs", token, f"Content-Length: {BODY}\r\nExpect: 100-continue\r\n"))
        status, headers, body = _read_response(sock)  # not one byte of the body was sent
        assert status == 413, body
        error = json.loads(body)["error"]
        assert error["code"] == "input.too_large" and error["details"]["max_bytes"] == LIMIT
        assert error["message_fr"]
        assert headers["connection"] == "close"
        assert _closed_by_server(sock)
    assert not (data_dir / "originals").exists() or not any((data_dir / "originals").rglob("*.pdf"))


@pytest.mark.parametrize("path", ["/jobs", "/batches", "/shares", "/web/teacher/shares"])
def test_a_chunked_upload_is_refused_once_past_the_limit_and_the_rest_is_never_read(
    server, path: str
) -> None:  # type: ignore[no-untyped-def]
    port, token, proc, data_dir = server
    before = proc.memory_info().rss
    peak = before
    sent = 0
    response = None
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_SNDBUF, CHUNK
        )  # "sent" = handed to the kernel: keep it close
        sock.sendall(_head(path, token, "Transfer-Encoding: chunked\r\n"))
        sock.sendall(_chunk(_form_start()))
        block = _chunk(b"0" * CHUNK)
        try:
            while sent < BODY:
                sock.sendall(block)
                sent += CHUNK
                if sent % (16 * CHUNK) == 0:
                    time.sleep(0.01)  # a slow client: the server sees the body arrive over time
                    peak = max(peak, proc.memory_info().rss)
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    response = _read_response(sock)
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed first; its answer is waiting in the socket
        if response is None:
            response = _read_response(sock)
        closed = _closed_by_server(sock)
    status, headers, body = response
    assert status == 413, body[:500]
    assert headers["connection"] == "close" and closed
    if path.startswith("/web/"):
        assert headers["content-type"].startswith("text/html") and b"input.too_large" in body
    else:
        assert json.loads(body)["error"]["code"] == "input.too_large"
    # refused soon after the limit, long before the 50 MB: what was sent beyond the limit (and its 1 MiB
    # of room for the form's fields) sat in the sockets' buffers (the server's receive buffer grows to MBs)
    assert LIMIT + MULTIPART_OVERHEAD_BYTES - CHUNK < sent < BODY // 2, sent
    grown = peak - before
    print(f"{path}: refused after {sent / 2**20:.1f} MiB sent; server RSS grew by {grown / 2**20:.1f} MiB")
    assert grown < 16 * 1024 * 1024, grown
    originals = data_dir / "originals"
    assert not originals.exists() or not [p for p in originals.rglob("*") if p.is_file()]


def test_the_server_still_answers_after_refusing(server) -> None:  # type: ignore[no-untyped-def]
    """A refused upload leaves the server serving: the next (small, chunked) upload is stored."""
    port, token, _proc, _data = server
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(_head("/jobs", token, f"Content-Length: {BODY}\r\n"))
        assert _read_response(sock)[0] == 413
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(_head("/preview/readability", token, "Transfer-Encoding: chunked\r\n"))
        form = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="cours.md"\r\n\r\n'
            "# Cours\n\nLa cellule est l'unité du vivant. Elle a un noyau.\n"
            f"\r\n--{BOUNDARY}--\r\n"
        ).encode()
        sock.sendall(_chunk(form) + b"0\r\n\r\n")
        status, _headers, body = _read_response(sock, timeout=120)
    assert status == 200, body[:500]


def test_a_content_length_of_non_ascii_digits_is_not_a_number() -> None:
    """'²' and '٣' are digits to str.isdigit() but int('²') raises: a header is not trusted to be ASCII."""
    from inclusio.api.body_limit import declared_length

    def scope(value: bytes) -> dict[str, object]:
        return {"headers": [(b"content-length", value)]}

    assert declared_length(scope(b"12")) == 12
    assert declared_length(scope("²".encode("latin-1"))) is None
    assert declared_length(scope(b"\xd9\xa3")) is None  # '٣' (Arabic-Indic three) in UTF-8, read as latin-1
