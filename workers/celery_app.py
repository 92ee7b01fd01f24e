"""The Celery app, built from :class:`inclusio.config.Settings` (wiring only, no conversion logic).

* Embedded default: broker ``sqla+sqlite:///<data_dir>/broker.db`` (no server to run).
  Production: set ``INCLUSIO_BROKER_URL`` to ``redis://...`` or ``amqp://...``; nothing else changes.
* JSON only (never pickle); ``acks_late`` with prefetch 1, so a job is taken by one worker at a
  time and a message is acknowledged once its job has been recorded.
* No result backend: the job table (:mod:`inclusio.store.db`) is the source of truth for state,
  progress and outputs, and any process can read it; a second store of the same facts could only
  disagree with it.

``celery -A workers.celery_app worker`` finds :data:`app` (built lazily from the environment);
:func:`inclusio.service.start_worker` starts exactly that with the settings passed as
``INCLUSIO_*`` variables. The API builds its own instance with :func:`create_celery_app` to send
tasks by name and never imports :mod:`workers.tasks`.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from inclusio.config import Settings, get_settings

TASK_RUN_JOB = "inclusio.run_job"
"""The name the API sends and :mod:`workers.tasks` registers; stable across releases."""
DEFAULT_QUEUE = "inclusio"
"""The queue of conversion jobs. Later: one queue per resource (cpu, llm, audio)."""

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
        "task_routes": {TASK_RUN_JOB: {"queue": DEFAULT_QUEUE}},
        # Fresh worker children now and then: converters of large PDFs can leave memory behind.
        "worker_max_tasks_per_child": 50,
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": True,
        # The API answers fast with queue.unavailable instead of hanging when the broker is down.
        "task_publish_retry_policy": {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5,
                                      "interval_max": 1.0},
        "include": ["workers.tasks"],
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
    return app


_app: InclusioCelery | None = None


def __getattr__(name: str) -> Any:
    # ``celery -A workers.celery_app`` looks up ``app``; built on first use so that importing this
    # module (the API does, for the factory) reads no environment and creates nothing.
    global _app
    if name in ("app", "celery"):
        if _app is None:
            _app = create_celery_app(get_settings())
            _app.set_current()
        return _app
    raise AttributeError(name)
