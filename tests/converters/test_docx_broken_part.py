"""One bad part, not a lost document (issue #13): a Word file with one damaged part converts the rest, with a
coded issue pointing at a placeholder where the part was used.

The documents are made here with python-docx (a heading, paragraphs, a picture, a numbered list, a footnote,
a chart written by python-pptx's chart writer, as Word stores it) and damaged on purpose with zipfile."""

from __future__ import annotations

from pathlib import Path

import pytest
from broken_office import TEXTS, cut, damage, media, word_document

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.errors import InputCorrupt
from inclusio.model import Document, Figure, ListBlock, Note, Table


def _convert(path: Path) -> Document:
    return convert(path, ConvertContext(filename=path.name))


def _keeps_the_text(doc: Document) -> None:
    texts = " ".join(block.plain_text() for block in doc.blocks)
    assert all(text in texts for text in TEXTS)
    assert [b.plain_text() for b in doc.blocks][:1] == ["La cellule"]


@pytest.fixture()
def word(tmp_path: Path) -> Path:
    return word_document(tmp_path / "cellule.docx")


def test_the_undamaged_document_reads_every_part(word: Path) -> None:
    doc = _convert(word)
    _keeps_the_text(doc)
    assert doc.issues == []
    figure = next(b for b in doc.blocks if isinstance(b, Figure))
    assert figure.image in doc.resources and figure.alt == "Schéma d'une cellule animale"
    notes = [b for b in doc.blocks if isinstance(b, Note)]
    assert [(n.label, n.text) for n in notes] == [("1", "Observée au microscope optique.")]
    chart = next(b for b in doc.blocks if isinstance(b, Table))
    assert [[c.text for c in row] for row in chart.rows] == [
        ["", "Cellules observées"],
        ["2022", "12"],
        ["2023", "18"],
    ]
    assert next(b for b in doc.blocks if isinstance(b, ListBlock)).ordered


def test_a_picture_whose_bytes_are_not_an_image_is_a_placeholder(word: Path, tmp_path: Path) -> None:
    broken = damage(word, tmp_path / "image.docx", media(word), lambda data: b"\x89PNG but not really" * 20)
    doc = _convert(broken)
    _keeps_the_text(doc)
    [issue] = [i for i in doc.issues if i.code == "image.unreadable"]
    figure = next(b for b in doc.blocks if b.id == issue.block_id)
    assert (
        isinstance(figure, Figure) and figure.image is None and figure.alt == "Schéma d'une cellule animale"
    )
    assert issue.message_fr and "image" in issue.message_fr


def test_a_missing_picture_part_is_a_placeholder_not_a_corrupt_file(word: Path, tmp_path: Path) -> None:
    """A relationship whose target is not in the archive (python-docx fails the whole file on it)."""
    member = media(word)
    broken = damage(word, tmp_path / "target.docx", member, lambda data: None)
    doc = _convert(broken)
    _keeps_the_text(doc)
    [lost] = [i for i in doc.issues if i.code == "docx.file_part_unreadable"]
    assert f"/{member}" in lost.message and f"/{member}" in (lost.message_fr or "")
    [issue] = [i for i in doc.issues if i.code == "image.unreadable"]
    figure = next(b for b in doc.blocks if b.id == issue.block_id)
    assert isinstance(figure, Figure) and figure.image is None


def test_a_chart_part_that_does_not_parse_is_a_figure_to_describe(word: Path, tmp_path: Path) -> None:
    broken = damage(word, tmp_path / "chart.docx", "word/charts/chart1.xml", cut)
    doc = _convert(broken)
    _keeps_the_text(doc)
    assert not [b for b in doc.blocks if isinstance(b, Table)]
    [issue] = [i for i in doc.issues if i.code == "chart.needs_description"]
    placeholder = next(b for b in doc.blocks if b.id == issue.block_id)
    assert isinstance(placeholder, Figure) and placeholder.image is None


def test_a_broken_footnotes_part_leaves_a_placeholder_note_in_the_documents_language(
    word: Path, tmp_path: Path
) -> None:
    broken = damage(word, tmp_path / "notes.docx", "word/footnotes.xml", cut)
    doc = _convert(broken)
    _keeps_the_text(doc)
    assert doc.lang.startswith("fr")
    [issue] = [i for i in doc.issues if i.code == "docx.notes_unreadable"]
    note = next(b for b in doc.blocks if b.id == issue.block_id)
    assert isinstance(note, Note) and note.label == "1"
    assert note.text == "Note 1 (illisible : le fichier des notes est endommagé)"
    assert "Observée" not in " ".join(b.plain_text() for b in doc.blocks)


@pytest.mark.parametrize("member", ["word/numbering.xml", "word/styles.xml", "word/settings.xml"])
def test_a_broken_part_python_docx_parses_on_opening_is_left_out(
    word: Path, tmp_path: Path, member: str
) -> None:
    """python-docx parses these when it opens the file: one that does not parse used to fail everything."""
    broken = damage(word, tmp_path / "part.docx", member, cut)
    doc = _convert(broken)
    texts = " ".join(block.plain_text() for block in doc.blocks)
    assert all(text in texts for text in TEXTS)
    assert any(isinstance(b, Figure) and b.image for b in doc.blocks)
    [issue] = [i for i in doc.issues if i.code == "docx.file_part_unreadable"]
    assert f"/{member}" in issue.message and issue.message_fr


def test_a_broken_main_document_part_is_still_corrupt(word: Path, tmp_path: Path) -> None:
    broken = damage(word, tmp_path / "main.docx", "word/document.xml", cut)
    with pytest.raises(InputCorrupt):
        _convert(broken)
