"""The reader in the browser (issue #16): ``/web/read/{job_id}``, a finished job read on the page.

What the page is made of, and from where (the same sources as the EPUB's read-along):

* the text: the job's Document (its ``json`` output; never a reviewer's unpublished draft) with the
  profile's adaptations applied by :func:`inclusio.model.adapted_document`, rendered by the writers'
  :class:`~inclusio.writers.xhtml.FragmentRenderer` in read-along mode, one ``<section>`` per top-level
  section as the EPUB has one file per section; sentences, headings, page markers, figures, tables,
  notes, summaries and the glossary are the writers' own fragments;
* the sentence timings: the job's ``audio-timings`` file (the audio version's sections, whose MP3s the
  EPUB's media overlays use too): each section of the page is matched with the timings section that says
  the same sentences, and :func:`inclusio.writers.media_overlay.spoken_targets` gives the element each
  sentence highlights, exactly as it does for the SMIL files;
* the audio: the section MP3s (``mp3-01``...), each in a plain ``<audio controls>`` (no JavaScript
  needed), served by the job page's download route (same access check);
* the styling: the job's profile (with the reading adjustments it was made with), then the student's
  own display settings (:func:`inclusio.web.session.reading_prefs`), as CSS variables on the text; the
  fonts the EPUB embeds (:data:`inclusio.writers.fonts.CATALOGUE`) are served at ``/web/fonts/`` with their
  ``@font-face`` rules (:func:`font_faces_css`), so the profile's OpenDyslexic or Atkinson Hyperlegible is
  the text's font on any device.

The page changes the writers' fragments in three places only: a glossary term opens its definition in
place (a ``popover`` button: works without script), each summary ("key points") is a ``<details>`` that
can be shown or hidden, and the elements a sentence highlights carry ``data-b`` (start, in seconds).

``static/reader.js`` adds one player: sentence highlighting from the section's clips (a class, never an
``aria-live`` region: it does not speak over a screen reader), click a sentence to start there, speed
0.75x-2x with ``preservesPitch``, Alt+Shift+P to pause/resume, folded key points skipped, and the position saved with
``POST /web/read/{job_id}/position`` (a file in the job's folder, per user, for the job's owner or
learner only: erased with the job, so with the account).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from inclusio.errors import ArtifactNotFound, FontNotFound
from inclusio.jobs.inputs import visible_job
from inclusio.model import Document, Heading
from inclusio.model.flags import unreviewed_starts
from inclusio.model.view import adapted_document, student_glossary
from inclusio.profiles import Profile, load_profile, with_reading
from inclusio.profiles.reading import css_font_stack
from inclusio.store.notifications import NotificationStore
from inclusio.web import session as web
from inclusio.web.i18n import translator
from inclusio.web.status import review_status
from inclusio.writers.fonts import CATALOGUE, FontFamily
from inclusio.writers.html import _safe_data_uri, _toc_html, _TocNode
from inclusio.writers.media_overlay import OverlayPart, spoken_targets
from inclusio.writers.xhtml import (
    Chunk,
    FragmentRenderer,
    document_title,
    drop_empty_headings,
    esc,
    labels,
    output_heading_levels,
    split_top_sections,
)

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)

READER_OUTPUT = "json"
"""The output the reader is built from (the Document); the web pages ask for it with every job."""
RULER_PROFILES = ("adhd", "dyslexia")
"""Profiles whose reading ruler is on by default (the student can switch it off)."""
SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
POSITION_DIR = "reader"


def with_reader_output(wanted: list[str] | None, profile: Profile) -> list[str]:
    """``wanted`` (or the profile's outputs) and the Document the reader is built from."""
    outputs = list(wanted) if wanted else list(profile.outputs)
    return outputs if READER_OUTPUT in outputs else [*outputs, READER_OUTPUT]


@dataclass
class Clip:
    """One spoken sentence: the element it highlights and its times in the section's MP3 (seconds)."""

    target: str
    start_s: float
    end_s: float


@dataclass
class ReaderSection:
    index: int
    title: str
    html: Markup
    audio: str | None = None
    """The artifact name of the section's MP3 (``mp3-02``), when the job has audio."""
    clips: list[Clip] = field(default_factory=list)

    @property
    def clips_json(self) -> str:
        return json.dumps([[c.target, c.start_s, c.end_s] for c in self.clips], separators=(",", ":"))


@dataclass
class ReaderBook:
    title: str
    lang: str
    sections: list[ReaderSection]
    toc: Markup
    glossary: Markup
    glossary_id: str | None
    key_points: int

    @property
    def has_audio(self) -> bool:
        return any(s.audio for s in self.sections)


# -- the book --------------------------------------------------------------------------------------------


def build_book(
    source: Document,
    profile: Profile,
    timings: dict[str, Any] | None,
    audio_names: dict[str, str],
    *,
    show_points: bool = True,
) -> ReaderBook:
    """The reader's page of ``source`` for ``profile``: sections with their clips and audio.

    ``timings``: the job's ``audio-timings`` file (None without audio); ``audio_names``: the section
    file named in it (``audio/x-01.mp3``) -> its artifact name (``mp3-01``).
    """
    view = adapted_document(source, profile.adaptation_kinds, profile.parallel_kinds)
    blocks, _ = drop_empty_headings(list(view.blocks))
    view = view.model_copy(update={"blocks": blocks})
    words = labels(view.lang)
    glossary = [e for e in student_glossary(view.glossary) if e.term.strip()]
    # The page's own <h1> is the document's title: the document's headings go one level down.
    levels = {key: min(6, level + 1) for key, level in output_heading_levels(blocks).items()}
    renderer = FragmentRenderer(
        view,
        epub=False,
        image_src=_safe_data_uri,
        levels=levels,
        read_along=True,
        glossary_href=(lambda ident: f"#{ident}") if glossary else None,
        unreviewed=unreviewed_starts(source, profile.adaptation_kinds),
    )
    timing_sections = list((timings or {}).get("sections") or [])
    sections: list[ReaderSection] = []
    toc: list[_TocNode] = []
    stack: list[_TocNode] = []
    points = 0
    for index, chunk in enumerate(split_top_sections(blocks) or [Chunk(heading=None, blocks=[])], start=1):
        body = renderer.render_blocks(chunk.blocks)
        targets = spoken_targets(
            OverlayPart(f"part-{index}", chunk.blocks, body), view, profile, renderer.sentence_spans,
            renderer.block_anchors,
        )  # fmt: skip
        clips, audio = _section_timing(targets, chunk, timing_sections, profile, audio_names)
        body, found = _key_points(_glossary_in_place(body, renderer, glossary), show_points)
        points += found
        title = chunk.heading.text.strip() if chunk.heading is not None else words["start"]
        # a wide table scrolls in its own box (320 px): focusable, so the keyboard can scroll it too
        body = body.replace("<table id=", '<table tabindex="0" id=')
        sections.append(ReaderSection(index, title, Markup(_mark_clips(body, clips)), audio, clips))
        _toc_add(chunk, renderer, toc, stack)
    glossary_id = renderer.unique_id("glossary") if glossary else None
    if glossary_id:
        toc.append(_TocNode(words["glossary"], f"#{glossary_id}", 1))
    return ReaderBook(
        title=document_title(view),
        lang=view.lang,
        sections=sections,
        toc=Markup(_toc_html(toc)) if toc else Markup(""),
        glossary=Markup(renderer.glossary(glossary)) if glossary else Markup(""),
        glossary_id=glossary_id,
        key_points=points,
    )


def _toc_add(chunk: Chunk, renderer: FragmentRenderer, toc: list[_TocNode], stack: list[_TocNode]) -> None:
    for block in chunk.blocks:
        if isinstance(block, Heading):
            node = _TocNode(block.text.strip(), f"#{renderer.anchor(block)}", renderer.heading_level(block))
            while stack and stack[-1].level >= node.level:
                stack.pop()
            (stack[-1].children if stack else toc).append(node)
            stack.append(node)


def _section_timing(
    targets: list[tuple[Any, str, str | None]],
    chunk: Chunk,
    timing_sections: list[dict[str, Any]],
    profile: Profile,
    audio_names: dict[str, str],
) -> tuple[list[Clip], str | None]:
    """The clips of one page section and its MP3's artifact name, from the timings file.

    The section is the timings section that says the same sentences in the same order (as the EPUB's
    overlay of the same part uses the same speech section); page announcements are left out of both
    when the profile does not read them (the EPUB puts them in a file of their own)."""
    read_pages = profile.speech.read_page_numbers
    mains = [(unit, target) for unit, target, kind in targets if read_pages or kind != "pagebreak"]
    texts = [unit.text for unit, _ in mains]
    heading_id = chunk.heading.id if chunk.heading is not None else None
    for section in timing_sections:
        said = [clip.get("text") for clip in section.get("clips") or []]
        if texts and said == texts:
            clips = [
                Clip(target, float(clip["start_s"]), float(clip["end_s"]))
                for (_, target), clip in zip(mains, section["clips"], strict=True)
                if target and float(clip["end_s"]) > float(clip["start_s"])
            ]
            return clips, audio_names.get(str(section.get("file")))
    # Not the same sentences (the audio was made another way): the section's audio, without highlighting.
    same = next((s for s in timing_sections if heading_id and s.get("heading_id") == heading_id), None)
    return [], audio_names.get(str(same.get("file"))) if same else None


_GLOSSREF = re.compile(r'<a href="#([^"]+)" role="doc-glossref">(.*?)</a>')


def _glossary_in_place(body: str, renderer: FragmentRenderer, glossary: list[Any]) -> str:
    """Each glossary link becomes a button opening the term's definition in place (a ``popover``)."""
    by_id = {renderer.glossary_ids.get(e.term.strip()): e for e in glossary}

    def sub(match: re.Match[str]) -> str:
        entry = by_id.get(match.group(1))
        if entry is None:
            return match.group(0)
        pop = renderer.unique_id(f"pop-{match.group(1)}")
        lang = f' lang="{esc(entry.lang)}"' if entry.lang and entry.lang != renderer.doc.lang else ""
        return (
            f'<button type="button" class="glossref" popovertarget="{pop}">{match.group(2)}</button>'
            f'<span class="gloss-pop" id="{pop}" popover=""><strong{lang}>{esc(entry.term.strip())}</strong>'
            f"{esc(renderer.words['colon'])} {esc(entry.definition.strip())}</span>"
        )

    return _GLOSSREF.sub(sub, body)


_SUMMARY = re.compile(
    r'<aside class="summary" aria-label="([^"]*)"><p class="note-label">[^<]*</p>(.*?)</aside>'
)
_KEY_POINTS = re.compile(r'<p id="([^"]+)\.k1"([^>]*)>(.*?)</p>\n<(ul|ol) id="\1\.k2"(.*?)</\4>', re.DOTALL)
"""The key points the summary pass puts under a section's heading: its "Key points:" line (``<id>.k1``) and
list (``<id>.k2``), see :mod:`inclusio.adapt.summaries`."""


def _key_points(body: str, shown: bool) -> tuple[str, int]:
    """Each section's key points (and any other summary) as a ``<details>``, open or closed: the student
    shows or hides them. The "Key points:" line becomes the ``<summary>`` (still a read-along sentence)."""
    opened = " open" if shown else ""
    body, points = _KEY_POINTS.subn(
        lambda m: (
            f'<details class="summary"{opened}><summary id="{m.group(1)}.k1"{m.group(2)}>{m.group(3)}</summary>'
            f'<{m.group(4)} id="{m.group(1)}.k2"{m.group(5)}</{m.group(4)}></details>'
        ),
        body,
    )
    body, summaries = _SUMMARY.subn(
        lambda m: f'<details class="summary"{opened}><summary>{m.group(1)}</summary>{m.group(2)}</details>',
        body,
    )
    return body, points + summaries


def _mark_clips(body: str, clips: list[Clip]) -> str:
    """``data-b`` (the first clip's start) on every element a sentence highlights: a click starts there."""
    first: dict[str, float] = {}
    for clip in clips:
        first.setdefault(clip.target, clip.start_s)
    for target, start in first.items():
        body = body.replace(f' id="{target}"', f' id="{target}" data-b="{start:.3f}"', 1)
    return body


# -- the job's files -------------------------------------------------------------------------------------


def _artifact(svc: Any, job: Any, name: str) -> Any:
    record = (job.artifacts or {}).get(name)
    if record is None:
        return None
    path = svc.files.artifact_path(job.id, record["file"])
    return path if path.is_file() else None


def audio_names(artifacts: dict[str, dict[str, Any]] | None) -> dict[str, str]:
    """The section MP3s of a job's artifacts: file (as the timings name it) -> artifact name (``mp3-01``)."""
    return {record["file"]: name for name, record in (artifacts or {}).items() if name.startswith("mp3-")}


def job_book(svc: Any, job: Any, *, show_points: bool = True) -> tuple[ReaderBook, Profile]:
    """The reader's page of a finished job (``artifact.not_found`` when it has no Document to show)."""
    if not job.finished:
        raise ArtifactNotFound(
            "This document is not ready yet: its page says how far it is.",
            message_fr="Ce document n'est pas encore prêt : sa page indique où il en est.",
            details={"job": job.id, "artifact": READER_OUTPUT},
        )
    path = _artifact(svc, job, READER_OUTPUT)
    if path is None:
        raise ArtifactNotFound(
            "This document cannot be read online: ask for it again (the new version can), or download "
            "the files on its page.",
            message_fr=(
                "Ce document ne peut pas être lu en ligne : demandez-le de nouveau (la nouvelle version le "
                "pourra), ou téléchargez les fichiers sur sa page."
            ),
            details={"job": job.id, "artifact": READER_OUTPUT},
        )
    profile = with_reading(load_profile(job.profile_id, svc.settings.profiles_dir), job.reading)
    timings_path = _artifact(svc, job, "audio-timings")
    names = audio_names(job.artifacts)
    key = (
        job.id,
        _stamp(path),
        _stamp(timings_path),
        profile.model_dump_json(),
        tuple(sorted(names.items())),
        show_points,
    )

    def make() -> ReaderBook:
        timings = json.loads(timings_path.read_bytes()) if timings_path is not None else None
        return build_book(
            Document.from_json(path.read_bytes()), profile, timings, names, show_points=show_points
        )

    book = _cached(key, make)
    title = getattr(job, "title", None)  # the teacher's share title, when there is one
    return (replace(book, title=title) if title and title != book.title else book), profile


BOOKS_KEPT = 8
"""Books kept built in the process (a 265-page manual takes ~2 s to build and ~1 MB): a reload, or a display
option (a new page), does not build it again. Keyed by the files' size and time and the profile, so a release
(new files) builds the new one; a job's deletion leaves nothing reachable (its page is not found)."""
_BOOKS: OrderedDict[tuple[Any, ...], ReaderBook] = OrderedDict()
_BOOKS_LOCK = threading.Lock()


def _stamp(path: Any) -> tuple[str, int, int] | None:
    if path is None:
        return None
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def _cached(key: tuple[Any, ...], make: Callable[[], ReaderBook]) -> ReaderBook:
    with _BOOKS_LOCK:
        if key in _BOOKS:
            _BOOKS.move_to_end(key)
            return _BOOKS[key]
    book = make()
    with _BOOKS_LOCK:
        _BOOKS[key] = book
        while len(_BOOKS) > BOOKS_KEPT:
            _BOOKS.popitem(last=False)
    return book


def review_status_text(job: Any, lang: str) -> str:
    """The job's honest review status, the job page's own words (:func:`inclusio.web.status.review_status`)."""
    status = review_status(job, lang)
    label, detail = status["label"].strip(), status["detail"].strip()
    if label and detail and not label.endswith((".", "!", "?", ":")):
        label += "."
    return " ".join(part for part in (label, detail) if part)


# -- the student's settings -------------------------------------------------------------------------------


def reader_style(profile: Profile, prefs: dict[str, Any]) -> str:
    """CSS variables of the text: the job's profile, then the student's own settings (checked values)."""
    r = profile.reading
    # the catalogue's canonical names only (as the writers' style sheet), never a profile's own text
    font = web.READER_FONTS.get(prefs.get("font", ""), css_font_stack(r.font_family))
    size = prefs.get("size") or r.font_size_rem * 100
    line = prefs.get("line") or r.line_height
    letter = prefs.get("letter", r.letter_spacing_em)
    parts = [
        f"--rd-font:{font}",
        f"--rd-size:{float(size) / 100:.2f}rem",
        f"--rd-line:{float(line):.2f}",
        f"--rd-letter:{float(letter):.2f}em",
        f"--rd-word:{r.word_spacing_em:.2f}em",
        f"--rd-para:{r.paragraph_spacing_em:.2f}em",
        f"--rd-width:{r.max_line_chars}ch",
        f"--rd-fg:{r.colors.text}",
        f"--rd-bg:{r.colors.background}",
        f"--rd-link:{r.colors.link}",
        f"--rd-align:{r.text_align}",
    ]
    return ";".join(p.replace('"', "'") for p in parts)


def _position_path(svc: Any, job: Any, user_id: str) -> Any:
    return svc.files.job_dir(job.id) / POSITION_DIR / f"{user_id}.json"


def keeps_position(who: Any, job: Any) -> bool:
    """Positions are kept for the job's owner or learner only: erased with the job, so with their account."""
    return who.id in (job.owner_id, job.learner_id)


def saved_position(svc: Any, who: Any, job: Any) -> dict[str, Any] | None:
    """Where ``who`` stopped listening to ``job`` (checked values only), or None."""
    if not keeps_position(who, job):
        return None
    try:
        data = json.loads(_position_path(svc, job, who.id).read_bytes())
        section, time, speed = int(data["section"]), float(data["time"]), float(data.get("speed", 1.0))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if section < 1 or not 0 <= time <= 86_400 or speed not in SPEEDS:
        return None
    return {"section": section, "time": round(time, 3), "speed": speed}


def _clock(seconds: Any) -> str:
    whole = int(float(seconds)) if isinstance(seconds, int | float) else 0
    return f"{whole // 60}:{whole % 60:02d}"


def _flag(raw: str | None, default: bool) -> bool:
    return default if raw not in ("0", "1") else raw == "1"


# -- the profiles' fonts ----------------------------------------------------------------------------------

FONTS_CSS = "/web/fonts/faces.css"
FONT_TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2"}
FONT_MAX_AGE = 7 * 24 * 3600
"""A week in the browser's cache (the files change with a package upgrade only; the ETag says when)."""
_FONT_FILES: dict[str, tuple[bytes, str]] = {}
_FONT_LOCK = threading.Lock()


def served_fonts() -> dict[str, tuple[FontFamily, Any]]:
    """The font files the reader serves: file name -> (family, face), the catalogue's installed families only
    (:data:`inclusio.writers.fonts.CATALOGUE`, the fonts the EPUB embeds; nothing is ever downloaded)."""
    out: dict[str, tuple[FontFamily, Any]] = {}
    for family in CATALOGUE.values():
        if family.installed():
            for face in family.faces:
                out[face.path.name] = (family, face)
    return out


def font_faces_css() -> str:
    """``@font-face`` rules of every served font. The browser fetches a file only when the text's computed
    font stack reaches its family (the profile's or the student's font), so linking it costs nothing else."""
    rules = []
    for name, (family, face) in sorted(served_fonts().items()):
        rules.append(
            f"@font-face {{ font-family: '{family.name}'; src: url('/web/fonts/{name}') "
            f"format('{'opentype' if name.endswith('.otf') else 'truetype' if name.endswith('.ttf') else 'woff'}'); "
            f"font-weight: {face.weight}; font-style: {face.style}; font-display: swap; }}\n"
        )
    return "".join(rules)


def _font_bytes(name: str) -> tuple[bytes, str]:
    """The file's bytes and ETag, read once per process (six files of 40-55 KB)."""
    with _FONT_LOCK:
        if name not in _FONT_FILES:
            data = served_fonts()[name][1].path.read_bytes()
            _FONT_FILES[name] = (data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"')
        return _FONT_FILES[name]


def _font_answer(request: Request, body: bytes, etag: str, media_type: str) -> Response:
    headers = {"Cache-Control": f"public, max-age={FONT_MAX_AGE}", "ETag": etag}
    if etag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get(FONTS_CSS)
def font_faces(request: Request) -> Response:
    """The ``@font-face`` rules of the served fonts (no sign-in: fonts are not personal)."""
    css = font_faces_css().encode("utf-8")
    return _font_answer(request, css, '"' + hashlib.sha256(css).hexdigest()[:32] + '"', "text/css")


@router.get("/web/fonts/{name}")
def font_file(request: Request, name: str) -> Response:
    """One font file of the catalogue, by its file name only (no path), with its own media type."""
    if name not in served_fonts():
        raise FontNotFound(details={"font": name[:64]})
    body, etag = _font_bytes(name)
    return _font_answer(request, body, etag, FONT_TYPES.get(Path(name).suffix.lower(), "font/otf"))


# -- routes ----------------------------------------------------------------------------------------------


@router.get("/web/read/{job_id}")
def read_page(request: Request, job_id: str) -> Response:
    who = web.require_user(request)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    show_points = _flag(request.query_params.get("points"), True)
    book, profile = job_book(svc, job, show_points=show_points)
    t = translator(web.lang_of(request))
    ruler = _flag(request.query_params.get("ruler"), profile.id in RULER_PROFILES)
    position = saved_position(svc, who, job)
    NotificationStore(svc.store.db).mark_read_for_job(who.id, job.id)  # seen: they are reading it
    response = web.render(
        request,
        "read.html",
        {
            "job": job,
            "book": book,
            "status_line": review_status_text(job, web.lang_of(request)),
            "ruler": ruler,
            "show_points": show_points,
            "speeds": SPEEDS,
            "position": position,
            "position_text": t("rd_where", n=position["section"], time=_clock(position["time"]))
            if position
            else "",
            "page_css": {".reader-text": reader_style(profile, web.reading_prefs(request))},
        },
        who=who,
    )
    # The writers' pictures are data: URIs (SVG rebuilt from an allow-list): the one change to the policy.
    policy = response.headers["Content-Security-Policy"]
    response.headers["Content-Security-Policy"] = policy.replace("img-src 'self'", "img-src 'self' data:")
    return response


@router.post("/web/read/{job_id}/position")
def save_position(
    request: Request,
    job_id: str,
    csrf_token: Annotated[str, Form()] = "",
    section: Annotated[int, Form(ge=1, le=10_000)] = 1,
    time: Annotated[float, Form(ge=0.0, le=86_400.0)] = 0.0,
    speed: Annotated[float, Form(ge=0.75, le=2.0)] = 1.0,
) -> Response:
    """Where the student stopped listening (section, seconds, speed): kept for the owner or learner only."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    if keeps_position(who, job) and job.finished:
        path = _position_path(svc, job, who.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"section": section, "time": round(time, 3), "speed": speed if speed in SPEEDS else 1.0}
        svc.files.write_atomic(path, json.dumps(data).encode("utf-8"))
    return Response(status_code=204, headers={"Cache-Control": "no-store"})
