"""The job's spine: its stages as objects, in order, and the one driver that runs them.

Each stage says what it reads and writes on the :class:`JobState` (``inputs``, ``outputs``), the key
of its record (the hash of its inputs, in ``out_dir/.stages/``, see :mod:`inclusio.pipeline.stages`),
how to take a recorded output back (``reuse``) and how to do the work (``run``). The driver
(:func:`drive`) alone starts the progress of each part of the job, times each stage, reuses records,
lists reused stages and writes each stage's entry in the report. :func:`job_stages` is the list::

    convert -> analyse -> adapt -> verify -> render.<output> (one per output) -> validate

For a large document whose EPUB DAISY Ace checks, analyse, adapt and verify run in a child process
(:mod:`inclusio.pipeline.analysis_process`, the stage ``analysis_process`` just before them): the same
stage objects, driven by the same driver there; the job's process takes their results back and skips them.

A new stage is a :class:`Stage` subclass placed in :func:`job_stages` after the stages whose
``outputs`` it reads; its ``progress_stage`` is one of :data:`inclusio.progress.STAGES` (the bar
the user sees) and, unless it reports under another stage (``report_as``), it gets its own
``report["stages"]`` entry and its own record.

The teacher's readability preview (``web/preview.py``, ``POST /preview/readability``) and the review's
"regenerate one block" (``api/review.py``) use the same stage code: :func:`analyse_source` (the
analyse stage's work) and :func:`adapt_source` (the adapt stage's).
"""

from __future__ import annotations

import logging
import shutil
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from inclusio.config import Settings
from inclusio.errors import DiskFull, InputPartsLost, StageError, ToolMissing, as_inclusio_error, is_disk_full
from inclusio.model import Document, adapted_document
from inclusio.model.flags import machine_passages
from inclusio.pipeline.naming import convert_shared, for_job, shared_view
from inclusio.pipeline.stages import StageRecords, digest, file_sha256
from inclusio.profiles import Profile
from inclusio.progress import STAGES, ProgressFn
from inclusio.store.files import write_atomic
from inclusio.warning_codes import PART_LOST_CODES, warning_text
from inclusio.writers.base import Artifact, RenderContext

log = logging.getLogger("inclusio.pipeline")

JobStatus = Literal["succeeded", "partial", "failed"]
StageProgressFn = Callable[[str, float, str], None]
"""Called with (stage, overall fraction 0..1, message)."""

# Share of the whole job each part takes, for one progress bar over the job.
_STAGE_WEIGHTS = {
    "convert": 0.25,
    "analyse": 0.05,
    "adapt": 0.05,
    "render": 0.45,
    "validate": 0.17,
    "report": 0.03,
}
assert set(_STAGE_WEIGHTS) == set(STAGES)

NEARLY_FULL_BYTES = 1024 * 1024
"""A writer that fails while its folder's disk has less than this left failed for lack of space: tools
(lame, Java, LibreOffice) report a full disk in their own words, or only by an exit status."""


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


class Progress:
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

    def relay(self, stage: str, overall: float, message: str) -> None:
        """Pass on a progress event of the job's analysis process (its stages drive their own bar)."""
        self.stage = stage
        if self._callback is None:
            return
        self._high = max(self._high, round(overall, 4))
        self._callback(stage, self._high, message)

    def within(self, start: float, share: float) -> ProgressFn:
        """A progress function for one stage that takes ``share`` of its part, from ``start``."""
        if start == 0.0 and share == 1.0:
            return self

        def progress(fraction: float, message: str) -> None:
            self(start + share * max(0.0, min(1.0, fraction)), message)

        return progress


@dataclass
class JobState:
    """What a job's stages share: the job's arguments, its result and report, what each stage made."""

    input_path: Path
    profile: Profile
    out_dir: Path
    settings: Settings
    wanted: list[str]
    filename: str
    basename: str
    progress: Progress
    result: JobResult
    report: dict[str, Any]
    records: StageRecords | None
    given: Document | None = None
    """A Document given by the caller (a reviewed one), used instead of converting."""
    document_cache: Path | None = None
    accepted_unreviewed: dict[str, Any] | None = None
    # made by the stages
    source: Document | None = None
    """The converted Document, shared (no uploader's name)."""
    rules_source: Any = None
    """Easy-to-read rule hits of the source (``RuleReport``), when the quality checks run."""
    adapted: Document | None = None
    """The adapted Document, shared."""
    adapted_sha: str | None = None
    """sha256 of the recorded adapted Document (render keys take it); ``None`` without records."""
    document: Document | None = None
    """The adapted Document with this job's file name and title (``result.document``)."""
    view: Document | None = None
    """The reader's view of :attr:`document` (adaptations applied): what the writers render."""
    render_keys: dict[str, str] = field(default_factory=dict)
    validation_beside: Any = None
    """EPUBCheck and Ace started beside the later renders (:class:`ValidateBesideStage`): a
    :class:`_Beside` the validate stage waits for, or ``None``."""
    analysis_process: bool | None = None
    """Run analyse, adapt and verify in a child process (``None``: when it pays, see
    :func:`inclusio.pipeline.analysis_process.use_child`)."""
    in_child: bool = False
    """Analyse, adapt and verify were run by the child process: the job's own stages are skipped."""


class Stage(ABC):
    """One stage of a job. Subclasses set the class attributes and override ``run`` (and ``key``/``reuse``
    when their output is recorded)."""

    name: ClassVar[str] = ""
    """The stage's ``report["stages"]`` entry and its name in ``reused``."""
    progress_stage: ClassVar[str] = ""
    """The part of the job (:data:`inclusio.progress.STAGES`) whose bar it moves."""
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[tuple[str, ...]] = ()
    """:class:`JobState` fields (or ``report.<key>``) it reads and writes: the order of the list keeps to them."""
    on_error: ClassVar[Literal["raise", "fail", "partial"]] = "raise"
    """``fail``: the job fails (nothing to go on with); ``partial``: its error is recorded, the job goes on."""
    report_as: ClassVar[str | None] = None
    """Report under another stage's entry (its seconds are added there; it is never listed as reused)."""
    writes_own_entries: ClassVar[bool] = False
    """The stage runs other stages, which write their own entries (the analysis process): none of its own."""

    @property
    def entry(self) -> str:
        return self.report_as or self.name

    def applies(self, state: JobState) -> bool:
        return True

    def span(self) -> tuple[float, float]:
        """Where the stage starts within its part of the progress bar, and its share of it."""
        return 0.0, 1.0

    def announce(self) -> str | None:
        """A progress message sent before the stage looks for a record."""
        return None

    def reused_message(self) -> str:
        return "reused"

    def key(self, state: JobState) -> str | None:
        """The key of the stage's record, or ``None`` when it has none to reuse."""
        return None

    def reuse(self, state: JobState, key: str) -> dict[str, Any] | None:
        """Put the recorded outputs on ``state`` and return the report entry's figures; ``None`` if no record."""
        return None

    @abstractmethod
    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        """Do the work, record it under ``key`` (when not ``None``), return the report entry's figures."""

    def disk_full(self, state: JobState, exc: BaseException) -> bool:
        return is_disk_full(exc)


def drive(state: JobState, stages: list[Stage], parts: tuple[str, ...] | None = None) -> bool:
    """Run ``stages`` part by part (all parts but the report, or ``parts``); ``False`` when a stage failed
    the job (the report says why)."""
    for part in parts or STAGES[:-1]:
        state.progress.start(part)
        for stage in stages:
            if stage.progress_stage == part and stage.applies(state) and not _run_stage(state, stage):
                return False
    return True


def _run_stage(state: JobState, stage: Stage) -> bool:
    """One stage: reuse its record or run it, time it, write its report entry. ``False``: the job failed."""
    started = time.perf_counter()
    progress = state.progress.within(*stage.span())
    if (message := stage.announce()) is not None:
        progress(0.0, message)
    key = stage.key(state)
    figures = stage.reuse(state, key) if key is not None else None
    reused = figures is not None
    if figures is not None and stage.report_as is None:  # a stage reported under another is part of it
        state.result.reused.append(stage.name)
        progress(1.0, stage.reused_message())
    else:
        try:
            figures = stage.run(state, key, progress)
        except Exception as exc:  # noqa: BLE001 - a stage's failure becomes a coded error, as its stage says
            if stage.on_error == "raise" or stage.disk_full(state, exc):
                raise
            state.result.errors.append(stage_error(stage.name, exc))
            state.report["stages"][stage.entry] = {
                "seconds": round(time.perf_counter() - started, 3),
                "ok": False,
            }
            return stage.on_error != "fail"
    seconds = time.perf_counter() - started
    stages = state.report["stages"]
    if stage.writes_own_entries:
        pass
    elif stage.report_as is not None:
        entry = stages[stage.report_as]
        entry["seconds"] = round(entry["seconds"] + seconds, 3)
    else:
        stages[stage.name] = {
            "seconds": round(seconds, 3),
            "ok": True,
            **figures,
            **({"reused": True} if reused else {}),
        }
    return True


def stage_error(stage: str, exc: BaseException) -> dict[str, Any]:
    """The error dict of a stage's failure, with its stable code."""
    return {"stage": stage, **as_inclusio_error(exc).to_dict()}


# -- convert -----------------------------------------------------------------------------------


class ConvertStage(Stage):
    """The input file -> the shared Document. Its record is the converted Document itself: the caller's
    cache file (keyed by the caller on content and ``conversion_key``) or ``.stages/convert-<key>.json``."""

    name = progress_stage = "convert"
    inputs = ("input_path", "given", "document_cache")
    outputs = ("source", "report.input")
    on_error = "fail"

    def key(self, state: JobState) -> str | None:
        if state.given is not None or state.document_cache is None:
            return None
        return str(state.document_cache)

    def reuse(self, state: JobState, key: str) -> dict[str, Any] | None:
        path = Path(key)
        if not path.is_file():
            return None
        try:
            doc = Document.from_json(path.read_bytes())
        except Exception as exc:  # noqa: BLE001 - an unreadable cache is converted again (and rewritten)
            log.warning("cached Document %s unreadable (%s); converting again", path, exc)
            return None
        state.report["input"]["from_cache"] = True
        return self._take(state, doc)

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        if state.given is not None:
            state.report["input"]["from_document"] = True
            return self._take(state, shared_view(state.given))
        doc = convert_shared(state.input_path, state.filename, state.settings, progress)
        if key is not None:
            data = doc.to_json(indent=None).encode("utf-8")
            if state.records is not None and Path(key) == state.records.path(
                "convert", state.records.keys.convert
            ):
                state.records.save_bytes("convert", state.records.keys.convert, data)
            else:
                write_atomic(Path(key), data)
        return self._take(state, doc)

    @staticmethod
    def _take(state: JobState, doc: Document) -> dict[str, Any]:
        state.source = doc
        state.result.warnings += [
            {"stage": "convert", **issue.model_dump(exclude_none=True)} for issue in doc.issues
        ]
        lost = [issue for issue in doc.issues if issue.code in PART_LOST_CODES]
        if lost:  # a placeholder stands for a lost part: the outputs are incomplete, the job is partial
            details = {"parts": len(lost), "codes": sorted({issue.code for issue in lost})}
            state.result.errors.append({"stage": "convert", **InputPartsLost(details=details).to_dict()})
        state.report["input"].update(
            media_type=doc.source.media_type,
            sha256=doc.source.sha256,
            pages=doc.source.pages,
            converter=doc.source.converter,
            lang=doc.lang,
            title=for_job(doc, state.filename).title,
        )
        return {"blocks": len(doc.blocks), "issues": len(doc.issues)}


# -- analyse -----------------------------------------------------------------------------------


def analyse_source(
    doc: Document, quality_checks: bool, progress: ProgressFn | None = None
) -> tuple[Any, Any]:
    """The analyse stage's work: the source's readability and, with the quality checks, its
    easy-to-read rule hits (``None`` without). The teacher's preview calls it too."""
    from inclusio.analysis.easy_read_rules import check_rules
    from inclusio.analysis.readability import score_document

    before = score_document(doc)
    rules = None
    if quality_checks:
        if progress is not None:
            progress(0.3, "easy-to-read rules (source)")
        rules = check_rules(doc)
    return before, rules


class AnalyseStage(Stage):
    """Readability of the source and, with the quality checks, its easy-to-read rule hits."""

    name = progress_stage = "analyse"
    inputs = ("source",)
    outputs = ("rules_source", "report.readability")

    def applies(self, state: JobState) -> bool:
        return not state.in_child

    def key(self, state: JobState) -> str | None:
        return state.records.keys.analyse if state.records is not None else None

    def reuse(self, state: JobState, key: str) -> dict[str, Any] | None:
        from inclusio.analysis.readability import DocumentReadability

        assert state.records is not None
        analysed = state.records.load("analyse", key)
        if analysed is None:
            return None
        before = DocumentReadability.model_validate(analysed["readability_before"])
        if analysed.get("rules_source") is not None:
            from inclusio.analysis.easy_read_rules import RuleReport

            state.rules_source = RuleReport.model_validate(analysed["rules_source"])
        state.report["readability"] = {"before": before.model_dump()}
        return {}

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        assert state.source is not None
        before, state.rules_source = analyse_source(state.source, state.settings.quality_checks, progress)
        if key is not None and state.records is not None:
            rules = state.rules_source
            state.records.save(
                "analyse",
                key,
                {
                    "readability_before": before.model_dump(mode="json"),
                    "rules_source": rules.model_dump(mode="json") if rules is not None else None,
                },
            )
        state.report["readability"] = {"before": before.model_dump()}
        return {}


# -- adapt -------------------------------------------------------------------------------------


def adapt_source(
    doc: Document, profile: Profile, settings: Settings, progress: ProgressFn | None = None
) -> Any:
    """The adapt stage's work: every pass ``profile`` asks for, each answer verified
    (:mod:`inclusio.analysis.verify`), offline rules or the configured model. Returns the engine's
    ``AdaptResult`` (document, stats, warnings). The teacher's preview and the review's "regenerate
    one block" call it too."""
    from inclusio.adapt.engine import adapt_document

    return adapt_document(doc, profile, settings, on_progress=progress)


class AdaptStage(Stage):
    """The adaptation passes (each verified as it goes, see :mod:`inclusio.adapt.engine`): the adapted
    Document, recorded as shared content; the job's name and title go on after it, for its outputs alone."""

    name = progress_stage = "adapt"
    inputs = ("source", "profile", "settings")
    outputs = ("adapted", "adapted_sha", "document", "view", "report.readability.after", "report.llm_tokens")

    def applies(self, state: JobState) -> bool:
        return not state.in_child

    def key(self, state: JobState) -> str | None:
        return state.records.keys.adapt if state.records is not None else None

    def reuse(self, state: JobState, key: str) -> dict[str, Any] | None:
        assert state.records is not None
        record = state.records.load("adapt", key)
        if record is None:
            return None
        data = state.records.load_bytes("adapted", key, str(record.get("document_sha256")))
        if data is None:
            return None
        try:
            doc = Document.from_json(data)
        except Exception as exc:  # noqa: BLE001 - a record of another schema version: adapt again
            log.warning("adapted Document in %s unreadable (%s); adapting again", state.records.folder, exc)
            return None
        state.adapted_sha = str(record["document_sha256"])
        return self._take(state, doc, record)

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        from inclusio.analysis.readability import score_document
        from inclusio.llm.accounting import tokens_used

        assert state.source is not None
        profile = state.profile
        adapted = adapt_source(state.source, profile, state.settings, progress)
        stats: dict[str, Any] = dict(adapted.stats)
        after = score_document(adapted_document(adapted.document, profile.adaptation_kinds))
        record = {
            "stats": stats,
            "warnings": list(adapted.warnings),
            "readability_after": after.model_dump(),
            "llm_tokens": tokens_used(stats.get("llm")),
        }
        if key is not None and state.records is not None:
            adapted_json = adapted.document.to_json(indent=None).encode("utf-8")
            state.adapted_sha = state.records.save_bytes("adapted", key, adapted_json)
            state.records.save("adapt", key, {**record, "document_sha256": state.adapted_sha})
        return self._take(state, adapted.document, record)

    @staticmethod
    def _take(state: JobState, doc: Document, record: dict[str, Any]) -> dict[str, Any]:
        take_adapted(state, doc)
        state.result.warnings += record["warnings"]
        state.result.llm_tokens = int(record["llm_tokens"])
        state.report["readability"]["after"] = record["readability_after"]
        state.report["llm_tokens"] = state.result.llm_tokens
        return dict(record["stats"])


def take_adapted(state: JobState, doc: Document) -> None:
    """The adapted Document on ``state``: shared, with the job's name and title, and the reader's view."""
    state.adapted = doc
    state.document = state.result.document = for_job(doc, state.filename)
    state.view = adapted_document(
        state.document, state.profile.adaptation_kinds, state.profile.parallel_kinds
    )


# -- verify ------------------------------------------------------------------------------------


def verify_adapted(
    doc: Document, profile: Profile, rules_source: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The verify stage's work: easy-to-read rules on what the reader gets, and the faithfulness of every
    adaptation. Returns the report sections and the warnings.

    A block whose adaptation lost a number, a date, a name or a glossary term is not an error: it is
    flagged for the reviewer (warning ``adapt.facts_missing``), since drafts are reviewed anyway.
    """
    from inclusio.analysis.easy_read_rules import check_rules
    from inclusio.analysis.faithfulness import check_faithfulness
    from inclusio.analysis.images import count_images

    rules_adapted = check_rules(doc, adaptation_kinds=profile.adaptation_kinds)
    faith = check_faithfulness(doc)
    checks = {
        "easy_read_rules": {"source": rules_source.model_dump(), "adapted": rules_adapted.model_dump()},
        "faithfulness": faith.model_dump(),
        "checks_summary": {
            "rules_source": rules_source.summary.model_dump(),
            "rules_adapted": rules_adapted.summary.model_dump(),
            "faithfulness": faith.summary.model_dump(),
            # the audit's, the writers' and the summary's count of images (analysis.images)
            "images": count_images(doc).summary(),
        },
    }
    warnings: list[dict[str, Any]] = []
    for block in faith.blocks:
        if block.needs_review:
            missing = ", ".join(item.text for item in block.missing[:5])
            fields = {"kind": block.adaptation_kind, "block": block.block_id, "missing": missing}
            warnings.append(
                {
                    "stage": "adapt",
                    "code": "adapt.facts_missing",
                    "block_id": block.block_id,
                    "message": warning_text("adapt.facts_missing", "en", **fields),
                    "message_fr": warning_text("adapt.facts_missing", "fr", **fields),
                }
            )
    return checks, warnings


def verify_key(records: StageRecords, adapted_sha: str) -> str:
    """The key of the verify stage's record: the adapt stage's key and the adapted Document's sha256."""
    return digest("verify", records.keys.adapt, adapted_sha)


def review_section(doc: Document, accepted: dict[str, Any] | None) -> dict[str, Any]:
    """The report's ``review``: every flag per block and glossary entry, the summary, a confirmed release."""
    from inclusio.model.flags import flags_report

    section = flags_report(doc)
    if accepted is not None:
        confirmed = {key: accepted.get(key) for key in ("by", "at", "flagged_blocks")}
        section["release_confirmed"] = {**confirmed, "glossary_terms": accepted.get("glossary_terms", 0)}
    return section


class VerifyStage(Stage):
    """The quality checks of the adapted Document (rules and faithfulness, when ``quality_checks`` is on)
    and the report's ``review`` section. Reported within the adapt entry (its warnings say ``adapt``);
    recorded under the adapted Document's sha256."""

    name = "verify"
    progress_stage = report_as = "adapt"
    inputs = ("adapted", "adapted_sha", "rules_source", "document", "accepted_unreviewed")
    outputs = (
        "report.easy_read_rules",
        "report.faithfulness",
        "report.checks_summary",
        "report.review",
        "report.passages",
    )

    def applies(self, state: JobState) -> bool:
        return not state.in_child

    def key(self, state: JobState) -> str | None:
        if state.records is None or state.adapted_sha is None or state.rules_source is None:
            return None
        return verify_key(state.records, state.adapted_sha)

    def reuse(self, state: JobState, key: str) -> dict[str, Any] | None:
        assert state.records is not None
        record = state.records.load("verify", key)
        if record is None:
            return None
        return self._take(state, record["checks"], record["warnings"])

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        warnings: list[dict[str, Any]] = []
        if state.rules_source is not None:
            assert state.adapted is not None
            checks, warnings = verify_adapted(state.adapted, state.profile, state.rules_source)
            if key is not None and state.records is not None:
                state.records.save("verify", key, {"checks": checks, "warnings": warnings})
        return self._take(state, checks, warnings)

    @staticmethod
    def _take(state: JobState, checks: dict[str, Any], warnings: list[dict[str, Any]]) -> dict[str, Any]:
        assert state.document is not None
        state.result.warnings += warnings
        state.report.update(checks)
        state.report["review"] = review_section(state.document, state.accepted_unreviewed)
        # What the student's copy holds that a machine wrote, and how much of it a person reviewed (the job
        # row keeps it for the job page's and the reader's status: inclusio.web.status).
        profile = state.profile
        state.report["passages"] = machine_passages(
            state.document, profile.adaptation_kinds, profile.parallel_kinds
        )
        return {}


# -- speech ------------------------------------------------------------------------------------


def render_context(state: JobState, progress: ProgressFn) -> RenderContext:
    """What a writer (or the speech stage, which works for the audio writers) is given."""
    assert state.document is not None
    return RenderContext(
        out_dir=state.out_dir,
        basename=state.basename,
        profile=state.profile,
        settings=state.settings,
        source=state.document,
        progress=progress,
        input_path=state.input_path,
        release_confirmed=state.accepted_unreviewed is not None,
    )


def wants_speech(profile: Profile, outputs: list[str]) -> bool:
    """Whether a job with these outputs says something: the audio version, or an EPUB that reads along."""
    from inclusio.writers.epub3 import wants_read_along

    return "mp3" in outputs or ("epub" in outputs and wants_read_along(profile))


class SpeechStage(Stage):
    """Every section the job's audio says, synthesised and encoded once, several at a time
    (``settings.speech_workers``), into the job's speech store (:mod:`inclusio.writers.speech_audio`):
    the audio version's sections and, for an EPUB that reads along without the profile reading page
    numbers, the page announcements. The writers then take them from the store (a re-run, or a shared
    ``speech_cache_dir``, finds them there: 0 engine calls). A failure here is left to the writers,
    which meet it again and report it as theirs (the MP3 fails, the EPUB goes without read-along)."""

    name = "speech"
    progress_stage = "render"
    inputs = ("view", "document")
    outputs = ("report.stages",)
    on_error = "partial"
    SHARE: ClassVar[float] = 0.6
    """Of the render bar: synthesis and encoding are most of a job with audio."""

    def applies(self, state: JobState) -> bool:
        return wants_speech(state.profile, state.wanted)

    def span(self) -> tuple[float, float]:
        return 0.0, self.SHARE

    def announce(self) -> str | None:
        return "synthesising speech"

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        from inclusio.errors import InclusioError
        from inclusio.writers.epub3 import wants_read_along
        from inclusio.writers.media_overlay import page_announcements
        from inclusio.writers.speech_audio import job_store
        from inclusio.writers.speech_text import speech_sections

        view, profile = state.view, state.profile
        assert view is not None
        sections = (
            [section.units for section in speech_sections(view, profile)] if "mp3" in state.wanted else []
        )
        if "epub" in state.wanted and wants_read_along(profile):
            if not sections:
                sections = [section.units for section in speech_sections(view, profile)]
            if not profile.speech.read_page_numbers and (pages := page_announcements(view, profile)):
                sections.append(pages)
        store = job_store(render_context(state, progress), view.lang)
        try:
            made = store.make_all(sections, progress)
        except InclusioError as exc:
            return {"sections": len(sections), "left_to_writers": exc.code}
        return {
            "sections": len(sections),
            "engine_calls": store.calls,
            "audio_s": round(sum(audio.duration_s for audio in made), 1),
        }


# -- render ------------------------------------------------------------------------------------


class RenderStage(Stage):
    """One writer: the reader's view -> its files. A failed writer makes the job partial; a full disk stops it."""

    progress_stage = "render"
    inputs = ("view", "adapted_sha")
    outputs = ("result.artifacts",)
    on_error = "partial"

    def __init__(self, output: str, index: int, count: int, start: float = 0.0) -> None:
        self.output = output
        self.index = index
        self.count = count
        self.start = start

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"render.{self.output}"

    def span(self) -> tuple[float, float]:
        share = (1.0 - self.start) / max(1, self.count)
        return self.start + self.index * share, share

    def announce(self) -> str | None:
        return f"writing {self.output}"

    def reused_message(self) -> str:
        return f"{self.output}: reused"

    def key(self, state: JobState) -> str | None:
        if state.records is None or state.adapted_sha is None:
            return None
        # The outputs show the job's file name (title, source): it is part of what is rendered.
        key = state.records.keys.render(self.output, digest(state.adapted_sha, state.filename))
        state.render_keys[self.output] = key
        return key

    def reuse(self, state: JobState, key: str) -> dict[str, Any] | None:
        assert state.records is not None
        kept = state.records.load_artifacts(self.output, key)
        if kept is None:
            return None
        self._add(state, kept)
        return {"files": len(kept)}

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        from inclusio.writers.registry import get_writer

        assert state.view is not None
        artifacts = get_writer(self.output).write(state.view, render_context(state, progress))
        self._add(state, artifacts)
        if key is not None and state.records is not None:
            state.records.save_artifacts(self.output, key, artifacts)
        return {"files": len(artifacts)}

    def _add(self, state: JobState, artifacts: list[Artifact]) -> None:
        state.result.artifacts += artifacts
        for artifact in artifacts:
            state.result.warnings += [{"stage": self.name, **w} for w in artifact.warnings]

    def disk_full(self, state: JobState, exc: BaseException) -> bool:
        full = is_disk_full(exc)
        if not full:
            try:
                full = shutil.disk_usage(state.out_dir).free < NEARLY_FULL_BYTES
            except OSError:
                full = False
        if full:  # every later output would fail too: the whole run stops
            raise DiskFull(details={"stage": self.name, "exception": type(exc).__name__}) from exc
        return False


# -- validate ----------------------------------------------------------------------------------


@dataclass
class _Beside:
    """Validation running in a thread: its key (the EPUB as rendered), its future, what it found."""

    key: str | None
    future: Future[dict[str, Any]]
    found: JobResult


class ValidateBesideStage(Stage):
    """Starts EPUBCheck and Ace on the finished EPUB in a thread, right after it is written, so that
    they run beside the renders that follow (the audio version, HTML, braille...) instead of after
    them; the validate stage waits for them and records their result as usual. Both tools are
    separate processes (Java, Node), so they use the other core while this one renders."""

    name = "validate.start"
    progress_stage = "render"
    inputs = ("result.artifacts",)
    outputs = ("validation_beside",)

    def applies(self, state: JobState) -> bool:
        return ValidateStage().applies(state)

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        key = ValidateStage().key(state)
        if key is not None and state.records is not None and state.records.load("validate", key) is not None:
            return {"started": False}  # recorded: the validate stage takes the record back
        epub = state.result.artifact("epub")
        assert epub is not None
        found = JobResult(status="succeeded")
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate")
        future = pool.submit(_validation, epub.path, state.settings, found, None)
        pool.shutdown(wait=False)
        state.validation_beside = _Beside(key, future, found)
        return {"started": True}


class ValidateStage(Stage):
    """EPUBCheck and, when asked, DAISY Ace on the EPUB (Ace's conformance claim rewrites it in place)."""

    name = progress_stage = "validate"
    inputs = ("result.artifacts",)
    outputs = ("report.validation",)

    def applies(self, state: JobState) -> bool:
        return state.result.artifact("epub") is not None and state.settings.validate_epub

    def key(self, state: JobState) -> str | None:
        if state.validation_beside is not None:  # the EPUB as rendered, before Ace's claim changed it
            return state.validation_beside.key
        epub = state.result.artifact("epub")
        if state.records is None or epub is None:
            return None
        return state.records.keys.validate(file_sha256(epub.path))

    def reuse(self, state: JobState, key: str) -> dict[str, Any] | None:
        assert state.records is not None
        validated = None if state.validation_beside is not None else state.records.load("validate", key)
        if validated is None:
            return None
        state.report["validation"] = validated["validation"]
        state.result.errors += validated["errors"]
        state.result.warnings += validated["warnings"]
        return {}

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        result, settings = state.result, state.settings
        epub = result.artifact("epub")
        assert epub is not None
        beside: _Beside | None = state.validation_beside
        if beside is not None:
            progress(0.1, "EPUBCheck, DAISY Ace (started beside the renders)")
            validation, found = beside.future.result(), beside.found
        else:
            found = JobResult(status="succeeded")
            validation = _validation(epub.path, settings, found, progress)
        result.errors += found.errors
        result.warnings += found.warnings
        state.report["validation"] = validation
        records = state.records
        if key is not None and records is not None and all(entry.get("ran") for entry in validation.values()):
            # Keyed by the EPUB as validated (a missing tool is not a result to keep).
            final_sha = file_sha256(epub.path)
            records.save(
                "validate",
                records.keys.validate(final_sha),
                {"validation": validation, "errors": found.errors, "warnings": found.warnings},
            )
            if records.keys.validate(final_sha) != key and "epub" in state.render_keys:
                records.update_artifact_sha("epub", state.render_keys["epub"], epub.path)
        return {}


def _validation(
    path: Path, settings: Settings, found: JobResult, progress: ProgressFn | None
) -> dict[str, Any]:
    """EPUBCheck, then DAISY Ace when asked, on the EPUB at ``path``; errors and warnings go to ``found``.

    Runs in the job's thread or, started by :class:`ValidateBesideStage`, in its own (``progress`` None).
    """
    epubcheck = _validate_epub(path, found)
    validation: dict[str, Any] = {"epubcheck": epubcheck}
    if settings.validate_ace:
        if progress is not None:
            progress(0.5, "DAISY Ace")
        no_errors = epubcheck.get("errors", 1) + epubcheck.get("fatals", 1) == 0
        valid = bool(epubcheck.get("ran")) and no_errors
        validation["ace"] = _validate_ace(path, settings, valid, found)
    return validation


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
            message_fr=(
                f"EPUBCheck a trouvé {check.errors + check.fatals} erreur(s) dans l'EPUB. Il peut ne "
                "pas s'ouvrir partout ; signalez ce document aux mainteneurs d'inclusio."
            ),
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
            message_fr=(
                f"DAISY Ace a trouvé {entry['violations']} violation(s) d'accessibilité dans l'EPUB ; "
                "signalez ce document aux mainteneurs d'inclusio."
            ),
            details={"messages": entry["messages"]},
        )
        result.errors.append({"stage": "validate", **failure.to_dict()})
    return entry


def job_stages(outputs: list[str]) -> list[Stage]:
    """A job's stages in order, one render stage per output asked (the report is written by the driver's
    caller, last). A new stage goes here, after the stages whose outputs it reads.

    With audio (the MP3 or an EPUB that may read along) the speech stage comes first in the render
    part and takes :attr:`SpeechStage.SHARE` of its bar. When the EPUB is not the last output, EPUBCheck
    and Ace start right after it (:class:`ValidateBesideStage`) and run beside the other renders."""
    rendered = [name for name in outputs if name != "report"]
    speech = "mp3" in rendered or "epub" in rendered
    start = SpeechStage.SHARE if speech else 0.0
    renders: list[Stage] = []
    for index, name in enumerate(rendered):
        renders.append(RenderStage(name, index, len(rendered), start))
        if name == "epub" and index < len(rendered) - 1:
            renders.append(ValidateBesideStage())
    from inclusio.pipeline.analysis_process import ChildStages

    return [
        ConvertStage(),
        ChildStages(),
        AnalyseStage(),
        AdaptStage(),
        VerifyStage(),
        *([SpeechStage()] if speech else []),
        *renders,
        ValidateStage(),
    ]
