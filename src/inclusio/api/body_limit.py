"""Request bodies are refused as soon as they pass the limit, whatever their framing.

One ASGI middleware, innermost of ours, in front of every route (uploads, batches, shares, the web
forms, and the JSON and form routes as well):

* ``Content-Length`` over the limit: ``413 input.too_large`` at once, before a byte of the body is
  read (no ``100 Continue`` is sent to a client that asked for one);
* no ``Content-Length`` (``Transfer-Encoding: chunked``) or a lying client: the body is counted as
  the server hands it over; the message that passes the limit is not handed on, and the route's
  form parser (python-multipart, which would otherwise spool the whole body to disk before the
  route runs) fails on it; whatever the route then answers is replaced by ``413 input.too_large``.

Both answers carry ``Connection: close``: the server closes the connection after the answer instead
of reading (and discarding) the rest of the body to keep it alive. What the server holds of a
refused body is at most the limit, spooled to a temporary file by the form parser, plus the
server's own read buffer (uvicorn pauses reading at 64 KiB).

Pages under ``/web/`` get the web error page (in the reader's language) rather than the API's JSON
body. A browser that is still sending when the server closes may show its own "connection reset"
page instead of the answer: the upload forms also say the limit before sending.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from inclusio.errors import InputTooLarge

log = logging.getLogger("inclusio.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """Raised to the route's body parser once the body has passed the limit (never reaches a client)."""


class _Request:
    """The state of one request's body: bytes counted, limit passed, what was sent."""

    def __init__(self) -> None:
        self.read = 0
        self.exceeded = False
        self.started = False
        self.refused = False


def declared_length(scope: Scope) -> int | None:
    """The request's ``Content-Length`` as an integer, or None (absent, chunked, not a number)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if (text.isascii() and text.isdigit()) else None
    return None


class BodyLimit:
    """Refuse request bodies of more than ``max_bytes`` (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, upload_limit: int | None = None, html_error: Any = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_limit = upload_limit if upload_limit is not None else max_bytes
        self.html_error = html_error
        """``(request, error) -> Response``: the web pages' error page for ``/web/`` paths (given by
        :mod:`inclusio.server`, so the API never imports the web pages)."""
        """The document size said to the user (the body limit has room for the form's other fields)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = declared_length(scope)
        if length is not None and length > self.max_bytes:
            await self.refuse(scope, send, read=0, declared=length)
            return
        state = _Request()

        async def counted_receive() -> Message:
            if state.exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                state.read += len(message.get("body", b""))
                if state.read > self.max_bytes:
                    state.exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state.exceeded and not state.started:
                if message["type"] == "http.response.start" and not state.refused:
                    state.refused = True
                    await self.refuse(scope, send, read=state.read, declared=length)
                return  # the route's own answer to its broken body is dropped
            state.started = state.started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not state.exceeded or state.started:
                raise
            if not state.refused:
                state.refused = True
                await self.refuse(scope, send, read=state.read, declared=length)

    async def refuse(self, scope: Scope, send: Send, *, read: int, declared: int | None) -> None:
        """Send ``413 input.too_large`` with ``Connection: close``."""
        err = InputTooLarge(details={"max_bytes": self.upload_limit})
        log.info(
            "request body refused: %s %s, %s bytes declared, %d read, limit %d",
            scope.get("method"),
            scope.get("path"),
            declared if declared is not None else "no length",
            read,
            self.max_bytes,
        )
        response = await _response(scope, err, self.html_error)
        response.headers["Connection"] = "close"
        await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


async def _response(scope: Scope, err: InputTooLarge, html_error: Any = None) -> Any:
    """The web error page for ``/web/`` paths (in the reader's language), else the API's JSON error body."""
    from inclusio.api.app import error_response

    if html_error is not None and str(scope.get("path", "")).startswith("/web/"):
        try:
            from starlette.requests import Request

            return await run_in_threadpool(html_error, Request(scope, _no_receive), err)
        except Exception:  # the page needs the session and the database: the JSON body is still right
            log.exception("web error page for a refused upload")
    return error_response(err)
