"""Every sample gives an EPUB that EPUBCheck 5.3.0 accepts with 0 errors, through run_job's validate stage.

The French course for the easy-to-read profile is checked by tests/pipeline/test_run_job.py's job that makes
every output (same sample, same profile, EPUBCheck through run_job; the same OPF checks): an EPUBCheck run is
seconds, it is not run twice on the same book.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sample", "profile"),
    [
        ("diaporama-cellule-fr.pptx", "dyslexia"),
        ("handout-water-cycle-en.docx", "blind"),
        ("cours-photosynthese-fr.pdf", "low-vision"),
    ],
)
def test_sample_epub_passes_epubcheck(sample: str, profile: str, tmp_path: Path) -> None:
    # EPUBCheck only: tests/writers/test_ace.py runs Ace on the samples (Ace's Chromium is ~7 s a book).
    settings = Settings(
        data_dir=tmp_path / "data", profiles_dir=ROOT / "profiles", validate_epub=True, validate_ace=False
    )
    result = run_job(
        ROOT / "samples" / sample,
        load_profile(profile, settings.profiles_dir),
        tmp_path,
        settings=settings,
        outputs=["epub", "report"],
    )
    assert result.status == "succeeded", result.errors
    check = result.report["validation"]["epubcheck"]
    assert check["ran"] is True
    assert check["errors"] == 0 and check["fatals"] == 0
    with zipfile.ZipFile(result.artifact("epub").path) as epub:
        opf = next(n for n in epub.namelist() if n.endswith(".opf"))
        package = epub.read(opf).decode("utf-8")
    lang = result.document.lang.split("-")[0] if result.document else "?"
    assert f'xml:lang="{lang}' in package
    assert "schema:accessibilitySummary" in package
