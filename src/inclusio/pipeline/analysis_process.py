"""The stages that use spaCy (analyse, adapt, verify) in a child process that ends before the renders.

Why: the job's process would otherwise keep spaCy's French model, wordfreq's lists and the parses'
memory (~300 MiB on the 265-page manual) for the rest of the job, while DAISY Ace's Chromium and
EPUBCheck's JVM run beside the renders (issue #18: the whole tree at most 1 GiB; docs/performance.md).
A process that ends gives all of it back to the system, which ``del`` and ``malloc_trim`` do not.

How: :class:`ChildStages` (a stage of the ``analyse`` part, before :class:`AnalyseStage`) starts
``python -m inclusio.pipeline.analysis_process`` (a fresh interpreter, never a fork: the job's process
may hold threads, a Celery worker's heartbeat or the CLI's progress bar, whose locks a forked child
would inherit held). The request goes on the child's standard input as JSON (the settings with their
secrets, so nothing secret is written to disk): the profile, the stage keys and the converted Document's
file. The child runs the very same stages (:func:`~inclusio.pipeline.spine.drive` over the analyse and
adapt parts), records them as the job's process would (``.stages/``), sends its progress as JSON lines on
a pipe, and writes a hand-back file: the report's sections, the warnings, the tokens, the reused stages
and the adapted Document. The parent takes them as if it had run the stages itself: the report and the
outputs are the same.

When: :func:`use_child` (``run_job(analysis_process=...)``; by default only when it pays: DAISY Ace
will run on an EPUB, and the document has :data:`MIN_WORDS` words or more; a small document's job
keeps its in-process stages and the spaCy model a Celery worker preloaded). A child costs a Python
start and spaCy's load (2-10 s by the machine's load), against minutes for the jobs it is for.

Failures: an exception in the child is handed back with its code and raised again in the parent (as
the stage would have raised in-process; a full disk stays ``system.disk_full``). A child that dies
(killed, out of memory, a crash in a C library) fails the job with ``job.analysis_process_lost``;
the job's process, and a Celery worker's, go on. A child whose parent died stops by itself.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, ClassVar, Literal

from inclusio.errors import AnalysisProcessLost, InclusioError, as_inclusio_error, error_class_for
from inclusio.model import Document
from inclusio.pipeline.spine import (
    AdaptStage,
    AnalyseStage,
    JobResult,
    JobState,
    Progress,
    Stage,
    VerifyStage,
    drive,
    take_adapted,
    verify_key,
)
from inclusio.pipeline.stages import StageKeys, StageRecords
from inclusio.profiles import Profile
from inclusio.progress import ProgressFn

MIN_WORDS = 20_000
"""Below this many words the job keeps its spaCy stages in its own process: the tree stays under 1 GiB with
Ace beside it (the manual's first 60 pages, ~44,000 words, peaked at 996 MiB without the child), and a
child's start would cost more than the job saves (about 45 pages of the manual, 50-70 of a course)."""
PARTS = ("analyse", "adapt")
"""The parts of the job the child runs (its stages: analyse, adapt, verify)."""
PARENT_POLL_S = 0.5

log = logging.getLogger(__name__)


def document_words(doc: Document) -> int:
    return sum(len(block.plain_text().split()) for block in doc.blocks)


def use_child(state: JobState) -> bool:
    """Whether this job runs its spaCy stages in a child process (see the module's doc)."""
    if state.analysis_process is not None:
        return state.analysis_process
    settings = state.settings
    ace_beside = "epub" in state.wanted and settings.validate_epub and settings.validate_ace
    if not ace_beside or state.source is None or document_words(state.source) < MIN_WORDS:
        return False
    return not _all_recorded(state)  # a re-run takes the records back without spaCy: no child to start


def _all_recorded(state: JobState) -> bool:
    """Whether the analyse, adapt and verify stages all have a record to take back."""
    records = state.records
    if records is None or records.load("analyse", records.keys.analyse) is None:
        return False
    adapt = records.load("adapt", records.keys.adapt)
    if adapt is None or not records.path("adapted", records.keys.adapt).is_file():
        return False
    if not state.settings.quality_checks:
        return True
    return records.load("verify", verify_key(records, str(adapt.get("document_sha256")))) is not None


class ChildStages(Stage):
    """Analyse, adapt and verify run by a child process (the module's doc). It writes no report entry of
    its own: the child's stages write theirs, handed back. A dead child fails the job (coded); an
    exception the child handed back is raised again, as the stage would have raised in-process."""

    progress_stage = "analyse"
    inputs = ("source", "profile", "settings", "accepted_unreviewed", "analysis_process")
    outputs = (
        "in_child",
        *AdaptStage.outputs,
        *(name for name in (*AnalyseStage.outputs, *VerifyStage.outputs) if name.startswith("report.")),
    )
    writes_own_entries: ClassVar[bool] = True

    def __init__(self) -> None:
        self.current = "analysis_process"
        self.raised = False

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.current  # while it runs, the child's stage: a dead child is reported under it

    @property
    def on_error(self) -> Literal["raise", "fail", "partial"]:  # type: ignore[override]
        return "raise" if self.raised else "fail"

    def applies(self, state: JobState) -> bool:
        return use_child(state)

    def run(self, state: JobState, key: str | None, progress: ProgressFn) -> dict[str, Any]:
        assert state.source is not None
        self.current = "analyse"
        with tempfile.TemporaryDirectory(prefix="inclusio-analysis-") as tmp:
            folder = Path(tmp)
            (folder / "source.json").write_bytes(state.source.to_json(indent=None).encode("utf-8"))
            returncode = self._run_child(state, folder)
            handback = folder / "handback.json"
            if not handback.is_file():
                raise AnalysisProcessLost(details={"stage": self.current, **_ended(returncode)})
            back = json.loads(handback.read_bytes())
            if back.get("error") is not None:
                self.raised = True
                error = back["error"]
                cls = error_class_for(error["code"])
                raise cls(error["message"], message_fr=error.get("message_fr"), details=error.get("details"))
            adapted = Document.from_json((folder / "adapted.json").read_bytes())
        _take_back(state, back, adapted)
        state.in_child = True
        return {}

    def _run_child(self, state: JobState, folder: Path) -> int:
        """Start the child, relay its progress until it ends, return its exit status."""
        read_end, write_end = os.pipe()
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "inclusio.pipeline.analysis_process", str(write_end)],
                stdin=subprocess.PIPE,
                pass_fds=(write_end,),
                env=_child_env(),
            )
        finally:
            os.close(write_end)  # the child's copy alone keeps it open: its end is our EOF
        try:
            with os.fdopen(read_end, "rb") as events:
                assert child.stdin is not None
                try:
                    child.stdin.write(json.dumps(_request(state, folder), default=str).encode("utf-8"))
                    child.stdin.close()
                except BrokenPipeError:
                    # it died before reading its request: no event will come, and the exit status read
                    # below (a signal or a status) is what the job's error reports
                    log.warning("the analysis process ended before reading its request")
                for line in events:
                    stage, overall, message = json.loads(line)
                    self.current = stage
                    state.progress.relay(stage, overall, message)
            return child.wait()
        finally:
            if child.poll() is None:  # the parent stopped waiting (a time limit, Ctrl-C): no orphan
                child.kill()
                child.wait()


def _ended(returncode: int) -> dict[str, Any]:
    return {"signal": -returncode} if returncode < 0 else {"exit_status": returncode}


def _child_env() -> dict[str, str]:
    """This environment, with the package's own folder first on the path: the child runs this code."""
    import inclusio

    env = dict(os.environ)
    root = str(Path(inclusio.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def _settings_values(settings: Any) -> dict[str, Any]:
    """Every setting as JSON, secrets in clear (they go through a pipe, never to disk)."""
    dumped = settings.model_dump(mode="json")
    for name in type(settings).model_fields:
        raw = getattr(settings, name)
        if hasattr(raw, "get_secret_value"):
            dumped[name] = raw.get_secret_value()
    return dumped


def _request(state: JobState, folder: Path) -> dict[str, Any]:
    records = state.records
    return {
        "folder": str(folder),
        "settings": _settings_values(state.settings),
        "profile": state.profile.model_dump(mode="json"),
        "keys": records.keys.to_json() if records is not None else None,
        "input_path": str(state.input_path),
        "out_dir": str(state.out_dir),
        "wanted": state.wanted,
        "filename": state.filename,
        "basename": state.basename,
        "report": state.report,
        "accepted_unreviewed": state.accepted_unreviewed,
    }


def _take_back(state: JobState, back: dict[str, Any], adapted: Document) -> None:
    """Put what the child's stages made on the parent's state, as the stages themselves would have."""
    report = state.report
    for key, value in back["report"].items():
        if key == "stages":
            report["stages"].update({name: entry for name, entry in value.items() if name != "convert"})
        elif key not in ("reused", "input"):
            report[key] = value
    state.result.warnings += back["warnings"]
    state.result.errors += back["errors"]
    state.result.reused += back["reused"]
    state.result.llm_tokens = int(back["llm_tokens"])
    state.adapted_sha = back["adapted_sha"]
    take_adapted(state, adapted)


# -- the child ------------------------------------------------------------------------------------------


def _watch_parent() -> None:
    """End this process if the job's process dies (killed worker): nobody would read its results."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def child_main(progress_fd: int) -> int:
    """The child: read the request on stdin, run the stages, write the hand-back file."""
    from inclusio.config import Settings

    _watch_parent()
    request = json.loads(sys.stdin.buffer.read())
    folder = Path(request["folder"])
    events = os.fdopen(progress_fd, "w", buffering=1, encoding="utf-8")

    def send(stage: str, overall: float, message: str) -> None:
        events.write(json.dumps([stage, overall, message]) + "\n")

    settings = Settings.model_validate(request["settings"])
    out_dir = Path(request["out_dir"])
    keys = request["keys"]
    state = JobState(
        input_path=Path(request["input_path"]),
        profile=Profile.model_validate(request["profile"]),
        out_dir=out_dir,
        settings=settings,
        wanted=request["wanted"],
        filename=request["filename"],
        basename=request["basename"],
        progress=Progress(send),
        result=JobResult(status="succeeded"),
        report=request["report"],
        records=StageRecords(out_dir, StageKeys.from_json(keys)) if keys is not None else None,
        accepted_unreviewed=request["accepted_unreviewed"],
        source=Document.from_json((folder / "source.json").read_bytes()),
        analysis_process=False,
    )
    state.report["reused"] = state.result.reused
    back: dict[str, Any]
    try:
        drive(state, [AnalyseStage(), AdaptStage(), VerifyStage()], parts=PARTS)
        assert state.adapted is not None
        (folder / "adapted.json").write_bytes(state.adapted.to_json(indent=None).encode("utf-8"))
        back = {
            "report": state.report,
            "warnings": state.result.warnings,
            "errors": state.result.errors,
            "reused": state.result.reused,
            "llm_tokens": state.result.llm_tokens,
            "adapted_sha": state.adapted_sha,
        }
    except Exception as exc:  # noqa: BLE001 - handed back with its code, raised again by the parent
        error: InclusioError = as_inclusio_error(exc)
        back = {"error": error.to_dict()}
    events.close()
    # The report is written by the parent with ``default=str``: the same conversion here keeps it equal.
    data = json.dumps(back, ensure_ascii=False, default=str).encode("utf-8")
    tmp = folder / "handback.json.part"
    tmp.write_bytes(data)
    tmp.replace(folder / "handback.json")
    return 0 if back.get("error") is None else 1


if __name__ == "__main__":
    sys.exit(child_main(int(sys.argv[1])))
