"""One bad part, not a lost deck: a slide (or chart) whose XML does not parse becomes a flagged placeholder
and the rest of the deck converts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.errors import InputCorrupt
from inclusio.model import Heading, PageMarker


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
