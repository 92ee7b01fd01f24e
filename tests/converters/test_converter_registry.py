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
from inclusio.model import Document


def ctx(path: Path) -> ConvertContext:
    return ConvertContext(filename=path.name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fixture-word.docx", "docx"),
        ("fixture-slides-notes.pptx", "pptx"),
        ("table-census-en.pdf", "pdf"),
    ],
)
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
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/huge.bin", "w", force_zip64=True) as member,
    ):
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


class _EpubConverter:
    """A fake extra format, registered only inside a test: one class plus one registry line."""

    name = "epub"
    media_types = ("application/epub+zip",)
    suffixes = (".epub",)
    label = "EPUB"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK") and b"application/epub+zip" in head[:100]

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        raise AssertionError("not called")


def test_every_format_of_the_registry_is_offered_to_pages_batch_and_messages() -> None:
    from inclusio.converters import registry

    assert registry.accepted_suffixes() == (
        ".pdf",
        ".pptx",
        ".docx",
        ".odt",
        ".odp",
        ".html",
        ".htm",
        ".md",
        ".markdown",
        ".mdown",
        ".mkd",
    )
    accept = registry.accept_attribute().split(",")
    assert (
        accept[:3] == [".pdf", ".pptx", ".docx"] and "application/pdf" in accept and "text/markdown" in accept
    )
    assert registry.formats_label("fr") == "PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown"
    assert registry.formats_label("en") == "PDF, PPTX, DOCX, ODT, ODP, HTML or Markdown"


def test_a_format_added_by_one_registry_line_is_accepted_everywhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from inclusio.cli_admin import batch_documents
    from inclusio.converters import registry

    monkeypatch.setattr(registry, "CONVERTERS", (*registry.CONVERTERS, _EpubConverter()))
    assert registry.accepted_formats()[-1] == "epub"
    assert ".epub" in registry.accepted_suffixes()
    assert ".epub" in registry.accept_attribute().split(",")
    assert "application/epub+zip" in registry.accept_attribute().split(",")
    assert registry.formats_label("en").endswith("Markdown or EPUB")
    (tmp_path / "livre.epub").write_bytes(b"PK\x03\x04mimetypeapplication/epub+zip")
    (tmp_path / "tableur.xlsx").write_bytes(b"PK\x03\x04")
    assert batch_documents(tmp_path) == ([tmp_path / "livre.epub"], [tmp_path / "tableur.xlsx"])
    # The refusal of an unknown file names the new format too, in both languages.
    path = tmp_path / "notes.txt"
    path.write_text("Du texte, rien de plus.\n", encoding="utf-8")
    with pytest.raises(InputUnsupported) as err:
        detect(path)
    assert "EPUB" in err.value.message and "EPUB" in err.value.message_fr
    assert err.value.details["accepted"][-1] == "epub"


def test_the_upload_pages_offer_the_registry_formats_in_the_pages_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import re

    from fastapi.testclient import TestClient

    from inclusio.config import Settings
    from inclusio.converters import registry
    from inclusio.server import create_app
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore
    from inclusio.web.session import LANG_COOKIE

    monkeypatch.setattr(registry, "CONVERTERS", (*registry.CONVERTERS, _EpubConverter()))
    settings = Settings(data_dir=tmp_path / "data")
    client = TestClient(create_app(settings, enqueue=lambda _kind, _job: None))
    store = JobStore.from_settings(settings)
    UserStore(store.engine).create_user(
        "prof-formats", role="teacher", institution="default", password="mot-de-passe-1"
    )
    store.dispose()
    sign_in = client.get("/web/sign-in").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', sign_in)
    assert csrf, sign_in[:300]
    signed = client.post(
        "/web/sign-in",
        data={"username": "prof-formats", "password": "mot-de-passe-1", "csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text[:300]
    page = client.get("/web/teacher").text
    accepts = re.findall(
        r'<input type="file" id="(?:file|share-file)" name="file"[^>]*accept="([^"]+)"', page
    )
    assert len(accepts) == 2 and all(value == registry.accept_attribute() for value in accepts), accepts
    assert ".epub" in accepts[0].split(",") and ".odt" in accepts[0].split(",")
    assert "Document (PDF, PPTX, DOCX, ODT, ODP, HTML, Markdown ou EPUB)" in page
    client.cookies.set(LANG_COOKIE, "en")
    english = client.get("/web/teacher").text
    assert "Document (PDF, PPTX, DOCX, ODT, ODP, HTML, Markdown or EPUB)" in english
