"""ODT and ODP through LibreOffice (installed: Debian libreoffice-writer-nogui, libreoffice-impress-nogui),
and the error that names the packages when it is not."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inclusio.converters import odf
from inclusio.converters.base import ConvertContext
from inclusio.converters.pptx import PptxConverter
from inclusio.converters.registry import convert, detect
from inclusio.errors import InputUnsafe, LibreOfficeMissing, StageError
from inclusio.model import Document, ListBlock, Note

REPO = Path(__file__).resolve().parents[2]
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
CONTENT = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3"><office:body>'
    '<office:text><text:h text:outline-level="1">La photosynthèse</text:h>'
    "<text:p>Les plantes vertes fabriquent leur matière à partir de la lumière.</text:p>"
    "<text:list><text:list-item><text:p>Eau</text:p></text:list-item>"
    "<text:list-item><text:p>Lumière</text:p></text:list-item></text:list>"
    '<text:h text:outline-level="2">Les pigments</text:h><text:p>La chlorophylle est verte.</text:p>'
    "</office:text></office:body></office:document-content>"
)


def write_odt(path: Path, content: str = CONTENT) -> Path:
    """A minimal ODT as the specification describes it: ``mimetype`` first and stored, then content."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), odf.ODT)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _libreoffice_export(source: Path, target: str, out_dir: Path) -> Path:
    """Test setup: let LibreOffice itself write a real ODT/ODP from a corpus document."""
    soffice = odf.find_soffice()
    assert soffice, (
        "LibreOffice is needed for these tests (Debian: libreoffice-writer-nogui libreoffice-impress-nogui)"
    )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(out_dir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(out_dir)},
    )
    return out_dir / f"{source.stem}.{target}"


def test_minimal_odt_is_sniffed_and_converted_with_its_headings(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "3f2a9c")  # stored by hash: no extension
    assert detect(path).name == "odf"
    doc = convert(path, ConvertContext(filename="cours.odt"))
    assert [(h.level, h.text) for h in doc.headings()] == [(1, "La photosynthèse"), (2, "Les pigments")]
    assert [i.text for i in next(b for b in doc.blocks if isinstance(b, ListBlock)).items] == [
        "Eau",
        "Lumière",
    ]
    assert doc.source.media_type == odf.ODT
    assert doc.source.filename == "cours.odt"
    assert doc.source.converter.startswith("inclusio.odf (LibreOffice -> docx)")


@pytest.mark.slow
def test_odt_and_odp_written_by_libreoffice_convert_like_their_office_originals(
    tmp_path: Path, corpus_dir: Path
) -> None:
    odt = _libreoffice_export(corpus_dir / "fixture-word.docx", "odt", tmp_path)
    odp = _libreoffice_export(corpus_dir / "fixture-slides-notes.pptx", "odp", tmp_path)

    text = convert(odt, ConvertContext(filename=odt.name))
    assert [(h.level, h.text) for h in text.headings()] == [(1, "Let’s swim!"), (2, "Let’s eat")]
    assert text.title == "Swimming in the lake"

    slides = convert(odp, ConvertContext(filename=odp.name))
    original = PptxConverter().convert(
        corpus_dir / "fixture-slides-notes.pptx", ConvertContext(filename="fixture-slides-notes.pptx")
    )

    def outline(doc: Document) -> list[tuple[str, str]]:
        return [(b.type, b.plain_text()) for b in doc.blocks if b.type in ("page", "heading", "note")]

    assert outline(slides) == outline(original)
    assert [n.text.split("\n")[0] for n in slides.blocks if isinstance(n, Note)] == [
        "Some notes on the second slide.",
        "Final notes on the third slide.",
    ]
    assert slides.source.media_type == odf.ODP


def test_missing_libreoffice_names_the_debian_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_odt(tmp_path / "cours.odt")
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without soffice
    with pytest.raises(LibreOfficeMissing) as err:
        convert(path, ConvertContext(filename=path.name))
    assert err.value.code == "system.libreoffice_missing"
    assert err.value.exit_code == 5
    for package in ("libreoffice-writer-nogui", "libreoffice-impress-nogui"):
        assert package in err.value.message and package in err.value.message_fr
    assert err.value.details["debian_package"] == "libreoffice-writer-nogui"


@pytest.mark.slow
def test_cli_without_libreoffice_exits_5_with_the_code(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "cours.odt")
    inclusio = Path(sys.executable).parent / "inclusio"
    done = subprocess.run(
        [
            str(inclusio),
            "convert",
            str(path),
            "--profile",
            "blind",
            "--out",
            str(tmp_path / "out"),
            "--to",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": str(tmp_path)},
        cwd=REPO,
    )
    assert done.returncode == 5, done.stdout + done.stderr
    assert "system.libreoffice_missing" in done.stdout + done.stderr


def test_libreoffice_past_its_time_limit_is_a_stage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_odt(tmp_path / "cours.odt")
    monkeypatch.setattr(odf, "TIMEOUT_SECONDS", 0.01)
    with pytest.raises(StageError) as err:
        convert(path, ConvertContext(filename=path.name))
    assert err.value.code == "stage.failed" and "LibreOffice" in err.value.message


def test_odt_with_an_entity_declaration_is_refused_before_libreoffice(tmp_path: Path) -> None:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE office:document-content [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    path = write_odt(
        tmp_path / "lol.odt",
        CONTENT.replace('<?xml version="1.0" encoding="UTF-8"?>', lol).replace(
            "La chlorophylle", "&b; La chlorophylle"
        ),
    )
    with pytest.raises(InputUnsafe) as err:
        convert(path, ConvertContext(filename=path.name))
    assert err.value.details["member"] == "content.xml"


def test_other_odf_kinds_are_unsupported(tmp_path: Path) -> None:
    from inclusio.errors import InputUnsupported

    path = tmp_path / "calc.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(InputUnsupported):
        detect(path)
