"""Fixtures for the web pages' end-to-end tests: one real server and worker, one headless Chromium.

The helpers are in ``tests/web_fixtures.py`` (shared with tests/lti/test_lti_journey.py; test files import
from there, not from ``conftest``, which tests/lti's conftest would shadow in a run of both folders).

* ``server``: the API app in a real ``uvicorn`` process and a real Celery worker, on the embedded default
  (SQLite, broker-less queue) in a temporary folder, started when a test of this folder first needs it and
  kept for the next modules until the pytest process leaves the folder (under ``--dist loadfile``: about once
  per xdist worker, not once per file; then stopped, so that no other folder's test finds its processes among
  its own). Each module gets its own ``student1``,
  ``student2``, ``teacher1`` and ``staff1`` in an institution of its own (``server.institution``; accounts a
  module makes itself go there too, under a name no other module uses: the server's user names are
  unique), so it sees nothing the modules before it left on the server, and asserts nothing about what
  they leave (no count of every job or account of the server).
* The profiles are a copy in the temporary folder, shared by the modules: a test that changes one (as an
  administrator would) puts it back when it is done (test_journeys.py does).
* ``browser``: Debian's Chromium (``/usr/bin/chromium``) driven by Playwright for Python, kept as the server
  is; each test makes its own contexts. axe-core comes from ``tools/axe``.
* ``shots``: screenshots of every page go to a temporary folder, or to ``docs/screenshots/`` with
  ``INCLUSIO_WEB_SCREENSHOTS=1`` (to refresh the committed ones).

A file that needs other settings makes its own: test_notifications.py (an SMTP server); test_job_page.py
and test_error_pages.py run the app in the test's process on a database of their own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from service_helpers import RunningWorker, make_settings
from web_fixtures import (  # noqa: F401 - re-exported for the files that still import them from conftest
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_WATCH,
    PASSWORD,
    ROOT,
    Server,
    WatchedBrowser,
    _free_port,
    chromium,
    module_accounts,
    start_web,
)

WEB = Path(__file__).resolve().parent
_opened: dict[str, Any] = {}
_stack = ExitStack()


def _start(what: str, start: Callable[[ExitStack], Any]) -> Any:
    """``what`` as opened before in this pytest process, else started now (closed with the others, or at once
    if it fails to start)."""
    if what not in _opened:
        try:
            _opened[what] = start(_stack)
        except BaseException:
            _close()
            raise
    return _opened[what]


def _close() -> None:
    """Stop the browser, the server and the worker (the last started first)."""
    _opened.clear()
    _stack.close()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """The pytest process leaves tests/web (its next test is elsewhere, or none): the server, the worker and
    the browser are stopped, so that no other folder's test finds their processes among its own (e.g. the
    Chromium renderers tests/writers/test_epub_ace_pages.py counts). Coming back starts them again."""
    if nextitem is None or WEB not in nextitem.path.parents:
        _close()


def _service(tmp: Path, stack: ExitStack) -> Server:
    profiles = tmp / "profiles"
    shutil.copytree(ROOT / "profiles", profiles)
    settings = make_settings(tmp, quality_checks=False, validate_ace=False, profiles_dir=profiles)
    worker = RunningWorker(settings, tmp / "worker.log")
    stack.callback(worker.kill)  # nothing of its shutdown is checked (RunningWorker.kill)
    base = stack.enter_context(start_web(settings, tmp / "uvicorn.log"))
    return Server(base, settings, tmp / "uvicorn.log", worker)


@pytest.fixture(scope="module")
def web_service(tmp_path_factory: pytest.TempPathFactory) -> Server:
    """The server and its worker, for every module of this pytest process's stay in tests/web."""
    return _start("service", lambda stack: _service(tmp_path_factory.mktemp("web"), stack))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def server(web_service: Server, request: pytest.FixtureRequest) -> Server:
    """The shared server, with this module's accounts in this module's institution."""
    institution = module_accounts(web_service.settings, request.module.__name__.rsplit(".", 1)[-1])
    return replace(web_service, institution=institution)


@pytest.fixture(scope="module")
def browser() -> Any:
    """The shared browser (each test makes its own contexts)."""
    return _start("browser", lambda stack: WatchedBrowser(stack.enter_context(chromium())))


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("INCLUSIO_WEB_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")
