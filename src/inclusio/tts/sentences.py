"""A small, honest French/English sentence splitter for speech.

Rules, in order (the docstring of :func:`split_sentences` is the spec):

* a blank line always ends a sentence; single line breaks (PDF line wrapping) are spaces;
* a sentence ends at ``.``, ``!``, ``?`` or ``…`` (possibly repeated, possibly followed by closing
  quotes or brackets) when whitespace follows and the next word starts with an upper-case letter,
  a digit or an opening quote/bracket;
* it does not end after a known abbreviation (``M.``, ``Mme.``, ``Dr.``, ``p. ex.``, ``etc.``,
  ``e.g.``, ``i.e.``, ``cf.``, ``fig.``...), after a single letter (initials ``J. K. Rowling``),
  or after dotted acronyms (``U.S.A.``); decimals (``3.5``) never split since no space follows;
* a "sentence" longer than ``max_chars`` is cut at the last ``;``, ``:`` or ``,`` (else the last
  space) before the limit, so one synthesis call and one media-overlay clip stay bounded.

Known limits: "etc." and "e.g." never end a sentence even when they really do (the two sentences are
then read as one clip, which costs nothing audible); a sentence starting with a lower-case word after
a full stop is not split.
"""

from __future__ import annotations

import re

# Compared lower-cased, without the final period. Only forms that rarely end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset({
    # French
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "mgr", "st", "ste",
    "p", "pp", "ex", "etc", "cf", "fig", "vol", "chap", "éd", "coll", "env", "av", "apr", "j.-c",
    "nº", "réf", "al", "resp", "sq", "suiv", "tél", "ibid", "op", "cit",
    # English ("no", "me", "art", "min"... are left out: as plain words they often end a sentence)
    "mr", "mrs", "ms", "prof", "sr", "jr", "vs", "e.g", "i.e", "eg", "ie", "approx", "dept",
    "ed", "eds", "figs", "ch", "inc", "ltd", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
})

# A candidate end: terminators, optional closing quotes/brackets, then whitespace, then the next char.
_END = re.compile(r"([.!?…]+)((?:[ \u00a0\u202f]?[»\"'”’)\]])*)(\s+)(?=[«\"“‘(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_DOTTED_ACRONYM = re.compile(r"^(?:\w\.)+\w$")
_BLANK_LINE = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


def _is_abbreviation(text: str, dot_index: int) -> bool:
    """True when the period at ``dot_index`` closes an abbreviation, an initial or an acronym."""
    start = dot_index
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(«\"“'":
        start -= 1
    word = text[start:dot_index]
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial ("J. K. Rowling", "M. Dupont")
    if word.lower() in ABBREVIATIONS:
        return True
    return bool(_DOTTED_ACRONYM.match(word))  # "e.g", "U.S.A", "J.-C" is in the list


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
        rest = rest[cut + 1:].strip()
    if rest:
        parts.append(rest)
    return parts


def split_sentences(text: str, *, max_chars: int = 400) -> list[str]:
    """Split ``text`` (French or English) into sentences, trimmed, none empty, none over ``max_chars``.

    See the module docstring for the rules. The concatenation of the result equals the input up to
    whitespace (nothing is added or dropped), so the sentences can be matched back to the text.
    """
    sentences: list[str] = []
    for chunk in _BLANK_LINE.split(text):
        chunk = _SPACES.sub(" ", chunk).strip()
        if not chunk:
            continue
        start = 0
        for match in _END.finditer(chunk):
            terminators = match.group(1)
            if terminators == "." and _is_abbreviation(chunk, match.start(1)):
                continue
            end = match.end(2)
            sentence = chunk[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end(3)
        tail = chunk[start:].strip()
        if tail:
            sentences.append(tail)
    out: list[str] = []
    for sentence in sentences:
        out.extend(_split_long(sentence, max_chars) if len(sentence) > max_chars else [sentence])
    return out
