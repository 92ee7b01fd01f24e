"""DAISY Ace (with Debian's Chromium) and EPUBCheck on every book: the accessibility gate and the claim.

Every sample and every corpus document (one profile each, rotating) is converted, written as an
EPUB and checked by EPUBCheck 5.3.0 and Ace 1.4.6 at the same time (two processes): 0 errors and
0 violations. The two image-only scans go through the converter's OCR; their ``.oracle.pdf`` twins
(the same pages with a text layer) are checked too. The 265-page manual is a size check, not a different
kind of book: bench/book_checks.py runs both checks on it and prints their times.
"""

from __future__ import annotations

import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docfactory import MakeContext, sample_document
from lxml import etree

from inclusio.config import Settings
from inclusio.errors import ToolMissing
from inclusio.model import Document, adapted_document
from inclusio.profiles import Profile
from inclusio.validate.ace import (
    CONFORMS_TO,
    add_conformance_claim,
    check_and_claim,
    check_epub_ace,
    parse_report,
)
from inclusio.validate.epubcheck import check_epub
from inclusio.writers.epub3 import OPF_PATH, Epub3Writer, rewrite_package

NS = {"opf": "http://www.idpf.org/2007/opf"}

GATE = [  # (where, file, profile, read-along): a book with read-along (speech synthesised for the media
    # overlays; Ace takes twice as long on it) from a PDF sample and from a corpus deck with notes; the
    # media overlays themselves are checked by tests/writers/test_media_overlay.py and
    # tests/pipeline/test_speech_once.py.
    ("samples", "cours-photosynthese-fr.pdf", "easy-read", True),
    ("samples", "diaporama-cellule-fr.pptx", "dyslexia", False),
    ("samples", "handout-water-cycle-en.docx", "low-vision", False),
    ("corpus", "fixture-slides-notes.pptx", "blind", True),
    ("corpus", "fixture-word.docx", "easy-read", False),
    ("corpus", "math-fr-2col.pdf", "dyslexia", False),
    ("corpus", "paper-2col-math-en.pdf", "low-vision", False),
    ("corpus", "table-census-en.pdf", "blind", False),
    ("corpus", "scan-fr.pdf", "easy-read", False),
    ("corpus", "scan-fr.oracle.pdf", "blind", False),
    ("corpus", "scan-2col-en.pdf", "dyslexia", False),
    ("corpus", "scan-2col-en.oracle.pdf", "low-vision", False),
    ("corpus", "slides-fr-web-course.pptx", "low-vision", False),
]  # manual-fr-265p.pdf: bench/book_checks.py


def _metas(path: Path, prop: str) -> list[str]:
    with zipfile.ZipFile(path) as book:
        opf = etree.fromstring(book.read(OPF_PATH))
    return [m.text for m in opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]


def _build(tmp: Path, profile: Profile, make_ctx: MakeContext, source: Document) -> Path:
    [artifact] = Epub3Writer().write(
        adapted_document(source, profile.adaptation_kinds), make_ctx(tmp, profile, source)
    )
    return artifact.path


def _gate(path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        epubcheck = pool.submit(check_epub, path)
        ace = pool.submit(check_epub_ace, path)
        format_result, ace_result = epubcheck.result(), ace.result()
    assert format_result.valid, [m for m in format_result.messages if m.get("severity") in ("ERROR", "FATAL")]
    assert ace_result.passed, ace_result.violations


# -- the report and the claim, without running anything ------------------------------------------


def test_the_report_is_read_into_violations_with_their_impact() -> None:
    report = {
        "earl:result": {"earl:outcome": "fail"},
        "a11y-metadata": {"missing": ["dcterms:conformsTo"], "empty": [], "present": []},
        "assertions": [
            {
                "earl:testSubject": {"url": "part-001.xhtml"},
                "assertions": [
                    {
                        "earl:test": {"dct:title": "image-alt", "earl:impact": "critical"},
                        "earl:result": {
                            "earl:outcome": "fail",
                            "dct:description": "Images must have alt text",
                            "earl:pointer": {"css": ["img"]},
                        },
                    },
                    {
                        "earl:test": {"dct:title": "heading-order", "earl:impact": "moderate"},
                        "earl:result": {"earl:outcome": "pass"},
                    },
                ],
            },
            {
                "earl:testSubject": {"url": "EPUB/content.opf"},
                "assertions": [
                    {
                        "earl:test": {"dct:title": "epub-lang", "earl:impact": "serious"},
                        "earl:result": {"earl:outcome": "fail", "dct:description": "Missing xml:lang"},
                    }
                ],
            },
        ],
    }
    result = parse_report(report)
    assert not result.passed and result.missing_metadata == ["dcterms:conformsTo"]
    assert [(v["rule"], v["impact"], v["file"], v["pointer"]) for v in result.violations] == [
        ("image-alt", "critical", "part-001.xhtml", "img"),
        ("epub-lang", "serious", "EPUB/content.opf", ""),
    ]
    assert result.by_impact() == {"critical": 1, "serious": 1}
    assert parse_report({"earl:result": {"earl:outcome": "pass"}}).passed


def test_without_chromium_ace_names_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "b.epub"
    book.write_bytes(b"PK")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ToolMissing) as info:
        check_epub_ace(book)
    assert info.value.code == "system.tool_missing" and "chromium" in info.value.message.lower()


def test_the_claim_is_added_once_and_rewrites_the_summary(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    profile = profiles["blind"].model_copy(update={"outputs": ["epub"]})
    path = _build(tmp_path, profile, make_ctx, sample_document())
    assert _metas(path, "dcterms:conformsTo") == []
    add_conformance_claim(path, "  Université de Test  ")
    add_conformance_claim(path, "Université de Test")
    assert _metas(path, "dcterms:conformsTo") == [CONFORMS_TO]
    assert _metas(path, "a11y:certifiedBy") == ["Université de Test"]
    [summary] = _metas(path, "schema:accessibilitySummary")
    assert "Conformité WCAG 2.1 AA déclarée par Université de Test" in summary
    assert "Aucune évaluation" not in summary
    with zipfile.ZipFile(path) as book:
        assert (
            book.infolist()[0].filename == "mimetype"
            and book.infolist()[0].compress_type == zipfile.ZIP_STORED
        )


# -- real runs --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ace_finds_a_missing_alt_text(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate can fail: an image whose alt attribute is removed is an Ace violation.

    The book is given by a relative path, as `inclusio convert --out out/` gives it (Ace runs in a
    temporary folder: the path must still reach the book)."""
    profile = profiles["blind"].model_copy(update={"outputs": ["epub"]})
    path = _build(tmp_path, profile, make_ctx, sample_document())
    rewrite_package(path, {"EPUB/part-002.xhtml": lambda data: data.replace(b' alt="Sch', b' data-x="Sch')})
    monkeypatch.chdir(path.parent.parent)
    result = check_epub_ace(Path(path.parent.name) / path.name)
    assert not result.passed
    assert "image-alt" in {v["rule"] for v in result.violations}


@pytest.mark.slow
def test_check_and_claim_claims_only_with_an_organisation(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    # One book (EPUB only: the read-along has nothing to do with the claim), left as it was when no claim
    # is made, then claimed.
    profile = profiles["dyslexia"].model_copy(update={"outputs": ["epub"]})
    claimed = _build(tmp_path, profile, make_ctx, sample_document())
    before = claimed.read_bytes()
    entry = check_and_claim(claimed, Settings(organisation=None), epubcheck_valid=True)
    assert entry["outcome"] == "pass" and entry["violations"] == 0 and entry["claim"] is False
    assert _metas(claimed, "dcterms:conformsTo") == [] and claimed.read_bytes() == before

    entry = check_and_claim(claimed, Settings(organisation="Université de Test"), epubcheck_valid=False)
    assert entry["claim"] is False  # EPUBCheck did not pass: no claim, whoever asks
    assert _metas(claimed, "dcterms:conformsTo") == [] and claimed.read_bytes() == before
    entry = check_and_claim(claimed, Settings(organisation="Université de Test"), epubcheck_valid=True)
    assert entry["claim"] is True and entry["certified_by"] == "Université de Test"
    assert _metas(claimed, "a11y:certifiedBy") == ["Université de Test"]
    _gate(claimed)  # the claimed book still passes both, and Ace now finds the claim metadata


@pytest.mark.slow
@pytest.mark.parametrize(("where", "name", "profile_id", "read_along"), GATE, ids=[g[1] for g in GATE])
def test_every_sample_and_corpus_book_passes_epubcheck_and_ace(
    where: str,
    name: str,
    profile_id: str,
    read_along: bool,
    corpus_dir: Path,
    samples_dir: Path,
    tmp_path: Path,
    profiles: dict[str, Profile],
    make_ctx: MakeContext,
) -> None:
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert

    path = (samples_dir if where == "samples" else corpus_dir) / name
    source = convert(path, ConvertContext(filename=path.name))
    profile = profiles[profile_id]
    if not read_along:
        profile = profile.model_copy(update={"outputs": ["epub"]})
    _gate(_build(tmp_path, profile, make_ctx, source))
