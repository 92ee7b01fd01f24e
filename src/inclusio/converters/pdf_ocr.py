"""OCR of PDF pages without a text layer: Tesseract through PyMuPDF, pages spread over processes.

* Only pages that have no text layer are recognised; a page that already carries text (an OCR
  layer made by a scanner or OCRmyPDF, invisible text in render mode 3 included) is read as it
  is and never recognised again: the caller decides which pages need OCR.
* ``page.get_textpage_ocr(language="fra+eng", dpi=300, full=True)`` renders the page and runs
  Tesseract on it. The text page holds only a weak reference to its page, so the page object
  is kept in a local variable for as long as the text page is used (PITFALLS §2).
* Pages are recognised in parallel by a bounded pool of processes (at most :func:`ocr_workers`,
  at most twice as many pages in flight as workers, so a long scan never queues thousands of
  results). Each worker opens the file itself (a PyMuPDF document cannot cross processes) and
  sends back the page's text dictionary without images. Workers are started with ``spawn``
  (no fork of a threaded server process) and run Tesseract single-threaded
  (``OMP_THREAD_LIMIT=1``): one page per core is faster than several cores on one page.
* Where processes cannot be started (inside a daemonic worker process, or with one core) the
  pages are recognised one after the other in this process: same results, slower.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

OCR_LANGUAGE = "fra+eng"
OCR_DPI = 300


class OcrUnavailable(RuntimeError):
    """Tesseract or its language data is missing (PyMuPDF raises a plain RuntimeError)."""


def ocr_workers(pages: int) -> int:
    """How many processes to use for ``pages`` pages: one per available core, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4, pages))


def ocr_page_dict(path: str, pno: int, language: str = OCR_LANGUAGE, dpi: int = OCR_DPI) -> dict[str, Any]:
    """The text dictionary (``get_text("dict")``, images left out) of page ``pno`` recognised by Tesseract."""
    import pymupdf

    pymupdf._get_layout = None  # the layout model stays off in workers too (see pdf.py)
    with pymupdf.open(path, filetype="pdf") as doc:
        if doc.needs_pass:
            doc.authenticate("")
        page = doc.load_page(pno)  # kept alive while the text page is used: it holds a weak reference
        try:
            textpage = page.get_textpage_ocr(language=language, dpi=dpi, full=True)
        except RuntimeError as exc:
            raise OcrUnavailable(str(exc)) from exc
        flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
        return split_wide_lines(page.get_text("dict", textpage=textpage, flags=flags))


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def ocr_pages(path: Path, pages: list[int], *, workers: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    """Recognise ``pages`` of ``path``; yields ``(page number, text dict or the exception)`` in page order.

    A page that fails yields its exception (the caller reports it and goes on). ``progress``
    is called with (pages done, pages total) after each page.
    """
    workers = ocr_workers(len(pages)) if workers is None else max(1, workers)
    total = len(pages)
    if workers == 1 or total == 1:
        yield from _sequential(path, pages, progress)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    try:
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_worker)
    except (OSError, AssertionError, ValueError):  # daemonic process, no semaphores...
        yield from _sequential(path, pages, progress)
        return
    with executor:
        pending: dict[int, Future[dict[str, Any]]] = {}
        queue = list(pages)
        for done, pno in enumerate(pages, start=1):
            while queue and len(pending) < 2 * workers:
                nxt = queue.pop(0)
                try:
                    pending[nxt] = executor.submit(ocr_page_dict, str(path), nxt)
                except Exception:  # pool broken (a worker killed): finish in this process
                    queue.insert(0, nxt)
                    break
            future = pending.pop(pno, None)
            try:
                result: dict[str, Any] | Exception = (future.result() if future is not None
                                                      else ocr_page_dict(str(path), pno))
            except Exception as exc:  # one page failed (or its worker died): reported, the rest goes on
                result = exc
            if progress is not None:
                progress(done, total)
            yield pno, result


def _sequential(path: Path, pages: list[int],
                progress: Callable[[int, int], None] | None) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    for done, pno in enumerate(pages, start=1):
        try:
            result: dict[str, Any] | Exception = ocr_page_dict(str(path), pno)
        except Exception as exc:
            result = exc
        if progress is not None:
            progress(done, len(pages))
        yield pno, result


_NOISE = frozenset("_|~`'‘’.,-—–:;")


def split_wide_lines(page_dict: dict[str, Any]) -> dict[str, Any]:
    """Cut OCR lines at wide horizontal gaps (a gutter), in place; returns ``page_dict``.

    MuPDF builds OCR lines from word positions, so words on the same baseline in two columns
    become one line, with space glyphs (and specks read as ``_``) bridging the gutter. A line
    is cut where the white space between two words is at least 0.8 of its height; lone
    punctuation specks are dropped.
    """
    for block in page_dict.get("blocks", ()):
        if block.get("type") != 0:
            continue
        new_lines: list[dict[str, Any]] = []
        for line in block.get("lines", ()):
            height = max(1.0, line["bbox"][3] - line["bbox"][1])
            pieces: list[list[dict[str, Any]]] = [[]]
            last_end: float | None = None
            for span in line.get("spans", ()):
                text = span.get("text", "")
                word = text.strip()
                if not word:
                    continue
                if len(word) <= 2 and all(ch in _NOISE for ch in word):
                    continue
                x0, x1 = span["bbox"][0], span["bbox"][2]
                lead = len(text) - len(text.lstrip())
                start = x0 + (x1 - x0) * lead / max(1, len(text))  # where the ink begins
                if last_end is not None and start - last_end >= 0.8 * height and pieces[-1]:
                    pieces.append([])
                    span = dict(span, text=text.lstrip())
                pieces[-1].append(span)
                last_end = x1
            for spans in pieces:
                if spans:
                    new_lines.append(dict(line, spans=spans, bbox=(
                        min(s["bbox"][0] for s in spans), line["bbox"][1],
                        max(s["bbox"][2] for s in spans), line["bbox"][3])))
        block["lines"] = new_lines
    return page_dict
