"""Shared guards for zip-based Office formats (PPTX, DOCX): open safely, refuse zip bombs.

A PPTX or DOCX is a zip archive. Before python-pptx or python-docx decompresses anything we
read the central directory and refuse archives that would expand beyond what a course
document can reasonably need: a small upload must not be able to fill memory or disk.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from inclusio.errors import InputCorrupt, InputTooLarge

MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
"""Sum of the members' uncompressed sizes. Large decks with many photos stay well below 1 GiB."""
MAX_MEMBERS = 20_000
"""Number of members; real documents have tens to a few thousands."""
MAX_RATIO = 200
"""Uncompressed/compressed size of one member. XML compresses ~10-30x; bombs reach 1000x."""
RATIO_MIN_BYTES = 10 * 1024 * 1024
"""The ratio check applies to members that expand beyond this size (tiny XML parts may compress a lot)."""

ZIP_MAGIC = b"PK\x03\x04"


def member_names(path: Path) -> list[str] | None:
    """The archive's member names, or None if ``path`` is not a readable zip (no error raised)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def check_archive(path: Path) -> None:
    """Raise ``input.corrupt`` for an unreadable zip and ``input.too_large`` for a zip bomb.

    Only the central directory is read here. Declared sizes can lie; :mod:`zipfile` stops
    reading a member at its declared size, so the declared sizes are what bounds memory.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputCorrupt(details={"reason": str(exc)}) from exc
    if len(infos) > MAX_MEMBERS:
        raise InputTooLarge(details={"members": len(infos), "limit": MAX_MEMBERS})
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputTooLarge(details={"uncompressed_bytes": total, "limit": MAX_UNCOMPRESSED_BYTES})
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputTooLarge(
                "The file expands to much more data than a document holds (it looks like a zip bomb). "
                "Save the document again from its application and upload the new copy.",
                message_fr=(
                    "Le fichier se décompresse en bien plus de données qu'un document n'en contient "
                    "(cela ressemble à une bombe zip). Enregistrez de nouveau le document depuis son "
                    "application et déposez la nouvelle copie."
                ),
                details={
                    "member": info.filename,
                    "uncompressed_bytes": info.file_size,
                    "compressed_bytes": info.compress_size,
                },
            )


def image_size(blob: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels read from the image header with Pillow, without decoding the pixels.

    None when Pillow does not know the format (EMF, WMF...). A header declaring more pixels than
    Pillow's own bomb limit gives the declared size too (never decoded), so the caller's limit applies.
    """
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(blob)) as image:
                return image.size
    except Image.DecompressionBombError as exc:
        # The message carries the size; without it, report "too large" by returning an impossible size.
        import re

        match = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(match.group(1)) if match else 1 << 40
        return pixels, 1
    except Exception:  # unknown or broken header
        return None
