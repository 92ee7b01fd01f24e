"""One rule-based sentence splitter for French and English course text.

Used by the readability scores, the offline easy-to-read pass and speech synthesis, so that a
"sentence" means the same thing in the report, in the adapted text and in the audio clips.
It needs no model. The rules (the docstring of :func:`split_sentences` is the spec):

* line breaks are spaces (PDF line wrapping); a blank line always ends a sentence;
* a sentence ends at ``.``, ``!``, ``?`` or ``…`` (possibly repeated, possibly followed by closing
  quotes or brackets, French spacing before ``?``/``!`` included) when whitespace follows and the
  next word starts like a sentence: capital letter, digit, opening quote or bracket, dash;
* a lower-case word after the mark continues the sentence (an unknown abbreviation, or an incise:
  « Pourquoi ? » dit-il);
* a period after a known abbreviation (``M.``, ``p. ex.``, ``e.g.``, ``Dr.``, ``fig.``...), after an
  upper-case initial (``J. K. Rowling``, ``J.-C.``) or inside a dotted acronym (``U.S.A.``) does not end
  a sentence; decimals (``3.5``) never split since no space follows. ``etc.`` is not in the list: it
  ends a sentence when a capital follows, and is inside one otherwise;
* with ``max_chars``, a longer "sentence" is cut at the last ``;``, ``:`` or ``,`` (else the last
  space) before the limit, so one synthesis call and one media-overlay clip stay bounded.
"""

from __future__ import annotations

import re

# Lower-case, without the final period. Only forms that rarely end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        # French
        "p",
        "pp",
        "ex",
        "cf",
        "c.-à-d",
        "c-à-d",
        "env",
        "av",
        "apr",
        "j.-c",
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "dr",
        "pr",
        "mgr",
        "st",
        "ste",
        "vol",
        "chap",
        "fig",
        "éd",
        "coll",
        "op",
        "cit",
        "ibid",
        "n°",
        "nº",
        "réf",
        "al",
        "resp",
        "sq",
        "suiv",
        "tél",
        "hab",
        "km",
        "cm",
        "approx",
        # English ("no", "me", "art", "min"... are left out: as plain words they often end a sentence)
        "e.g",
        "i.e",
        "eg",
        "ie",
        "mr",
        "mrs",
        "ms",
        "prof",
        "vs",
        "dept",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "eq",
        "ch",
        "ca",
        "ed",
        "eds",
        "figs",
        "jan",
        "feb",
        "aug",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)

_END = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?[»\"'”’)\]])*(?=\s)")
_STARTS_SENTENCE = re.compile(r"[\s\u00a0]*([«\"“‘(\[—–\-]|[^\W\d_]|\d)")
_WORD_BEFORE = re.compile(r"([\w.\-°º]+)\.$")
_DOTTED_ACRONYM = re.compile(r"^(?:\w\.)+\w$")
_BLANK_LINE = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


def _is_abbreviation(text_before_period: str) -> bool:
    """Whether the token ending with this period is an abbreviation, an initial or an acronym."""
    match = _WORD_BEFORE.search(text_before_period)
    if not match:
        return False
    token = match.group(1)
    if token.lower() in ABBREVIATIONS or _DOTTED_ACRONYM.match(token):
        return True
    # A single upper-case letter ("J." in "J.-C.", "A. Dupont") is an initial. Lower-case
    # one-letter French words ("il y a.") do end sentences.
    last = token.rsplit(".", 1)[-1].rsplit("-", 1)[-1]
    return len(last) == 1 and last.isupper()


def _split_chunk(chunk: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(chunk):
        end = match.end()
        if not _STARTS_SENTENCE.match(chunk, end):
            continue
        if chunk[end:].lstrip()[:1].islower():
            continue
        marks = match.group(0).rstrip(" \u00a0\u202f»\"'”’)]")
        if marks == "." and _is_abbreviation(chunk[start : match.start() + 1]):
            continue
        sentence = chunk[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    rest = chunk[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _split_long(sentence: str, max_chars: int) -> list[str]:
    parts: list[str] = []
    rest = sentence
    while len(rest) > max_chars:
        window = rest[:max_chars]
        cut = max(window.rfind("; "), window.rfind(": "), window.rfind(", "))
        if cut < max_chars // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = max_chars - 1  # one enormous "word": cut it anyway, bounded beats pretty
        parts.append(rest[: cut + 1].strip())
        rest = rest[cut + 1 :].strip()
    if rest:
        parts.append(rest)
    return parts


def split_sentences(text: str, *, max_chars: int | None = None) -> list[str]:
    """Split ``text`` (French or English) into sentences: trimmed, none empty, in order.

    Nothing is added or dropped: joining the result with spaces gives back the text with its
    whitespace normalised. With ``max_chars``, no sentence is longer than that.
    """
    sentences: list[str] = []
    for chunk in _BLANK_LINE.split(text):
        chunk = _SPACES.sub(" ", chunk).strip()
        if chunk:
            sentences.extend(_split_chunk(chunk))
    if max_chars is None:
        return sentences
    out: list[str] = []
    for sentence in sentences:
        out.extend(_split_long(sentence, max_chars) if len(sentence) > max_chars else [sentence])
    return out
