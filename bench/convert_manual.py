"""Offline end-to-end conversion of the 265-page French manual: seconds per stage, pages/s, peak memory.

Usage:  .venv/bin/python bench/convert_manual.py [--profile easy-read] [--to epub,html,mp3,report]
                                                [--file ../shared/corpus/manual-fr-265p.pdf]

Prints the pipeline's own stage timings (from the job report), pages per second for the whole job and
for the convert stage, and the peak resident memory of this process and of its child processes (lame,
java). As a reference it also times the raw library: PyMuPDF's ``page.get_text("dict")`` over every page,
which is the floor the PDF converter builds on, and prints the ratio.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "manual-fr-265p.pdf"


def raw_pymupdf_seconds(path: Path) -> tuple[float, int]:
    import pymupdf

    started = time.perf_counter()
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("dict")
        pages = doc.page_count
    return time.perf_counter() - started, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--profile", default="easy-read")
    parser.add_argument("--to", default="epub,html,mp3,report,json")
    args = parser.parse_args()

    from inclusio.config import Settings
    from inclusio.pipeline import run_job
    from inclusio.profiles import load_profile

    settings = Settings()
    profile = load_profile(args.profile, settings.profiles_dir)
    raw_seconds, pages = raw_pymupdf_seconds(args.file)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = run_job(args.file, profile, Path(out), settings=settings, outputs=args.to.split(","))
        total = time.perf_counter() - started
        sizes = {a.name: a.path.stat().st_size for a in result.artifacts}
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"file: {args.file.name}  pages: {pages}  profile: {profile.id}  outputs: {args.to}")
    print(
        f"status: {result.status}  errors: {[e.get('code') for e in result.errors]}  "
        f"warnings: {len(result.warnings)}"
    )
    print("stage seconds:")
    for stage, info in result.report.get("stages", {}).items():
        print(f"  {stage:<14} {info.get('seconds', 0):8.2f} s")
    convert_s = result.report.get("stages", {}).get("convert", {}).get("seconds", 0.0)
    print(f"total: {total:.2f} s  -> {pages / total:.1f} pages/s end to end")
    if convert_s:
        print(
            f"convert: {pages / convert_s:.1f} pages/s; raw PyMuPDF get_text('dict'): "
            f"{pages / raw_seconds:.1f} pages/s; converter/raw time ratio: {convert_s / raw_seconds:.1f}x"
        )
    print(f"peak RSS: {self_peak:.0f} MiB (this process), {child_peak:.0f} MiB (largest child: lame/java)")
    mp3 = [n for n in sizes if n.startswith("mp3")]
    print(
        "artifacts:",
        ", ".join(f"{n} {s / 1024:.0f} KiB" for n, s in sizes.items() if n not in mp3[1:]),
        f"(+{max(0, len(mp3) - 1)} section MP3s)",
    )
    return 0 if result.status != "failed" else 1


if __name__ == "__main__":
    sys.exit(main())
