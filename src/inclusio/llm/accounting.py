"""Token and call accounting for one job, per pass (thread-safe)."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PassStats:
    calls: int = 0
    """HTTP attempts made (a retried call counts each attempt)."""
    retries: int = 0
    failures: int = 0
    """Calls that gave up (after retries) or whose answer stayed invalid."""
    invalid_answers: int = 0
    cache_hits: int = 0
    """Blocks (or images) served from the cache, without a call."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    source_tokens: int = 0
    """Estimated tokens of the document's own text sent (to compare with ``prompt_tokens``)."""
    waited_s: float = 0.0
    """Time spent waiting for the rate limit or a ``Retry-After``."""


@dataclass
class LLMStats:
    """What a job cost, per pass. ``snapshot()`` is what the report shows."""

    passes: dict[str, PassStats] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, pass_name: str, **amounts: float) -> None:
        with self._lock:
            stats = self.passes.setdefault(pass_name, PassStats())
            for key, value in amounts.items():
                setattr(stats, key, getattr(stats, key) + value)

    def total(self, key: str) -> float:
        with self._lock:
            return sum(getattr(s, key) for s in self.passes.values())

    def snapshot(self) -> dict[str, Any]:
        """Totals and per-pass figures, JSON-ready."""
        with self._lock:
            per_pass = {name: asdict(s) for name, s in sorted(self.passes.items())}
        totals = {key: sum(p[key] for p in per_pass.values()) for key in asdict(PassStats())}
        totals["waited_s"] = round(totals["waited_s"], 3)
        for p in per_pass.values():
            p["waited_s"] = round(p["waited_s"], 3)
        return {**totals, "passes": per_pass}


def tokens_used(snapshot: dict[str, Any] | None) -> int:
    """Prompt + completion tokens of a :meth:`LLMStats.snapshot` (0 for none: the offline engine).

    These are the ``usage`` figures the model server returned for each call, so they are what the
    job is billed; an answer served from the cache made no call and counts nothing.
    """
    if not snapshot:
        return 0
    return int(snapshot.get("prompt_tokens", 0)) + int(snapshot.get("completion_tokens", 0))
