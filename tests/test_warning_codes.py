"""The catalogue of warning codes: every code emitted in the source is in it, every entry speaks both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inclusio import errors
from inclusio.warning_codes import WARNINGS, fields_of, message_for, warning, warning_text

ROOT = Path(__file__).resolve().parents[1]
CODE = r"""["']([a-z_]+(?:\.[a-z_]+)+)["']"""
# The ways a warning (or a conversion issue, or a review flag) is emitted in the source, each with its code as
# a string literal: builder.issue("x.y", ...), self.warn("x.y", ...), _warning("x.y", ...), finding("x.y", ...),
# warning("x.y", ...), warning_text("x.y", ...), {"code": "x.y", ...}, Flag(code="x.y"), code = "a" if ... else
# "b", and NAME = "x.y" constants that the same file passes as a code (Flag(code=TO_DEFINE)).
EMITTERS = [
    re.compile(rf"""\b(?:issue|warn|_warning|finding|warning|warning_text)\(\s*{CODE}"""),
    re.compile(rf"""["']code["']\s*:\s*{CODE}"""),
    re.compile(rf"""\bcode\s*=\s*{CODE}"""),
    re.compile(rf"""\bcode\s*=\s*["'][^"']+["']\s+if\b[^\n]*\belse\s+{CODE}"""),
]
CONSTANT = re.compile(rf"""^([A-Z_]+)\s*=\s*{CODE}\s*$""", re.MULTILINE)
CALLS = r"(?:issue|warn|_warning|finding|warning|warning_text)"


def _error_codes() -> set[str]:
    return {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.InclusioError) and "code" in vars(cls)
    }


def emitted_codes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for folder in (ROOT / "src" / "inclusio", ROOT / "workers"):
        for path in folder.rglob("*.py"):
            if path.name in ("errors.py", "warning_codes.py"):
                continue
            text = path.read_text(encoding="utf-8")
            codes = [match.group(1) for pattern in EMITTERS for match in pattern.finditer(text)]
            codes += [
                match.group(2)
                for match in CONSTANT.finditer(text)
                if re.search(rf"\bcode\s*=\s*{match.group(1)}\b|\b{CALLS}\(\s*{match.group(1)}\b", text)
            ]
            for code in codes:
                found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_emitted_warning_code_is_in_the_catalogue_or_is_an_error_code() -> None:
    found = emitted_codes()
    # The scan finds the warnings it must: one of each kind of emitter.
    for code in (
        "pdf.scanned_page",
        "image.alt_missing",
        "audio.truncated",
        "verify.number_changed",
        "adapt.facts_missing",
        "glossary.to_define",
        "epub.read_along_failed",
    ):
        assert code in found, code
    unknown = {
        code: sorted(paths)
        for code, paths in found.items()
        if code not in WARNINGS and code not in _error_codes()
    }
    assert not unknown, f"warning codes emitted but missing from inclusio/warning_codes.py: {unknown}"


def test_the_scan_catches_a_code_missing_from_the_catalogue() -> None:
    line = 'self.b.issue("slide.brand_new_problem", "Something new.")'
    assert [p.search(line).group(1) for p in EMITTERS if p.search(line)] == ["slide.brand_new_problem"]
    assert "slide.brand_new_problem" not in WARNINGS


def test_no_warning_code_is_also_an_error_code() -> None:
    assert not set(WARNINGS) & _error_codes()


@pytest.mark.parametrize("code", sorted(WARNINGS))
def test_every_entry_has_english_and_french_with_the_same_fields(code: str) -> None:
    english, french = WARNINGS[code]
    assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", code)
    assert english.strip() and french.strip() and english != french
    if code == "verify.fact_dropped":  # the French article comes with its noun ("le nombre", "la date")
        assert fields_of(english) - {"what"} == fields_of(french) - {"what_fr"}
    else:
        assert fields_of(english) == fields_of(french), code
    values = {name: "X" for name in fields_of(english) | fields_of(french)}
    assert "{" not in warning_text(code, "en", **values) and "{" not in warning_text(code, "fr", **values)


def test_warning_entries_and_messages_in_the_readers_language() -> None:
    entry = warning("image.alt_missing", block_id="b7", marker="Image sans description")
    assert entry == {
        "code": "image.alt_missing",
        "severity": "warning",
        "block_id": "b7",
        "message": "An image has no alternative text; it is marked 'Image sans description'. Describe it.",
        "message_fr": "Une image n'a pas de texte alternatif ; elle est signalée « Image sans "
        "description ». Décrivez-la.",
    }
    assert message_for(entry, "fr").startswith("Une image") and message_for(entry, "en").startswith(
        "An image"
    )
    # A warning stored before it had a French text: the catalogue's when the code takes no details...
    old = {"code": "table.empty", "message": "A table without cells was left out."}
    assert message_for(old, "fr") == "Un tableau sans cellule a été retiré."
    # ... its English text when the details are lost.
    old_detailed = {"code": "pdf.scanned_page", "message": "Page 3 is a scanned image; ..."}
    assert message_for(old_detailed, "fr") == "Page 3 is a scanned image; ..."
    with pytest.raises(KeyError):
        warning_text("no.such_code")


def test_the_api_and_the_job_page_show_warnings_in_the_readers_language(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from inclusio.config import Settings
    from inclusio.server import create_app
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore
    from inclusio.web.session import LANG_COOKIE

    settings = Settings(data_dir=tmp_path / "data")
    client = TestClient(create_app(settings, enqueue=lambda _kind, _job: None))
    store = JobStore.from_settings(settings)
    teacher = UserStore(store.engine).create_user(
        "prof-warn", role="teacher", institution="default", password="mot-de-passe-1"
    )
    job = store.create(
        profile_id="dyslexia",
        filename="cours.pdf",
        input_sha256="0" * 64,
        input_path="x/y",
        input_bytes=10,
        owner_id=teacher.id,
        institution="default",
    )
    scanned = {
        "code": "pdf.scanned_page",
        "severity": "warning",
        "block_id": None,
        "message": warning_text("pdf.scanned_page", "en", page=2),
        "message_fr": warning_text("pdf.scanned_page", "fr", page=2),
    }
    stored_before = {
        "code": "table.empty",
        "severity": "warning",
        "block_id": "b3",
        "message": "A table without cells was left out.",
    }
    store.finish(job.id, status="succeeded", warnings=[scanned, stored_before])
    store.dispose()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/web/sign-in").text)
    assert csrf
    signed = client.post(
        "/web/sign-in",
        data={"username": "prof-warn", "password": "mot-de-passe-1", "csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text[:300]
    token = client.post("/auth/token", data={"username": "prof-warn", "password": "mot-de-passe-1"})
    assert token.status_code == 200, token.text[:300]
    api = client.get(f"/jobs/{job.id}", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert api.status_code == 200, api.text[:300]
    warnings = api.json()["warnings"]
    assert warnings[1]["message_fr"] == "Un tableau sans cellule a été retiré."
    assert warnings[0]["message_fr"].startswith("La page 2 est une image numérisée")
    page = client.get(f"/web/jobs/{job.id}").text
    assert "La page 2 est une image numérisée" in page and "Un tableau sans cellule a été retiré." in page
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get(f"/web/jobs/{job.id}").text
    assert "Page 2 is a scanned image" in page and "A table without cells was left out." in page
