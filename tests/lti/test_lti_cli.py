"""``inclusio lti ...``: register, list, remove platforms; publish, rotate and retire the tool's keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inclusio.cli import app
from inclusio.config import get_settings


def test_the_lti_commands_register_list_remove_and_rotate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INCLUSIO_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        base = [
            "lti",
            "add",
            "--issuer",
            "https://moodle.univ.example",
            "--client-id",
            "AbC123",
            "--jwks-url",
            "https://moodle.univ.example/mod/lti/certs.php",
            "--auth-url",
            "https://moodle.univ.example/mod/lti/auth.php",
            "--token-url",
            "https://moodle.univ.example/mod/lti/token.php",
        ]
        added = runner.invoke(
            app, [*base, "--deployment", "3", "--deployment", "4", "--institution", "univ-x"]
        )
        assert added.exit_code == 0, added.output
        platform_id = added.output.split()[0]
        again = runner.invoke(app, [*base, "--deployment", "5", "--staff-role", "urn:role:mentor"])
        assert again.exit_code == 0 and again.output.split()[0] == platform_id
        listed = json.loads(runner.invoke(app, ["lti", "list", "--json"]).output)
        assert [
            (p["issuer"], p["client_id"], p["deployment_ids"], p["institution"], p["staff_role"])
            for p in listed
        ] == [("https://moodle.univ.example", "AbC123", ["3", "4", "5"], "univ-x", "urn:role:mentor")]
        bad = runner.invoke(app, [*base[:-2], "--token-url", "file:///etc/passwd", "--deployment", "1"])
        assert bad.exit_code != 0 and "[request.invalid]" in bad.output
        first = json.loads(runner.invoke(app, ["lti", "jwks"]).output)["keys"]
        rotated = runner.invoke(app, ["lti", "rotate-key"])
        assert rotated.exit_code == 0 and "new signing key" in rotated.output
        keys = json.loads(runner.invoke(app, ["lti", "jwks"]).output)["keys"]
        assert len(keys) == 2 and keys[1]["kid"] == first[0]["kid"]
        refused = runner.invoke(app, ["lti", "retire-key", keys[0]["kid"]])
        assert refused.exit_code != 0 and "[request.invalid]" in refused.output
        assert runner.invoke(app, ["lti", "retire-key", first[0]["kid"]]).exit_code == 0
        assert [k["kid"] for k in json.loads(runner.invoke(app, ["lti", "jwks"]).output)["keys"]] == [
            keys[0]["kid"]
        ]
        assert runner.invoke(app, ["lti", "remove", platform_id]).exit_code == 0
        assert json.loads(runner.invoke(app, ["lti", "list", "--json"]).output) == []
        missing = runner.invoke(app, ["lti", "remove", platform_id])
        assert missing.exit_code != 0 and "[request.invalid]" in missing.output
    finally:
        get_settings.cache_clear()
