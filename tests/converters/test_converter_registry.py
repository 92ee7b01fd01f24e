"""The registry picks converters by content and turns every bad input into a typed error."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert, detect
from inclusio.errors import InputCorrupt, InputEmpty, InputEncrypted, InputTooLarge, InputUnsupported


def ctx(path: Path) -> ConvertContext:
    return ConvertContext(filename=path.name)


@pytest.mark.parametrize(("name", "expected"), [
    ("fixture-word.docx", "docx"), ("fixture-slides-notes.pptx", "pptx"), ("table-census-en.pdf", "pdf"),
])
def test_corpus_files_are_detected_by_content(corpus_dir: Path, name: str, expected: str) -> None:
    assert detect(corpus_dir / name).name == expected


def test_empty_file_is_input_empty(tmp_path: Path) -> None:
    path = tmp_path / "cours.pdf"
    path.write_bytes(b"")
    with pytest.raises(InputEmpty) as err:
        convert(path, ctx(path))
    assert err.value.code == "input.empty"


def test_truncated_pdf_is_input_corrupt(tmp_path: Path, corpus_dir: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes((corpus_dir / "paper-2col-math-en.pdf").read_bytes()[:2048])
    with pytest.raises(InputCorrupt) as err:
        convert(path, ctx(path))
    assert err.value.code == "input.corrupt"


def _encrypted(corpus_dir: Path, out: Path, user_pw: str) -> Path:
    import pymupdf

    with pymupdf.open(corpus_dir / "math-fr-2col.pdf") as doc:
        doc.save(out, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_pw, owner_pw="y")
    return out


def test_pdf_with_user_password_is_input_encrypted(tmp_path: Path, corpus_dir: Path) -> None:
    path = _encrypted(corpus_dir, tmp_path / "secret.pdf", "x")
    with pytest.raises(InputEncrypted) as err:
        convert(path, ctx(path))
    assert err.value.code == "input.encrypted"


def test_pdf_encrypted_with_empty_password_converts_with_an_issue(tmp_path: Path, corpus_dir: Path) -> None:
    path = _encrypted(corpus_dir, tmp_path / "open.pdf", "")
    doc = convert(path, ctx(path))
    assert len(doc.page_markers()) == 4
    assert any(h.text.startswith("Première section") or "Première section" in h.text for h in doc.headings())
    assert "input.encrypted_empty_password" in {issue.code for issue in doc.issues}


def test_text_renamed_pdf_is_unsupported_and_names_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("Ceci est un simple fichier texte, pas un PDF.\n", encoding="utf-8")
    with pytest.raises(InputUnsupported) as err:
        convert(path, ctx(path))
    assert err.value.code == "input.unsupported"
    for name in ("PDF", "PPTX", "DOCX"):
        assert name in err.value.message and name in err.value.message_fr


def test_random_bytes_are_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "blob.docx"
    path.write_bytes(os.urandom(64 * 1024).replace(b"PK", b"pk").replace(b"%PDF-", b"xxxxx"))
    with pytest.raises(InputUnsupported):
        convert(path, ctx(path))


def test_docx_renamed_pptx_is_converted_as_docx(tmp_path: Path, corpus_dir: Path) -> None:
    path = tmp_path / "deck.pptx"
    shutil.copy(corpus_dir / "fixture-word.docx", path)
    doc = convert(path, ctx(path))
    assert doc.source.media_type.endswith("wordprocessingml.document")
    assert [h.text for h in doc.headings()] == ["Let’s swim!", "Let’s eat"]


def test_docx_renamed_pdf_is_converted_as_docx(tmp_path: Path, corpus_dir: Path) -> None:
    path = tmp_path / "mislabelled.pdf"
    shutil.copy(corpus_dir / "fixture-word.docx", path)
    assert detect(path).name == "docx"


def test_truncated_zip_is_input_corrupt(tmp_path: Path, corpus_dir: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes((corpus_dir / "fixture-word.docx").read_bytes()[:20_000])
    with pytest.raises(InputCorrupt):
        convert(path, ctx(path))


def test_zip_bomb_docx_is_too_large(tmp_path: Path, corpus_dir: Path) -> None:
    path = tmp_path / "bomb.docx"
    shutil.copy(corpus_dir / "fixture-word.docx", path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/media/huge.bin", "w", force_zip64=True) as member:
        chunk = bytes(1024 * 1024)
        for _ in range(300):  # 300 MB of zeros, ~300 KB compressed
            member.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(InputTooLarge) as err:
        convert(path, ctx(path))
    assert err.value.code == "input.too_large"


def test_zip_that_is_neither_pptx_nor_docx_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputUnsupported):
        convert(path, ctx(path))


def test_too_many_pages_is_too_large(corpus_dir: Path) -> None:
    path = corpus_dir / "paper-2col-math-en.pdf"
    with pytest.raises(InputTooLarge):
        convert(path, ConvertContext(filename=path.name, max_pages=3))
    with pytest.raises(InputTooLarge):
        convert(corpus_dir / "slides-fr-web-course.pptx", ConvertContext(filename="s.pptx", max_pages=10))
