"""Readability measured only where it means something: sections pooled into passages of enough words.

A reading-ease formula averages words per sentence and syllables per word; on a slide of one or two words
it gives anything (Kandel–Moles says −383 for "Exercice 1"). Flesch calibrated his formula on samples of
100 words, so a passage is scored only from :data:`MIN_WORDS` words:

* sections (each heading's own text, sub-sections apart) are taken in reading order; a section of
  :data:`MIN_WORDS` words or more is a passage on its own; shorter ones are pooled with the sections that
  follow until the pool has :data:`MIN_WORDS` words; a short remainder at the end joins the previous
  passage;
* when the whole document has fewer words, nothing is scored: every section, and the document, are
  "too short to measure";
* a section without any readable text (a title, an image, code) belongs to no passage;
* scores are shown in the scale's range (0 to 100, :func:`shown_ease`), the raw value stays in the data.

The headline verdict (:func:`verdict`) is the whole document's score in the usual bands of Flesch's and
Kandel–Moles's tables.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from inclusio.analysis.places import Place, places_of
from inclusio.analysis.readability import ReadabilityScores, ReadingEaseFormula, score_blocks
from inclusio.model.document import Block, Document

MIN_WORDS = 100
"""Fewest words a reading-ease score is computed on (Flesch's 100-word samples)."""

BANDS = (
    (90, "very_easy"),
    (80, "easy"),
    (70, "fairly_easy"),
    (60, "standard"),
    (50, "fairly_difficult"),
    (30, "difficult"),
    (0, "very_difficult"),
)
"""Lowest score of each band, highest first (Flesch 1948; Kandel & Moles keep the same scale)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionEntry(_Frozen):
    """One section of the source and the passage it was measured in."""

    heading_id: str | None
    title: str | None
    words: int
    place: Place | None = None
    passage: int | None = None
    """Index in :attr:`PassageReadability.passages`; None: too short (or nothing) to measure."""


class Passage(_Frozen):
    """Consecutive sections scored together."""

    sections: list[int]
    """Indices in :attr:`PassageReadability.sections`."""
    first: Place | None = None
    last: Place | None = None
    scores: ReadabilityScores


class PassageReadability(_Frozen):
    document: ReadabilityScores
    measured: bool
    """False when the whole document has fewer than :data:`MIN_WORDS` words."""
    sections: list[SectionEntry] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)


def _units(doc: Document) -> list[tuple[str | None, str | None, list[Block]]]:
    """(heading id, title, own blocks) of each section in reading order, sub-sections apart."""
    units = []
    for top in doc.top_sections():
        for section in top.walk():
            blocks = [b for b in section.blocks if b.type != "heading"]
            if section.heading is None and not blocks:
                continue
            units.append((section.heading.id if section.heading else None, section.title, blocks))
    return units


def measure_passages(doc: Document, min_words: int = MIN_WORDS) -> PassageReadability:
    """The document's sections pooled into passages of at least ``min_words`` words, each scored."""
    places = places_of(doc)
    units = _units(doc)
    entries: list[dict] = []
    for heading_id, title, blocks in units:
        words = score_blocks(blocks, doc).words if blocks else 0
        first_id = heading_id or (blocks[0].id if blocks else None)
        entries.append(
            {
                "heading_id": heading_id,
                "title": title,
                "words": words,
                "place": places.get(first_id) if first_id else None,
                "blocks": blocks,
            }
        )
    whole = score_blocks(doc.blocks, doc)
    groups: list[list[int]] = []
    if whole.words >= min_words:
        pool: list[int] = []
        pooled = 0
        for i, entry in enumerate(entries):
            if not entry["words"]:
                continue
            pool.append(i)
            pooled += entry["words"]
            if pooled >= min_words:
                groups.append(pool)
                pool, pooled = [], 0
        if pool:  # a short remainder joins the passage before it
            if groups:
                groups[-1] += pool
            else:
                groups.append(pool)
    passages = []
    for n, group in enumerate(groups):
        blocks = [b for i in group for b in entries[i]["blocks"]]
        for i in group:
            entries[i]["passage"] = n
        passages.append(
            Passage(
                sections=group,
                first=entries[group[0]]["place"],
                last=entries[group[-1]]["place"],
                scores=score_blocks(blocks, doc),
            )
        )
    sections = [SectionEntry(**{k: v for k, v in e.items() if k != "blocks"}) for e in entries]
    return PassageReadability(
        document=whole, measured=whole.words >= min_words, sections=sections, passages=passages
    )


def shown_ease(value: float | None) -> int | None:
    """A reading-ease score as shown: rounded into the scale's range, 0 to 100."""
    return None if value is None else max(0, min(100, round(value)))


def verdict(value: float | None) -> str | None:
    """The band of a reading-ease score (``very_easy`` ... ``very_difficult``), None without a score."""
    shown = shown_ease(value)
    if shown is None:
        return None
    return next(name for low, name in BANDS if shown >= low)


# -- the one summary the API, the command line and the web feedback give --------------------------------


class SectionScore(_Frozen):
    """One section: its words and the passage it was measured in, or ``too_short``."""

    heading_id: str | None
    title: str | None
    words: int
    place: Place | None = None
    passage: int | None = None
    """Index in :attr:`ReadabilitySummary.passages`."""
    too_short: bool
    """True when the section is in no measured passage: too short to be measured (no fake score)."""


class PassageScore(_Frozen):
    """Consecutive sections measured together (at least :data:`MIN_WORDS` words)."""

    sections: list[int]
    """Indices in :attr:`ReadabilitySummary.sections`."""
    first: Place | None = None
    last: Place | None = None
    words: int
    words_per_sentence: float
    reading_ease: int | None
    """In the scale's range, 0 to 100 (higher is easier); None for a language without a formula."""
    band: str | None
    lix: float | None


class ReadabilitySummary(_Frozen):
    """The document's readability as the teacher's feedback gives it: one verdict, measured passages, and
    every section with its passage or marked too short."""

    lang: str
    formula: ReadingEaseFormula | None
    """``kandel-moles`` (French) or ``flesch`` (English); None for a language without one."""
    min_words: int
    measured: bool
    """False when the whole document has fewer than ``min_words`` words: nothing is scored."""
    words: int
    sentences: int
    words_per_sentence: float
    reading_ease: int | None
    """The whole document's, in 0 to 100; None when not measured."""
    verdict: str | None
    """``very_easy`` ... ``very_difficult`` (:data:`BANDS`); None when not measured."""
    sections: list[SectionScore] = Field(default_factory=list)
    passages: list[PassageScore] = Field(default_factory=list)


def summarise(measured: PassageReadability, min_words: int = MIN_WORDS) -> ReadabilitySummary:
    """The summary of :func:`measure_passages`' result: scores clamped to the scale, short sections marked."""
    whole = measured.document
    ease = whole.reading_ease if measured.measured else None
    return ReadabilitySummary(
        lang=whole.lang,
        formula=whole.reading_ease_formula,
        min_words=min_words,
        measured=measured.measured,
        words=whole.words,
        sentences=whole.sentences,
        words_per_sentence=round(whole.words_per_sentence, 1),
        reading_ease=shown_ease(ease),
        verdict=verdict(ease),
        sections=[
            SectionScore(
                heading_id=s.heading_id,
                title=s.title,
                words=s.words,
                place=s.place,
                passage=s.passage,
                too_short=s.passage is None,
            )
            for s in measured.sections
        ],
        passages=[
            PassageScore(
                sections=p.sections,
                first=p.first,
                last=p.last,
                words=p.scores.words,
                words_per_sentence=round(p.scores.words_per_sentence, 1),
                reading_ease=shown_ease(p.scores.reading_ease),
                band=verdict(p.scores.reading_ease),
                lix=None if p.scores.lix is None else round(p.scores.lix, 1),
            )
            for p in measured.passages
        ],
    )


def readability_summary(doc: Document, min_words: int = MIN_WORDS) -> ReadabilitySummary:
    """:func:`summarise` of :func:`measure_passages` on ``doc``."""
    return summarise(measure_passages(doc, min_words), min_words)
