"""Rare words (FALC rule T4: everyday words; hard ones explained), from wordfreq, offline.

A word is **rare** when its Zipf frequency in the language (wordfreq 3.1: log10 of
occurrences per billion words, everyday words 4 to 7) is below :data:`RARE_ZIPF` (3.5, the
project default of STANDARDS §3) **and** so is its lemma's when one is known: "captée" (2.8)
is a form of "capter" (3.7), which a reader knows. wordfreq ships its data inside the wheel:
nothing is downloaded.

Not judged, on purpose (other rules or no rule cover them):

* words with digits ("CO2"), all-caps words (acronyms: rule T8);
* proper nouns: spaCy's ``PROPN`` when a pipeline ran, else a capitalised word that does not
  start the sentence ("Priestley", "Belgique");
* parts shorter than :data:`MIN_LETTERS` letters; elided articles (``l'``, ``qu'``) and the parts of
  hyphenated words are judged one by one ("elles-mêmes" -> "elles", "mêmes");
* words in the caller's glossary (they are explained there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

RARE_ZIPF = 3.5
"""Below this Zipf frequency a word is rare (STANDARDS §3, T4; configurable per call)."""
MIN_LETTERS = 3

WORD = re.compile(r"[^\W\d_]+(?:[-'’‐‑][^\W\d_]+)*")
"""A word: letters, with inner hyphens or apostrophes ("arc-en-ciel", "l'eau")."""
_PART_SPLIT = re.compile(r"[-'’‐‑]")


@dataclass(frozen=True)
class RareWord:
    start: int
    end: int
    word: str
    zipf: float
    """The Zipf frequency of the word (or of its rarest part)."""


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` in ``lang`` (0.0 when unknown or the language has no list)."""
    from wordfreq import zipf_frequency

    try:
        return float(zipf_frequency(word.lower(), lang))
    except LookupError:
        return 0.0


@lru_cache(maxsize=16)
def has_word_list(lang: str) -> bool:
    """Whether wordfreq knows ``lang`` (its root: ``fr``, ``en``...)."""
    from wordfreq import available_languages

    return lang in available_languages()


def _judged(word: str) -> bool:
    if len(word) < MIN_LETTERS or word.isupper():
        return False
    return not any(ch.isdigit() for ch in word)


def is_rare(word: str, lang: str, *, lemma: str | None = None, threshold: float = RARE_ZIPF) -> float | None:
    """The word's Zipf frequency when it is rare (see the module docstring), else None.

    A hyphenated or elided word is rare when one of its judged parts is; the rarest part's
    frequency is returned. ``lemma`` (from spaCy) rescues inflected forms of everyday words.
    """
    worst: float | None = None
    for part in _PART_SPLIT.split(word):
        if not _judged(part):
            continue
        value = zipf(part, lang)
        if value >= threshold:
            continue
        if lemma and lemma.lower() != word.lower() and zipf(lemma, lang) >= threshold:
            continue
        worst = value if worst is None else min(worst, value)
    return worst


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """The words of ``text`` as regex matches (positions kept for spans)."""
    return WORD.finditer(text)


def rare_words(
    text: str, lang: str, *, threshold: float = RARE_ZIPF, skip: Iterable[str] = ()
) -> list[RareWord]:
    """Rare words of one sentence without a spaCy pipeline (proper nouns guessed by capitals).

    ``skip``: words not to judge (a glossary), compared case-insensitively.
    """
    skipped = {s.lower() for s in skip}
    root = lang.replace("_", "-").split("-")[0].lower()
    if not has_word_list(root):
        return []
    out: list[RareWord] = []
    for index, match in enumerate(iter_words(text)):
        word = match.group(0)
        if word.lower() in skipped:
            continue
        if index > 0 and word[:1].isupper():
            continue  # a capital inside the sentence: a name, not a word the reader must know
        value = is_rare(word, root, threshold=threshold)
        if value is not None:
            out.append(RareWord(match.start(), match.end(), word, value))
    return out
