"""``POST /preview/readability``: a document's readability at once, as the teacher's feedback gives it (one
verdict, sections pooled into passages of 100 words or more, scores in 0-100, short sections marked
``too_short``: :func:`inclusio.analysis.passages.readability_summary`); the file is not kept."""

from __future__ import annotations

from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from inclusio.analysis.passages import ReadabilitySummary, readability_summary
from inclusio.api.deps import Caller, Services, Svc
from inclusio.api.schemas import AUTH_ERRORS, errors
from inclusio.converters.registry import formats_label
from inclusio.jobs.uploads import display_name, sniff
from inclusio.pipeline.job import conversion_key

router = APIRouter()

PREVIEW_CACHE_SIZE = 256
"""Readability results kept in memory per API process, by content hash (a few KB each)."""


def readability_of(svc: Services, path: Any, sha256: str, filename: str) -> ReadabilitySummary:
    """Scores of the file at ``path``: from memory, else from the cached Document, else converted now.

    The converted Document is cached on disk only for originals the service keeps anyway (a job
    uses them), so a preview leaves no copy of a document nobody submitted.
    """
    from inclusio.model import Document

    key = conversion_key(svc.settings)
    cache: OrderedDict[str, ReadabilitySummary] = svc.preview_cache.setdefault("readability", OrderedDict())
    if (hit := cache.get(sha256 + key)) is not None:
        cache.move_to_end(sha256 + key)
        return hit
    doc_path = svc.files.document_cache_path(sha256, key)
    if doc_path.is_file():
        doc = Document.from_json(doc_path.read_bytes())
    else:
        from inclusio.pipeline.job import convert_shared

        sniff(path, filename)
        doc = convert_shared(path, filename, svc.settings)  # no uploader's name in the shared cache
        if svc.store.db.original_uses(sha256) > 0:
            svc.files.write_atomic(doc_path, doc.to_json(indent=None).encode("utf-8"))
    scores = readability_summary(doc)  # what the teacher's feedback shows
    cache[sha256 + key] = scores
    while len(cache) > PREVIEW_CACHE_SIZE:
        cache.popitem(last=False)
    return scores


@router.post(
    "/preview/readability",
    response_model=ReadabilitySummary,
    tags=["preview"],
    responses=errors(400, 413, 415, 422, *AUTH_ERRORS),
    summary="Readability of a document: one verdict and passages of 100+ words, at once (the file is not kept)",
)
def preview_readability(
    svc: Svc, _who: Caller, file: Annotated[UploadFile, File(description=formats_label("en"))]
) -> ReadabilitySummary:
    with svc.files.spooled(file.file, max_bytes=svc.settings.max_upload_bytes) as (path, sha, _size):
        return readability_of(svc, path, sha, display_name(file.filename))
