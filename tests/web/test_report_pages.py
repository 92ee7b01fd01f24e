"""The report pages in a real browser (issue #15): a teacher shares a course written here under RAP-101, a student
asks for it and downloads it (the worker records the job's facts, the API counts the download); staff read the
three reports and a teacher their own course's, with axe-core at 0 violations, no sideways scroll at 320 px,
the filters used from the keyboard, a CSV export and the teacher refused the service report."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_journeys import JOB_TIMEOUT_MS, axe_clean, sign_in, snap
from web_fixtures import PASSWORD, Server

WORDS = " ".join(["Les ondes transportent de l'énergie sans transporter de matière."] * 25)
COURSE = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Les ondes</title></head><body>
<p>{WORDS}</p>
<p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" width="40" height="40"></p>
<table><tr><td>Onde</td><td>Vitesse</td></tr><tr><td>son</td><td>340 m/s</td></tr></table>
</body></html>""".encode()
NARROW = {"width": 320, "height": 640}


def _token(client: httpx.Client, username: str) -> dict[str, str]:
    token = client.post("/auth/token", data={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


@pytest.fixture(scope="module")
def expected_score(tmp_path_factory: pytest.TempPathFactory) -> int:
    """The audit the teacher preview shows for the course (converted here, apart from the service)."""
    from inclusio.analysis.audit import audit_document
    from inclusio.config import Settings
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert

    path = tmp_path_factory.mktemp("course") / "les-ondes.html"
    path.write_bytes(COURSE)
    return audit_document(convert(path, ConvertContext.from_settings(Settings(), path.name))).score


@pytest.fixture(scope="module")
def shared_and_used(server: Server) -> Iterator[str]:
    """teacher1 shares the course under RAP-101; student1 asks for it and downloads the HTML twice."""
    with httpx.Client(base_url=server.base, timeout=30) as client:
        teacher = _token(client, "teacher1")
        share = client.post(
            "/shares",
            headers=teacher,
            files={"file": ("les-ondes.html", COURSE, "text/html")},
            data={"title": "Les ondes", "course": "RAP-101"},
        )
        assert share.status_code == 201, share.text
        student = _token(client, "student1")
        asked = client.post(
            f"/shares/{share.json()['id']}/jobs",
            headers=student,
            data={"profile": "dyslexia", "outputs": "html"},
        )
        assert asked.status_code == 202, asked.text
        job = asked.json()["id"]
        deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000
        while client.get(f"/jobs/{job}", headers=student).json()["status"] not in (
            "succeeded",
            "partial",
            "failed",
        ):
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.3)
        for _ in range(2):
            assert client.get(f"/jobs/{job}/artifacts/html", headers=student).status_code == 200
        # the teacher's own look at the student's file is not the student's download
        yield job


def no_sideways_scroll(page: Any, what: str) -> None:
    page.set_viewport_size(NARROW)
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"{what} scrolls sideways at 320 px: {width}"
    axe_clean(page, f"{what} at 320 px")
    page.set_viewport_size({"width": 1200, "height": 900})


def cells(page: Any, table: str) -> list[list[str]]:
    rows = page.locator(f"#h-{table} ~ .table-scroll tbody tr")
    return [r.locator("th, td").all_inner_texts() for r in rows.all()]


@pytest.mark.slow  # one real job and three pages in Chromium: about 45 s with the server's start
def test_staff_read_the_three_reports(
    browser: Any, server: Server, shots: Path, shared_and_used: str, expected_score: int, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    sign_in(page, server, "staff1")
    page.get_by_role("link", name="Rapports").click()
    page.wait_for_load_state()
    assert page.url.endswith("/web/reports/source")
    assert page.locator("h1").inner_text() == "Accessibilité des documents sources"
    month = time.strftime("%Y-%m", time.gmtime())
    assert ["RAP-101", month, "1", f"{expected_score},0"] in cells(page, "by_course_month")
    issues = [row[0] for row in cells(page, "issues")]
    assert "Images sans texte alternatif" in issues and "Tableaux sans en-têtes" in issues
    assert page.get_by_role("img", name="Score d'audit moyen par mois").count() == 1
    axe_clean(page, "source report")
    snap(page, shots, "reports-source")
    no_sideways_scroll(page, "source report")

    # The filters from the keyboard: the course, then Enter on the button.
    page.get_by_label("Cours", exact=True).focus()
    page.keyboard.press("ArrowDown")  # "(sans cours)"
    page.keyboard.press("ArrowDown")  # the first course label
    page.get_by_role("button", name="Afficher le rapport").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "course=" in page.url and "course=&" not in page.url
    assert {row[0] for row in cells(page, "by_course_month")} == {page.url.split("course=")[1].split("&")[0]}

    page.get_by_role("link", name="Service rendu").click()
    page.wait_for_load_state()
    # one student asked for one document: every figure of them is "< 5", the total too
    assert cells(page, "by_profile")[0] == ["dyslexia", "< 5", "< 5"]
    assert cells(page, "downloads")[0] == ["html", "< 5", "< 5", "< 5"]
    axe_clean(page, "service report")
    snap(page, shots, "reports-service")
    no_sideways_scroll(page, "service report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le tableau « Téléchargements par format » (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Format", "Téléchargements", "Demandes", "Étudiant·es"]
    assert rows[1] == ["html", "< 5", "< 5", "< 5"]

    page.get_by_role("link", name="Lisibilité").click()
    page.wait_for_load_state()
    (rap,) = [row for row in cells(page, "by_course") if row[0] == "RAP-101"]
    assert rap[1] == "1" and "< 5" in rap  # one document before; its one student's version hidden after
    axe_clean(page, "readability report")
    no_sideways_scroll(page, "readability report")
    context.close()


@pytest.mark.slow  # shares the module's job (the server and the job: about 30 s alone)
def test_a_teacher_sees_their_course_and_not_the_service_report(
    browser: Any, server: Server, shots: Path, shared_and_used: str, expected_score: int
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    sign_in(page, server, "teacher1")
    page.get_by_role("link", name="Rapports").click()
    page.wait_for_load_state()
    (scope,) = [p for p in page.locator("main p.hint").all_inner_texts() if p.startswith("Vous voyez")]
    assert "RAP-101" in scope
    assert {row[0] for row in cells(page, "by_course_month")} <= {"RAP-101", "BIO-101"}
    assert page.get_by_role("link", name="Service rendu").count() == 0
    to_fix = cells(page, "to_fix")
    assert ["Les ondes", "RAP-101", str(expected_score), "< 5", "< 5"] in to_fix
    axe_clean(page, "teacher's source report")
    snap(page, shots, "reports-teacher")
    no_sideways_scroll(page, "teacher's source report")
    answer = page.goto(f"{server.base}/web/reports/service")
    assert answer is not None and answer.status == 403
    context.close()


def test_the_api_gives_the_same_tables_as_json_with_coded_refusals(
    server: Server, shared_and_used: str
) -> None:
    with httpx.Client(base_url=server.base, timeout=30) as client:
        staff = client.get("/reports/source", headers=_token(client, "staff1"), params={"course": "RAP-101"})
        assert staff.status_code == 200, staff.text
        tables = {t["id"]: t for t in staff.json()["tables"]}
        assert [r["course"] for r in tables["by_course_month"]["rows"]] == ["RAP-101"]
        service = client.get("/reports/service", headers=_token(client, "staff1"), params={"lang": "en"})
        by_profile = {t["id"]: t for t in service.json()["tables"]}["by_profile"]["rows"]
        assert by_profile[0] == {"profile": "dyslexia", "jobs": "< 5", "students": "< 5"}
        teacher = _token(client, "teacher1")
        refused = client.get("/reports/service", headers=teacher)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "auth.forbidden")
        student = client.get("/reports/source", headers=_token(client, "student1"))
        assert (student.status_code, student.json()["error"]["code"]) == (403, "auth.forbidden")
        bad = client.get("/reports/source", headers=teacher, params={"from": "2026-02-30"})
        assert (bad.status_code, bad.json()["error"]["code"]) == (400, "report.filter_invalid")
        unknown = client.get("/reports/students", headers=teacher)
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "report.not_found")
