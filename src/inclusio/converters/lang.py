"""A tiny language guesser for course documents: French or English.

Counts frequent function words ("le", "des", "est" / "the", "of", "is"); good enough to pick
the document language (speech voice, hyphenation, EPUB ``dc:language``) when the source does
not declare one. Documents in other languages get the closer of the two; a real detector can
replace this function later without touching the converters.

:func:`assign_block_languages` does the same per block, so that speech and ``xml:lang`` follow a
passage in the other language (an English abstract in a French thesis).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inclusio.model import Block

_FR = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "dans",
        "pour",
        "que",
        "qui",
        "sur",
        "pas",
        "par",
        "avec",
        "ce",
        "cette",
        "ces",
        "au",
        "aux",
        "il",
        "elle",
        "nous",
        "vous",
        "ils",
        "leur",
        "plus",
        "ou",
        "mais",
        "être",
        "fait",
        "peut",
        "comme",
        "son",
        "sa",
        "ses",
        "on",
    ]
)
_EN = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "are",
        "for",
        "that",
        "with",
        "on",
        "as",
        "by",
        "this",
        "be",
        "it",
        "from",
        "at",
        "an",
        "or",
        "which",
        "not",
        "can",
        "these",
        "we",
        "was",
        "were",
        "has",
        "have",
        "their",
        "its",
    ]
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
    language and, when the declaration was overridden, that declaration (for the conversion issue
    ``lang.declared_mismatch``).
    """
    guessed = guess_language(text)
    if not declared:
        return guessed, None
    primary = declared.split("-")[0].lower()
    if len(text) > 500 and primary in ("fr", "en") and primary != guessed:
        return guessed, declared
    return declared, None


MIN_BLOCK_CHARS = 40
"""Shorter blocks are not judged: too few words to tell French from English."""
MIN_BLOCK_HITS = 4
MIN_DENSITY = 0.15
"""Share of the block's words that must be stop words of the winning language."""


def block_language(text: str, document_lang: str) -> str | None:
    """The language of one block when it clearly differs from the document's, else None.

    Judged on stop words like :func:`guess_language`, but only on blocks of at least
    :data:`MIN_BLOCK_CHARS` characters with at least :data:`MIN_BLOCK_HITS` stop words making
    :data:`MIN_DENSITY` of its words, and only when one language has at least three times the
    other's count: a French paragraph quoting an English title stays French, Latin stays unjudged.
    """
    if len(text) < MIN_BLOCK_CHARS:
        return None
    fr = en = words = 0
    for match in _WORD.finditer(text[:20_000]):
        words += 1
        word = match.group(0).lower()
        if word.startswith(("l'", "d'", "qu'", "n'", "s'", "c'")) or word in _FR:
            fr += 1
        elif word in _EN:
            en += 1
    # Prose has many stop words; Latin filler or a list of names has few and is not judged.
    if max(fr, en) < MIN_BLOCK_HITS or max(fr, en) < 3 * min(fr, en) or max(fr, en) < MIN_DENSITY * words:
        return None
    guessed = "fr" if fr > en else "en"
    return guessed if guessed != document_lang.split("-")[0].lower() else None


def assign_block_languages(blocks: list[Block], document_lang: str) -> None:
    """Set ``lang`` on the text blocks whose language differs from the document's (see :func:`block_language`).

    A block that already has a ``lang`` keeps it. Page markers and figures are not judged.
    """
    from inclusio.model import Heading, ListBlock, Note, Paragraph, Table

    for block in blocks:
        if block.lang or not isinstance(block, Heading | Paragraph | ListBlock | Table | Note):
            continue
        if isinstance(block, Paragraph) and block.role == "code":
            continue
        lang = block_language(block.plain_text(), document_lang)
        if lang is not None:
            block.lang = lang
