"""Fixtures for the web pages' end-to-end tests: one real server and worker, one headless Chromium.

The helpers are in ``tests/web_fixtures.py`` (shared with tests/lti/test_lti_journey.py; test files import
from there, not from ``conftest``, which tests/lti's conftest would shadow in a run of both folders).

* ``server``: the API app in a real ``uvicorn`` process and a real Celery worker, on the embedded default
  (SQLite, broker-less queue) in a temporary folder, started once per pytest process (session scope: under
  ``--dist loadfile`` once per xdist worker, not once per file). Each module gets its own ``student1``,
  ``student2``, ``teacher1`` and ``staff1`` in an institution of its own (``server.institution``; accounts a
  module makes itself go there too, under a name no other module uses: the server's user names are
  unique), so it sees nothing the modules before it left on the server, and asserts nothing about what
  they leave (no count of every job or account of the server).
* The profiles are a copy in the temporary folder, shared by the modules: a test that changes one (as an
  administrator would) puts it back when it is done (test_journeys.py does).
* ``browser``: Debian's Chromium (``/usr/bin/chromium``) driven by Playwright for Python, once per pytest
  process; each test makes its own contexts. axe-core comes from ``tools/axe``.
* ``shots``: screenshots of every page go to a temporary folder, or to ``docs/screenshots/`` with
  ``INCLUSIO_WEB_SCREENSHOTS=1`` (to refresh the committed ones).

A file that needs other settings makes its own: test_notifications.py (an SMTP server); test_job_page.py
and test_error_pages.py run the app in the test's process on a database of their own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def web_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server and its worker, for every module of this pytest process."""
    tmp = tmp_path_factory.mktemp("web")
    profiles = tmp / "profiles"
    shutil.copytree(ROOT / "profiles", profiles)
    settings = make_settings(tmp, quality_checks=False, validate_ace=False, profiles_dir=profiles)
    worker = RunningWorker(settings, tmp / "worker.log")
    try:
        with start_web(settings, tmp / "uvicorn.log") as base:
            yield Server(base, settings, tmp / "uvicorn.log", worker)
    finally:
        worker.kill()  # nothing of its shutdown is checked (RunningWorker.kill)


@pytest.fixture(scope="module")
def server(web_service: Server, request: pytest.FixtureRequest) -> Server:
    """The shared server, with this module's accounts in this module's institution."""
    institution = module_accounts(web_service.settings, request.module.__name__.rsplit(".", 1)[-1])
    return replace(web_service, institution=institution)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield WatchedBrowser(launched)


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("INCLUSIO_WEB_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")
