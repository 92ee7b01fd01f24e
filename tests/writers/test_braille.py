"""Braille (BRF) with real liblouis: 40 cells x 25 lines, headings and page numbers where readers expect them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docfactory import PAGE_COUNT, MakeContext, sample_document

from inclusio.errors import ToolMissing
from inclusio.model import Document, Heading, Paragraph, SourceInfo
from inclusio.profiles import Profile
from inclusio.writers.braille import CELLS, LINES, BrailleWriter, braille_number, translate, wrap


def pages_of(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("ascii")
    pages = text.split("\f")
    return [page.split("\r\n")[:-1] for page in pages]


def write(tmp: Path, profile: Profile, make_ctx: MakeContext, doc: Document) -> Path:
    [artifact] = BrailleWriter().write(doc, make_ctx(tmp, profile, doc))
    assert artifact.name == "brf" and artifact.path == tmp / "cours.brf"
    return artifact.path


@pytest.fixture(scope="module")
def long_doc() -> Document:
    sentence = (
        "La photosynthèse transforme la lumière en énergie chimique dans les chloroplastes des feuilles."
    )
    blocks = []
    for chapter in range(1, 4):
        blocks.append(Heading(id=f"h{chapter}", level=1, text=f"Chapitre {chapter} : la plante"))
        for section in range(1, 3):
            blocks.append(Heading(id=f"h{chapter}-{section}", level=2, text=f"Partie {section}"))
            blocks += [
                Paragraph(id=f"p{chapter}-{section}-{i}", text=" ".join([sentence] * 3)) for i in range(4)
            ]
    return Document(
        title="Plantes",
        lang="fr",
        blocks=blocks,
        source=SourceInfo(filename="plantes.pdf", media_type="application/pdf", sha256="0" * 64),
    )


def test_every_page_is_25_lines_of_at_most_40_cells(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext, long_doc: Document
) -> None:
    pages = pages_of(write(tmp_path, profiles["blind"], make_ctx, long_doc))
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert len(page) == LINES
        assert all(len(line) <= CELLS for line in page)
        # the braille page number, right-aligned on line 25
        assert page[-1] == translate([str(number)], "fr")[0].rjust(CELLS)
    # no trailing blanks anywhere: embossers and notetakers count them as cells
    assert all(line == line.rstrip() for page in pages for line in page)


def test_headings_are_centred_or_in_cell_5_and_never_alone_at_the_bottom(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext, long_doc: Document
) -> None:
    pages = pages_of(write(tmp_path, profiles["blind"], make_ctx, long_doc))
    chapter = translate(["Chapitre 1 : la plante"], "fr")[0]
    part = translate(["Partie 1"], "fr")[0]
    lines = [line for page in pages for line in page]
    [centred] = [line for line in lines if line.strip() == chapter]
    left = len(centred) - len(centred.lstrip())
    assert abs(left - (CELLS - len(chapter)) // 2) <= 1
    assert any(line == "    " + part for line in lines)  # level 2 starts in cell 5
    for page in pages:
        text = [line for line in page[:-1] if line.strip()]
        assert text[-1].strip() not in (chapter, part)


def test_paragraphs_start_in_cell_3_and_run_over_to_cell_1() -> None:
    lines = wrap(" ".join(["ABCDEFG"] * 20), 2, 0)
    assert lines[0].startswith("  ABCDEFG") and lines[1].startswith("ABCDEFG")
    assert all(len(line) <= CELLS for line in lines)
    assert wrap("X" * 90, 2, 0) == ["  " + "X" * 38, "X" * 40, "X" * 12]


def test_print_pages_are_marked_and_the_text_translates_back(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    doc = sample_document()
    pages = pages_of(write(tmp_path, profiles["blind"], make_ctx, doc))
    lines = [line for page in pages for line in page]
    changes = [line for line in lines if line.startswith("-----")]
    assert len(changes) == PAGE_COUNT - 1 or len(changes) == PAGE_COUNT  # page 1 may open a braille page
    assert changes[-1].endswith(" III") and changes[0].endswith(" ,*")  # page 1 in French braille
    # French literary braille back-translates to the French text (liblouis, the other way)
    brf = "\n".join(line.strip() for line in lines if "CELLULE" in line)
    back = (
        subprocess.run(
            ["lou_translate", "--backward", "en-us-brf.dis,fr-bfu-comp6.utb"],
            input=brf.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .lower()
    )
    assert "la cellule" in back and "unité" in back


def test_english_blocks_use_the_english_table() -> None:
    # UEB grade 2: "the" and "and" are one cell each; the French table spells them out
    assert translate(["the cell and the nucleus"], "en") == ["! CELL & ! NUCLEUS"]
    assert translate(["the cell"], "fr")[0].strip().startswith("THE")


def test_missing_liblouis_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ToolMissing) as info:
        translate(["x"], "fr")
    assert info.value.details["debian_packages"] == ["liblouis-bin", "liblouis-data"]


def test_north_american_numbers_for_other_languages() -> None:
    assert braille_number("12") == "#AB" and braille_number("iii") == "III"
