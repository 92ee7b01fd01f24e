"""Progress reporting: one callable type shared by the CLI (Rich bars), the worker (job row) and tests."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[float, str], None]
"""Called with the fraction done *within the current stage* (0.0 to 1.0) and a short message."""


def no_progress(fraction: float, message: str) -> None:
    """A :data:`ProgressFn` that ignores everything."""


STAGES: tuple[str, ...] = ("convert", "analyse", "adapt", "render", "validate", "report")
"""The job's stages, in order. ``render`` covers every writer the profile asks for."""
