"""The release task: render a reviewed job again and put the new outputs in place of the old ones.

The API sends ``inclusio.release_job(job_id, token)`` by name (:func:`inclusio.jobs.request_release`);
the work is :func:`inclusio.jobs.release`, the same attempt as a job's run (lease, heartbeat, run,
record, publish, failure). The job row says ``release_state = releasing`` until the attempt records
``released`` or ``failed`` (with coded errors); the token makes a duplicate message a no-op, and the
old outputs stay until the new ones are complete.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import task_failure

from inclusio.jobs import fail_dead_release, release
from inclusio.jobs.queue import TASK_RELEASE
from workers.tasks import _RETRY, _settings_of

log = logging.getLogger("inclusio.worker")


@shared_task(name=TASK_RELEASE, bind=True, acks_late=True, ignore_result=True, **_RETRY)
def release_job(self: Task, job_id: str, token: str) -> str:
    """Release the reviewed document of job ``job_id`` (the message carries its id and the release's token)."""
    outcome = release(job_id, token, _settings_of(self))
    log.info("job %s: release %s", job_id, outcome)
    return outcome


@task_failure.connect
def _on_release_failure(
    sender: Task | None = None, exception: BaseException | None = None, args: Any = None, **_: Any
) -> None:
    """Record a release whose task failed outside :func:`inclusio.jobs.release` (its process died, a time limit)."""
    if sender is None or sender.name != TASK_RELEASE or not args:
        return
    fail_dead_release(_settings_of(sender), str(args[0]), exception)
