"""The rewrite pass: easy-to-read (A2) or plain language (B1), by the model or by the offline rules.

The adaptation's ``kind`` is the profile's level (``easy_read`` or ``plain``); it replaces the
paragraph in the reader's view. Body paragraphs and quotes are rewritten; at the ``easy_read``
level lists get the offline list rules (number words as digits, no bare conjunction:
:func:`inclusio.adapt.easy_read.adapt_list`, and the lexicon's or a person's meaning of an acronym
when its first use in the document is in a list item); headings, tables, captions, notes and code are
left as they are (titles and course terms are kept).

* **Offline** (default): :func:`inclusio.adapt.easy_read.adapt_paragraph` (sentence cuts,
  one sentence per line, enumerations as lists) at the profile's limits, after writing out the
  acronyms when the profile asks for it: the long form the document gives itself, else the meaning
  a person gave in the glossary or the one of inclusio's lexicon, in brackets after the acronym at its
  first use in the document (:func:`inclusio.adapt.acronym_lexicon.write_out`; a note on the adaptation
  says which; the glossary explains the later uses). For ``plain`` this is
  only the sentence work: words are not simplified offline, and a note says so.
* **Mistral**: the prompt ``easy_read`` (STANDARDS §3 rules, facts and course terms kept),
  blocks sent by section with their section and course titles; each answer is checked by the
  verifier (:func:`inclusio.analysis.verify.verify`), asked again once with its findings if
  refused, else the offline result is used and flagged (``adapt.model_fallback``, a note and a
  coded warning).

Offline results are verified too: what the verifier finds becomes flags on the adaptation.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from inclusio.adapt.acronym_lexicon import contents_line, reference_entry, write_out
from inclusio.adapt.acronyms import Acronym, expand
from inclusio.adapt.batching import Unit, rewritable, section_titles
from inclusio.adapt.context import AdaptContext
from inclusio.adapt.easy_read import adapt_list, adapt_paragraph
from inclusio.adapt.remote import BatchedPass, Done, ProgressFn, fallback_flag, run_batched
from inclusio.analysis.faithfulness import adaptation_text
from inclusio.analysis.verify import Verdict, verify
from inclusio.errors import InclusioError
from inclusio.model.document import Adaptation, Block, Document, ListBlock, ListItem, Paragraph

ENGINE_NOTE = {"easy_read": "easy-to-read draft", "plain": "plain-language draft"}


class Part(BaseModel):
    text: str = ""
    items: list[str] = Field(default_factory=list)


class RewrittenBlock(BaseModel):
    id: str
    parts: list[Part] = Field(min_length=1)


class RewriteAnswer(BaseModel):
    blocks: list[RewrittenBlock]


def _parts_text(parts: list[dict[str, object]]) -> str:
    lines: list[str] = []
    for part in parts:
        lines.append(str(part.get("text") or ""))
        lines += [str(item) for item in part.get("items") or []]  # type: ignore[union-attr]
    return "\n".join(line for line in lines if line)


def _blocks_from_parts(block: Paragraph, parts: list[dict[str, object]], one_per_line: bool) -> list[Block]:
    out: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            out.append(
                Paragraph(
                    id=f"{block.id}.e{len(out) + 1}",
                    text=" ".join(pending),
                    role=block.role,
                    lang=block.lang,
                    source=block.source,
                )
            )
            pending.clear()

    for part in parts:
        text = str(part.get("text") or "").strip()
        items = [str(i).strip() for i in part.get("items") or [] if str(i).strip()]  # type: ignore[union-attr]
        if text:
            pending.append(text)
        if one_per_line or items:
            flush()
        if items:
            out.append(
                ListBlock(
                    id=f"{block.id}.e{len(out) + 1}",
                    lang=block.lang,
                    source=block.source,
                    items=[ListItem(text=i) for i in items],
                )
            )
    flush()
    return out


def block_meanings(text: str, acronyms: dict[str, Acronym]) -> list[str]:
    """The long forms and meanings of the acronyms ``text`` uses (a plural "CDs" too): what a rewrite of
    it may add, so the verifier's context for that block. Only its own: the whole document's meanings
    (5.7 KB on the Debian manual) would support almost any invented sentence."""
    out: dict[str, None] = {}
    for short, acronym in acronyms.items():
        if re.search(rf"(?<!\w){re.escape(short)}s?(?!\w)", text):
            out.update(dict.fromkeys(m for m in (acronym.long, *acronym.meanings.values()) if m))
    return list(out)


def prompt_meanings(text: str, acronyms: dict[str, Acronym], lang: str) -> dict[str, str]:
    """The meaning, in ``lang``, of each acronym ``text`` uses (as :func:`block_meanings` finds them): what
    the model's rewrite prompt is given for that block, so that it may write them out."""
    out: dict[str, str] = {}
    root = lang.split("-")[0].lower()
    for short, acronym in acronyms.items():
        meaning = acronym.meanings.get(root) or acronym.long
        if meaning and re.search(rf"(?<!\w){re.escape(short)}s?(?!\w)", text):
            out[short] = meaning
    return out


def _written_note(acronym: Acronym) -> str:
    if acronym.origin == "staff":
        return f"wrote out {acronym.short} from the glossary's reviewed definition"
    return (
        f"wrote out {acronym.short} from inclusio's acronym lexicon ({acronym.basis}): "
        "meaning chosen by the machine, to check (glossary)"
    )


def _write_out_parts(
    blocks: list[Block], acronyms: dict[str, Acronym], lang: str
) -> tuple[list[Block], list[str]]:
    """``blocks`` (a rewrite's paragraphs, one sentence per line) with each lexicon or staff acronym's
    meaning in brackets at its first use among them (:func:`write_out`); and which were written out."""
    done: list[str] = []
    out: list[Block] = []
    for part in blocks:
        if isinstance(part, Paragraph):
            rest = {k: a for k, a in acronyms.items() if k not in done}
            lines = []
            for line in part.text.split("\n"):
                line, written = write_out(line, rest, lang)
                done += written
                rest = {k: a for k, a in rest.items() if k not in written}
                lines.append(line)
            part = part.model_copy(update={"text": "\n".join(lines)})
        out.append(part)
    return out, done


def offline_adaptation(
    block: Paragraph,
    lang: str,
    ctx: AdaptContext,
    kind: str,
    acronyms: dict[str, Acronym],
    explained: set[str] | None = None,
) -> Adaptation | None:
    """The rule-based adaptation of one paragraph (None when the rules change nothing).

    Acronyms the document defines are written out before the rules cut sentences (the long form goes
    before the acronym, as the document writes it), in each paragraph that uses them unexplained; the
    lexicon's or a person's meaning after them, in the sentences the rules made, where the sentence stays
    within rule T1's limit, once in the document: ``explained`` holds those an earlier paragraph wrote out
    (updated here); the glossary explains the later uses."""
    settings = ctx.profile.adaptation
    text, expanded = block.text, []
    expand_here = settings.expand_acronyms and not contents_line(text)  # a contents line repeats a title
    if expand_here:
        text, expanded = expand(text, acronyms)
    probe = block.model_copy(update={"text": text})
    adaptation = adapt_paragraph(probe, lang, settings, ctx.created_at)
    parts = (
        adaptation.blocks
        if adaptation is not None
        else [
            Paragraph(id=f"{block.id}.e1", text=text, role=block.role, lang=block.lang, source=block.source)
        ]
    )
    written: list[str] = []
    if expand_here and not reference_entry(block.text):
        pending = {k: a for k, a in acronyms.items() if explained is None or k not in explained}
        parts, written = _write_out_parts(parts, pending, lang.split("-")[0].lower())
        if explained is not None:
            explained.update(written)
    if adaptation is None and not (expanded or written):
        return None
    notes = [f"wrote out {short} from the document's own definition" for short in expanded]
    notes += [_written_note(acronyms[short]) for short in written]
    if adaptation is None:
        adaptation = Adaptation(
            kind=kind, provenance=ctx.provenance(kind, prompt_version="rules-1"), lang=lang, blocks=parts
        )
    if kind == "plain":
        notes.append(
            "offline rules only: sentences and lists, words not simplified (needs the Mistral engine)"
        )
    return adaptation.model_copy(
        update={
            "kind": kind,
            "blocks": parts,
            "provenance": adaptation.provenance.model_copy(update={"pass_name": kind}),
            "notes": [*adaptation.notes, *notes],
        }
    )


def _remote_adaptation(
    block: Paragraph, lang: str, ctx: AdaptContext, kind: str, spec: BatchedPass, done: Done
) -> Adaptation:
    parts = done.value["parts"]
    blocks = _blocks_from_parts(block, parts, ctx.profile.adaptation.one_sentence_per_line)
    provenance = ctx.provenance(
        kind,
        engine=ctx.session.engine if ctx.session else "mistral",
        model=spec.model,
        prompt_version=spec.prompt.version,
    )
    provenance = provenance.model_copy(update={"created_at": done.created_at})
    notes = [f"{ENGINE_NOTE[kind]} written by a language model; not reviewed by a person"]
    if done.cached:
        notes.append("answer reused from the cache (same text, prompt, model and settings)")
    return Adaptation(kind=kind, provenance=provenance, lang=lang, blocks=blocks, notes=notes)


def _verify(source: str, answer: str, kind: str, lang: str, context: list[str], terms: list[str]) -> Verdict:
    return verify(source, answer, pass_name=kind, lang=lang, context=[c for c in context if c], terms=terms)


def _write_out_items(
    items: list[ListItem], acronyms: dict[str, Acronym], lang: str, explained: set[str]
) -> tuple[list[ListItem], list[str]]:
    """``items`` (nested too, in reading order) with each lexicon or staff meaning not yet ``explained``
    written out at its first use (:func:`write_out`; not in a bibliography entry); and which were."""
    written: list[str] = []
    out: list[ListItem] = []
    for item in items:
        text = item.text
        pending = {k: a for k, a in acronyms.items() if k not in explained}
        if pending and not reference_entry(text):
            text, done = write_out(text, pending, lang)
            explained.update(done)
            written += done
        children = item.children
        if children is not None:
            nested, done = _write_out_items(children.items, acronyms, lang, explained)
            written += done
            children = children.model_copy(update={"items": nested})
        out.append(item.model_copy(update={"text": text, "children": children}))
    return out, written


def _adapt_list(
    out: Document,
    block: ListBlock,
    ctx: AdaptContext,
    terms: list[str],
    acronyms: dict[str, Acronym],
    explained: set[str],
) -> None:
    """A list gets the offline easy-to-read rules too (digits, no bare conjunction), whatever the engine,
    and the lexicon's or a person's meaning of an acronym at its first use in the document (``explained``:
    those written out before it in reading order; updated here)."""
    if any(a.kind == "easy_read" and a.provenance.reviewed_by for a in block.adaptations):
        return
    lang = out.block_lang(block)
    adaptation = adapt_list(block, lang, ctx.created_at)
    if ctx.profile.adaptation.expand_acronyms and acronyms:
        shown = adaptation.blocks[0] if adaptation is not None else block
        assert isinstance(shown, ListBlock)
        items, written = _write_out_items(shown.items, acronyms, lang.split("-")[0].lower(), explained)
        if written:
            listed = shown.model_copy(update={"id": f"{block.id}.e1", "items": items, "adaptations": []})
            notes = [
                *(adaptation.notes if adaptation else []),
                *(_written_note(acronyms[k]) for k in written),
            ]
            adaptation = Adaptation(
                kind="easy_read",
                provenance=ctx.provenance("easy_read", prompt_version="rules-1"),
                lang=lang,
                blocks=[listed],
                notes=notes,
            )
    if adaptation is not None:
        source = block.plain_text()
        context = block_meanings(source, acronyms)
        verdict = _verify(source, adaptation_text(adaptation), "easy_read", lang, context, terms)
        adaptation = adaptation.model_copy(update={"flags": verdict.flags()})
    kept = [a for a in block.adaptations if not (a.kind == "easy_read" and not a.provenance.reviewed_by)]
    block.adaptations = kept + ([adaptation] if adaptation else [])


def _fallback(
    block: Paragraph,
    adaptation: Adaptation | None,
    lang: str,
    ctx: AdaptContext,
    kind: str,
    error: InclusioError,
) -> Adaptation:
    """The offline ``adaptation`` of a block the model could not rewrite, flagged for review (made from the
    block as it is when the rules change nothing, so the flag stays visible)."""
    flag = f"model answer not used ({error.code}): offline rules used instead; needs review"
    if adaptation is None:
        adaptation = Adaptation(
            kind=kind,
            provenance=ctx.provenance(kind, prompt_version="rules-1"),
            lang=lang,
            blocks=[block.model_copy(update={"adaptations": [], "id": f"{block.id}.e1"})],
        )
    return adaptation.model_copy(update={"notes": [*adaptation.notes, flag], "flags": [fallback_flag(error)]})


def apply_rewrite(
    doc: Document, ctx: AdaptContext, acronyms: dict[str, Acronym], *, on_progress: ProgressFn | None = None
) -> tuple[Document, dict[str, int]]:
    """A copy of ``doc`` with a ``kind`` (= the profile's level) adaptation on each rewritten paragraph.

    Paragraphs whose adaptation of this kind was reviewed by a person are left alone; an earlier
    machine adaptation of this kind is replaced. Returns the document and counts
    (``model``, ``cached``, ``offline``, ``fallback``).
    """
    from inclusio.llm.prompts import load_prompt

    kind = ctx.profile.adaptation.level
    out = doc.model_copy(deep=True)
    titles = section_titles(out)
    targets = [
        b
        for b in out.blocks
        if rewritable(b) and not any(a.kind == kind and a.provenance.reviewed_by for a in b.adaptations)
    ]
    counts = {"model": 0, "cached": 0, "offline": 0, "fallback": 0}
    results: dict[str, Done] = {}
    failed: dict[str, InclusioError] = {}
    spec: BatchedPass | None = None
    terms = list(ctx.profile.glossary.course_terms)
    langs = {b.id: out.block_lang(b) for b in targets}
    # The long forms and meanings of the acronyms each block uses: its rewrite may write them out.
    known = {b.id: block_meanings(b.text, acronyms) for b in targets}  # type: ignore[union-attr]
    if ctx.session is not None and targets:
        settings = ctx.profile.adaptation
        spec = BatchedPass(
            name=kind,
            prompt=load_prompt("easy_read"),
            model=ctx.model(kind),
            task={"level": kind, "max_words": settings.max_sentence_words, "terms": terms},
            schema=RewriteAnswer,
            answers=lambda parsed: {
                b.id: {"parts": [p.model_dump() for p in b.parts]} for b in parsed.blocks
            },
            check=lambda unit, value: _verify(
                unit.text,
                _parts_text(value["parts"]),
                kind,
                langs[unit.block_id],
                [unit.section, out.title or "", *known[unit.block_id]],
                terms,
            ),
            course=out.title or "",
            lang=out.lang,
        )
        units = [
            Unit(b.id, b.text, titles.get(b.id, ""), prompt_meanings(b.text, acronyms, langs[b.id]))  # type: ignore[union-attr]
            for b in targets
        ]
        results, failed = run_batched(ctx, spec, units, on_progress=on_progress)
    # Lexicon and staff meanings already written out: each at its first use in the document (reading order).
    explained: set[str] = set()
    target_ids = {b.id for b in targets}
    for block in out.blocks:
        if kind == "easy_read" and isinstance(block, ListBlock):
            _adapt_list(out, block, ctx, terms, acronyms, explained)
            continue
        if block.id not in target_ids:
            continue
        assert isinstance(block, Paragraph)
        lang = out.block_lang(block)
        if block.id in results and spec is not None:
            adaptation: Adaptation | None = _remote_adaptation(
                block, lang, ctx, kind, spec, results[block.id]
            )
            counts["cached" if results[block.id].cached else "model"] += 1
        else:
            adaptation = offline_adaptation(block, lang, ctx, kind, acronyms, explained)
            if block.id in failed:
                counts["fallback"] += 1
                adaptation = _fallback(block, adaptation, lang, ctx, kind, failed[block.id])
            else:
                counts["offline"] += 1 if adaptation else 0
            if adaptation is not None and adaptation.provenance.engine == "offline":
                verdict = _verify(
                    block.text,
                    adaptation_text(adaptation),
                    kind,
                    lang,
                    [titles.get(block.id, ""), out.title or "", *known[block.id]],
                    terms,
                )
                adaptation = adaptation.model_copy(update={"flags": [*adaptation.flags, *verdict.flags()]})
        kept = [a for a in block.adaptations if not (a.kind == kind and not a.provenance.reviewed_by)]
        block.adaptations = kept + ([adaptation] if adaptation else [])
    by_code: dict[str, list[str]] = {}
    for block_id, error in failed.items():
        by_code.setdefault(error.code, []).append(block_id)
    for block_ids in by_code.values():
        ctx.warn(failed[block_ids[0]], pass_name=kind, blocks=block_ids)
    return out, counts
