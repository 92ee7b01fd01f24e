"""EPUB 3 media overlays (read-along): one MP3 and one SMIL file per XHTML file, sentence by sentence.

How it fits together (the EPUB writer calls :func:`build_overlays` after rendering the XHTML):

* the renderer wraps every spoken sentence of headings, paragraphs and list items in an id'd
  ``<span>`` (no ``epub:type``: ebooklib would list it in the page-list), recorded in
  :attr:`inclusio.writers.xhtml.FragmentRenderer.sentence_spans`;
* what is said per block is exactly the audio version's (:func:`inclusio.writers.speech_text.block_units`,
  prepared for the ear by :func:`inclusio.tts.normalize.speakable`); a sentence the text does not
  hold verbatim (a table read "Colonne : valeur", "Figure : <alt>", "Page 3.") points at its
  block's element instead of a span;
* the audio is synthesised here, with espeak-ng, and each sentence's clip times come from the
  synthesis itself (samples / sample rate, see :mod:`inclusio.tts.base`), so the highlighted
  sentence is the one being spoken; ``lame`` encodes while synthesis goes on.

Reading systems highlight the active element with the ``media:active-class``
(:data:`ACTIVE_CLASS`, styled in the profile's CSS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from inclusio.model import Block, Document, Figure, Note, PageMarker, Table
from inclusio.profiles import Profile
from inclusio.tts.base import Synthesizer
from inclusio.tts.normalize import Pronunciations, speakable
from inclusio.writers.audio import LameStream, _resample, speech_runs
from inclusio.writers.speech_text import SpeechUnit, block_units
from inclusio.writers.xhtml import clean_text

ACTIVE_CLASS = "-epub-media-overlay-active"
_ID = re.compile(r'\bid="([^"]+)"')


@dataclass
class OverlayClip:
    """One sentence: the XHTML element it highlights and where it sits in the file's MP3 (seconds)."""

    target: str
    start_s: float
    end_s: float
    text: str
    epub_type: str | None = None


@dataclass
class Overlay:
    """The read-along of one XHTML file."""

    xhtml: str
    """The XHTML file name (``part-001.xhtml``), relative to the package folder."""
    audio: str
    smil: str
    duration_s: float = 0.0
    clips: list[OverlayClip] = field(default_factory=list)


@dataclass
class OverlayPart:
    """What the writer hands over per XHTML file: its name, blocks and final content."""

    xhtml: str
    blocks: list[Block]
    content: str


_SKIPPABLE = {PageMarker: "pagebreak", Note: "aside", Table: "table", Figure: "figure"}
"""``epub:type`` of the ``<par>`` elements a reading system may skip or escape (STANDARDS §1)."""


def spoken_targets(
    part: OverlayPart,
    doc: Document,
    profile: Profile,
    sentence_spans: dict[str, list[tuple[str, str]]],
    anchors: dict[str, str],
) -> list[tuple[SpeechUnit, str, str | None]]:
    """Each unit said for ``part``: the id of the element it highlights (span, else the block's element)
    and the ``epub:type`` of its ``<par>`` (``pagebreak``, ``note``, ``table``, ``figure`` or None).

    Page numbers are always in the overlay ("Page 12."), whatever ``read_page_numbers`` says: every
    page of the page-list must be reachable in the audio (Ace ``epub-pagelist-mediaoverlays``), and
    the ``pagebreak`` type lets reading systems skip them. Units whose element did not make it into
    the content (a block that failed to render) are left out.
    """
    present = set(_ID.findall(part.content))
    pages_profile = profile.model_copy(
        update={"speech": profile.speech.model_copy(update={"read_page_numbers": True})}
    )
    out: list[tuple[SpeechUnit, str, str | None]] = []
    for block in part.blocks:
        spans = list(sentence_spans.get(block.id, []))
        kind = next((name for cls, name in _SKIPPABLE.items() if isinstance(block, cls)), None)
        if isinstance(block, Note) and block.kind in ("footnote", "endnote"):
            kind = "footnote"
        for unit in block_units(block, doc, pages_profile if isinstance(block, PageMarker) else profile):
            target = None
            if spans and spans[0][0] == " ".join(clean_text(unit.text).split()):
                target = spans.pop(0)[1]
            elif block.id in anchors:
                target = anchors[block.id]
            if target is not None and target in present:
                out.append((unit, target, kind))
    return out


def build_overlays(
    parts: list[tuple[OverlayPart, list[tuple[SpeechUnit, str, str | None]]]],
    synth: Synthesizer,
    *,
    lame: str,
    work_dir: Path,
    rate_wpm: int,
    bitrate_kbps: int,
    doc_lang: str,
    pronunciations: Pronunciations | None = None,
) -> list[tuple[Overlay, Path]]:
    """Synthesise and encode each part that has something to say; the overlays with their MP3 files.

    MP3s are written into ``work_dir`` as ``<xhtml stem>.mp3``. Raises what the synthesiser and
    :class:`~inclusio.writers.audio.LameStream` raise.
    """
    fallback = doc_lang if synth.has_voice(doc_lang) else "fr"
    voice_lang: dict[str, str] = {}
    out: list[tuple[Overlay, Path]] = []
    for part, targets in parts:
        if not targets:
            continue
        for unit, _, _ in targets:
            if unit.lang not in voice_lang:
                voice_lang[unit.lang] = unit.lang if synth.has_voice(unit.lang) else fallback
        stem = Path(part.xhtml).stem
        mp3 = work_dir / f"{stem}.mp3"
        overlay = Overlay(xhtml=part.xhtml, audio=f"audio/{stem}.mp3", smil=f"smil/{stem}.smil")
        stream: LameStream | None = None
        sample_rate: int | None = None
        samples = 0
        by_unit = iter(targets)
        try:
            for run in speech_runs([u for u, _, _ in targets], voice_lang):
                audio = synth.synthesize(
                    [speakable(u.text, u.lang, pronunciations) for u in run.units], run.lang, rate_wpm
                )
                if sample_rate is None:
                    sample_rate = audio.sample_rate
                    stream = LameStream(lame, mp3, sample_rate, bitrate_kbps)
                pcm = _resample(audio.pcm, audio.sample_rate, sample_rate)
                offset = samples / sample_rate
                for clip in audio.clips:
                    unit, target, epub_type = next(by_unit)
                    overlay.clips.append(
                        OverlayClip(target, offset + clip.start_s, offset + clip.end_s, unit.text, epub_type)
                    )
                assert stream is not None
                stream.write(pcm)
                samples += len(pcm) // 2
            assert stream is not None and sample_rate is not None
            stream.finish()
        except BaseException:
            if stream is not None:
                stream.kill()
            raise
        overlay.duration_s = samples / sample_rate
        out.append((overlay, mp3))
    return out


def clock(seconds: float) -> str:
    """SMIL full clock value ``H:MM:SS.mmm`` (also the form of ``media:duration``)."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def smil_document(overlay: Overlay) -> bytes:
    """The SMIL 3.0 file of ``overlay`` (paths relative to ``smil/``).

    Clips are contiguous: each one ends where the next begins, and the last ends with the audio. A
    clip shorter than a millisecond (a "sentence" the voice had nothing to say for) is left out:
    ``clipBegin`` must differ from ``clipEnd`` (EPUBCheck MED-009).
    """
    from html import escape

    pars = []
    for index, clip in enumerate(overlay.clips, start=1):
        if clock(clip.start_s) == clock(clip.end_s):
            continue
        kind = f' epub:type="{clip.epub_type}"' if clip.epub_type else ""
        pars.append(
            f'<par id="par{index}"{kind}><text src="../{escape(overlay.xhtml)}#{escape(clip.target)}"/>'
            f'<audio src="../{escape(overlay.audio)}" clipBegin="{clock(clip.start_s)}" '
            f'clipEnd="{clock(clip.end_s)}"/></par>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
        "<body>\n" + "\n".join(pars) + "\n</body>\n</smil>\n"
    ).encode("utf-8")


def active_class_css(text_color: str) -> str:
    """The highlight of the sentence being read: a light yellow behind the profile's text colour."""
    return f".{ACTIVE_CLASS} {{ background-color: #fff3a6; color: {text_color}; }}\n"
