"""A small rule-based sentence splitter for French and English course text.

Used by the readability scores and the offline easy-to-read pass. It needs no model: a
sentence ends at ``.``, ``!``, ``?`` or ``…`` (closing quotes and brackets may follow) when the
next word starts like a sentence (capital letter, digit, opening quote or bracket, dash).
It does not end after a known abbreviation ("p. ex.", "M.", "e.g.", "Dr.") or a single-letter
initial ("J.-C.", "A. Dupont"), nor inside a number ("3.5"). French spacing before ``?`` and
``!`` ("Pourquoi ?") is handled. Line breaks are spaces; a blank line always ends a sentence.

(The speech module may grow its own splitter; the two should be merged into one.)
"""

from __future__ import annotations

import re

# Lower-case, without the final period. "etc." is deliberately absent: it usually ends a
# sentence when a capital follows, and is inside one otherwise (no capital follows).
_ABBREVIATIONS = frozenset({
    # French
    "p", "ex", "cf", "c.-à-d", "c-à-d", "env", "av", "apr", "j.-c", "m", "mm", "mme", "mlle", "dr", "pr",
    "st", "ste", "vol", "chap", "fig", "éd", "coll", "op", "cit", "ibid", "n°", "no", "art", "al", "resp",
    "min", "max", "approx", "sq", "tél", "hab", "km", "cm",
    # English
    "e.g", "i.e", "mr", "mrs", "ms", "prof", "vs", "dept", "jr", "sr", "inc", "ltd", "co",
    "eq", "ch", "pp", "ca",
})

_END = re.compile(r"[.!?…]+[»\"'”’)\]]*(?=\s)")
_STARTS_SENTENCE = re.compile(r"[\s\u00a0]*([«\"“‘(\[—–\-]|[^\W\d_]|\d)")
_WORD_BEFORE = re.compile(r"([\w.\-°]+)\.$")


def _is_abbreviation(text_before_period: str) -> bool:
    """Whether the token ending with this period is an abbreviation or an initial."""
    match = _WORD_BEFORE.search(text_before_period)
    if not match:
        return False
    token = match.group(1).lower()
    if token in _ABBREVIATIONS:
        return True
    last = token.rsplit(".", 1)[-1].rsplit("-", 1)[-1]
    # A single letter ("J." in "J.-C.", "A. Dupont") is an initial, not a sentence end,
    # unless it is a lower-case French word like "a"/"y" at a sentence end: those are rare
    # before a capital, so initials win only for upper-case letters.
    original_last = match.group(1).rsplit(".", 1)[-1].rsplit("-", 1)[-1]
    return len(last) == 1 and original_last.isupper()


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each stripped, none empty, in order; words are never dropped.

    Joining the result with spaces gives back the text with whitespace normalised.
    """
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = re.sub(r"\s+", " ", chunk).strip()
        if chunk:
            out.extend(_split_chunk(chunk))
    return out


def _split_chunk(chunk: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(chunk):
        end = match.end()
        if not _STARTS_SENTENCE.match(chunk, end):
            continue
        following = chunk[end:].lstrip()
        # A lower-case word after the mark: an abbreviation we do not know, or an incise
        # ("« Pourquoi ? » dit-il"); either way the sentence goes on.
        if following[:1].islower():
            continue
        marks = match.group(0).rstrip("»\"'”’)]")
        if marks == "." and _is_abbreviation(chunk[start:match.start() + 1]):
            continue
        sentence = chunk[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    rest = chunk[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
