"""``run_job``: the one function that does a job, for the CLI, the Celery worker and the tests.

The spine (see docs/architecture.md)::

    convert  -> analyse -> adapt -> render (one writer per output) -> validate -> report

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
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from inclusio import __version__
from inclusio.config import Settings
from inclusio.errors import DiskFull, InclusioError, StageError, ToolMissing, as_inclusio_error, is_disk_full
from inclusio.model import Document, Heading, adapted_document
from inclusio.pipeline.stages import StageKeys, StageRecords, digest, file_sha256
from inclusio.profiles import ALL_OUTPUTS, Profile
from inclusio.progress import STAGES
from inclusio.store.files import write_atomic
from inclusio.writers.base import Artifact, RenderContext

log = logging.getLogger("inclusio.pipeline")

JobStatus = Literal["succeeded", "partial", "failed"]
StageProgressFn = Callable[[str, float, str], None]
"""Called with (stage, overall fraction 0..1, message)."""

# Share of the whole job each stage takes, for one progress bar over the job.
_STAGE_WEIGHTS = {"convert": 0.25, "analyse": 0.05, "adapt": 0.05, "render": 0.45, "validate": 0.17,
                  "report": 0.03}
assert set(_STAGE_WEIGHTS) == set(STAGES)


@dataclass
class JobResult:
    """What a job produced. ``report`` is also written as ``<basename>.report.json`` when asked."""

    status: JobStatus
    artifacts: list[Artifact] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    document: Document | None = None
    report: dict[str, Any] = field(default_factory=dict)
    llm_tokens: int = 0
    """Prompt + completion tokens the model server counted for this job's adaptation (0 offline; answers
    from the cache cost none). A reused adapt stage gives the tokens recorded when it was done: they
    were spent for this job by an attempt that could not record them."""
    reused: list[str] = field(default_factory=list)
    """Stages skipped because their recorded output was still valid (``convert``, ``analyse``,
    ``adapt``, ``render.<output>``, ``validate``); also ``report["reused"]``."""

    def artifact(self, name: str) -> Artifact | None:
        return next((a for a in self.artifacts if a.name == name), None)


def stage_fraction(stage: str, overall: float) -> float:
    """The fraction done within ``stage``, given the job's overall fraction (for per-stage bars)."""
    done = sum(_STAGE_WEIGHTS[s] for s in STAGES[: STAGES.index(stage)])
    return max(0.0, min(1.0, (overall - done) / _STAGE_WEIGHTS[stage]))


class _Progress:
    """Turns per-stage fractions into one overall fraction for the caller."""

    def __init__(self, callback: StageProgressFn | None) -> None:
        self._callback = callback
        self.stage = STAGES[0]
        self._high = 0.0  # progress shown to users never goes back, whatever a stage reports

    def start(self, stage: str) -> None:
        self.stage = stage
        self(0.0, stage)

    def __call__(self, fraction: float, message: str) -> None:
        if self._callback is None:
            return
        done = sum(_STAGE_WEIGHTS[s] for s in STAGES[: STAGES.index(self.stage)])
        overall = done + _STAGE_WEIGHTS[self.stage] * max(0.0, min(1.0, fraction))
        self._high = max(self._high, round(overall, 4))
        self._callback(self.stage, self._high, message)


NEARLY_FULL_BYTES = 1024 * 1024
"""A writer that fails while its folder's disk has less than this left failed for lack of space: tools
(lame, Java, LibreOffice) report a full disk in their own words, or only by an exit status."""


def _disk_full(exc: BaseException, out_dir: Path) -> bool:
    if is_disk_full(exc):
        return True
    try:
        return shutil.disk_usage(out_dir).free < NEARLY_FULL_BYTES
    except OSError:
        return False


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


def _error(stage: str, exc: BaseException) -> dict[str, Any]:
    err = as_inclusio_error(exc)
    return {"stage": stage, **err.to_dict()}


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
    ``at``, ``flagged_blocks``, see :func:`inclusio.api.review.release_gate`); the report's ``review``
    section records it and the writers say it in the student's copy.
    """
    wanted = list(outputs) if outputs else list(profile.outputs)
    unknown = [name for name in wanted if name not in ALL_OUTPUTS]
    if unknown:
        raise ValueError(f"unknown outputs {unknown}; choose among {ALL_OUTPUTS}")
    out_dir.mkdir(parents=True, exist_ok=True)
    filename = filename or input_path.name
    basename = _basename(filename)
    progress = _Progress(on_progress)
    timings: dict[str, float] = {}
    result = JobResult(status="succeeded")
    reused = result.reused
    report: dict[str, Any] = {
        "inclusio_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": {"filename": filename},
        "profile": profile.id,
        "reading": profile.reading.model_dump(),
        "outputs_requested": wanted,
        "stages": {},
        "reused": reused,
    }
    records = _stage_records(out_dir, input_path, document, filename, profile, settings) if reuse else None
    convert_record = records is not None and document is None and document_cache is None
    if records is not None and convert_record:
        document_cache = records.path("convert", records.keys.convert)

    # -- convert ----------------------------------------------------------------------------
    progress.start("convert")
    started = time.perf_counter()
    try:
        cached = None
        if document is None and document_cache is not None and document_cache.is_file():
            try:
                cached = Document.from_json(document_cache.read_bytes())
            except Exception as exc:  # noqa: BLE001 - an unreadable cache is converted again (and rewritten)
                log.warning("cached Document %s unreadable (%s); converting again", document_cache, exc)
        if document is not None:
            doc = shared_view(document)
            report["input"]["from_document"] = True
        elif cached is not None:
            doc = cached
            report["input"]["from_cache"] = True
            reused.append("convert")
            progress(1.0, "reused")
        else:
            doc = convert_shared(input_path, filename, settings, progress)
            if records is not None and convert_record:
                records.save_bytes("convert", records.keys.convert, doc.to_json(indent=None).encode("utf-8"))
            elif document_cache is not None:
                write_atomic(document_cache, doc.to_json(indent=None).encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a coded error in the result
        if is_disk_full(exc):
            raise
        timings["convert"] = time.perf_counter() - started
        result.status = "failed"
        result.errors.append(_error("convert", exc))
        report["stages"]["convert"] = {"seconds": round(timings["convert"], 3), "ok": False}
        report.update(status="failed", errors=result.errors, warnings=[], artifacts={})
        if "report" in wanted:
            result.artifacts.append(_write_report(report, out_dir, basename))
        result.report = report
        return result
    timings["convert"] = time.perf_counter() - started
    result.warnings += [{"stage": "convert", **issue.model_dump(exclude_none=True)} for issue in doc.issues]
    report["input"].update(media_type=doc.source.media_type, sha256=doc.source.sha256,
                           pages=doc.source.pages, converter=doc.source.converter, lang=doc.lang,
                           title=for_job(doc, filename).title)
    report["stages"]["convert"] = {"seconds": round(timings["convert"], 3), "ok": True,
                                   "blocks": len(doc.blocks), "issues": len(doc.issues),
                                   **({"reused": True} if "convert" in reused else {})}

    # -- analyse (source) ---------------------------------------------------------------------
    progress.start("analyse")
    started = time.perf_counter()
    from inclusio.analysis.readability import DocumentReadability, score_document

    analysed = records.load("analyse", records.keys.analyse) if records is not None else None
    rules_source: Any = None  # easy_read_rules.RuleReport, when the quality checks run
    if analysed is not None:
        before = DocumentReadability.model_validate(analysed["readability_before"])
        if analysed.get("rules_source") is not None:
            from inclusio.analysis.easy_read_rules import RuleReport

            rules_source = RuleReport.model_validate(analysed["rules_source"])
        reused.append("analyse")
        progress(1.0, "reused")
    else:
        before = score_document(doc)
        if settings.quality_checks:
            from inclusio.analysis.easy_read_rules import check_rules

            progress(0.3, "easy-to-read rules (source)")
            rules_source = check_rules(doc)
        if records is not None:
            records.save("analyse", records.keys.analyse, {
                "readability_before": before.model_dump(mode="json"),
                "rules_source": rules_source.model_dump(mode="json") if rules_source is not None else None})
    report["readability"] = {"before": before.model_dump()}
    timings["analyse"] = time.perf_counter() - started
    report["stages"]["analyse"] = {"seconds": round(timings["analyse"], 3), "ok": True,
                                   **({"reused": True} if "analyse" in reused else {})}

    # -- adapt ---------------------------------------------------------------------------------
    progress.start("adapt")
    started = time.perf_counter()
    adapted_sha: str | None = None
    stage = _reuse_adapt(records) if records is not None else None
    if stage is not None:
        doc, adapted_sha, record = stage
        reused.append("adapt")
        progress(1.0, "reused")
    else:
        record = _adapt(doc, profile, settings, rules_source, progress)
        doc = record.pop("document")
        if records is not None:
            adapted_json = doc.to_json(indent=None).encode("utf-8")
            adapted_sha = records.save_bytes("adapted", records.keys.adapt, adapted_json)
            records.save("adapt", records.keys.adapt, {**record, "document_sha256": adapted_sha})
    # Adapted as shared content: model prompts, their cache and the adapted record never see a file
    # name. The job's own name and title go on now, for its outputs alone.
    doc = for_job(doc, filename)
    result.warnings += record["warnings"]
    result.llm_tokens = int(record["llm_tokens"])
    report["readability"]["after"] = record["readability_after"]
    report.update(record["checks"])
    report["llm_tokens"] = result.llm_tokens
    report["review"] = _review_section(doc, accepted_unreviewed)
    view = adapted_document(doc, profile.adaptation_kinds, profile.parallel_kinds)
    timings["adapt"] = time.perf_counter() - started
    report["stages"]["adapt"] = {"seconds": round(timings["adapt"], 3), "ok": True, **record["stats"],
                                 **({"reused": True} if "adapt" in reused else {})}
    result.document = doc

    # -- render ------------------------------------------------------------------------------
    progress.start("render")
    ctx = RenderContext(out_dir=out_dir, basename=basename, profile=profile, settings=settings,
                        source=doc, progress=progress, input_path=input_path,
                        release_confirmed=accepted_unreviewed is not None)
    from inclusio.writers.registry import get_writer

    render_outputs = [name for name in wanted if name != "report"]
    render_keys: dict[str, str] = {}
    share = 1.0 / max(1, len(render_outputs))
    for index, name in enumerate(render_outputs):
        started = time.perf_counter()
        progress(index * share, f"writing {name}")
        if records is not None and adapted_sha is not None:
            # The outputs show the job's file name (title, source): it is part of what is rendered.
            render_keys[name] = records.keys.render(name, digest(adapted_sha, filename))
            kept = records.load_artifacts(name, render_keys[name])
            if kept is not None:
                _add_artifacts(result, name, kept)
                reused.append(f"render.{name}")
                progress((index + 1) * share, f"{name}: reused")
                report["stages"][f"render.{name}"] = {"seconds": round(time.perf_counter() - started, 3),
                                                      "ok": True, "files": len(kept), "reused": True}
                continue

        def writer_progress(fraction: float, message: str, _base: float = index * share) -> None:
            # Each writer reports 0..1 for itself; map it into its share of the render stage.
            progress(_base + share * max(0.0, min(1.0, fraction)), message)

        try:
            artifacts = get_writer(name).write(view, replace(ctx, progress=writer_progress))
        except Exception as exc:  # noqa: BLE001 - a failed writer makes the job partial
            if _disk_full(exc, out_dir):  # every later output would fail too: the whole run stops
                raise DiskFull(details={"stage": f"render.{name}", "exception": type(exc).__name__}) from exc
            result.errors.append(_error(f"render.{name}", exc))
            report["stages"][f"render.{name}"] = {"seconds": round(time.perf_counter() - started, 3),
                                                  "ok": False}
            continue
        _add_artifacts(result, name, artifacts)
        if name in render_keys and records is not None:
            records.save_artifacts(name, render_keys[name], artifacts)
        report["stages"][f"render.{name}"] = {"seconds": round(time.perf_counter() - started, 3),
                                              "ok": True, "files": len(artifacts)}

    # -- validate ----------------------------------------------------------------------------
    progress.start("validate")
    epub = result.artifact("epub")
    if epub is not None and settings.validate_epub:
        started = time.perf_counter()
        epub_sha = file_sha256(epub.path) if records is not None else ""
        validated = records.load("validate", records.keys.validate(epub_sha)) if records is not None else None
        if validated is not None:
            report["validation"] = validated["validation"]
            result.errors += validated["errors"]
            result.warnings += validated["warnings"]
            reused.append("validate")
            progress(1.0, "reused")
        else:
            errors_before, warnings_before = len(result.errors), len(result.warnings)
            epubcheck = _validate_epub(epub.path, result)
            report["validation"] = {"epubcheck": epubcheck}
            if settings.validate_ace:
                progress(0.5, "DAISY Ace")
                no_errors = epubcheck.get("errors", 1) + epubcheck.get("fatals", 1) == 0
                valid = bool(epubcheck.get("ran")) and no_errors
                report["validation"]["ace"] = _validate_ace(epub.path, settings, valid, result)
            if records is not None and _validation_ran(report["validation"]):
                # Keyed by the EPUB as validated: Ace's conformance claim rewrites it in place.
                final_sha = file_sha256(epub.path)
                records.save("validate", records.keys.validate(final_sha), {
                    "validation": report["validation"], "errors": result.errors[errors_before:],
                    "warnings": result.warnings[warnings_before:]})
                if final_sha != epub_sha and "epub" in render_keys:
                    records.update_artifact_sha("epub", render_keys["epub"], epub.path)
        report["stages"]["validate"] = {"seconds": round(time.perf_counter() - started, 3), "ok": True,
                                        **({"reused": True} if "validate" in reused else {})}

    # -- report ------------------------------------------------------------------------------
    progress.start("report")
    if result.errors:
        result.status = "partial" if result.artifacts else "failed"
    report.update(
        status=result.status,
        errors=result.errors,
        warnings=result.warnings,
        artifacts={a.name: {"file": a.path.name, "media_type": a.media_type,
                            "bytes": a.path.stat().st_size} for a in result.artifacts},
    )
    if "report" in wanted:
        result.artifacts.append(_write_report(report, out_dir, basename))
    progress(1.0, "done")
    result.report = report
    return result


def _stage_records(out_dir: Path, input_path: Path, document: Document | None, filename: str,
                   profile: Profile, settings: Settings) -> StageRecords | None:
    """The stage records of ``out_dir`` with this job's keys; none when the input cannot be read
    (the convert stage then reports why, with its code)."""
    try:
        keys = StageKeys.for_job(input_path=input_path, document=document, filename=filename, profile=profile,
                                 settings=settings)
    except OSError:
        return None
    return StageRecords(out_dir, keys)


def _reuse_adapt(records: StageRecords) -> tuple[Document, str, dict[str, Any]] | None:
    """The adapted Document and the adapt stage's record, if both are on disk and whole."""
    record = records.load("adapt", records.keys.adapt)
    if record is None:
        return None
    data = records.load_bytes("adapted", records.keys.adapt, str(record.get("document_sha256")))
    if data is None:
        return None
    try:
        return Document.from_json(data), str(record["document_sha256"]), record
    except Exception as exc:  # noqa: BLE001 - a record of another schema version: adapt again
        log.warning("adapted Document in %s unreadable (%s); adapting again", records.folder, exc)
        return None


def _adapt(doc: Document, profile: Profile, settings: Settings, rules_source: Any,
           progress: _Progress) -> dict[str, Any]:
    """The adapt stage: the adapted Document and what the stage adds to the result and the report.

    Returns ``document``, ``stats`` (the engine's figures), ``warnings``, ``readability_after``,
    ``checks`` (the quality checks' report sections) and ``llm_tokens`` (prompt + completion tokens
    the model server counted for this job; answers from the cache cost none).
    """
    from inclusio.adapt.engine import adapt_document
    from inclusio.analysis.readability import score_document
    from inclusio.llm.accounting import tokens_used

    adapted = adapt_document(doc, profile, settings, on_progress=progress)
    stats: dict[str, Any] = dict(adapted.stats)
    warnings = list(adapted.warnings)
    view = adapted_document(adapted.document, profile.adaptation_kinds)
    after = score_document(view)
    checks: dict[str, Any] = {}
    if rules_source is not None:
        checks, flagged = _quality_checks(adapted.document, profile, rules_source)
        warnings += flagged
    return {"document": adapted.document, "stats": stats, "warnings": warnings,
            "readability_after": after.model_dump(), "checks": checks,
            "llm_tokens": tokens_used(stats.get("llm"))}


def _review_section(doc: Document, accepted: dict[str, Any] | None) -> dict[str, Any]:
    """The report's ``review``: every flag per block and glossary entry, the summary, a confirmed release."""
    from inclusio.model.flags import flags_report

    section = flags_report(doc)
    if accepted is not None:
        section["release_confirmed"] = {key: accepted.get(key) for key in ("by", "at", "flagged_blocks")}
    return section


def _add_artifacts(result: JobResult, name: str, artifacts: list[Artifact]) -> None:
    result.artifacts += artifacts
    for artifact in artifacts:
        result.warnings += [{"stage": f"render.{name}", **w} for w in artifact.warnings]


def _validation_ran(validation: dict[str, Any]) -> bool:
    """Whether every validator asked for really ran (a missing tool is not a result to keep)."""
    return all(entry.get("ran") for entry in validation.values())


def _quality_checks(doc: Document, profile: Profile, rules_source: Any) -> tuple[dict[str, Any],
                                                                                   list[dict[str, Any]]]:
    """Easy-to-read rules on what the reader gets, and the faithfulness of every adaptation.

    Returns the report sections and the warnings. A block whose adaptation lost a number, a date,
    a name or a glossary term is not an error: it is flagged for the reviewer (warning
    ``adapt.facts_missing``), since drafts are reviewed anyway.
    """
    from inclusio.analysis.easy_read_rules import check_rules
    from inclusio.analysis.faithfulness import check_faithfulness

    rules_adapted = check_rules(doc, adaptation_kinds=profile.adaptation_kinds)
    faith = check_faithfulness(doc)
    checks = {"easy_read_rules": {"source": rules_source.model_dump(), "adapted": rules_adapted.model_dump()},
              "faithfulness": faith.model_dump(),
              "checks_summary": {"rules_source": rules_source.summary.model_dump(),
                                 "rules_adapted": rules_adapted.summary.model_dump(),
                                 "faithfulness": faith.summary.model_dump()}}
    warnings: list[dict[str, Any]] = []
    for block in faith.blocks:
        if block.needs_review:
            missing = ", ".join(item.text for item in block.missing[:5])
            warnings.append({
                "stage": "adapt", "code": "adapt.facts_missing", "block_id": block.block_id,
                "message": f"The {block.adaptation_kind} adaptation of block {block.block_id} lost: {missing}. "
                           "Check it in review.",
                "message_fr": f"L'adaptation ({block.adaptation_kind}) du bloc {block.block_id} a perdu : "
                              f"{missing}. Vérifiez-la à la relecture.",
            })
    return checks, warnings


def _validate_epub(path: Path, result: JobResult) -> dict[str, Any]:
    """Run EPUBCheck; a missing Java is a warning (the EPUB is still delivered), errors are errors."""
    from inclusio.validate.epubcheck import check_epub

    try:
        check = check_epub(path)
    except ToolMissing as exc:
        result.warnings.append({"stage": "validate", **exc.to_dict()})
        return {"ran": False, "reason": exc.code}
    summary = {"ran": True, "errors": check.errors, "fatals": check.fatals, "warnings": check.warnings}
    if check.errors or check.fatals:
        failure = StageError(
            f"EPUBCheck found {check.errors + check.fatals} error(s) in the EPUB. It may not open in every "
            "reading system; report this document to the inclusio maintainers.",
            message_fr=(f"EPUBCheck a trouvé {check.errors + check.fatals} erreur(s) dans l'EPUB. Il peut ne "
                        "pas s'ouvrir partout ; signalez ce document aux mainteneurs d'inclusio."),
            details={"messages": check.messages[:20]},
        )
        result.errors.append({"stage": "validate", **failure.to_dict()})
    return summary


def _validate_ace(path: Path, settings: Settings, epubcheck_valid: bool, result: JobResult) -> dict[str, Any]:
    """Run DAISY Ace; add the WCAG 2.1 AA claim only when EPUBCheck and Ace passed and an
    organisation is configured (it rewrites the EPUB in place). Missing Ace/Chromium is a warning."""
    from inclusio.validate.ace import check_and_claim

    try:
        entry = check_and_claim(path, settings, epubcheck_valid=epubcheck_valid)
    except ToolMissing as exc:
        result.warnings.append({"stage": "validate", **exc.to_dict()})
        return {"ran": False, "reason": exc.code}
    except StageError as exc:
        result.errors.append({"stage": "validate", **exc.to_dict()})
        return {"ran": False, "reason": exc.code}
    if entry["violations"]:
        failure = StageError(
            f"DAISY Ace found {entry['violations']} accessibility violation(s) in the EPUB; report this "
            "document to the inclusio maintainers.",
            message_fr=(f"DAISY Ace a trouvé {entry['violations']} violation(s) d'accessibilité dans l'EPUB ; "
                        "signalez ce document aux mainteneurs d'inclusio."),
            details={"messages": entry["messages"]},
        )
        result.errors.append({"stage": "validate", **failure.to_dict()})
    return entry


def conversion_key(settings: Settings) -> str:
    """What a converted Document depends on besides the file: inclusio's code and the converter limits.

    The code is the installed package's fingerprint (:func:`inclusio.pipeline.stages.code_fingerprint`),
    not only the version: a converter fixed in a checkout (or a release) never serves a Document cached
    by the older code.
    """
    import hashlib

    from inclusio.pipeline.stages import code_fingerprint

    raw = (f"{__version__}|{code_fingerprint()}|{settings.pdf_tables}|{settings.max_pages}|"
           f"{settings.max_image_pixels}")
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _write_report(report: dict[str, Any], out_dir: Path, basename: str) -> Artifact:
    import json

    path = out_dir / f"{basename}.report.json"
    write_atomic(path, json.dumps(report, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    return Artifact(name="report", path=path, media_type="application/json")


NEUTRAL_STEM = "document"
"""The file name stem a shared Document carries (and the converters' title fallback with it)."""


def neutral_filename(filename: str) -> str:
    """The name a shared, content-addressed Document carries instead of the uploader's: ``document``
    and the upload's extension (the converters tell Markdown from plain text by it), never the name."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    return NEUTRAL_STEM + (suffix if suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 9 else "")


def convert_shared(path: Path, filename: str, settings: Settings,
                   progress: Callable[[float, str], None] | None = None) -> Document:
    """Convert ``path`` into a Document that holds its content only, fit for the shared conversion cache.

    The converter sees :func:`neutral_filename`, so nothing it makes (``source.filename``, the
    title fallback, messages) carries the uploader's file name, and the result depends on the bytes
    alone. :func:`for_job` puts a job's own name back for its outputs.
    """
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.progress import no_progress

    ctx = ConvertContext.from_settings(settings, neutral_filename(filename), progress or no_progress)
    return shared_view(convert(path, ctx))


def _stem(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).stem


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def shared_view(doc: Document) -> Document:
    """``doc`` without its uploader: ``source.filename`` neutral, and no title taken from the file name
    (a title equal to the file's stem, or the converters' fallback, is dropped)."""
    stem = _stem(doc.source.filename)
    title = doc.title
    if title is not None and (title == NEUTRAL_STEM or (stem and _same_title(title, stem))):
        title = None
    source = doc.source.model_copy(update={"filename": neutral_filename(doc.source.filename)})
    return doc.model_copy(update={"title": title, "source": source})


def for_job(doc: Document, filename: str) -> Document:
    """A shared Document as one job's outputs show it: this uploader's file name in ``source``, and the
    document's own title (metadata, else its first heading), else the stem of this uploader's file name.

    A title that only repeats this uploader's file name gives way to the first heading, as the
    converters do with metadata titles that repeat the file name. Applied per job, after the shared
    stages: two people sending the same bytes under different names each get their own name only.
    """
    stem = _stem(filename)
    title = doc.title
    if not title or not title.strip():
        title = stem or None
    elif stem and _same_title(title, stem):
        heading = next((b for b in doc.blocks if isinstance(b, Heading)), None)
        title = heading.text if heading is not None and heading.text.strip() else title
    source = doc.source.model_copy(update={"filename": filename})
    return doc.model_copy(update={"title": title, "source": source})


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
