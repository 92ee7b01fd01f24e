"""The release task: render a reviewed job again and put the new outputs in place of the old ones.

The API sends ``inclusio.release_job(job_id, token)`` by name to the queue of the job's kind once a
reviewer asks for the release (:func:`inclusio.api.review.request_release`); the work is
:func:`inclusio.api.review.perform_release`, a plain function the tests can also call. The job row
says ``release_state = releasing`` until the attempt records ``released`` or ``failed`` (with coded
errors); the token makes a duplicate message a no-op, and the old outputs stay until the new ones
are complete.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import task_failure

from inclusio.api.review import RELEASE_STAGE, RELEASE_TASK, perform_release
from inclusio.errors import WorkerLost, as_inclusio_error
from workers.tasks import _RETRY, TRANSIENT, _json_safe, _settings_of, _stores

log = logging.getLogger("inclusio.worker")


@shared_task(name=RELEASE_TASK, bind=True, acks_late=True, ignore_result=True, **_RETRY)
def release_job(self: Task, job_id: str, token: str) -> str:
    """Release the reviewed document of job ``job_id`` (the message carries its id and the release's token)."""
    store, files = _stores(_settings_of(self))
    outcome = perform_release(store, files, _settings_of(self), job_id, token)
    log.info("job %s: release %s", job_id, outcome)
    return outcome


@task_failure.connect
def _on_release_failure(sender: Task | None = None, exception: BaseException | None = None, args: Any = None,
                        **_: Any) -> None:
    """Record a release whose task failed outside :func:`perform_release` (its process died, a time limit)."""
    if sender is None or sender.name != RELEASE_TASK or not args or isinstance(exception, TRANSIENT):
        return
    job_id = str(args[0])
    try:
        store, files = _stores(_settings_of(sender))
        job = store.get(job_id)
        if job.release_state != "releasing" or not job.release_token:
            return
        from billiard.exceptions import WorkerLostError

        error = (WorkerLost(details={"reason": str(exception)}) if isinstance(exception, WorkerLostError)
                 else as_inclusio_error(exception or Exception()))
        files.discard_attempt(job.id, job.release_token)
        store.fail_release(job.id, job.release_token, [{"stage": RELEASE_STAGE, **_json_safe(error.to_dict())}])
    except Exception:  # noqa: BLE001 - never let a failure handler crash the worker
        log.exception("job %s: could not record the release failure", job_id)
