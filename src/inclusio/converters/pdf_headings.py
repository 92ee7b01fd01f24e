"""Rules that keep a PDF's headings to real, single headings, whatever document they meet.

Written against documents the converter was not tuned on (a long French handout, a paper's first
page), each rule is general:

* **Headings are text** (:func:`is_heading_text`): one or two characters in a larger font are a
  symbol glyph (ZapfDingbats "u", Symbol "S"), a drop cap or an ornament, never a heading.
  Alone on its line, such a glyph is an ornament and is left out (:func:`is_ornament`).
* **Overprinted text is read once** (:func:`drop_overprints`): a cover title printed twice for a
  shadow, fake bold printed two or three times with a small offset.
* **Furniture is what repeats in place** (:func:`edge_places`): a line among the two topmost or two
  lowest of a page, with the same text (digits aside) at the same height on several pages, is a
  running head or foot, even outside the top and bottom bands.
* **Bookmarks say it best** (:func:`bookmark_text`): a heading matched by a bookmark takes the
  bookmark's spelling when they are the same words ("TEX" set with a lowered E is "TeX"), keeping the
  page's own numbering.
* **A title is not a section** (:func:`title_of`, :func:`title_block`): the one line set larger than any
  other heading, once, on the first page, is the document's title; the sections' sizes are ranked below
  it (the title and the first level of sections are both level 1). A line at a size used nowhere else,
  beside the title (a subtitle above or below it, a badge), belongs to the title page, not to the outline.
* **One heading, once** (:func:`drop_repeated_headings`): the same heading read twice in a row at two
  levels ("2.3. Structure d'un fichier" and "2.3 Structure d'un fichier") is one heading.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from inclusio.model import Block, Heading, PageMarker

if TYPE_CHECKING:
    from inclusio.converters.pdf_text import Line

MIN_HEADING_CHARS = 3
"""A heading has at least this many characters (spaces aside)."""
ORNAMENT_RATIO = 1.5
EDGE_LINES = 2
"""Lines counted as a page's edge, from the top and from the bottom, for furniture."""
MIN_FURNITURE_PAGES = 3
PLACE_STEP = 3.0
"""Heights are compared in steps of this many points."""
TITLE_RATIO = 1.25
"""The title is at least this much larger than the largest other heading."""
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?=\s)")


def is_heading_text(text: str) -> bool:
    """True when ``text`` can be a heading: at least :data:`MIN_HEADING_CHARS` characters, two of them letters."""
    chars = "".join(text.split())
    return len(chars) >= MIN_HEADING_CHARS and sum(c.isalpha() for c in chars) >= 2


def is_ornament(line: Line, body_size: float) -> bool:
    """A line of one or two characters at least :data:`ORNAMENT_RATIO` times the body size, alone (a drop cap
    beside its word was put back before): a symbol glyph read as a letter (ZapfDingbats "u"), a dingbat."""
    return len("".join(line.text.split())) <= 2 and line.size >= ORNAMENT_RATIO * body_size


def drop_overprints(lines: list[Line]) -> list[Line]:
    """The lines without those printed again over an earlier one (same text, offset by less than a third
    of the line height): a shadow, fake bold."""
    seen: dict[str, list[Line]] = {}
    out: list[Line] = []
    for line in lines:
        if line.strong_math:  # stacked glyphs of a formula (radicals, braces) repeat on purpose
            out.append(line)
            continue
        key = " ".join(line.text.split())
        tolerance = max(1.0, line.height / 3)
        twins = seen.setdefault(key, [])
        if any(
            abs(other.bbox[0] - line.bbox[0]) < tolerance and abs(other.bbox[1] - line.bbox[1]) < tolerance
            for other in twins
        ):
            continue
        twins.append(line)
        out.append(line)
    return out


def place_key(line: Line) -> tuple[str, int]:
    """Key of a line's text (digits aside) and height on the page, for running heads out of the bands."""
    return (_DIGITS.sub("#", " ".join(line.text.lower().split())), round(line.bbox[1] / PLACE_STEP))


def edge_places(lines: list[Line]) -> set[tuple[str, int]]:
    """Place keys of the :data:`EDGE_LINES` topmost and lowest lines of a page that stand apart from the
    text (a gap of at least their height to the nearest line of another row): a table's first or last row
    at the same height on many pages is not a running head."""
    ordered = sorted(lines, key=lambda ln: ln.bbox[1])
    count = len(ordered)
    edges = sorted(
        {i for i in range(EDGE_LINES) if i < count} | {count - 1 - i for i in range(EDGE_LINES) if i < count}
    )
    out: set[tuple[str, int]] = set()
    for index in edges:
        line = ordered[index]
        top = index < EDGE_LINES
        middle, half = (line.bbox[1] + line.bbox[3]) / 2, line.height / 2
        inward = [
            (o.bbox[1] - line.bbox[3]) if top else (line.bbox[1] - o.bbox[3])
            for o in ordered
            if abs((o.bbox[1] + o.bbox[3]) / 2 - middle) > half
        ]
        inward = [gap for gap in inward if gap > -half]
        if not inward or min(inward) >= line.height:
            out.add(place_key(line))
    return out


def furniture_places(counts: Iterable[tuple[tuple[str, int], int]], pages: int) -> set[tuple[str, int]]:
    """The edge places seen on at least :data:`MIN_FURNITURE_PAGES` pages (and a twentieth of them)."""
    least = max(MIN_FURNITURE_PAGES, round(0.05 * pages))
    return {key for key, n in counts if n >= least and any(c.isalpha() for c in key[0])}


def bookmark_text(page_text: str, bookmark: str) -> str:
    """The heading's text: the bookmark's words when they are the page's words but for case and numbering
    punctuation, after the page's own numbering; else the page's text."""
    page_number = _NUMBER.match(page_text)
    mark_number = _NUMBER.match(bookmark)
    page_rest = page_text[page_number.end() :] if page_number else page_text
    mark_rest = bookmark[mark_number.end() :] if mark_number else bookmark
    if " ".join(page_rest.lower().split()) != " ".join(mark_rest.lower().split()):
        return page_text
    if page_number and mark_number and page_number.group(1) != mark_number.group(1):
        return page_text
    prefix = page_text[: page_number.end()] if page_number else ""
    return (prefix + " " + mark_rest.strip()).strip() if prefix else mark_rest.strip()


def _same_heading_key(text: str) -> str:
    """Key under which "2.3. Structure d'un fichier" and "2.3 Structure d'un fichier" compare equal."""
    text = " ".join(text.replace("’", "'").lower().split())
    return _NUMBER.sub(lambda m: m.group(1), text, count=1).strip(" .:")


def drop_repeated_headings(blocks: list[Block], bookmarked: set[str]) -> list[Block]:
    """Blocks without a heading that repeats the heading just before it (page markers between them aside)
    at another level; the one a bookmark matched (ids in ``bookmarked``) is kept, else the first."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            j = len(out) - 1
            while j >= 0 and isinstance(out[j], PageMarker):
                j -= 1
            previous = out[j] if j >= 0 else None
            if isinstance(previous, Heading) and _same_heading_key(previous.text) == _same_heading_key(
                block.text
            ):
                if block.id in bookmarked and previous.id not in bookmarked:
                    out[j] = block
                continue
        out.append(block)
    return out


class HeadingCandidate(NamedTuple):
    """A short run of lines of heading text (pass 1 of the PDF converter): its page, size and box."""

    page: int
    size: float
    bbox: tuple[float, float, float, float]


def title_of(
    candidates: list[HeadingCandidate], first_page: int | None, body_size: float
) -> HeadingCandidate | None:
    """The document's title: the candidate of the largest size when that size is used once in the whole
    document, on its first page of text, at least :data:`TITLE_RATIO` times the next size of a candidate
    larger than the body; None when no line stands out so."""
    larger = [c for c in candidates if c.size > body_size]
    if not larger or first_page is None:
        return None
    counts = Counter(c.size for c in larger)
    top = max(counts)
    sizes = sorted(counts, reverse=True)
    if counts[top] != 1 or (len(sizes) > 1 and top < TITLE_RATIO * sizes[1]):
        return None
    title = next(c for c in larger if c.size == top)
    return title if title.page == first_page else None


def title_block(
    candidates: list[HeadingCandidate], title: HeadingCandidate | None
) -> set[tuple[int, tuple[float, float, float, float]]]:
    """(page, box) of the candidates that belong to the title page: a size used once in the document,
    smaller than the title, on the title's page, and beside it (at most twice its own height away
    vertically): a subtitle, a badge."""
    if title is None:
        return set()
    counts = Counter(c.size for c in candidates)
    out: set[tuple[int, tuple[float, float, float, float]]] = set()
    for c in candidates:
        if c is title or c.page != title.page or counts[c.size] != 1 or c.size >= title.size:
            continue
        height = c.bbox[3] - c.bbox[1]
        gap = max(c.bbox[1] - title.bbox[3], title.bbox[1] - c.bbox[3])
        if gap <= 2 * height:
            out.add((c.page, c.bbox))
    return out
