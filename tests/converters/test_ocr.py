"""OCR of scanned PDFs: the recognised text against the text layer of the same page (character error rate).

The two scans of the corpus come with an "oracle" PDF: the same page with a text layer made by an
older OCR run. That layer has errors of its own, checked by eye on the rendered page (see the list
below); the reference is the oracle's text with those corrected, and the comparison ignores only
what is typography rather than reading (dash and quote styles, spacing).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model import Document

MAX_CER = 0.02

# Errors of scan-fr.oracle.pdf's text layer, read off the 150 dpi render of scan-fr.pdf (the classic
# French pangram, set in Lato): the oracle lost most accents and read "l'" as "|'".
SCAN_FR_ORACLE_FIXES = [
    ("son ile", "son île"),
    ("a coté", "à côté"),
    ("l'alcove", "l'alcôve"),
    ("ovoide", "ovoïde"),
    ("ot les bUches", "où les bûches"),
    ("|'atre", "l'âtre"),
    ("penser a la", "penser à la"),
    ("cenogéneése", "cænogénèse"),
    ("|'étre", "l'être"),
    ("ambigué", "ambiguë"),
    ("a Moy", "à Moÿ"),
    ("capharnatim", "capharnaüm"),
    ("¢a et la", "çà et là"),
    ("oeuvre", "œuvre"),
]

# Errors of scan-2col-en.oracle.pdf's text layer, checked on the 130 dpi render of scan-2col-en.pdf.
SCAN_2COL_ORACLE_FIXES = [
    ("Recording 3 Sequence", "Recording a Sequence"),
    ("recording~while", "recording-while"),
    ("the first'track", "the first track"),
]


def cer(text: str, reference: str) -> float:
    """Character error rate: Levenshtein distance / reference length (accents count as errors)."""
    return Levenshtein.distance(text, reference) / max(1, len(reference))


def normalise(text: str) -> str:
    """NFC; dashes, quotes and spacing unified: typography, not reading."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[‐‑‒–—]", "-", text)
    text = re.sub(r"[’‘`´]", "'", text).replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def _text(doc: Document) -> str:
    return normalise(" ".join(b.plain_text() for b in doc.blocks if b.type != "page"))


def _convert(path: Path) -> Document:
    return convert(path, ConvertContext(filename=path.name))


def test_cer_counts_accents() -> None:
    assert cer("a cote", "à côté") == pytest.approx(3 / 6)
    assert cer("même", "même") == 0.0


def test_the_oracle_corrections_all_apply(corpus_dir: Path) -> None:
    import pymupdf

    with pymupdf.open(corpus_dir / "scan-fr.oracle.pdf") as doc:
        oracle = normalise(doc[0].get_text())
    for wrong, _ in SCAN_FR_ORACLE_FIXES:
        assert wrong in oracle, wrong


@pytest.mark.slow
def test_french_scan_is_read_with_its_accents(corpus_dir: Path) -> None:
    import pymupdf

    with pymupdf.open(corpus_dir / "scan-fr.oracle.pdf") as doc:
        reference = normalise(doc[0].get_text())
    for wrong, right in SCAN_FR_ORACLE_FIXES:
        reference = reference.replace(wrong, right)
    doc = _convert(corpus_dir / "scan-fr.pdf")
    text = _text(doc)
    assert doc.lang == "fr"
    assert cer(text, reference) <= MAX_CER, (cer(text, reference), text)
    assert "île intérieure, à côté de l'alcôve" in text and "capharnaüm" in text and "œuvre" in text
    assert [i.source.page for i in doc.issues if i.code == "pdf.scanned_page"] == [1]
    # Every OCR block keeps its page and position.
    assert all(b.source and b.source.page == 1 and b.source.bbox for b in doc.blocks if b.type != "page")


@pytest.mark.slow
def test_two_column_scan_matches_its_text_layer_in_reading_order(corpus_dir: Path) -> None:
    ocr = _convert(corpus_dir / "scan-2col-en.pdf")
    reference = _text(_convert(corpus_dir / "scan-2col-en.oracle.pdf"))
    for wrong, right in SCAN_2COL_ORACLE_FIXES:
        assert wrong in reference, wrong
        reference = reference.replace(wrong, right)
    # Both go through the same reading order, so columns must come out in the same order too.
    # The subtitle "32 Track MIDI Sequence Recorder", which PyMuPDF's built-in Tesseract missed, is read.
    assert "32 Track MIDI Sequence Recorder" in _text(ocr)
    rate = cer(_text(ocr), reference)
    assert rate <= MAX_CER, rate
    assert ocr.lang == "en"


def test_an_existing_ocr_layer_is_used_not_redone(corpus_dir: Path) -> None:
    doc = _convert(corpus_dir / "scan-fr.oracle.pdf")
    assert "whisky" in _text(doc)
    assert not [i for i in doc.issues if i.code in ("pdf.scanned_page", "pdf.ocr_failed")]


def _dict_text(page_dict: dict[str, object]) -> str:
    lines = (
        "".join(span["text"] for span in line["spans"])
        for block in page_dict["blocks"]  # type: ignore[attr-defined]
        for line in block.get("lines", [])
    )
    return " ".join(" ".join(lines).split())


def test_the_tesseract_command_and_pymupdfs_builtin_ocr_give_the_same_text_dictionary(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command's TSV is turned into the dictionary PyMuPDF's own OCR gives (blocks, lines, spans with
    their characters, in page points); without the command the built-in OCR is used. Both read the page."""
    from inclusio.converters import pdf_ocr

    path = str(corpus_dir / "scan-fr.pdf")
    command = pdf_ocr.ocr_page_dict(path, 0)
    monkeypatch.setattr(pdf_ocr.shutil, "which", lambda name: None)
    builtin = pdf_ocr.ocr_page_dict(path, 0)
    assert command["width"] == builtin["width"] and command["height"] == builtin["height"]
    reference = normalise(_dict_text(builtin))
    assert "whisky au juge blond" in reference
    assert cer(_dict_text(command), _dict_text(builtin)) <= MAX_CER * 2
    words = [line for block in command["blocks"] for line in block["lines"]]
    for line in words:  # every box inside the page, every span at its line's height
        x0, y0, x1, y1 = line["bbox"]
        assert 0 <= x0 < x1 <= command["width"] and 0 <= y0 < y1 <= command["height"]
        assert all(abs(span["size"] - (y1 - y0)) < 0.01 for span in line["spans"])


def test_a_tesseract_command_without_the_language_says_ocr_is_unavailable(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inclusio.converters import pdf_ocr

    with pytest.raises(pdf_ocr.OcrUnavailable):
        pdf_ocr.ocr_page_dict(str(corpus_dir / "scan-fr.pdf"), 0, language="zzz")
