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
    """The text dictionary (``dict`` form, images left out) of page ``pno`` recognised by Tesseract,
    lines cut at gutters (:func:`split_wide_lines`)."""
    from inclusio.pymupdf_setup import load

    pymupdf = load()  # no layout model nor pymupdf4llm in the OCR processes either (see pdf.py)
    with pymupdf.open(path, filetype="pdf") as doc:
        if doc.needs_pass:
            doc.authenticate("")
        page = doc.load_page(pno)  # kept alive while the text page is used: it holds a weak reference
        try:
            textpage = page.get_textpage_ocr(language=language, dpi=dpi, full=True)
        except RuntimeError as exc:
            raise OcrUnavailable(str(exc)) from exc
        flags = pymupdf.TEXTFLAGS_RAWDICT & ~pymupdf.TEXT_PRESERVE_IMAGES
        return split_wide_lines(page.get_text("rawdict", textpage=textpage, flags=flags))


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def ocr_pages(
    path: Path,
    pages: list[int],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
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
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker
        )
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
                result: dict[str, Any] | Exception = (
                    future.result() if future is not None else ocr_page_dict(str(path), pno)
                )
            except Exception as exc:  # one page failed (or its worker died): reported, the rest goes on
                result = exc
            if progress is not None:
                progress(done, total)
            yield pno, result


def _sequential(
    path: Path, pages: list[int], progress: Callable[[int, int], None] | None
) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
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
    """Turn a ``rawdict`` page into a ``dict`` page, cutting OCR lines at wide gaps (a gutter).

    MuPDF builds OCR lines from word positions, so words on the same baseline in two columns
    become one line, with space glyphs (and specks read as ``_``) bridging the gutter. Working
    on the characters' own boxes, a line is cut where the white space between two visible
    characters is at least the font size (a word space is about a third of it); lone
    punctuation specks (a one-character word) are dropped first.
    """
    for block in page_dict.get("blocks", ()):
        if block.get("type") != 0:
            continue
        new_lines: list[dict[str, Any]] = []
        for line in block.get("lines", ()):
            flat = [(char, span) for span in line.get("spans", ()) for char in span.get("chars", ())]
            kept: list[tuple[dict[str, Any], dict[str, Any]]] = []
            for index, (char, span) in enumerate(flat):
                c = char.get("c", "")
                before = flat[index - 1][0].get("c", " ") if index > 0 else " "
                after = flat[index + 1][0].get("c", " ") if index + 1 < len(flat) else " "
                if c in _NOISE and not before.strip() and not after.strip():
                    continue  # a speck read as a one-character word
                kept.append((char, span))
            pieces: list[list[tuple[dict[str, Any], dict[str, Any]]]] = [[]]
            last_end: float | None = None
            for char, span in kept:
                if not char.get("c", "").strip():
                    if pieces[-1]:
                        pieces[-1].append((char, span))
                    continue
                size = max(1.0, float(span.get("size", 10.0)))
                if last_end is not None and char["bbox"][0] - last_end >= size and pieces[-1]:
                    while pieces[-1] and not pieces[-1][-1][0].get("c", "").strip():
                        pieces[-1].pop()
                    pieces.append([])
                pieces[-1].append((char, span))
                last_end = char["bbox"][2]
            for piece in pieces:
                spans: list[dict[str, Any]] = []
                group: list[dict[str, Any]] = []
                owner: dict[str, Any] | None = None
                for char, span in piece:
                    if owner is not None and span is not owner:
                        spans.append(_span_from_chars(owner, group))
                        group = []
                    owner = span
                    group.append(char)
                if owner is not None and group:
                    spans.append(_span_from_chars(owner, group))
                if any(sp["text"].strip() for sp in spans):
                    new_lines.append(
                        dict(
                            line,
                            spans=spans,
                            bbox=(
                                min(sp["bbox"][0] for sp in spans),
                                line["bbox"][1],
                                max(sp["bbox"][2] for sp in spans),
                                line["bbox"][3],
                            ),
                        )
                    )
        block["lines"] = new_lines
    return page_dict


def _span_from_chars(span: dict[str, Any], chars: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``dict``-style span (text, bbox) from some of the characters of a ``rawdict`` span."""
    out = {key: value for key, value in span.items() if key != "chars"}
    out["text"] = "".join(ch.get("c", "") for ch in chars)
    visible = [ch for ch in chars if ch.get("c", "").strip()] or chars
    out["bbox"] = (
        min(ch["bbox"][0] for ch in visible),
        span["bbox"][1],
        max(ch["bbox"][2] for ch in visible),
        span["bbox"][3],
    )
    return out
