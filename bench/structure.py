"""Structure against ground truth: a tagged PDF's tags against our layout analysis and pymupdf4llm.

Usage:  .venv/bin/python bench/structure.py [PDF ...] [--find DIR]

For every tagged PDF (default: made at bench time by LibreOffice, as tagged PDF, from the DOCX of
``../shared/corpus`` and ``samples/`` and from an ODT LibreOffice makes of each, from their PPTX (slides),
from two DOCX written at
bench time with python-docx (``made_docx_pdfs``: title and subtitle, three heading levels, Word bullets,
tables with and without borders, other heading sizes), and the corpus's own tagged PDFs (the census table,
InDesign), the tagged PDFs of Debian's ``texlive-latex-extra-doc`` and ``texlive-luatex`` when they are
installed (:data:`DEBIAN_DOCS`, skipped with a printed line otherwise); plus the tagged PDFs found under ``--find DIR``):

* the ground truth is what inclusio reads from the tags (``pdf_tags``): headings (level, text), the
  reading order of its text units (headings, paragraphs, list items), table cells;
* "layout" is inclusio's converter with the tags ignored (``pdf_tags.build`` switched off in this process);
* "pymupdf4llm" is ``pymupdf4llm.to_markdown(doc, use_ocr=False)`` in its default set-up, parsed back
  (``#`` headings, paragraphs, ``|`` tables).

Figures: heading precision/recall/F1 on (level, text) and on text alone; reading order as Kendall's tau
between the ground-truth order of the units and the order in which their text is found in the candidate's
text (units not found are left out; their share is printed as "found"); table cell accuracy (ground-truth
cells found in the candidate's best-matching table, matched one to one). Targets (issue 13): heading F1 >= 0.95, reading order
>= 0.95 on born-digital documents, and ahead of pymupdf4llm on both.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CORPUS = ROOT.parent / "shared" / "corpus"
DEBIAN_DOCS = {
    Path("/usr/share/doc/texlive-doc/latex/tagpdf"): "texlive-latex-extra-doc",
    Path("/usr/share/doc/texlive-doc/latex/accessibility"): "texlive-latex-extra-doc",
    Path("/usr/share/doc/texlive-doc/luatex/minim"): "texlive-luatex",
}
"""Tagged PDFs of Debian's documentation, measured when their package is installed: ``texlive-latex-extra-doc``
(593 MB: the LaTeX tagging project's tagpdf manual and its examples, the ``accessibility`` package's manual)
and ``texlive-luatex`` (23 MB, installed by ``scripts/setup.sh --test``: the manual of the minim packages,
tagged by its author's minim-pdf; tests/golden/tagged/minim.pdf.txt)."""
FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
SLIDES_FILTER = 'pdf:impress_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def _soffice(source: Path, out: Path, target: str) -> Path | None:
    out.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{out}/.profile", "--headless", "--convert-to", target]
            + ["--outdir", str(out), str(source)],
            check=True,
            capture_output=True,
            timeout=180,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"  skipped {source.name}: LibreOffice failed ({exc})")
        return None
    made = out / f"{source.stem}.{target.split(':')[0]}"
    return made if made.is_file() else None


def made_tagged_pdfs(tmp: Path) -> list[tuple[str, Path]]:
    """Tagged PDFs exported by LibreOffice from the corpus's and samples' DOCX/ODT (and an ODT of each DOCX)
    and PPTX/ODP (slides exported as a presentation program does: a page and a bookmark per slide)."""
    sources = sorted(
        p
        for folder in (CORPUS, ROOT / "samples")
        if folder.is_dir()
        for p in folder.glob("*")
        if p.suffix in (".docx", ".odt", ".pptx", ".odp")
    )
    out = []
    for source in sources:
        slides = source.suffix in (".pptx", ".odp")
        pdf = _soffice(source, tmp / source.stem, SLIDES_FILTER if slides else FILTER)
        if pdf:
            out.append((f"{source.name} (LibreOffice)", pdf))
        if source.suffix == ".docx":
            odt = _soffice(source, tmp / f"{source.stem}-odt", "odt")
            pdf = _soffice(odt, tmp / f"{source.stem}-odt-pdf", FILTER) if odt else None
            if pdf:
                out.append((f"{source.stem}.odt (LibreOffice)", pdf))
    return out


MADE_TEXT = (
    "Water moves between the sea, the air and the land in a cycle that never stops. The sun warms the sea, "
    "the water rises as vapour, and the vapour becomes clouds when the air cools down over the hills."
)
MADE_TEXT_FR = (
    "L'eau circule entre la mer, l'air et la terre dans un cycle qui ne s'arrête jamais. Le soleil chauffe "
    "la mer, l'eau monte sous forme de vapeur, et la vapeur devient nuage quand l'air se refroidit."
)


def _made_course(path: Path) -> Path:
    """A course no corpus file resembles, written with python-docx's own styles: Title and Subtitle, Heading
    1-3 (Heading 3 is bold at the body's size), bulleted (Word's Symbol bullet) and numbered lists, a table
    with no borders and a bold first row, a ruled table ("Table Grid"), over about three pages."""
    import docx

    d = docx.Document()
    d.add_paragraph("The Water Cycle", style="Title")
    d.add_paragraph("A short course for first-year students", style="Subtitle")
    for n, (section, subsections) in enumerate(
        [("Evaporation", ["The sun", "The sea"]), ("Condensation", ["Clouds"]), ("Precipitation", ["Rain"])]
    ):
        d.add_heading(section, 1)
        d.add_paragraph(MADE_TEXT)
        for sub in subsections:
            d.add_heading(sub, 2)
            d.add_paragraph(MADE_TEXT)
            d.add_heading(f"What to remember about {sub.lower()}", 3)
            for item in ("It happens every day", "It needs energy from the sun", "It moves water"):
                d.add_paragraph(item, style="List Bullet" if n % 2 == 0 else "List Number")
            d.add_paragraph(MADE_TEXT)
    d.add_heading("Figures", 1)
    d.add_paragraph("The table below gives the water held in each place, without rules between its rows.")
    rows = [
        ("Place", "Share of the water", "Time it stays"),
        ("Oceans", "96.5 %", "3,200 years"),
        ("Ice caps and glaciers", "1.7 %", "20 to 100 years"),
        ("Ground water", "1.7 %", "100 to 200 years"),
        ("Rivers and lakes", "0.01 %", "2 to 6 months"),
    ]
    for style in (None, "Table Grid"):
        table = d.add_table(rows=len(rows), cols=3, style=style)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).paragraphs[0].add_run(text).bold = r == 0
        d.add_paragraph("The same figures in a table drawn with rules." if style is None else MADE_TEXT)
    d.save(path)
    return path


def _made_cours_fr(path: Path) -> Path:
    """A French handout with its own heading sizes (Heading 1 20 pt, Heading 2 15 pt, a 10 pt body in
    another font) and a Title set only 1.2x the first heading: a title that does not stand out."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.size = Pt(10)
    d.styles["Normal"].font.name = "Liberation Sans"
    d.styles["Title"].font.size = Pt(24)
    d.styles["Heading 1"].font.size = Pt(20)
    d.styles["Heading 2"].font.size = Pt(15)
    d.add_paragraph("Le cycle de l'eau", style="Title")
    for section, subsections in [
        ("L'évaporation", ["Le rôle du soleil", "La mer et les lacs"]),
        ("La condensation", ["Les nuages"]),
        ("Les précipitations", ["La pluie", "La neige et la grêle"]),
    ]:
        d.add_heading(section, 1)
        d.add_paragraph(MADE_TEXT_FR)
        for sub in subsections:
            d.add_heading(sub, 2)
            d.add_paragraph(MADE_TEXT_FR)
            d.add_paragraph(MADE_TEXT_FR)
    d.save(path)
    return path


def made_docx_pdfs(tmp: Path) -> list[tuple[str, Path]]:
    """Tagged PDFs exported by LibreOffice from DOCX written here at bench time (:func:`_made_course`,
    :func:`_made_cours_fr`): structures the corpus does not have, to see whether the layout rules hold."""
    out = []
    for name, make in (("made-course-en.docx", _made_course), ("made-cours-fr.docx", _made_cours_fr)):
        folder = tmp / Path(name).stem
        folder.mkdir(parents=True, exist_ok=True)
        pdf = _soffice(make(folder / name), folder / "pdf", FILTER)
        if pdf:
            out.append((f"{name} (made, LibreOffice)", pdf))
    return out


def found_tagged_pdfs(folder: Path) -> list[tuple[str, Path]]:
    import pymupdf

    out = []
    for path in sorted(folder.rglob("*.pdf")):
        try:
            with pymupdf.open(path) as doc:
                if "StructTreeRoot" in doc.xref_object(doc.pdf_catalog()):
                    out.append((path.name, path))
        except Exception:  # noqa: BLE001 - an unreadable file is not a candidate
            continue
    return out


# -- what each reader gives ---------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _heading(text: str) -> str:
    """A heading's words without its section number ("2.3 Structure" and "Structure" are one heading) or
    an appendix's letter ("A Some remarks" and "Some remarks"; "A fully marked up body" loses its article on
    both sides alike)."""
    numbered = re.sub(r"^(?:[a-z] (?=\d))?(?:\d+ )+", "", _norm(text))
    return re.sub(r"^[a-z] (?=\S)", "", numbered)


def from_document(doc) -> dict:  # noqa: ANN001 - a Document
    from inclusio.model import Heading, ListBlock, Paragraph, Table

    headings, units, tables = [], [], []
    for block in doc.blocks:
        if isinstance(block, Heading):
            headings.append((block.level, _heading(block.text)))
            units.append(_norm(block.text))
        elif isinstance(block, Paragraph):
            units.append(_norm(block.text))
        elif isinstance(block, ListBlock):
            units.extend(_norm(line) for line in block.plain_text().split("\n"))
        elif isinstance(block, Table):
            tables.append([_norm(c.text) for row in block.rows for c in row if _norm(c.text)])
    text = " ".join(units + [c for t in tables for c in t])
    return {"headings": headings, "units": [u for u in units if u], "tables": tables, "text": text}


def from_markdown(md: str) -> dict:
    headings, units, tables, current = [], [], [], None
    for raw in md.split("\n"):
        line = raw.strip()
        if line.startswith("|"):
            cells = [_norm(c) for c in line.strip("|").split("|")]
            if all(set(c) <= set("- :") for c in line.strip("|").split("|")):
                continue
            if current is None:
                current = []
                tables.append(current)
            current.extend(c for c in cells if c)
            continue
        current = None
        match = re.match(r"^(#{1,6})\s+(.*)$", line)
        if match:
            text = _norm(re.sub(r"[*_`]", "", match.group(2)))
            headings.append((len(match.group(1)), _heading(text)))
            units.append(text)
        elif line:
            units.append(_norm(re.sub(r"[*_`]|^[-+]\s+|^\d+\.\s+", "", line)))
    text = " ".join(units + [c for t in tables for c in t])
    return {"headings": headings, "units": [u for u in units if u], "tables": tables, "text": text}


def read_tags(path: Path) -> tuple[dict, bool]:
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.pdf import PdfConverter

    doc = PdfConverter().convert(path, ConvertContext(filename=path.name))
    return from_document(doc), "tags" in (doc.source.converter or "")


def read_layout(path: Path) -> dict:
    from inclusio.converters import pdf_tags
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.pdf import PdfConverter

    build = pdf_tags.build
    pdf_tags.build = lambda conv: False  # tags ignored: the layout analysis alone
    try:
        return from_document(PdfConverter().convert(path, ConvertContext(filename=path.name)))
    finally:
        pdf_tags.build = build


def read_pymupdf4llm(path: Path) -> dict:
    """pymupdf4llm in its own process, in its default set-up (layout model on; inclusio turns it off here)."""
    code = "import sys, pymupdf4llm; print(pymupdf4llm.to_markdown(sys.argv[1], use_ocr=False, show_progress=False))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=600
    )
    return from_markdown(done.stdout)


# -- metrics ------------------------------------------------------------------------------------


def f1(truth: list, found: list) -> tuple[float, float, float]:
    if not truth and not found:
        return 1.0, 1.0, 1.0
    hits = sum((Counter(truth) & Counter(found)).values())
    p = hits / len(found) if found else 0.0
    r = hits / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def kendall(truth_units: list[str], text: str) -> tuple[float, float]:
    """Kendall's tau between the truth's order and where each unit's start is found in ``text``; share found."""
    positions, start = [], 0
    for unit in truth_units:
        key = unit[:60]
        if len(key) < 8:
            continue
        at = text.find(key, start)
        if at < 0:
            at = text.find(key)
        if at >= 0:
            positions.append(at)
            start = at + 1
    n = len(positions)
    considered = sum(1 for u in truth_units if len(u[:60]) >= 8)
    if n < 2:
        return (1.0 if n else 0.0), n / max(considered, 1)
    concordant = discordant = 0
    for i in range(n):
        for j in range(i + 1, n):
            if positions[i] < positions[j]:
                concordant += 1
            elif positions[i] > positions[j]:
                discordant += 1
    return (concordant - discordant) / (n * (n - 1) / 2), n / max(considered, 1)


def cell_accuracy(truth: list[list[str]], found: list[list[str]]) -> float | None:
    """Share of the truth's cells found in the candidate's table matched to theirs, one to one (each found
    table serves one truth table, the best one left: two equal tables cannot both match one found table)."""
    if not truth:
        return None
    total = hits = 0
    left = list(found)
    for table in truth:
        total += len(table)
        scores = [sum((Counter(table) & Counter(f)).values()) for f in left]
        if scores:
            best = max(range(len(left)), key=scores.__getitem__)
            hits += scores[best]
            left.pop(best)
    return hits / total if total else None


def measure(truth: dict, cand: dict) -> dict:
    """The figures of one candidate; None where the truth has nothing to compare (no heading, < 2 units)."""
    hf1 = f1(truth["headings"], cand["headings"])[2] if truth["headings"] else None
    tf1 = (
        f1([t for _, t in truth["headings"]], [t for _, t in cand["headings"]])[2]
        if truth["headings"]
        else None
    )
    tau, found = kendall(truth["units"], cand["text"])
    if sum(1 for u in truth["units"] if len(u) >= 8) < 2:
        tau = found = None
    return {
        "h_f1": hf1,
        "h_text_f1": tf1,
        "order": tau,
        "found": found,
        "cells": cell_accuracy(truth["tables"], cand["tables"]),
    }


def _fmt(value: float | None) -> str:
    return "  –  " if value is None else f"{value:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument(
        "--find", type=Path, action="append", default=[], help="folder searched for tagged PDFs"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs = [(p.name, p) for p in args.pdfs] or (
            made_tagged_pdfs(Path(tmp)) + made_docx_pdfs(Path(tmp)) + found_tagged_pdfs(CORPUS)
        )
        for folder, package in {} if args.pdfs else DEBIAN_DOCS.items():
            if folder.is_dir():
                docs += found_tagged_pdfs(folder)
            else:
                print(f"  {folder}: absent (Debian package {package} not installed), skipped")
        for folder in args.find:
            if folder.is_dir():
                docs += found_tagged_pdfs(folder)
            else:
                print(f"  --find {folder}: absent, skipped")
        rows = []
        for name, path in docs:
            try:
                truth, tagged = read_tags(path)
            except Exception as exc:  # noqa: BLE001 - an example file with nothing to read is skipped
                print(f"  {name}: not converted ({exc}), skipped")
                continue
            if not tagged:
                print(f"  {name}: its tags were not usable (fallback), skipped")
                continue
            rows.append((name, "layout", measure(truth, read_layout(path))))
            rows.append((name, "pymupdf4llm", measure(truth, read_pymupdf4llm(path))))
        _print(rows)


def _print(rows: list[tuple[str, str, dict]]) -> None:
    print(f"{'document':<44} {'reader':<12} {'h F1':>5} {'h txt':>5} {'order':>5} {'found':>5} {'cells':>5}")
    for name, reader, m in rows:
        print(
            f"{name[:44]:<44} {reader:<12} {_fmt(m['h_f1'])} {_fmt(m['h_text_f1'])} {_fmt(m['order'])} "
            f"{_fmt(m['found'])} {_fmt(m['cells'])}"
        )
    for reader in ("layout", "pymupdf4llm"):
        ms = [m for _, r, m in rows if r == reader]
        if not ms:
            continue
        mean = {
            k: (
                sum(m[k] for m in ms if m[k] is not None) / n
                if (n := sum(m[k] is not None for m in ms))
                else None
            )
            for k in ms[0]
        }
        print(
            f"{'MEAN':<44} {reader:<12} {_fmt(mean['h_f1'])} {_fmt(mean['h_text_f1'])} {_fmt(mean['order'])} "
            f"{_fmt(mean['found'])} {_fmt(mean['cells'])}"
        )
    print("targets: heading F1 >= 0.95 and reading order (Kendall tau) >= 0.95, layout ahead of pymupdf4llm")


if __name__ == "__main__":
    main()
