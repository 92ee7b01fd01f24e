"""A tiny language guesser for course documents: French or English.

Counts frequent function words ("le", "des", "est" / "the", "of", "is"); good enough to pick
the document language (speech voice, hyphenation, EPUB ``dc:language``) when the source does
not declare one. Documents in other languages get the closer of the two; a real detector can
replace this function later without touching the converters.
"""

from __future__ import annotations

import re

_FR = frozenset(
    ["le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "sont", "dans", "pour", "que", "qui", "sur", "pas", "par", "avec", "ce", "cette", "ces", "au", "aux", "il", "elle", "nous", "vous", "ils", "leur", "plus", "ou", "mais", "être", "fait", "peut", "comme", "son", "sa", "ses", "on"]
)
_EN = frozenset(
    ["the", "of", "and", "to", "in", "is", "are", "for", "that", "with", "on", "as", "by", "this", "be", "it", "from", "at", "an", "or", "which", "not", "can", "these", "we", "was", "were", "has", "have", "their", "its"]
)
_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ']+", re.IGNORECASE)


def guess_language(text: str, *, default: str = "fr") -> str:
    """``"fr"`` or ``"en"`` for ``text``, by stop-word counts; ``default`` on a tie (or no words).

    Only the first 200 000 characters are looked at: that is plenty and keeps it cheap.
    """
    fr = en = 0
    for match in _WORD.finditer(text[:200_000]):
        word = match.group(0).lower()
        # Elided articles ("l'", "d'") are strong French signals.
        if word.startswith(("l'", "d'", "qu'", "n'", "s'", "c'")) or word in _FR:
            fr += 1
        elif word in _EN:
            en += 1
    if fr == en:
        return default
    return "fr" if fr > en else "en"


def resolve_language(declared: str | None, text: str) -> tuple[str, str | None]:
    """The document language: the declared one unless the text clearly reads otherwise.

    Templates often declare ``en-US`` for French text, so a declared French/English tag that
    disagrees with :func:`guess_language` on more than 500 characters loses. Returns the
    language and, when the declaration was overridden, a message for a conversion issue.
    """
    guessed = guess_language(text)
    if not declared:
        return guessed, None
    primary = declared.split("-")[0].lower()
    if len(text) > 500 and primary in ("fr", "en") and primary != guessed:
        return guessed, f"The file declares language {declared!r} but its text reads as {guessed!r}; {guessed!r} was used."
    return declared, None
