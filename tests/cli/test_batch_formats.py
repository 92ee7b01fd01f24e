"""`inclusio batch` takes every format of the converter registry and says what it skipped (issue 12)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from service_helpers import RunningWorker, make_settings

from inclusio.config import Settings
from inclusio.processes import settings_env
from inclusio.store.batches import BatchStore
from inclusio.store.jobs import JobFilter, JobStore

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _write_odt(path: Path) -> None:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS} office:version="1.3">'
        '<office:body><office:text><text:h text:outline-level="1">Le cycle de l\'eau</text:h>'
        "<text:p>L'eau s'évapore, forme des nuages, puis retombe en pluie.</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def test_batch_converts_pdf_pptx_docx_odt_html_and_markdown_and_reports_the_skipped_file(
    tmp_path: Path, start_worker: Callable[[Settings], RunningWorker], small_pdf: Path, corpus: Path
) -> None:
    settings = make_settings(tmp_path)
    folder = tmp_path / "cours"
    folder.mkdir()
    shutil.copy(small_pdf, folder / "cours.pdf")
    shutil.copy(corpus / "fixture-slides-notes.pptx", folder / "diapos.pptx")
    shutil.copy(corpus / "fixture-word.docx", folder / "td.docx")
    _write_odt(folder / "chapitre.odt")
    (folder / "page.html").write_text(
        '<!doctype html><html lang="fr"><head><title>Les volcans</title></head>'
        "<body><h1>Les volcans</h1><p>Un volcan rejette de la lave.</p></body></html>",
        encoding="utf-8",
    )
    (folder / "notes.md").write_text(
        "# Les saisons\n\nLa Terre tourne autour du Soleil en un an.\n", encoding="utf-8"
    )
    (folder / "tableur.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    start_worker(settings).wait_ready()  # `batch` refuses to queue for no worker (queue.no_worker)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "inclusio.cli",
            "batch",
            str(folder),
            "--profile",
            "blind",
            "--to",
            "json,report",
        ],
        env={**settings_env(settings), "COLUMNS": "300"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "6 job(s) queued on 'cpu'" in out.stdout and "6 succeeded" in out.stdout, out.stdout + out.stderr
    assert "1 file(s) skipped (not an accepted format)" in out.stdout, out.stdout
    # The unknown type is named with the reason, in English and French; hidden files are not listed.
    skipped = [line for line in out.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and "tableur.xlsx" in skipped[0], out.stderr
    assert "not an accepted format" in out.stderr and "format non pris en charge" in out.stderr, out.stderr
    assert ".DS_Store" not in out.stderr
    store = JobStore.from_settings(settings)
    [batch] = BatchStore(store.db).list()
    jobs = store.list(JobFilter(batch_id=batch.id))
    assert sorted(j.filename for j in jobs) == [
        "chapitre.odt",
        "cours.pdf",
        "diapos.pptx",
        "notes.md",
        "page.html",
        "td.docx",
    ]
    assert all(j.status == "succeeded" and "json" in j.artifacts for j in jobs), [
        (j.filename, j.status) for j in jobs
    ]
    store.dispose()


def test_a_folder_without_documents_names_the_accepted_formats(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    folder = tmp_path / "vide"
    folder.mkdir()
    (folder / "lisez-moi.txt").write_text("pas un document")
    out = subprocess.run(
        [sys.executable, "-m", "inclusio.cli", "batch", str(folder), "--profile", "blind"],
        env={**settings_env(settings), "COLUMNS": "300"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert out.returncode == 3, out.stdout + out.stderr
    assert "lisez-moi.txt" in out.stderr and "ODT, ODP" in out.stderr and "Markdown" in out.stderr, out.stderr
