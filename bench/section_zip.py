"""The job page's zip of section MP3s (web/downloads.section_zip): throughput and the memory it holds.

Usage:  .venv/bin/python bench/section_zip.py [--sections 150] [--mib 1.0]

Writes ``--sections`` files of ``--mib`` MiB of random bytes (MP3 does not compress: random bytes are the
same work for a stored zip) named like the audio writer's, streams the zip the way the page does (chunk by
chunk into a sink that keeps nothing), and prints MiB/s, the largest chunk yielded and the peak of Python's
allocations (tracemalloc) while streaming, next to the total size. The load average is printed: the machine
may be shared.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from inclusio.web.downloads import safe_entry_name, section_zip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=150)
    parser.add_argument("--mib", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        entries = []
        for index in range(1, args.sections + 1):
            path = Path(tmp) / f"cours-{index:03d}.mp3"
            path.write_bytes(os.urandom(int(args.mib * 1024 * 1024)))
            entries.append((safe_entry_name(index, f"Section {index} : titre", 3), path))
        total = sum(path.stat().st_size for _, path in entries)
        tracemalloc.start()
        start, cpu = time.perf_counter(), time.process_time()
        sent = biggest = 0
        for chunk in section_zip(entries):
            sent += len(chunk)
            biggest = max(biggest, len(chunk))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    mib = 1024 * 1024
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{args.sections} sections, {total / mib:.1f} MiB in, zip {sent / mib:.1f} MiB out")
    print(f"wall {wall:.2f} s ({sent / mib / wall:.0f} MiB/s), CPU {cpu:.2f} s")
    print(
        f"largest chunk {biggest / 1024:.0f} KiB, Python allocations peak {peak / mib:.2f} MiB while streaming"
    )


if __name__ == "__main__":
    main()
