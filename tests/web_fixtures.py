"""What the browser tests share (tests/web and tests/lti/test_lti_journey.py): a real server, a headless Chromium,
axe-core, and the accounts each test module signs in with.

A module under ``tests/`` with a name of its own (not ``conftest``): tests/web/conftest.py and
tests/lti/conftest.py would shadow each other as ``conftest`` when both folders run in one pytest call, so the
test files import from here (``from web_fixtures import PASSWORD, Server``).

* The API app runs in a real ``uvicorn`` process on a free 127.0.0.1 port (:func:`start_web`), with a real
  Celery worker, on the embedded default (SQLite, broker-less queue) in a temporary folder.
* Debian's Chromium (``/usr/bin/chromium``) is driven by Playwright for Python (:func:`chromium`); Playwright's
  own browser downloads are never used.
* axe-core comes from ``tools/axe`` (``npm ci --prefix tools/axe``), injected into each page.
* tests/web's server, worker and browser are built once per pytest process (session scope: once per xdist
  worker under ``--dist loadfile``); each test module gets its own accounts ``student1``, ``student2``,
  ``teacher1`` and ``staff1`` in an institution of its own (:func:`module_accounts`), so that it sees none of
  the jobs, shares, batches or reports of the modules that ran before it on the same server (staff, teachers
  and reports only see their institution's).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "mot-de-passe-1"

ACCOUNTS = (("student", "student1"), ("student", "student2"), ("teacher", "teacher1"), ("staff", "staff1"))
"""The accounts every module of tests/web signs in with (role, user name), all with :data:`PASSWORD`."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_free_port = free_port  # the former name (tests/web/conftest.py's)


@dataclass
class Server:
    base: str
    settings: Any
    log: Path
    worker: Any
    """The :class:`service_helpers.RunningWorker` of the server."""
    institution: str = "default"
    """The institution of this module's accounts (tests/web: one per module, see :func:`module_accounts`)."""

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] + "\n--- worker ---\n" + self.worker.log()[-4000:]


def spawn_web(settings: Any, log: Path, *, timeout: float = 60) -> tuple[subprocess.Popen[bytes], str]:
    """A real ``uvicorn`` process of the app on a free 127.0.0.1 port for ``settings``, once it answers
    ``/health``: the process (the caller stops it) and its base address. The log keeps what it prints."""
    from inclusio.processes import settings_env

    port = free_port()
    with log.open("wb") as out:  # the child holds its own copy of the file descriptor
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "inclusio.server:create", "--host", "127.0.0.1"]
            + ["--port", str(port), "--log-level", "warning"],
            env=settings_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    return proc, base
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    except BaseException:
        proc.kill()
        proc.wait(20)
        raise


@contextmanager
def start_web(settings: Any, log: Path, *, timeout: float = 60) -> Iterator[str]:
    """:func:`spawn_web` as a context: yields the base address, and stops the process on exit."""
    proc, base = spawn_web(settings, log, timeout=timeout)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


CSP_WATCH = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});"""
"""Records every Content-Security-Policy refusal of a page (an init script: it runs whatever the policy)."""


class WatchedBrowser:
    """The browser, whose every new context records CSP refusals (``window.__cspViolations``)."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **kwargs: Any) -> Any:
        # A French browser unless a test says otherwise: the pages follow Accept-Language until the person
        # chooses a language, and Chromium's own default is en-US (tests/web/test_language.py uses "en-GB").
        kwargs.setdefault("locale", "fr-FR")
        context = self._browser.new_context(**kwargs)
        context.add_init_script(CSP_WATCH)
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (closed on exit)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is needed (apt-get install chromium)"
    assert AXE.exists(), "axe-core is needed: npm ci --prefix tools/axe"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def module_accounts(settings: Any, module: str) -> str:
    """The :data:`ACCOUNTS` of a new test module, in an institution of its own (returned): the accounts of
    that name of the module before are renamed ``<name>.<their institution>`` (their jobs, shares and
    batches stay theirs, in their institution), then made again."""
    from service_helpers import make_user
    from sqlalchemy import update

    from inclusio.store.db import Database
    from inclusio.store.models import User

    institution = ("web-" + re.sub(r"[^A-Za-z0-9_-]", "-", module))[:64]
    db = Database.from_settings(settings)
    try:
        db.migrate()
        with db.session() as session:
            session.execute(
                update(User)
                .where(User.username.in_([name for _, name in ACCOUNTS]))
                .values(username=User.username + "." + User.institution)
            )
    finally:
        db.dispose()
    for role, name in ACCOUNTS:
        make_user(settings, role, institution=institution, username=name, password=PASSWORD)
    return institution


def watch_fonts(page: Any) -> list[tuple[str, int, str]]:
    """The font files ``page`` fetches from /web/fonts/ from now on: (address, status, content type)."""
    fetched: list[tuple[str, int, str]] = []
    page.on(
        "response",
        lambda r: (
            fetched.append((r.url, r.status, r.headers.get("content-type", "")))
            if "/web/fonts/" in r.url
            else None
        ),
    )
    return fetched
