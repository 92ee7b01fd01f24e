"""The adapt stage in one call: every pass the profile asks for, offline or with Mistral.

:func:`adapt_document` is what ``run_job`` calls. It never raises for a model failure: a block
the model could not do gets the offline result (flagged), a pass that fails as a whole is
reported and the others go on. The engine is:

* ``offline`` (default, nothing leaves the machine): rule-based rewrite at the profile's level,
  acronyms written out from the document's own definitions (else from inclusio's acronym lexicon,
  flagged for review: :mod:`inclusio.adapt.acronym_lexicon`), glossary from word frequency, the
  document's own definitions and the acronyms the reader meets, extractive key points, alt text from caption and OCR; all
  marked for review;
* ``mistral`` when ``settings.engine == "mistral"`` **and** an API key or a server URL is set
  (:func:`inclusio.llm.remote_configured`); otherwise a ``llm.not_configured`` warning and the
  offline engine. Answers are cached in ``<data_dir>/llm-cache.sqlite3`` (``INCLUSIO_LLM_CACHE``).

Passes, in order: rewrite (level ``easy_read`` or ``plain``), glossary, summaries, alt text,
translation. Progress is reported as ``on_progress(fraction 0..1, message)`` over the whole stage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inclusio.adapt.acronym_lexicon import lexicon_acronyms
from inclusio.adapt.acronyms import Acronym, find_acronyms
from inclusio.adapt.context import AdaptContext, now_iso
from inclusio.errors import LLMNotConfigured, StageError, as_inclusio_error
from inclusio.model.document import Document

if TYPE_CHECKING:
    from inclusio.config import Settings
    from inclusio.llm.cache import LLMCache
    from inclusio.llm.session import LLMSession
    from inclusio.profiles.schema import Profile

ProgressFn = Callable[[float, str], None]
REVIEW = "draft: not reviewed by a person"


@dataclass
class AdaptResult:
    """The adapted document, what it cost, and what went wrong (coded warnings, never exceptions)."""

    document: Document
    stats: dict[str, Any] = field(default_factory=dict)
    """``engine``, ``model`` (when remote), per-pass counts, and LLM figures: ``calls``, ``retries``,
    ``cache_hits``, ``prompt_tokens``, ``completion_tokens``, ``source_tokens``, ``failures``."""
    warnings: list[dict[str, Any]] = field(default_factory=list)
    """``{"stage": "adapt", "pass", "code", "message", "message_fr", "blocks"?...}``."""


def _passes(profile: Profile) -> list[str]:
    passes = []
    if profile.adaptation.level in ("easy_read", "plain"):
        passes.append("rewrite")
    if profile.glossary.enabled or profile.translation.target and profile.translation.bilingual_glossary:
        passes.append("glossary")
    if profile.summaries.enabled:
        passes.append("summaries")
    if profile.images.generate:
        passes.append("alt_text")
    if profile.translation.target:
        passes.append("translation")
    return passes


def adapt_document(
    doc: Document,
    profile: Profile,
    settings: Settings,
    *,
    llm: LLMSession | None = None,
    cache: LLMCache | None = None,
    on_progress: ProgressFn | None = None,
    created_at: str | None = None,
) -> AdaptResult:
    """Run the passes ``profile`` asks for on ``doc`` (see the module doc). Never raises for bad input.

    ``llm`` replaces the session built from ``settings`` (tests, benchmarks); ``cache`` replaces
    the one in ``settings.data_dir``; ``created_at`` fixes provenance timestamps.
    """
    from inclusio.llm import remote_configured, session_from_settings

    warnings: list[dict[str, Any]] = []
    owned = False
    if llm is None and settings.engine == "mistral":
        if remote_configured(settings):
            llm, owned = session_from_settings(settings), True
        else:
            warnings.append({"stage": "adapt", **LLMNotConfigured().to_dict()})
    owned_cache = False
    if llm is not None and cache is None and settings.llm_cache:
        from inclusio.llm.cache import LLMCache

        cache, owned_cache = LLMCache.in_data_dir(settings.data_dir), True
    ctx = AdaptContext(
        settings=settings,
        profile=profile,
        session=llm,
        cache=cache if llm else None,
        created_at=created_at or now_iso(),
        warnings=warnings,
    )
    passes = _passes(profile)
    stats: dict[str, Any] = {
        "engine": llm.engine if llm else "offline",
        "level": profile.adaptation.level,
        "passes": {},
        "review": REVIEW,
    }
    acronyms: dict[str, Acronym] = {}
    if profile.adaptation.expand_acronyms or profile.glossary.enabled:
        # The document's own definitions first, then a person's or the lexicon's meaning for the others.
        acronyms = find_acronyms(doc)
        acronyms.update(lexicon_acronyms(doc, acronyms))
    try:
        for index, name in enumerate(passes):

            def progress(fraction: float, message: str, _i: int = index) -> None:
                if on_progress:
                    on_progress((_i + max(0.0, min(1.0, fraction))) / len(passes), message)

            progress(0.0, name)
            try:
                doc, counts = _run(name, doc, ctx, acronyms, progress)
            except Exception as exc:  # noqa: BLE001 - one failed pass never fails the job
                err = as_inclusio_error(exc)
                failure = StageError(
                    f"The {name} pass failed ({err.message}); the other adaptations are kept.",
                    message_fr=f"L'étape {name} a échoué ({err.message_fr}) ; les autres "
                    "adaptations sont conservées.",
                    details={"pass": name, "error": err.code},
                )
                ctx.warnings.append({"stage": "adapt", "pass": name, **failure.to_dict()})
                counts = {"failed": True}
            stats["passes"][name] = counts
        if acronyms:
            stats["acronyms"] = sorted(k for k, a in acronyms.items() if a.origin == "document")
            stats["acronyms_lexicon"] = sorted(k for k, a in acronyms.items() if a.origin == "lexicon")
        if llm is not None:
            stats["llm"] = llm.stats.snapshot()
            model_of = {"rewrite": profile.adaptation.level, "summaries": "summary"}
            stats["models"] = {name: ctx.model(model_of.get(name, name)) for name in passes}
    finally:
        if owned and llm is not None:
            llm.client.close()
        if owned_cache and cache is not None:
            cache.close()
    if on_progress:
        on_progress(1.0, "adapted")
    return AdaptResult(document=doc, stats=stats, warnings=ctx.warnings)


def _run(
    name: str, doc: Document, ctx: AdaptContext, acronyms: dict[str, Any], progress: ProgressFn
) -> tuple[Document, dict[str, Any]]:
    if name == "rewrite":
        from inclusio.adapt.rewrite import apply_rewrite

        return apply_rewrite(doc, ctx, acronyms, on_progress=progress)
    if name == "glossary":
        from inclusio.adapt.glossary import apply_glossary

        return apply_glossary(doc, ctx, acronyms, on_progress=progress)
    if name == "summaries":
        from inclusio.adapt.summaries import apply_summaries

        return apply_summaries(doc, ctx, on_progress=progress)
    if name == "alt_text":
        from inclusio.adapt.alt_text import apply_alt_text

        return apply_alt_text(doc, ctx, on_progress=progress)
    if name == "translation":
        from inclusio.adapt.translation import apply_translation

        return apply_translation(doc, ctx, on_progress=progress)
    raise ValueError(f"unknown pass {name}")
