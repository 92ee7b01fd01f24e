"""Golden files: every document of ../shared/corpus and samples/ converted, compared with tests/golden/.

For each document ``NAME.EXT`` there are two files (see tests/golden/README.md):

* ``NAME.EXT.json``: the Document JSON, with each resource's bytes replaced by their sha256 and
  size (images would make the files large and unreadable in a diff), empty (null) fields left
  out and coordinates rounded to 0.1 pt (sub-pixel noise from a library update is not a
  structure change);
* ``NAME.EXT.txt``: a readable dump, one line per block: type, level, page, language, text.

A difference fails the test with the first differing lines of the dump. After a deliberate change,
regenerate with ``INCLUSIO_REGEN_GOLDEN=1 .venv/bin/pytest tests/converters/test_golden.py``, look at
``git diff tests/golden`` and commit it with the change. In CI (``CI=true``) regeneration is refused.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from made_pdf import MADE

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model import Document, ListBlock, ListItem, Table

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
SAMPLES = ROOT / "samples"
SLOW = {"manual-fr-265p.pdf", "scan-fr.pdf", "scan-2col-en.pdf", "slides-fr-web-course.pptx"}
"""Long (265 pages) or OCRed documents: marked slow."""
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".pptx", ".md", ".html", ".htm", ".odt", ".odp")
MADE_DIR = Path(tempfile.mkdtemp(prefix="inclusio-made-"))
"""Where the documents of ``tests/made_pdf.py`` (:data:`made_pdf.MADE`) are written, when first converted."""


def _documents() -> list[Path]:
    found = [
        p
        for folder in (CORPUS, SAMPLES)
        if folder.is_dir()
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in DOCUMENT_SUFFIXES and p.name.lower() != "readme.md"
    ]
    return found + [MADE_DIR / name for name in sorted(MADE)]


def regenerating() -> bool:
    """True when INCLUSIO_REGEN_GOLDEN asks for new golden files."""
    return os.environ.get("INCLUSIO_REGEN_GOLDEN", "").strip().lower() in ("1", "true", "yes")


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, dict):
        return {key: _round(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_round(item) for item in value]
    return value


def golden_json(doc: Document) -> str:
    """The Document JSON with resource bytes replaced by their sha256 and size, coordinates rounded."""
    data = doc.model_dump(mode="json", exclude_none=True)
    for key, resource in doc.resources.items():
        data["resources"][key] = {
            "media_type": resource.media_type,
            "bytes": len(resource.data),
            "sha256": hashlib.sha256(resource.data).hexdigest(),
        }
    return json.dumps(_round(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _items(items: list[ListItem], depth: int) -> list[str]:
    out: list[str] = []
    for item in items:
        out.append(f"{'  ' * depth}- {item.text}")
        if item.children is not None:
            out.extend(_items(item.children.items, depth + 1))
    return out


def golden_text(doc: Document) -> str:
    """One line per block: ``type level page lang | text`` (list items and table rows indented below)."""
    lines = [f"# {doc.source.filename}  lang={doc.lang}  title={doc.title!r}  blocks={len(doc.blocks)}"]
    for block in doc.blocks:
        level = getattr(block, "level", "") or getattr(block, "kind", "") or getattr(block, "role", "")
        page = block.source.page or block.source.slide if block.source else ""
        if block.type == "page":
            text = block.display
        elif block.type == "figure":
            text = (
                f"[{block.image}] {block.caption or ''} {('alt: ' + block.alt) if block.alt else ''}".rstrip()
            )
        elif block.type == "note":
            text = f"({block.label or ''}) {block.text}"
        elif isinstance(block, ListBlock | Table):
            text = ""
        else:
            text = block.plain_text().replace("\n", " / ")
        lines.append(f"{block.type:<9} {level!s:<8} p{page!s:<4} {block.lang or '':<3}| {text}".rstrip())
        if isinstance(block, ListBlock):
            lines.extend("    " + line for line in _items(block.items, 0))
        elif isinstance(block, Table):
            if block.caption:
                lines.append(f"    caption: {block.caption}")
            for row in block.rows:
                lines.append(
                    "    "
                    + " | ".join(
                        ("*" if c.header else "")
                        + c.text.replace("\n", " ")
                        + (f" <{c.row_span}x{c.col_span}>" if c.row_span > 1 or c.col_span > 1 else "")
                        for c in row
                    )
                )
    for issue in doc.issues:
        lines.append(f"issue {issue.code} p{issue.source.page if issue.source else ''}: {issue.message}")
    return "\n".join(lines) + "\n"


@cache
def converted(path: Path) -> Document:
    """One conversion per document per test session (a document of ``made_pdf`` is made first)."""
    if path.parent == MADE_DIR and not path.exists():
        MADE[path.name](path)
    return convert(path, ConvertContext(filename=path.name))


def _params() -> list[Any]:
    return [
        pytest.param(p, id=p.name, marks=[pytest.mark.slow] if p.name in SLOW else []) for p in _documents()
    ]


@pytest.mark.parametrize("path", _params())
def test_document_matches_its_golden_files(path: Path) -> None:
    doc = converted(path)
    expected = {path.name + ".json": golden_json(doc), path.name + ".txt": golden_text(doc)}
    if regenerating():
        assert os.environ.get("CI", "").lower() != "true", "INCLUSIO_REGEN_GOLDEN must not be set in CI"
        GOLDEN.mkdir(exist_ok=True)
        for name, content in expected.items():
            (GOLDEN / name).write_text(content, encoding="utf-8")
        return
    for name, content in expected.items():
        golden = GOLDEN / name
        assert golden.is_file(), (
            f"no golden file {golden}: run INCLUSIO_REGEN_GOLDEN=1 (see tests/golden/README.md)"
        )
        old = golden.read_text(encoding="utf-8")
        if old != content:
            diff = "\n".join(
                list(
                    difflib.unified_diff(
                        old.splitlines(), content.splitlines(), "golden", "now", lineterm="", n=1
                    )
                )[:40]
            )
            pytest.fail(
                f"{path.name} differs from {name} (regenerate on purpose, see tests/golden/README.md):\n{diff}"
            )


@pytest.mark.parametrize("path", _params())
def test_every_conversion_issue_speaks_from_the_catalogue(path: Path) -> None:
    """Each issue of the document (same conversion as above) has a catalogue code and its FR+EN text."""
    from issue_checks import assert_catalogue_issues

    assert_catalogue_issues(converted(path))


def test_every_golden_file_belongs_to_a_document() -> None:
    names = {p.name for p in _documents()}
    orphans = [g.name for g in GOLDEN.glob("*.json") if g.name.removesuffix(".json") not in names]
    orphans += [g.name for g in GOLDEN.glob("*.txt") if g.name.removesuffix(".txt") not in names]
    assert not orphans


def test_regeneration_is_off_in_ci() -> None:
    """CI must compare, never rewrite, the golden files."""
    if os.environ.get("CI", "").lower() == "true":
        assert not regenerating(), (
            "INCLUSIO_REGEN_GOLDEN is set in CI: golden files would be rewritten, not checked"
        )
    assert not (regenerating() and os.environ.get("CI", "").lower() == "true")


def test_golden_json_replaces_image_bytes_by_their_digest(samples_dir: Path) -> None:
    doc = converted(samples_dir / "cours-photosynthese-fr.pdf")
    data = json.loads(golden_json(doc))
    assert data["resources"]
    for key, resource in data["resources"].items():
        assert set(resource) == {"media_type", "bytes", "sha256"}
        assert resource["sha256"] == hashlib.sha256(doc.resources[key].data).hexdigest()
