"""Fixtures for the web pages' end-to-end tests: one real server and worker, one headless Chromium.

* The API app runs in a real ``uvicorn`` process on a free 127.0.0.1 port, with a real Celery
  worker, on the embedded default (SQLite, broker-less queue) in a temporary folder.
* Debian's Chromium (``/usr/bin/chromium``) is driven by Playwright for Python; Playwright's own
  browser downloads are never used.
* axe-core comes from ``tools/axe`` (``npm ci --prefix tools/axe``), injected into each page.
* The profiles are a copy in the temporary folder (a journey changes one, as an administrator would).
* Screenshots of every page go to a temporary folder, or to ``docs/screenshots/`` with
  ``INCLUSIO_WEB_SCREENSHOTS=1`` (to refresh the committed ones).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_helpers import RunningWorker, make_settings, make_user

ROOT = Path(__file__).resolve().parents[2]

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    settings: Any
    log: Path
    worker: RunningWorker

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] + "\n--- worker ---\n" + self.worker.log()[-4000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from inclusio.processes import settings_env

    tmp = tmp_path_factory.mktemp("web")
    profiles = tmp / "profiles"
    shutil.copytree(ROOT / "profiles", profiles)
    settings = make_settings(tmp, quality_checks=False, validate_ace=False, profiles_dir=profiles)
    for role in ("student", "teacher", "staff"):
        make_user(settings, role, username=f"{role}1", password=PASSWORD)
    make_user(settings, "student", username="student2", password=PASSWORD)
    worker = RunningWorker(settings, tmp / "worker.log")
    port = _free_port()
    log = tmp / "uvicorn.log"
    out = log.open("wb")
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
            "warning",
        ],
        env=settings_env(settings),
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    running = Server(base, settings, log, worker)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield running
    finally:
        proc.terminate()
        proc.wait(20)
        out.close()
        worker.stop()


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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is needed (apt-get install chromium)"
    assert AXE.exists(), "axe-core is needed: npm ci --prefix tools/axe"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield WatchedBrowser(chromium)
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("INCLUSIO_WEB_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")
