"""Section summaries: key points at the top of each section (ADHD and cognitive profiles).

The ``summary`` adaptation sits on the section's heading; its blocks are the heading itself,
a "Key points:" line and a list of points, so the reader's view shows the points right under
the title without any writer change. Sections shorter than ``summaries.min_section_words``
get none.

* **Offline**: extractive (:mod:`inclusio.adapt.key_points`): the section's sentences that carry
  its terms and facts, never the first sentence of a paragraph (at most ``max_points``), labelled
  as such and marked for review; none when no sentence qualifies (counted in ``no_key_points``).
* **Mistral**: the prompt ``summary``; the points are verified against the section's source text
  (:func:`inclusio.analysis.verify.verify`, pass ``summary``: nothing added, nothing changed;
  facts may be left out); refused, they are asked again once with the findings, then the
  extractive points are used and flagged. Extractive points are verified too (flags).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from inclusio.adapt.batching import Batch, Unit
from inclusio.adapt.context import AdaptContext
from inclusio.adapt.key_points import key_points, section_index
from inclusio.adapt.remote import BatchedPass, Done, ProgressFn, fallback_flag, run_batched
from inclusio.analysis.verify import Verdict, verify
from inclusio.errors import InclusioError
from inclusio.model.document import (
    Adaptation,
    Block,
    Document,
    Flag,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Provenance,
    Section,
)

PASS_NAME = "summary"
LEAD = {"fr": "Points clés :", "en": "Key points:"}


class SectionPoints(BaseModel):
    id: str
    points: list[str] = Field(min_length=1)


class SummaryAnswer(BaseModel):
    sections: list[SectionPoints]


_REWRITES = ("easy_read", "plain")


def _reader_text(block: Block) -> str:
    """The block's text as the reader gets it: its easy-to-read/plain rewrite when there is one.

    Summaries are made from that text, so the key points of an easy-to-read draft are themselves
    short sentences rather than the source's long ones.
    """
    for kind in _REWRITES:
        adaptation = block.adaptation(kind)
        if adaptation is not None and adaptation.blocks:
            return "\n".join(part.plain_text() for part in adaptation.blocks if part.plain_text().strip())
    return block.plain_text()


def _sections(doc: Document, min_words: int) -> list[tuple[Heading, str]]:
    out: list[tuple[Heading, str]] = []
    for top in doc.sections():
        for section in top.walk():
            if section.heading is None:
                continue
            text = "\n".join(
                _reader_text(b)
                for b in section.blocks
                if isinstance(b, Paragraph | ListBlock) and b.plain_text().strip()
            )
            if len(text.split()) >= max(1, min_words):
                out.append((section.heading, text))
    return out


def _source_texts(doc: Document) -> dict[str, str]:
    """Heading id -> the section's own text (the source, not a rewrite): what key points are checked against."""
    out: dict[str, str] = {}
    for top in doc.sections():
        for section in top.walk():
            if section.heading is not None:
                out[section.heading.id] = "\n".join(
                    b.plain_text() for b in section.blocks if isinstance(b, Paragraph | ListBlock)
                )
    return out


def _verify(sources: dict[str, str], lang: str, unit: Unit, points: list[str]) -> Verdict:
    """Key points against the section's source text; the reader's text (a checked rewrite) is context."""
    return verify(
        sources.get(unit.block_id, unit.text),
        "\n".join(points),
        pass_name=PASS_NAME,
        lang=lang,
        context=[unit.section, unit.text],
    )


def _run_model(
    out: Document,
    ctx: AdaptContext,
    targets: list[tuple[Heading, str]],
    sources: dict[str, str],
    on_progress: ProgressFn | None,
) -> tuple[dict[str, Done], dict[str, InclusioError], BatchedPass | None]:
    """Ask the model for every section's key points (when a session is open): done, failed, spec."""
    if ctx.session is None or not targets:
        return {}, {}, None
    from inclusio.llm.prompts import load_prompt

    settings = ctx.profile.summaries
    prompt = load_prompt("summary")

    def data_of(batch: Batch) -> dict[str, object]:
        return {
            "course": out.title or "",
            "sections": [{"id": u.block_id, "title": u.section, "text": u.text} for u in batch.units],
        }

    spec = BatchedPass(
        name=PASS_NAME,
        prompt=prompt,
        model=ctx.model(PASS_NAME),
        task={"max_points": settings.max_points},
        schema=SummaryAnswer,
        answers=lambda parsed: {s.id: {"points": s.points[: settings.max_points]} for s in parsed.sections},
        check=lambda unit, value: _verify(sources, out.lang, unit, value["points"]),
        course=out.title or "",
        lang=out.lang,
        data_of=data_of,
    )
    done, failed = run_batched(
        ctx, spec, [Unit(h.id, text, h.text) for h, text in targets], on_progress=on_progress
    )
    return done, failed, spec


def _model_points(
    ctx: AdaptContext, spec: BatchedPass, result: Done
) -> tuple[list[str], Provenance, list[str], str]:
    """The model's points for one section: points, provenance, notes and the counter to increment."""
    provenance = ctx.provenance(
        PASS_NAME,
        engine=ctx.session.engine if ctx.session else "mistral",
        model=spec.model,
        prompt_version=spec.prompt.version,
    )
    provenance = provenance.model_copy(update={"created_at": result.created_at})
    notes = ["key points written by a language model; not reviewed by a person"]
    return result.value["points"], provenance, notes, "cached" if result.cached else "model"


def _offline_points(
    out: Document,
    ctx: AdaptContext,
    heading: Heading,
    failed: dict[str, InclusioError],
    sections: dict[str, Section] | None = None,
) -> tuple[list[str], Provenance, list[str], str]:
    """The extractive points for one section: points, provenance, notes and the counter to increment."""
    settings = ctx.profile.summaries
    points = key_points(
        out,
        heading.id,
        settings.max_points,
        terms=ctx.profile.glossary.course_terms,
        max_words=ctx.profile.adaptation.max_sentence_words,
        sections=sections,
    )
    provenance = ctx.provenance(PASS_NAME, prompt_version="rules-2")
    notes = [
        "extractive: the section's sentences that carry its terms and facts, never its first "
        "lines (adapt/key_points.py); needs review"
    ]
    if heading.id in failed:
        notes.append(f"model answer not used ({failed[heading.id].code}); needs review")
        return points, provenance, notes, "fallback"
    return points, provenance, notes, "offline"


def _attach_points(
    out: Document,
    block: Block,
    heading: Heading,
    points: list[str],
    provenance: Provenance,
    notes: list[str],
    flags: list[Flag],
) -> None:
    """Put the key points on the heading as a ``summary`` adaptation (heading, lead line, list)."""
    lang = out.block_lang(block).split("-")[0]
    shown = block.model_copy(update={"adaptations": []})
    adaptation = Adaptation(
        kind=PASS_NAME,
        provenance=provenance,
        lang=out.block_lang(block),
        text="\n".join(points),
        notes=notes,
        flags=flags,
        blocks=[
            shown,
            Paragraph(id=f"{heading.id}.k1", text=LEAD.get(lang, LEAD["en"]), lang=block.lang),
            ListBlock(id=f"{heading.id}.k2", lang=block.lang, items=[ListItem(text=p) for p in points]),
        ],
    )
    block.adaptations = [a for a in block.adaptations if a.kind != PASS_NAME] + [adaptation]


def apply_summaries(
    doc: Document, ctx: AdaptContext, *, on_progress: ProgressFn | None = None
) -> tuple[Document, dict[str, int]]:
    settings = ctx.profile.summaries
    out = doc.model_copy(deep=True)
    targets = _sections(out, settings.min_section_words)
    counts = {
        "sections": len(targets),
        "model": 0,
        "cached": 0,
        "offline": 0,
        "fallback": 0,
        "no_key_points": 0,
    }
    sources = _source_texts(out)
    done, failed, spec = _run_model(out, ctx, targets, sources, on_progress)
    # Made once: the loop below puts adaptations on headings but adds or removes no block, so the sections
    # and the blocks by id stay as they are (a search per section was quadratic on a long document).
    sections = section_index(out)
    by_id: dict[str, Block] = {}
    for each in out.blocks:
        by_id.setdefault(each.id, each)
    for heading, text in targets:
        block = by_id[heading.id]
        if any(a.kind == PASS_NAME and a.provenance.reviewed_by for a in block.adaptations):
            continue
        if heading.id in done and spec is not None:
            points, provenance, notes, counter = _model_points(ctx, spec, done[heading.id])
        else:
            points, provenance, notes, counter = _offline_points(out, ctx, heading, failed, sections)
        counts[counter] += 1
        if not points:
            counts["no_key_points"] += 1  # no sentence qualified: no key points rather than filler
            continue
        flags = [fallback_flag(failed[heading.id])] if heading.id in failed else []
        if provenance.engine == "offline":
            flags += _verify(
                sources, out.block_lang(block), Unit(heading.id, text, heading.text), points
            ).flags()
        _attach_points(out, block, heading, points, provenance, notes, flags)
    if failed:
        ctx.warn(next(iter(failed.values())), pass_name=PASS_NAME, blocks=sorted(failed))
    return out, counts
