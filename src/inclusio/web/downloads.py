"""A job's files as its page lists them, and the section MP3s as one zip made on request.

Students get a short list they understand (:func:`student_downloads`): read online, the e-book, the audio as
one MP3 with chapters, the audio by section as one zip whose files are named by their headings, the web page,
braille and large print when the job made them. Staff and teachers also get the technical files
(:func:`technical_downloads`: report, document JSON, audio timings, each section MP3). A student asking for a
technical file by its address, on the web pages or through the API, gets ``artifact.staff_only``
(:func:`inclusio.auth.policy.check_artifact`, the API's download route's own check); the section MP3s stay
theirs (the reader plays them).

The zip (:func:`section_zip`) is streamed from the job's stored section MP3s, stored as they are (no
re-encoding, no compression: MP3 does not compress), with a bounded memory (one chunk at a time) and a
bounded number of files; entries are named ``01 - <heading>.mp3`` from the audio timings file, made safe
for every file system (:func:`safe_entry_name`).
"""

from __future__ import annotations

import json
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from inclusio.auth.policy import SECTION_FILE, check_artifact
from inclusio.web.i18n import TEXT

STUDENT_ORDER = ("epub", "mp3", "sections", "html", "brf", "large-print")
"""The student's list, in this order (``sections``: the zip of the section MP3s)."""
SECTION = SECTION_FILE
READER_SOURCE = "json"
"""A finished job with its document JSON can be read online (``/web/read/{job}`` is built from it, see
:data:`inclusio.web.reader.READER_OUTPUT`): an API job asked without it has no reader link."""
MAX_ENTRIES = 999
"""At most this many section files in one zip (a 265-page manual has about 150 sections)."""
MAX_TIMINGS_BYTES = 64 * 1024 * 1024
"""A timings file larger than this is not read for the section titles (the entries are then numbered only)."""
CHUNK = 64 * 1024
NAME_MAX = 80
"""Characters of a heading kept in an entry's name (file systems allow 255 bytes; 80 characters of UTF-8 stay
well under it with the number and the extension)."""


def _size(record: dict[str, Any], t: Any) -> str:
    return str(t("bytes_kb", kb=max(1, round((record.get("bytes") or 0) / 1024))))


def section_names(artifacts: dict[str, Any]) -> list[str]:
    """The job's section MP3s (``mp3-01``...), in order."""
    return sorted((n for n in artifacts if SECTION.fullmatch(n)), key=lambda n: int(n.split("-")[1]))


def can_read_online(job: Any) -> bool:
    return job.status in ("succeeded", "partial") and READER_SOURCE in (job.artifacts or {})


def student_downloads(job: Any, t: Any) -> list[dict[str, str]]:
    """Links a student understands: ``{"href", "label", "size", "name"}`` (``size`` empty for the reader)."""
    artifacts = job.artifacts or {}
    out: list[dict[str, str]] = []
    if can_read_online(job):
        out.append(
            {
                "name": "read",
                "href": f"/web/read/{job.id}",
                "label": t("read_online"),
                "size": t("read_online_hint"),
            }
        )
    sections = section_names(artifacts)
    for name in STUDENT_ORDER:
        if name == "sections":
            if sections:
                total = sum(artifacts[n].get("bytes") or 0 for n in sections)
                out.append(
                    {
                        "name": "sections",
                        "href": f"/web/jobs/{job.id}/audio-sections.zip",
                        "label": t("download", what=t("art_sections", n=len(sections))),
                        "size": _size({"bytes": total}, t),
                    }
                )
            continue
        if name in artifacts:
            out.append(
                {
                    "name": name,
                    "href": f"/web/jobs/{job.id}/download/{name}",
                    "label": t("download", what=t(f"art_{name}")),
                    "size": _size(artifacts[name], t),
                }
            )
    return out


check_download = check_artifact
"""The web's download route asks it before the API's route (which asks it too): one rule for both."""


def technical_downloads(job: Any, t: Any) -> list[dict[str, str]]:
    """Every other file of the job (report, document JSON, timings, each section MP3...), for staff and teachers."""
    artifacts = job.artifacts or {}
    shown = set(STUDENT_ORDER)
    out = []
    for name in sorted(n for n in artifacts if n not in shown):
        if SECTION.fullmatch(name):
            label = t("art_section", n=int(name.split("-")[1]))
        else:
            label = t(f"art_{name}") if f"art_{name}" in TEXT else t("art_other", name=name)
        out.append(
            {
                "name": name,
                "href": f"/web/jobs/{job.id}/download/{name}",
                "label": t("download", what=label),
                "size": _size(artifacts[name], t),
            }
        )
    return out


# -- the zip of the section MP3s ------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u2028\u2029]+')


def safe_entry_name(index: int, title: str | None, width: int = 2) -> str:
    """``01 - <title>.mp3``: the heading without what a file system refuses or a path could mean (slashes,
    ``..``, control characters, ``<>:"|?*``), spaces collapsed, at most :data:`NAME_MAX` characters."""
    text = _UNSAFE.sub(" ", unicodedata.normalize("NFC", title or ""))
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = " ".join(text.split())[:NAME_MAX].strip(" .")
    return f"{index:0{width}d} - {text or 'Section'}.mp3"


def section_titles(timings_path: Path | None) -> dict[str, str]:
    """``{file (relative to the job folder): heading}`` from the audio timings file; empty if it cannot be read."""
    if timings_path is None or not timings_path.is_file() or timings_path.stat().st_size > MAX_TIMINGS_BYTES:
        return {}
    try:
        timings = json.loads(timings_path.read_bytes())
        sections = timings.get("sections") if isinstance(timings, dict) else None
        return {
            str(s["file"]): str(s.get("title") or "")
            for s in sections or []
            if isinstance(s, dict) and isinstance(s.get("file"), str)
        }
    except (OSError, ValueError):
        return {}


def zip_entries(job: Any, files: Any) -> list[tuple[str, Path]]:
    """``(entry name, stored file)`` of each section MP3 of ``job``, in order (at most :data:`MAX_ENTRIES`)."""
    artifacts = job.artifacts or {}
    timings = artifacts.get("audio-timings")
    titles = section_titles(files.artifact_path(job.id, timings["file"]) if timings else None)
    names = section_names(artifacts)[:MAX_ENTRIES]
    width = max(2, len(str(len(names))))
    out = []
    for position, name in enumerate(names, start=1):
        record = artifacts[name]
        path = files.artifact_path(job.id, record["file"])
        if path.is_file():
            out.append((safe_entry_name(position, titles.get(record["file"]), width), path))
    return out


def _crc(path: Path) -> tuple[int, int]:
    crc, size = 0, 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    return crc, size


def section_zip(entries: list[tuple[str, Path]]) -> Iterator[bytes]:
    """A zip of ``entries`` (stored, not compressed), written as it is read: each file's CRC is computed
    first so its header carries its sizes (no data descriptor: every unzip tool reads it), then its bytes
    go out a chunk at a time. UTF-8 names (flag bit 11). Raises ``OSError`` past 4 GiB (no zip64 needed
    for a document's audio)."""
    central: list[bytes] = []
    offset = 0
    for name, path in entries:
        crc, size = _crc(path)
        raw = name.encode("utf-8")
        if offset + size + 30 + len(raw) >= 0xFFFFFFFF:
            raise OSError("the audio sections are larger than a zip without zip64 can hold")
        # local header: signature, version 2.0, flags (UTF-8 names), stored, time, date, crc, sizes, name length
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 0, 0, 0x21, crc, size, size, len(raw), 0)
        yield header + raw
        with path.open("rb") as handle:
            written = 0
            while chunk := handle.read(CHUNK):
                written += len(chunk)
                yield chunk
        if written != size:
            raise OSError(f"{path.name} changed while it was sent")
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                0x031E,  # made by: Unix, spec 3.0
                20,
                0x0800,
                0,
                0,
                0x21,  # 1980-01-01: the files have no date that means anything to the student
                crc,
                size,
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0o100644 << 16,
                offset,
            )
            + raw
        )
        offset += len(header) + len(raw) + size
    directory = b"".join(central)
    yield directory + struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0
    )
