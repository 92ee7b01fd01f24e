"""The author's word on pictures wins: alt text and decorative flags from DOCX and PPTX survive the captions
and the alt-text pass (which writes alt text only for pictures the author left without one).

Documents are made here with python-docx and python-pptx; the alt-text pass runs offline (no model).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.shared import Inches
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.util import Inches as PptxInches

from inclusio.adapt.alt_text import apply_alt_text
from inclusio.adapt.context import AdaptContext
from inclusio.config import Settings
from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model import Document, Figure
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
AUTHOR_ALT = "Un caneton tient une feuille dans son bec"
CAPTION = "Figure 1 : un caneton au bord du lac."


def _png(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (240, 160), color).save(buf, "PNG")
    return buf.getvalue()


def _decorative(c_nv_pr: etree._Element) -> None:
    """Mark a picture decorative the way Office does (``a:extLst/a:ext/adec:decorative val=1``)."""
    ext_lst = etree.SubElement(c_nv_pr, f"{{{A}}}extLst")
    ext = etree.SubElement(ext_lst, f"{{{A}}}ext", uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
    etree.SubElement(ext, f"{{{ADEC}}}decorative", val="1")


def _offline_alt(doc: Document, tmp_path: Path) -> tuple[Document, dict[str, int]]:
    ctx = AdaptContext(settings=Settings(data_dir=tmp_path), profile=load_profile("blind", ROOT / "profiles"))
    return apply_alt_text(doc, ctx)


@pytest.fixture
def course_docx(tmp_path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Les canards", 1)
    d.add_paragraph("Le caneton apprend à nager dès sa naissance.")
    d.add_picture(io.BytesIO(_png((240, 200, 40))), width=Inches(2))
    d.inline_shapes[0]._inline.docPr.set("descr", AUTHOR_ALT)
    d.add_paragraph(CAPTION, style="Caption")
    d.add_picture(io.BytesIO(_png((200, 200, 200))), width=Inches(1))
    d.inline_shapes[1]._inline.docPr.set("descr", "")
    _decorative(d.inline_shapes[1]._inline.docPr)
    d.add_picture(io.BytesIO(_png((20, 120, 20))), width=Inches(1))
    d.inline_shapes[2]._inline.docPr.set("descr", "image3.png")  # a file name: no alt at all
    d.add_paragraph("Figure 2 : un étang.", style="Caption")
    path = tmp_path / "canards.docx"
    d.save(path)
    return path


def test_docx_authors_alt_wins_over_the_caption_and_the_alt_text_pass(
    course_docx: Path, tmp_path: Path
) -> None:
    doc = convert(course_docx, ConvertContext(filename=course_docx.name))
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert [(f.alt, f.decorative) for f in figures] == [(AUTHOR_ALT, False), (None, True), (None, False)]
    assert figures[0].caption == CAPTION
    adapted, counts = _offline_alt(doc, tmp_path)
    assert counts["images"] == 1  # only the picture whose "alt" was a file name
    after = [b for b in adapted.blocks if isinstance(b, Figure)]
    assert after[0].alt == AUTHOR_ALT and not after[0].adaptations
    assert after[1].decorative and not after[1].adaptations  # decorative: nothing to write
    written = after[2].adaptation("alt_text")
    assert (
        written is not None and written.blocks[0].alt == "un étang."
    )  # from its caption, flagged for review


def test_pptx_authors_alt_and_decorative_flag_win(tmp_path: Path) -> None:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = "Les canards"
    image = tmp_path / "duck.png"
    image.write_bytes(_png((240, 200, 40)))
    described = slide.shapes.add_picture(str(image), PptxInches(1), PptxInches(2), PptxInches(3))
    described._element.nvPicPr.cNvPr.set("descr", AUTHOR_ALT)
    box = slide.shapes.add_textbox(PptxInches(1), PptxInches(5), PptxInches(6), PptxInches(1))
    box.text_frame.text = CAPTION
    image2 = tmp_path / "line.png"
    image2.write_bytes(_png((90, 90, 90)))
    plain = slide.shapes.add_picture(str(image2), PptxInches(6), PptxInches(2), PptxInches(2))
    plain._element.nvPicPr.cNvPr.set("descr", "")
    _decorative(plain._element.nvPicPr.cNvPr)
    path = tmp_path / "canards.pptx"
    deck.save(path)
    doc = convert(path, ConvertContext(filename=path.name))
    assert (
        doc.blocks[1].type == "heading" and doc.blocks[1].plain_text() == "Les canards"
    )  # the title placeholder
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert [(f.alt, f.decorative) for f in figures] == [(AUTHOR_ALT, False), (None, True)]
    adapted, counts = _offline_alt(doc, tmp_path)
    assert counts["images"] == 0
    assert [b.adaptations for b in adapted.blocks if isinstance(b, Figure)] == [[], []]
