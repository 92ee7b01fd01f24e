"""A writer that hits an unexpected failure raises one typed, bilingual error (the job becomes partial)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docfactory import sample_document

from inclusio.config import Settings
from inclusio.errors import StageError
from inclusio.profiles import load_profile
from inclusio.writers.base import RenderContext
from inclusio.writers.html import HtmlWriter

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def test_an_output_folder_that_is_a_file_gives_stage_failed_naming_the_output(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    doc = sample_document()
    ctx = RenderContext(
        out_dir=blocker,
        basename="cours",
        profile=load_profile("dyslexia", PROFILES),
        settings=Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES),
        source=doc,
    )
    with pytest.raises(StageError) as info:
        HtmlWriter().write(doc, ctx)
    error = info.value
    assert error.code == "stage.failed"
    assert error.message.startswith("The HTML page could not be written (FileExistsError")
    assert error.message_fr.startswith("La page HTML n'a pas pu être écrite (FileExistsError")
    assert error.details == {"writer": "html", "exception": "FileExistsError"}
