"""Audio and EPUB speed: audio seconds per wall-clock second (synthesis + MP3 + timings + checks), and
EPUB build time per 100 pages, with and without read-along.

Usage:  .venv/bin/python bench/audio.py [--pages 20] [--file ../shared/corpus/manual-fr-265p.pdf]

The manual is converted once (tables off: conversion is not measured here). Then:

* the audio writer (``mp3``: per-section MP3s, the full MP3 with ID3 chapters, timings, ffmpeg checks)
  on the first ``--pages`` pages: audio seconds produced / wall seconds (target >= 100x);
* the raw synthesis alone (espeak-ng, no encoding) on the same text, as the floor;
* the EPUB writer on the whole manual without read-along: seconds per 100 pages;
* the EPUB writer with read-along (synthesis + SMIL + MP3 per file) on the first ``--pages`` pages:
  seconds per 100 pages (extrapolated).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "manual-fr-265p.pdf"


def first_pages(doc, pages: int):  # noqa: ANN001, ANN201 - bench helper
    from inclusio.model import PageMarker

    blocks = []
    for block in doc.blocks:
        if isinstance(block, PageMarker) and block.kind == "page" and block.number > pages:
            break
        blocks.append(block)
    return doc.model_copy(update={"blocks": blocks})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--profile", default="dyslexia")
    args = parser.parse_args()

    from inclusio.config import Settings
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.profiles import load_profile
    from inclusio.tts.espeak import EspeakSynthesizer
    from inclusio.writers.audio import AudioWriter
    from inclusio.writers.base import RenderContext
    from inclusio.writers.epub3 import Epub3Writer
    from inclusio.writers.speech_text import speech_sections

    settings = Settings()
    profile = load_profile(args.profile, settings.profiles_dir)
    started = time.perf_counter()
    doc = convert(args.file, ConvertContext(filename=args.file.name, pdf_tables=False))
    total_pages = doc.source.pages or 0
    print(
        f"converted {args.file.name}: {total_pages} pages in {time.perf_counter() - started:.1f} s (tables off)"
    )
    part = first_pages(doc, args.pages)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ctx = RenderContext(
            out_dir=out / "audio", basename="bench", profile=profile, settings=settings, source=part
        )
        started = time.perf_counter()
        AudioWriter().write(part, ctx)
        wall = time.perf_counter() - started
        timings = json.loads((out / "audio" / "bench.audio.json").read_text(encoding="utf-8"))
        audio_s = timings["duration_s"]
        print(
            f"audio writer, {args.pages} pages: {audio_s / 60:.1f} min of speech in {wall:.1f} s "
            f"= {audio_s / wall:.0f}x real time (synthesis + MP3 x2 + chapters + timings + checks)"
        )

        synth = EspeakSynthesizer.from_settings(settings)
        sentences = [
            u.text for s in speech_sections(part, profile) for u in s.units if u.lang.startswith("fr")
        ]
        started = time.perf_counter()
        raw = synth.synthesize(sentences, "fr", profile.speech.rate_wpm)
        wall_raw = time.perf_counter() - started
        print(f"espeak-ng alone: {raw.duration_s / wall_raw:.0f}x real time ({len(sentences)} sentences)")

        plain = profile.model_copy(update={"outputs": ["epub"]})
        started = time.perf_counter()
        Epub3Writer().write(
            doc,
            RenderContext(out_dir=out / "e1", basename="bench", profile=plain, settings=settings, source=doc),
        )
        epub_s = time.perf_counter() - started
        print(
            f"EPUB, {total_pages} pages, no read-along: {epub_s:.1f} s = {100 * epub_s / total_pages:.2f} s "
            "per 100 pages"
        )

        started = time.perf_counter()
        Epub3Writer().write(
            part,
            RenderContext(
                out_dir=out / "e2", basename="bench", profile=profile, settings=settings, source=part
            ),
        )
        read_along_s = time.perf_counter() - started
        print(
            f"EPUB with read-along, {args.pages} pages: {read_along_s:.1f} s = "
            f"{100 * read_along_s / args.pages:.1f} s per 100 pages"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
