"""One job's access to a language model: limits, retries, structured answers, accounting.

:class:`LLMSession` wraps an :class:`~inclusio.llm.base.LLMClient` (one attempt per call) with:

* a **concurrency limit** (a semaphore: at most ``llm_concurrency`` calls in flight) and a
  **rate limit** (requests and tokens per minute, :class:`~inclusio.llm.limits.RateLimiter`);
* **retries** of retryable failures (429, 5xx, timeouts, refused connections) with exponential
  backoff and jitter, honouring ``Retry-After``; at most ``llm_max_attempts`` attempts and at
  most ``llm_retry_budget_s`` seconds of waiting per call: a ``Retry-After`` longer than what is
  left gives up at once rather than holding the job. The SDK's own retries are off (see
  :mod:`inclusio.llm.mistral`) so every attempt goes through the rate limit and is counted;
* a **circuit breaker**: after :data:`MAX_CONSECUTIVE_FAILURES` calls in a row gave up, the
  session stops calling (the rest of the job falls back to the offline engine at once);
* **structured answers** (:meth:`ask_json`): JSON validated by a pydantic model and by the
  pass's own check (same ids, facts kept); an invalid answer is asked again once, with the
  reason, then :class:`~inclusio.errors.LLMAnswerInvalid` is raised (the pass falls back and flags);
* **token accounting** per pass in :class:`~inclusio.llm.accounting.LLMStats`.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from inclusio.errors import LLMAnswerInvalid, LLMRejected, LLMUnavailable
from inclusio.llm.accounting import LLMStats
from inclusio.llm.base import ChatAnswer, ChatRequest, ImageInput, LLMClient, OcrAnswer
from inclusio.llm.limits import RateLimiter
from inclusio.llm.tokens import estimate_image_tokens, estimate_tokens

T = TypeVar("T", bound=BaseModel)
MAX_CONSECUTIVE_FAILURES = 3
BACKOFF_FIRST_S = 0.25
BACKOFF_MAX_S = 8.0


@dataclass(frozen=True)
class SessionLimits:
    concurrency: int = 4
    requests_per_minute: float = 120
    tokens_per_minute: float = 500_000
    timeout_s: float = 60.0
    max_attempts: int = 4
    retry_budget_s: float = 60.0

    @classmethod
    def from_settings(cls, settings: object) -> SessionLimits:
        return cls(
            concurrency=settings.llm_concurrency,  # type: ignore[attr-defined]
            requests_per_minute=settings.llm_requests_per_minute,  # type: ignore[attr-defined]
            tokens_per_minute=settings.llm_tokens_per_minute,  # type: ignore[attr-defined]
            timeout_s=settings.llm_timeout_s,  # type: ignore[attr-defined]
            max_attempts=settings.llm_max_attempts,  # type: ignore[attr-defined]
            retry_budget_s=settings.llm_retry_budget_s,
        )  # type: ignore[attr-defined]


class LLMSession:
    """Calls to one backend for one job (thread-safe: passes call it from a thread pool)."""

    def __init__(
        self,
        client: LLMClient,
        limits: SessionLimits,
        *,
        stats: LLMStats | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.limits = limits
        self.stats = stats or LLMStats()
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(limits.concurrency)
        self._rate = RateLimiter(limits.requests_per_minute, limits.tokens_per_minute, sleep=sleep)
        self._lock = threading.Lock()
        self._consecutive_failures = 0

    @property
    def engine(self) -> str:
        return self.client.name

    @property
    def circuit_open(self) -> bool:
        with self._lock:
            return self._consecutive_failures >= MAX_CONSECUTIVE_FAILURES

    # -- one call, with retries ---------------------------------------------------------------

    def _with_retries(self, pass_name: str, estimate: int, attempt_fn: Callable[[], object]) -> object:
        if self.circuit_open:
            raise LLMUnavailable(
                details={"reason": "circuit_open", "after_failures": MAX_CONSECUTIVE_FAILURES}
            )
        waited_for_retry = 0.0
        for attempt in range(1, self.limits.max_attempts + 1):
            waited = self._rate.acquire(estimate)
            if waited:
                self.stats.add(pass_name, waited_s=waited)
            try:
                with self._slots:
                    self.stats.add(pass_name, calls=1)
                    result = attempt_fn()
            except LLMUnavailable as exc:
                wait = self._backoff(attempt, exc)
                last = attempt == self.limits.max_attempts
                if last or waited_for_retry + wait > self.limits.retry_budget_s:
                    self._failed(pass_name)
                    exc.details.update(attempts=attempt)
                    raise
                self.stats.add(pass_name, retries=1, waited_s=wait)
                self._sleep(wait)
                waited_for_retry += wait
                continue
            except LLMRejected:
                self._failed(pass_name)
                raise
            with self._lock:
                self._consecutive_failures = 0
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, exc: LLMUnavailable) -> float:
        retry_after = exc.details.get("retry_after_s")
        if isinstance(retry_after, int | float) and retry_after >= 0:
            return float(retry_after)
        base = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** (attempt - 1))
        return base * random.uniform(0.5, 1.0)

    def _failed(self, pass_name: str, *, outage: bool = True) -> None:
        self.stats.add(pass_name, failures=1)
        if outage:  # only a server that does not answer opens the circuit, not a bad answer
            with self._lock:
                self._consecutive_failures += 1

    def chat(self, request: ChatRequest, *, pass_name: str, source_tokens: int = 0) -> ChatAnswer:
        """One chat completion with limits and retries. Raises ``LLMUnavailable`` / ``LLMRejected``."""
        estimate = (
            estimate_tokens(request.system)
            + estimate_tokens(request.user)
            + sum(estimate_tokens(t) for t in request.follow_up)
            + sum(estimate_image_tokens(i.data) for i in request.images)
        )
        answer = self._with_retries(
            pass_name, estimate, lambda: self.client.chat(request, timeout_s=self.limits.timeout_s)
        )
        assert isinstance(answer, ChatAnswer)
        self._rate.settle(estimate, answer.prompt_tokens)
        self.stats.add(
            pass_name,
            prompt_tokens=answer.prompt_tokens,
            completion_tokens=answer.completion_tokens,
            source_tokens=source_tokens,
        )
        return answer

    def ocr(self, image: ImageInput, *, model: str, pass_name: str) -> OcrAnswer:
        """Text of an image through the OCR endpoint, with limits and retries."""
        answer = self._with_retries(
            pass_name,
            estimate_image_tokens(image.data),
            lambda: self.client.ocr(image, model=model, timeout_s=self.limits.timeout_s),
        )
        assert isinstance(answer, OcrAnswer)
        return answer

    # -- structured answers -------------------------------------------------------------------

    def ask_json(
        self,
        request: ChatRequest,
        schema: type[T],
        *,
        pass_name: str,
        source_tokens: int = 0,
        check: Callable[[T], str | None] | None = None,
    ) -> tuple[T, ChatAnswer]:
        """The answer parsed as ``schema`` and accepted by ``check`` (which returns a reason to refuse).

        A refused answer is asked again once, telling the model what was wrong; a second refusal
        raises :class:`LLMAnswerInvalid` with both reasons.
        """
        reasons: list[str] = []
        current = request
        for _ in range(2):
            answer = self.chat(current, pass_name=pass_name, source_tokens=source_tokens)
            reason = None
            try:
                parsed = schema.model_validate(json.loads(_strip_fences(answer.text)))
            except (json.JSONDecodeError, ValidationError) as exc:
                reason = f"not the JSON asked for ({_short(exc)})"
            else:
                reason = check(parsed) if check else None
                if reason is None:
                    return parsed, answer
            reasons.append(reason)
            self.stats.add(pass_name, invalid_answers=1)
            source_tokens = 0  # the document's text is counted once, not per attempt
            current = replace(
                request,
                follow_up=(
                    answer.text[:4000],
                    f"Your answer was refused: {reason}. Answer again with the JSON asked for, for every item of DATA.",
                ),
            )
        self._failed(pass_name, outage=False)
        raise LLMAnswerInvalid(details={"reasons": reasons, "pass": pass_name})


def _strip_fences(text: str) -> str:
    """Models sometimes wrap JSON in a Markdown fence even in JSON mode."""
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]
