"""ODT and ODP (through LibreOffice) with one damaged part (issue #13). What LibreOffice does with it decides
what can be kept: a picture whose bytes are broken stays a frame in a text document (a placeholder figure
with its alt text) but disappears from a presentation (the deck then carries an ``image.unreadable`` issue
for its slide, found before LibreOffice runs); a chart whose data does not parse becomes an empty chart (a
placeholder figure to describe); a broken styles part makes LibreOffice refuse the whole file."""

from __future__ import annotations

from pathlib import Path

import pytest
from broken_office import TEXTS, cut, damage_odf, libreoffice_export, slide_deck, word_document

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.errors import InputCorrupt
from inclusio.model import Document, Figure, Table


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder LibreOffice exports into: its runs follow each other and share the profile folder there."""
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="module")
def cellule_odt(exports: Path) -> Path:
    """The course with a picture and a chart, saved as ODT by LibreOffice (read, never changed, by the tests)."""
    return libreoffice_export(word_document(exports / "cellule.docx"), "odt", exports)


def _convert(path: Path) -> Document:
    return convert(path, ConvertContext(filename=path.name))


def _chart_member(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return next(n for n in archive.namelist() if n.startswith("Object ") and n.endswith("/content.xml"))


def _placeholder(doc: Document, code: str) -> Figure:
    [issue] = [i for i in doc.issues if i.code == code]
    block = next(b for b in doc.blocks if b.id == issue.block_id)
    assert isinstance(block, Figure) and block.image is None
    return block


def test_odt_with_a_broken_picture_and_chart_keeps_the_rest(tmp_path: Path, cellule_odt: Path) -> None:
    odt = cellule_odt
    whole = _convert(odt)
    assert any(isinstance(b, Figure) and b.image for b in whole.blocks) and any(
        isinstance(b, Table) for b in whole.blocks
    )
    broken = damage_odf(
        odt,
        tmp_path / "abime.odt",
        {"Pictures/": lambda data: b"not a picture" * 20, _chart_member(odt): cut},
    )
    doc = _convert(broken)
    texts = " ".join(b.plain_text() for b in doc.blocks)
    assert all(text in texts for text in TEXTS) and "Observée au microscope optique." in texts
    assert _placeholder(doc, "image.unreadable").alt == "Schéma d'une cellule animale"
    _placeholder(doc, "chart.needs_description")
    assert not any(isinstance(b, Table) for b in doc.blocks)


def test_odp_with_a_broken_picture_and_chart_keeps_the_rest(tmp_path: Path, exports: Path) -> None:
    odp = libreoffice_export(slide_deck(exports / "deck.pptx"), "odp", exports)
    broken = damage_odf(
        odp,
        tmp_path / "abime.odp",
        {"Pictures/": lambda data: b"not a picture" * 20, _chart_member(odp): cut},
    )
    doc = _convert(broken)
    texts = [b.plain_text() for b in doc.blocks]
    for number in (1, 2, 3):
        assert f"La cellule, partie {number}" in texts
        assert f"Texte de la diapositive {number} : le noyau contient l'ADN." in texts
    [lost] = [i for i in doc.issues if i.code == "image.unreadable"]
    assert lost.source is not None and lost.source.slide == 2 and "Pictures/" in lost.message
    assert not any(isinstance(b, Figure) and b.source and b.source.slide == 2 for b in doc.blocks)
    _placeholder(doc, "chart.needs_description")


def test_odt_whose_styles_part_is_broken_is_refused_by_libreoffice(tmp_path: Path, cellule_odt: Path) -> None:
    """LibreOffice will not open it at all: nothing of it can be read (input.corrupt, not a partial result)."""
    with pytest.raises(InputCorrupt):
        _convert(damage_odf(cellule_odt, tmp_path / "styles.odt", {"styles.xml": cut}))
