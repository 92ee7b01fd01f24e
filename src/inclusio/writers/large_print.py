"""Large-print PDF: the document laid out on A4 for print in the profile's large type (PyMuPDF Story).

Output ``<basename>.large-print.pdf`` (artifact ``large-print``). The same semantic fragments as
the HTML page (:mod:`inclusio.writers.xhtml`), with a print style sheet derived from the profile:

* body text at ``max(18 pt, 12 pt x profile font size)`` (18 pt is the usual large-print minimum;
  the low-vision profile gives 21.6 pt), headings larger and bold, never italic or justified;
* line spacing, letter and word spacing and colours from the profile (text colour on white
  paper: coloured paper is the printer's choice);
* page numbers at the bottom of each page, the source's page numbers shown in the text;
* images at most the text width, with their alt text and captions beside them.

A PDF made this way is for reading on paper or a screen magnifier: it is **not** a tagged PDF
(PDF/UA), so screen-reader users get the EPUB or the HTML page instead. PyMuPDF's Story engine
supports a subset of CSS (no ``letter-spacing``): spacing beyond line height is approximated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from inclusio.errors import InclusioError
from inclusio.model import Document, Resource
from inclusio.profiles import Profile
from inclusio.warning_codes import warning
from inclusio.writers.base import Artifact, RenderContext, writer_failed
from inclusio.writers.xhtml import (
    FragmentRenderer,
    document_title,
    drop_empty_headings,
    esc,
    output_heading_levels,
)

PDF_MEDIA_TYPE = "application/pdf"
MIN_BODY_PT = 18.0
_MARGIN_PT = 56.0  # ~2 cm
_FOOTER_PT = 28.0


def body_size_pt(profile: Profile) -> float:
    """The body text size in points for ``profile`` (never below :data:`MIN_BODY_PT`)."""
    return round(max(MIN_BODY_PT, 12.0 * profile.reading.font_size_rem), 1)


def print_css(profile: Profile) -> str:
    """The Story style sheet: large type, profile spacing and colours, left-aligned."""
    r = profile.reading
    size = body_size_pt(profile)
    return f"""
body {{ font-family: sans-serif; font-size: {size}pt; line-height: {r.line_height}; color: {r.colors.text};
        text-align: left; }}
p, li, td, th, figcaption, aside, blockquote {{ text-align: left; }}
p {{ margin-bottom: {r.paragraph_spacing_em}em; }}
h1 {{ font-size: {round(size * 1.5, 1)}pt; font-weight: bold; margin-top: 0.8em; margin-bottom: 0.4em; }}
h2 {{ font-size: {round(size * 1.3, 1)}pt; font-weight: bold; margin-top: 0.8em; margin-bottom: 0.3em; }}
h3, h4, h5, h6 {{ font-size: {round(size * 1.15, 1)}pt; font-weight: bold; margin-top: 0.6em; }}
a {{ color: {r.colors.link}; text-decoration: underline; }}
th {{ font-weight: bold; }}
td, th {{ border: 1px solid {r.colors.text}; padding: 4pt; }}
.pagebreak {{ font-size: {round(size * 0.8, 1)}pt; text-align: right; }}
.note-label {{ font-weight: bold; }}
aside {{ margin-left: 1em; }}
.parallel-translation {{ margin-left: 1.5em; color: {r.colors.link}; }}
.heading-translation {{ font-size: {round(size * 1.15, 1)}pt; }}
"""


def _text_tail(html: str, chars: int = 40) -> str:
    """The last ``chars`` characters of the text of ``html``, whitespace normalised (the completeness check)."""
    from lxml import html as lxml_html

    text = " ".join(lxml_html.fromstring(html).text_content().split())
    return text[-chars:]


class LargePrintWriter:
    """The ``large-print`` writer (see the module docstring)."""

    name = "large-print"

    def __init__(self) -> None:
        self.warnings: list[dict[str, Any]] = []

    def write(self, doc: Document, ctx: RenderContext) -> list[Artifact]:
        """Write ``<basename>.large-print.pdf``; raises :class:`StageError` if it cannot be laid out."""
        try:
            path = self._write(doc, ctx)
        except InclusioError:
            raise
        except Exception as exc:
            raise writer_failed(
                self.name, "The large-print PDF", "Le PDF en gros caractères n'a pas pu être écrit", exc
            ) from exc
        finally:  # the layout's scratch files, whatever happened (a full disk included)
            final = ctx.out_dir / f"{ctx.basename}.large-print.pdf"
            for scratch in (final.with_name(f".{final.name}.tmp"), final.with_name(f".{final.name}.part")):
                scratch.unlink(missing_ok=True)
        return [
            Artifact(name="large-print", path=path, media_type=PDF_MEDIA_TYPE, warnings=list(self.warnings))
        ]

    def _write(self, doc: Document, ctx: RenderContext) -> Path:
        from inclusio.pymupdf_setup import load

        pymupdf = load()

        blocks, dropped = drop_empty_headings(list(doc.blocks))
        self.warnings = list(dropped)
        view = doc.model_copy(update={"blocks": blocks})
        archive = pymupdf.Archive()
        names: dict[str, str] = {}

        def image_src(key: str, resource: Resource) -> str:
            if key not in names:
                names[key] = f"img{len(names) + 1}.{resource.extension}"
                archive.add(resource.data, names[key])
            return names[key]

        renderer = FragmentRenderer(
            view, epub=False, image_src=image_src, levels=output_heading_levels(blocks)
        )
        title = document_title(doc)
        body = renderer.render_blocks(blocks)
        self.warnings += renderer.warnings
        html = (
            f"<html><body><h1>{esc(title)}</h1>\n{body}</body></html>"
            if not any(b.type == "heading" for b in blocks)
            else f"<html><body>{body}</body></html>"
        )

        ctx.out_dir.mkdir(parents=True, exist_ok=True)
        path = ctx.out_dir / f"{ctx.basename}.large-print.pdf"
        tmp = path.with_name(f".{path.name}.tmp")
        tail = _text_tail(html)
        page_rect = pymupdf.paper_rect("a4")
        # PyMuPDF 2.0's Story sometimes stops placing content early at some text-box heights (a
        # block that straddles the bottom edge): check that the end of the text is in the PDF and
        # retry with a slightly different box, rather than deliver a silently truncated book.
        for attempt, shrink in enumerate((0.0, 14.0, -10.0, 28.0, 42.0)):
            where = page_rect + (_MARGIN_PT, _MARGIN_PT, -_MARGIN_PT, -_MARGIN_PT - _FOOTER_PT - shrink)
            story = pymupdf.Story(html, user_css=print_css(ctx.profile), archive=archive)
            writer = pymupdf.DocumentWriter(str(tmp))
            story.write(writer, lambda _n, _filled, where=where: (page_rect, where, None))
            writer.close()
            with pymupdf.open(str(tmp)) as check:
                complete = tail in " ".join("".join(page.get_text() for page in check).split())
            ctx.progress(0.5 + 0.1 * attempt, "Large print: laid out")
            if complete:
                break
        else:
            self.warnings.append(warning("large_print.truncated"))

        pdf = pymupdf.open(str(tmp))
        size = body_size_pt(ctx.profile) * 0.8
        for number, page in enumerate(pdf, start=1):
            label = f"{number} / {len(pdf)}"
            page.insert_text(
                (page.rect.width / 2 - len(label) * size * 0.25, page.rect.height - _MARGIN_PT / 2),
                label,
                fontsize=size,
                fontname="helv",
            )
        pdf.set_metadata(
            {
                "title": title,
                "author": ", ".join(doc.authors),
                "creator": "inclusio",
                "subject": f"large print ({body_size_pt(ctx.profile):g} pt)",
            }
        )
        pdf.set_language(doc.lang)
        part = path.with_name(f".{path.name}.part")
        pdf.save(str(part), garbage=3, deflate=True)  # beside, then renamed: never half a PDF under its name
        pdf.close()
        os.replace(part, path)
        ctx.progress(1.0, "Large print: done")
        return path
