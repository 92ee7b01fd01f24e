"""EPUB 3 writer (ebooklib 0.20), aiming at EPUB Accessibility 1.1 (STANDARDS.md §1).

The book has:

* one XHTML file per top-level section (:func:`inclusio.writers.xhtml.split_top_sections`; a
  preamble before the first heading gets its own file), each with ``lang``/``xml:lang`` on
  ``<html>`` and a ``<title>``; a translation shown beside the text (parallel text) adds its
  language as a second ``dc:language``;
* headings that follow the whole publication's hierarchy with no skipped level (a skipped
  source level is clamped, see :func:`inclusio.writers.xhtml.output_heading_levels`, and
  recorded as an ``info`` warning ``heading.level_clamped``);
* a navigation document with the nested table of contents in reading order, landmarks
  (``toc`` and ``bodymatter``) and, when the document has page markers, a page-list, with
  ``pageBreakSource`` and ``dc:source`` naming the source file and its SHA-256;
* accessibility metadata computed from what the book really contains (access modes,
  features, hazards, a summary naming the gaps and any generated, unreviewed text); no
  conformance claim (that needs an evaluation by the deploying organisation);
* a style sheet from the learner profile (:func:`inclusio.writers.css.profile_css`), with the
  fonts it names embedded when Debian packages them (:mod:`inclusio.writers.fonts`, licence
  included in ``fonts/``);
* MathML for formulas that have it (``mathml`` manifest property), section summaries, and the
  glossary (``Document.glossary``) as back matter (``glossary.xhtml``, ``epub:type="glossary"``)
  linked from the first occurrence of each term per block;
* read-along (:func:`wants_read_along`): EPUB 3 media overlays, one SMIL and one MP3 per XHTML
  file, sentence by sentence (:mod:`inclusio.writers.media_overlay`), with ``media:duration``
  and ``media:active-class``; the ``auditory`` access mode and ``synchronizedAudioText``.

The WCAG conformance claim is added afterwards, only to a book that passed EPUBCheck and Ace,
by :func:`inclusio.validate.ace.check_and_claim`.

ebooklib never writes ``xml:lang`` on ``<package>``: the zip is rewritten afterwards
(``mimetype`` first and stored), which also adds ``role="doc-pagelist"`` to the page-list.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusio.analysis.images import count_images
from inclusio.errors import InclusioError
from inclusio.model import Document, Heading, Resource
from inclusio.model.flags import machine_definitions, machine_passages, unreviewed_starts
from inclusio.model.safe_markup import safe_image_data
from inclusio.model.view import student_glossary
from inclusio.profiles import Profile
from inclusio.warning_codes import warning, warning_text
from inclusio.writers.base import Artifact, RenderContext, writer_failed
from inclusio.writers.css import profile_css
from inclusio.writers.fonts import font_face_css, fonts_to_embed
from inclusio.writers.media_overlay import (
    ACTIVE_CLASS,
    Overlay,
    OverlayPart,
    active_class_css,
    build_overlays,
    clock,
    smil_document,
    spoken_targets,
)
from inclusio.writers.xhtml import (
    Chunk,
    FragmentRenderer,
    ImageStats,
    accessibility_summary,
    applied_adaptations,
    document_title,
    drop_empty_headings,
    esc,
    labels,
    output_heading_levels,
    split_top_sections,
)

EPUB_MEDIA_TYPE = "application/epub+zip"
OPF_PATH = "EPUB/content.opf"
_PACKAGE_DIR = "EPUB"
"""The folder ebooklib writes the book's items into."""
_NAV_PATH = "EPUB/nav.xhtml"
IDENTIFIER_NAMESPACE = uuid.UUID("6f1c1b8e-6a58-4c55-9a3e-2f6a1d1c9e01")
"""Namespace for :func:`book_identifier` (fixed forever: changing it changes every book's id)."""


def book_identifier(source_sha256: str, profile_id: str) -> str:
    """``urn:uuid:`` derived from the source file and the profile: the same inputs give the same id."""
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, f'{source_sha256}:{profile_id}')}"


def wants_read_along(profile: Profile) -> bool:
    """Whether the EPUB gets media overlays: ``profile.speech.read_along`` when set, else whenever the
    profile asks for audio (``mp3`` in its outputs)."""
    explicit = profile.speech.read_along
    return explicit if explicit is not None else "mp3" in profile.outputs


def accessibility_metadata(
    images: ImageStats,
    *,
    has_headings: bool,
    has_pages: bool,
    read_along: bool = False,
    mathml: bool = False,
    glossary: bool = False,
) -> dict[str, list[str]]:
    """The ``schema:`` accessibility properties for a book with this content (STANDARDS §1 values).

    ``alternativeText`` only when every informative image has a real alt text (a caption
    reused as alt, or the placeholder, does not count); ``pageNavigation`` and
    ``pageBreakMarkers`` only with a page-list.
    """
    visual = images.shown > 0
    all_described = images.described == images.shown
    modes = ["textual"] + (["visual"] if visual else []) + (["auditory"] if read_along else [])
    sufficient = (["textual,visual"] if visual else []) + (["textual"] if all_described else [])
    features = ["tableOfContents", "readingOrder"]
    if has_headings:
        features.insert(0, "structuralNavigation")
    if visual and all_described:
        features.append("alternativeText")
    if images.long_descriptions:
        features.append("longDescription")
    if has_pages:
        features += ["pageNavigation", "pageBreakMarkers"]
    if mathml:
        features.append("MathML")
    if glossary:
        features.append("index")  # the glossary is reachable from the terms and the TOC
    if read_along:
        features.append("synchronizedAudioText")
    return {
        "schema:accessMode": modes,
        "schema:accessModeSufficient": sufficient,
        "schema:accessibilityFeature": features,
        "schema:accessibilityHazard": ["none"],
    }


@dataclass
class _TocNode:
    title: str
    href: str
    level: int
    children: list[_TocNode] = field(default_factory=list)


def _safe_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)[:80] or "image"


def _nest_headings(
    blocks: list[Any],
    file_name: str,
    renderer: FragmentRenderer,
    toc_roots: list[_TocNode],
    stack: list[_TocNode],
) -> None:
    """Add the headings of one file to the TOC, nested by output level (``stack``: the open entries)."""
    for block in blocks:
        if not isinstance(block, Heading):
            continue
        node = _TocNode(
            block.text.strip(), f"{file_name}#{renderer.anchor(block)}", renderer.heading_level(block)
        )
        while stack and stack[-1].level >= node.level:
            stack.pop()
        (stack[-1].children if stack else toc_roots).append(node)
        stack.append(node)


class Epub3Writer:
    """Writes ``<basename>.epub`` (artifact ``epub``). See the module docstring for what it contains.

    After :meth:`write`, ``warnings`` holds what the reader loses or what was changed (the same
    list as the artifact's ``warnings``): ``image.alt_missing`` (placeholder alt text in the
    document's language), ``image.alt_from_caption``, ``image.missing``,
    ``image.unsupported_format``, ``heading.level_clamped`` (info), ``heading.empty`` (info),
    ``render.block_failed``. Raises :class:`~inclusio.errors.StageError` if the book cannot be
    written at all.
    """

    name = "epub"

    def __init__(self) -> None:
        self.warnings: list[dict[str, Any]] = []
        self.streamed: dict[str, Path] = {}
        """Entries of the book copied from a file when the package is finished (the read-along MP3s:
        hundreds of MB for a long course, never held in memory nor compressed again)."""

    def write(self, doc: Document, ctx: RenderContext) -> list[Artifact]:
        """Render ``doc`` (the reader's view) to ``ctx.out_dir/<basename>.epub``."""
        try:
            path = self._write(doc, ctx)
        except InclusioError:
            raise
        except Exception as exc:  # ebooklib/lxml failures become a typed, reportable error
            raise writer_failed(self.name, "The EPUB", "L'EPUB n'a pas pu être écrit", exc) from exc
        return [Artifact(name="epub", path=path, media_type=EPUB_MEDIA_TYPE, warnings=list(self.warnings))]

    # -- building ---------------------------------------------------------------------------

    def _write(self, doc: Document, ctx: RenderContext) -> Path:
        from ebooklib import epub

        self.warnings = []
        self.streamed = {}
        words = labels(doc.lang)
        title = document_title(doc)
        blocks, dropped = drop_empty_headings(list(doc.blocks))
        self.warnings += dropped
        view = doc.model_copy(update={"blocks": blocks})

        images: dict[str, tuple[str, Resource]] = {}  # resource key -> (file name, resource)

        def image_src(key: str, resource: Resource) -> str:
            if key not in images:
                images[key] = (f"images/{_safe_name(key)}-{len(images) + 1}.{resource.extension}", resource)
            return images[key][0]

        levels = output_heading_levels(blocks)
        read_along = wants_read_along(ctx.profile)
        glossary = [e for e in student_glossary(doc.glossary) if e.term.strip()]  # never an undefined term
        renderer = FragmentRenderer(
            view,
            epub=True,
            image_src=image_src,
            levels=levels,
            read_along=read_along,
            glossary_href=(lambda ident: f"glossary.xhtml#{ident}") if glossary else None,
            unreviewed=unreviewed_starts(ctx.source, ctx.profile.adaptation_kinds),
        )
        chunks = split_top_sections(blocks) or [Chunk(heading=None, blocks=[])]
        has_headings = any(isinstance(b, Heading) for b in blocks)

        book = epub.EpubBook()
        book.set_identifier(book_identifier(doc.source.sha256, ctx.profile.id))
        book.set_title(title)
        book.set_language(doc.lang)
        for author in doc.authors:
            if author.strip():
                book.add_author(author.strip())

        css = self._style(book, ctx)

        files, parts, toc_roots = self._add_parts(book, chunks, renderer, doc, ctx, title, has_headings, css)

        for lang in sorted(renderer.parallel_langs - {doc.lang}):  # the translations beside the text
            book.add_metadata("DC", "language", lang)
        _add_images(book, images)

        glossary_item = (
            self._glossary_item(book, renderer, glossary, words, doc.lang, css) if glossary else None
        )
        if glossary_item is not None:
            toc_roots.append(_TocNode(words["glossary"], "glossary.xhtml", 1))

        overlays: list[Overlay] = []
        if read_along:
            ctx.progress(0.5, "EPUB: read-along audio")
            try:
                overlays = self._overlays(book, files, parts, doc, ctx, renderer)
            except InclusioError as exc:
                # No speech (missing voice, lame, libespeak): the book is still delivered, without
                # read-along, and says so; its metadata then claims no synchronised audio.
                self.warnings.append(
                    {
                        "code": "epub.read_along_failed",
                        "severity": "warning",
                        "block_id": None,
                        "message": warning_text("epub.read_along_failed", "en", reason=exc.message),
                        "message_fr": warning_text("epub.read_along_failed", "fr", reason=exc.message_fr),
                    }
                )
        self.warnings += renderer.warnings
        self._metadata(book, doc, ctx, renderer, has_headings, overlays=overlays, glossary=len(glossary))
        self._package(book, ctx, files, toc_roots, words, css, glossary_item, doc)
        ctx.progress(1.0, "EPUB: done")
        return ctx.out_dir / f"{ctx.basename}.epub"

    def _add_parts(
        self,
        book: Any,
        chunks: list[Chunk],
        renderer: FragmentRenderer,
        doc: Document,
        ctx: RenderContext,
        title: str,
        has_headings: bool,
        css: Any,
    ) -> tuple[list[Any], list[OverlayPart], list[_TocNode]]:
        """One XHTML file per top section, added to ``book``; its files, read-along parts and TOC roots."""
        from ebooklib import epub

        words = labels(doc.lang)
        files: list[Any] = []
        parts: list[OverlayPart] = []
        toc_roots: list[_TocNode] = []
        stack: list[_TocNode] = []
        for index, chunk in enumerate(chunks, start=1):
            ctx.progress(0.8 * (index - 1) / len(chunks), f"EPUB: part {index}/{len(chunks)}")
            file_name = f"part-{index:03d}.xhtml"
            body = renderer.render_blocks(chunk.blocks)
            if not has_headings and index == 1:
                # A book with no heading at all still needs something to navigate to: its title.
                body = f'<h1 id="{renderer.unique_id("title")}">{esc(title)}</h1>\n{body}'
            if chunk.heading is not None:
                heading_id = renderer.anchor(chunk.heading)
                section = (
                    f'<section epub:type="chapter" role="doc-chapter" aria-labelledby="{heading_id}">'
                    f"\n{body}\n</section>"
                )
                file_title = chunk.heading.text.strip()
            else:
                section = f"<section>\n{body}\n</section>"
                file_title = title
            item = epub.EpubHtml(
                uid=f"part-{index:03d}", title=file_title, file_name=file_name, lang=doc.lang
            )
            item.content = f"<html><head></head><body>{section}</body></html>".encode()
            if "<math" in body:
                item.properties.append("mathml")
            item.add_item(css)
            book.add_item(item)
            files.append(item)
            parts.append(OverlayPart(file_name, chunk.blocks, section))

            # TOC entries in reading order, nested by output level.
            if chunk.heading is None:
                toc_roots.append(_TocNode(words["start"] if has_headings else title, file_name, 1))
                stack = []
            _nest_headings(chunk.blocks, file_name, renderer, toc_roots, stack)
        return files, parts, toc_roots

    def _style(self, book: Any, ctx: RenderContext) -> Any:
        """The profile's style sheet (with the embedded fonts' faces and the read-along class), added to ``book``."""
        from ebooklib import epub

        read_along = wants_read_along(ctx.profile)
        css_text = profile_css(ctx.profile)
        embedded, not_installed = fonts_to_embed(ctx.profile)
        for family in embedded:
            css_text = font_face_css(family, "../fonts") + css_text
            for face in family.faces:
                book.add_item(
                    epub.EpubItem(
                        uid=f"font-{_safe_name(face.path.stem)}",
                        file_name=f"fonts/{face.path.name}",
                        media_type=face.media_type,
                        content=face.path.read_bytes(),
                    )
                )
            book.add_item(
                epub.EpubItem(
                    uid=f"font-licence-{_safe_name(family.name)}",
                    file_name=f"fonts/{_safe_name(family.name)}-LICENCE.txt",
                    media_type="text/plain",
                    content=family.licence_file.read_bytes(),
                )
            )
        for name in not_installed:
            self.warnings.append(warning("font.not_installed", severity="info", name=name))
        if read_along:
            css_text += active_class_css(ctx.profile.reading.colors.text)
        css = epub.EpubItem(
            uid="style-profile",
            file_name="style/inclusio.css",
            media_type="text/css",
            content=css_text.encode("utf-8"),
        )
        book.add_item(css)
        return css

    @staticmethod
    def _glossary_item(
        book: Any, renderer: FragmentRenderer, glossary: list[Any], words: dict[str, str], lang: str, css: Any
    ) -> Any:
        """The glossary's page, added to ``book``."""
        from ebooklib import epub

        glossary_body = renderer.glossary(glossary)
        glossary_item = epub.EpubHtml(
            uid="glossary", title=words["glossary"], file_name="glossary.xhtml", lang=lang
        )
        glossary_item.content = (
            f'<html><head></head><body><section epub:type="glossary" role="doc-glossary" '
            f'aria-labelledby="glossary-title"><h1 id="glossary-title">{esc(words["glossary"])}</h1>'
            f"{glossary_body}</section></body></html>"
        ).encode()
        glossary_item.add_item(css)
        book.add_item(glossary_item)
        return glossary_item

    def _overlays(
        self,
        book: Any,
        files: list[Any],
        parts: list[OverlayPart],
        doc: Document,
        ctx: RenderContext,
        renderer: FragmentRenderer,
    ) -> list[Overlay]:
        """Attach one SMIL + MP3 per XHTML file (see media_overlay); the MP3s are the job's speech sections."""
        from ebooklib import epub

        from inclusio.writers.speech_audio import job_store

        targets = [
            (part, spoken_targets(part, doc, ctx.profile, renderer.sentence_spans, renderer.block_anchors))
            for part in parts
        ]
        store = job_store(ctx, doc.lang)
        built, audio_files = build_overlays(
            targets,
            store,
            read_pages=ctx.profile.speech.read_page_numbers,
            progress=lambda f, m: ctx.progress(0.5 + 0.4 * f, f"EPUB: {m}"),
        )
        for name, audio in audio_files.items():
            # An empty entry in ebooklib's package; _finish_package copies the stored section file into it.
            book.add_item(
                epub.EpubItem(
                    uid=f"audio-{Path(name).stem}", file_name=name, media_type="audio/mpeg", content=b""
                )
            )
            self.streamed[f"{_PACKAGE_DIR}/{name}"] = audio.mp3
        by_name = {item.file_name: item for item in files}
        for overlay in built:
            stem = Path(overlay.xhtml).stem
            smil = epub.EpubSMIL(uid=f"smil-{stem}", file_name=overlay.smil, content=smil_document(overlay))
            book.add_item(smil)
            by_name[overlay.xhtml].media_overlay = smil.id
        self.warnings += store.voice_warnings()  # a Piper voice missing for a language read along
        return built

    def _package(
        self,
        book: Any,
        ctx: RenderContext,
        files: list[Any],
        toc_roots: list[_TocNode],
        words: dict[str, str],
        css: Any,
        glossary_item: Any,
        doc: Document,
    ) -> None:
        from ebooklib import epub

        counter = iter(range(1, 1_000_000))

        def to_ebooklib(node: _TocNode) -> Any:
            if node.children:
                return (epub.Section(node.title, href=node.href), [to_ebooklib(c) for c in node.children])
            return epub.Link(node.href, node.title, f"toc-{next(counter)}")

        book.toc = [to_ebooklib(node) for node in toc_roots]
        nav = epub.EpubNav(title=words["toc"])
        nav.add_item(css)
        book.add_item(nav)
        book.add_item(epub.EpubNcx())  # for EPUB 2 reading systems; harmless for EPUB 3 ones
        # The nav is in the spine (non-linear) because the landmarks link to it (EPUBCheck RSC-011).
        book.spine = [(nav, "no"), *files, *([glossary_item] if glossary_item is not None else [])]
        book.guide = [
            {"type": "toc", "href": "nav.xhtml", "title": words["toc"]},
            {"type": "text", "href": files[0].file_name, "title": files[0].title},  # -> bodymatter
        ]
        if glossary_item is not None:
            book.guide.append({"type": "glossary", "href": "glossary.xhtml", "title": words["glossary"]})

        ctx.out_dir.mkdir(parents=True, exist_ok=True)
        final = ctx.out_dir / f"{ctx.basename}.epub"
        ctx.progress(0.85, "EPUB: writing the package")
        with tempfile.TemporaryDirectory(dir=ctx.out_dir, prefix=".epub-") as tmp:
            raw = Path(tmp) / "raw.epub"
            epub.write_epub(
                str(raw),
                book,
                {
                    "epub3_landmark": True,
                    "epub3_pages": True,
                    "landmark_title": words["landmarks"],
                    "pages_title": words["pages"],
                    "mtime": dt.datetime.now(dt.UTC),
                    "raise_exceptions": True,
                },
            )
            fixed = Path(tmp) / "fixed.epub"
            _finish_package(raw, fixed, doc.lang, self.streamed)
            os.replace(fixed, final)

    def _metadata(
        self,
        book: Any,
        doc: Document,
        ctx: RenderContext,
        renderer: FragmentRenderer,
        has_headings: bool,
        *,
        overlays: list[Overlay],
        glossary: int,
    ) -> None:
        has_pages = bool(renderer.page_ids)
        for prop, values in accessibility_metadata(
            renderer.images,
            has_headings=has_headings,
            has_pages=has_pages,
            read_along=bool(overlays),
            mathml=renderer.has_mathml,
            glossary=bool(glossary),
        ).items():
            for value in values:
                book.add_metadata(None, "meta", value, {"property": prop})
        if overlays:
            for overlay in overlays:
                book.add_metadata(
                    None,
                    "meta",
                    clock(overlay.duration_s),
                    {"property": "media:duration", "refines": f"#smil-{Path(overlay.xhtml).stem}"},
                )
            book.add_metadata(
                None, "meta", clock(sum(o.duration_s for o in overlays)), {"property": "media:duration"}
            )
            book.add_metadata(None, "meta", ACTIVE_CLASS, {"property": "media:active-class"})
        summary = accessibility_summary(
            doc,
            images=renderer.images,
            pages=len(renderer.page_ids),
            has_toc=True,
            adaptations=applied_adaptations(ctx.source, ctx.profile),
            fmt="EPUB",
            read_along=bool(overlays),
            mathml=renderer.has_mathml,
            glossary=glossary,
            passages=machine_passages(ctx.source, ctx.profile.adaptation_kinds, ctx.profile.parallel_kinds),
            release_confirmed=ctx.release_confirmed,
            image_count=count_images(ctx.source),  # the audit's and the report's count
            definitions=machine_definitions([e for e in student_glossary(doc.glossary) if e.term.strip()]),
        )
        book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
        if has_pages:
            source = f"{doc.source.filename} (sha256 {doc.source.sha256})"
            book.add_metadata("DC", "source", source)
            book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})


def rewrite_package(path: Path, transforms: dict[str, Callable[[bytes], bytes]]) -> None:
    """Rewrite the EPUB at ``path`` in place, passing the named entries through ``transforms``.

    ``mimetype`` stays first and stored; the other entries are copied as they are stored (streamed,
    never decompressed whole: a read-along book holds hundreds of MB of MP3); the new file replaces the
    old one atomically.
    """
    tmp = path.with_name(f".{path.name}.rewrite")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
            dst.writestr(
                zipfile.ZipInfo("mimetype"), b"application/epub+zip", compress_type=zipfile.ZIP_STORED
            )
            for info in src.infolist():
                if info.filename == "mimetype":
                    continue
                if info.filename in transforms:
                    data = transforms[info.filename](src.read(info.filename))
                    dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.compress_type, entry.file_size = info.compress_type, info.file_size
                with src.open(info) as reader, dst.open(entry, "w") as writer:
                    shutil.copyfileobj(reader, writer, _COPY_CHUNK)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


_COPY_CHUNK = 1 << 20


def _copy_into(dst: zipfile.ZipFile, name: str, source: Path) -> None:
    """``source`` as the entry ``name``, streamed and stored (MP3 does not compress)."""
    entry = zipfile.ZipInfo(name, date_time=time.localtime(source.stat().st_mtime)[:6])
    entry.compress_type, entry.file_size = zipfile.ZIP_STORED, source.stat().st_size
    with source.open("rb") as reader, dst.open(entry, "w") as writer:
        shutil.copyfileobj(reader, writer, _COPY_CHUNK)


def _finish_package(raw: Path, out: Path, lang: str, streamed: dict[str, Path] | None = None) -> None:
    """Copy the EPUB with ``xml:lang`` on ``<package>`` and ``role="doc-pagelist"`` on the page-list;
    the entries named in ``streamed`` are filled from their file (see :attr:`Epub3Writer.streamed`).

    ``mimetype`` is written first and uncompressed, as the OCF container requires.
    """
    from lxml import etree

    xml_ns = "http://www.w3.org/XML/1998/namespace"
    epub_ns = "http://www.idpf.org/2007/ops"
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        dst.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for info in src.infolist():
            if info.filename == "mimetype":
                continue
            if streamed and info.filename in streamed:
                _copy_into(dst, info.filename, streamed[info.filename])
                continue
            data = src.read(info.filename)
            if info.filename == OPF_PATH:
                tree = etree.fromstring(data)
                tree.set(f"{{{xml_ns}}}lang", lang)
                _never_scripted(tree)
                data = etree.tostring(tree, xml_declaration=True, encoding="utf-8", pretty_print=True)
            elif info.filename == _NAV_PATH:
                tree = etree.fromstring(data)
                for nav in tree.iter("{http://www.w3.org/1999/xhtml}nav"):
                    if nav.get(f"{{{epub_ns}}}type") == "page-list":
                        nav.set("role", "doc-pagelist")
                data = etree.tostring(
                    tree, xml_declaration=True, encoding="utf-8", pretty_print=True, doctype="<!DOCTYPE html>"
                )
            elif info.filename.endswith((".xhtml", ".svg")):
                data = without_active_content(data)
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)


_ACTIVE = ("script", "foreignObject", "iframe", "object", "embed", "handler", "listener")


def _never_scripted(opf: Any) -> None:
    """No manifest item is ``scripted`` or has ``remote-resources``: the book runs and fetches nothing."""
    for item in opf.iter("{http://www.idpf.org/2007/opf}item"):
        props = [
            p for p in (item.get("properties") or "").split() if p not in ("scripted", "remote-resources")
        ]
        if props:
            item.set("properties", " ".join(props))
        elif item.get("properties") is not None:
            del item.attrib["properties"]


def without_active_content(data: bytes) -> bytes:
    """An XHTML or SVG entry of the book without scripts, frames, ``foreignObject``, ``on*`` handlers or
    ``javascript:`` links. The writers never make any; this is the last gate before the zip, so a book
    can be shown to contain none. Unchanged (same bytes) when there is nothing to remove."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return data  # not ours to repair: EPUBCheck reports it
    changed = False
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        if etree.QName(element).localname in _ACTIVE and parent is not None:
            parent.remove(element)
            changed = True
            continue
        for key, value in list(element.attrib.items()):
            name = etree.QName(key).localname.lower()
            script_url = re.sub(r"\s", "", value).lower().startswith(("javascript:", "vbscript:"))
            if name.startswith("on") or (("href" in name or name == "src") and script_url):
                del element.attrib[key]
                changed = True
    if not changed:
        return data
    doctype = (
        "<!DOCTYPE html>" if data.lstrip().startswith(b"<?xml") and b"<!DOCTYPE html>" in data[:300] else None
    )
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8", doctype=doctype)


def _add_images(book: Any, images: dict[str, tuple[str, Resource]]) -> None:
    """Add the rendered images (resource key -> (file name, resource)) to ``book``, their data checked."""
    from ebooklib import epub

    for key, (file_name, resource) in images.items():
        book.add_item(
            epub.EpubImage(
                uid=f"img-{_safe_name(key)}",
                file_name=file_name,
                media_type=resource.media_type,
                content=safe_image_data(resource.media_type, resource.data),
            )
        )
