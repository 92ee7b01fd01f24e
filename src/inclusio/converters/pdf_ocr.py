"""OCR of PDF pages without a text layer: Tesseract through PyMuPDF, pages spread over processes.

* Only pages that have no text layer are recognised; a page that already carries text (an OCR
  layer made by a scanner or OCRmyPDF, invisible text in render mode 3 included) is read as it
  is and never recognised again: the caller decides which pages need OCR.
* The page is rendered at 300 dpi and read by the ``tesseract`` command (TSV output: paragraphs,
  lines and word boxes), turned into the ``rawdict`` text dictionary PyMuPDF's own OCR gives
  (:func:`tsv_page_dict`). PyMuPDF's built-in Tesseract (``page.get_textpage_ocr``) is the fallback
  when the command is not installed: same engine and language data, but about 1.8x slower (its
  build does not use the processor's vector instructions) and it missed a subtitle the command
  reads. The text page holds only a weak reference to its page, so the page object is kept in a
  local variable for as long as the text page is used (PITFALLS §2).
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
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

OCR_LANGUAGE = "fra+eng"
OCR_DPI = 300
OCR_TIMEOUT_S = 300
"""A page Tesseract has not read in this time is reported as failed (the other pages go on)."""


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
        flags = pymupdf.TEXTFLAGS_RAWDICT & ~pymupdf.TEXT_PRESERVE_IMAGES
        if shutil.which("tesseract"):
            return split_wide_lines(_command_page_dict(pymupdf, page, language, dpi, flags))
        try:
            textpage = page.get_textpage_ocr(language=language, dpi=dpi, full=True)
        except RuntimeError as exc:
            raise OcrUnavailable(str(exc)) from exc
        return split_wide_lines(page.get_text("rawdict", textpage=textpage, flags=flags))


def _command_page_dict(pymupdf: Any, page: Any, language: str, dpi: int, flags: int) -> dict[str, Any]:
    """The page rendered at ``dpi`` and recognised by the ``tesseract`` command, as the ``rawdict`` text
    dictionary PyMuPDF's own OCR gives (:func:`tsv_page_dict`). Same Tesseract and language data, but the
    system's build uses the processor's vector instructions: 3.1 s a page against 5.8 s for PyMuPDF's
    built-in OCR on the bench's scan (bench/extract.py)."""
    del flags  # the dictionary is built from Tesseract's words: no images, no ligatures to keep
    pix = page.get_pixmap(dpi=dpi)
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", language, "--dpi", str(dpi), "tsv"],
            input=pix.tobytes("png"),
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"tesseract took more than {OCR_TIMEOUT_S} s on the page") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[-500:]
        if "Failed loading language" in message or "Error opening data file" in message:
            raise OcrUnavailable(message)
        raise RuntimeError(f"tesseract failed ({done.returncode}): {message}")
    return tsv_page_dict(
        done.stdout.decode("utf-8", "replace"), 72.0 / dpi, page.rect.width, page.rect.height
    )


def tsv_page_dict(tsv: str, scale: float, width: float, height: float) -> dict[str, Any]:
    """A ``rawdict``-shaped page from Tesseract's TSV (pixel boxes times ``scale`` = points): a block per
    paragraph, a line per line, a span per word with its characters spread evenly over the word's box
    (a synthetic space between words), every span of a line at the line's height as its size, in
    GlyphLessFont as MuPDF's OCR writes it."""
    rows = [row.split("\t") for row in tsv.splitlines()[1:]]
    blocks: dict[tuple[int, int], dict[str, Any]] = {}
    lines: dict[tuple[int, int, int], dict[str, Any]] = {}
    words: dict[tuple[int, int, int], list[tuple[tuple[float, float, float, float], str]]] = {}
    for row in rows:
        if len(row) < 12 or not row[0].isdigit():
            continue
        level, block, par, line = int(row[0]), int(row[2]), int(row[3]), int(row[4])
        left, top, w, h = (float(v) * scale for v in row[6:10])
        bbox = (left, top, left + w, top + h)
        if level == 3:
            blocks[(block, par)] = {"type": 0, "number": len(blocks), "bbox": bbox, "lines": []}
        elif level == 4:
            lines[(block, par, line)] = {"wmode": 0, "dir": (1.0, 0.0), "bbox": bbox, "spans": []}
        elif level == 5 and row[11].strip():
            words.setdefault((block, par, line), []).append((bbox, row[11].strip()))
    for key, line in lines.items():
        placed = words.get(key, [])
        if not placed or key[:2] not in blocks:
            continue
        x0, y0, x1, y1 = line["bbox"]
        size = max(1.0, y1 - y0)
        for index, (box, text) in enumerate(placed):
            step = (box[2] - box[0]) / len(text)
            chars = [
                {
                    "origin": (box[0] + i * step, y1),
                    "bbox": (box[0] + i * step, y0, box[0] + (i + 1) * step, y1),
                    "c": c,
                    "synthetic": False,
                }
                for i, c in enumerate(text)
            ]
            if index + 1 < len(placed):
                gap_end = max(box[2], placed[index + 1][0][0])
                chars.append(
                    {"origin": (box[2], y1), "bbox": (box[2], y0, gap_end, y1), "c": " ", "synthetic": True}
                )
            line["spans"].append(
                {
                    "size": size,
                    "flags": 12,
                    "bidi": 0,
                    "char_flags": 0,
                    "font": "GlyphLessFont",
                    "color": 0,
                    "alpha": 0,
                    "ascender": 0.8,
                    "descender": -0.2,
                    "origin": (box[0], y1),
                    "bbox": (chars[0]["bbox"][0], y0, chars[-1]["bbox"][2], y1),
                    "chars": chars,
                }
            )
        blocks[key[:2]]["lines"].append(line)
    return {"width": width, "height": height, "blocks": [b for b in blocks.values() if b["lines"]]}


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
