"""Faithfulness check: the facts of a source block are still in its adaptation, or flagged.

For every block with an adaptation (easy-to-read rewrite, plain language, translation...),
the facts of the source block's text are looked for in the adaptation's text (its blocks'
text and its ``text``). A fact that is not found is **missing**: the block needs a human
review. Nothing is corrected or removed: this check only flags (STANDARDS §5, R10).

Facts
-----
* **numbers**: every value (:func:`inclusio.analysis.numbers_dates.find_numbers`), compared as
  values: "1 000" = "1000" = "mille" = English "1,000"; French "3,5" = English "3.5";
  "XIXe" = "19e"; "six" = "6"; "1,5 million" = "1 500 000". Digits inside a source date are
  checked as the date;
* **dates**: same month, and the day and year the source gives, in any spelling
  ("12/03/2024" = "12 mars 2024" = "March 12, 2024");
* **named entities**: spaCy NER (``PER``, ``LOC``, ``ORG``, ``MISC``) where a model is installed
  (French), always joined by patterns: capitalised names of one or more words that do not
  start a sentence ("Joseph Priestley", "Jean-Baptiste van Helmont", "Soleil"), acronyms
  ("ADN") and symbols ("CO2", "C6H12O6"). Found when the same name is in the adaptation,
  ignoring case, apostrophe and dash styles. A renamed or shortened name ("Priestley" for
  "Joseph Priestley") is flagged: the reviewer decides;
* **glossary terms** (given by the caller, e.g. the glossary pass's terms): each term present
  in the source block is looked for in the adaptation (a plural in -s/-x counts). Skipped when
  the adaptation is in another language (a translation).

Noise control (the small French model tags capitalised common words at the start of a sentence
or a table cell: "Fiche", "Température"): an entity of one common word (Zipf ≥ 3.5) is dropped
when nothing but its position explains the capital.

Kinds checked by default: every adaptation kind except those that are not rewrites of the
block's text (:data:`NOT_REWRITES`: alt text, long description, summary, glossary). A summary
leaves facts out on purpose; pass ``kinds`` to check it anyway.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from inclusio.analysis import numbers_dates as nd
from inclusio.analysis.nlp import lang_root, load_pipeline, model_name
from inclusio.model.document import Adaptation, Block, Document

if TYPE_CHECKING:
    from spacy.language import Language

FactKind = Literal["number", "date", "entity", "term"]
FACT_KINDS: tuple[FactKind, ...] = ("number", "date", "entity", "term")
NOT_REWRITES = frozenset({"alt_text", "long_description", "summary", "glossary"})
"""Adaptation kinds not checked by default (they do not restate the block's text)."""
NER_LABELS = frozenset({"PER", "PERSON", "LOC", "GPE", "ORG", "MISC", "NORP", "FAC", "EVENT", "PRODUCT"})
_COMMON_ZIPF = 3.5
MAX_NER_CHARS = 100_000
"""Longer source blocks get pattern entities only (spaCy's memory grows with the text)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fact(_Frozen):
    """A fact of a source block."""

    kind: FactKind
    text: str
    """As written in the source."""
    value: str
    """Normalised form it was looked for as: a number's value, a date ``YYYY-MM-DD`` (``?`` for an
    unknown part), a folded name or term."""
    label: str | None = None
    """For an entity: the NER label, or ``NAME``, ``ACRONYM``, ``SYMBOL`` from the patterns."""


class BlockFaithfulness(_Frozen):
    """The check of one adaptation of one block."""

    block_id: str
    block_type: str
    adaptation_kind: str
    engine: str
    lang: str
    adaptation_lang: str
    checked: dict[str, int]
    """Facts of each kind found in the source block."""
    missing: list[Fact]
    needs_review: bool


class FaithfulnessSummary(_Frozen):
    blocks_checked: int
    blocks_to_review: int
    facts_checked: dict[str, int]
    facts_missing: dict[str, int]


class FaithfulnessReport(_Frozen):
    """Faithfulness of every checked adaptation (``model_dump()`` goes into the JSON report)."""

    adaptation_kinds: tuple[str, ...]
    """The adaptation kinds found and checked."""
    ner: dict[str, bool]
    """Per language root of the sources: whether spaCy NER was used (else patterns only)."""
    models: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    summary: FaithfulnessSummary
    blocks: list[BlockFaithfulness]


# -- facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntitySpan:
    start: int
    end: int
    text: str
    label: str


_CAP = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-'’][^\W_]+)*"
"""A capitalised word; its hyphenated parts may hold digits ("Ctrl-Alt-F3" is one name, not "Ctrl-Alt-F")."""
_PARTICLE = r"(?:de|du|des|la|le|van|von|der|den|da|di|del|of|the|and|et)"
_NAME = re.compile(
    r"(?:(?<![\w])|(?<=\d)(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2}))"
    + _CAP
    + r"(?:\s+(?:"
    + _PARTICLE
    + r"\s+)*"
    + _CAP
    + r")*"
)
"""A name starts a word: "I18N et L10N" holds no name "N et L"; after an affiliation's or a note's number
glued to it, a capitalised word of 3 letters or more starts one ("1Department of Physics")."""
_SYMBOL = re.compile(r"(?<![\w-])(?:[A-Z][A-Za-z]*\d[A-Za-z0-9]*|[A-ZÀ-ÖØ-Þ]{2,})(?![\w])")
_OPENERS = re.compile(r"[\s«\"“‘(\[—–\-:|]*(?:(?:\d+(?:\.\d+)+\.?|\d+[.)])\s+)?")
"""What may come before a sentence's first word: quotes, brackets, dashes, and a section number
("1.3.1 Personnalisation de MC": a table-of-contents title's capital is its position's)."""
_BRACKETS = re.compile(r"\s*\([^()]*\)")
_ACRONYM_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ]{2,}[A-ZÀ-ÖØ-Þ0-9]*")


def _is_common(word: str, lang: str) -> bool:
    from inclusio.analysis.rare_words import zipf

    return zipf(word.lower(), lang) >= _COMMON_ZIPF


def sentence_starts(text: str) -> set[int]:
    """Offsets where a sentence, line or table cell starts (a capital there proves nothing)."""
    starts = {0}
    for match in re.finditer(r"(?:[.!?…:|]\s+|\n\s*)", text):
        starts.add(match.end())
    return {s + len(_OPENERS.match(text, s).group(0)) for s in starts}  # type: ignore[union-attr]


def acronyms_only(words: Sequence[str], first_by_position: bool) -> bool:
    """Whether a multi-word "name" is only acronyms joined by other words ("TEX and METAFONT", "Démarrer
    MC" at a line start, "Virtual filesystem of MC"): each acronym is a fact of its own (the patterns find
    it), the words around them are not a name. A first word capitalised by its position does not count."""
    capitals = [w for w in words if w[:1].isupper()]
    if first_by_position and capitals[:1] == list(words[:1]):
        capitals = capitals[1:]
    return len(words) > 1 and bool(capitals) and all(_ACRONYM_WORD.fullmatch(w) for w in capitals)


def pattern_entities(text: str, lang: str) -> list[EntitySpan]:
    """Names, acronyms and symbols found by patterns (no model): shared with :mod:`inclusio.analysis.verify`."""
    starts = sentence_starts(text)
    out: list[EntitySpan] = []
    for match in _SYMBOL.finditer(text):
        label = "SYMBOL" if any(ch.isdigit() for ch in match.group(0)) else "ACRONYM"
        out.append(EntitySpan(match.start(), match.end(), match.group(0), label))
    # The symbols do not overlap and come in order, so their ends are in order too: the only one that can
    # hold ``start`` is the last to begin before it (a scan of all of them per name was quadratic: a glossary
    # verifies against the whole document's text).
    symbol_starts = [e.start for e in out]
    symbol_ends = [e.end for e in out]
    for match in _NAME.finditer(text):
        start, name = match.start(), match.group(0)
        before = bisect_left(symbol_starts, start) - 1
        if before >= 0 and start < symbol_ends[before]:
            continue  # "Flux" in "CO2Flux": part of the symbol
        if name.isupper() or acronyms_only(name.split(), start in starts):
            continue  # acronyms above
        if start in starts:
            # The first capital may be the sentence's: drop the first word when it is common.
            first, _, rest = name.partition(" ")
            if not rest and _is_common(first, lang):
                continue
            if rest and _is_common(first, lang):
                rest = re.sub(r"^(?:" + _PARTICLE + r"\s+)+", "", rest)
                if not rest or not rest[:1].isupper():
                    continue
                start, name = match.end() - len(rest), rest
        if len(name) < 2 or (lang == "en" and name in ("I", "I'm")):
            continue
        out.append(EntitySpan(start, start + len(name), name, "NAME"))
    return out


def _ner_entities(text: str, parsed: object, lang: str) -> list[EntitySpan]:
    doc = parsed  # a spaCy Doc
    starts = sentence_starts(text)
    out: list[EntitySpan] = []
    for ent in doc.ents:  # type: ignore[attr-defined]
        if ent.label_ not in NER_LABELS:
            continue
        tokens = [t for t in ent if not (t.like_num or t.is_punct)]
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        name = text[start:end]
        if not any(ch.isupper() for ch in name):
            continue
        only_position = start in starts or (tokens[0].i > 0 and doc[tokens[0].i - 1].is_punct)  # type: ignore[index]
        capitals = [t for t in tokens if t.text[:1].isupper()]
        if only_position and capitals == tokens[:1] and _is_common(tokens[0].text, lang):
            continue  # "Fiche de cours", "Bulles de dioxygène", "Température": a capital by position only
        if acronyms_only([t.text for t in tokens], only_position):
            continue  # "Éditeur interne de MC", "Requête GET https://...": the acronyms are the facts
        out.append(EntitySpan(start, end, name, ent.label_))
    return out


def find_entities(text: str, lang: str, parsed: object | None = None) -> list[EntitySpan]:
    """Entities of ``text``: patterns, plus NER from ``parsed`` (a spaCy Doc) when given; one per name."""
    spans = pattern_entities(text, lang)
    if parsed is not None:
        spans += _ner_entities(text, parsed, lang)
    # "XIXe", "II": numbers, checked as numbers (a "19e" in the adaptation is faithful).
    spans = [
        s for s in spans if not any(r.start == 0 and r.end == len(s.text) for r in nd.find_roman(s.text))
    ]
    # Longest first, no overlaps; then one per folded name.
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    kept: list[EntitySpan] = []
    # The kept spans never overlap: ordered by start, their ends are ordered too, and a span overlaps one of
    # them if and only if it overlaps the last to begin before its end (bisect, not a scan of every kept span).
    kept_at: list[tuple[int, int]] = []
    for span in spans:
        before = bisect_left(kept_at, (span.end, -1)) - 1
        if before >= 0 and span.start < kept_at[before][1]:
            continue
        kept.append(span)
        insort(kept_at, (span.start, span.end))
    seen: set[str] = set()
    unique: list[EntitySpan] = []
    for span in sorted(kept, key=lambda s: s.start):
        key = nd.fold(span.text)
        if key not in seen:
            seen.add(key)
            unique.append(span)
    return unique


def contains_folded(haystack: str, needle: str, *, plural: bool = False) -> bool:
    """Whether ``needle`` (folded) is in the folded ``haystack`` as whole words."""
    folded = _folded(needle)
    if folded not in haystack:
        return False  # the pattern below holds it as it is: no match (most terms are not in most blocks)
    suffix = r"(?:s|x)?" if plural else ""
    pattern = r"(?<!\w)" + re.escape(folded) + suffix + r"(?!\w)"
    return re.search(pattern, haystack) is not None


_folded = lru_cache(maxsize=4096)(nd.fold)
"""``nd.fold`` of a name or a term, cached: every glossary term is looked for in every adapted block."""


def _date_value(date: nd.DateMatch) -> str:
    day, month, year = date.readings[0]
    return f"{year if year is not None else '?'}-{month:02d}-{f'{day:02d}' if day is not None else '?'}"


def adaptation_text(adaptation: Adaptation) -> str:
    """All the text an adaptation gives the reader: its blocks' text, then its ``text``."""
    parts = [block.plain_text() for block in adaptation.blocks]
    if adaptation.text:
        parts.append(adaptation.text)
    return "\n\n".join(part for part in parts if part)


def _check_block(
    block: Block, adaptation: Adaptation, lang: str, parsed: object | None, glossary: Sequence[str]
) -> BlockFaithfulness:
    source = block.plain_text()
    target = adaptation_text(adaptation)
    target_lang = lang_root(adaptation.lang or lang)
    folded_target = nd.fold(target)
    missing: list[Fact] = []
    checked: Counter[str] = Counter()

    source_dates = nd.find_dates(source, lang)
    target_dates = nd.find_dates(target, target_lang)
    for date in source_dates:
        checked["date"] += 1
        if not any(nd.same_date(date, other) for other in target_dates):
            missing.append(Fact(kind="date", text=date.text, value=_date_value(date)))

    date_spans = [(d.start, d.end) for d in source_dates]
    target_values = {v for n in nd.find_numbers(target, target_lang) for v in n.values}
    seen_values: set[str] = set()
    for number in nd.find_numbers(source, lang):
        if any(a <= number.start < b for a, b in date_spans):
            continue
        key = str(number.value)
        if key in seen_values:
            continue
        seen_values.add(key)
        checked["number"] += 1
        if not any(v in target_values for v in number.values):
            missing.append(Fact(kind="number", text=number.text, value=key))

    # A word explained in brackets ("GUI (interface graphique) infrastructure") keeps the name it is in.
    unbracketed = nd.fold(_BRACKETS.sub("", target)) if "(" in target else folded_target
    for span in find_entities(source, lang, parsed):
        checked["entity"] += 1
        if not (contains_folded(folded_target, span.text) or contains_folded(unbracketed, span.text)):
            missing.append(Fact(kind="entity", text=span.text, value=nd.fold(span.text), label=span.label))

    if target_lang == lang:
        folded_source = nd.fold(source)
        for term in glossary:
            if not contains_folded(folded_source, term, plural=True):
                continue
            checked["term"] += 1
            if not contains_folded(folded_target, term, plural=True):
                missing.append(Fact(kind="term", text=term, value=nd.fold(term)))

    return BlockFaithfulness(
        block_id=block.id,
        block_type=block.type,
        adaptation_kind=adaptation.kind,
        engine=adaptation.provenance.engine,
        lang=lang,
        adaptation_lang=target_lang,
        checked={kind: checked[kind] for kind in FACT_KINDS},
        missing=missing,
        needs_review=bool(missing),
    )


def check_faithfulness(
    doc: Document, *, kinds: Iterable[str] | None = None, glossary: Iterable[str] = (), use_ner: bool = True
) -> FaithfulnessReport:
    """Check that every fact of each adapted block is in its adaptation (see the module docstring).

    ``kinds``: adaptation kinds to check (default: every kind but :data:`NOT_REWRITES`); the
    latest adaptation of each kind is checked. ``glossary``: course terms that must survive, in
    addition to every term of ``doc.glossary``.
    ``use_ner=False`` uses the patterns only. Never raises for the text it is given; a language
    without a spaCy model uses the patterns and is flagged in ``ner`` and ``notes``.
    """
    wanted = set(kinds) if kinds is not None else None
    # Every term of the document's glossary must survive: course terms are explained, never paraphrased.
    terms = list(
        dict.fromkeys(t.strip() for t in [*glossary, *(e.term for e in doc.glossary)] if t and t.strip())
    )
    jobs: list[tuple[Block, Adaptation, str]] = []
    for block in doc.blocks:
        block_kinds = dict.fromkeys(a.kind for a in block.adaptations)
        for kind in block_kinds:
            if (wanted is None and kind in NOT_REWRITES) or (wanted is not None and kind not in wanted):
                continue
            adaptation = block.adaptation(kind)
            if adaptation is not None and (adaptation.blocks or adaptation.text):
                jobs.append((block, adaptation, lang_root(doc.block_lang(block))))

    ner: dict[str, bool] = {}
    parsed: list[object | None] = [None] * len(jobs)
    for lang in dict.fromkeys(lang for _, _, lang in jobs):
        nlp: Language | None = load_pipeline(lang) if use_ner else None
        ner[lang] = nlp is not None
        if nlp is None:
            continue
        # Blocks too long for one NER pass (bounded memory) get the patterns only.
        indices = [
            i
            for i, (_, _, job_lang) in enumerate(jobs)
            if job_lang == lang and len(jobs[i][0].plain_text()) <= MAX_NER_CHARS
        ]
        texts = [jobs[i][0].plain_text() for i in indices]
        # NER has its own token-to-vector layer in the small models: tokenizer + NER is enough (~3x
        # faster than the whole pipeline). Components are called directly rather than through
        # select_pipes, which would change the shared pipeline under another thread's feet.
        docs = nlp.tokenizer.pipe(texts, batch_size=64) if "ner" in nlp.pipe_names else nlp.pipe(texts)
        if "ner" in nlp.pipe_names:
            docs = nlp.get_pipe("ner").pipe(docs, batch_size=64)
        for i, doc_parsed in zip(indices, docs, strict=True):
            parsed[i] = doc_parsed

    blocks = [
        _check_block(block, adaptation, lang, parsed[i], terms)
        for i, (block, adaptation, lang) in enumerate(jobs)
    ]
    checked: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for result in blocks:
        checked.update(result.checked)
        missing.update(fact.kind for fact in result.missing)
    notes = [
        f"{lang}: named entities from patterns only ("
        + ("NER disabled" if not use_ner else "no spaCy model installed for it")
        + ")"
        for lang, has in sorted(ner.items())
        if not has
    ]
    models = {lang: name for lang, has in ner.items() if has and (name := model_name(lang))}
    return FaithfulnessReport(
        adaptation_kinds=tuple(dict.fromkeys(b.adaptation_kind for b in blocks)),
        ner=ner,
        models=models,
        notes=notes,
        summary=FaithfulnessSummary(
            blocks_checked=len(blocks),
            blocks_to_review=sum(1 for b in blocks if b.needs_review),
            facts_checked={kind: checked[kind] for kind in FACT_KINDS},
            facts_missing={kind: missing[kind] for kind in FACT_KINDS},
        ),
        blocks=blocks,
    )
