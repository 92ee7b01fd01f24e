"""Task names, the queue rule and the one Celery app factory (wiring only, no conversion logic).

* Embedded default: broker ``sqla+sqlite:///<data_dir>/broker.db`` (no server to run).
  Production: set ``INCLUSIO_BROKER_URL`` to ``redis://...`` or ``amqp://...``; nothing else changes.
* JSON only (never pickle); ``acks_late`` with prefetch 1, so a job is taken by one worker at a
  time and a message is acknowledged once its job has been recorded.
* No result backend: the job table (:mod:`inclusio.store.jobs`) is the source of truth for state,
  progress and outputs, and any process can read it; a second store of the same facts could only
  disagree with it.

Every process builds its Celery app here (:func:`create_celery_app`): the worker
(``workers/celery_app.py`` exposes it to ``celery -A``), the API and ``inclusio batch`` (which send
tasks by name through :func:`sender_for` and never import :mod:`workers`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import Celery

from inclusio.config import Settings

TASK_RUN_JOB = "inclusio.run_job"
"""The skeleton's task name (CPU queue); kept so messages already queued by an older API still run."""
TASK_WATCHDOG = "inclusio.watchdog"
TASK_PREVIEW = "inclusio.preview"
"""The teacher's preview of one original (``preview(key, token)``: :func:`inclusio.jobs.preview.run_preview`),
on the CPU queue with the conversion jobs."""

QUEUES: dict[str, str] = {"cpu": "inclusio.cpu", "llm": "inclusio.llm", "audio": "inclusio.audio"}
"""One queue per resource a job mostly needs, so each scales on its own (``inclusio worker --queues``)."""
TASK_BY_KIND: dict[str, str] = {kind: f"inclusio.job.{kind}" for kind in QUEUES}
"""The task the API sends for a job of each kind; routed to its queue by name (``task_routes``)."""
DEFAULT_QUEUE = QUEUES["cpu"]
ALL_QUEUES: list[str] = list(QUEUES.values())


def job_kind(outputs: list[str], *, engine: str, adaptation_level: str) -> str:
    """Which queue a job goes to: ``audio`` if it makes MP3 (speech dominates its time), ``llm`` if the
    Mistral engine adapts its text, else ``cpu`` (extraction, OCR, writers).

    ``run_job`` runs every stage of a job in one task, so this is a queue per *kind of job*, not per
    stage: an audio job also converts its document on the audio worker.
    """
    if "mp3" in outputs:
        return "audio"
    if engine == "mistral" and adaptation_level != "none":
        return "llm"
    return "cpu"


WORKER_MAX_MEMORY_KIB = 1024 * 1024
"""A job process whose peak resident memory passed this (KiB) is replaced after its job. Measured: a warm
job process peaks at 0.4-0.65 GiB on short documents (the pipeline, spaCy's French model, PyMuPDF,
speech); the 265-page manual with EPUB, HTML and JSON takes it to 1.02 GiB and leaves 0.92 GiB resident."""

SQLA_POLLING_SECONDS = 0.1
"""How often a worker polls the SQL broker (kombu's default is 1 s, too slow for interactive use)."""


class InclusioCelery(Celery):
    """A Celery app that carries the :class:`Settings` it was built from (tasks read them here)."""

    settings: Settings


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery settings for ``settings`` (exposed for tests and for the documentation)."""
    broker = settings.resolved_broker_url()
    config: dict[str, Any] = {
        "broker_url": broker,
        "result_backend": None,
        "task_ignore_result": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": DEFAULT_QUEUE,
        "task_routes": {
            TASK_RUN_JOB: {"queue": DEFAULT_QUEUE},
            **{TASK_BY_KIND[kind]: {"queue": queue} for kind, queue in QUEUES.items()},
            TASK_PREVIEW: {"queue": QUEUES["cpu"]},
        },
        # A broker restart must not stop a job half way: it goes on, its outcome goes to the
        # database (the ack may be lost; the job's lease makes a redelivery a no-op).
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "broker_connection_max_retries": None,
        "worker_send_task_events": True,  # Flower (and `celery events`) see tasks start and finish
        "task_send_sent_event": True,
        # A fresh job process when one has grown (converters of large PDFs can leave memory behind),
        # not every 50 jobs: a new one imports the pipeline and loads spaCy's French model again
        # (~5 s, bench/queue.py): +40 % on 50 jobs of 0.25 s, +3 % on 50 jobs of 3 s.
        "worker_max_memory_per_child": WORKER_MAX_MEMORY_KIB,
        "worker_max_tasks_per_child": 1000,
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": True,
        # The API answers fast with queue.unavailable instead of hanging when the broker is down.
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0.2,
            "interval_step": 0.5,
            "interval_max": 1.0,
        },
        "include": [
            "workers.tasks",
            "workers.release_tasks",
            "workers.notify_tasks",
            "workers.preview_tasks",
        ],
    }
    if broker.startswith("sqla+sqlite"):
        # The API and the worker write the same SQLite file: wait for the other's lock.
        config["broker_transport_options"] = {"connect_args": {"timeout": 30}}
    elif broker.startswith(("redis://", "rediss://")):
        # Redis hands an unacknowledged job to another worker after this many seconds: it must
        # exceed the longest job (OCR + LLM + speech), or a long job runs twice.
        config["broker_transport_options"] = {"visibility_timeout": 6 * 3600}

    return config


def create_celery_app(settings: Settings) -> InclusioCelery:
    """A Celery app for ``settings``. Creating it connects to nothing."""
    if settings.resolved_broker_url().startswith("sqla+"):
        # kombu passes transport options to create_engine(), so the polling interval cannot go
        # there (TypeError); it is a class attribute of the transport.
        from kombu.transport.sqlalchemy import Transport

        Transport.polling_interval = SQLA_POLLING_SECONDS
        if settings.resolved_broker_url().startswith("sqla+sqlite"):
            settings.ensure_dirs()
    app = InclusioCelery("inclusio", set_as_current=False)
    app.settings = settings
    app.config_from_object(celery_config(settings))
    from kombu import Queue

    # Declared explicitly so a worker consuming one queue still knows the others (for routing).
    app.conf.task_queues = [Queue(name, routing_key=name) for name in ALL_QUEUES]
    return app


TASK_RELEASE = "inclusio.release_job"
"""The task releasing a reviewed job (``release(job_id, token)``), sent to the queue of the job's kind."""

Sender = Callable[[str, str], None]
"""``send(kind, job_id)``: put a job on the queue of its kind."""

_apps: dict[str, InclusioCelery] = {}
"""Apps used to send, per broker URL (built on first use; building one connects to nothing)."""


def sending_app(settings: Settings) -> InclusioCelery:
    """The app this process sends with for ``settings``' broker (one per broker URL)."""
    url = settings.resolved_broker_url()
    if url not in _apps:
        _apps[url] = create_celery_app(settings)
    return _apps[url]


def sender_for(settings: Settings) -> Sender:
    """``send(kind, job_id)``: the task of the job's kind, by name; the app is built on first use."""

    def send(kind: str, job_id: str) -> None:
        sending_app(settings).send_task(TASK_BY_KIND[kind], args=[job_id])

    return send


def send_release(settings: Settings, job_id: str, kind: str | None, token: str) -> None:
    """Send ``inclusio.release_job(job_id, token)`` to the queue of the job's kind (MP3 jobs: audio)."""
    sending_app(settings).send_task(
        TASK_RELEASE, args=[job_id, token], queue=QUEUES.get(kind or "cpu", QUEUES["cpu"])
    )


TASK_NOTIFY_EMAIL = "inclusio.notify_email"
"""The task sending a notification's e-mail (``notify_email(notification_id)``: :func:`inclusio.notify.deliver`)."""


def send_notice(settings: Settings, notification_id: int, kind: str | None) -> None:
    """Send ``inclusio.notify_email(notification_id)`` to the queue of the job's kind (a worker that just ran
    such a job listens there)."""
    sending_app(settings).send_task(
        TASK_NOTIFY_EMAIL, args=[notification_id], queue=QUEUES.get(kind or "cpu", QUEUES["cpu"])
    )


def send_preview(settings: Settings, key: str, token: str) -> None:
    """Send ``inclusio.preview(key, token)`` to the CPU queue (the message carries the row's key and token)."""
    sending_app(settings).send_task(TASK_PREVIEW, args=[key, token], queue=QUEUES["cpu"])
