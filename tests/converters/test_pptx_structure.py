"""PPTX structure on decks built here with python-pptx: groups, charts, placeholders, SmartArt, OLE, order."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu, Inches

from inclusio.converters.base import ConvertContext
from inclusio.converters.pptx import PptxConverter
from inclusio.model import Document, Figure, Heading, ListBlock, PageMarker, Paragraph, Table

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
BLANK, TITLE_ONLY, PICTURE_WITH_CAPTION = 6, 5, 8


def _convert(path: Path) -> Document:
    return PptxConverter().convert(path, ConvertContext(filename=path.name))


def _texts(doc: Document, slide: int) -> list[str]:
    return [
        b.plain_text()
        for b in doc.blocks
        if b.source and b.source.slide == slide and not isinstance(b, PageMarker)
    ]


def _set_group_xfrm(group, off, ext, ch_off, ch_ext) -> None:  # type: ignore[no-untyped-def]
    xfrm = group._element.grpSpPr.find(f"{{{A}}}xfrm")
    for tag, (x, y) in (("off", off), ("ext", ext), ("chOff", ch_off), ("chExt", ch_ext)):
        node = xfrm.find(f"{{{A}}}{tag}")
        keys = ("cx", "cy") if tag.endswith("xt") else ("x", "y")
        node.set(keys[0], str(int(x)))
        node.set(keys[1], str(int(y)))


def _png(corpus_dir: Path, tmp_path: Path) -> Path:
    with zipfile.ZipFile(corpus_dir / "fixture-word.docx") as archive:
        data = archive.read("word/media/image1.png")
    path = tmp_path / "duck.png"
    path.write_bytes(data)
    return path


def test_group_children_are_placed_with_the_group_transform(tmp_path: Path) -> None:
    """Children in a scaled, offset group (and a nested group) land where the slide shows them."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = "Groupes"
    slide.shapes.add_textbox(Inches(0), Inches(1.5), Inches(3), Inches(0.5)).text = "C au-dessus"
    slide.shapes.add_textbox(Inches(0), Inches(6.5), Inches(3), Inches(0.5)).text = "D en bas"
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(10), Inches(10), Inches(2), Inches(1)).text = "A à gauche"
    inner = group.shapes.add_group_shape()
    inner.shapes.add_textbox(Inches(0), Inches(0), Inches(2), Inches(1)).text = "B à droite"
    # Inner group: identity scale, placed at (12in, 10in) of the outer group's child space.
    _set_group_xfrm(inner, (Inches(12), Inches(10)), (Inches(2), Inches(1)), (0, 0), (Inches(2), Inches(1)))
    # Outer group: child space (10in, 10in)+(4in x 2in) shown at (0, 4in) with half the size.
    _set_group_xfrm(
        group, (0, Inches(4)), (Inches(2), Inches(1)), (Inches(10), Inches(10)), (Inches(4), Inches(2))
    )
    path = tmp_path / "groupes.pptx"
    prs.save(path)

    doc = _convert(path)
    # Raw child coordinates (10in) would put A and B after D; in slide coordinates they sit at 4in.
    assert _texts(doc, 1) == ["Groupes", "C au-dessus", "A à gauche", "B à droite", "D en bas"]
    b = next(blk for blk in doc.blocks if blk.plain_text() == "B à droite")
    assert b.source.bbox.x0 == pytest.approx(Inches(1))
    assert b.source.bbox.y0 == pytest.approx(Inches(4))
    assert b.source.bbox.x1 - b.source.bbox.x0 == pytest.approx(Inches(1))


def test_chart_data_becomes_a_table_with_its_title(tmp_path: Path) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = "Résultats"
    data = CategoryChartData()
    data.categories = ["2022", "2023", "2024"]
    data.add_series("Inscrits", (120, 135, 150))
    data.add_series("Diplômés", (80, 95.5, None))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data
    )
    frame.chart.has_title = True
    frame.chart.chart_title.text_frame.text = "Étudiants par année"
    path = tmp_path / "graphique.pptx"
    prs.save(path)

    table = next(b for b in _convert(path).blocks if isinstance(b, Table))
    assert table.caption == "Étudiants par année"
    assert [[c.text for c in row] for row in table.rows] == [
        ["", "Inscrits", "Diplômés"],
        ["2022", "120", "80"],
        ["2023", "135", "95.5"],
        ["2024", "150", ""],
    ]
    assert all(c.header for c in table.rows[0]) and all(row[0].header for row in table.rows)
    assert not any(c.header for row in table.rows[1:] for c in row[1:])


def test_picture_placeholder_is_a_figure_and_an_empty_one_is_skipped(
    tmp_path: Path, corpus_dir: Path
) -> None:
    prs = Presentation()
    filled = prs.slides.add_slide(prs.slide_layouts[PICTURE_WITH_CAPTION])
    filled.shapes.title.text = "Un canard"
    picture = filled.placeholders[1].insert_picture(str(_png(corpus_dir, tmp_path)))
    picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", "Picture 3")
    empty = prs.slides.add_slide(prs.slide_layouts[PICTURE_WITH_CAPTION])
    empty.shapes.title.text = "Sans image"
    path = tmp_path / "placeholders.pptx"
    prs.save(path)

    doc = _convert(path)
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert [f.source.slide for f in figures] == [1]
    assert figures[0].image in doc.resources
    assert figures[0].alt is None  # "Picture 3" is PowerPoint's shape name, not a description
    assert not [i for i in doc.issues if i.code in ("slide.unreadable", "image.unreadable")]


def _add_smartart(slide, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A SmartArt frame as PowerPoint writes it: graphicData with dgm:relIds -> the diagram data part."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    points = "".join(
        f'<dgm:pt modelId="{i + 2}"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p><a:r><a:t>{t}</a:t></a:r></a:p>'
        f'</dgm:t></dgm:pt><dgm:pt modelId="{i + 100}" type="pres"><dgm:prSet/><dgm:spPr/><dgm:t><a:p><a:r>'
        f"<a:t>{t}</a:t></a:r></a:p></dgm:t></dgm:pt>"
        for i, t in enumerate(texts)
    )
    data = (
        f'<dgm:dataModel xmlns:dgm="{DGM}" xmlns:a="{A}"><dgm:ptLst><dgm:pt modelId="1" type="doc"><dgm:prSet/>'
        f"<dgm:spPr/><dgm:t><a:p/></dgm:t></dgm:pt>{points}</dgm:ptLst><dgm:cxnLst/><dgm:bg/><dgm:whole/>"
        "</dgm:dataModel>"
    ).encode()
    part = Part(
        PackURI("/ppt/diagrams/data1.xml"),
        "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml",
        slide.part.package,
        data,
    )
    r_id = slide.part.relate_to(
        part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData"
    )
    frame = etree.fromstring(
        f'<p:graphicFrame xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:nvGraphicFramePr>'
        '<p:cNvPr id="20" name="Diagramme 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>'
        '<p:xfrm><a:off x="914400" y="1828800"/><a:ext cx="5486400" cy="2743200"/></p:xfrm>'
        f'<a:graphic><a:graphicData uri="{DGM}"><dgm:relIds xmlns:dgm="{DGM}" r:dm="{r_id}" r:lo="" r:qs="" r:cs=""/>'
        "</a:graphicData></a:graphic></p:graphicFrame>"
    )
    slide.shapes._spTree.append(frame)


def test_smartart_texts_are_kept_as_a_list_and_ole_objects_are_flagged(
    tmp_path: Path, corpus_dir: Path
) -> None:
    from pptx.enum.shapes import PROG_ID

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = "Le cycle"
    _add_smartart(slide, ["Évaporation", "Condensation", "Précipitations"])
    other = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    other.shapes.title.text = "Un objet"
    other.shapes.add_ole_object(str(corpus_dir / "fixture-word.docx"), PROG_ID.DOCX, Inches(1), Inches(2))
    path = tmp_path / "smartart.pptx"
    prs.save(path)

    doc = _convert(path)
    lst = next(b for b in doc.blocks if isinstance(b, ListBlock))
    assert [i.text for i in lst.items] == ["Évaporation", "Condensation", "Précipitations"]
    codes = ("slide.diagram_needs_description", "slide.object_needs_description")
    flagged = [(i.code, i.source.slide, i.block_id) for i in doc.issues if i.code in codes]
    assert flagged == [(codes[0], 1, lst.id), (codes[1], 2, None)]


def test_slide_without_title_gets_a_generated_heading_pointed_at_by_an_issue(tmp_path: Path) -> None:
    prs = Presentation()
    first = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    first.shapes.title.text = "La cellule"
    first.shapes.add_textbox(
        Inches(1), Inches(2), Inches(6), Inches(1)
    ).text = "La cellule est l'unité de base de la vie et elle contient un noyau dans le cytoplasme."
    second = prs.slides.add_slide(prs.slide_layouts[BLANK])
    second.shapes.add_textbox(
        Inches(1), Inches(2), Inches(6), Inches(1)
    ).text = "Le noyau contient l'ADN et les chromosomes de la cellule, qui sont dans le noyau."
    path = tmp_path / "sans-titre.pptx"
    prs.save(path)

    doc = _convert(path)
    assert doc.lang == "fr"
    assert [h.text for h in doc.headings()] == ["La cellule", "Diapositive 2 (sans titre)"]
    issue = next(i for i in doc.issues if i.code == "slide.no_title")
    assert doc.find(issue.block_id).plain_text() == "Diapositive 2 (sans titre)"
    # The untitled slide's text is in its own section, not in slide 1's.
    sections = [s for s in doc.top_sections() if s.heading]
    assert [s.title for s in sections] == ["La cellule", "Diapositive 2 (sans titre)"]
    assert sections[1].blocks[0].plain_text().startswith("Le noyau")


def test_visual_order_differing_from_file_order_is_flagged(tmp_path: Path) -> None:
    prs = Presentation()
    authored = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    authored.shapes.title.text = "Ordre du fichier"
    for i, top in enumerate((2, 3, 4)):
        authored.shapes.add_textbox(Inches(1), Inches(top), Inches(6), Inches(0.5)).text = f"Ligne {i + 1}"
    reversed_ = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    reversed_.shapes.title.text = "Ordre inversé"
    for i, top in enumerate((4, 3, 2)):
        reversed_.shapes.add_textbox(Inches(1), Inches(top), Inches(6), Inches(0.5)).text = f"Ligne {3 - i}"
    path = tmp_path / "ordre.pptx"
    prs.save(path)

    doc = _convert(path)
    assert _texts(doc, 2) == ["Ordre inversé", "Ligne 1", "Ligne 2", "Ligne 3"]
    assert [i.source.slide for i in doc.issues if i.code == "slide.order_differs"] == [2]


def test_slide_numbers_are_markers_labelled_with_the_first_slide_number(tmp_path: Path) -> None:
    prs = Presentation()
    for title in ("Un", "Deux"):
        prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY]).shapes.title.text = title
    prs._element.set("firstSlideNum", "5")
    path = tmp_path / "numeros.pptx"
    prs.save(path)

    markers = _convert(path).page_markers()
    assert [(m.number, m.kind, m.display) for m in markers] == [(1, "slide", "5"), (2, "slide", "6")]


def test_text_placeholder_paragraphs_without_bullets_stay_paragraphs(tmp_path: Path) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = "Texte"
    box = slide.shapes.add_textbox(Emu(914400), Emu(1828800), Inches(6), Inches(1))
    box.text = "Une phrase simple."
    path = tmp_path / "texte.pptx"
    prs.save(path)

    doc = _convert(path)
    assert any(isinstance(b, Paragraph) and b.text == "Une phrase simple." for b in doc.blocks)
    assert isinstance(doc.blocks[1], Heading)
