"""``run_job``: the one function that does a job, for the CLI, the Celery worker and the tests.

The spine (see docs/architecture.md)::

    convert  -> analyse -> adapt -> verify -> render (one writer per output) -> validate -> report

The stages are objects in :mod:`inclusio.pipeline.spine` (:func:`~inclusio.pipeline.spine.job_stages`),
run by one driver that reuses their records, times them, reports progress and writes their report
entries; ``run_job`` sets up the job, drives the stages and writes the report.

A failure while converting fails the job (there is nothing to render). A failure in one writer
or validator makes the job ``partial``: the other outputs are kept and the report says what is
missing and why. ``run_job`` never raises for a problem with the input or a stage; it returns a
:class:`JobResult` whose ``errors`` carry stable codes. It raises only for programming errors in
its own arguments, and ``system.disk_full`` (:class:`~inclusio.errors.DiskFull`) when there is no
space left where it writes, in any stage: the machine's fault, not the document's, and no output of
that run is worth keeping (the worker discards the attempt's folder, the CLI says so with exit 8).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inclusio import __version__
from inclusio.config import Settings
from inclusio.errors import DiskFull, InclusioError, as_inclusio_error, is_disk_full
from inclusio.model import Document
from inclusio.pipeline.naming import NEUTRAL_STEM, convert_shared, for_job, neutral_filename, shared_view
from inclusio.pipeline.spine import (
    JobResult,
    JobState,
    JobStatus,
    Progress,
    StageProgressFn,
    drive,
    job_stages,
    stage_fraction,
)
from inclusio.pipeline.stages import StageKeys, StageRecords
from inclusio.profiles import ALL_OUTPUTS, Profile
from inclusio.store.files import write_atomic
from inclusio.writers.base import Artifact

__all__ = [
    "NEUTRAL_STEM",
    "JobResult",
    "JobStatus",
    "StageProgressFn",
    "conversion_key",
    "convert_shared",
    "failure_of",
    "for_job",
    "neutral_filename",
    "run_job",
    "shared_view",
    "stage_fraction",
]

log = logging.getLogger("inclusio.pipeline")


def _raises_disk_full(run: Callable[..., JobResult]) -> Callable[..., JobResult]:
    """``run_job`` raises :class:`DiskFull` for a full disk met anywhere (a stage record, the report...)."""

    @functools.wraps(run)
    def wrapper(*args: Any, **kwargs: Any) -> JobResult:
        try:
            return run(*args, **kwargs)
        except DiskFull:
            raise
        except Exception as exc:
            if is_disk_full(exc):
                raise as_inclusio_error(exc) from exc
            raise

    return wrapper


@_raises_disk_full
def run_job(
    input_path: Path,
    profile: Profile,
    out_dir: Path,
    *,
    settings: Settings,
    outputs: list[str] | None = None,
    filename: str | None = None,
    on_progress: StageProgressFn | None = None,
    document: Document | None = None,
    document_cache: Path | None = None,
    reuse: bool = True,
    accepted_unreviewed: dict[str, Any] | None = None,
    analysis_process: bool | None = None,
) -> JobResult:
    """Convert ``input_path`` for ``profile`` and write the outputs into ``out_dir``.

    ``outputs`` is a subset of ``ALL_OUTPUTS`` (default: the profile's outputs). ``filename`` is
    the user's name for the file (the stored copy may be named by its hash); outputs are named
    after it. ``document``, when given, is used instead of converting ``input_path`` again: a
    document saved by an earlier job (``--to json``) and edited by a reviewer. The adapt stage
    keeps every adaptation a person reviewed and redoes only the others. ``document_cache`` is a
    file for the converted Document, keyed by the caller on the input's content and
    :func:`conversion_key`: when it exists the file is not converted again (a redelivered job, or a
    second learner asking for the same document); when it does not, it is written after converting.

    ``reuse`` (default on): every finished stage is recorded in ``out_dir/.stages/`` under the hash
    of its inputs (:mod:`inclusio.pipeline.stages`), and a run into a folder holding records skips
    the stages whose inputs did not change: the converted and adapted Documents, each writer's
    files (when their sha256 on disk is still the one recorded) and the validation. The report
    lists them in ``reused``; progress is reported for every stage all the same.

    ``accepted_unreviewed``: a release that staff confirmed with flagged blocks unreviewed (``by``,
    ``at``, ``flagged_blocks``, see :func:`inclusio.jobs.release_gate`); the report's ``review``
    section records it and the writers say it in the student's copy.

    ``analysis_process``: the spaCy stages (analyse, adapt, verify) in a child process that ends before
    the renders and Ace (:mod:`inclusio.pipeline.analysis_process`); ``None``: only when it pays.
    """
    wanted = list(outputs) if outputs else list(profile.outputs)
    unknown = [name for name in wanted if name not in ALL_OUTPUTS]
    if unknown:
        raise ValueError(f"unknown outputs {unknown}; choose among {ALL_OUTPUTS}")
    out_dir.mkdir(parents=True, exist_ok=True)
    filename = filename or input_path.name
    result = JobResult(status="succeeded")
    report: dict[str, Any] = {
        "inclusio_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": {"filename": filename},
        "profile": profile.id,
        "reading": profile.reading.model_dump(),
        "outputs_requested": wanted,
        "stages": {},
        "reused": result.reused,
    }
    records = _stage_records(out_dir, input_path, document, filename, profile, settings) if reuse else None
    if records is not None and document is None and document_cache is None:
        document_cache = records.path("convert", records.keys.convert)
    state = JobState(
        input_path=input_path,
        profile=profile,
        out_dir=out_dir,
        settings=settings,
        wanted=wanted,
        filename=filename,
        basename=_basename(filename),
        progress=Progress(on_progress),
        result=result,
        report=report,
        records=records,
        given=document,
        document_cache=document_cache,
        accepted_unreviewed=accepted_unreviewed,
        analysis_process=analysis_process,
    )
    if not drive(state, job_stages(wanted)):
        result.status = "failed"
        report.update(status="failed", errors=result.errors, warnings=[], artifacts={})
        if "report" in wanted:
            result.artifacts.append(_write_report(report, out_dir, state.basename))
        result.report = report
        return result
    state.progress.start("report")
    if result.errors:
        result.status = "partial" if result.artifacts else "failed"
    report.update(
        status=result.status,
        errors=result.errors,
        warnings=result.warnings,
        artifacts={
            a.name: {"file": a.path.name, "media_type": a.media_type, "bytes": a.path.stat().st_size}
            for a in result.artifacts
        },
    )
    if "report" in wanted:
        result.artifacts.append(_write_report(report, out_dir, state.basename))
    state.progress(1.0, "done")
    result.report = report
    return result


def _stage_records(
    out_dir: Path,
    input_path: Path,
    document: Document | None,
    filename: str,
    profile: Profile,
    settings: Settings,
) -> StageRecords | None:
    """The stage records of ``out_dir`` with this job's keys; none when the input cannot be read
    (the convert stage then reports why, with its code)."""
    try:
        keys = StageKeys.for_job(
            input_path=input_path, document=document, filename=filename, profile=profile, settings=settings
        )
    except OSError:
        return None
    return StageRecords(out_dir, keys)


def conversion_key(settings: Settings) -> str:
    """What a converted Document depends on besides the file: inclusio's code and the converter limits.

    The code is the installed package's fingerprint (:func:`inclusio.pipeline.stages.code_fingerprint`),
    not only the version: a converter fixed in a checkout (or a release) never serves a Document cached
    by the older code.
    """
    import hashlib

    from inclusio.pipeline.stages import code_fingerprint

    raw = (
        f"{__version__}|{code_fingerprint()}|{settings.pdf_tables}|{settings.max_pages}|"
        f"{settings.max_image_pixels}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _write_report(report: dict[str, Any], out_dir: Path, basename: str) -> Artifact:
    import json

    path = out_dir / f"{basename}.report.json"
    write_atomic(path, json.dumps(report, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    return Artifact(name="report", path=path, media_type="application/json")


def _basename(filename: str) -> str:
    """A safe file stem from the user's file name (no path, no odd characters)."""
    import re
    import unicodedata

    stem = Path(filename.replace("\\", "/")).name.rsplit(".", 1)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")
    return stem[:80] or "document"


def failure_of(exc: InclusioError) -> dict[str, Any]:
    """The error dict stored in a job record for a failure outside ``run_job`` (queue, storage)."""
    return {"stage": "job", **exc.to_dict()}
