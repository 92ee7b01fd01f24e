"""Translation for the French-as-a-foreign-language profile (needs the Mistral engine).

Headings and body paragraphs get a ``translation`` adaptation (``lang`` = the profile's
``translation.target``) whose block is the same block translated. In ``parallel`` mode the
reader's view keeps the French text (writers may show the translation beside it); in
``replace`` mode the translation is shown instead. Each answer is verified
(:func:`inclusio.analysis.verify.verify`, pass ``translation``: numbers, dates, symbols and
full names kept, nothing added, no instruction, glossary terms translated as the glossary
says, not far longer than the source); refused, it is asked again once with the findings,
then the block is left untranslated: its ``translation`` adaptation has no blocks (the view
shows the source) and carries the ``adapt.model_fallback`` flag. The glossary's translations go
to the model inside DATA (``glossary``). There is no offline translation: with the offline
engine the pass reports ``adapt.translation_unavailable``.

**What is translated is the text shown beside the translation.** The pass runs after the rewrite;
a block the reader gets as a rewrite (easy-to-read or plain language, the profile's level) is
translated from that rewrite (:func:`shown_text`, one line per rewritten block), not from the
original paragraph: the pair a student reads side by side says the same thing, and the verifier
compares the translation with that same shown text. A block without a rewrite is translated
from itself. A translation a person reviewed (edited or approved) is kept as it is.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from inclusio.adapt.batching import Batch, Unit, rewritable, section_titles
from inclusio.adapt.context import AdaptContext
from inclusio.adapt.remote import BatchedPass, ProgressFn, fallback_flag, run_batched
from inclusio.analysis.verify import verify
from inclusio.model.document import Adaptation, Block, Document, Heading, Provenance
from inclusio.warning_codes import warning_text

PASS_NAME = "translation"
REWRITE_KINDS = ("easy_read", "plain")
"""Adaptations whose blocks replace a block's text for the reader (what the translation is made from)."""


class TranslatedBlock(BaseModel):
    id: str
    text: str


class TranslationAnswer(BaseModel):
    blocks: list[TranslatedBlock]


def shown_text(block: Block, kinds: tuple[str, ...]) -> str:
    """The text the reader sees for ``block``: its latest rewrite of one of ``kinds`` (then of
    :data:`REWRITE_KINDS`) with blocks, one line per rewritten block; else the block's own text."""
    for kind in dict.fromkeys((*kinds, *REWRITE_KINDS)):
        adaptation = block.adaptation(kind)
        if adaptation is not None and adaptation.blocks:
            lines = [b.plain_text().strip() for b in adaptation.blocks]
            return "\n".join(line for line in lines if line) or block.plain_text()
    return block.plain_text()


def _reviewed(block: Block) -> bool:
    current = block.adaptation(PASS_NAME)
    return current is not None and bool(current.provenance.reviewed_by)


def _attach(
    block: Block,
    target: str,
    made: Provenance,
    done: dict[str, Any],
    failed: dict[str, Any],
    counts: dict[str, int],
) -> None:
    """Put the block's translation (or, refused, an empty flagged one: the view shows the source) on it."""
    if block.id in failed:  # left untranslated: no blocks (the view shows the source), flagged
        block.adaptations = [a for a in block.adaptations if a.kind != PASS_NAME] + [
            Adaptation(
                kind=PASS_NAME,
                provenance=made,
                lang=target,
                flags=[fallback_flag(failed[block.id])],
                notes=["not translated: the model's answer was not used; needs review"],
            )
        ]
    if block.id not in done:
        return
    result = done[block.id]
    counts["cached" if result.cached else "model"] += 1
    provenance = made.model_copy(update={"created_at": result.created_at})
    shown = block.model_copy(
        update={"text": result.value["text"], "lang": target, "adaptations": [], "id": f"{block.id}.t1"}
    )
    if isinstance(block, Heading):
        shown = shown.model_copy(update={"id": block.id})  # keep the anchor of a translated title
    block.adaptations = [a for a in block.adaptations if a.kind != PASS_NAME] + [
        Adaptation(
            kind=PASS_NAME,
            provenance=provenance,
            lang=target,
            text=result.value["text"],
            blocks=[shown],
            notes=["translated by a language model from the text shown beside it; not reviewed by a person"],
        )
    ]


def apply_translation(
    doc: Document, ctx: AdaptContext, *, on_progress: ProgressFn | None = None
) -> tuple[Document, dict[str, int]]:
    from inclusio.llm.prompts import load_prompt

    target = ctx.profile.translation.target
    out = doc.model_copy(deep=True)
    if not target:
        return out, {}
    if ctx.session is None:
        ctx.warnings.append(
            {
                "stage": "adapt",
                "pass": PASS_NAME,
                "code": "adapt.translation_unavailable",
                "message": warning_text("adapt.translation_unavailable", "en", target=target),
                "message_fr": warning_text("adapt.translation_unavailable", "fr", target=target),
            }
        )
        return out, {"blocks": 0}
    titles = section_titles(out)
    targets = [
        b
        for b in out.blocks
        if (isinstance(b, Heading) or rewritable(b))
        and out.block_lang(b).split("-")[0] != target.split("-")[0]
        and not _reviewed(b)  # a person's translation (or approval) is kept
    ]
    rewrites = tuple(k for k in ctx.profile.adaptation_kinds if k in REWRITE_KINDS)
    prompt = load_prompt("translation")
    langs = {b.id: out.block_lang(b) for b in targets}
    terms = {e.term: e.translations[target] for e in out.glossary if e.translations.get(target)}

    def data_of(batch: Batch) -> dict[str, object]:
        texts = "\n".join(u.text.lower() for u in batch.units)
        return {
            "course": out.title or "",
            "sections": batch.sections(),
            "glossary": {term: tr for term, tr in terms.items() if term.lower() in texts},
        }

    spec = BatchedPass(
        name=PASS_NAME,
        prompt=prompt,
        model=ctx.model(PASS_NAME),
        task={"target": target},
        schema=TranslationAnswer,
        answers=lambda p: {b.id: {"text": b.text} for b in p.blocks},
        check=lambda unit, value: verify(
            unit.text,
            value["text"],
            pass_name=PASS_NAME,
            lang=langs[unit.block_id],
            answer_lang=target,
            glossary=out.glossary,
        ),
        course=out.title or "",
        lang=out.lang,
        data_of=data_of,
    )
    # The text shown beside the translation (the rewrite when there is one): that is what is translated.
    units = [Unit(b.id, shown_text(b, rewrites), titles.get(b.id, "")) for b in targets]
    done, failed = run_batched(ctx, spec, units, on_progress=on_progress)
    counts = {"blocks": len(targets), "model": 0, "cached": 0, "failed": len(failed)}
    made = ctx.provenance(
        PASS_NAME, engine=ctx.session.engine, model=spec.model, prompt_version=prompt.version
    )
    for block in targets:
        _attach(block, target, made, done, failed, counts)
    if failed:
        ctx.warn(next(iter(failed.values())), pass_name=PASS_NAME, blocks=sorted(failed))
    return out, counts
