"""Acronyms the document uses but never defines: their meaning from inclusio's own lexicon (FALC rule T8).

The lexicon is ``inclusio/data/acronyms.txt``, shipped in the package and read offline (nothing is
downloaded): a few hundred common academic and technical acronyms and formula symbols, each with its
meaning in French and in English, the languages it is used in and where that meaning comes from (the
file's header says how it was written). Only French and English documents use it.

* :func:`acronyms_in_use`: the acronyms and symbols of the document's readable text, found as rule
  T8 finds them (:func:`inclusio.analysis.easy_read_rules.acronym_spans`), with their blocks.
* :func:`lexicon_acronyms`: for each one the document does not define itself, the meaning to use:
  a person's (a reviewed glossary entry: staff corrected or confirmed it; a removed term gets none)
  or the lexicon's (``origin="lexicon"``: chosen by the machine, so its glossary entry is flagged
  ``glossary.lexicon`` until staff review it). The document's own definitions
  (:func:`inclusio.adapt.acronyms.find_acronyms`) always come first.
* :func:`undefined_acronyms`: the acronyms left without a meaning (the glossary lists them for the
  staff, "to define", never for the student).
* :func:`write_out`: "l'ADN contient" -> "l'ADN (acide désoxyribonucléique) contient" at the first
  use in a text, in the text's language, where it can be done without breaking a name or a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from inclusio.adapt.acronyms import Acronym
from inclusio.adapt.easy_read import is_contents_line
from inclusio.analysis.easy_read_rules import acronym_spans
from inclusio.analysis.readability import readable_units
from inclusio.model.document import Block, Document, GlossaryEntry, Heading, PageMarker, is_code
from inclusio.text.sentences import split_sentences

LANGS = ("fr", "en")
MAX_SENTENCE_WORDS = 20
"""Rule T1's limit (:class:`inclusio.analysis.easy_read_rules.RuleConfig` ``fail_words``)."""
MAX_STAFF_WORDS = 8
"""A staff definition longer than this stays in the glossary only (it would not fit in brackets)."""
_COMMON_ZIPF = 3.0
"""A word in capitals that is an everyday word ("ASTUCE", "TESTER") is not an acronym to define."""
_COMMON_SHORT_ZIPF = 5.0
"""The same for a word of 3 letters or fewer ("OUI", "NON"; not "ADN", "TP" or "UE", frequent as acronyms)."""
_FORMULA = re.compile(r"[→=⇌⟶]|->")
_NUMBERED_LINE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s*[^\W\d].*\s\d+\s*$")
_REFERENCE = re.compile(r"^\s*(?:\[\d+[a-z]?\]|[^\W\d][\w’'-]+,? (?:[A-Z]\.\s*)+(?:,|\(\d{4}))")
_NAME_AFTER = re.compile(r" +[A-ZÀ-ÖØ-Þ]")
_NAME_BEFORE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'-]* +$")


@dataclass(frozen=True)
class LexiconEntry:
    short: str
    langs: tuple[str, ...]
    """Languages the acronym is used in (``ADN`` in French, ``DNA`` in English, ``HTML`` in both)."""
    meanings: dict[str, str]
    """Its meaning in French and in English (what is written in brackets after it)."""
    basis: str
    """Where the meaning comes from (a standard, an organisation's name, a field's usage)."""


@dataclass
class Usage:
    """Where an acronym occurs: block ids in reading order and the languages of those blocks."""

    blocks: list[str] = field(default_factory=list)
    langs: set[str] = field(default_factory=set)


def _parse(line: str) -> LexiconEntry:
    short, langs, fr, en, basis = (part.strip() for part in line.split(" | "))
    return LexiconEntry(short, tuple(langs.split()), {"fr": fr, "en": en}, basis)


@cache
def lexicon() -> dict[str, LexiconEntry]:
    """The shipped lexicon, by acronym as written (read once per process)."""
    text = files("inclusio").joinpath("data", "acronyms.txt").read_text(encoding="utf-8")
    entries = (
        _parse(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
    return {entry.short: entry for entry in entries}


def _key(word: str, known: dict[str, LexiconEntry]) -> str:
    """The lexicon key of ``word``: itself, or without a plural ``s`` ("HOWTOs", "CDs")."""
    if word not in known and word.endswith("s") and word[:-1] in known:
        return word[:-1]
    return word


def _lang(doc: Document, block: Block) -> str:
    return doc.block_lang(block).split("-")[0].lower()


def acronyms_in_use(doc: Document) -> dict[str, Usage]:
    """Acronyms and symbols of the readable text (not code, page markers), as rule T8 reads them."""
    known = lexicon()
    found: dict[str, Usage] = {}
    for block in doc.blocks:
        if isinstance(block, PageMarker) or is_code(block):
            continue
        lang = _lang(doc, block)
        units = [block.plain_text()] if isinstance(block, Heading) else readable_units(block)
        for unit in units:
            for sentence in split_sentences(unit):
                for start, end in acronym_spans(sentence, lang):
                    word = sentence[start:end]
                    if word.endswith("."):
                        continue  # "U.S.A.": dotted abbreviations are not looked up
                    usage = found.setdefault(_key(word, known), Usage())
                    if block.id not in usage.blocks:
                        usage.blocks.append(block.id)
                    usage.langs.add(lang)
    return found


def _staff_meaning(definition: str) -> str | None:
    """A person's definition as a meaning in brackets: one short clause, without its final period."""
    text = " ".join(definition.split()).rstrip(" .")
    if not text or len(text.split()) > MAX_STAFF_WORDS or re.search(r"[.!?;]\s", text):
        return None
    return text[:1].lower() + text[1:] if not text[:2].isupper() else text


def _approved_as_is(entry: GlossaryEntry) -> bool:
    """A lexicon entry a person approved without changing it (a definition they wrote is ``human``'s)."""
    return entry.origin == "lexicon" and bool(entry.definition) and entry.provenance.engine != "human"


def lexicon_acronyms(
    doc: Document, defined: dict[str, Acronym], used: dict[str, Usage] | None = None
) -> dict[str, Acronym]:
    """The meaning of each acronym ``doc`` uses and does not define itself (``defined``), by short form:
    a person's (from a reviewed glossary entry, ``origin="staff"``: the meaning they wrote, or the lexicon's
    when they approved the lexicon's entry as it is) or the lexicon's (``origin="lexicon"``, only for the
    languages the entry is used in). ``long`` is the meaning in the document's language."""
    doc_lang = doc.lang.split("-")[0].lower()
    if doc_lang not in LANGS:
        return {}
    used = acronyms_in_use(doc) if used is None else used
    known = lexicon()
    reviewed = {e.term: e for e in doc.glossary if e.provenance.reviewed_by}
    out: dict[str, Acronym] = {}
    for short, usage in used.items():
        if short in defined:
            continue
        entry = known.get(short)
        in_lexicon = entry is not None and bool(usage.langs & set(entry.langs))
        if short in reviewed:  # staff confirmed, corrected or removed it: their word is final
            person = reviewed[short]
            if entry is not None and in_lexicon and _approved_as_is(person):
                # Approved as it is: the lexicon's meaning, now confirmed by a person.
                out[short] = Acronym(
                    short,
                    entry.meanings[doc_lang],
                    usage.blocks[0],
                    origin="staff",
                    meanings={lang: entry.meanings[lang] for lang in entry.langs},
                    basis=entry.basis,
                    blocks=tuple(usage.blocks),
                )
                continue
            meaning = _staff_meaning(person.definition or "")
            if meaning:
                out[short] = Acronym(
                    short, meaning, usage.blocks[0], origin="staff", meanings={doc_lang: meaning}
                )
            continue
        if entry is None or not in_lexicon:
            continue
        meanings = {lang: entry.meanings[lang] for lang in entry.langs}
        out[short] = Acronym(
            short,
            entry.meanings[doc_lang],
            usage.blocks[0],
            origin="lexicon",
            meanings=meanings,
            basis=entry.basis,
            blocks=tuple(usage.blocks),
        )
    return out


def _everyday(short: str, langs: set[str]) -> bool:
    """Whether ``short`` is an everyday word written in capitals ("ASTUCE", "TESTER", "OUI"), not an acronym.

    Word frequencies count acronyms too ("adn", "tp", "ue" are frequent), so: a word without a vowel
    ("HTML", "XQZ") is never one; a word of 3 letters or fewer must be very frequent (Zipf 5, "oui",
    "non"); a longer one common (Zipf 3)."""
    from inclusio.analysis.rare_words import zipf

    if not re.search(r"[aeiouyàâäéèêëîïôöùûüÿ]", short.lower()):
        return False
    floor = _COMMON_ZIPF if len(short) > 3 else _COMMON_SHORT_ZIPF
    return any(zipf(short.lower(), lang) >= floor for lang in langs)


def undefined_acronyms(
    doc: Document, meanings: dict[str, Acronym], used: dict[str, Usage] | None = None
) -> dict[str, Usage]:
    """Acronyms the reader meets that nobody explains (not the document, the lexicon or a person):
    letters only ("N2010", "F3" are codes, not acronyms), not an everyday word ("ASTUCE")."""
    used = acronyms_in_use(doc) if used is None else used
    reviewed = {e.term for e in doc.glossary if e.provenance.reviewed_by}
    out: dict[str, Usage] = {}
    for short, usage in used.items():
        if short in meanings or short in reviewed or not short.isalpha() or not short.isupper():
            continue
        if _everyday(short, usage.langs | {"en"}):
            continue
        out[short] = usage
    return out


def reference_entry(text: str) -> bool:
    """A bibliography entry ("[2] Donald E. Knuth. TEX and METAFONT...", "Knuth D. (1979). ..."): a title
    is quoted as published, so nothing is written into it."""
    return bool(_REFERENCE.match(text))


def contents_line(text: str) -> bool:
    """A line of a table of contents or of a list of tables ("1.3.1 Démarrer MC . . . 17", "7 GUI System
    120"): it repeats a title, which is not rewritten, so nothing is written into it."""
    return is_contents_line(text) or (len(text.split()) <= 15 and bool(_NUMBERED_LINE.match(text)))


def _in_name(text: str, start: int, end: int) -> bool:
    """Whether the acronym at ``start:end`` is a word of a longer name: next to a capitalised word
    ("GNU Privacy Guard", "Common UNIX Printing System", "GNOME Desktop"), a sentence's first word aside."""
    if _NAME_AFTER.match(text, end):
        return True
    before = _NAME_BEFORE.search(text[:start])
    if before is None:
        return False
    preceding = text[: before.start()].rstrip()
    return bool(preceding) and not preceding.endswith((".", "!", "?", ":", "«", "(", "—", "–", "-"))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside « », “ ” or " " (a name or a command quoted as it is)."""
    return [m.span() for m in re.finditer(r"«[^»]*»|“[^”]*”|\"[^\"]*\"", text)]


def _fits(text: str, start: int, meaning: str, max_words: int) -> bool:
    """Whether the sentence around ``start`` stays within ``max_words`` words with ``meaning`` added."""
    offset = 0
    for sentence in split_sentences(text):
        at = text.find(sentence, offset)
        if at <= start < at + len(sentence) or at < 0:
            return len(sentence.split()) + len(meaning.split()) <= max_words
        offset = at + len(sentence)
    return True


def write_out(
    text: str, acronyms: dict[str, Acronym], lang: str, *, max_words: int = MAX_SENTENCE_WORDS
) -> tuple[str, list[str]]:
    """``text`` with the meaning of each acronym of ``acronyms`` (lexicon or staff ones) in brackets after
    its first use, in ``lang``; and which were written out. Left as it is: an acronym already followed by
    brackets or whose meaning the text already gives, one inside brackets, a quotation or a longer name
    ("GNU Privacy Guard"), a path, an address or a compound ("UTF-8", "CD-ROM", "GNU/Linux"), every symbol of a formula
    line ("6 CO2 + 6 H2O → ..."), a table-of-contents line (:func:`contents_line`), and a use in a sentence
    the meaning would take over ``max_words`` words (rule T1's limit: the glossary explains it there)."""
    done: list[str] = []
    if contents_line(text):
        return text, done
    formula = bool(_FORMULA.search(text))
    for short, acronym in acronyms.items():
        if short not in text:
            continue  # the pattern below holds ``short`` as it is: no match (the lexicon is long, most are not here)
        meaning = acronym.meanings.get(lang)
        if acronym.origin == "document" or not meaning or meaning.lower() in text.lower():
            continue
        if formula and any(ch.isdigit() for ch in short):
            continue
        pattern = re.compile(rf"(?<![\w(/.\\$@-]){re.escape(short)}s?(?![\w)@=-]|\.\w|\s*[(/])")
        quoted = _quoted_spans(text)
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in quoted) or _in_name(text, *match.span()):
                continue
            if text[: match.start()].count("(") > text[: match.start()].count(")"):
                continue  # inside brackets already: a bracket in a bracket is hard to read
                continue
            if not _fits(text, match.start(), meaning, max_words):
                continue  # the glossary explains it: a sentence over the limit would be harder to read
            text = f"{text[: match.end()]} ({meaning}){text[match.end() :]}"
            done.append(short)
            break
    return text, done
