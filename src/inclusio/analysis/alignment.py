"""Which sentences of a translation its source supports: the invented-sentence check across languages.

A translation's words are not the source's words, so the share of words found in the source (what
:mod:`inclusio.analysis.verify` measures for rewrites) does not apply as such. Here a word of the
translation is **anchored** when it stands for a word of the source: the same word or a cognate (the
first four letters alike, accents removed: "molecule"/"molécule", "cells"/"cellules"), or a translation
listed in :mod:`inclusio.analysis.lexicon` ("light"/"lumière"). Per sentence of the translation, the
share of anchored content words is compared with a threshold measured by ``bench/verify.py`` on faithful
translations (docs/quality.md): a sentence the source supports nowhere is invented.

When the translation has more sentences than its source, the extra ones must be supported as well as the
others; a translation that keeps the source's sentence count is given more room (a faithful short
sentence may hold few cognates: "They make the matter they need themselves.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from inclusio.analysis import numbers_dates as nd
from inclusio.analysis.lexicon import translations


@dataclass(frozen=True)
class SentenceSupport:
    sentence: str
    anchored: int
    words: int

    @property
    def share(self) -> float:
        return self.anchored / self.words if self.words else 1.0


COGNATE_LETTERS = 4
"""Letters two words of two languages share at their start to be cognates."""
SAME_LANGUAGE_LETTERS = 5
"""In the same language, the stem the rewrite checks use ("fabrique" = "fabriquer")."""


@lru_cache(maxsize=64)
def _keys(text: str, letters: int) -> frozenset[str]:
    """Keys of every word of the source of 4 letters or more (function words included: "about" is what
    "environ" translates)."""
    from inclusio.analysis.verify import fold_plain

    return frozenset(w[:letters] for w in re.findall(r"[^\W\d_]{4,}", fold_plain(text)))


_ABBREVIATIONS = (
    "av",
    "apr",
    "cf",
    "env",
    "p",
    "pp",
    "fig",
    "vol",
    "no",
    "vs",
    "ex",
    "Fig",
    "No",
    "St",
    "Dr",
    "Mr",
)
_SPLIT = re.compile(
    r"(?<=[.!?…;:])"
    + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
    + r"(?<!\b[A-Z]\.)\s+(?![a-zà-ÿ])|\n+"
)


def sentences(text: str) -> list[str]:
    """Sentences of ``text``; a full stop after an abbreviation or an initial ("av.", "Fig.", "T. Choi"), or
    followed by a lower-case word ("J.-C. et"), ends no sentence."""
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


def anchored(word: str, source_keys: frozenset[str], lang: str, source_lang: str) -> bool:
    """Whether ``word`` (folded, accent-free, of the translation) stands for a word of the source (keys of
    :data:`COGNATE_LETTERS` letters)."""
    if word[:COGNATE_LETTERS] in source_keys:
        return True
    return bool(translations(word, lang, source_lang) & source_keys)


def sentence_support(source: str, answer: str, lang: str, answer_lang: str) -> list[SentenceSupport]:
    """Per sentence of ``answer`` (3 content words or more): its anchored words (a name kept or renamed
    as a cognate is anchored too)."""
    from inclusio.analysis.verify import MIN_SENTENCE_WORDS, content_words

    src, dst = nd.lang_root(lang), nd.lang_root(answer_lang)
    same = src == dst
    keys = _keys(source, SAME_LANGUAGE_LETTERS if same else COGNATE_LETTERS)
    out: list[SentenceSupport] = []
    for sentence in sentences(answer):
        words = content_words(sentence, lang=dst)
        if len(words) < MIN_SENTENCE_WORDS:
            continue
        found = sum(
            (w[:SAME_LANGUAGE_LETTERS] in keys) if same else anchored(w, keys, dst, src) for w in words
        )
        out.append(SentenceSupport(sentence, found, len(words)))
    return out


def sentence_count(text: str) -> int:
    """Sentences of ``text`` with two words or more."""
    return len([s for s in sentences(text) if len(re.findall(r"[^\W\d_]{2,}", s)) >= 2])
