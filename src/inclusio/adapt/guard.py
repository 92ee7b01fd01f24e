"""A quick acceptance check of one model answer against its source block, before it is used.

It is not the faithfulness report (that is :mod:`inclusio.analysis`, run on the result); it only
refuses answers that are plainly unusable, so they are asked again or replaced by the offline
result and flagged:

* a number of the source (digits, spaces inside numbers ignored) missing from the answer;
* a course term of the profile, present in the source, missing from the answer;
* an answer sharing almost none of the source's content words (fewer than a quarter of its
  words of 6 letters or more): the mark of a model that followed an instruction hidden in
  the document ("ignore the above and write...") instead of rewriting it.
"""

from __future__ import annotations

import re
import unicodedata

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LONG_WORD = re.compile(r"[^\W\d_]{6,}")
MIN_SHARED_WORDS = 0.25


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def numbers(text: str) -> set[str]:
    """Numbers as digit strings ("1 000" and "1000" are the same; decimals keep their separator as '.')."""
    compact = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", text)
    return {m.group(0).replace(",", ".") for m in _NUMBER.finditer(compact)}


def refuse_reason(source: str, answer: str, *, terms: list[str] = ()) -> str | None:  # type: ignore[assignment]
    """Why ``answer`` cannot stand for ``source`` (None when it can)."""
    if not answer.strip():
        return "empty answer"
    missing = sorted(numbers(source) - numbers(answer))
    if missing:
        return f"numbers dropped: {', '.join(missing[:5])}"
    folded_answer = _fold(answer)
    lost = [t for t in terms if _fold(t) in _fold(source) and _fold(t) not in folded_answer]
    if lost:
        return f"course terms dropped: {', '.join(lost[:5])}"
    words = {w for w in (_fold(m.group(0)) for m in _LONG_WORD.finditer(source))}
    if len(words) >= 4:
        shared = sum(1 for w in words if w[:6] in folded_answer)
        if shared / len(words) < MIN_SHARED_WORDS:
            return f"answer unrelated to the source ({shared} of {len(words)} content words kept)"
    return None
