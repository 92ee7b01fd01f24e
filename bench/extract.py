"""PDF extraction speed: inclusio's converter against raw PyMuPDF and pymupdf4llm; OCR against Tesseract alone.

Usage:  .venv/bin/python bench/extract.py [--file ../shared/corpus/manual-fr-265p.pdf] [--llm-pages 40]
                                          [--ocr-pages 4] [--no-ocr]

Prints, in one run and on one core (each measure in its own process, one after the other):

* pages/s of ``page.get_text("dict")`` over every page (the floor inclusio builds on);
* pages/s of inclusio's PDF converter, with the table finder (the default) and without it;
* pages/s of ``pymupdf4llm.to_markdown(doc, pages=..., use_ocr=False)`` in its default set-up (layout
  model on, as ``import pymupdf`` leaves it) over the first ``--llm-pages`` pages (it is slow: a sample
  gives the rate);
* the ratios, against the targets of issue 3: >= 50 pages/s and >= 7x pymupdf4llm;
* peak resident memory of the converter's process (pages are streamed: it grows with the Document,
  not with page dictionaries);
* OCR: seconds per page of inclusio's OCR (PyMuPDF + Tesseract, fra+eng, 300 dpi) and of the
  ``tesseract`` command alone (one thread) on the same page rendered at 300 dpi, and the speed-up of
  ``--ocr-pages`` scanned pages with two processes against one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT = CORPUS / "manual-fr-265p.pdf"
SCAN = CORPUS / "scan-2col-en.pdf"

_RAW = """
import json, resource, sys, time, pymupdf
started = time.perf_counter()
with pymupdf.open(sys.argv[1]) as doc:
    for page in doc:
        page.get_text("dict")
    pages = doc.page_count
print(json.dumps({"pages": pages, "seconds": time.perf_counter() - started}))
"""

_INCLUSIO = """
import json, resource, sys, time
from pathlib import Path
from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
path = Path(sys.argv[1])
started = time.perf_counter()
doc = PdfConverter().convert(path, ConvertContext(filename=path.name, pdf_tables=sys.argv[2] == "1"))
seconds = time.perf_counter() - started
print(json.dumps({"pages": doc.source.pages, "seconds": seconds, "blocks": len(doc.blocks),
                  "tables": sum(b.type == "table" for b in doc.blocks),
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_LLM = """
import json, sys, time, pymupdf, pymupdf4llm
pages = int(sys.argv[2])
with pymupdf.open(sys.argv[1]) as doc:
    pages = min(pages, doc.page_count)
    started = time.perf_counter()
    pymupdf4llm.to_markdown(doc, pages=list(range(pages)), use_ocr=False, show_progress=False)
    seconds = time.perf_counter() - started
print(json.dumps({"pages": pages, "seconds": seconds, "layout": pymupdf._get_layout is not None}))
"""

_OCR = """
import json, sys, time
from pathlib import Path
from inclusio.converters.pdf_ocr import ocr_pages
path, count, workers = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
results = list(ocr_pages(path, list(range(count)), workers=workers))
seconds = time.perf_counter() - started
failed = [pno for pno, r in results if isinstance(r, Exception)]
print(json.dumps({"pages": count, "seconds": seconds, "failed": failed}))
"""


def _run(code: str, *args: str) -> dict[str, float]:
    """Run a measure in a fresh Python process (no shared state: the layout switch, caches)."""
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_extraction(path: Path, llm_pages: int) -> None:
    raw = _run(_RAW, str(path))
    with_tables = _run(_INCLUSIO, str(path), "1")
    without_tables = _run(_INCLUSIO, str(path), "0")
    llm = _run(_LLM, str(path), str(llm_pages))
    rate = {name: r["pages"] / r["seconds"] for name, r in
            (("raw", raw), ("tables", with_tables), ("no_tables", without_tables), ("llm", llm))}
    print(f"file: {path.name}  pages: {raw['pages']:.0f}")
    print(f"  raw get_text('dict')          {rate['raw']:8.1f} pages/s")
    print(f"  inclusio (tables on, default) {rate['tables']:8.1f} pages/s  "
          f"({with_tables['blocks']:.0f} blocks, {with_tables['tables']:.0f} tables, "
          f"peak RSS {with_tables['rss_mib']:.0f} MiB)")
    print(f"  inclusio (INCLUSIO_PDF_TABLES=false) {rate['no_tables']:8.1f} pages/s  "
          f"(peak RSS {without_tables['rss_mib']:.0f} MiB)")
    print(f"  pymupdf4llm.to_markdown       {rate['llm']:8.1f} pages/s  (first {llm['pages']:.0f} pages, "
          f"use_ocr=False, layout model {'on' if llm['layout'] else 'off'})")
    print("ratios:")
    print(f"  inclusio / raw:         {rate['tables'] / rate['raw']:.2f} (tables on)   "
          f"{rate['no_tables'] / rate['raw']:.2f} (tables off)")
    print(f"  inclusio / pymupdf4llm: {rate['tables'] / rate['llm']:.1f}x (tables on)   "
          f"{rate['no_tables'] / rate['llm']:.1f}x (tables off)   target >= 7x")
    print(f"  target >= 50 pages/s: tables on {'met' if rate['tables'] >= 50 else 'NOT met'}, "
          f"tables off {'met' if rate['no_tables'] >= 50 else 'NOT met'}")


def bench_ocr(pages: int) -> None:
    import shutil

    import pymupdf

    if shutil.which("tesseract") is None:
        print("OCR: tesseract not installed, skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        png = work / "page.png"
        with pymupdf.open(SCAN) as doc:
            doc[0].get_pixmap(dpi=300).save(png)
            many = pymupdf.open()
            for _ in range(pages):
                many.insert_pdf(doc)
            many.save(work / "scans.pdf")
        started = time.perf_counter()
        # One thread, like inclusio's OCR workers: on a shared 2-core machine OpenMP threads only fight.
        subprocess.run(["tesseract", str(png), str(work / "out"), "-l", "fra+eng"], check=True,
                       capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        cli = time.perf_counter() - started
        one = _run(_OCR, str(SCAN), "1", "1")
        serial = _run(_OCR, str(work / "scans.pdf"), str(pages), "1")
        parallel = _run(_OCR, str(work / "scans.pdf"), str(pages), "2")
    print(f"OCR ({SCAN.name}, fra+eng, 300 dpi):")
    print(f"  tesseract CLI alone on the rendered page: {cli:6.2f} s/page")
    print(f"  inclusio OCR (render + Tesseract + text): {one['seconds']:6.2f} s/page  "
          f"(ratio {one['seconds'] / cli:.2f}; includes process start-up)")
    print(f"  {pages} pages, 1 process:  {serial['seconds']:6.2f} s  ({serial['seconds'] / pages:.2f} s/page)")
    print(f"  {pages} pages, 2 processes: {parallel['seconds']:6.2f} s  ({parallel['seconds'] / pages:.2f} s/page)"
          f"  speed-up {serial['seconds'] / parallel['seconds']:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--llm-pages", type=int, default=40)
    parser.add_argument("--ocr-pages", type=int, default=4)
    parser.add_argument("--no-ocr", action="store_true")
    args = parser.parse_args()
    bench_extraction(args.file, args.llm_pages)
    if not args.no_ocr:
        bench_ocr(args.ocr_pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
