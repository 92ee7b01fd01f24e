"""Braille (BRF) through liblouis: 40 cells by 25 lines, French and English tables.

Output: ``<basename>.brf`` (artifact ``brf``), ASCII braille (the North American BRF code,
``en-us-brf.dis``, which embossers and braille notetakers read for every language), CR LF line
ends, a form feed between pages.

Tables (Debian ``liblouis-data``): French ``fr-bfu-comp6.utb`` (braille français unifié,
intégral), English ``en-ueb-g2.ctb`` (Unified English Braille, contracted); other languages fall
back to the document's. Translation is done by the ``lou_translate`` program (Debian
``liblouis-bin``), one process per language for the whole document, one line per block.

Page layout (the convention followed, close to the BANA formats and the BFU practice):

* 40 cells per line, 25 lines per page; line 25 carries the **braille page number** at its right
  end (numbers in the document's braille code: ``,*<`` for 12 in French, ``#AB`` in English),
  nothing else;
* when the source had pages, the **print page indicator** (the source page being read) is at the
  right end of line 1 of every braille page, after at least three blank cells; where a new print
  page begins inside a braille page, a **print page change line** is written: dots 3-6 (``-``)
  across the line, ending with the new page number;
* **headings**: level 1 centred, preceded and followed by a blank line; level 2 starts in cell 5
  after a blank line; deeper levels start in cell 1 after a blank line; a heading is never the
  last text line of a page (it moves to the next page);
* **paragraphs** start in cell 3, run-overs in cell 1; **list items** start in cell 1, run-overs in
  cell 3 (nested items two cells deeper); tables and figures are linearised as the audio reads
  them ("Colonne : valeur", "Figure : <alt>"); notes follow with their label.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inclusio.errors import InclusioError, StageError, ToolMissing
from inclusio.model import Document, Heading, ListBlock, PageMarker, Paragraph
from inclusio.store.files import write_atomic
from inclusio.writers.base import Artifact, RenderContext, writer_failed
from inclusio.writers.speech_text import own_units

CELLS = 40
LINES = 25
TEXT_LINES = LINES - 1
"""Line 25 holds the braille page number."""
BRF_MEDIA_TYPE = "application/x-brf"
DISPLAY_TABLE = "en-us-brf.dis"
TABLES = {"fr": "fr-bfu-comp6.utb", "en": "en-ueb-g2.ctb"}
_BRAILLE_DIGITS = dict(zip("1234567890", "ABCDEFGHIJ", strict=True))


@dataclass
class _Line:
    """One source line to translate and how to lay it out."""

    kind: str  # heading1, heading2, heading3, para, item, page
    text: str
    lang: str
    depth: int = 0


def braille_number(number: str) -> str:
    """A number in BRF: the number sign ``#`` then the letters a-j (``12`` -> ``#AB``)."""
    digits = "".join(_BRAILLE_DIGITS.get(c, "") for c in number)
    return f"#{digits}" if digits else number.upper()


def _lines(doc: Document, ctx: RenderContext) -> list[_Line]:
    out: list[_Line] = []

    def items(list_block: ListBlock, lang: str, depth: int) -> None:
        for item in list_block.items:
            out.append(_Line("item", item.text, lang, depth))
            if item.children is not None:
                items(item.children, lang, depth + 1)

    for block in doc.blocks:
        lang = doc.block_lang(block)
        if isinstance(block, Heading):
            out.append(_Line(f"heading{min(block.level, 3)}", block.text, lang))
        elif isinstance(block, Paragraph) and block.role != "code":
            out.append(_Line("para", block.text, lang))
        elif isinstance(block, ListBlock):
            items(block, lang, 0)
        elif isinstance(block, PageMarker):
            out.append(_Line("page", block.display, lang))
        else:
            # Tables, figures, formulas, notes, code: linear text as the audio version reads it.
            for unit in own_units(block, doc, ctx.profile):
                out.append(_Line("para", unit.text, unit.lang))
    return [line for line in out if line.kind == "page" or " ".join(line.text.split())]


def translate(texts: list[str], lang: str) -> list[str]:
    """Each text (one line, no newline) in BRF with the table for ``lang``; raises ToolMissing without liblouis."""
    program = shutil.which("lou_translate")
    if program is None:
        raise ToolMissing(
            "Braille needs liblouis: install the Debian packages 'liblouis-bin' and 'liblouis-data'.",
            message_fr="Le braille demande liblouis : installez les paquets Debian « liblouis-bin » et « liblouis-data ».",
            details={"tool": "lou_translate", "debian_packages": ["liblouis-bin", "liblouis-data"]},
        )
    if not texts:
        return []
    table = TABLES.get(lang.split("-")[0].lower(), TABLES["fr"])
    data = "".join(" ".join(t.split()) + "\n" for t in texts).encode("utf-8")
    completed = subprocess.run(
        [program, "--forward", f"{DISPLAY_TABLE},{table}"],
        input=data,
        capture_output=True,
        timeout=600,
        check=False,
    )
    lines = completed.stdout.decode("ascii", "replace").split("\n")
    if completed.returncode != 0 or len(lines) < len(texts):
        message = completed.stderr.decode("utf-8", "replace").strip()[-300:]
        raise StageError(
            f"liblouis could not translate the text to braille ({message}).",
            message_fr=f"liblouis n'a pas pu transcrire le texte en braille ({message}).",
            details={"table": table, "exit_code": completed.returncode},
        )
    return [line.rstrip("\r") for line in lines[: len(texts)]]


def wrap(text: str, first: int, rest: int, width: int = CELLS) -> list[str]:
    """``text`` in lines of at most ``width`` cells: the first starts at cell ``first + 1``, run-overs at ``rest + 1``.

    Words longer than a line are cut (rare in braille: URLs, formulas).
    """
    lines: list[str] = []
    current = ""
    indent = first
    for word in text.split():
        while len(word) > width - indent:  # cut a word that fits on no line
            if current:
                lines.append(current)
                current, indent = "", rest
            room = width - indent
            lines.append(" " * indent + word[:room])
            word, indent = word[room:], rest
        if not word:
            continue
        candidate = f"{current} {word}" if current else " " * indent + word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            indent = rest
            current = " " * indent + word
    if current:
        lines.append(current)
    return lines


_CHANGE = "\x00page:"
"""Placeholder for a print page change line until page numbers are translated."""


class _Pages:
    """Fills 40 x 25 pages: text on lines 1-24, the braille page number on line 25.

    Page numbers are written by :meth:`finish`, once the number of pages is known, in the
    document's braille code (French numbers are not the English ones).
    """

    def __init__(self) -> None:
        self.pages: list[tuple[list[str], str | None]] = []  # (text lines, print page shown on line 1)
        self.current: list[str] = []
        self.print_page: str | None = None
        self._page_print: str | None = None
        self._started = False

    def _new_page(self) -> None:
        self.pages.append((self.current, self._page_print))
        self.current = []
        self._page_print = self.print_page

    def room(self) -> int:
        return TEXT_LINES - len(self.current)

    def add(self, lines: list[str], *, keep_with_next: int = 0) -> None:
        """Add lines; a heading that would end up alone at the bottom starts a new page."""
        if not self._started:
            self._started, self._page_print = True, self.print_page
        if keep_with_next and self.current and self.room() < len(lines) + keep_with_next:
            self._new_page()
        for line in lines:
            if self.room() <= 0:
                self._new_page()
            self.current.append(line)

    def blank(self) -> None:
        if self.current and self.current[-1] != "" and self.room() > 1:
            self.current.append("")

    def print_page_change(self, number: str) -> None:
        self.print_page = number
        if not self.current:
            self._page_print = number  # a braille page that starts with it shows it on line 1 instead
            return
        self.add([_CHANGE + number])

    def print_labels(self) -> set[str]:
        labels = {p for _, p in self.pages if p}
        if self._page_print:
            labels.add(self._page_print)
        for page in [text for text, _ in self.pages] + [self.current]:
            labels |= {line[len(_CHANGE) :] for line in page if line.startswith(_CHANGE)}
        return labels

    def finish(self, number: Callable[[str], str]) -> str:
        """The BRF text; ``number`` gives the braille of a page number or print page label."""
        if self.current or not self.pages:
            self.pages.append((self.current, self._page_print))
            self.current = []
        out = []
        for index, (text, print_page) in enumerate(self.pages, start=1):
            lines = [
                _change_line(number(line[len(_CHANGE) :])) if line.startswith(_CHANGE) else line
                for line in text
            ]
            lines += [""] * (TEXT_LINES - len(lines))
            if print_page:
                indicator = number(print_page)
                if len(lines[0]) + 3 + len(indicator) <= CELLS:
                    lines[0] = lines[0].ljust(CELLS - len(indicator)) + indicator
            lines.append(number(str(index)).rjust(CELLS))
            out.append("\r\n".join(lines) + "\r\n")
        return "\f".join(out)


def _change_line(label: str) -> str:
    return "-" * (CELLS - len(label) - 1) + " " + label


def layout(
    lines: list[_Line], braille: list[str], number: Callable[[list[str]], list[str]] | None = None
) -> str:
    """Lay translated lines out in pages (see the module docstring for the convention).

    ``number`` translates page numbers and print page labels, all at once (default: North
    American braille numbers, ``#AB``).
    """
    pages = _Pages()
    for line, text in zip(lines, braille, strict=True):
        if line.kind == "page":
            pages.print_page_change(line.text)
            continue
        if line.kind == "heading1":
            centred = [row.strip().center(CELLS).rstrip() for row in wrap(text, 0, 0, CELLS - 4)]
            pages.blank()
            pages.add(centred + [""], keep_with_next=1)
        elif line.kind == "heading2":
            pages.blank()
            pages.add(wrap(text, 4, 4), keep_with_next=1)
        elif line.kind == "heading3":
            pages.blank()
            pages.add(wrap(text, 0, 0), keep_with_next=1)
        elif line.kind == "item":
            pages.add(wrap(text, 2 * line.depth, 2 * line.depth + 2))
        else:
            pages.add(wrap(text, 2, 0))
    total = len(pages.pages) + 1
    labels = sorted(pages.print_labels() | {str(i) for i in range(1, total + 1)})
    translated = number(labels) if number is not None else [braille_number(label) for label in labels]
    table = dict(zip(labels, (t.strip() for t in translated), strict=True))
    return pages.finish(lambda label: table.get(label) or braille_number(label))


class BrailleWriter:
    """The ``brf`` writer (see the module docstring)."""

    name = "brf"

    def write(self, doc: Document, ctx: RenderContext) -> list[Artifact]:
        """Write ``<basename>.brf``. Raises ToolMissing without liblouis, StageError if translation fails."""
        try:
            lines = _lines(doc, ctx)
            braille = [""] * len(lines)
            by_lang: dict[str, list[int]] = {}
            for index, line in enumerate(lines):
                if line.kind != "page":
                    by_lang.setdefault(line.lang.split("-")[0].lower(), []).append(index)
            for n, (lang, indexes) in enumerate(by_lang.items()):
                ctx.progress(0.9 * n / max(1, len(by_lang)), f"Braille: {lang}")
                for index, text in zip(
                    indexes, translate([lines[i].text for i in indexes], lang), strict=True
                ):
                    braille[index] = text
            lang = doc.lang.split("-")[0].lower()
            brf = layout(lines, braille, lambda labels: translate(labels, lang))
            ctx.out_dir.mkdir(parents=True, exist_ok=True)
            path = ctx.out_dir / f"{ctx.basename}.brf"
            write_atomic(path, brf.encode("ascii", "replace"))  # never half a file (a full disk)
        except InclusioError:
            raise
        except Exception as exc:
            raise writer_failed(
                self.name, "The braille file", "Le fichier braille n'a pas pu être écrit", exc
            ) from exc
        ctx.progress(1.0, "Braille: done")
        return [Artifact(name="brf", path=Path(path), media_type=BRF_MEDIA_TYPE)]
