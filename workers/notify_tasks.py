"""The e-mail telling a learner that a document is ready: one line around :func:`inclusio.notify.deliver`.

The worker that recorded the job sends ``inclusio.notify_email(notification_id)`` (:func:`inclusio.notify.job_event`);
a failed try is retried after ``INCLUSIO_SMTP_RETRY_SECONDS``, doubling, until ``deliver`` gives up after
``INCLUSIO_SMTP_MAX_ATTEMPTS`` tries (warning ``notify.email_failed``). The job is never touched.
"""

from __future__ import annotations

from celery import Task, shared_task

from inclusio.jobs.attempt import stores
from inclusio.jobs.queue import TASK_NOTIFY_EMAIL
from inclusio.notify import deliver
from workers.tasks import _settings_of


@shared_task(name=TASK_NOTIFY_EMAIL, bind=True, acks_late=True, ignore_result=True, max_retries=None)
def notify_email(self: Task, notification_id: int) -> str:
    """Send the e-mail of one notification (the message carries only its id)."""
    settings = _settings_of(self)
    outcome = deliver(settings, notification_id, stores(settings)[0].db)
    if outcome == "retry":
        raise self.retry(countdown=settings.smtp_retry_seconds * 2**self.request.retries)
    return outcome
