"""A batch: many documents (files and/or a zip) for one profile or for each learner of a cohort.

The API route (``POST /batches``) and the staff page call :func:`submit_batch`; each accepted document
becomes a job (:func:`inclusio.jobs.submit`), largest first; a refused one is listed in the batch with
its coded error.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from inclusio.auth.policy import Principal
from inclusio.errors import InclusioError, NoLearnerChosen, RequestInvalid
from inclusio.jobs.enqueue import submit
from inclusio.jobs.inputs import learner_profile, parse_outputs, resolve_profile
from inclusio.jobs.uploads import display_name, store_document, store_zip_members
from inclusio.profiles import Profile
from inclusio.store.files import StoredOriginal
from inclusio.store.models import Batch


def submit_batch(
    svc: Any,
    who: Principal,
    *,
    uploads: list[tuple[str | None, BinaryIO]],
    archive: tuple[str | None, BinaryIO] | None,
    profile: str | None,
    learners: str | None,
    outputs: str | None,
    name: str | None,
) -> Batch:
    """Store every document, create the batch and a job per document and target; returns the batch.

    ``uploads``: ``(client's file name, stream)`` pairs; ``archive``: a zip the same way; ``learners``:
    a comma list of learner ids or user names (staff), else ``profile`` for every document.
    """
    settings = svc.settings
    wanted = parse_outputs(outputs)
    targets: list[tuple[str | None, str | None, Profile]] = []
    if learners is not None and (learners.strip() or not profile):
        names = list(dict.fromkeys(n.strip() for n in learners.split(",") if n.strip()))
        if not names:
            raise NoLearnerChosen(details={"field": "learners"})
        if len(names) > settings.max_batch_files:
            raise RequestInvalid(details={"field": "learners"})
        targets = [learner_profile(svc, who, n) for n in names]
    elif profile:
        targets = [(None, None, resolve_profile(svc, profile))]
    else:
        raise RequestInvalid(
            "Give a profile, or (staff) a list of learners.",
            message_fr="Indiquez un profil, ou (personnel) une liste d'étudiant·e·s.",
            details={"field": "profile"},
        )
    if not uploads and archive is None:
        raise RequestInvalid(
            "Send documents as 'files' or a zip as 'archive'.",
            message_fr="Envoyez des documents dans « files » ou un zip dans « archive ».",
            details={"field": "files"},
        )
    if len(uploads) > settings.max_batch_files:
        raise RequestInvalid(details={"field": "files", "max_files": settings.max_batch_files})

    received: list[tuple[str, StoredOriginal | InclusioError]] = []
    for raw_name, stream in uploads:
        try:
            received.append(
                (
                    display_name(raw_name),
                    store_document(
                        svc.files,
                        stream,
                        max_bytes=settings.max_upload_bytes,
                        filename=display_name(raw_name),
                    ),
                )
            )
        except InclusioError as exc:
            received.append((display_name(raw_name), exc))
    if archive is not None:
        with svc.files.spooled(archive[1], max_bytes=settings.max_upload_bytes) as (path, _sha, _size):
            received += list(
                store_zip_members(
                    svc.files, path, max_files=settings.max_batch_files, max_bytes=settings.max_upload_bytes
                )
            )

    batch = svc.batches.create(
        owner_id=who.id,
        institution=who.institution,
        name=name or display_name(archive[0] if archive else None, "batch"),
    )
    rejected = [
        {"filename": fname, "error": item.to_dict()}
        for fname, item in received
        if isinstance(item, InclusioError)
    ]
    # Largest documents first: they take longest, and queued last they would keep one worker busy
    # while the others stand idle at the end of the batch (2 workers: 1.80x -> 2.01x on bench/queue.py).
    accepted = [(fname, item) for fname, item in received if not isinstance(item, InclusioError)]
    for fname, item in sorted(accepted, key=lambda pair: -pair[1].size):
        for learner_id, institution, chosen in targets:
            submit(
                svc,
                item,
                filename=fname,
                profile=chosen,
                outputs=wanted,
                owner_id=who.id,
                institution=institution or who.institution,
                learner_id=learner_id,
                batch_id=batch.id,
            )
    if rejected:
        svc.batches.set_rejected(batch.id, rejected)
    return svc.batches.get(batch.id)
