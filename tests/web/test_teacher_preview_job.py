"""The teacher's preview is a worker's job (issue #17): the web process that took the upload can stop
mid-build and another one shows the preview, built once; a file the converters refuse gives a coded error on
the page (French, English, what to do) and the worker goes on with the next preview."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from test_journeys import JOB_TIMEOUT_MS, sign_in
from test_teacher_feedback import LONG
from web_fixtures import Server, spawn_web

from inclusio.store.jobs import JobStore


def big_deck(path: Path, slides: int) -> Path:
    """``slides`` slides of long prose: several seconds of analysis, so the build is still going when the web
    process stops."""
    from pptx import Presentation

    deck = Presentation()
    for n in range(slides):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Partie {n + 1}"
        slide.placeholders[1].text = LONG + f" Cette partie porte le numéro {n + 1}."
    deck.save(path)
    return path


def upload(page: Any, base: str, path: Path) -> str:
    page.goto(f"{base}/web/teacher")
    page.get_by_label("Document (PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown)").set_input_files(str(path))
    page.get_by_role("button", name="Analyser et convertir").click()
    page.wait_for_load_state()
    assert re.search(r"/web/teacher/preview/[0-9a-f]+$", page.url), page.url
    return page.url.rsplit("/", 1)[1]


def preview_row(server: Server, job_id: str) -> Any:
    """The ``previews`` row of the job's original (by its hash: this process's code fingerprint, part of the
    row's key, may differ from the server's while the checkout is edited)."""
    from sqlalchemy import select

    from inclusio.store.models import Preview

    jobs = JobStore.from_settings(server.settings)
    try:
        sha = jobs.get(job_id).input_sha256
        with jobs.session() as session:
            rows = session.scalars(select(Preview).where(Preview.input_sha256 == sha)).all()
        assert len(rows) <= 1, [r.key for r in rows]
        return rows[0] if rows else None
    finally:
        jobs.dispose()


def status(page: Any, base: str, job_id: str) -> dict[str, Any]:
    answer = page.request.get(f"{base}/web/teacher/preview/{job_id}/status")
    assert answer.status == 200, answer.text()
    return answer.json()  # type: ignore[no-any-return]


@pytest.mark.slow  # a preview of 60 slides with spaCy on a busy machine: 20 s to 2 min
def test_the_web_process_stopping_mid_build_neither_loses_nor_rebuilds_the_preview(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    deck = big_deck(tmp_path / "cours-long.pptx", 60)
    first, base_a = spawn_web(server.settings, tmp_path / "web-a.log")
    second: subprocess.Popen[bytes] | None = None
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, Server(base_a, server.settings, tmp_path / "web-a.log", server.worker), "teacher1")
        job_id = upload(page, base_a, deck)
        row = preview_row(server, job_id)
        assert row is not None and row.status in ("queued", "running"), row and row.status
        first.terminate()  # the web process that took the upload stops while the worker builds
        first.wait(20)
        second, base_b = spawn_web(server.settings, tmp_path / "web-b.log")
        # two web processes (the fixture's and the new one) ask for it while it is built
        deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000 * 2
        while True:
            states = {status(page, base, job_id)["state"] for base in (base_b, server.base)}
            assert "failed" not in states, (states, server.logs())
            if states == {"done"}:
                break
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.5)
        row = preview_row(server, job_id)
        assert row.status == "done" and row.attempts == 1 and row.error is None
        built = re.findall(rf"preview {row.key}: (\w+)", server.worker.log())
        assert built == ["built"], built
        page.goto(f"{base_b}/web/teacher/preview/{job_id}")
        assert page.locator("h1").inner_text() == f"Retour sur le document : {deck.name}"
        # the same file again (another upload, another job): the same preview, not built again
        again = upload(page, server.base, deck)
        assert again != job_id
        assert page.locator("h1").inner_text() == f"Retour sur le document : {deck.name}"
        assert preview_row(server, again).attempts == 1
    finally:
        context.close()
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(20)


@pytest.mark.slow
def test_a_corrupt_file_gives_a_coded_error_and_the_worker_goes_on(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    broken = tmp_path / "cours-abime.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 40)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, server, "teacher1")
        job_id = upload(page, server.base, broken)
        deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000
        while status(page, server.base, job_id)["state"] == "running":
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.5)
        answer = status(page, server.base, job_id)
        assert answer["state"] == "failed", answer
        error = answer["error"]
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", error["code"]) and error["message"] and error["message_fr"]
        page.reload()
        alert = page.get_by_role("alert").inner_text()
        assert f"[{error['code']}]" in alert and error["message_fr"] in alert
        row = preview_row(server, job_id)
        assert row.status == "failed" and row.attempts == 1
        page.reload()  # opening the page again does not build it again: the same file fails the same way
        assert preview_row(server, job_id).attempts == 1
        # the worker is alive: the next document's preview is made
        from test_teacher_feedback import make_deck

        deck = make_deck(tmp_path / "apres-erreur.pptx", fixed=False)
        other = upload(page, server.base, deck)
        deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000
        while (answer := status(page, server.base, other))["state"] == "running":
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.5)
        assert answer["state"] == "done", (answer, server.logs())
    finally:
        context.close()
