"""Alt text for images the author left without one (an author's alt or decorative mark is kept).

The ``alt_text`` adaptation's single block is the figure with ``alt``, ``long_description`` and
``decorative`` filled in, so writers read it from the figure as usual.

* **Offline**: the caption (without its "Figure 3 :" label), else the text of the image read by
  Tesseract when it holds text (an image of text gets its text as long description), else
  nothing; always marked "needs review".
* **Mistral**: the vision model gets the image, its caption, the surrounding text and the course
  title (prompt ``alt_text``) and decides: decorative or not, kind, a short alt, a long
  description for charts and diagrams when the profile wants extended detail (a chart's data as
  a table where readable); an image that is mostly text goes to the OCR endpoint and gets its
  text. One call per image, cached by the image's hash and its context.

Verification (:func:`inclusio.analysis.verify.verify`, passes ``alt_text`` and
``long_description``): the source is the caption, the surrounding text, the course title and the
image's OCR text. A link, an e-mail address, a phone number or an instruction to the reader
refuses the answer (asked again once with the findings, then the offline result, flagged);
numbers, names and words the text does not hold may come from the picture itself, so they are
flags on the accepted text, not refusals; a chart's data table read from the image is always
flagged (``verify.unverifiable_data``).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel, Field

from inclusio.adapt.context import AdaptContext
from inclusio.adapt.remote import ProgressFn, fallback_flag
from inclusio.analysis.verify import Verdict, finding, verify
from inclusio.errors import InclusioError
from inclusio.llm.base import ChatRequest, ImageInput
from inclusio.llm.cache import cache_key
from inclusio.model.document import Adaptation, Document, Figure, Flag, PageMarker, is_code

PASS_NAME = "alt_text"
MAX_ALT_CHARS = 250
MAX_OFFLINE_OCR = 20
CONTEXT_CHARS = 400
_LABEL = re.compile(
    r"^\s*(?:fig(?:ure)?\.?|image|illustration|sch[ée]ma|graphique|tableau)\s*[\dIVX]+[a-z]?\s*[:.–—-]\s*",
    re.IGNORECASE,
)


class AltAnswer(BaseModel):
    decorative: bool
    kind: Literal["photo", "chart", "diagram", "map", "table", "text", "formula", "other"] = "other"
    alt: str = Field(default="", max_length=MAX_ALT_CHARS)
    long_description: str | None = None
    data_table: list[list[str]] | None = None


def _skipped(block: object) -> bool:
    """Neither page furniture nor program code is context for a figure (code is never sent to a model)."""
    return isinstance(block, PageMarker) or is_code(block)


def _caption_text(figure: Figure) -> str:
    return _LABEL.sub("", figure.caption or "").strip()


def _context(doc: Document, index: int) -> str:
    before = [b.plain_text() for b in doc.blocks[max(0, index - 2) : index] if not _skipped(b)]
    after = [b.plain_text() for b in doc.blocks[index + 1 : index + 3] if not _skipped(b)]
    text = " ".join(t for t in [*before, *after] if t)
    return text[:CONTEXT_CHARS]


def _source(doc: Document, index: int, figure: Figure, ocr_text: str = "") -> list[str]:
    """What an alt text may draw from: caption, surrounding text, course title, the image's OCR text."""
    return [t for t in (figure.caption or "", _context(doc, index), doc.title or "", ocr_text) if t]


def _verdicts(alt: str, long: str | None, source: list[str], lang: str) -> list[Verdict]:
    out = [verify(source[0] if source else "", alt, pass_name="alt_text", lang=lang, context=source[1:])]
    if long:
        out.append(
            verify(
                source[0] if source else "", long, pass_name="long_description", lang=lang, context=source[1:]
            )
        )
    return out


def _flags(verdicts: list[Verdict]) -> list[Flag]:
    return [flag for verdict in verdicts for flag in verdict.flags()]


def ocr_image_text(data: bytes, lang: str) -> str:
    """Text of an image read by Tesseract through PyMuPDF (offline); "" when none or on failure."""
    from inclusio.pymupdf_setup import load

    pymupdf = load()

    try:
        pix = pymupdf.Pixmap(data)
        if pix.width < 60 or pix.height < 20:
            return ""
        if pix.alpha:
            pix = pymupdf.Pixmap(pix, 0)
        pdf = pymupdf.open(
            "pdf", pix.pdfocr_tobytes(language={"fr": "fra", "en": "eng"}.get(lang, "fra+eng"))
        )
        text = pdf[0].get_text()
    except Exception:  # noqa: BLE001 - OCR is a best effort: no text is a valid outcome
        return ""
    words = re.findall(r"[^\W\d_]{3,}", text)
    return " ".join(text.split()) if len(words) >= 3 else ""


def _table_text(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(cell for cell in row) for row in rows)


def _targets(doc: Document) -> list[tuple[int, Figure]]:
    return [
        (i, b)
        for i, b in enumerate(doc.blocks)
        if isinstance(b, Figure)
        and not b.alt
        and not b.decorative
        and b.image in doc.resources
        and not any(a.kind == PASS_NAME and a.provenance.reviewed_by for a in b.adaptations)
    ]


def _offline(doc: Document, figure: Figure, ctx: AdaptContext, ocr_budget: list[int]) -> Adaptation | None:
    caption = _caption_text(figure)
    lang = doc.block_lang(figure).split("-")[0]
    update: dict[str, Any] = {}
    notes: list[str] = []
    if caption:
        update["alt"] = caption[:MAX_ALT_CHARS]
        notes.append("alt text taken from the caption; needs review")
    if ocr_budget[0] > 0:
        ocr_budget[0] -= 1
        text = ocr_image_text(doc.resources[figure.image].data, lang) if figure.image else ""
        if text:
            update.setdefault("alt", ("Texte : " if lang == "fr" else "Text: ") + text[:120])
            update["long_description"] = text
            notes.append("text of the image read by OCR (Tesseract); needs review")
    if not update:
        return None
    shown = figure.model_copy(update={**update, "adaptations": []})
    index = doc.blocks.index(figure)
    flags = _flags(
        _verdicts(
            update.get("alt", ""),
            update.get("long_description"),
            _source(doc, index, figure, update.get("long_description") or ""),
            lang,
        )
    )
    return Adaptation(
        kind=PASS_NAME,
        provenance=ctx.provenance(PASS_NAME, prompt_version="rules-1"),
        lang=doc.block_lang(figure),
        blocks=[shown],
        notes=notes,
        flags=flags,
    )


def _remote(doc: Document, index: int, figure: Figure, ctx: AdaptContext) -> tuple[dict[str, Any], str, bool]:
    """(answer, created_at, from cache) for one figure; raises InclusioError when the model fails."""
    from inclusio.llm.prompts import data_message, load_prompt

    assert ctx.session is not None and figure.image is not None
    prompt = load_prompt("alt_text")
    model = ctx.model(PASS_NAME)
    resource = doc.resources[figure.image]
    detail = ctx.profile.images.alt_text
    data = {"course": doc.title or "", "caption": figure.caption or "", "context": _context(doc, index)}
    task = {"lang": doc.block_lang(figure), "detail": detail}
    key = cache_key(
        pass_name=PASS_NAME,
        prompt_version=prompt.version,
        model=model,
        content={"image": resource.sha256, **data},
        settings=task,
    )
    source = _source(doc, index, figure)
    lang = doc.block_lang(figure)

    def check(answer: AltAnswer) -> str | None:
        if not answer.decorative and not answer.alt.strip():
            return "no alt text for an image that is not decorative"
        verdicts = [] if answer.decorative else _verdicts(answer.alt, answer.long_description, source, lang)
        return next((reason for v in verdicts if (reason := v.reason())), None)

    hit = ctx.cache_get(key)
    if (
        hit is not None
        and check(
            AltAnswer.model_validate({k: v for k, v in hit["value"].items() if k in AltAnswer.model_fields})
        )
        is None
    ):
        ctx.session.stats.add(PASS_NAME, cache_hits=1)
        return hit["value"], hit["created_at"], True
    request = ChatRequest(
        model=model,
        system=prompt.text,
        user=data_message(task, data),
        images=(ImageInput(resource.data, resource.media_type),),
    )

    parsed, _ = ctx.session.ask_json(request, AltAnswer, pass_name=PASS_NAME, check=check)
    value = parsed.model_dump()
    if parsed.kind == "text" and not parsed.decorative:
        ocr = ctx.session.ocr(
            ImageInput(resource.data, resource.media_type), model=ctx.model("ocr"), pass_name=PASS_NAME
        )
        value["ocr_text"] = ocr.text
        value["ocr_model"] = ocr.model
    ctx.cache_put(
        key,
        {"value": value, "created_at": ctx.created_at},
        pass_name=PASS_NAME,
        model=model,
        prompt_version=prompt.version,
    )
    return value, ctx.created_at, False


def _remote_adaptation(
    figure: Figure,
    value: dict[str, Any],
    created_at: str,
    cached: bool,
    ctx: AdaptContext,
    lang: str,
    source: list[str],
) -> Adaptation:
    from inclusio.llm.prompts import load_prompt

    update: dict[str, Any] = {"adaptations": []}
    notes = ["written by a vision model; not reviewed by a person"]
    if value["decorative"]:
        update.update(decorative=True, alt="")
        notes.append('judged decorative by the model (alt=""): check that it adds nothing')
    else:
        update["alt"] = value["alt"].strip()
        long = value.get("long_description")
        if value.get("ocr_text"):
            long = value["ocr_text"]
            notes.append(f"image of text: its text read by OCR ({value.get('ocr_model')})")
        elif value.get("data_table") and ctx.profile.images.alt_text == "extended":
            long = "\n".join(p for p in (long, _table_text(value["data_table"])) if p)
            notes.append("chart data as a table, read by the model: check the values")
        if long and (ctx.profile.images.alt_text == "extended" or value.get("ocr_text")):
            update["long_description"] = long
        ocr = value.get("ocr_text") or ""
        prose = None if ocr else value.get("long_description") if "long_description" in update else None
        flags = _flags(_verdicts(update["alt"], prose, [*source, ocr], lang))
        if value.get("data_table") and not ocr and "long_description" in update:
            flags.append(
                finding(
                    "verify.unverifiable_data",
                    blocking=False,
                    text=_table_text(value["data_table"]).replace("\n", " / "),
                ).flag()
            )
    if cached:
        notes.append("answer reused from the cache")
    provenance = ctx.provenance(
        PASS_NAME,
        engine=ctx.session.engine if ctx.session else "mistral",
        model=ctx.model(PASS_NAME),
        prompt_version=load_prompt("alt_text").version,
    )
    return Adaptation(
        kind=PASS_NAME,
        provenance=provenance.model_copy(update={"created_at": created_at}),
        lang=lang,
        blocks=[figure.model_copy(update=update)],
        notes=notes,
        flags=flags if not value["decorative"] else [],
    )


def apply_alt_text(
    doc: Document, ctx: AdaptContext, *, on_progress: ProgressFn | None = None
) -> tuple[Document, dict[str, int]]:
    """A copy of ``doc`` with an ``alt_text`` adaptation on each image that had no alt text."""
    out = doc.model_copy(deep=True)
    targets = _targets(out)
    counts = {"images": len(targets), "model": 0, "cached": 0, "offline": 0, "fallback": 0, "none": 0}
    results: dict[str, tuple[dict[str, Any], str, bool] | InclusioError] = {}
    if ctx.session is not None and targets:

        def one(item: tuple[int, Figure]) -> tuple[str, tuple[dict[str, Any], str, bool] | InclusioError]:
            try:
                return item[1].id, _remote(out, item[0], item[1], ctx)
            except InclusioError as exc:
                return item[1].id, exc

        with ThreadPoolExecutor(
            max_workers=ctx.session.limits.concurrency, thread_name_prefix="llm-alt"
        ) as pool:
            for n, (block_id, result) in enumerate(pool.map(one, targets), start=1):
                results[block_id] = result
                if on_progress:
                    on_progress(n / len(targets), f"alt text: {n}/{len(targets)} images")
    ocr_budget = [MAX_OFFLINE_OCR]
    failed: dict[str, InclusioError] = {}
    for index, figure in targets:
        lang = out.block_lang(figure)
        result = results.get(figure.id)
        if isinstance(result, tuple):
            adaptation: Adaptation | None = _remote_adaptation(
                figure, *result, ctx=ctx, lang=lang, source=_source(out, index, figure)
            )
            counts["cached" if result[2] else "model"] += 1
        else:
            adaptation = _offline(out, figure, ctx, ocr_budget)
            if isinstance(result, InclusioError):
                failed[figure.id] = result
                counts["fallback"] += 1
                if adaptation is not None:
                    adaptation = adaptation.model_copy(
                        update={
                            "notes": [
                                *adaptation.notes,
                                f"model answer not used ({result.code}); needs review",
                            ],
                            "flags": [fallback_flag(result), *adaptation.flags],
                        }
                    )
                else:  # nothing offline either: keep the flag visible (no blocks: the figure is shown as it is)
                    adaptation = Adaptation(
                        kind=PASS_NAME,
                        lang=lang,
                        flags=[fallback_flag(result)],
                        provenance=ctx.provenance(PASS_NAME, prompt_version="rules-1"),
                        notes=[f"model answer not used ({result.code}); no alt text; needs review"],
                    )
            else:
                counts["offline" if adaptation else "none"] += 1
        if adaptation is not None:
            figure.adaptations = [a for a in figure.adaptations if a.kind != PASS_NAME] + [adaptation]
    if failed:
        ctx.warn(next(iter(failed.values())), pass_name=PASS_NAME, blocks=sorted(failed))
    return out, counts
