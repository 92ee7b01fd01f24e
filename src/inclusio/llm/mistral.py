"""The Mistral backend, through the official ``mistralai`` SDK 3.x (cloud or self-hosted ``server_url``).

PITFALLS §1: the client is ``mistralai.client.Mistral`` (not ``mistralai.Mistral``); it uses
``httpx2``; its defaults are no retries and a 300 s timeout. Here the timeout is always set per
call, and the SDK's retries are explicitly set to ``none``: :class:`~inclusio.llm.session.LLMSession`
retries instead, so that each attempt passes the rate limit, is counted, and a ``Retry-After``
longer than the job can wait gives up instead of sleeping (the SDK would sleep any
``Retry-After`` as given).

Every failure becomes a project error, in this one adapter:

=============================================  ==========================================
SDK / transport                                 inclusio
=============================================  ==========================================
``SDKError`` 429, 500, 502, 503, 504            ``LLMUnavailable`` (+ ``retry_after_s``)
``SDKError`` other 4xx, ``HTTPValidationError``  ``LLMRejected``
``httpx2`` timeout / connect / transport error  ``LLMUnavailable``
``NoResponseError``, ``ResponseValidationError`` ``LLMUnavailable``
=============================================  ==========================================
"""

from __future__ import annotations

import base64
from typing import Any

from inclusio.errors import LLMRejected, LLMUnavailable
from inclusio.llm.base import ChatAnswer, ChatRequest, ImageInput, OcrAnswer

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


def _data_url(image: ImageInput) -> str:
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


def _retry_after_s(headers: Any) -> float | None:
    """``retry-after-ms`` or ``Retry-After`` (seconds; an HTTP date is treated as unknown)."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                continue
    return None


class MistralClient:
    """:class:`~inclusio.llm.base.LLMClient` for Mistral's HTTP API."""

    name = "mistral"

    def __init__(self, *, api_key: str | None, server_url: str | None, timeout_s: float = 60.0) -> None:
        from mistralai.client import Mistral
        from mistralai.client.utils import BackoffStrategy, RetryConfig

        self._no_retries = RetryConfig(
            "none", BackoffStrategy(250, 8000, 2.0, 0), retry_connection_errors=False
        )
        # server_url without /v1: the SDK adds /v1/chat/completions and /v1/ocr itself.
        self._sdk = Mistral(
            api_key=api_key,
            server_url=server_url.rstrip("/") if server_url else None,
            timeout_ms=int(timeout_s * 1000),
            retry_config=self._no_retries,
        )

    def close(self) -> None:
        # Only the synchronous client was used (the async one never opened a connection).
        close = getattr(self._sdk.sdk_configuration.client, "close", None)
        if callable(close):
            close()

    # -- calls ------------------------------------------------------------------------------------

    def chat(self, request: ChatRequest, *, timeout_s: float) -> ChatAnswer:
        content: Any = request.user
        if request.images:
            content = [{"type": "text", "text": request.user}] + [
                {"type": "image_url", "image_url": _data_url(image)} for image in request.images
            ]
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": request.system},
            {"role": "user", "content": content},
        ]
        if request.follow_up:
            assistant, correction = request.follow_up[0], request.follow_up[1]
            messages += [{"role": "assistant", "content": assistant}, {"role": "user", "content": correction}]
        kwargs: dict[str, Any] = {}
        if request.json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        if request.max_tokens:
            kwargs["max_tokens"] = request.max_tokens
        response = self._call(
            lambda: self._sdk.chat.complete(
                model=request.model,
                messages=messages,
                temperature=request.temperature,
                retries=self._no_retries,
                timeout_ms=int(timeout_s * 1000),
                **kwargs,
            )
        )
        if not response.choices:
            raise LLMUnavailable("The model returned no answer.", details={"reason": "no_choices"})
        message = response.choices[0].message
        text = message.content if message is not None else ""
        if isinstance(text, list):  # content chunks: keep the text ones
            text = "".join(getattr(chunk, "text", "") or "" for chunk in text)
        usage = response.usage
        return ChatAnswer(
            text=text or "",
            model=response.model or request.model,
            prompt_tokens=int(usage.prompt_tokens or 0) if usage else 0,
            completion_tokens=int(usage.completion_tokens or 0) if usage else 0,
        )

    def ocr(self, image: ImageInput, *, model: str, timeout_s: float) -> OcrAnswer:
        response = self._call(
            lambda: self._sdk.ocr.process(
                model=model,
                document={"type": "image_url", "image_url": _data_url(image)},
                retries=self._no_retries,
                timeout_ms=int(timeout_s * 1000),
            )
        )
        pages = sorted(response.pages, key=lambda p: p.index)
        return OcrAnswer(
            text="\n\n".join(p.markdown.strip() for p in pages if p.markdown.strip()),
            model=response.model or model,
            pages=len(pages),
        )

    # -- errors -----------------------------------------------------------------------------------

    def _call(self, fn: Any) -> Any:
        import httpx2
        from mistralai.client import errors

        try:
            return fn()
        except errors.HTTPValidationError as exc:
            raise LLMRejected(details={"status": exc.status_code, "body": str(exc.body)[:500]}) from exc
        except errors.SDKError as exc:
            status = exc.status_code
            details: dict[str, Any] = {"status": status, "body": str(exc.body)[:500]}
            if status in RETRYABLE_STATUS or status >= 500:
                retry_after = _retry_after_s(getattr(exc.raw_response, "headers", None))
                if retry_after is not None:
                    details["retry_after_s"] = retry_after
                raise LLMUnavailable(details=details) from exc
            raise LLMRejected(details=details) from exc
        except errors.MistralError as exc:
            raise LLMUnavailable(details={"status": exc.status_code, "error": type(exc).__name__}) from exc
        except (errors.NoResponseError, errors.ResponseValidationError) as exc:
            raise LLMUnavailable(details={"error": type(exc).__name__, "message": str(exc)[:300]}) from exc
        except httpx2.TimeoutException as exc:
            raise LLMUnavailable(details={"error": "timeout", "exception": type(exc).__name__}) from exc
        except httpx2.TransportError as exc:
            raise LLMUnavailable(details={"error": "connection", "exception": type(exc).__name__}) from exc
