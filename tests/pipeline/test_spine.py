"""The job's stage list (pipeline/spine.py): its order, and each stage reading only what is there before it.

What the stages do is tested through ``run_job`` (test_run_job.py, test_stage_reuse.py); this checks the
declarations the driver and a new stage's author rely on.
"""

from __future__ import annotations

import dataclasses

import pytest

from inclusio.pipeline.spine import JobState, RenderStage, SpeechStage, job_stages

JOB_ARGUMENTS = {
    "input_path",
    "profile",
    "out_dir",
    "settings",
    "given",
    "document_cache",
    "accepted_unreviewed",
    "analysis_process",
}


def test_the_stages_come_in_the_spine_order_with_one_render_stage_per_output() -> None:
    stages = job_stages(["html", "report", "epub", "mp3"])
    assert [s.name for s in stages] == [
        "convert",
        "analysis_process",
        "analyse",
        "adapt",
        "verify",
        "speech",
        "render.html",
        "render.epub",
        "validate.start",
        "render.mp3",
        "validate",
    ]
    renders = [s for s in stages if isinstance(s, RenderStage)]
    # the speech (made once for the EPUB's read-along and the MP3) takes the first part of the render
    # bar; the three writers share the rest, in thirds, in order
    share = SpeechStage.SHARE
    assert stages[5].span() == (0.0, share)
    third = (1 - share) / 3
    assert [s.span() for s in renders] == [pytest.approx((share + i * third, third)) for i in range(3)]
    assert [s.name for s in job_stages(["report"])] == [
        "convert",
        "analysis_process",
        "analyse",
        "adapt",
        "verify",
        "validate",
    ]
    # without audio (no MP3, no EPUB that may read along), no speech stage: the writers share the whole bar
    stages = job_stages(["html", "json"])
    assert [s.name for s in stages][5:] == ["render.html", "render.json", "validate"]
    assert [s.span() for s in stages if isinstance(s, RenderStage)] == [(0.0, 0.5), (0.5, 0.5)]
    # EPUBCheck starts beside the renders only when one follows the EPUB
    assert [s.name for s in job_stages(["html", "epub"])][5:] == [
        "speech",
        "render.html",
        "render.epub",
        "validate",
    ]


def test_each_stage_reads_only_what_the_job_or_an_earlier_stage_gives() -> None:
    fields = {f.name for f in dataclasses.fields(JobState)}
    available = set(JOB_ARGUMENTS)
    for stage in job_stages(["epub", "html", "json", "report"]):
        missing = [name for name in stage.inputs if name not in available]
        assert not missing, f"{stage.name} reads {missing} before any stage writes it"
        for name in stage.outputs:
            root = name.split(".")[0]
            assert root in ("report", "result") or name in fields, (
                f"{stage.name} writes {name}: no JobState field"
            )
        available |= set(stage.outputs)
        assert stage.progress_stage in ("convert", "analyse", "adapt", "render", "validate"), stage.name


def test_a_stage_reported_under_another_comes_after_it() -> None:
    names: list[str] = []
    for stage in job_stages(["html"]):
        if stage.report_as is not None:
            assert stage.report_as in names, (
                f"{stage.name} reports under {stage.report_as}, which has not run"
            )
        names.append(stage.name)
