"""Readability scores for French and English text and documents, fully offline.

What is measured (STANDARDS §4)
-------------------------------
* **words**: textstat's word list (``textstat.backend.selections.list_words``: punctuation
  removed, hyphenated words and elisions count as one word, "l'eau" = 1, numbers = 1);
* **sentences**: :func:`inclusio.adapt.sentences.split_sentences` rather than textstat's
  counter, which ignores every sentence of two words or fewer and splits on each period
  ("p. ex."). The same splitter feeds the easy-to-read pass, so an adapted text with one
  sentence per line is counted the way it was written. Each text unit (paragraph, list
  item, caption) is split on its own, so a list item without a final period is a sentence;
* **syllables**: :mod:`inclusio.analysis.syllables` (written French syllables; CMU dictionary
  for English). textstat's own counters are not used: pyphen undercounts French, and the
  English one downloads NLTK data at run time;
* **reading ease**: Kandel & Moles (1958) for French, ``207 − 1.015 × words/sentence − 73.6 ×
  syllables/word``; Flesch (1948) for English, ``206.835 − 1.015 × W/S − 84.6 × Sy/W``. We
  compute them here because textstat's ``flesch_reading_ease`` takes a text and counts its
  syllables itself: it cannot take ours. Higher is easier; scores are compared (source vs
  adapted), never used as an absolute gate;
* **grade level**: Flesch–Kincaid, English only (it is calibrated on US school grades);
* **LIX**: words/sentence + 100 × long words (more than 6 letters)/words, for both languages
  (character-based, not French-calibrated: compare, do not interpret);
* **long sentences**: sentences with more than 20 words (FALC rule T1 fails above 20).

Word-list metrics (Dale–Chall, Gunning fog, Spache...) have English lists only and are never
computed, so they cannot be shown for French.

What is scored in a document
----------------------------
Text a learner reads as running prose: body paragraphs, quotes, captions (paragraph
captions and figure captions), list items (each item a unit), footnotes and endnotes.
Excluded, on purpose: headings and titles (short fragments without a verb would make any
text look easy, and they are the same before and after adaptation), table cells (fragments
and numbers, not sentences), code, formulas, alt texts (not printed), page markers, and
speaker notes and comments (written for the presenter or the author, not the learner).

Mixed languages: each unit's syllables are counted in its own language (``block.lang`` or the
document's), and the formula of the language with the most words in the span is applied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from inclusio.analysis.syllables import count_syllables
from inclusio.model.document import (
    Block,
    Document,
    Figure,
    ListBlock,
    ListItem,
    Note,
    Paragraph,
)
from inclusio.text.sentences import split_sentences

LONG_SENTENCE_WORDS = 20
"""A sentence with more words than this is counted in ``long_sentences``."""
LONG_WORD_LETTERS = 6
"""LIX's long word: more than this many characters."""

ReadingEaseFormula = Literal["kandel-moles", "flesch"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReadabilityScores(_Frozen):
    """Scores of one span of text (a document, a section, a paragraph)."""

    lang: str
    """Language whose formula was applied (the dominant one in the span)."""
    words: int
    sentences: int
    syllables: int | None
    """None for a language without a syllable counter (only fr and en have one)."""
    long_words: int
    """Words of more than 6 characters (LIX)."""
    words_per_sentence: float
    syllables_per_word: float | None
    reading_ease: float | None
    """Kandel–Moles (fr) or Flesch (en), higher is easier; None without text or formula."""
    reading_ease_formula: ReadingEaseFormula | None
    grade_level: float | None = None
    """Flesch–Kincaid grade, English only."""
    lix: float | None
    long_sentences: int
    """Sentences of more than :data:`LONG_SENTENCE_WORDS` words."""


class SectionReadability(_Frozen):
    """Scores of one section, its sub-sections included."""

    heading_id: str | None
    """Id of the section's heading (None for text before the first heading)."""
    title: str | None
    level: int
    """Heading level, 0 for the preamble."""
    block_ids: list[str]
    """Ids of the section's blocks, sub-sections included, headings excluded."""
    scores: ReadabilityScores


class DocumentReadability(_Frozen):
    """Scores of a whole document and of each of its sections (flat list, reading order)."""

    adaptation_kinds: tuple[str, ...] = ()
    """The adaptations applied before scoring (empty: the source text)."""
    document: ReadabilityScores
    sections: list[SectionReadability] = Field(default_factory=list)
    words_by_lang: dict[str, int] = Field(default_factory=dict)


# -- counting ----------------------------------------------------------------------------------


@dataclass
class _Counts:
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    long_words: int = 0
    long_sentences: int = 0
    words_by_lang: Counter[str] = field(default_factory=Counter)
    syllables_known: bool = True

    def add(self, other: _Counts) -> None:
        self.words += other.words
        self.sentences += other.sentences
        self.syllables += other.syllables
        self.long_words += other.long_words
        self.long_sentences += other.long_sentences
        self.words_by_lang.update(other.words_by_lang)
        self.syllables_known = self.syllables_known and other.syllables_known


def _lang_root(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def _has_syllable_counter(lang: str) -> bool:
    return _lang_root(lang) in ("fr", "en")


def _words(sentence: str) -> list[str]:
    # textstat's word list, so counts match what textstat users expect ("l'eau" = 1 word).
    from textstat.backend.selections import list_words

    return list_words(sentence)


def _count_unit(text: str, lang: str) -> _Counts:
    counts = _Counts()
    counts.syllables_known = _has_syllable_counter(lang)
    for sentence in split_sentences(text):
        words = _words(sentence)
        if not words:
            continue
        counts.sentences += 1
        counts.words += len(words)
        if len(words) > LONG_SENTENCE_WORDS:
            counts.long_sentences += 1
        for word in words:
            # LIX counts characters of the word without apostrophes (textstat's definition).
            if len(word.replace("'", "")) > LONG_WORD_LETTERS:
                counts.long_words += 1
            if counts.syllables_known:
                counts.syllables += count_syllables(word, lang)
    counts.words_by_lang[_lang_root(lang)] += counts.words
    return counts


def _round(value: float) -> float:
    return round(value, 2)


def _scores(counts: _Counts, lang: str) -> ReadabilityScores:
    root = _lang_root(lang)
    wps = counts.words / counts.sentences if counts.sentences else 0.0
    has_syllables = counts.syllables_known and _has_syllable_counter(root)
    spw = counts.syllables / counts.words if counts.words and has_syllables else None
    ease: float | None = None
    formula: ReadingEaseFormula | None = None
    grade: float | None = None
    if counts.words and spw is not None:
        if root == "fr":
            ease, formula = kandel_moles(wps, spw), "kandel-moles"
        else:
            ease, formula = flesch_reading_ease(wps, spw), "flesch"
            grade = _round(0.39 * wps + 11.8 * spw - 15.59)
    lix = wps + 100 * counts.long_words / counts.words if counts.words else None
    return ReadabilityScores(
        lang=root,
        words=counts.words,
        sentences=counts.sentences,
        syllables=counts.syllables if has_syllables else None,
        long_words=counts.long_words,
        words_per_sentence=_round(wps),
        syllables_per_word=_round(spw) if spw is not None else None,
        reading_ease=_round(ease) if ease is not None else None,
        reading_ease_formula=formula,
        grade_level=grade,
        lix=_round(lix) if lix is not None else None,
        long_sentences=counts.long_sentences,
    )


def kandel_moles(words_per_sentence: float, syllables_per_word: float) -> float:
    """Kandel & Moles (1958), Flesch adapted to French: ``207 − 1.015 × W/S − 73.6 × Sy/W``."""
    return 207.0 - 1.015 * words_per_sentence - 73.6 * syllables_per_word


def flesch_reading_ease(words_per_sentence: float, syllables_per_word: float) -> float:
    """Flesch (1948): ``206.835 − 1.015 × W/S − 84.6 × Sy/W``."""
    return 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word


def score_text(text: str, lang: str) -> ReadabilityScores:
    """Scores of ``text`` in ``lang`` (BCP 47: ``fr``, ``fr-CA``, ``en``...).

    French gets Kandel–Moles and English Flesch plus Flesch–Kincaid; another language gets
    words, sentences and LIX only (no syllable counter, no reading ease). An empty text gives
    zero counts and None scores. Never touches the network.
    """
    return _scores(_count_unit(text, lang), lang)


# -- documents ---------------------------------------------------------------------------------


def _item_texts(items: Iterable[ListItem]) -> Iterator[str]:
    for item in items:
        if item.text.strip():
            yield item.text
        if item.children is not None:
            yield from _item_texts(item.children.items)


def readable_units(block: Block) -> list[str]:
    """The texts of ``block`` that readability scores (see the module docstring for the choice)."""
    if isinstance(block, Paragraph):
        return [block.text] if block.role in ("body", "quote", "caption") and block.text.strip() else []
    if isinstance(block, ListBlock):
        return list(_item_texts(block.items))
    if isinstance(block, Figure):
        return [block.caption] if block.caption and block.caption.strip() else []
    if isinstance(block, Note):
        return [block.text] if block.kind in ("footnote", "endnote") and block.text.strip() else []
    return []


def _count_blocks(
    blocks: Iterable[Block], doc: Document, counted: dict[int, _Counts] | None = None
) -> _Counts:
    """The counts of ``blocks``; ``counted`` keeps each block's own counts (by object) so that a block
    counted for the whole document is not counted again for its section and each enclosing one."""
    total = _Counts()
    for block in blocks:
        own = counted.get(id(block)) if counted is not None else None
        if own is None:
            own = _Counts()
            lang = doc.block_lang(block)
            for text in readable_units(block):
                own.add(_count_unit(text, lang))
            if counted is not None:
                counted[id(block)] = own
        total.add(own)
    return total


def _dominant_lang(counts: _Counts, default: str) -> str:
    if not counts.words_by_lang:
        return _lang_root(default)
    # Ties go to the document's language, then alphabetical order (deterministic).
    best = max(counts.words_by_lang.items(), key=lambda kv: (kv[1], kv[0] == _lang_root(default), kv[0]))
    return best[0]


def score_document(doc: Document, adaptation_kinds: tuple[str, ...] = ()) -> DocumentReadability:
    """Scores of ``doc`` as a reader with ``adaptation_kinds`` sees it, and of each section.

    With ``adaptation_kinds=("easy_read",)`` blocks are replaced by their easy-to-read
    adaptation (:func:`inclusio.model.view.reading_blocks`) before scoring, so calling it
    twice gives the source-vs-adapted comparison. Sections come from the headings, in
    reading order, nested ones included (each with its sub-sections' text); the text before
    the first heading is a section with ``heading_id=None`` when it has words to score.
    """
    from inclusio.model.view import adapted_document

    view = adapted_document(doc, tuple(adaptation_kinds)) if adaptation_kinds else doc
    counted: dict[int, _Counts] = {}  # each block counted once, however deep its section
    total = _count_blocks(view.blocks, view, counted)
    sections: list[SectionReadability] = []
    for top in view.top_sections():
        for section in top.walk():
            blocks = [b for b in section.all_blocks() if b.type != "heading"]
            counts = _count_blocks(blocks, view, counted)
            if section.heading is None and not counts.words:
                continue  # a preamble of page markers and a title only: nothing to score
            sections.append(
                SectionReadability(
                    heading_id=section.heading.id if section.heading else None,
                    title=section.title,
                    level=section.level,
                    block_ids=[b.id for b in blocks],
                    scores=_scores(counts, _dominant_lang(counts, view.lang)),
                )
            )
    return DocumentReadability(
        adaptation_kinds=tuple(adaptation_kinds),
        document=_scores(total, _dominant_lang(total, view.lang)),
        sections=sections,
        words_by_lang=dict(sorted(total.words_by_lang.items())),
    )


def score_blocks(blocks: Iterable[Block], doc: Document) -> ReadabilityScores:
    """Scores of ``blocks`` of ``doc`` taken together (a passage pooled from several sections)."""
    counts = _count_blocks(blocks, doc)
    return _scores(counts, _dominant_lang(counts, doc.lang))
