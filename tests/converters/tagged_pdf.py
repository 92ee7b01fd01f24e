"""Tagged PDFs for the tests: documents written with python-docx, exported by LibreOffice as tagged PDF.

LibreOffice runs with its own profile folder each time (two runs sharing a profile block each other);
:func:`soffice_convert_all` converts several documents in one start (each start costs ~3-5 s, a fresh
profile the most).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image

TAGGED_PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
FIGURE_ALT = "Schéma du cycle de l'eau : la mer, les nuages et la pluie"


def soffice_convert(source: Path, out_dir: Path, target: str = TAGGED_PDF_FILTER) -> Path:
    """``source`` converted by LibreOffice (``target``: a filter, by default tagged PDF) into ``out_dir``."""
    [result] = soffice_convert_all([source], out_dir, target)
    return result


def soffice_convert_all(
    sources: list[Path], out_dir: Path, target: str = TAGGED_PDF_FILTER, *, profile: Path | None = None
) -> list[Path]:
    """``sources`` (of one kind: text documents, or presentations) converted by one LibreOffice run into
    ``out_dir``, in their order; their names' stems must differ. ``profile``: the user profile folder to
    use (one that an earlier run of the same test made starts faster; never one a parallel run uses)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    assert len({source.stem for source in sources}) == len(sources), sources
    profile = profile or out_dir / f".profile-{sources[0].stem}-{target.split(':')[0]}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            *(str(source) for source in sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    suffix = "." + target.split(":")[0]
    results = [out_dir / (source.stem + suffix) for source in sources]
    for result in results:
        assert result.is_file(), f"LibreOffice made no {result.name}"
    return results


def _picture(color: tuple[int, int, int]) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (300, 150), color).save(buf, "PNG")
    buf.seek(0)
    return buf


def write_course_docx(path: Path, *, paragraphs: int = 3) -> Path:
    """A short French course: headings, paragraphs, a numbered and a bulleted list, a table with a header
    row, a picture with the author's alt text and its caption, an English sentence."""
    d = docx.Document()
    d.add_heading("Le cycle de l'eau", 1)
    for i in range(paragraphs):
        d.add_paragraph(
            f"Paragraphe {i + 1}. L'eau circule sans cesse entre les océans, l'atmosphère et les terres. "
            "Elle s'évapore, se condense en nuages puis retombe en pluie ou en neige."
        )
    d.add_heading("Les étapes", 2)
    for text in ("Évaporation des océans", "Condensation en nuages", "Précipitations"):
        d.add_paragraph(text, style="List Number")
    d.add_heading("Les réserves d'eau", 2)
    table = d.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    for r, (a, b) in enumerate([("Réserve", "Part (%)"), ("Océans", "97"), ("Glaciers", "2")]):
        table.cell(r, 0).text = a
        table.cell(r, 1).text = b
    d.add_picture(_picture((30, 90, 200)), width=Inches(3))
    d.inline_shapes[0]._inline.docPr.set("descr", FIGURE_ALT)
    d.add_paragraph("Figure 1 : le cycle de l'eau.")
    d.add_heading("Conclusion", 2)
    d.add_paragraph("L'eau douce est rare", style="List Bullet")
    d.add_paragraph("Il faut la protéger", style="List Bullet")
    d.add_paragraph("Fin du cours.")
    d.save(path)
    return path
