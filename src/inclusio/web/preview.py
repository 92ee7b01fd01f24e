"""The teacher's readability preview: scores per section (chart + table), hard sentences with the
rule they break, the source's accessibility audit, and the offline easy-to-read draft side by side.

Everything comes from one conversion of the upload, in the request (a few seconds for a course
handout): the offline engine only, whatever ``INCLUSIO_ENGINE`` says, so the preview never waits
for, or pays for, a model; the conversion job started at the same time uses the configured engine.
"""

from __future__ import annotations

from typing import Any

from inclusio.model.document import Document, Heading, ListBlock, Paragraph

MAX_HARD_BLOCKS = 30
"""Blocks with hard sentences shown on the page; the others are counted (the report has them all)."""
MAX_PAIRS = 60
CHART_ROW = 30


def _short(title: str, limit: int = 24) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def chart_data(scores: Any, untitled: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Bars (SVG geometry) and table rows of the reading ease per section."""
    rows, bars = [], []
    sections = [s for s in scores.sections if s.scores.words] or []
    x0, width = 220, 360
    for i, section in enumerate(sections):
        ease = section.scores.reading_ease
        title = section.title or untitled
        rows.append(
            {
                "title": title,
                "ease": "—" if ease is None else f"{ease:.0f}",
                "wps": f"{section.scores.words_per_sentence:.1f}",
                "long": section.scores.long_sentences,
                "words": section.scores.words,
            }
        )
        value = max(0.0, min(100.0, ease if ease is not None else 0.0))
        bars.append(
            {
                "y": 8 + i * CHART_ROW,
                "w": round(width * value / 100, 1),
                "short": _short(title),
                "text": "—" if ease is None else f"{ease:.0f}",
                "hard": ease is not None and ease < 50,
            }
        )
    doc = scores.document
    rows.append(
        {
            "title": None,
            "ease": "—" if doc.reading_ease is None else f"{doc.reading_ease:.0f}",
            "wps": f"{doc.words_per_sentence:.1f}",
            "long": doc.long_sentences,
            "words": doc.words,
        }
    )
    chart = {"x0": x0, "width": width, "height": 8 + len(bars) * CHART_ROW + 24, "bars": bars}
    return chart, rows


def _pieces(text: str, sentences: list[Any]) -> list[dict[str, Any]]:
    """The block's text cut at its flagged sentences, with the flagged words of each marked."""
    out: list[dict[str, Any]] = []
    cursor = 0
    for sentence in sentences:
        at = text.find(sentence.text, cursor)
        if at < 0:
            continue
        if at > cursor:
            out.append({"text": text[cursor:at], "rules": ""})
        spans = sorted(
            {
                (h.start, h.end)
                for h in sentence.hits
                if h.start is not None and h.end is not None and h.end > h.start
            }
        )
        parts, pos = [], 0
        for start, end in spans:
            if start < pos:
                continue  # overlapping spans: the first one is shown
            if start > pos:
                parts.append({"text": sentence.text[pos:start], "word": False})
            parts.append({"text": sentence.text[start:end], "word": True})
            pos = end
        if pos < len(sentence.text):
            parts.append({"text": sentence.text[pos:], "word": False})
        rules = ", ".join(dict.fromkeys(h.rule for h in sentence.hits))
        out.append({"text": sentence.text, "rules": rules, "parts": parts})
        cursor = at + len(sentence.text)
    if cursor < len(text):
        out.append({"text": text[cursor:], "rules": ""})
    return out


def hard_blocks(doc: Document, report: Any, t: Any) -> tuple[list[dict[str, Any]], int]:
    blocks = []
    headings: dict[str, str] = {}
    current = ""
    for block in doc.blocks:
        if isinstance(block, Heading):
            current = block.text
        headings[block.id] = current
    for entry in report.blocks[:MAX_HARD_BLOCKS]:
        block = doc.find(entry.block_id)
        text = block.plain_text()
        title = headings.get(entry.block_id) or t("untitled_section")
        blocks.append(
            {
                "title": f"{title} — {t('type_' + block.type) if block.type in ('paragraph', 'list', 'heading', 'table', 'note') else block.type}",
                "pieces": _pieces(text, list(entry.sentences)),
                "sentences": entry.sentences,
            }
        )
    return blocks, max(0, len(report.blocks) - MAX_HARD_BLOCKS)


def draft_pairs(doc: Document, kind: str) -> list[dict[str, Any]]:
    pairs = []
    for block in doc.blocks:
        adaptation = block.adaptation(kind)
        if adaptation is None or not adaptation.blocks or not isinstance(block, Paragraph):
            continue
        lines: list[str] = []
        for part in adaptation.blocks:
            if isinstance(part, ListBlock):
                lines += [f"• {item.text}" for item in part.items]
            else:
                lines.append(part.plain_text())
        pairs.append({"source": block.text, "draft": lines, "lang": doc.block_lang(block)})
        if len(pairs) >= MAX_PAIRS:
            break
    return pairs


def teacher_preview(svc: Any, stored: Any, filename: str, lang: str) -> dict[str, Any]:
    """Everything the preview page shows, for the stored original ``stored``."""
    from inclusio.analysis.audit import audit_document
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.pipeline.spine import adapt_source, analyse_source
    from inclusio.profiles import load_profile
    from inclusio.web.i18n import translator

    t = translator(lang)
    settings = svc.settings
    path = svc.files.original_path(stored.relpath)
    doc = convert(path, ConvertContext.from_settings(settings, filename))
    scores, rules = analyse_source(doc, quality_checks=True)  # the job's analyse stage
    chart, rows = chart_data(scores, t("untitled_section"))
    for row in rows:
        row["title"] = row["title"] or t("whole_document")
    hard, more = hard_blocks(doc, rules, t)
    audit = audit_document(doc)
    easy = load_profile("easy-read", settings.profiles_dir)
    easy = easy.model_copy(
        update={
            "glossary": easy.glossary.model_copy(update={"enabled": False}),
            "summaries": easy.summaries.model_copy(update={"enabled": False}),
            "images": easy.images.model_copy(update={"generate": False}),
        }
    )
    offline = settings.model_copy(update={"engine": "offline"})
    drafted = adapt_source(doc, easy, offline).document  # the job's adapt stage, offline
    return {
        "chart": chart,
        "score_rows": rows,
        "hard": hard,
        "hard_more": more,
        "audit": audit,
        "pairs": draft_pairs(drafted, easy.adaptation.level),
    }
