"""Audio and EPUB speed: audio seconds per wall-clock second (synthesis + MP3 + timings + checks), and
EPUB build time per 100 pages, with and without read-along.

Usage:  .venv/bin/python bench/audio.py [--pages 20] [--file ../shared/corpus/manual-fr-265p.pdf]
        .venv/bin/python bench/audio.py --engines-only [--sentences 40]

The manual is converted once (tables off: conversion is not measured here). Then:

* the audio writer (``mp3``: per-section MP3s, the full MP3 with ID3 chapters, timings, ffmpeg checks)
  on the first ``--pages`` pages: audio seconds produced per wall second and per CPU second, lame
  included (issue #18's target: 150x real time per core), then again with its sections stored;
* the raw synthesis alone (espeak-ng, no encoding) on the same text, as the floor, and one ``lame``
  encoding that audio as the speech store does: where the speech's CPU goes;
* the EPUB writer on the whole manual without read-along: seconds per 100 pages;
* the EPUB writer with read-along (synthesis + SMIL + MP3 per file) on the first ``--pages`` pages:
  seconds per 100 pages (extrapolated), alone and after the audio writer of the same job (its sections
  then come from the job's speech store: no synthesis);
* the engines side by side (:func:`engines`): real-time factor of espeak-ng and of each language's best
  installed Piper voice (``INCLUSIO_VOICES_DIR`` and voice packages; the packaged English voice here) on
  the same sentences, French from ``--file`` and English from ``--en-file``, synthesis alone (no MP3),
  the Piper model's load time apart. The load average is printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "manual-fr-265p.pdf"
DEFAULT_EN = ROOT.parent / "shared" / "corpus" / "paper-2col-math-en.pdf"


def first_pages(doc, pages: int):  # noqa: ANN001, ANN201 - bench helper
    from inclusio.model import PageMarker

    blocks = []
    for block in doc.blocks:
        if isinstance(block, PageMarker) and block.kind == "page" and block.number > pages:
            break
        blocks.append(block)
    return doc.model_copy(update={"blocks": blocks})


def spoken_sentences(doc, profile, lang: str, limit: int) -> list[str]:  # noqa: ANN001 - bench helper
    """The first ``limit`` prose sentences (6 words or more, mostly words) of ``doc`` in ``lang``, prepared
    for the ear as the writers do (contents lines or formulas would measure the engines on fragments)."""
    from inclusio.tts.normalize import speakable
    from inclusio.writers.speech_text import speech_sections

    units = [u for s in speech_sections(doc, profile) for u in s.units if u.lang.startswith(lang)]
    prose = [u for u in units if len(u.text.split()) >= 6 and _wordy(u.text)]
    return [speakable(u.text, u.lang, None) for u in prose[:limit]]


def _wordy(text: str) -> bool:
    """Mostly words (not a contents line with dot leaders and page numbers, not a formula)."""
    tokens = text.split()
    return sum(token.strip(".,;:!?()'\"«»").isalpha() for token in tokens) >= 0.8 * len(tokens)


def engines(settings, rate_wpm: int, texts: dict[str, list[str]]) -> None:  # noqa: ANN001 - bench helper
    """Real-time factor of espeak-ng and of Piper (best installed voice per language) on the same sentences."""
    import os

    from inclusio.tts.espeak import EspeakSynthesizer
    from inclusio.tts.piper import PiperSynthesizer, installed_voices, load_voice, pick_voices

    voices, _ = pick_voices(installed_voices(settings.voices_dir))
    load = os.getloadavg()
    print(f"engines at {rate_wpm} wpm, {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f}:")
    for lang, sentences in texts.items():
        if not sentences:
            continue
        words = sum(len(s.split()) for s in sentences)
        engines_here: list[tuple[str, object]] = [("espeak-ng", EspeakSynthesizer.from_settings(settings))]
        if lang in voices:
            info = voices[lang]
            started = time.perf_counter()
            load_voice(info, settings.piper_threads)
            loaded = time.perf_counter() - started
            engines_here.append(
                (f"piper {info.voice_id} (loaded in {loaded:.1f} s)", PiperSynthesizer({lang: info}))
            )
        else:
            print(f"  {lang}: no Piper voice installed (INCLUSIO_VOICES_DIR, docs/audio.md)")
        for name, synth in engines_here:
            started, cpu = time.perf_counter(), time.process_time()
            audio = synth.synthesize(sentences, lang, rate_wpm)  # type: ignore[attr-defined]
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(
                f"  {lang} {name}: {audio.duration_s:.0f} s of speech ({len(sentences)} sentences, {words} words, "
                f"{words / audio.duration_s * 60:.0f} wpm) in {wall:.1f} s = {audio.duration_s / wall:.1f}x real "
                f"time; CPU {cpu:.1f} s = {audio.duration_s / max(cpu, 1e-6):.1f}x real time per CPU second"
            )


def lame_cpu_seconds(pcm: bytes, sample_rate: int, bitrate_kbps: int, out: Path) -> float:
    """CPU seconds of one ``lame`` encoding ``pcm`` as the speech store does (same arguments)."""
    import resource

    from inclusio.writers.speech_audio import LameStream, require_lame

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    stream = LameStream(require_lame(), out, sample_rate, bitrate_kbps)
    stream.write(pcm)
    stream.finish()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (lame, ffmpeg)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--profile", default="dyslexia")
    parser.add_argument(
        "--en-file", type=Path, default=DEFAULT_EN, help="English text for the engines' comparison"
    )
    parser.add_argument(
        "--sentences", type=int, default=40, help="sentences per language in the engines' comparison"
    )
    parser.add_argument("--engines-only", action="store_true", help="only the engines' comparison")
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
    english = convert(args.en_file, ConvertContext(filename=args.en_file.name, pdf_tables=False))
    rate = profile.speech.rate_wpm
    texts = {
        "fr": spoken_sentences(doc, profile, "fr", args.sentences),
        "en": spoken_sentences(english, profile, "en", args.sentences),
    }
    engines(settings, rate, texts)
    if args.engines_only:
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ctx = RenderContext(
            out_dir=out / "audio", basename="bench", profile=profile, settings=settings, source=part
        )
        started, cpu = time.perf_counter(), _cpu_seconds()
        AudioWriter().write(part, ctx)
        wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        timings = json.loads((out / "audio" / "bench.audio.json").read_text(encoding="utf-8"))
        audio_s = timings["duration_s"]
        print(
            f"audio writer, {args.pages} pages: {audio_s / 60:.1f} min of speech in {wall:.1f} s "
            f"= {audio_s / wall:.0f}x real time; CPU {cpu:.1f} s (lame included) = {audio_s / cpu:.0f}x real "
            f"time per CPU second (synthesis + one MP3 encoding per section, {settings.speech_workers or 'one per core'} "
            "at a time, + frame join + chapters + timings + checks)"
        )
        # The same sections asked again (what the EPUB's read-along or a re-run does): found in the store.
        started = time.perf_counter()
        AudioWriter().write(part, ctx)
        print(f"audio writer again, sections stored: {time.perf_counter() - started:.1f} s (0 engine calls)")

        synth = EspeakSynthesizer.from_settings(settings)
        sentences = [
            u.text for s in speech_sections(part, profile) for u in s.units if u.lang.startswith("fr")
        ]
        started, cpu_raw = time.perf_counter(), time.process_time()
        raw = synth.synthesize(sentences, "fr", profile.speech.rate_wpm)
        wall_raw, cpu_raw = time.perf_counter() - started, time.process_time() - cpu_raw
        print(
            f"espeak-ng alone: {raw.duration_s / wall_raw:.0f}x real time ({len(sentences)} sentences); "
            f"CPU {cpu_raw:.1f} s = {raw.duration_s / max(cpu_raw, 1e-6):.0f}x real time per CPU second"
        )
        lame_s = lame_cpu_seconds(raw.pcm, raw.sample_rate, settings.lame_bitrate_kbps, out / "lame.mp3")
        print(
            f"lame alone on that audio (one encoder, {settings.lame_bitrate_kbps} kb/s): CPU {lame_s:.1f} s = "
            f"{raw.duration_s / max(lame_s, 1e-6):.0f}x real time per CPU second; the encoder is "
            f"{100 * lame_s / max(lame_s + cpu_raw, 1e-6):.0f} % of the speech's CPU (synthesis + encoding)"
        )

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
            f"{100 * read_along_s / args.pages:.1f} s per 100 pages (its own synthesis)"
        )
        started = time.perf_counter()
        Epub3Writer().write(part, ctx)  # the audio writer's folder: its speech store has the sections
        shared_s = time.perf_counter() - started
        print(
            f"EPUB with read-along after the audio writer (same job: sections stored, only the page "
            f"announcements synthesised): {shared_s:.1f} s = "
            f"{100 * shared_s / args.pages:.1f} s per 100 pages"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
