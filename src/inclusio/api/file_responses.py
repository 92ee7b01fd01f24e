"""The one way a user's file leaves the server: our own content type, never sniffed, never run.

Every route that sends a file a user's upload produced (``GET /jobs/{id}/artifacts/{name}`` and the web
download that reuses it, the review workspace's pictures ``/web/review/{job}/images/{block}``, the
review API's ``GET /jobs/{id}/document``: :func:`document_json_headers`) builds its response here, so the headers are the same everywhere and a route cannot forget one:

* ``X-Content-Type-Options: nosniff``: the browser takes the type we say, it never guesses ``text/html``
  from the bytes;
* ``Content-Type`` from **our** allow-list: an output by its file extension (:data:`OUTPUT_TYPES`), a
  picture by its magic bytes (:func:`raster_type`); the type recorded with the file or declared by the
  document is never sent as is. Anything unknown is ``application/octet-stream``;
* a plain raster picture (PNG, JPEG, GIF, WebP whose bytes say so) is sent ``inline`` (the review page
  shows it in an ``<img>``); **everything else** (EPUB, HTML, MP3, PDF, JSON, BRF, SVG, unknown) gets
  ``Content-Security-Policy: sandbox`` (opened directly, it runs in an opaque origin with no script)
  and ``Content-Disposition: attachment`` (the browser saves it instead of rendering it in our origin);
* ``Cache-Control: private`` (never kept by a shared proxy).

The page-wide headers (the pages' CSP, ``frame-ancestors``, ``Referrer-Policy``) come from the middleware
of :mod:`inclusio.api.security`, which never overrides a header set here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse, Response

from inclusio.model.safe_markup import RASTER_TYPES, raster_type

__all__ = [
    "RASTER_TYPES",
    "document_json_headers",
    "file_headers",
    "output_file_response",
    "picture_response",
    "raster_type",
]

SANDBOX_POLICY = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; media-src 'self'"
"""For everything that is not a raster picture: no script, no plugin, no form, no request of its own."""
OUTPUT_TYPES = {
    ".epub": "application/epub+zip",
    ".html": "text/html; charset=utf-8",
    ".mp3": "audio/mpeg",
    ".json": "application/json",
    ".brf": "application/x-brf",
    ".pdf": "application/pdf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
"""The only content types a job's files are sent with, by extension (the writers name the files)."""
OCTET = "application/octet-stream"


def content_disposition(kind: str, filename: str | None) -> str:
    """``attachment; filename="ascii"; filename*=utf-8''...`` (quotes, controls and slashes never pass)."""
    if not filename:
        return kind
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "file"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=utf-8''{quote(filename, safe='')}"


def file_headers(
    media_type: str, *, filename: str | None, inline: bool, cache: str = "private, no-cache"
) -> dict[str, str]:
    """The headers of a user's file: ``nosniff``, the disposition, and the sandbox unless it is a raster picture."""
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": cache}
    if inline and media_type in RASTER_TYPES:
        headers["Content-Disposition"] = content_disposition("inline", filename)
    else:
        headers["Content-Disposition"] = content_disposition("attachment", filename)
        headers["Content-Security-Policy"] = SANDBOX_POLICY
    return headers


def document_json_headers() -> dict[str, str]:
    """Headers of a Document sent as JSON (it carries the user's pictures, SVG included, in base64):
    never sniffed, never rendered as a page (sandboxed if opened directly), never kept by a proxy."""
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX_POLICY,
        "Cache-Control": "private, no-store",
    }


def output_type(path: Path) -> str:
    """The content type of a job's output file, from its extension and :data:`OUTPUT_TYPES` only."""
    media_type = OUTPUT_TYPES.get(path.suffix.lower(), OCTET)
    if media_type in RASTER_TYPES:  # a picture must also be one by its bytes
        with path.open("rb") as fh:
            media_type = raster_type(fh.read(16)) or OCTET
    return media_type


def output_file_response(path: Path, *, filename: str) -> FileResponse:
    """A job's output as a download (never rendered in the site's origin)."""
    media_type = output_type(path)
    return FileResponse(
        path, media_type=media_type, headers=file_headers(media_type, filename=filename, inline=False)
    )


def picture_response(
    data: bytes, declared: str, *, filename: str, cache: str = "private, max-age=600"
) -> Response:
    """A document's picture: inline when its bytes are a raster type, else a sandboxed attachment.

    ``declared`` (the type the document gave) only decides the SVG case; a raster picture is sent with
    the type its bytes prove, whatever was declared.
    """
    media_type = raster_type(data) or ("image/svg+xml" if declared == "image/svg+xml" else OCTET)
    return Response(
        data,
        media_type=media_type,
        headers=file_headers(media_type, filename=filename, inline=True, cache=cache),
    )
