"""The teacher's preview task: one line around :func:`inclusio.jobs.preview.run_preview`.

The web page sends ``inclusio.preview(key, token)`` once per original (:func:`inclusio.jobs.preview.request_preview`);
the task builds it unless the row was taken or the message is an older one. A file the converters refuse is
recorded with its own code, anything else ``preview.failed``; a process that dies (a C library's crash) is
recorded from the parent as ``job.worker_lost``. Nothing is retried by Celery: the page queues it again when
its worker stopped beating (``job_stuck_seconds``).
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.signals import task_failure

from inclusio.jobs.preview import fail_dead_preview, run_preview
from inclusio.jobs.queue import TASK_PREVIEW
from workers.tasks import _settings_of


@shared_task(name=TASK_PREVIEW, bind=True, acks_late=True, ignore_result=True)
def preview(self: Task, key: str, token: str) -> str:
    """Build the preview of one original (the message carries its row's key and token)."""
    return run_preview(key, token, _settings_of(self))


@task_failure.connect
def _on_preview_failure(
    sender: Task | None = None, exception: BaseException | None = None, args: Any = None, **_: Any
) -> None:
    """Record a preview whose task failed outside :func:`run_preview` (its process died, a time limit)."""
    if sender is None or sender.name != TASK_PREVIEW or not args:
        return
    fail_dead_preview(_settings_of(sender), str(args[0]), exception)
