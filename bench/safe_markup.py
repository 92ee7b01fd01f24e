"""What the issue #19 boundaries cost: SVG rebuild, reading-settings scan, LibreOffice in a network namespace.

Usage:  .venv/bin/python bench/safe_markup.py [--repeat 5] [--no-soffice]

Prints (best of ``--repeat``, the usual way to read a benchmark on a machine others share):

* ms to rebuild a generated course diagram (``--shapes`` shapes with text, gradients, a style) with
  :func:`inclusio.model.safe_markup.sanitize_svg`, and MB/s;
* µs to bound and parse a usual ``reading`` JSON, and ms to refuse a 100 000 deep one and a 10 MB one;
* seconds of one ODT -> DOCX conversion by LibreOffice, as ``odf.py`` runs it (private network
  namespace + settings), against the same command without the namespace, and the probe's cost.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "converters"))


def best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def diagram(shapes: int) -> bytes:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="800" '
        'height="600" viewBox="0 0 800 600"><title>Schéma</title><defs><linearGradient id="g"><stop '
        'offset="0" stop-color="#fff"/><stop offset="1" stop-color="#2a6"/></linearGradient></defs>'
        "<style>.t { font-family: Arial; font-size: 12px }</style>"
    ]
    for i in range(shapes):
        parts.append(
            f'<g transform="translate({i % 40 * 20},{i // 40 * 20})"><rect width="18" height="18" '
            f'fill="url(#g)" stroke="#000"/><text class="t" x="2" y="12">{i}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shapes", type=int, default=2000)
    parser.add_argument("--no-soffice", action="store_true")
    args = parser.parse_args()

    from inclusio.errors import ReadingTooComplex, RequestInvalid
    from inclusio.model.safe_markup import sanitize_svg
    from inclusio.profiles.reading import parse_reading_json

    svg = diagram(args.shapes)
    seconds = best(lambda: sanitize_svg(svg), args.repeat)
    print(
        f"sanitize_svg: {len(svg) / 1e3:.0f} kB, {args.shapes} shapes: {seconds * 1e3:.1f} ms "
        f"({len(svg) / 1e6 / seconds:.1f} MB/s)"
    )
    usual = '{"font_family": "OpenDyslexic, Verdana, sans-serif", "font_size_rem": 1.4, "colors": {"text": "#000000"}}'
    print(f"reading JSON, usual: {best(lambda: parse_reading_json(usual), args.repeat * 100) * 1e6:.1f} µs")
    for label, raw in (
        ("100 000 deep", "[" * 100_000 + "]" * 100_000),
        ("10 MB", '"' + "a" * 10_000_000 + '"'),
    ):

        def refuse(raw: str = raw) -> None:
            try:
                parse_reading_json(raw)
            except (ReadingTooComplex, RequestInvalid):
                return
            raise AssertionError("accepted")

        print(f"reading JSON, {label}: refused in {best(refuse, args.repeat) * 1e3:.2f} ms")
    if not args.no_soffice:
        soffice_figures(args.repeat)


def soffice_figures(repeat: int) -> None:
    from test_no_fetch import linked_odt

    from inclusio.converters import odf

    prefix = odf.network_sandbox()
    probe = best(lambda: subprocess.run([*prefix, "true"], check=True), repeat) if prefix else 0.0
    print(f"network namespace: {' '.join(prefix) or 'none available'} (probe {probe * 1e3:.1f} ms)")
    with tempfile.TemporaryDirectory() as tmp:
        source = linked_odt(Path(tmp) / "cours.odt", "http://127.0.0.1:9")  # nothing listens on port 9

        def convert(with_namespace: bool) -> None:
            work = Path(tempfile.mkdtemp(dir=tmp))
            (work / "profile" / "user").mkdir(parents=True)
            (work / "profile" / "user" / "registrymodifications.xcu").write_text(odf.NO_LINKS_XCU)
            command = [
                odf.find_soffice() or "soffice",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "docx",
                "--outdir",
                str(work),
                str(source),
            ]
            subprocess.run(
                [*(prefix if with_namespace else ()), *command],
                check=True,
                capture_output=True,
                env={"HOME": str(work), "PATH": "/usr/bin:/bin"},
            )

        for label, flag in (("with namespace", True), ("without", False)):
            print(
                f"LibreOffice ODT -> DOCX, {label}: {best(lambda flag=flag: convert(flag), max(2, repeat // 2)):.2f} s"
            )


if __name__ == "__main__":
    main()
