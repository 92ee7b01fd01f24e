"""Office documents made for the tests and damaged on purpose (issue #13: one bad part, not a lost document).

:func:`word_document` writes a real Word file with python-docx (a heading, paragraphs, a footnote, a picture
with alt text, a numbered list, a chart as Word stores it); :func:`damage` copies it with one member edited
or left out, with zipfile.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXTS = (
    "La cellule est l'unité de base du vivant.",
    "Le noyau contient l'ADN, qui porte l'information génétique de la cellule.",
    "La membrane sépare l'intérieur de la cellule du milieu extérieur.",
)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _add_chart(document: object, paragraph: object) -> None:
    """A clustered column chart as Word stores it: a DrawingML chart part related to the body, and an inline
    drawing pointing at it (the chart XML is python-pptx's, the same schema)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE

    data = CategoryChartData()
    data.categories = ["2022", "2023"]
    data.add_series("Cellules observées", (12, 18))
    xml = ChartXmlWriter(XL_CHART_TYPE.COLUMN_CLUSTERED, data).xml.encode("utf-8")
    part = Part(PackURI("/word/charts/chart1.xml"), CT.DML_CHART, xml, document.part.package)
    rel_id = document.part.relate_to(part, RT.CHART)
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W}"><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
            'wordprocessingDrawing"><wp:extent cx="4000000" cy="2500000"/><wp:docPr id="50" name="Graphique 1"/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.'
            'openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships" r:id="{rel_id}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
        )
    )


def _add_footnote(document: object, paragraph: object) -> None:
    """A footnote part (python-docx has no API for notes) and a call to note 1 at the end of ``paragraph``."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    xml = (
        f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
        '</w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Observée au microscope optique.</w:t></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:id="1"/></w:r>'))


def word_document(path: Path) -> Path:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    for lang in document.styles.element.xpath("./w:docDefaults//w:lang"):  # the template says en-US
        lang.set(f"{{{W}}}val", "fr-FR")
    document.add_heading("La cellule", level=1)
    first = document.add_paragraph(TEXTS[0])
    _add_footnote(document, first)
    document.add_picture(io.BytesIO(_png()), width=Cm(4))
    document.paragraphs[-1].runs[0]._r.xpath(".//wp:docPr")[0].set("descr", "Schéma d'une cellule animale")
    document.add_paragraph(TEXTS[1])
    for item in ("Le noyau", "La membrane", "Le cytoplasme"):
        document.add_paragraph(item, style="List Number")
    _add_chart(document, document.add_paragraph())
    document.add_heading("La membrane", level=2)
    document.add_paragraph(TEXTS[2])
    document.save(path)
    return path


def damage(source: Path, out: Path, member: str, edit: Callable[[bytes], bytes | None]) -> Path:
    """A copy of ``source`` with ``member`` edited (``None``: the member is left out of the archive)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        assert member in zin.namelist()
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                data = edit(data)
                if data is None:
                    continue
            zout.writestr(info, data)
    return out


def cut(data: bytes) -> bytes:
    return data[: len(data) // 2]  # cut inside a tag: XML that does not parse


def media(path: Path) -> str:
    """The name of the (first) picture member of a Word file."""
    with zipfile.ZipFile(path) as archive:
        return next(n for n in archive.namelist() if n.startswith("word/media/"))


def slide_deck(path: Path) -> Path:
    """A French deck: three slides with a title and a text box, a picture with alt text on slide 2, a chart
    on slide 3."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    for number in (1, 2, 3):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"La cellule, partie {number}"
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
        box.text_frame.text = f"Texte de la diapositive {number} : le noyau contient l'ADN."
    picture = prs.slides[1].shapes.add_picture(io.BytesIO(_png()), Inches(1), Inches(3))
    picture._element.nvPicPr.cNvPr.set("descr", "Schéma d'une cellule")
    data = CategoryChartData()
    data.categories = ["2022", "2023"]
    data.add_series("Cellules observées", (12, 18))
    prs.slides[2].shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(3), Inches(4), Inches(3), data
    )
    prs.save(path)
    return path


def libreoffice_export(source: Path, target: str, out_dir: Path) -> Path:
    """``source`` saved by LibreOffice itself as ``target`` (odt, odp) in ``out_dir``."""
    import os
    import subprocess

    from inclusio.converters.odf import find_soffice

    soffice = find_soffice()
    assert soffice, "LibreOffice is needed (Debian: libreoffice-writer-nogui libreoffice-impress-nogui)"
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


def damage_odf(source: Path, out: Path, edits: dict[str, Callable[[bytes], bytes | None]]) -> Path:
    """A copy of an ODF file with members edited (``mimetype`` kept first and stored, as ODF requires);
    a key ending with ``/`` edits every member under that folder."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data: bytes | None = zin.read(info)
            for member, edit in edits.items():
                if info.filename == member or (member.endswith("/") and info.filename.startswith(member)):
                    data = edit(data)
            if data is not None:
                kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
                zout.writestr(info.filename, data, compress_type=kind)
    return out
