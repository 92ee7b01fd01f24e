"""What operators watch: ``GET /health`` (the database answers) and ``GET /metrics`` (Prometheus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from inclusio import __version__
from inclusio.api.deps import Services, Svc, optional_principal
from inclusio.api.schemas import AUTH_ERRORS, Health, errors
from inclusio.errors import Forbidden

router = APIRouter()


@router.get("/health", response_model=Health, tags=["service"], responses=errors(500))
def health(svc: Svc) -> Health:
    svc.store.ping()
    return Health(status="ok", version=__version__)


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
