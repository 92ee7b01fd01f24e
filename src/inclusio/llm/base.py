"""The one interface every language-model backend implements, and the values it exchanges.

A backend (:class:`LLMClient`) makes **one attempt** per call and maps every failure to a
project error: :class:`~inclusio.errors.LLMUnavailable` (retryable: 429, 5xx, timeout, refused
connection; ``details["retry_after_s"]`` when the server said how long to wait) or
:class:`~inclusio.errors.LLMRejected` (not retryable: bad key, unknown model, invalid request).
Retries, rate limits, concurrency, the cache and token accounting live above it, in
:class:`inclusio.llm.session.LLMSession`, so every backend gets them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class ImageInput:
    """An image sent to a vision model (as a ``data:`` URL)."""

    data: bytes
    media_type: str


@dataclass(frozen=True)
class ChatRequest:
    """One chat call: a system prompt (the instructions) and a user message (the delimited data).

    Document text only ever goes into ``user``, as JSON data inside the delimiters the prompt
    announces; ``system`` is a prompt file, never built from the document.
    """

    model: str
    system: str
    user: str
    images: tuple[ImageInput, ...] = ()
    json_mode: bool = True
    """Ask for ``response_format={"type": "json_object"}``."""
    temperature: float = 0.2
    max_tokens: int | None = None
    follow_up: tuple[str, ...] = field(default=())
    """Extra turns after a first invalid answer: (assistant answer, user correction)."""


@dataclass(frozen=True)
class ChatAnswer:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class OcrAnswer:
    text: str
    """The recognised text (markdown, pages joined by blank lines)."""
    model: str
    pages: int


class LLMClient(Protocol):
    """A language-model backend. One attempt per call; failures are project errors (see module doc)."""

    name: str
    """Engine name recorded in provenance (``mistral``)."""

    def chat(self, request: ChatRequest, *, timeout_s: float) -> ChatAnswer:
        """Send one chat completion. Raises ``LLMUnavailable`` or ``LLMRejected``."""
        ...

    def ocr(self, image: ImageInput, *, model: str, timeout_s: float) -> OcrAnswer:
        """Recognise the text of one image. Raises ``LLMUnavailable`` or ``LLMRejected``."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
