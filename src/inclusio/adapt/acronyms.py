"""Acronyms expanded from the document's own definitions (offline; FALC rule T8).

A definition is a long form followed by the acronym in brackets, "Organisation mondiale de la
santé (OMS)", or the reverse, "OMS (Organisation mondiale de la santé)", where the initials of
the long form's significant words spell the acronym (small words like *de*, *la*, *of*, *the*
are skipped; accents and case are ignored). Nothing is guessed here: an acronym the document never
defines gets its meaning from inclusio's lexicon, flagged for review (:mod:`inclusio.adapt.acronym_lexicon`),
or stays for the staff to define.

:func:`expand` writes the long form before the acronym's first use in a text where it is not
already explained: "l'OMS publie" -> "l'Organisation mondiale de la santé (OMS) publie".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from inclusio.model.document import Document, is_code

_ACRONYM = r"[A-ZÉÈÀ][A-ZÉÈÀ0-9]{1,7}"
_LONG_THEN_SHORT = re.compile(rf"([^()]{{3,160}}?)\s*\(\s*({_ACRONYM}s?)\s*\)")
_SHORT_THEN_LONG = re.compile(rf"\b({_ACRONYM})\s*\(\s*([^()]{{3,160}})\s*\)")
_SMALL_WORDS = frozenset(
    [
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "à",
        "a",
        "au",
        "aux",
        "en",
        "pour",
        "par",
        "sur",
        "of",
        "the",
        "and",
        "for",
        "in",
        "on",
        "to",
    ]
)
_WORD = re.compile(r"[\w’'-]+")


@dataclass(frozen=True)
class Acronym:
    short: str
    long: str
    """The long form (a document's definition), or the meaning in the document's language."""
    block_id: str
    origin: Literal["document", "lexicon", "staff"] = "document"
    """``document``: defined by the document itself (found here); ``lexicon``: its meaning comes from
    inclusio's acronym lexicon; ``staff``: from a glossary entry a person reviewed
    (:mod:`inclusio.adapt.acronym_lexicon`)."""
    meanings: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """Lexicon and staff meanings by language root (``fr``, ``en``): what :func:`~inclusio.adapt.acronym_lexicon.write_out` writes."""
    basis: str = ""
    """Lexicon: where its meaning comes from."""
    blocks: tuple[str, ...] = ()
    """Lexicon: the blocks where the document uses it."""


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _significant(words: list[str]) -> list[str]:
    out = []
    for word in words:
        for part in re.split(r"[’'-]", word):
            if part and _fold(part) not in _SMALL_WORDS:
                out.append(part)
    return out


def _long_form_before(text: str, short: str) -> str | None:
    """The shortest run of words ending ``text`` whose significant initials spell ``short``."""
    letters = _fold(short.rstrip("s") if short.endswith("s") and not short.isupper() else short)
    words = _WORD.findall(text)
    for start in range(len(words) - 1, max(-1, len(words) - 3 * len(letters) - 1), -1):
        run = words[start:]
        if _fold(run[0]) in _SMALL_WORDS:
            continue
        initials = "".join(_fold(w)[0] for w in _significant(run))
        if initials == letters:
            # Keep the text as written (accents, case) from the first word of the run.
            at = text.rfind(run[0], 0, len(text) - len(" ".join(run[1:])) if run[1:] else len(text))
            long = text[at:].strip(" ,;:") if at >= 0 else " ".join(run)
            # An elided article belongs to the sentence, not to the name: "L'Organisation" -> "Organisation".
            return re.sub(r"^(?:[LlDd]|[Qq]u)[’']", "", long)
        if len(initials) > len(letters):
            return None
    return None


def initials_spell(long: str, short: str) -> bool:
    """Whether the initials of the significant words of ``long`` spell ``short``; a capital inside a
    word starts a word too ("HyperText Markup Language" spells HTML)."""
    words = _significant(_WORD.findall(long))
    camel = [part for word in words for part in re.findall(r"[A-Z][^\WA-Z]*|[^\WA-Z]+", word)]
    return _fold(short) in {"".join(_fold(w)[0] for w in run if w) for run in (words, camel)}


def _matches(long: str, short: str) -> bool:
    """Whether the initials of ``long``'s significant words spell ``short``, or those of all its words
    ("LLSM (Lisez Le Super Manuel)": the small word counts there)."""
    words = _WORD.findall(long)
    return _fold(short) in {"".join(_fold(w)[0] for w in run) for run in (_significant(words), words)}


def find_acronyms(doc: Document) -> dict[str, Acronym]:
    """Acronyms the document defines itself, by short form (the first definition wins)."""
    found: dict[str, Acronym] = {}
    for block in doc.blocks:
        text = "" if is_code(block) else block.plain_text()  # "f(x)" in code is no acronym
        if "(" not in text:
            continue
        for match in _LONG_THEN_SHORT.finditer(text):
            short = match.group(2)
            long = _long_form_before(match.group(1), short)
            if long and short not in found:
                found[short] = Acronym(short, long, block.id)
        for match in _SHORT_THEN_LONG.finditer(text):
            short, long = match.group(1), match.group(2).strip()
            if short not in found and _matches(long, short):
                found[short] = Acronym(short, long, block.id)
    return found


def expand(text: str, acronyms: dict[str, Acronym]) -> tuple[str, list[str]]:
    """``text`` with each acronym the document defines written out at its first unexplained use; and which
    were (acronyms with another origin are :func:`inclusio.adapt.acronym_lexicon.write_out`'s)."""
    done: list[str] = []
    for short, acronym in acronyms.items():
        if acronym.origin != "document" or acronym.long.lower() in text.lower():
            continue  # already explained in this text
        pattern = re.compile(rf"(?<![\w(]){re.escape(short)}(?![\w)])")
        match = pattern.search(text)
        if match:
            text = f"{text[: match.start()]}{acronym.long} ({short}){text[match.end() :]}"
            done.append(short)
    return text, done
