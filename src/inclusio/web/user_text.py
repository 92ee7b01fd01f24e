"""Text people typed (titles, file names, share titles) shown on pages of any language, with its own ``lang``.

A teacher's French title on an English page must be read with French rules by a screen reader
(WCAG 3.1.2): :func:`user_text` (the ``user_text`` Jinja filter) wraps such text in
``<span lang="fr">`` when its language differs from the page's, and leaves it as it is otherwise.
The language is the caller's when it knows it (``{{ title|user_text(doc_lang) }}``), else guessed
from the text (:func:`text_language`); a text too short to tell (``Cours 3``, a file name) gets no
``lang``, so it keeps the page's.

``tm("key", name=title|user_text)`` (a template global, see :func:`markup_translator`) puts such
wrapped text inside a translated sentence without escaping the wrapper (``t`` gives plain text,
which the template escapes whole).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from inclusio.converters.lang import guess_language
from inclusio.web.i18n import LANGS, TEXT

_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
_FRENCH_WORDS = frozenset(
    [
        "cours",
        "chapitre",
        "leçon",
        "séance",
        "partie",
        "introduction",
        "à",
        "au",
        "aux",
        "du",
        "des",
        "les",
        "une",
        "sur",
        "pour",
        "avec",
        "dans",
        "et",
        "est",
        "sont",
        "ce",
        "cette",
        "ces",
    ]
)
_ENGLISH_WORDS = frozenset(
    [
        "course",
        "chapter",
        "lesson",
        "session",
        "part",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "with",
        "on",
        "what",
        "how",
        "why",
        "an",
        "is",
        "are",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def text_language(text: str) -> str | None:
    """``"fr"`` or ``"en"`` when the (short) text says which, else ``None``.

    Stop words first (:func:`inclusio.converters.lang.guess_language`), then words of course titles
    (``chapitre``, ``lesson``...), then French letters (``é``, ``ç``...): a title is a few words, often
    without any stop word."""
    guessed = guess_language(text, default="")
    if guessed:
        return guessed
    words = [w.lower() for w in _WORD.findall(text)]
    fr = sum(w in _FRENCH_WORDS for w in words)
    en = sum(w in _ENGLISH_WORDS for w in words)
    if fr != en:
        return "fr" if fr > en else "en"
    if _FRENCH_LETTERS.search(text):
        return "fr"
    return None


def wrap_user_text(text: Any, page_lang: str, lang: str | None = None) -> Markup:
    """``text`` escaped, in ``<span lang="…">`` when its language (``lang``, else guessed) is not the page's."""
    value = "" if text is None else str(text)
    own = (lang or "").split("-")[0].lower() or text_language(value)
    if not value or not own or own == page_lang or not re.fullmatch(r"[a-z]{2,3}", own):
        return escape(value)
    return Markup('<span lang="{}">{}</span>').format(own, value)


@pass_context
def user_text(context: Context, text: Any, lang: str | None = None) -> Markup:
    """The Jinja filter: ``{{ share.title|user_text }}`` (or ``|user_text(doc_lang)``) on the page's ``lang``."""
    return wrap_user_text(text, str(context.get("lang") or "fr"), lang)


def markup_translator(lang: str) -> Callable[..., Markup]:
    """``tm(key, **fields)``: the translated sentence escaped, its fields escaped unless already markup
    (the output of :func:`user_text`)."""
    index = 1 if lang == "en" and "en" in LANGS else 0

    def tm(key: str, **fields: Any) -> Markup:
        return escape(TEXT[key][index]).format(**fields)

    return tm
