"""A job's life in one place: submit, run, release (the application layer under the API, the web pages,
``inclusio batch`` and the workers).

* :func:`submit` (:mod:`.enqueue`): store the job row, choose its queue, send its task by name.
* :func:`execute` / :func:`release` (:mod:`.attempt`): one attempt (lease, heartbeat, run, record,
  publish, failure) at a queued job or at the release of a reviewed one; the Celery tasks call them.
* :mod:`.queue`: task names, the queue rule and the one Celery app factory.
"""

from __future__ import annotations

from inclusio.jobs.attempt import execute, fail_dead_job, fail_dead_release, release
from inclusio.jobs.enqueue import (
    Submitter,
    release_gate,
    release_stalled,
    request_release,
    submit,
)

__all__ = [
    "Submitter",
    "execute",
    "fail_dead_job",
    "fail_dead_release",
    "release",
    "release_gate",
    "release_stalled",
    "request_release",
    "submit",
]
