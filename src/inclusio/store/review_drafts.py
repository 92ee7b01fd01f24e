"""A job's review draft and release confirmation, in the job's folder (storage only, no HTTP, no queue).

The reviewer's changes are saved as :data:`REVIEW_FILE` next to the job's outputs, so deleting the job
(or erasing its owner's data) deletes the draft too; a release confirmed with unreviewed flags writes
:data:`ACCEPTED_FILE`. :mod:`inclusio.api.review` edits the draft; :func:`inclusio.jobs.release` reads
both when it renders the reviewed document again.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from inclusio.errors import ArtifactNotFound
from inclusio.model.document import Document
from inclusio.store.models import Job

REVIEW_FILE = "review.document.json"
ACCEPTED_FILE = "release.accepted.json"
"""Written by a release confirmed with unreviewed flags (who, when, how many blocks); removed otherwise."""


def review_path(files: Any, job: Job) -> Path:
    return Path(files.job_dir(job.id)) / REVIEW_FILE


def load_document(files: Any, job: Job) -> Document:
    """The document under review: the saved draft, else the job's ``json`` output.

    ``artifact.not_found`` when the job has neither (it was submitted without the ``json``
    output, or has not finished).
    """
    draft = review_path(files, job)
    if draft.is_file():
        return Document.from_json(draft.read_bytes())
    record = (job.artifacts or {}).get("json")
    if record is None:
        raise ArtifactNotFound(
            "This job has no document to review: submit the document again with the 'json' output "
            "(the staff pages always ask for it), and wait until the job has finished.",
            message_fr=(
                "Cette tâche n'a pas de document à relire : soumettez de nouveau le document avec la "
                "sortie « json » (les pages du personnel la demandent toujours), et attendez la fin de "
                "la tâche."
            ),
            details={"job": job.id, "artifact": "json"},
        )
    path = files.artifact_path(job.id, record["file"])
    if not path.is_file():
        raise ArtifactNotFound(details={"job": job.id, "artifact": "json"})
    return Document.from_json(path.read_bytes())


def save_document(files: Any, job: Job, doc: Document) -> None:
    files.write_atomic(review_path(files, job), doc.to_json(indent=None).encode("utf-8"))


def review_state(doc: Document, kinds: tuple[str, ...]) -> dict[str, int]:
    """``{"adaptations": n, "reviewed": m}`` over the latest adaptation of each of ``kinds`` per block."""
    total = reviewed = 0
    for block in doc.blocks:
        for kind in kinds:
            adaptation = block.adaptation(kind)
            if adaptation is not None:
                total += 1
                reviewed += bool(adaptation.provenance.reviewed_by)
    return {"adaptations": total, "reviewed": reviewed}


def accepted_release(files: Any, job_id: str) -> dict[str, Any] | None:
    """The confirmation of a release with unreviewed flags (see :func:`release_gate`), if any."""
    path = Path(files.job_dir(job_id)) / ACCEPTED_FILE
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


draft_lock = threading.Lock()
"""Serialises read-modify-write of review drafts within one API process (several processes: last write wins)."""
