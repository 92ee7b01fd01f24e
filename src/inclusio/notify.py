"""Telling a learner that a document is ready: a notification on their page, and an e-mail if they asked.

When a job finishes (succeeded, partly done or failed) or staff release its reviewed version, the worker
calls :func:`job_event` right after recording it (:func:`inclusio.jobs.attempt.notify`: from ``execute``,
``release``, ``fail_dead_job`` and the watchdog's failure after a job's last lost attempt). The learner the job was
made for (``learner_id``, else its owner), when that account is a student's, gets:

* always a row in ``notifications`` (:mod:`inclusio.store.notifications`), listed on their page
  (``/web/student``) and marked read once it was shown there, or once the student opened the job's page
  or its reader (:meth:`~inclusio.store.notifications.NotificationStore.mark_read_for_job`);
* an e-mail only if they opted in on that page (``account_settings.notify_email``, off by default) and
  the service has a mail server (``INCLUSIO_SMTP_HOST``). The mail is sent by the Celery task
  ``inclusio.notify_email`` (:data:`inclusio.jobs.queue.TASK_NOTIFY_EMAIL`, ``workers/notify_tasks.py``)
  calling :func:`deliver`; a failed try is retried (``INCLUSIO_SMTP_MAX_ATTEMPTS`` in all), then given up
  with the warning ``notify.email_failed`` in the log. Nothing here ever fails or delays the job's record.

The mail says no more than that a document the person asked for is ready (or could not be made, or has a
reviewed version), in French then English, with a link to the job's page when ``INCLUSIO_BASE_URL`` is set:
no document text, no file name, no title, no profile (a profile tells a disability), no institution.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from inclusio.config import Settings
from inclusio.errors import UserNotFound
from inclusio.store.accounts import UserStore
from inclusio.store.models import Notification
from inclusio.store.notifications import NotificationStore
from inclusio.warning_codes import warning_text

log = logging.getLogger("inclusio.notify")

EMAIL_MAX = 254

SUBJECTS = {
    "ready": ("Votre document est prêt", "Your document is ready"),
    "failed": ("Votre document n'a pas pu être préparé", "Your document could not be made"),
    "released": (
        "Une nouvelle version de votre document est prête",
        "A new version of your document is ready",
    ),
}
BODIES = {
    "ready": (
        "Un document que vous avez demandé est prêt.",
        "A document you asked for is ready.",
    ),
    "failed": (
        "Un document que vous avez demandé n'a pas pu être préparé. La page de la demande dit pourquoi.",
        "A document you asked for could not be made. The request's page says why.",
    ),
    "released": (
        "Le service handicap a publié une nouvelle version d'un document que vous avez demandé. Sa page "
        "dit ce qui a été relu.",
        "Disability services published a new version of a document you asked for. Its page says what was "
        "reviewed.",
    ),
}


def valid_email(raw: str | None) -> str | None:
    """``raw`` as one plain address (``name@domain.tld``), or ``None``: no display name, no line break,
    nothing a header could be made of."""
    text = (raw or "").strip()
    if not text or len(text) > EMAIL_MAX or any(c in text for c in "\r\n\t <>,;\"'()[]\\"):
        return None
    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        return None
    domain = address.domain
    if not address.username or "." not in domain.strip(".") or domain.startswith(".") or ".." in domain:
        return None
    return address.addr_spec


def recipient(users: UserStore, job: Any) -> str | None:
    """The student the job was made for (its learner, else its owner), or ``None`` (not a student's)."""
    user_id = job.learner_id or job.owner_id
    if not user_id:
        return None
    try:
        user = users.get(user_id)
    except UserNotFound:
        return None
    return str(user.id) if user.role == "student" else None


def job_event(
    store: Any, settings: Settings, job_id: str, event: str, *, send: Callable[[int], None] | None = None
) -> Notification | None:
    """Record ``event`` (``finished`` or ``released``) of job ``job_id`` for its student and ask for the
    mail (``send(notification_id)`` puts the mail task on the queue). Never raises: the job is recorded
    already, and being told is second to it."""
    try:
        job = store.get(job_id)
        users = UserStore(store.engine)
        user_id = recipient(users, job)
        if user_id is None:
            return None
        prefs = users.get_settings(user_id)
        mail = bool(settings.smtp_host and prefs is not None and prefs.notify_email and prefs.email)
        note = NotificationStore(store.db).add(
            user_id=user_id, job_id=job.id, event=event, status=job.status, email=mail
        )
    except Exception:  # noqa: BLE001 - never let telling fail the job
        log.warning("job %s: could not record the %s notification", job_id, event, exc_info=True)
        return None
    if mail and send is not None:
        try:
            send(note.id)
        except Exception:  # noqa: BLE001 - the notification stays on the page
            log.warning("job %s: could not queue the notification e-mail", job_id, exc_info=True)
    return note


def kind_of(note: Notification) -> str:
    """``released``, ``failed`` or ``ready``: which words the mail says."""
    if note.event == "released":
        return "released"
    return "failed" if note.status == "failed" else "ready"


def compose(settings: Settings, note: Notification, to: str) -> EmailMessage:
    """The mail of ``note`` to ``to``: French then English, a link to the job's page, nothing more."""
    kind = kind_of(note)
    subject_fr, subject_en = SUBJECTS[kind]
    body_fr, body_en = BODIES[kind]
    if settings.base_url:
        link = f"{settings.base_url.rstrip('/')}/web/jobs/{note.job_id}"
        see_fr, see_en = f"Pour le voir : {link}", f"To see it: {link}"
    else:
        see_fr = "Connectez-vous à inclusio pour le voir."
        see_en = "Sign in to inclusio to see it."
    message = EmailMessage()
    message["Subject"] = f"{subject_fr} / {subject_en}"
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-reply to it
    message.set_content(
        f"{body_fr}\n{see_fr}\n\n"
        "Vous recevez ce courriel parce que vous l'avez demandé sur votre page inclusio ; "
        "vous pouvez l'arrêter au même endroit.\n\n"
        f"--\n\n{body_en}\n{see_en}\n\n"
        "You get this e-mail because you asked for it on your inclusio page; you can stop it there.\n"
    )
    return message


def send_mail(settings: Settings, message: EmailMessage) -> None:
    """Send ``message`` through ``INCLUSIO_SMTP_HOST`` (STARTTLS with a checked certificate when set)."""
    assert settings.smtp_host
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_user, password)
        smtp.send_message(message)


def deliver(settings: Settings, notification_id: int, db: Any) -> str:
    """Send the mail of notification ``notification_id`` once: ``sent``; ``retry`` (a try failed, more are
    left); ``failed`` (the last try failed: warning ``notify.email_failed`` logged); ``skipped`` (no mail due
    any more: sent already, the person opted out meanwhile, no mail server, the row is gone)."""
    notes = NotificationStore(db)
    note = notes.get(notification_id)
    if note is None or note.email_state != "pending":
        return "skipped"
    prefs = UserStore(db.engine).get_settings(note.user_id)
    if not settings.smtp_host or prefs is None or not prefs.notify_email or not prefs.email:
        notes.email_attempted(notification_id, "skipped")
        return "skipped"
    try:
        send_mail(settings, compose(settings, note, prefs.email))
    except (smtplib.SMTPException, OSError) as exc:
        last = note.email_attempts + 1 >= settings.smtp_max_attempts
        attempts = notes.email_attempted(notification_id, "failed" if last else "pending")
        if not last:
            log.info("notification %s: e-mail try %d failed (%s); retried", notification_id, attempts, exc)
            return "retry"
        code = "notify.email_failed"
        log.warning(
            "%s: %s",
            code,
            warning_text(code, "en", job=note.job_id, attempts=attempts, reason=type(exc).__name__),
        )
        return "failed"
    notes.email_attempted(notification_id, "sent")
    return "sent"
