"""The audio version: one MP3 per top-level section, one full MP3 with ID3 chapters, and timings.

Outputs under ``ctx.out_dir`` (artifact names in brackets):

* ``audio/<basename>-01.mp3``, ``-02``... one per section with something to say (``mp3-01``...);
* ``<basename>.mp3``: every section in order, with ID3v2.3 chapter frames (CHAP + CTOC) at the
  section boundaries (``mp3``);
* ``<basename>.audio.json``: per section its title, start/end in the full file, and per sentence
  its clip times *relative to the section's own MP3*, language and block id (``audio-timings``),
  for EPUB media overlays.

What is said comes from :mod:`inclusio.writers.speech_text`, each sentence prepared for the ear by
:func:`inclusio.tts.normalize.speakable` (numbers, units, dates, abbreviations, citations, and the
course's pronunciation list) just before synthesis; the finished files are checked by
:mod:`inclusio.writers.audio_checks` (warnings on the ``mp3`` artifact). Consecutive sentences in one language
are synthesised together, so a French course quoting English switches voice and back.

The PCM is never written to disk as WAV nor held whole in memory: each synthesis chunk is piped
as raw 16-bit PCM into two running ``lame`` processes (the section's file and the full file), so
encoding overlaps synthesis and memory stays bounded by one chunk, whatever the document length.
Times are measured on the PCM (before the encoder's ~25-50 ms delay, which is ignored).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from inclusio.errors import StageError, ToolMissing
from inclusio.model import Document
from inclusio.store.files import write_atomic
from inclusio.tts.base import SpeechAudio, Synthesizer
from inclusio.tts.espeak import primary_lang
from inclusio.tts.normalize import Pronunciations, speakable
from inclusio.writers.audio_checks import check_mp3
from inclusio.writers.base import Artifact, RenderContext
from inclusio.writers.speech_text import SpeechSection, SpeechUnit, speech_sections

CHUNK_SENTENCES = 40
"""Sentences per synthesis call: bounds the PCM held in memory (typically 3-4 MB; at most ~45 MB,
since :func:`~inclusio.tts.sentences.split_sentences` caps a sentence at 400 characters)."""

_TIMINGS_VERSION = 1


def _resample(pcm: bytes, src_rate: int, dst_rate: int) -> bytes:
    """Linear-interpolation resampling of mono 16-bit PCM.

    Only needed when two voices of one document have different rates (an MBROLA voice at 16 kHz
    beside an espeak voice at 22.05 kHz); plain Python, so slow, but that mix is rare.
    """
    if src_rate == dst_rate or not pcm:
        return pcm
    samples = array("h")
    samples.frombytes(pcm)
    n_out = max(1, round(len(samples) * dst_rate / src_rate))
    step = src_rate / dst_rate
    last = len(samples) - 1
    out = array("h", bytes(2 * n_out))
    for i in range(n_out):
        pos = i * step
        j = int(pos)
        if j >= last:
            out[i] = samples[last]
        else:
            frac = pos - j
            out[i] = int(samples[j] + (samples[j + 1] - samples[j]) * frac)
    return out.tobytes()


class LameStream:
    """A running ``lame`` reading raw mono 16-bit little-endian PCM on stdin."""

    def __init__(self, lame: str, out: Path, sample_rate: int, bitrate_kbps: int) -> None:
        self.out = out
        args = [
            lame,
            "--quiet",
            "-r",
            "-s",
            f"{sample_rate / 1000:g}",
            "--bitwidth",
            "16",
            "--signed",
            "--little-endian",
            "-m",
            "m",
            "-b",
            str(bitrate_kbps),
        ]
        if sample_rate == 16000:
            # 16 kHz MP3 at 48 kb/s sounds worse and plays badly in some players: resample (PITFALLS §3).
            args += ["--resample", "22.05"]
        # Closed in finish() or kill(); a file, not a pipe, so a chatty lame can never block on it.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._proc = subprocess.Popen(
            [*args, "-", str(out)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr
        )

    def write(self, pcm: bytes) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(pcm)
        except BrokenPipeError:
            self.finish()  # raises with lame's own message

    def finish(self) -> None:
        """Close the input and wait; raise :class:`StageError` if lame failed."""
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._proc.stdin.close()
        code = self._proc.wait()
        self._stderr.seek(0)
        message = self._stderr.read().decode("utf-8", "replace").strip()[-500:]
        self._stderr.close()
        if code != 0 or not self.out.is_file():
            raise StageError(
                f"The MP3 encoder (lame) failed on {self.out.name} (exit {code}): {message}",
                message_fr=f"L'encodeur MP3 (lame) a échoué sur {self.out.name} (code {code}) : {message}",
                details={"file": self.out.name, "exit_code": code},
            )

    def kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if not self._stderr.closed:
            self._stderr.close()


@dataclass
class SpeechRun:
    lang: str
    units: list[SpeechUnit]


def speech_runs(units: list[SpeechUnit], voice_lang: dict[str, str]) -> list[SpeechRun]:
    """Consecutive units with the same voice language, in chunks of at most CHUNK_SENTENCES."""
    runs: list[SpeechRun] = []
    for unit in units:
        lang = voice_lang[unit.lang]
        if runs and runs[-1].lang == lang and len(runs[-1].units) < CHUNK_SENTENCES:
            runs[-1].units.append(unit)
        else:
            runs.append(SpeechRun(lang, [unit]))
    return runs


def _nothing_to_read() -> StageError:
    return StageError(
        "There is nothing to read aloud in this document (no text, no described figure), so no audio "
        "was made. Check that the document has a text layer.",
        message_fr=(
            "Ce document ne contient rien à lire à voix haute (ni texte, ni figure décrite) : aucun "
            "fichier audio n'a été produit. Vérifiez que le document a une couche texte."
        ),
        details={"reason": "nothing_to_read"},
    )


def _section_timing(
    index: int,
    title: str,
    section: SpeechSection,
    section_path: Path,
    start_s: float,
    full_samples: int,
    section_samples: int,
    sample_rate: int,
    clips: list[dict[str, Any]],
) -> dict[str, Any]:
    """One section's entry in the timings file (times in seconds, rounded to the millisecond)."""
    return {
        "index": index,
        "title": title,
        "heading_id": section.heading_id,
        "file": f"audio/{section_path.name}",
        "start_s": round(start_s, 3),
        "end_s": round(full_samples / sample_rate, 3),
        "duration_s": round(section_samples / sample_rate, 3),
        "clips": clips,
    }


def _discard(streams: list[LameStream], written: list[Path]) -> None:
    """A failed run: stop every encoder and remove every file it started."""
    for stream in streams:
        stream.kill()
    for path in written:
        path.unlink(missing_ok=True)


class AudioWriter:
    """The ``mp3`` writer (see the module docstring). ``synthesizer`` defaults to espeak-ng from settings."""

    name = "mp3"

    def __init__(self, synthesizer: Synthesizer | None = None) -> None:
        self.synthesizer = synthesizer

    def write(self, doc: Document, ctx: RenderContext) -> list[Artifact]:
        """Write the section MP3s, the full MP3 and the timings; raise StageError when nothing can be read.

        Raises :class:`ToolMissing` when ``lame`` or libespeak-ng is missing and :class:`StageError`
        when synthesis or encoding fails. Files of a failed run are removed.
        """
        sections = speech_sections(doc, ctx.profile)
        if not sections:
            raise _nothing_to_read()
        lame = require_lame()
        synth = self.synthesizer
        if synth is None:
            from inclusio.tts.espeak import EspeakSynthesizer

            synth = EspeakSynthesizer.for_profile(ctx.settings, ctx.profile.speech.voice, doc.lang)
        voice_lang = self._voice_languages(synth, doc, sections)
        pronunciations = load_pronunciations(ctx)

        audio_dir = ctx.out_dir / "audio"
        audio_dir.mkdir(parents=True, exist_ok=True)
        width = max(2, len(str(len(sections))))
        full_path = ctx.out_dir / f"{ctx.basename}.mp3"
        bitrate = ctx.settings.lame_bitrate_kbps
        rate_wpm = ctx.profile.speech.rate_wpm
        streams: list[LameStream] = []
        written: list[Path] = []
        full: LameStream | None = None
        sample_rate: int | None = None
        full_samples = 0
        timing_sections: list[dict[str, Any]] = []
        artifacts: list[Artifact] = []
        # Progress by sentences, not sections: one chapter of a manual can be a hundred slides long.
        total_units = sum(len(section.units) for section in sections)
        units_done = 0
        try:
            for index, section in enumerate(sections, start=1):
                ctx.progress(0.97 * units_done / total_units, f"Audio: section {index}/{len(sections)}")
                units_done += len(section.units)
                section_path = audio_dir / f"{ctx.basename}-{index:0{width}d}.mp3"
                section_stream: LameStream | None = None
                section_samples = 0
                clips: list[dict[str, Any]] = []
                for run in speech_runs(section.units, voice_lang):
                    audio = synth.synthesize(
                        [speakable(u.text, u.lang, pronunciations) for u in run.units], run.lang, rate_wpm
                    )
                    if sample_rate is None:
                        sample_rate = audio.sample_rate
                        full = LameStream(lame, full_path, sample_rate, bitrate)
                        streams.append(full)
                        written.append(full_path)
                    pcm = _resample(audio.pcm, audio.sample_rate, sample_rate)
                    if section_stream is None:
                        section_stream = LameStream(lame, section_path, sample_rate, bitrate)
                        streams.append(section_stream)
                        written.append(section_path)
                    clips += self._clips(audio, run, section_samples / sample_rate)
                    section_stream.write(pcm)
                    assert full is not None
                    full.write(pcm)
                    section_samples += len(pcm) // 2
                assert section_stream is not None and sample_rate is not None
                section_stream.finish()
                start_s = full_samples / sample_rate
                full_samples += section_samples
                title = section.title or doc.title or ("Début" if primary_lang(doc.lang) == "fr" else "Start")
                _tag_section(section_path, doc, title, index, len(sections))
                timing_sections.append(
                    _section_timing(
                        index,
                        title,
                        section,
                        section_path,
                        start_s,
                        full_samples,
                        section_samples,
                        sample_rate,
                        clips,
                    )
                )
                artifacts.append(Artifact(f"mp3-{index:0{width}d}", section_path, "audio/mpeg"))
            assert full is not None and sample_rate is not None
            full.finish()
            ctx.progress(0.98, "Audio: chapters")
            _write_chapters(full_path, doc, timing_sections)
        except BaseException:
            _discard(streams, written)
            raise

        return self._checked_outputs(
            ctx,
            synth,
            sections,
            voice_lang,
            full_path,
            full_samples / sample_rate,
            sample_rate,
            timing_sections,
            artifacts,
        )

    @staticmethod
    def _checked_outputs(
        ctx: RenderContext,
        synth: Synthesizer,
        sections: list[SpeechSection],
        voice_lang: dict[str, str],
        full_path: Path,
        duration_s: float,
        sample_rate: int,
        timing_sections: list[dict[str, Any]],
        artifacts: list[Artifact],
    ) -> list[Artifact]:
        """The MP3's checks (as warnings on the ``mp3`` artifact), the timings file, and every artifact."""
        rate_wpm = ctx.profile.speech.rate_wpm
        ctx.progress(0.99, "Audio: checks")
        words = sum(len(u.text.split()) for section in sections for u in section.units)
        checks = check_mp3(full_path, expected_s=duration_s, words=words, rate_wpm=rate_wpm)
        for section, artifact in zip(timing_sections, artifacts, strict=True):
            # Truncation of each section file; silences and rate are already judged on the full file.
            checks += [
                w
                for w in check_mp3(
                    artifact.path, expected_s=section["duration_s"], words=0, rate_wpm=rate_wpm
                )
                if w["code"] == "audio.truncated"
            ]
        timings_path = ctx.out_dir / f"{ctx.basename}.audio.json"
        voice_for = getattr(synth, "voice_for", None)
        timings = {
            "version": _TIMINGS_VERSION,
            "file": full_path.name,
            "sample_rate": sample_rate,
            "duration_s": round(duration_s, 3),
            "rate_wpm": rate_wpm,
            "engine": getattr(synth, "name", type(synth).__name__),
            "voices": {
                lang: voice_for(lang) if voice_for else lang for lang in sorted(set(voice_lang.values()))
            },
            "clip_times": "relative to the section file; add the section's start_s for the full file",
            "sections": timing_sections,
        }
        write_atomic(timings_path, json.dumps(timings, ensure_ascii=False, indent=1).encode("utf-8"))
        ctx.progress(1.0, "Audio: done")
        return [
            Artifact("mp3", full_path, "audio/mpeg", warnings=checks),
            *artifacts,
            Artifact("audio-timings", timings_path, "application/json"),
        ]

    @staticmethod
    def _voice_languages(synth: Synthesizer, doc: Document, sections: list[SpeechSection]) -> dict[str, str]:
        """Map each unit language to the language whose voice reads it (itself, else the document's, else fr)."""
        fallback = doc.lang if synth.has_voice(doc.lang) else "fr"
        out: dict[str, str] = {}
        for section in sections:
            for unit in section.units:
                if unit.lang not in out:
                    out[unit.lang] = unit.lang if synth.has_voice(unit.lang) else fallback
        return out

    @staticmethod
    def _clips(audio: SpeechAudio, run: SpeechRun, offset_s: float) -> list[dict[str, Any]]:
        # Clip times are rescaled with the PCM when it was resampled (a ratio, so it holds either way).
        # "text" is the written sentence (what a reader highlights); "spoken" what the voice said instead.
        return [
            {
                "start_s": round(offset_s + clip.start_s, 3),
                "end_s": round(offset_s + clip.end_s, 3),
                "text": unit.text,
                "lang": unit.lang,
                "block_id": unit.block_id,
                **({"spoken": clip.text} if clip.text != unit.text else {}),
            }
            for clip, unit in zip(audio.clips, run.units, strict=True)
        ]


def require_lame() -> str:
    """The path of ``lame``; raises :class:`ToolMissing` naming the Debian package when it is absent."""
    lame = shutil.which("lame")
    if lame is None:
        raise ToolMissing(
            "The MP3 encoder 'lame' is not installed. Install the Debian package 'lame' (apt-get install lame).",
            message_fr="L'encodeur MP3 « lame » n'est pas installé. Installez le paquet Debian « lame ».",
            details={"tool": "lame", "debian_packages": ["lame"]},
        )
    return lame


def load_pronunciations(ctx: RenderContext) -> Pronunciations:
    """The course's pronunciation list: ``INCLUSIO_PRONUNCIATIONS``, then ``<input>.pronunciations.yaml``."""
    return Pronunciations.load(ctx.settings.pronunciations, ctx.companion(".pronunciations.yaml"))


def _tag_section(path: Path, doc: Document, title: str, index: int, total: int) -> None:
    """Tag one section MP3 so players list the sections by title and in order (ID3v2.3)."""
    from mutagen.id3 import ID3, TALB, TIT2, TRCK

    tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    if doc.title:
        tags.add(TALB(encoding=3, text=[doc.title]))
    tags.add(TRCK(encoding=3, text=[f"{index}/{total}"]))
    tags.save(str(path), v2_version=3)


def _write_chapters(path: Path, doc: Document, sections: list[dict[str, Any]]) -> None:
    """Tag the full MP3: title, language, authors, and one CHAP per section under a CTOC (ID3v2.3)."""
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, TLAN, TPE1, CTOCFlags

    tags = ID3()
    if doc.title:
        tags.add(TIT2(encoding=3, text=[doc.title]))
    if doc.authors:
        tags.add(TPE1(encoding=3, text=["/".join(doc.authors)]))
    tags.add(
        TLAN(
            encoding=3, text=[{"fr": "fra", "en": "eng"}.get(primary_lang(doc.lang), primary_lang(doc.lang))]
        )
    )
    ids = [f"chp{section['index']}" for section in sections]
    toc_title = "Sommaire" if primary_lang(doc.lang) == "fr" else "Contents"
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=[toc_title])],
        )
    )
    for element_id, section in zip(ids, sections, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(section["start_s"] * 1000),
                end_time=round(section["end_s"] * 1000),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[section["title"]])],
            )
        )
    tags.save(str(path), v2_version=3)
