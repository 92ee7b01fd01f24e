"""EPUB 3 media overlays (read-along): one MP3 and one SMIL file per XHTML file, sentence by sentence.

How it fits together (the EPUB writer calls :func:`build_overlays` after rendering the XHTML):

* the renderer wraps every spoken sentence of headings, paragraphs and list items in an id'd
  ``<span>`` (no ``epub:type``: ebooklib would list it in the page-list), recorded in
  :attr:`inclusio.writers.xhtml.FragmentRenderer.sentence_spans`;
* what is said per block is exactly the audio version's (:func:`inclusio.writers.speech_text.block_units`,
  prepared for the ear by :func:`inclusio.tts.normalize.speakable`); a sentence the text does not
  hold verbatim (a table read "Colonne : valeur", "Figure : <alt>", "Page 3.") points at its
  block's element instead of a span;
* the audio comes from the job's :class:`~inclusio.writers.speech_audio.SpeechStore`: each XHTML
  file says what its top-level section says in the audio version, so its MP3 is that section's
  (synthesised once per job, whichever writer asks first); each sentence's clip times come from the
  synthesis itself (samples / sample rate, plus the encoder's delay), so the highlighted sentence is
  the one being spoken;
* page numbers are always in the overlay, but the audio version says them only when the profile
  reads page numbers: otherwise they are said in one more file, ``audio/pages.mp3`` (every page
  announcement of the book, in order), which their ``<par>`` elements point at.

Reading systems highlight the active element with the ``media:active-class``
(:data:`ACTIVE_CLASS`, styled in the profile's CSS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from inclusio.model import Block, Document, Figure, Note, PageMarker, Table
from inclusio.profiles import Profile
from inclusio.writers.speech_audio import ProgressFn, SectionAudio, SpeechStore
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
    audio: str | None = None
    """The MP3 of this clip when it is not the overlay's own (``audio/pages.mp3``)."""


PAGES_AUDIO = "audio/pages.mp3"


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
    the content (a block that failed to render) have no target (``""``): they are in the audio (it is
    the audio version's) but get no ``<par>``.
    """
    present = set(_ID.findall(part.content))
    pages_profile = _pages_profile(profile)
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
            out.append((unit, target if target is not None and target in present else "", kind))
    return out


def _pages_profile(profile: Profile) -> Profile:
    return profile.model_copy(
        update={"speech": profile.speech.model_copy(update={"read_page_numbers": True})}
    )


def page_announcements(doc: Document, profile: Profile) -> list[SpeechUnit]:
    """Every page announcement of ``doc`` in order ("Page 12."): what :data:`PAGES_AUDIO` says when the
    profile does not read page numbers (the speech stage makes it before the EPUB writer asks)."""
    pages = _pages_profile(profile)
    return [
        unit
        for block in doc.blocks
        if isinstance(block, PageMarker)
        for unit in block_units(block, doc, pages)
    ]


def build_overlays(
    parts: list[tuple[OverlayPart, list[tuple[SpeechUnit, str, str | None]]]],
    store: SpeechStore,
    *,
    read_pages: bool,
    progress: ProgressFn | None = None,
) -> tuple[list[Overlay], dict[str, SectionAudio]]:
    """The overlays of the parts that have something to say, and their MP3s (name in the book -> audio).

    Each part's units but the page announcements (unless the profile reads them: ``read_pages``)
    are one section of ``store``: the same as the audio version's section, so made once per job.
    The page announcements of every part are one more section, :data:`PAGES_AUDIO`. Raises what
    :meth:`SpeechStore.make_all` raises.
    """

    def in_main(kind: str | None) -> bool:
        return read_pages or kind != "pagebreak"

    mains = [[unit for unit, _, kind in targets if in_main(kind)] for _, targets in parts]
    pages = [unit for _, targets in parts for unit, _, kind in targets if not in_main(kind)]
    wanted = [units for units in mains if units] + ([pages] if pages else [])
    made = iter(store.make_all(wanted, progress))
    audio_of = [next(made) if units else None for units in mains]
    page_audio = next(made) if pages else None
    page_clips = iter(page_audio.clips if page_audio is not None else [])
    files: dict[str, SectionAudio] = {PAGES_AUDIO: page_audio} if page_audio is not None else {}
    out: list[Overlay] = []
    for (part, targets), audio in zip(parts, audio_of, strict=True):
        stem = Path(part.xhtml).stem
        overlay = Overlay(xhtml=part.xhtml, audio=f"audio/{stem}.mp3", smil=f"smil/{stem}.smil")
        clips = iter(audio.clips if audio is not None else [])
        for unit, target, kind in targets:
            main = in_main(kind)
            start, end = next(clips) if main else next(page_clips)
            if target and end > start:
                overlay.clips.append(
                    OverlayClip(target, start, end, unit.text, kind, None if main else PAGES_AUDIO)
                )
        if not overlay.clips:
            continue
        overlay.duration_s = sum(clip.end_s - clip.start_s for clip in overlay.clips)
        if audio is not None and any(clip.audio is None for clip in overlay.clips):
            files[overlay.audio] = audio
        out.append(overlay)
    return out, files


def clock(seconds: float) -> str:
    """SMIL full clock value ``H:MM:SS.mmm`` (also the form of ``media:duration``)."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def smil_document(overlay: Overlay) -> bytes:
    """The SMIL 3.0 file of ``overlay`` (paths relative to ``smil/``).

    Clips of one MP3 are contiguous (each one ends where the next begins); page announcements may
    point at :data:`PAGES_AUDIO` instead of the overlay's own MP3. A clip shorter than a millisecond (a "sentence" the voice had nothing to say for) is left out:
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
            f'<audio src="../{escape(clip.audio or overlay.audio)}" clipBegin="{clock(clip.start_s)}" '
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
