"""Health, the profile catalogue, the readability preview and Prometheus metrics."""

from __future__ import annotations

from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from inclusio import __version__
from inclusio.analysis.readability import DocumentReadability
from inclusio.api.deps import Caller, Services, Svc, optional_principal
from inclusio.api.routes.jobs import resolve_profile
from inclusio.api.schemas import AUTH_ERRORS, Health, ProfileInfo, errors
from inclusio.converters.registry import formats_label
from inclusio.errors import Forbidden
from inclusio.jobs.uploads import display_name, sniff
from inclusio.pipeline.job import conversion_key
from inclusio.profiles import Profile, list_profiles

router = APIRouter()

PREVIEW_CACHE_SIZE = 256
"""Readability results kept in memory per API process, by content hash (a few KB each)."""


@router.get("/health", response_model=Health, tags=["service"], responses=errors(500))
def health(svc: Svc) -> Health:
    svc.store.ping()
    return Health(status="ok", version=__version__)


def _info(p: Profile) -> ProfileInfo:
    return ProfileInfo(
        id=p.id, name=p.name.model_dump(), description=p.description.model_dump(), outputs=list(p.outputs)
    )


@router.get(
    "/profiles",
    response_model=list[ProfileInfo],
    tags=["profiles"],
    summary="The profile catalogue (names in French and English; not personal data)",
)
def profiles(svc: Svc) -> list[ProfileInfo]:
    return [_info(p) for p in list_profiles(svc.settings.profiles_dir)]


@router.get("/profiles/{profile_id}", response_model=ProfileInfo, tags=["profiles"], responses=errors(404))
def profile(svc: Svc, profile_id: str) -> ProfileInfo:
    return _info(resolve_profile(svc, profile_id))


def readability_of(svc: Services, path: Any, sha256: str, filename: str) -> DocumentReadability:
    """Scores of the file at ``path``: from memory, else from the cached Document, else converted now.

    The converted Document is cached on disk only for originals the service keeps anyway (a job
    uses them), so a preview leaves no copy of a document nobody submitted.
    """
    from inclusio.model import Document
    from inclusio.pipeline.spine import analyse_source

    key = conversion_key(svc.settings)
    cache: OrderedDict[str, DocumentReadability] = svc.preview_cache.setdefault("readability", OrderedDict())
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
        if svc.store.jobs_using_original(sha256) > 0:
            svc.files.write_atomic(doc_path, doc.to_json(indent=None).encode("utf-8"))
    scores, _ = analyse_source(doc, quality_checks=False)  # the job's analyse stage, readability only
    cache[sha256 + key] = scores
    while len(cache) > PREVIEW_CACHE_SIZE:
        cache.popitem(last=False)
    return scores


@router.post(
    "/preview/readability",
    response_model=DocumentReadability,
    tags=["preview"],
    responses=errors(400, 413, 415, 422, *AUTH_ERRORS),
    summary="Readability of a document per section, at once (the file is not kept)",
)
def preview_readability(
    svc: Svc, _who: Caller, file: Annotated[UploadFile, File(description=formats_label("en"))]
) -> DocumentReadability:
    with svc.files.spooled(file.file, max_bytes=svc.settings.max_upload_bytes) as (path, sha, _size):
        return readability_of(svc, path, sha, display_name(file.filename))


class _JobCollector:
    """Prometheus metrics read from the job table at scrape time (right with any number of workers)."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def describe(self) -> list[Any]:
        return []  # collected lazily: registering must not query the database

    def collect(self) -> Any:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        store = self.svc.store
        jobs = GaugeMetricFamily("inclusio_jobs", "Jobs by status", labels=["status"])
        counts = store.count_by_status()
        for status in ("queued", "running", "succeeded", "partial", "failed"):
            jobs.add_metric([status], counts.get(status, 0))
        yield jobs
        stages = CounterMetricFamily(
            "inclusio_job_events", "Job events recorded (stages started, requeues...)", labels=["event"]
        )
        for name, n in sorted(store.count_stage_events().items()):
            stages.add_metric([name], n)
        yield stages
        failures = CounterMetricFamily("inclusio_job_failures", "Failed jobs by error code", labels=["code"])
        for code, n in sorted(store.failure_codes().items()):
            failures.add_metric([code], n)
        yield failures
        tokens = CounterMetricFamily(
            "inclusio_llm_tokens",
            "LLM tokens (prompt + completion, as the model "
            "server counted them) used by finished jobs; cached answers cost none",
        )
        tokens.add_metric([], store.llm_tokens())
        yield tokens


def metrics_registry(svc: Services) -> Any:
    from prometheus_client import CollectorRegistry, Counter

    registry = CollectorRegistry()
    registry.register(_JobCollector(svc))
    svc.preview_cache["http_requests"] = Counter(
        "inclusio_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=registry
    )
    return registry


@router.get(
    "/metrics",
    tags=["service"],
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {}}, "description": "Prometheus text format"},
        **errors(*AUTH_ERRORS),
    },
)
def metrics(svc: Svc, request: Request) -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    if not svc.settings.metrics_public:
        who = optional_principal(request, _bearer_of(request))
        if who is None or not who.is_staff:
            raise Forbidden(details={"needs": "staff"}) if who else _auth_required()
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)


def _bearer_of(request: Request) -> Any:
    from fastapi.security import HTTPAuthorizationCredentials

    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return (
        HTTPAuthorizationCredentials(scheme=scheme, credentials=token)
        if scheme.lower() == "bearer" and token
        else None
    )


def _auth_required() -> Exception:
    from inclusio.errors import AuthRequired

    return AuthRequired()
