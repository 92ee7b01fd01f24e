"""Document -> what the audio version says: per section, a list of (lang, sentence) units.

The rules (this docstring is the spec of :func:`speech_sections`):

* one :class:`SpeechSection` per top-level section (:meth:`Document.top_sections`), the preamble
  included when it has something to say; sections with nothing to say are dropped;
* headings are read as sentences; paragraphs are split into sentences
  (:func:`inclusio.tts.sentences.split_sentences`); each list item is read as a sentence (split
  further if it holds several), nested lists after their item;
* tables: the caption, then row by row; with a header row each cell is read "Colonne : valeur"
  (French) / "Column: value" (English), else "Ligne 2 : a, b" / "Row 2: a, b"; a cell spanning
  several rows is read in each of them (so each row keeps its row header);
* figures: "Figure : <alt>" (the latest ``alt_text`` adaptation, else the source alt text, else the
  caption without its number: "Figure 3." and "Tableau 2 :" are not read, :func:`strip_caption_label`), "Figure sans description." when there is nothing; decorative figures are silent; the
  long description follows when the profile asks for extended alt texts;
* speaker notes after "Notes de l'orateur." / "Speaker notes."; footnotes and endnotes after
  "Note 1." / "Note 1."; review comments are not read (they are for the author, not the learner);
* formulas are read as found unless they are LaTeX (then "Formule : voir le document écrit.");
* code (:class:`~inclusio.model.Code`) is announced and skipped ("Exemple de code, 4 lignes, non
  lu." / "Code example, 4 lines, skipped."), or, when ``profile.speech.read_code`` is true,
  announced ("Exemple de code, 4 lignes.") then read one line per unit, as written (never split
  into sentences);
* page and slide markers are read ("Page 12.", "Diapositive 3.") only when
  ``profile.speech.read_page_numbers`` is true; otherwise page furniture is never read;
* each unit carries ``block.lang or doc.lang``, so a French course quoting English switches voice,
  and the id of the block it comes from (for media overlays);
* parallel text (the French-as-a-foreign-language translation the reader's view shows beside a
  block, :func:`inclusio.model.parallel_blocks`) is read right after the block's own sentences, in
  the translation's language and voice, under the block's id (the EPUB highlights it in place).
  :func:`own_units` leaves it out (braille is transcribed in the document's language only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from inclusio.model.document import (
    Block,
    Code,
    Document,
    Figure,
    Formula,
    Heading,
    ListBlock,
    ListItem,
    Note,
    PageMarker,
    Paragraph,
    Section,
    Table,
    TableCell,
)
from inclusio.model.view import parallel_blocks
from inclusio.profiles import Profile
from inclusio.text.sentences import split_sentences


class SpeechUnit(NamedTuple):
    """One sentence to speak, in one language, from one block."""

    lang: str
    text: str
    block_id: str | None = None


@dataclass
class SpeechSection:
    """A top-level section as heard. ``title`` is None for the preamble."""

    title: str | None
    heading_id: str | None
    units: list[SpeechUnit] = field(default_factory=list)


_PHRASES: dict[str, dict[str, str]] = {
    "fr": {
        "figure": "Figure : {}",
        "figure_empty": "Figure sans description.",
        "table": "Tableau : {}",
        "table_empty": "Tableau.",
        "cell": "{} : {}",
        "cell_sep": " ; ",
        "row": "Ligne {} : {}",
        "speaker": "Notes de l'orateur.",
        "note": "Note {}.",
        "note_plain": "Note.",
        "page": "Page {}.",
        "slide": "Diapositive {}.",
        "formula": "Formule : {}",
        "formula_latex": "Formule : voir le document écrit.",
        "code_skipped": "Exemple de code, {}, non lu.",
        "code_read": "Exemple de code, {}.",
        "line": "{} ligne",
        "lines": "{} lignes",
        "code_end": "Fin du code.",
    },
    "en": {
        "figure": "Figure: {}",
        "figure_empty": "Figure without description.",
        "table": "Table: {}",
        "table_empty": "Table.",
        "cell": "{}: {}",
        "cell_sep": "; ",
        "row": "Row {}: {}",
        "speaker": "Speaker notes.",
        "note": "Note {}.",
        "note_plain": "Note.",
        "page": "Page {}.",
        "slide": "Slide {}.",
        "formula": "Formula: {}",
        "formula_latex": "Formula: see the written document.",
        "code_skipped": "Code example, {}, skipped.",
        "code_read": "Code example, {}.",
        "line": "{} line",
        "lines": "{} lines",
        "code_end": "End of code.",
    },
}


def _phrases(lang: str) -> dict[str, str]:
    # Announcements are spoken in the block's language, by the block's voice; English for any non-French.
    return _PHRASES["fr"] if lang.lower().startswith("fr") else _PHRASES["en"]


_CAPTION_LABEL = re.compile(
    r"^\s*(?:figure|fig\.?|tableau|table|tab\.?|illustration|graphique|chart|image|photo|sch[ée]ma)"
    r"\s*(?:n[°º]\s*)?[\dIVXivx]+(?:[.\-]\d+)*\s*[.:\-–—]?\s*",
    re.IGNORECASE,
)


def strip_caption_label(caption: str) -> str:
    """``Figure 1. Une cellule`` -> ``Une cellule``: the number is page furniture for the ear."""
    stripped = _CAPTION_LABEL.sub("", caption, count=1).strip()
    return stripped or caption.strip()


def _sentence(text: str) -> str:
    """Close a constructed phrase with a full stop so the voice drops its pitch."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:;" else text + "."


def _units(lang: str, text: str, block_id: str | None) -> list[SpeechUnit]:
    return [SpeechUnit(lang, sentence, block_id) for sentence in split_sentences(text, max_chars=400)]


def _item_units(item: ListItem, lang: str, block_id: str) -> list[SpeechUnit]:
    units = _units(lang, item.text, block_id)
    if item.children is not None:
        for child in item.children.items:
            units += _item_units(child, lang, block_id)
    return units


def _grid(rows: list[list[TableCell]]) -> list[list[tuple[int, str]]]:
    """Rows as (first column, text) pairs, placed as an HTML table would place them.

    A cell spanning rows is left out of the following rows in the model; here its text is
    repeated in each row it covers, so every row is read with its row header.
    """
    grid: list[list[tuple[int, str]]] = []
    spanned: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text)
    for row in rows:
        placed: list[tuple[int, str]] = [(col, text) for col, (_, text) in spanned.items()]
        carry = {col: (left - 1, text) for col, (left, text) in spanned.items() if left > 1}
        column = 0
        for cell in row:
            while column in spanned:
                column += 1
            text = " ".join(cell.text.split())
            placed.append((column, text))
            if cell.row_span > 1:
                for covered in range(column, column + cell.col_span):
                    carry[covered] = (cell.row_span - 1, text if covered == column else "")
            column += cell.col_span
        spanned = carry
        grid.append(sorted(placed))
    return grid


def _table_units(table: Table, lang: str, words: dict[str, str]) -> list[SpeechUnit]:
    units = [
        SpeechUnit(
            lang,
            _sentence(words["table"].format(strip_caption_label(table.caption)))
            if table.caption and table.caption.strip()
            else words["table_empty"],
            table.id,
        )
    ]
    grid = _grid(table.rows)
    keep = [i for i, row in enumerate(table.rows) if any(cell.text.strip() for cell in row)]
    if not keep:
        return units
    first = [cell for cell in table.rows[keep[0]] if cell.text.strip()]
    headers: dict[int, str] = {}
    if all(cell.header for cell in first):
        column = 0
        for cell in table.rows[keep[0]]:
            for covered in range(column, column + cell.col_span):
                headers[covered] = cell.text.strip()
            column += cell.col_span
        keep = keep[1:]
    for number, index in enumerate(keep, start=1):
        cells = [(column, text) for column, text in grid[index] if text]
        if headers:
            parts = [words["cell"].format(headers[c], text) if headers.get(c) else text for c, text in cells]
            spoken = words["cell_sep"].join(parts)
        else:
            spoken = words["row"].format(number, ", ".join(text for _, text in cells))
        units += _units(lang, _sentence(spoken), table.id)
    return units


def _figure_units(figure: Figure, lang: str, words: dict[str, str], profile: Profile) -> list[SpeechUnit]:
    if figure.decorative:
        return []
    adaptation = figure.adaptation("alt_text")
    caption = strip_caption_label(figure.caption) if figure.caption else None
    description = next(
        (
            text.strip()
            for text in (adaptation.text if adaptation else None, figure.alt, caption)
            if text and text.strip()
        ),
        None,
    )
    if description is None:
        return [SpeechUnit(lang, words["figure_empty"], figure.id)]
    units = _units(lang, _sentence(words["figure"].format(description)), figure.id)
    if profile.images.alt_text == "extended" and figure.long_description:
        units += _units(lang, figure.long_description, figure.id)
    return units


def _code_units(
    text: str, lang: str, words: dict[str, str], profile: Profile, block_id: str
) -> list[SpeechUnit]:
    """A code block: announced with its number of lines; read line by line only if the profile says so."""
    lines = [line.strip() for line in text.split("\n")]
    count = len([line for line in lines if line])
    if not count:
        return []
    size = words["line" if count == 1 else "lines"].format(count)
    if not profile.speech.read_code:
        return [SpeechUnit(lang, words["code_skipped"].format(size), block_id)]
    units = [SpeechUnit(lang, words["code_read"].format(size), block_id)]
    units += [SpeechUnit(lang, line, block_id) for line in lines if line]
    return [*units, SpeechUnit(lang, words["code_end"], block_id)]


def block_units(block: Block, doc: Document, profile: Profile) -> list[SpeechUnit]:
    """What one block says (see the module docstring), its parallel translation included; ``[]`` when silent."""
    units = own_units(block, doc, profile)
    for other in parallel_blocks(block):
        units += _units(doc.block_lang(other), other.plain_text(), block.id)
    return units


def own_units(block: Block, doc: Document, profile: Profile) -> list[SpeechUnit]:
    """What one block says itself, without the translation shown beside it; ``[]`` when silent."""
    lang = doc.block_lang(block)
    words = _phrases(lang)
    if isinstance(block, Heading):
        return _units(lang, block.text, block.id)
    if isinstance(block, Paragraph):
        if block.role == "code":
            return _code_units(block.text, lang, words, profile, block.id)
        return _units(lang, block.text, block.id)
    if isinstance(block, Code):
        return _code_units(block.text, lang, words, profile, block.id)
    if isinstance(block, ListBlock):
        return [unit for item in block.items for unit in _item_units(item, lang, block.id)]
    if isinstance(block, Table):
        return _table_units(block, lang, words)
    if isinstance(block, Figure):
        return _figure_units(block, lang, words, profile)
    if isinstance(block, Formula):
        if "\\" in block.text or not block.text.strip():
            return [SpeechUnit(lang, words["formula_latex"], block.id)]
        return [SpeechUnit(lang, _sentence(words["formula"].format(block.text.strip())), block.id)]
    if isinstance(block, Note):
        if block.kind == "comment" or not block.text.strip():
            return []
        if block.kind == "speaker":
            intro = words["speaker"]
        else:
            intro = words["note"].format(block.label) if block.label else words["note_plain"]
        return [SpeechUnit(lang, intro, block.id), *_units(lang, block.text, block.id)]
    if isinstance(block, PageMarker):
        if not profile.speech.read_page_numbers:
            return []
        key = "slide" if block.kind == "slide" else "page"
        return [SpeechUnit(lang, words[key].format(block.display), block.id)]
    return []


def section_units(section: Section, doc: Document, profile: Profile) -> list[SpeechUnit]:
    """The heading, then every block of the section and its sub-sections, in reading order."""
    units: list[SpeechUnit] = []
    if section.heading is not None:
        units += block_units(section.heading, doc, profile)
    for block in section.all_blocks():
        units += block_units(block, doc, profile)
    return units


def speech_sections(doc: Document, profile: Profile) -> list[SpeechSection]:
    """Per top-level section of ``doc`` (the reader's view), the units to speak; silent sections dropped.

    A page marker just before a heading belongs, in the model, to the end of the previous section;
    it is announced at the start of the section it opens ("Page 3." then the heading).
    """
    marker_ids = {block.id for block in doc.blocks if isinstance(block, PageMarker)}
    out: list[SpeechSection] = []
    carried: list[SpeechUnit] = []
    for section in doc.top_sections():
        units = carried + section_units(section, doc, profile)
        cut = len(units)
        while cut > 0 and units[cut - 1].block_id in marker_ids:
            cut -= 1
        units, carried = units[:cut], units[cut:]
        if units:
            heading_id = section.heading.id if section.heading else None
            out.append(SpeechSection(title=section.title, heading_id=heading_id, units=units))
    if carried and out:
        out[-1].units += carried  # a last page with nothing after it is still announced
    return out
