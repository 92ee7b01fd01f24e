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

Each section is synthesised and encoded once per job by :class:`~inclusio.writers.speech_audio.SpeechStore`
(shared with the EPUB's read-along, in parallel, kept under the hash of its content so a re-run reuses
it); this writer copies and tags the section files and makes the full file by joining them frame by
frame (:func:`~inclusio.writers.speech_audio.join_mp3`: no second encoding). The PCM is never
written to disk as WAV nor held whole in memory. Times are those of the decoded MP3 files (the
encoder's delay included, see :mod:`inclusio.writers.speech_audio`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from inclusio.errors import StageError
from inclusio.model import Document
from inclusio.store.files import write_atomic
from inclusio.tts.base import Synthesizer
from inclusio.tts.espeak import primary_lang
from inclusio.writers.audio_checks import check_frames, check_mp3
from inclusio.writers.base import Artifact, RenderContext
from inclusio.writers.speech_audio import (  # noqa: F401 - LameStream, _resample, require_lame: their old home
    CHUNK_SENTENCES,
    LameStream,
    SectionAudio,
    _resample,
    job_store,
    join_mp3,
    load_pronunciations,
    require_lame,
    speech_runs,
)
from inclusio.writers.speech_text import SpeechSection, speech_sections

_TIMINGS_VERSION = 2
"""2: clip and section times are those of the decoded MP3 files (encoder delay included)."""


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
    audio: SectionAudio,
    clips: list[dict[str, Any]],
) -> dict[str, Any]:
    """One section's entry in the timings file (times in seconds, rounded to the millisecond)."""
    return {
        "index": index,
        "title": title,
        "heading_id": section.heading_id,
        "file": f"audio/{section_path.name}",
        "start_s": round(start_s, 3),
        "end_s": round(start_s + audio.duration_s, 3),
        "duration_s": round(audio.duration_s, 3),
        "clips": clips,
    }


class AudioWriter:
    """The ``mp3`` writer (see the module docstring). ``synthesizer`` defaults to the settings' engine
    (:func:`inclusio.tts.engine.synthesizer_for`)."""

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
        store = job_store(ctx, doc.lang, self.synthesizer)
        audios = store.make_all(
            [section.units for section in sections], lambda f, m: ctx.progress(0.9 * f, m)
        )
        audio_dir = ctx.out_dir / "audio"
        audio_dir.mkdir(parents=True, exist_ok=True)
        width = max(2, len(str(len(sections))))
        full_path = ctx.out_dir / f"{ctx.basename}.mp3"
        written: list[Path] = []
        timing_sections: list[dict[str, Any]] = []
        artifacts: list[Artifact] = []
        start_s = 0.0
        try:
            for index, (section, audio) in enumerate(zip(sections, audios, strict=True), start=1):
                ctx.progress(0.9 + 0.05 * index / len(sections), f"Audio: section {index}/{len(sections)}")
                section_path = audio_dir / f"{ctx.basename}-{index:0{width}d}.mp3"
                written.append(section_path)
                shutil.copyfile(audio.mp3, section_path)
                title = section.title or doc.title or ("Début" if primary_lang(doc.lang) == "fr" else "Start")
                _tag_section(section_path, doc, title, index, len(sections))
                timing_sections.append(
                    _section_timing(
                        index, title, section, section_path, start_s, audio, self._clips(audio, section)
                    )
                )
                start_s += audio.duration_s
                artifacts.append(Artifact(f"mp3-{index:0{width}d}", section_path, "audio/mpeg"))
            ctx.progress(0.96, "Audio: full file")
            written.append(full_path)
            duration_s = join_mp3([audio.mp3 for audio in audios], full_path)
            ctx.progress(0.98, "Audio: chapters")
            _write_chapters(full_path, doc, timing_sections)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        outputs = self._checked_outputs(
            ctx,
            store.synth,
            sections,
            store.voice_lang,
            full_path,
            duration_s,
            audios[0].sample_rate,
            timing_sections,
            artifacts,
        )
        # Voice warnings come from the voices, not from a synthesis: said even when every section was stored.
        outputs[0].warnings[:0] = store.voice_warnings()
        return outputs

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
            # Each section file is a copy of frames decoded once already (in the full file): walking
            # its frames finds a cut copy without decoding it again.
            checks += check_frames(artifact.path, expected_s=section["duration_s"])
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
    def _clips(audio: SectionAudio, section: SpeechSection) -> list[dict[str, Any]]:
        # "text" is the written sentence (what a reader highlights); "spoken" what the voice said instead.
        return [
            {
                "start_s": round(start, 3),
                "end_s": round(end, 3),
                "text": unit.text,
                "lang": unit.lang,
                "block_id": unit.block_id,
                **({"spoken": spoken} if spoken != unit.text else {}),
            }
            for (start, end), spoken, unit in zip(audio.clips, audio.spoken, section.units, strict=True)
        ]


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
