"""One count of images and alt texts (issue 17): the audit, the CLI's warnings, the report and the EPUB's
accessibility summary all count a deck's images with analysis.images, so they agree."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inclusio.analysis.audit import audit_document
from inclusio.analysis.images import alt_status, count_images, is_useless_alt
from inclusio.cli import app
from inclusio.config import Settings, get_settings
from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model.document import Figure

DECORATIVE_EXT = (
    '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)


def make_deck(path: Path) -> Path:
    """Four slides, one picture each: a real alt text, none, 'Picture 3' (a default name), decorative."""
    from lxml import etree
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    pictures = [
        ("Le cycle de l'eau", "Schéma : l'eau s'évapore, forme des nuages et retombe en pluie."),
        ("Les nuages", None),
        ("La pluie", "Picture 3"),
        ("Merci", "decorative"),
    ]
    for n, (title, alt) in enumerate(pictures):
        image = path.parent / f"image{n}.png"
        Image.new("RGB", (160, 90), (40 * n, 120, 200)).save(image)
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = title
        picture = slide.shapes.add_picture(str(image), Inches(1), Inches(2))
        c_nv_pr = picture._element.nvPicPr.cNvPr
        if alt == "decorative":
            c_nv_pr.append(etree.fromstring(DECORATIVE_EXT))
        elif alt:
            c_nv_pr.set("descr", alt)
    deck.save(path)
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_deck(tmp_path_factory.mktemp("images") / "images.pptx")


def test_each_picture_of_the_deck_gets_its_status(deck: Path) -> None:
    doc = convert(deck, ConvertContext.from_settings(Settings(), deck.name))
    statuses = [alt_status(b) for b in doc.blocks if isinstance(b, Figure)]
    assert statuses == ["source", "missing", "missing", "decorative"]
    count = count_images(doc)
    assert (count.total, count.decorative, count.informative, count.source, count.missing) == (4, 1, 3, 1, 2)
    assert is_useless_alt("image12.png") and is_useless_alt("Picture 3") and not is_useless_alt("Un schéma")


def test_audit_cli_report_and_epub_summary_give_the_same_counts(
    deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.setenv("INCLUSIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "300")
    get_settings.cache_clear()
    out = tmp_path / "out"
    try:
        args = ["convert", str(deck), "--profile", "dyslexia", "--to", "epub,report", "--no-validate"]
        result = CliRunner().invoke(app, [*args, "--out", str(out)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output

    audit = {
        c.id: c
        for c in audit_document(convert(deck, ConvertContext.from_settings(Settings(), deck.name))).checks
    }
    report = json.loads((out / "images.report.json").read_text())
    images = report["checks_summary"]["images"]
    opf = next(
        zipfile.ZipFile(out / "images.epub").read(n).decode()
        for n in zipfile.ZipFile(out / "images.epub").namelist()
        if n.endswith(".opf")
    )
    summary = re.search(
        r"Images : (\d+) au total, dont (\d+) décorative\(s\) ; des (\d+) qui portent une "
        r"information, (\d+) décrite\(s\) par un texte de remplacement du fichier source et (\d+) "
        r"par une machine",
        opf,
    )
    assert summary is not None, opf
    total, decorative, informative, source, generated = map(int, summary.groups())

    # The audit (the teacher's file) and the report and EPUB (what the student gets) count the same images.
    assert (audit["alt_text"].total, audit["alt_text"].count) == (3, 2) == (informative, informative - source)
    assert (images["total"], images["decorative"], images["informative"]) == (total, decorative, informative)
    assert (total, decorative, images["alt_in_source"], images["alt_generated"]) == (4, 1, source, generated)
    # Every image neither the file nor a machine describes is one warning, on the CLI and in the report.
    cli_missing = " ".join(result.output.split()).count("[image.alt_missing]")
    report_missing = [w for w in report["warnings"] if w["code"] == "image.alt_missing"]
    assert cli_missing == len(report_missing) == images["missing"] == informative - source - generated
    # and each warning names its slide
    assert all(f"diapositive {n}" in " ".join(result.output.split()) for n in (2, 3)[: images["missing"]])


def test_the_web_course_counts_five_images_none_described_in_the_file_two_by_the_offline_engine(
    corpus_dir: Path,
) -> None:
    from inclusio.pipeline.spine import adapt_source
    from inclusio.profiles import load_profile

    settings = Settings()
    path = corpus_dir / "slides-fr-web-course.pptx"
    source = convert(path, ConvertContext.from_settings(settings, path.name))
    audit = {c.id: c for c in audit_document(source).checks}["alt_text"]
    assert (audit.count, audit.total) == (5, 5)
    assert [f.place for f in audit.findings] == [("slide", 4)] * 3 + [("slide", 41), ("slide", 43)]
    blind = load_profile("blind", settings.profiles_dir)
    adapted = count_images(
        adapt_source(source, blind, settings.model_copy(update={"engine": "offline"})).document
    )
    # the same five images: the file describes none, the offline engine two (the EPUB said "2 of 5 described")
    assert (adapted.informative, adapted.source, adapted.generated, adapted.missing) == (5, 0, 2, 3)
