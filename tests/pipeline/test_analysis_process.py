"""The spaCy stages (analyse, adapt, verify) run in a child process that ends before the renders
(issue #18: the job's process no longer holds the models while DAISY Ace and EPUBCheck run).

The child's job and the in-process job are the same job: same report (but its times), same outputs (but
the adaptations' timestamps). A child that dies fails the job with a code, and ``run_job`` returns.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from inclusio.config import Settings
from inclusio.errors import InclusioError
from inclusio.model import Document, Heading, Paragraph, SourceInfo
from inclusio.pipeline import run_job
from inclusio.pipeline.analysis_process import MIN_WORDS, document_words, use_child
from inclusio.pipeline.job import JobResult
from inclusio.pipeline.spine import JobState, Progress
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
PDF = ROOT / "samples" / "cours-photosynthese-fr.pdf"
OUTPUTS = ["json", "html", "report"]
CHILD_MODULE = "inclusio.pipeline.analysis_process"

# A fresh interpreter runs the job with the child process: its own sys.modules says what the job's
# process loaded (the test process has spaCy from other tests).
JOB_SCRIPT = """
import json, sys
from pathlib import Path
from inclusio.config import Settings
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile
pdf, out, data, profiles = map(Path, sys.argv[1:5])
outputs = sys.argv[5].split(",")
settings = Settings(data_dir=data, profiles_dir=profiles, validate_epub=False)
profile = load_profile("easy-read", profiles)
result = run_job(pdf, profile, out, settings=settings, outputs=outputs, analysis_process=True)
print(json.dumps({
    "status": result.status,
    "errors": result.errors,
    "loaded": sorted(m for m in ("spacy", "thinc", "wordfreq") if m in sys.modules),
}))
"""


def settings_for(tmp: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp / "data", "profiles_dir": PROFILES, "validate_epub": False}
    values.update(overrides)
    return Settings(**values)


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    report = json.loads(json.dumps(report, default=str))
    report.pop("created_at")
    for entry in report["stages"].values():
        entry.pop("seconds")
    return report


def without_timestamps(path: Path) -> str:
    """A Document's JSON without the adaptations' ``created_at`` (the time they were made)."""
    import re

    return re.sub(r'"created_at": ?"[^"]*"', '"created_at": ""', path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def child_job(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("child")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            JOB_SCRIPT,
            str(PDF),
            str(tmp / "out"),
            str(tmp / "data"),
            str(PROFILES),
            ",".join(OUTPUTS),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "out": tmp / "out"}


@pytest.fixture(scope="module")
def inline_job(tmp_path_factory: pytest.TempPathFactory) -> JobResult:
    tmp = tmp_path_factory.mktemp("inline")
    profile = load_profile("easy-read", PROFILES)
    return run_job(
        PDF, profile, tmp / "out", settings=settings_for(tmp), outputs=OUTPUTS, analysis_process=False
    )


@pytest.mark.slow
def test_the_jobs_process_never_loads_spacy_when_the_child_runs_the_checks(child_job: dict[str, Any]) -> None:
    assert child_job["status"] == "succeeded", child_job["errors"]
    assert child_job["loaded"] == []  # no spaCy, thinc or wordfreq in the job's process
    report = json.loads(next(child_job["out"].glob("*.report.json")).read_text())
    # ... and yet the checks ran, with spaCy's syntax (in the child).
    assert report["stages"]["analyse"]["ok"] and report["stages"]["adapt"]["ok"]
    assert report["easy_read_rules"]["source"]["syntax"] == {"fr": True}
    assert report["faithfulness"]["blocks"]
    assert report["readability"]["after"]


@pytest.mark.slow
def test_the_child_gives_the_same_report_and_outputs_as_the_jobs_own_stages(
    child_job: dict[str, Any], inline_job: JobResult
) -> None:
    assert inline_job.status == "succeeded", inline_job.errors
    child_report = json.loads(next(child_job["out"].glob("*.report.json")).read_text())
    assert comparable(child_report) == comparable(inline_job.report)
    assert list(child_report) == list(inline_job.report)  # the same sections in the same order
    html = inline_job.artifact("html")
    document = inline_job.artifact("json")
    assert html is not None and document is not None
    assert (child_job["out"] / html.path.name).read_bytes() == html.path.read_bytes()
    assert without_timestamps(child_job["out"] / document.path.name) == without_timestamps(document.path)


def made_document(paragraphs: int) -> Document:
    text = (
        "La photosynthèse transforme la lumière en énergie chimique. Elle a lieu dans les chloroplastes, "
        "qui contiennent la chlorophylle, et elle produit du dioxygène."
    )
    return Document(
        title="Photosynthèse",
        lang="fr",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[
            Heading(id="h1", level=1, text="La photosynthèse"),
            *(Paragraph(id=f"b{i}", text=text) for i in range(paragraphs)),
        ],
    )


def analysis_children() -> list[int]:
    """The pids of this process's analysis children (started by whichever thread)."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids = (task / "children").read_text().split()
        except OSError:
            continue
        for pid in pids:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if CHILD_MODULE.encode() in cmdline:
                found.append(int(pid))
    return found


def test_a_dead_child_fails_the_job_with_a_code_and_run_job_returns(tmp_path: Path) -> None:
    killed: list[int] = []

    def on_progress(stage: str, overall: float, message: str) -> None:
        # The first event the child sends: kill it as the kernel's OOM killer would.
        if stage == "analyse" and not killed:
            for pid in analysis_children():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    started = time.monotonic()
    result = run_job(
        PDF,
        load_profile("easy-read", PROFILES),
        tmp_path / "out",
        settings=settings_for(tmp_path),
        outputs=OUTPUTS,
        document=made_document(3),
        analysis_process=True,
        on_progress=on_progress,
    )
    assert killed, "no analysis child was seen"
    assert time.monotonic() - started < 120
    assert result.status == "failed"
    [error] = result.errors
    assert error["code"] == "job.analysis_process_lost"
    assert error["stage"] == "analyse"
    assert error["details"] == {"stage": "analyse", "signal": signal.SIGKILL}
    assert "Soumettez de nouveau" in error["message_fr"]
    assert result.report["stages"]["analyse"]["ok"] is False
    report = json.loads(next((tmp_path / "out").glob("*.report.json")).read_text())
    assert report["status"] == "failed"
    assert not analysis_children()  # nothing left running


def test_an_exception_in_the_child_is_raised_again_with_a_code(tmp_path: Path) -> None:
    # The stage records' folder is a file: the analyse stage cannot record its result. In the job's own
    # process the OSError propagates; from the child it comes back coded (not as a lost process). The
    # quality checks are off: the analyse stage fails before anything loads spaCy, the test stays fast.
    out = tmp_path / "out"
    out.mkdir()
    (out / ".stages").write_text("not a folder")
    args = (PDF, load_profile("easy-read", PROFILES), out)
    with pytest.raises(InclusioError) as raised:
        run_job(
            *args,
            settings=settings_for(tmp_path, quality_checks=False),
            outputs=["json"],
            document=made_document(2),
            analysis_process=True,
        )
    assert raised.value.code == "internal.error"
    assert raised.value.details["exception"] in ("NotADirectoryError", "FileExistsError")
    with pytest.raises(OSError):
        run_job(
            *args,
            settings=settings_for(tmp_path, quality_checks=False),
            outputs=["json"],
            document=made_document(2),
            analysis_process=False,
        )


def state_for(tmp_path: Path, doc: Document, wanted: list[str], **settings: Any) -> JobState:
    return JobState(
        input_path=PDF,
        profile=load_profile("easy-read", PROFILES),
        out_dir=tmp_path,
        settings=settings_for(tmp_path, **settings),
        wanted=wanted,
        filename="cours.pdf",
        basename="cours",
        progress=Progress(None),
        result=JobResult(status="succeeded"),
        report={},
        records=None,
        source=doc,
    )


def test_by_default_only_a_large_document_checked_by_ace_has_a_child(tmp_path: Path) -> None:
    large, small = made_document(MIN_WORDS // 20), made_document(10)
    assert document_words(large) >= MIN_WORDS > document_words(small)
    ace = {"validate_epub": True, "validate_ace": True}
    assert use_child(state_for(tmp_path, large, ["epub", "report"], **ace))
    assert not use_child(state_for(tmp_path, small, ["epub", "report"], **ace))
    assert not use_child(state_for(tmp_path, large, ["html", "mp3"], **ace))  # no EPUB: no Ace
    assert not use_child(state_for(tmp_path, large, ["epub"], validate_epub=True, validate_ace=False))
    forced = state_for(tmp_path, small, ["html"])
    forced.analysis_process = True
    assert use_child(forced)


def job_in_pool_process(out: str) -> dict[str, Any]:
    # A profile that keeps the original text and no quality checks: the child loads no model (fast).
    result = run_job(
        PDF,
        load_profile("dyslexia", PROFILES),
        Path(out),
        settings=settings_for(Path(out).parent, quality_checks=False),
        outputs=["json", "report"],
        document=made_document(3),
        analysis_process=True,
    )
    return {
        "status": result.status,
        "errors": result.errors,
        "stages": list(result.report["stages"]),
        "pid": os.getpid(),
    }


POOL_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import test_analysis_process as here
from billiard import Pool
with Pool(1) as pool:
    done = pool.apply(here.job_in_pool_process, (sys.argv[2],))
done["parent"] = __import__("os").getpid()
print(json.dumps(done))
"""


def test_a_job_in_a_celery_prefork_pool_process_runs_its_child(tmp_path: Path) -> None:
    # billiard is the pool Celery's prefork workers run jobs in (daemonic processes, forked). The pool is made
    # in a fresh interpreter, as a worker makes it before its threads start: forked from this test process
    # (pytest-xdist's, with the threads earlier tests left), the pool process hung once in a full run.
    answer = subprocess.run(
        [sys.executable, "-c", POOL_SCRIPT, str(Path(__file__).parent), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    done = json.loads(answer.stdout.strip().splitlines()[-1])
    assert done["pid"] != done["parent"]
    assert done["status"] == "succeeded", done["errors"]
    assert done["stages"][:3] == ["convert", "analyse", "adapt"]
