"""The job pipeline: :func:`run_job` composes converters, analysis, adaptation and writers.

``run_job`` is imported lazily: converters and writers import :mod:`inclusio.pipeline.progress`,
and an eager import of :mod:`inclusio.pipeline.job` here would import them back in a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inclusio.pipeline.job import JobResult, JobStatus, run_job

__all__ = ["JobResult", "JobStatus", "run_job"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from inclusio.pipeline import job

        return getattr(job, name)
    raise AttributeError(f"module 'inclusio.pipeline' has no attribute {name!r}")
