"""Schemathesis against the OpenAPI description: generated requests to every operation, no server error.

Bounded (a few examples per operation) to stay well under a minute. It runs as an admin, who may
reach every operation; ``DELETE /me`` and ``DELETE /auth/token`` are left out since they would end
the admin's session (the authorisation matrix covers them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from service_helpers import make_settings, make_user

from inclusio.server import create_app

EXAMPLES_PER_OPERATION = 30


def _state() -> dict[str, Any]:
    """The app under test (built at import: schemathesis parametrizes from its schema at collection)."""
    import tempfile

    config = make_settings(Path(tempfile.mkdtemp(prefix="inclusio-fuzz-")), max_upload_bytes=2_000_000)
    app = create_app(config, enqueue=lambda _kind, _job: None)
    _user, token = make_user(config, "admin")
    return {"app": app, "token": token, "settings": config}


STATE = _state()
schema = (
    schemathesis.openapi.from_asgi("/openapi.json", STATE["app"])
    .exclude(method="DELETE", path="/me")
    .exclude(method="DELETE", path="/auth/token")
)


@pytest.fixture(scope="module")
def api_state() -> Any:
    yield STATE
    import shutil

    shutil.rmtree(STATE["settings"].data_dir.parent, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case: Any, api_state: dict[str, Any]) -> None:
    response = case.call(headers={"Authorization": f"Bearer {api_state['token']}"})
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:500])
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if response.status_code >= 400 and content_type.startswith("application/json"):
        assert response.json()["error"]["code"], response.text  # the one error body


def test_nothing_was_written_outside_the_storage_root(api_state: dict[str, Any]) -> None:
    root = Path(api_state["settings"].data_dir).resolve()
    assert root.is_dir() and all(p.resolve().is_relative_to(root) for p in root.rglob("*"))
