"""Single-page HTML writer: one self-contained, accessible HTML5 file.

Same semantic fragments as the EPUB (:mod:`inclusio.writers.xhtml`), plus what a web page
needs: ``lang`` on ``<html>``, a skip link to ``<main>``, a table of contents in a ``<nav>``,
the profile's style sheet inline, images embedded as ``data:`` URIs (one file to share or
put on a course platform), page markers as discreet visible ``<span role="doc-pagebreak">``,
and a footer saying how the page was made (generated, unreviewed text included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusio.analysis.images import count_images
from inclusio.errors import InclusioError
from inclusio.model import Document, Heading, Resource
from inclusio.model.flags import machine_definitions, machine_passages, unreviewed_starts
from inclusio.model.safe_markup import safe_image_data
from inclusio.model.view import student_glossary
from inclusio.store.files import write_atomic
from inclusio.writers.base import Artifact, RenderContext, writer_failed
from inclusio.writers.css import profile_css
from inclusio.writers.xhtml import (
    FragmentRenderer,
    accessibility_summary,
    applied_adaptations,
    data_uri,
    document_title,
    drop_empty_headings,
    esc,
    labels,
    output_heading_levels,
    split_top_sections,
)

HTML_MEDIA_TYPE = "text/html"


def _safe_data_uri(key: str, resource: Resource) -> str:
    """:func:`data_uri` of the picture, an SVG rebuilt again from the allow-list first (no active content)."""
    return data_uri(
        key, resource.model_copy(update={"data": safe_image_data(resource.media_type, resource.data)})
    )


@dataclass
class _TocNode:
    title: str
    href: str
    level: int
    children: list[_TocNode] = field(default_factory=list)


def _toc_html(nodes: list[_TocNode]) -> str:
    items = []
    for node in nodes:
        nested = _toc_html(node.children) if node.children else ""
        items.append(f'<li><a href="{esc(node.href)}">{esc(node.title)}</a>{nested}</li>')
    return "<ol>" + "".join(items) + "</ol>"


class HtmlWriter:
    """Writes ``<basename>.html`` (artifact ``html``), a single self-contained page.

    ``warnings`` (also on the artifact) lists what the reader loses or what was changed, with
    the same codes as :class:`inclusio.writers.epub3.Epub3Writer`.
    """

    name = "html"

    def __init__(self) -> None:
        self.warnings: list[dict[str, Any]] = []

    def write(self, doc: Document, ctx: RenderContext) -> list[Artifact]:
        """Render ``doc`` (the reader's view) to ``ctx.out_dir/<basename>.html``."""
        try:
            text = self.render(doc, ctx)
            ctx.out_dir.mkdir(parents=True, exist_ok=True)
            path = ctx.out_dir / f"{ctx.basename}.html"
            write_atomic(path, text.encode("utf-8"))
        except InclusioError:
            raise
        except Exception as exc:
            raise writer_failed(
                self.name, "The HTML page", "La page HTML n'a pas pu être écrite", exc
            ) from exc
        return [
            Artifact(name="html", path=Path(path), media_type=HTML_MEDIA_TYPE, warnings=list(self.warnings))
        ]

    def render(self, doc: Document, ctx: RenderContext) -> str:
        """The whole page as text (what :meth:`write` saves)."""
        self.warnings = []
        words = labels(doc.lang)
        title = document_title(doc)
        blocks, dropped = drop_empty_headings(list(doc.blocks))
        self.warnings += dropped
        view = doc.model_copy(update={"blocks": blocks})
        glossary = [e for e in student_glossary(doc.glossary) if e.term.strip()]  # never an undefined term
        renderer = FragmentRenderer(
            view,
            epub=False,
            image_src=_safe_data_uri,
            levels=output_heading_levels(blocks),
            glossary_href=(lambda ident: f"#{ident}") if glossary else None,
            unreviewed=unreviewed_starts(ctx.source, ctx.profile.adaptation_kinds),
        )
        main_id = renderer.unique_id("main")
        has_headings = any(isinstance(b, Heading) for b in blocks)

        sections: list[str] = []
        toc: list[_TocNode] = []
        stack: list[_TocNode] = []
        chunks = split_top_sections(blocks)
        if not has_headings:
            sections.append(f'<h1 id="{renderer.unique_id("title")}">{esc(title)}</h1>')
        for index, chunk in enumerate(chunks, start=1):
            ctx.progress(0.9 * (index - 1) / max(1, len(chunks)), f"HTML: part {index}/{len(chunks)}")
            body = renderer.render_blocks(chunk.blocks)
            if chunk.heading is not None:
                sections.append(
                    f'<section aria-labelledby="{renderer.anchor(chunk.heading)}">\n{body}\n</section>'
                )
            else:
                sections.append(f"<section>\n{body}\n</section>")
            for block in chunk.blocks:
                if isinstance(block, Heading):
                    node = _TocNode(
                        block.text.strip(), f"#{renderer.anchor(block)}", renderer.heading_level(block)
                    )
                    while stack and stack[-1].level >= node.level:
                        stack.pop()
                    (stack[-1].children if stack else toc).append(node)
                    stack.append(node)
        if glossary:
            title_id = renderer.unique_id("glossary")
            sections.append(
                f'<section role="doc-glossary" aria-labelledby="{title_id}">'
                f'<h1 id="{title_id}">{esc(words["glossary"])}</h1>{renderer.glossary(glossary)}</section>'
            )
            toc.append(_TocNode(words["glossary"], f"#{title_id}", 1))
        self.warnings += renderer.warnings

        summary = accessibility_summary(
            doc,
            images=renderer.images,
            pages=len(renderer.page_ids),
            has_toc=bool(toc),
            adaptations=applied_adaptations(ctx.source, ctx.profile),
            fmt="HTML",
            page_list=False,
            mathml=renderer.has_mathml,
            glossary=len(glossary),
            passages=machine_passages(ctx.source, ctx.profile.adaptation_kinds, ctx.profile.parallel_kinds),
            release_confirmed=ctx.release_confirmed,
            image_count=count_images(ctx.source),  # the audit's and the report's count
            definitions=machine_definitions(glossary),
        )
        nav = ""
        if toc:
            nav = (
                f'<nav class="toc" aria-label="{esc(words["toc"])}">'
                f'<p class="toc-title">{esc(words["toc"])}</p>{_toc_html(toc)}</nav>'
            )
        ctx.progress(1.0, "HTML: done")
        return "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{esc(doc.lang)}">',
                "<head>",
                '<meta charset="utf-8"/>',
                '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
                f"<title>{esc(title)}</title>",
                f'<meta name="description" content="{esc(summary)}"/>',
                '<meta name="generator" content="inclusio"/>',
                f"<style>\n{profile_css(ctx.profile)}</style>",
                "</head>",
                "<body>",
                f'<a class="skip-link" href="#{main_id}">{esc(words["skip"])}</a>',
                nav,
                f'<main id="{main_id}" tabindex="-1">',
                *sections,
                "</main>",
                f'<footer><p class="provenance">{esc(summary)}</p></footer>',
                "</body>",
                "</html>",
                "",
            ]
        )
