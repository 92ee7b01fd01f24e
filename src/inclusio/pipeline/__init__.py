"""The job pipeline: :func:`run_job` composes converters, analysis, adaptation and writers."""

from __future__ import annotations

from inclusio.pipeline.job import JobResult, JobStatus, run_job

__all__ = ["JobResult", "JobStatus", "run_job"]
