"""Putting work on the queue: a new job (:func:`submit`) or the release of a reviewed one (:func:`request_release`).

The API routes, the web pages and ``inclusio batch`` all submit here: the original is stored (by
content, after sniffing), the job row written with the queue of its kind
(:func:`inclusio.jobs.queue.job_kind`), and the task sent by name; a broker that refuses the message
fails the job with ``queue.unavailable`` (never a job left queued that no message will run).
``svc`` is anything with ``settings``, ``store``, ``files``, ``users`` and ``send`` (the API's
:class:`~inclusio.api.deps.Services`, or the CLI's :class:`Submitter`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from inclusio.auth.policy import Principal
from inclusio.config import Settings
from inclusio.errors import QueueUnavailable, RequestInvalid
from inclusio.jobs.attempt import RELEASE_STAGE
from inclusio.jobs.queue import Sender, job_kind, send_release
from inclusio.store.files import FileStore, StoredOriginal
from inclusio.store.models import Job
from inclusio.store.review_drafts import ACCEPTED_FILE, draft_lock, load_document

log = logging.getLogger("inclusio.jobs")


@dataclass
class Submitter:
    """What :func:`submit` needs outside the API (``inclusio batch``)."""

    settings: Settings
    store: Any
    files: FileStore
    send: Sender
    users: Any = None


def submit(
    svc: Any,
    stored: StoredOriginal,
    *,
    filename: str,
    profile: Any,
    outputs: list[str] | None,
    owner_id: str | None,
    institution: str | None,
    learner_id: str | None = None,
    batch_id: str | None = None,
    reading: dict[str, Any] | None = None,
    title: str | None = None,
) -> Job:
    """Create the job row and put it on the queue of its kind; ``queue.unavailable`` if the broker is down.

    ``stored``: the original, stored with :func:`inclusio.jobs.uploads.store_document`. ``reading``: the learner's reading
    adjustments (validated by the caller with ``with_reading``). ``title``: the teacher's share title, when the
    job is asked of a share (shown instead of the document's own title).
    """
    kind = job_kind(
        outputs or list(profile.outputs),
        engine=svc.settings.engine,
        adaptation_level=profile.adaptation.level,
    )
    job = svc.store.create(
        profile_id=profile.id,
        filename=filename,
        input_sha256=stored.sha256,
        input_path=stored.relpath,
        input_bytes=stored.size,
        outputs=outputs,
        owner_id=owner_id,
        learner_id=learner_id,
        institution=institution,
        batch_id=batch_id,
        kind=kind,
        reading=reading,
        title=title,
    )
    try:
        svc.send(kind, job.id)
    except Exception as exc:  # noqa: BLE001 - the broker is down or refused the message
        log.exception("could not enqueue job %s", job.id)
        error = QueueUnavailable(details={"reason": type(exc).__name__})
        svc.store.finish(
            job.id, status="failed", errors=[{"stage": "job", **error.to_dict()}], message=error.message
        )
        raise error from exc
    return job


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def release_stalled(job: Job, settings: Any) -> bool:
    """A release said to be under way whose worker has given no sign of life for too long."""
    if job.release_state != "releasing" or job.release_beat_at is None:
        return False
    return (datetime.now(UTC) - job.release_beat_at).total_seconds() > settings.job_stuck_seconds


def _unreviewed_text(n: int, m: int) -> tuple[str, str]:
    """What is not reviewed, in English and French: flagged blocks, glossary terms, or both."""
    en, fr = [], []
    if n or not m:
        en.append(f"{n} flagged block(s)")
        fr.append(f"{n} bloc(s) signalé(s)")
    if m:
        en.append(f"{m} glossary term(s) to define or check")
        fr.append(f"{m} terme(s) du glossaire à définir ou à vérifier")
    return " and ".join(en), " et ".join(fr)


def release_gate(svc: Any, job: Job, who: Principal, *, accept_unreviewed: bool) -> int:
    """Refuse the release of a document with flagged, unreviewed blocks or glossary entries (flagged or to
    define, :func:`inclusio.model.flags.unreviewed_glossary`) unless ``accept_unreviewed``.

    Returns how many such blocks and entries there are. Confirmed with some: the audit log (their count, no
    job id) and :data:`ACCEPTED_FILE` record it (the worker reads that file); otherwise the file is removed.
    Raises :class:`~inclusio.errors.ReviewUnreviewedFlags` (409) when refused.
    """
    from inclusio.errors import ReviewUnreviewedFlags
    from inclusio.model.flags import unreviewed_blocks, unreviewed_glossary

    with draft_lock:
        doc = load_document(svc.files, job)  # artifact.not_found now rather than in the worker
    flagged = [block.id for block in unreviewed_blocks(doc)]
    terms = [entry.term for entry in unreviewed_glossary(doc)]
    accepted = Path(svc.files.job_dir(job.id)) / ACCEPTED_FILE
    if not flagged and not terms:
        accepted.unlink(missing_ok=True)
        return 0
    n, m = len(flagged), len(terms)
    if not accept_unreviewed:
        what, what_fr = _unreviewed_text(n, m)
        raise ReviewUnreviewedFlags(
            f"{what} are not reviewed yet. Review them (they are shown first in the review "
            "workspace): edit or approve each block, define or remove each term; or confirm that the student "
            "may get them unreviewed (the 'accept_unreviewed' box or field).",
            message_fr=(
                f"{what_fr} ne sont pas encore relus. Relisez-les (ils sont affichés en premier "
                "dans l'espace de relecture) : modifiez ou approuvez chaque bloc, définissez ou retirez chaque "
                "terme ; ou confirmez que l'étudiant·e peut les recevoir sans relecture (la case ou le champ "
                "« accept_unreviewed »)."
            ),
            details={
                "job": job.id,
                "flagged_blocks": n,
                "blocks": flagged[:20],
                "glossary_terms": m,
                "terms": terms[:20],
            },
        )
    record = {
        "by": who.username,
        "at": _now_iso(),
        "flagged_blocks": n,
        "blocks": flagged[:200],
        "glossary_terms": m,
        "terms": terms[:200],
    }
    svc.files.write_atomic(accepted, json.dumps(record).encode("utf-8"))
    svc.users.audit(
        actor_id=who.id,
        action="release.accept_unreviewed",
        subject_id=job.learner_id or job.owner_id,
        institution=job.institution,
        details={"count": n + m},  # blocks and glossary terms (the audit log keeps plain counts only)
    )
    log.info(
        "job %s: release confirmed by %s with %d flagged block(s) and %d glossary term(s) unreviewed",
        job.id,
        who.username,
        n,
        m,
    )
    return n + m


def request_release(svc: Any, job: Job, who: Principal, *, accept_unreviewed: bool = False) -> Job:
    """Queue the release of ``job``'s reviewed document; the job, now ``releasing`` (see the module doc).

    Refused (``review.unreviewed_flags``) while a flagged block is unreviewed, unless
    ``accept_unreviewed`` (:func:`release_gate`). Asking while a release of the job is under way joins
    it (nothing new is sent).
    """
    if job.status not in ("succeeded", "partial"):
        raise RequestInvalid(
            "This job has not finished: wait until it has, review it, then release it.",
            message_fr=("Cette tâche n'est pas terminée : attendez sa fin, relisez-la, puis publiez-la."),
            details={"job": job.id, "status": job.status},
        )
    release_gate(svc, job, who, accept_unreviewed=accept_unreviewed)
    stale = datetime.now(UTC) - timedelta(seconds=svc.settings.job_stuck_seconds)
    token = svc.store.request_release(job.id, by=who.username, stale_before=stale)
    if token is None:
        return svc.store.get(job.id)
    try:
        send_release(svc.settings, job.id, job.kind, token)
    except Exception as exc:  # noqa: BLE001 - the broker is down or refused the message
        error = QueueUnavailable(details={"reason": type(exc).__name__})
        svc.store.fail_release(job.id, token, [{"stage": RELEASE_STAGE, **error.to_dict()}])
        raise error from exc
    return svc.store.get(job.id)
