"""The worker's Celery app: ``celery -A workers.celery_app worker`` finds :data:`app` here.

The app is built by :func:`inclusio.jobs.queue.create_celery_app` (the one factory: the API and
``inclusio batch`` send with the same one); :func:`inclusio.processes.start_worker` starts exactly this
with the settings passed as ``INCLUSIO_*`` variables. The names below are re-exported for the scripts
and tests that read them here.
"""

from __future__ import annotations

from typing import Any

from celery.signals import celeryd_init

from inclusio.config import get_settings
from inclusio.jobs.presence import hold_worker_options
from inclusio.jobs.queue import (
    ALL_QUEUES,
    DEFAULT_QUEUE,
    QUEUES,
    SQLA_POLLING_SECONDS,
    TASK_BY_KIND,
    TASK_RELEASE,
    TASK_RUN_JOB,
    TASK_WATCHDOG,
    WORKER_MAX_MEMORY_KIB,
    InclusioCelery,
    celery_config,
    create_celery_app,
    job_kind,
)

__all__ = [
    "ALL_QUEUES",
    "DEFAULT_QUEUE",
    "QUEUES",
    "SQLA_POLLING_SECONDS",
    "TASK_BY_KIND",
    "TASK_RELEASE",
    "TASK_RUN_JOB",
    "TASK_WATCHDOG",
    "WORKER_MAX_MEMORY_KIB",
    "InclusioCelery",
    "celery_config",
    "create_celery_app",
    "job_kind",
]

_app: InclusioCelery | None = None


@celeryd_init.connect
def _say_listening_early(sender: Any = None, instance: Any = None, options: Any = None, **_: Any) -> None:
    """A ``celery -A workers.celery_app worker`` holds its queue locks from its first second (jobs.presence):
    ``inclusio batch`` sees a worker that is still loading the pipeline as listening."""
    if instance is not None:
        hold_worker_options(instance.app, dict(options or {}))


def __getattr__(name: str) -> Any:
    # ``celery -A workers.celery_app`` looks up ``app``; built on first use so that importing this
    # module reads no environment and creates nothing.
    global _app
    if name in ("app", "celery"):
        if _app is None:
            _app = create_celery_app(get_settings())
            _app.set_current()
        return _app
    raise AttributeError(name)
