"""EPUBCheck and DAISY Ace on a long book (default: the 265-page corpus manual): seconds and results.

The accessibility gate of tests/writers/test_ace.py keeps the samples and the other corpus documents; the
265-page manual is a size check (it took 90-140 s of the suite's time), so it is measured here. Steps, as
the test did them: convert (tables off by default: the converter's slowest part, measured by
bench/extract.py), write the EPUB for the profile (EPUB only: bench/audio.py measures the read-along),
then EPUBCheck and Ace at the same time (two processes, as the test's gate), then each alone.

    .venv/bin/python bench/book_checks.py [--file PATH] [--profile blind] [--tables] [--no-alone]

Prints seconds per step, the book's size and documents, EPUBCheck's errors and Ace's violations; exits 1
when the book fails either check.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "manual-fr-265p.pdf"


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    started, cpu = time.perf_counter(), os.times()
    result = fn()
    after = os.times()
    spent = (after.user + after.system + after.children_user + after.children_system) - (
        cpu.user + cpu.system + cpu.children_user + cpu.children_system
    )
    print(
        f"{label:<34} {time.perf_counter() - started:8.1f} s wall {spent:8.1f} s CPU (this process + waited children)"
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--profile", default="blind")
    parser.add_argument("--tables", action="store_true", help="read the PDF's tables (off by default)")
    parser.add_argument("--no-alone", action="store_true", help="skip the runs of each check alone")
    args = parser.parse_args()

    from inclusio.config import Settings
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.model import adapted_document
    from inclusio.profiles import load_profile
    from inclusio.validate.ace import check_epub_ace, violation_summary
    from inclusio.validate.epubcheck import check_epub
    from inclusio.writers.base import RenderContext
    from inclusio.writers.epub3 import Epub3Writer

    settings = Settings()
    profile = load_profile(args.profile, settings.profiles_dir).model_copy(update={"outputs": ["epub"]})
    print(f"file: {args.file.name}  profile: {profile.id}  tables: {'on' if args.tables else 'off'}")
    source = _timed(
        "convert", lambda: convert(args.file, ConvertContext(filename=args.file.name, pdf_tables=args.tables))
    )
    with tempfile.TemporaryDirectory(prefix="book-checks-") as tmp:
        context = RenderContext(
            out_dir=Path(tmp), basename="book", profile=profile, settings=settings, source=source
        )
        [artifact] = _timed(
            "write the EPUB",
            lambda: Epub3Writer().write(adapted_document(source, profile.adaptation_kinds), context),
        )
        book = artifact.path
        with zipfile.ZipFile(book) as archive:
            documents = [n for n in archive.namelist() if n.endswith(".xhtml")]
        print(
            f"book: {book.stat().st_size / 1024:.0f} KiB, {len(documents)} XHTML documents, "
            f"{len(source.page_markers())} pages"
        )

        def both():  # type: ignore[no-untyped-def]
            with ThreadPoolExecutor(max_workers=2) as pool:
                epubcheck, ace = pool.submit(check_epub, book), pool.submit(check_epub_ace, book)
                return epubcheck.result(), ace.result()

        format_result, ace_result = _timed("EPUBCheck and Ace together", both)
        if not args.no_alone:
            _timed("EPUBCheck alone", lambda: check_epub(book))
            _timed("Ace alone", lambda: check_epub_ace(book))
    print(
        f"EPUBCheck: {format_result.errors} error(s), {format_result.fatals} fatal, "
        f"{format_result.warnings} warning(s)"
    )
    print(f"Ace: {ace_result.outcome}, {violation_summary(ace_result)}")
    return 0 if format_result.valid and ace_result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
