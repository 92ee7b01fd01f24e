"""The profile's font on the student's other pages, not only in the reader (issue #16).

Every page links the served fonts' ``@font-face`` rules (``/web/fonts/faces.css``), and a signed-in student's
pages take their stored profile's font stack when their display settings name no font ("the profile's
font"). Chromium (Debian's, through Playwright) on the job page and the home page of a student whose profile
is dyslexia (``Verdana, Tahoma, 'Atkinson Hyperlegible', sans-serif``; Verdana and Tahoma are not on this
machine): the computed font is the profile's stack and Atkinson Hyperlegible is the server's file, fetched
and loaded; their own setting (OpenDyslexic) wins over it; a student without a profile fetches no font file.
axe-core 0 violations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_helpers import make_user, submit, wait_finished
from test_journeys import JOB_TIMEOUT_MS, check_page, sign_in
from web_fixtures import PASSWORD, Server, watch_fonts

# One small job (the document JSON only) and ~20 s in the browser.
pytestmark = pytest.mark.slow

DYSLEXIA_STACK = "Verdana, Tahoma, 'Atkinson Hyperlegible', sans-serif"
ATKINSON = "/web/fonts/AtkinsonHyperlegible-Regular.ttf"
OPEN_DYSLEXIC = "/web/fonts/OpenDyslexic-Regular.otf"


def _course(path: Path) -> Path:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Les volcans", fontsize=22)
    page.insert_text((72, 110), "Un volcan est une ouverture de la croute terrestre.", fontsize=11)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def student_job(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """``dysfont`` (dyslexia profile stored) and ``nofont`` (no profile) each with a finished job."""
    source = _course(tmp_path_factory.mktemp("profile_font") / "volcans.pdf")
    out = {}
    for name, profile in (("dysfont", "dyslexia"), ("nofont", None)):
        _, token = make_user(
            server.settings, "student", username=name, password=PASSWORD, institution=server.institution
        )
        with httpx.Client(
            base_url=server.base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as api:
            if profile:
                assert api.put("/me/profile", json={"profile": profile}).status_code == 200
            job_id = submit(api, source, profile="dyslexia", outputs="json")
            job = wait_finished(api, job_id, server.worker, timeout=JOB_TIMEOUT_MS / 1000 + 60)
            assert job["status"] == "succeeded", server.logs()
            out[name] = job_id
    yield out


def _body_font(page: Any) -> str:
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    return str(page.evaluate("() => getComputedStyle(document.body).fontFamily")).replace('"', "'")


def test_the_students_pages_use_their_profiles_font_from_the_server(
    server: Server, browser: Any, shots: Path, student_job: dict[str, str]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "dysfont")
    fetched = watch_fonts(page)
    for where in (f"/web/jobs/{student_job['dysfont']}", "/web/student"):
        fetched.clear()
        page.goto(f"{server.base}{where}")
        assert _body_font(page) == DYSLEXIA_STACK, where
        assert page.evaluate("() => document.fonts.check(\"16px 'Atkinson Hyperlegible'\")"), where
        faces = page.evaluate(
            "() => Array.from(document.fonts).filter(f => f.family.includes('Atkinson')).map(f => f.status)"
        )
        assert "loaded" in faces, (where, faces)  # the server's file is the font in use, not a local one
        urls = [url for url, _, _ in fetched]
        assert f"{server.base}/web/fonts/faces.css" in urls, where
        if where.startswith("/web/jobs/"):  # the first page fetched it; the next one has it in its cache
            assert (f"{server.base}{ATKINSON}", 200, "font/ttf") in fetched
            assert not any("OpenDyslexic" in url for url in urls)  # only the faces the text uses
            check_page(page, shots, "job-page-profile-font")
    # Their own setting wins over the profile's: OpenDyslexic, saved on the home page, on the job page.
    page.select_option("#font", "dys")
    page.locator("#profile-form button[value=save]").click()
    page.wait_for_load_state()
    fetched.clear()
    page.goto(f"{server.base}/web/jobs/{student_job['dysfont']}")
    assert _body_font(page) == "OpenDyslexic, Verdana, sans-serif"
    assert page.evaluate("() => document.fonts.check('16px OpenDyslexic')")
    assert (f"{server.base}{OPEN_DYSLEXIC}", 200, "font/otf") in fetched
    context.close()

    # A student without a profile: the pages' own font, no font file fetched (only the rules).
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "nofont")
    fetched = watch_fonts(page)
    page.goto(f"{server.base}/web/jobs/{student_job['nofont']}")
    assert "Atkinson" not in _body_font(page) and "OpenDyslexic" not in _body_font(page)
    assert [url for url, _, _ in fetched] == [f"{server.base}/web/fonts/faces.css"]
    context.close()
