"""One bad part, not a lost deck: a slide (or chart) whose XML does not parse becomes a flagged placeholder
and the rest of the deck converts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.errors import InputCorrupt
from inclusio.model import Figure, Heading, PageMarker


def _deck(path: Path, slides: int = 3) -> Path:
    from pptx import Presentation

    prs = Presentation()
    for number in range(1, slides + 1):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"La cellule, partie {number}"
        slide.placeholders[1].text = f"Texte de la diapositive {number} : le noyau contient l'ADN."
    prs.save(path)
    return path


def _corrupt(path: Path, member: str, out: Path) -> Path:
    """A copy of the deck whose ``member`` is cut in the middle of a tag (XML that does not parse)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = data[: len(data) // 2]
            target.writestr(info, data)
    return out


def test_a_deck_with_one_broken_slide_converts_the_rest(tmp_path: Path) -> None:
    deck = _corrupt(_deck(tmp_path / "deck.pptx"), "ppt/slides/slide2.xml", tmp_path / "broken.pptx")
    doc = convert(deck, ConvertContext(filename=deck.name))
    texts = [b.plain_text() for b in doc.blocks if not isinstance(b, PageMarker)]
    assert "La cellule, partie 1" in texts and "La cellule, partie 3" in texts
    assert any("diapositive 3" in t for t in texts) and not any("partie 2" in t for t in texts)
    markers = [b.number for b in doc.blocks if isinstance(b, PageMarker)]
    assert markers == [1, 2, 3]
    issues = [i for i in doc.issues if i.code == "slide.unreadable"]
    assert len(issues) == 1 and issues[0].source.slide == 2 and issues[0].message_fr
    placeholder = next(b for b in doc.blocks if b.id == issues[0].block_id)
    assert isinstance(placeholder, Heading) and placeholder.text == "Diapositive 2 (illisible)"
    assert (
        doc.blocks.index(placeholder)
        == doc.blocks.index(next(b for b in doc.blocks if isinstance(b, PageMarker) and b.number == 2)) + 1
    )


def test_a_deck_whose_presentation_part_is_broken_is_still_corrupt(tmp_path: Path) -> None:
    deck = _corrupt(_deck(tmp_path / "deck.pptx"), "ppt/presentation.xml", tmp_path / "broken.pptx")
    with pytest.raises(InputCorrupt):
        convert(deck, ConvertContext(filename=deck.name))


def _deck_with_picture(path: Path) -> Path:
    import io

    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    for number in (1, 2):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"La cellule, partie {number}"
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
        box.text_frame.text = f"Texte de la diapositive {number} : le noyau contient l'ADN."
    png = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 30, 30)).save(png, "PNG")
    png.seek(0)
    picture = prs.slides[0].shapes.add_picture(png, Inches(1), Inches(3))
    picture._element.nvPicPr.cNvPr.set("descr", "Schéma d'une cellule")
    prs.save(path)
    return path


def _replace(path: Path, out: Path, prefix: str, data: bytes | None) -> Path:
    """A copy of the deck whose member starting with ``prefix`` holds ``data`` (None: left out)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        assert any(info.filename.startswith(prefix) for info in source.infolist())
        for info in source.infolist():
            if not info.filename.startswith(prefix):
                target.writestr(info, source.read(info))
            elif data is not None:
                target.writestr(info, data)
    return out


@pytest.mark.parametrize("data", [b"\x89PNG but not an image" * 20, None], ids=["bytes", "missing"])
def test_a_picture_that_cannot_be_read_is_a_placeholder_on_its_slide(
    tmp_path: Path, data: bytes | None
) -> None:
    """Broken picture bytes, or a picture part missing from the archive (its relationship dangles): the
    picture is a figure without image, with its alt text, pointed at by ``image.unreadable``; the slide
    and the deck keep their text."""
    deck = _replace(_deck_with_picture(tmp_path / "deck.pptx"), tmp_path / "broken.pptx", "ppt/media/", data)
    doc = convert(deck, ConvertContext(filename=deck.name))
    texts = [b.plain_text() for b in doc.blocks]
    assert "La cellule, partie 1" in texts and "La cellule, partie 2" in texts
    assert any("diapositive 1" in t for t in texts)
    assert not [i for i in doc.issues if i.code == "slide.unreadable"]
    [issue] = [i for i in doc.issues if i.code == "image.unreadable"]
    figure = next(b for b in doc.blocks if b.id == issue.block_id)
    assert isinstance(figure, Figure) and figure.image is None and figure.alt == "Schéma d'une cellule"
    assert figure.source is not None and figure.source.slide == 1
