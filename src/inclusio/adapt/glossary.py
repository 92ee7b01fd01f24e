"""The glossary pass: hard words and course terms of the document, with simple definitions.

Candidates (offline, always):

* acronyms the document defines ("Organisation mondiale de la santé (OMS)"), with their long form;
* the other acronyms and symbols the reader meets (those rule T8 flags): with the meaning of
  inclusio's acronym lexicon (``origin="lexicon"``, flagged ``glossary.lexicon``: the machine chose
  it, staff confirm, correct or remove it), or none (``origin="acronym"``, "to define" for the staff);
  they come on top of ``max_terms``, which bounds the words (:mod:`inclusio.adapt.acronym_lexicon`);
* the profile's course terms (``glossary.course_terms``), never paraphrased away by a rewrite;
* hard words: words of 4 letters or more whose Zipf frequency (wordfreq, offline data) is below
  ``glossary.zipf_threshold`` in the block's language, and so are their plain variants (plural,
  feminine, past participle), so "captée" is not hard when "capter" is common. Capitalised words
  inside a sentence are names, not hard words. Ranked by occurrences, at most ``max_terms``.

Definitions: the **document's own** where it gives one ("on appelle X ...", "X désigne ...",
"X, c'est-à-dire ...", "X est un/une ...", "X is a ...", "X means ..."); else, with the
Mistral engine, a simple definition written by the model from the sentence where the word
occurs (and the term in the target language for a bilingual glossary); else none: the entry is
flagged as a hard word to explain (``origin="frequency"``, ``definition=None``).

Every definition is verified (:func:`inclusio.analysis.verify.verify`, pass ``glossary``) against
the sentence where the term occurs, with the whole document as context: no number, date, name,
link or instruction the document does not hold, no invented sentence. A model definition refused
is asked again once with the findings, then left out and the entry flagged
(``adapt.model_fallback``); findings on a kept definition are the entry's flags.

Entries a person reviewed (``provenance.reviewed_by``: a definition staff wrote or approved, or a
term they removed, which keeps no definition) are kept as they are when the document is adapted
again (the release): they are neither re-defined, nor asked of the model, nor verified again. Staff
definitions are verified when they are written (:func:`check_definition`).
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, Field

from inclusio.adapt.acronym_lexicon import undefined_acronyms
from inclusio.adapt.acronyms import Acronym, initials_spell
from inclusio.adapt.batching import Unit
from inclusio.adapt.context import AdaptContext
from inclusio.adapt.definitions import find_definition, flag_undefined, is_term, known_variant
from inclusio.adapt.remote import BatchedPass, ProgressFn, fallback_flag, run_batched
from inclusio.analysis.verify import Verdict, verify
from inclusio.model.document import Document, Flag, GlossaryEntry, PageMarker, Provenance, is_code
from inclusio.profiles.schema import GlossarySettings
from inclusio.text.sentences import split_sentences
from inclusio.warning_codes import warning_text

PASS_NAME = "glossary"
LEXICON = "glossary.lexicon"
"""Flag of an entry whose meaning comes from inclusio's acronym lexicon (chosen by the machine)."""
ACRONYM_ORIGINS = ("lexicon", "acronym")
MIN_LETTERS = 4
_WORD = re.compile(
    r"(?:\b(?:[dlsnjmtc]|qu|jusqu|lorsqu|puisqu)['’])?([^\W\d_]+(?:-[^\W\d_]+)*)", re.IGNORECASE
)
"""A word, without the elided article or pronoun in front of it ("d'amidon" -> "amidon")."""
_VARIANT_ENDINGS = ("ées", "ée", "és", "es", "s", "e", "ent", "er")


class DefinedTerm(BaseModel):
    term: str
    definition: str = Field(min_length=3, max_length=400)
    translation: str | None = None


class GlossaryAnswer(BaseModel):
    terms: list[DefinedTerm]


def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang))


def is_hard(word: str, lang: str, threshold: float) -> bool:
    """Rare in ``lang`` (wordfreq), and so are its plain variants (plural, feminine, participle)."""
    lower = word.lower()
    if _zipf(lower, lang) >= threshold:
        return False
    for ending in _VARIANT_ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= MIN_LETTERS - 1:
            stem = lower[: -len(ending)]
            if any(_zipf(form, lang) >= threshold for form in (stem, stem + "e", stem + "er", stem + "é")):
                return False
    return True


def _lang_root(lang: str) -> str:
    return lang.split("-")[0].lower()


def _hard_words(doc: Document, threshold: float) -> tuple[Counter[str], dict[str, list[str]], dict[str, str]]:
    """Occurrences, block ids and the first sentence of each hard word (lower-cased key)."""
    counts: Counter[str] = Counter()
    blocks: dict[str, list[str]] = {}
    context: dict[str, str] = {}
    judged: dict[tuple[str, str], bool] = {}
    for block in doc.blocks:
        if isinstance(block, PageMarker) or is_code(block):  # program code is never glossed
            continue
        lang = _lang_root(doc.block_lang(block))
        if lang not in ("fr", "en"):
            continue
        for sentence in split_sentences(block.plain_text()):
            for i, match in enumerate(_WORD.finditer(sentence)):
                word = match.group(1)
                if len(word) < MIN_LETTERS or (i > 0 and word[0].isupper()) or word.isupper():
                    continue
                key = word.lower()
                if (key, lang) not in judged:
                    judged[(key, lang)] = is_hard(key, lang, threshold)
                if judged[(key, lang)]:
                    counts[key] += 1
                    ids = blocks.setdefault(key, [])
                    if block.id not in ids:
                        ids.append(block.id)
                    context.setdefault(key, sentence)
    return counts, blocks, context


def _document_text(doc: Document) -> str:
    return "\n".join(b.plain_text() for b in doc.blocks if not (isinstance(b, PageMarker) or is_code(b)))


def _verify(term: str, context: str, definition: str, lang: str, document: str) -> Verdict:
    return verify(context, definition, pass_name=PASS_NAME, lang=lang, context=document, glossary=[term])


def _lexicon_definition(acronym: Acronym, lang: str) -> str:
    """The lexicon's meaning as a definition; with the English words when they, not the French ones,
    spell the acronym ("HTML": "Langage de balisage hypertexte (en anglais : HyperText Markup Language).")."""
    meaning = acronym.long[:1].upper() + acronym.long[1:]
    english = acronym.meanings.get("en", "")
    if (
        lang == "fr"
        and english
        and initials_spell(english, acronym.short)
        and not initials_spell(acronym.long, acronym.short)
    ):
        return f"{meaning} (en anglais : {english})."
    return meaning + "."


def _lexicon_flag(acronym: Acronym) -> Flag:
    fields = {"term": acronym.short, "basis": acronym.basis}
    return Flag(
        code=LEXICON,
        reason=warning_text(LEXICON, "en", **fields),
        reason_fr=warning_text(LEXICON, "fr", **fields),
    )


def _acronym_entries(
    doc: Document, acronyms: dict[str, Acronym], offline: Provenance
) -> dict[str, GlossaryEntry]:
    """One entry per acronym the reader meets: the document's long form as its definition; the lexicon's
    meaning, flagged ``glossary.lexicon`` (the machine chose it: staff confirm it); none for an acronym
    nobody defines (``glossary.to_define``, for the staff only). Staff-reviewed ones are kept elsewhere."""
    lang = _lang_root(doc.lang)
    entries: dict[str, GlossaryEntry] = {}
    for short, acronym in acronyms.items():
        if acronym.origin == "staff":
            continue
        lexicon = acronym.origin == "lexicon"
        entries[short.lower()] = GlossaryEntry(
            term=short,
            definition=_lexicon_definition(acronym, lang) if lexicon else acronym.long,
            lang=doc.lang,
            blocks=list(acronym.blocks[:10]) if lexicon else [acronym.block_id],
            origin="lexicon" if lexicon else "document",
            provenance=offline,
            flags=[_lexicon_flag(acronym)] if lexicon else [],
        )
    for short, usage in undefined_acronyms(doc, acronyms).items():
        entries.setdefault(
            short.lower(),
            GlossaryEntry(
                term=short, lang=doc.lang, blocks=usage.blocks[:10], origin="acronym", provenance=offline
            ),
        )
    return entries


def _candidates(
    doc: Document, settings: GlossarySettings
) -> tuple[list[str], dict[str, list[str]], dict[str, str]]:
    """Course terms then hard words by occurrences; where each occurs and its first sentence."""
    lang = _lang_root(doc.lang)
    counts, where, context = _hard_words(doc, settings.zipf_threshold)
    for term in settings.course_terms:
        key = term.lower()
        where.setdefault(
            key, [b.id for b in doc.blocks if not is_code(b) and key in b.plain_text().lower()][:10]
        )
        if key not in context:
            context[key] = next(
                (
                    s
                    for b in doc.blocks
                    if not is_code(b)
                    for s in split_sentences(b.plain_text())
                    if key in s.lower()
                ),
                term,
            )
    ranked = list(settings.course_terms)
    ranked += [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], _zipf(kv[0], lang)))]
    return ranked, where, context


def _add_terms(
    doc: Document,
    settings: GlossarySettings,
    entries: dict[str, GlossaryEntry],
    offline: Provenance,
) -> dict[str, str]:
    """Add the ranked terms to ``entries`` (up to ``max_terms``), each with the document's definition
    when it has one; returns the sentence each term occurs in (lower-cased key)."""
    lang = _lang_root(doc.lang)
    ranked, where, context = _candidates(doc, settings)
    # Acronyms the reader meets are all listed (rule T8); ``max_terms`` bounds the words and course terms.
    limit = settings.max_terms + sum(1 for e in entries.values() if e.origin in ACRONYM_ORIGINS)
    for term in ranked:
        if len(entries) >= limit:
            break
        key = term.lower()
        if key in entries:
            continue
        if term not in settings.course_terms and (
            not is_term(term, context.get(key, term), lang) or known_variant(term, entries)
        ):
            continue  # "calculez", "arrondissez-la": verbs are not glossary terms; one entry per noun
        found = find_definition(doc, term)
        origin = "course" if term in settings.course_terms else ("document" if found else "frequency")
        entries[key] = GlossaryEntry(
            term=term,
            definition=found[0] if found else None,
            lang=doc.lang,
            blocks=where.get(key, [])[:10],
            origin=origin,
            provenance=offline,
        )
    return context


def _ask_model(
    doc: Document,
    ctx: AdaptContext,
    entries: dict[str, GlossaryEntry],
    context: dict[str, str],
    stats: dict[str, int],
    on_progress: ProgressFn | None,
) -> None:
    """Model definitions for the undefined entries (and translations for a bilingual glossary),
    each verified when accepted; a term the model could not define is flagged. Updates in place."""
    from inclusio.llm.prompts import load_prompt

    assert ctx.session is not None
    lang = _lang_root(doc.lang)
    target = ctx.profile.translation.target if ctx.profile.translation.bilingual_glossary else None
    document = _document_text(doc)
    ask = [e for e in entries.values() if (e.definition is None or target) and not e.provenance.reviewed_by]
    prompt = load_prompt("glossary")
    spec = BatchedPass(
        name=PASS_NAME,
        prompt=prompt,
        model=ctx.model(PASS_NAME),
        task={"lang": doc.lang, "translate_to": target},
        schema=GlossaryAnswer,
        answers=lambda parsed: {t.term.lower(): t.model_dump() for t in parsed.terms},
        check=lambda unit, value: _verify(
            unit.block_id, unit.text, str(value.get("definition") or ""), lang, document
        ),
        course=doc.title or "",
        lang=doc.lang,
        data_of=lambda batch: {
            "course": doc.title or "",
            "terms": [{"term": u.block_id, "context": u.text} for u in batch.units],
        },
    )
    # A term is a unit like a block: its "id" is the term, its text the sentence it occurs in.
    units = [Unit(e.term.lower(), context.get(e.term.lower(), e.term), "") for e in ask]
    done, failed = run_batched(ctx, spec, units, on_progress=on_progress)
    model_provenance = ctx.provenance(
        PASS_NAME, engine=ctx.session.engine, model=spec.model, prompt_version=prompt.version
    )
    for key, result in done.items():
        entry = entries[key]
        update: dict[str, object] = {}
        if entry.definition is None:
            update.update(
                definition=result.value["definition"],
                origin="model",
                provenance=model_provenance.model_copy(update={"created_at": result.created_at}),
            )
        if target and result.value.get("translation"):
            update["translations"] = {target: result.value["translation"]}
        entries[key] = entry.model_copy(update=update)
        stats["cached" if result.cached else "model"] += 1
    if failed:
        stats["fallback"] = len(failed)
        first = next(iter(failed.values()))
        ctx.warn(first, pass_name=PASS_NAME, blocks=sorted(failed))
        for key, error in failed.items():
            entries[key] = entries[key].model_copy(update={"flags": [fallback_flag(error)]})


def _verify_kept(doc: Document, entries: dict[str, GlossaryEntry], context: dict[str, str]) -> None:
    """Verify the document's and course definitions; findings become the entry's flags."""
    lang = _lang_root(doc.lang)
    document = _document_text(doc)
    for key, entry in entries.items():
        if entry.provenance.reviewed_by:
            continue  # a person's definition was verified when written; a removed term has none
        # Model definitions were verified when accepted; the lexicon's are not drawn from the document
        # (the verifier would call them invented) and carry their own flag for a person to check.
        if entry.definition and entry.origin not in ("model", "lexicon"):
            verdict = _verify(entry.term, context.get(key, entry.term), entry.definition, lang, document)
            entries[key] = entry.model_copy(update={"flags": [*entry.flags, *verdict.flags()]})


def term_context(doc: Document, term: str) -> str:
    """The first sentence of ``doc`` where ``term`` occurs (the term itself when none does)."""
    key = term.lower()
    for block in doc.blocks:
        if isinstance(block, PageMarker) or is_code(block) or key not in block.plain_text().lower():
            continue
        for sentence in split_sentences(block.plain_text()):
            if key in sentence.lower():
                return sentence
    return term


def check_definition(doc: Document, term: str, definition: str) -> list[Flag]:
    """The verifier's findings on a definition of ``term`` (one a reviewer wrote), against the sentence
    where the term occurs, with the whole document as context: what :func:`apply_glossary` checks."""
    verdict = _verify(term, term_context(doc, term), definition, _lang_root(doc.lang), _document_text(doc))
    return list(verdict.flags())


def _reviewed_entries(doc: Document) -> dict[str, GlossaryEntry]:
    """Entries a person defined, approved or removed: kept as they are."""
    return {e.term.lower(): e for e in doc.glossary if e.provenance.reviewed_by}


def apply_glossary(
    doc: Document, ctx: AdaptContext, acronyms: dict[str, Acronym], *, on_progress: ProgressFn | None = None
) -> tuple[Document, dict[str, int]]:
    """A copy of ``doc`` whose :attr:`~inclusio.model.document.Document.glossary` lists the terms."""
    settings = ctx.profile.glossary
    out = doc.model_copy(deep=True)
    offline = ctx.provenance(PASS_NAME, prompt_version="rules-1")
    reviewed = _reviewed_entries(out)
    entries = {**_acronym_entries(out, acronyms, offline), **reviewed}
    context = _add_terms(out, settings, entries, offline)
    stats = {
        "terms": len(entries),
        "from_document": sum(1 for e in entries.values() if e.definition and e.origin != "lexicon"),
        "from_lexicon": sum(1 for e in entries.values() if e.origin == "lexicon"),
        "model": 0,
        "cached": 0,
        "fallback": 0,
    }
    if ctx.session is not None and len(entries) > len(reviewed):
        _ask_model(out, ctx, entries, context, stats, on_progress)
    _verify_kept(out, entries, context)
    out.glossary = flag_undefined(sorted(entries.values(), key=lambda e: e.term.lower()))
    stats["to_define"] = sum(
        1 for e in out.glossary if not e.definition
    )  # staff only, never shown to students
    return out, stats
