"""Text lines of a PDF page and how they become paragraphs: the primitives of the PDF converter.

* :func:`page_lines` turns PyMuPDF's text dictionary into :class:`Line` objects with their
  dominant style (size, bold, monospaced), the share of their characters that look like
  mathematics (:mod:`pdf_math`) and their superscripts (footnote calls).
* :func:`join_lines` joins wrapped lines, repairing line-end hyphenation.
* :func:`runs` groups consecutive lines of one paragraph.
* :func:`merge_markers` puts a list marker drawn apart (a bullet glyph, a tab before the text) back on
  its item's line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from inclusio.converters.code import is_monospace_font
from inclusio.converters.pdf_math import span_math_chars

# Typographic ligatures (U+FB00-FB06) break search, speech and bookmark matching ("inﬂuence").
LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)

# Words after which a line-end hyphen is a real hyphen ("rendez-" / "vous"), not a word split.
_COMPOUND_TAILS = frozenset(
    [
        "vous",
        "même",
        "mêmes",
        "ci",
        "là",
        "il",
        "ils",
        "elle",
        "elles",
        "on",
        "t",
        "dessus",
        "dessous",
        "être",
        "midi",
        "clé",
        "clés",
        "delà",
        "unes",
        "uns",
    ]
)
_COMPOUND_HEADS = frozenset(["self", "well", "peut", "c'est", "est", "au", "vis", "non"])
_FIRST_WORD = re.compile(r"^[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass
class Line:
    """One text line of a page, with its dominant style."""

    text: str
    bbox: tuple[float, float, float, float]
    size: float
    bold: bool
    mono: bool
    block: int
    math: float = 0.0
    """Share of the characters that look like mathematics (see :mod:`pdf_math`)."""
    strong_math: bool = False
    """Holds an operator, a math-font glyph or an italic variable."""
    sups: tuple[str, ...] = ()
    """Texts printed as superscripts (footnote calls, citations)."""
    ocr: bool = False
    """Recognised by OCR (or read from an OCR layer): sizes are estimates, no bold or monospace."""
    lead: str = ""
    """The line's first words when they alone are bold (a run-in term: "Osmose :" before its definition)."""

    @property
    def center(self) -> tuple[float, float]:
        return ((self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2)

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


def page_lines(page_dict: dict[str, Any], *, ocr: bool = False) -> list[Line]:
    """Non-empty text lines of a page dictionary, with their dominant style.

    ``ocr``: the text comes from Tesseract, whose invisible font says nothing about bold or
    monospace and whose sizes vary from word to word; sizes within 25% of the page's median
    are set to the median so that a paragraph stays one run. A page whose only font is
    Tesseract's ``GlyphLessFont`` (an existing OCR layer) is treated the same way.
    """
    out: list[Line] = []
    if not ocr:
        # A text layer written by an OCR program (Tesseract's invisible GlyphLessFont) is read as OCR.
        fonts = {
            span.get("font", "")
            for block in page_dict.get("blocks", ())
            for line in block.get("lines", ())
            for span in line.get("spans", ())
        }
        ocr = bool(fonts) and all(font.endswith("GlyphLessFont") for font in fonts)
    for number, block in enumerate(page_dict.get("blocks", ())):
        if block.get("type") != 0:
            continue
        for line in block.get("lines", ()):
            spans = [s for s in line.get("spans", ()) if s.get("text")]
            text = "".join(s["text"] for s in spans).replace("\xa0", " ").translate(LIGATURES)
            if not text.strip():
                continue
            sizes: Counter[float] = Counter()
            bold_chars = mono_chars = chars = math_chars = 0
            strong = False
            sups: list[str] = []
            for span in spans:
                n = len(span["text"].strip())
                chars += n
                sizes[round(span["size"] * 2) / 2] += n
                font = span.get("font", "")
                if not ocr:
                    if span["flags"] & 16 or "bold" in font.lower():
                        bold_chars += n
                    if span["flags"] & 8 or is_monospace_font(font):
                        mono_chars += n
                    if span["flags"] & 1 and span["text"].strip():
                        sups.append(span["text"].strip())
                    m, st = span_math_chars(span)
                    math_chars += m
                    strong = strong or st
            mono = chars > 0 and mono_chars == chars
            lead = "" if ocr or bold_chars in (0, chars) else _bold_lead(spans)
            out.append(
                Line(
                    text=" ".join(text.split()) if not mono else text.rstrip(),
                    bbox=tuple(line["bbox"]),
                    size=sizes.most_common(1)[0][0] if sizes else 0.0,
                    bold=chars > 0 and bold_chars == chars,
                    mono=mono,
                    block=number,
                    math=math_chars / chars if chars else 0.0,
                    strong_math=strong,
                    sups=tuple(sups),
                    ocr=ocr,
                    lead=lead,
                )
            )
    if ocr and out:
        _repair_ocr_bullets(out)
        ordered = sorted(line.size for line in out)
        median = ordered[len(ordered) // 2]
        for line in out:
            if 0.75 * median <= line.size <= 1.25 * median:
                line.size = median
    return out


BULLET_CHARS = "•◦▪▫■□●○►▸‣⁃∙·–—\\-*▶\uf020-\uf0ff"
"""List markers, for a regular-expression class. U+F020-U+F0FF is where PDFs put the glyphs of symbol fonts
(Symbol, Wingdings): Word's bullet is Symbol's U+F0B7, its square Wingdings' U+F0A7."""
_MARKER = re.compile(f"^[{BULLET_CHARS}]$")
_DASHES = frozenset("–—-*·∙")
_ITEM = re.compile(rf"^\s*(?:[{BULLET_CHARS}]\s*|(?:\d{{1,3}}[.)]|[a-z]\)|\(\w{{1,3}}\))\s+)[^\W\d_]")


def opens_item(text: str) -> bool:
    """The line opens a list item: a bullet or a list number ("1.", "a)", "(iv)") before a word ("• Ribosomes",
    "2. Le cytoplasme"); a dash before a figure ("-5", "– 12") is not one."""
    return _ITEM.match(text) is not None


def list_side(texts: list[str]) -> bool:
    """Lines that are a list set beside other text, not cells of rows: at least two of them open list items,
    and those are at least half of them (a lead-in line, "Chez les plantes :", and wrapped items allowed)."""
    items = sum(1 for text in texts if opens_item(text))
    return items >= 2 and 2 * items >= len(texts)


def _bold_lead(spans: list[dict[str, Any]]) -> str:
    """The text of the leading bold spans of a line (spaces normalised), "" when the line starts in regular
    type."""
    lead = []
    for span in spans:
        if not (span["flags"] & 16 or "bold" in span.get("font", "").lower()) and span["text"].strip():
            break
        lead.append(span["text"])
    return " ".join("".join(lead).split())


def merge_markers(lines: list[Line]) -> list[Line]:
    """The lines with each lone list marker (a bullet glyph drawn as its own line, as Word and LibreOffice
    draw it, a tab away from the text) joined to the line that starts on its baseline just right of it."""
    markers = [ln for ln in lines if _MARKER.match(ln.text.strip())]
    if not markers:
        return lines
    dropped: set[int] = set()
    for marker in markers:
        height = max(1.0, marker.height)
        beside = [
            ln
            for ln in lines
            if ln is not marker
            and id(ln) not in dropped
            and not _MARKER.match(ln.text.strip())
            and abs(ln.center[1] - marker.center[1]) < 0.5 * height
            and 0 <= ln.bbox[0] - marker.bbox[2] <= 4 * max(marker.size, 1.0)
        ]
        if not beside:
            continue
        item = min(beside, key=lambda ln: ln.bbox[0])
        if marker.text.strip() in _DASHES and not item.text[:1].isalpha():
            continue  # a dash beside a figure: "none" in a table's cell, not a list marker
        item.text = f"{marker.text.strip()} {item.text}"
        item.bbox = (
            marker.bbox[0],
            min(marker.bbox[1], item.bbox[1]),
            item.bbox[2],
            max(marker.bbox[3], item.bbox[3]),
        )
        dropped.add(id(marker))
    return [ln for ln in lines if id(ln) not in dropped]


_BULLET_MISREAD = re.compile(r"^([¢©®°•·«»*+eo0'■□❖◆▪])\s+(?=[A-Z0-9])")


def _repair_ocr_bullets(lines: list[Line]) -> None:
    """Tesseract reads list bullets as "¢", "e", "©", "0"...: a page with at least two lines
    starting that way (a glyph, a space, a capital) gets its bullets back as "•"."""
    hits = [line for line in lines if _BULLET_MISREAD.match(line.text)]
    if len(hits) >= 2:
        for line in hits:
            line.text = _BULLET_MISREAD.sub("• ", line.text, count=1)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into one paragraph, repairing line-end hyphenation.

    "vesti-" + "bulum" gives "vestibulum"; the hyphen stays when the next line starts with a
    capital or a digit ("après-" + "Midi"), or when the words form a hyphenated compound
    ("rendez-" + "vous", "peut-" + "être", "self-" + "contained"). A soft hyphen (U+00AD) is
    always a word split.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("\xad"):
            out = out[:-1] + line
        elif len(out) > 1 and out.endswith("-") and out[-2].isalpha() and line[:1].islower():
            head = out[:-1].rsplit(" ", 1)[-1].lower()
            tail_match = _FIRST_WORD.match(line)
            tail = tail_match.group(0).lower() if tail_match else ""
            out = out + line if tail in _COMPOUND_TAILS or head in _COMPOUND_HEADS else out[:-1] + line
        else:
            out += " " + line
    return out.replace("\xad", "")


def same_style(a: Line, b: Line) -> bool:
    return a.size == b.size and a.bold == b.bold and a.mono == b.mono


def runs(lines: list[Line], *, geometric: bool = False) -> list[list[Line]]:
    """Consecutive lines of the same paragraph: same PyMuPDF block and same style.

    ``geometric``: the producer writes one block per line (OCR layers); lines then belong
    together when they have the same style and follow each other closely (a gap below 0.7
    of the line height) without a first-line indent.
    """
    out: list[list[Line]] = []
    for line in lines:
        last = out[-1][-1] if out else None
        if last is not None and same_style(last, line):
            if last.block == line.block and not geometric:
                out[-1].append(line)
                continue
            if geometric and _continues(last, line):
                out[-1].append(line)
                continue
            if last.mono and _code_continues(last, line):  # indented code lines are separate blocks
                out[-1].append(line)
                continue
        out.append([line])
    return out


def _code_continues(last: Line, line: Line) -> bool:
    """The next line of the same code listing: below the last one, at most one blank line between."""
    gap = line.bbox[1] - last.bbox[3]
    return -0.5 * max(1.0, last.height) <= gap <= 1.6 * max(1.0, last.height)


def _continues(last: Line, line: Line) -> bool:
    gap = line.bbox[1] - last.bbox[3]
    height = max(1.0, min(last.height, line.height))
    if gap > 0.7 * height or gap < -0.5 * height:
        return False
    return line.bbox[0] <= last.bbox[0] + 0.4 * height


def split_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Split one run at first-line indents: a line indented against the lines before and after it,
    after a line that ends short, starts a paragraph (hanging indents, as in reference lists, do not)."""
    out: list[list[Line]] = [[]]
    right = max((line.bbox[2] for line in lines), default=0.0)
    for index, line in enumerate(lines):
        if out[-1] and index + 1 < len(lines):
            prev, nxt = lines[index - 1], lines[index + 1]
            indent = line.bbox[0] - prev.bbox[0]
            # The line before ends short (the end of a paragraph), so a hanging indent is not taken.
            if (
                4 <= indent <= 40
                and nxt.bbox[0] <= line.bbox[0] - 4
                and abs(nxt.bbox[0] - prev.bbox[0]) < 3
                and prev.bbox[2] < right - 10
            ):
                out.append([])
        out[-1].append(line)
    return [part for part in out if part]
