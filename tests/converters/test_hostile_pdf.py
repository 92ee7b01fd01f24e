"""Hostile PDFs whose object graph loops: each converts or fails with a code, never hangs, never
``internal.error`` (issue #19, point 5). The files are written object by object (tests/hostile_pdf.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hostile_pdf
import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.errors import InclusioError, InputCorrupt
from inclusio.model import Paragraph
from inclusio.pymupdf_setup import is_document_error, load

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, make: Callable[[], bytes]) -> Path:
    path = tmp_path / f"{make.__name__}.pdf"
    path.write_bytes(make())
    return path


def _text(doc) -> str:  # type: ignore[no-untyped-def]
    return " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "make",
    [hostile_pdf.kids_back_to_ancestor_first, hostile_pdf.kids_loop_with_huge_count, hostile_pdf.parent_loop],
)
def test_a_page_tree_with_no_readable_page_is_input_corrupt(
    tmp_path: Path, make: Callable[[], bytes]
) -> None:
    path = _write(tmp_path, make)
    with pytest.raises(InputCorrupt) as err:
        convert(path, ConvertContext(filename=path.name))
    assert err.value.code == "input.corrupt" and err.value.exit_code == 3
    assert "cycle" in err.value.details["reason"] or "Invalid number of pages" in err.value.details["reason"]


@pytest.mark.timeout(60)
def test_a_kids_loop_after_a_real_page_keeps_the_page_and_reports_the_rest(tmp_path: Path) -> None:
    path = _write(tmp_path, hostile_pdf.kids_back_to_ancestor)
    doc = convert(path, ConvertContext(filename=path.name))
    assert "photosynthèse" in _text(doc)
    issues = [issue for issue in doc.issues if issue.code == "pdf.page_unreadable"]
    assert [issue.source.page for issue in issues if issue.source] == [2]
    # The unreadable page keeps its place: its page marker, which the issue points at.
    marker = next(b for b in doc.blocks if b.id == issues[0].block_id)
    assert marker.type == "page" and marker.number == 2


@pytest.mark.timeout(60)
@pytest.mark.parametrize("make", [hostile_pdf.outline_child_loop, hostile_pdf.outline_prev_next_loop])
def test_looping_bookmarks_convert_without_them(tmp_path: Path, make: Callable[[], bytes]) -> None:
    path = _write(tmp_path, make)
    doc = convert(path, ConvertContext(filename=path.name))
    assert "photosynthèse" in _text(doc)
    pymupdf = load()
    with pymupdf.open(path) as pdf:
        assert pdf.get_toc() == []  # MuPDF stops at the loop and gives no bookmark
    with pymupdf.open(_write(tmp_path, hostile_pdf.outline_sound)) as pdf:
        assert [title for _, title, _ in pdf.get_toc()] == ["Un", "Deux"]  # the same bookmarks, no loop


def test_only_mupdf_document_errors_count_as_corrupt() -> None:
    pymupdf = load()
    assert is_document_error(RuntimeError("code=7: cycle in page tree"))
    assert is_document_error(pymupdf.mupdf.FzErrorFormat("cycle in page tree"))
    assert is_document_error(pymupdf.FileDataError("Failed to open stream"))
    assert not is_document_error(RuntimeError("code=2: out of memory"))  # the machine's, not the file's
    assert not is_document_error(pymupdf.mupdf.FzErrorSystem("cannot write"))
    assert not is_document_error(KeyError("size"))  # our own bug stays internal.error
    assert not is_document_error(OSError(28, "No space left on device"))


@pytest.mark.timeout(120)
def test_cli_exits_3_with_input_corrupt_on_a_looping_page_tree(tmp_path: Path) -> None:
    path = _write(tmp_path, hostile_pdf.kids_loop_with_huge_count)
    env = {**os.environ, "INCLUSIO_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "160"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "inclusio.cli",
            "convert",
            str(path),
            "--profile",
            "blind",
            "--out",
            str(tmp_path / "out"),
            "--to",
            "json,report",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=110,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 3, run.stderr
    assert "input.corrupt" in run.stderr and "internal.error" not in run.stderr + run.stdout


def test_every_hostile_pdf_gives_a_document_or_a_coded_input_error(tmp_path: Path) -> None:
    """The whole set at once: nothing escapes as another exception."""
    makers = [
        hostile_pdf.kids_back_to_ancestor,
        hostile_pdf.kids_back_to_ancestor_first,
        hostile_pdf.kids_loop_with_huge_count,
        hostile_pdf.parent_loop,
        hostile_pdf.outline_child_loop,
        hostile_pdf.outline_prev_next_loop,
    ]
    outcomes = {}
    for make in makers:
        path = _write(tmp_path, make)
        try:
            outcomes[make.__name__] = bool(convert(path, ConvertContext(filename=path.name)).blocks)
        except InclusioError as exc:
            outcomes[make.__name__] = exc.code
    assert outcomes == {
        "kids_back_to_ancestor": True,
        "kids_back_to_ancestor_first": "input.corrupt",
        "kids_loop_with_huge_count": "input.corrupt",
        "parent_loop": "input.corrupt",
        "outline_child_loop": True,
        "outline_prev_next_loop": True,
    }
