"""Receiving documents: one upload, or the members of a zip, stored by content after sniffing.

Nothing the client names is ever used as a path: originals are stored by their SHA-256, the
client's file name is kept for display and output names only. A zip for a batch is received like
any upload (streamed to disk, size-limited), then each member is checked before it is read:
names that would leave the archive (``../``, absolute paths, drive letters) refuse the whole zip
(``input.unsafe_archive``); too many members, too much uncompressed data or a compression ratio
no document has refuse it as a zip bomb (``input.too_large``). Members are read through the same
size-limited copy as uploads, so a lying zip header cannot make us write more than the limit.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from inclusio.errors import InclusioError, InputTooLarge, InputUnsafeArchive
from inclusio.store.files import FileStore, StoredOriginal

MAX_MEMBER_RATIO = 200
"""Uncompressed / compressed size of one member above which the zip is refused (documents: < 30)."""


def sniff(path: Path, filename: str | None = None) -> None:
    """Refuse a file that is not a supported document (``input.unsupported``, ``input.corrupt``...).

    ``filename`` is the client's name: plain text is accepted as Markdown only with a ``.md`` name.
    """
    from inclusio.converters.registry import detect

    detect(path, filename)


def store_document(
    files: FileStore, source: BinaryIO, *, max_bytes: int, filename: str | None = None
) -> StoredOriginal:
    """Stream ``source`` into the store (size limit, sha256), refusing what the converters cannot read."""
    return files.save_original(source, max_bytes=max_bytes, check=lambda path: sniff(path, filename))


def display_name(raw: str | None, default: str = "document") -> str:
    """The client's file name for display: its last part, printable, at most 200 characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[:200] or default


@dataclass(frozen=True)
class Member:
    name: str
    info: zipfile.ZipInfo


def _unsafe(name: str) -> bool:
    posix = name.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    return posix.startswith("/") or ".." in parts or (len(posix) > 1 and posix[1] == ":") or "\x00" in name


def zip_members(archive: zipfile.ZipFile, *, max_files: int, max_bytes: int) -> list[Member]:
    """The document members of a batch zip, after the safety checks (see the module docstring)."""
    infos = archive.infolist()
    bad = [info.filename for info in infos if _unsafe(info.filename)]
    if bad:
        raise InputUnsafeArchive(details={"members": bad[:5]})
    members = [
        Member(display_name(info.filename), info)
        for info in infos
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not display_name(info.filename).startswith(".")
    ]
    if len(members) > max_files:
        raise InputTooLarge(
            f"The zip holds {len(members)} files; at most {max_files} are accepted per batch. "
            "Split it into several batches.",
            message_fr=(
                f"Le zip contient {len(members)} fichiers ; au plus {max_files} sont "
                "acceptés par lot. Découpez-le en plusieurs lots."
            ),
            details={"files": len(members), "max_files": max_files},
        )
    total = sum(m.info.file_size for m in members)
    if total > max_bytes * 4:
        raise InputTooLarge(details={"uncompressed_bytes": total, "limit": max_bytes * 4})
    for member in members:
        ratio = member.info.file_size / max(1, member.info.compress_size)
        if ratio > MAX_MEMBER_RATIO and member.info.file_size > 1024 * 1024:
            raise InputTooLarge(
                "The zip expands to much more data than documents hold (it looks like a zip bomb). "
                "Create the zip again from the folder of documents.",
                message_fr=(
                    "Le zip se décompresse en bien plus de données qu'un document n'en contient "
                    "(cela ressemble à une bombe zip). Recréez le zip à partir du dossier des documents."
                ),
                details={"member": member.name, "ratio": round(ratio)},
            )
    return members


def store_zip_members(
    files: FileStore,
    archive_path: Path,
    *,
    max_files: int,
    max_bytes: int,
) -> Iterator[tuple[str, StoredOriginal | InclusioError]]:
    """``(name, stored original or the coded error)`` for each document in the zip."""
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError) as exc:
        from inclusio.errors import InputCorrupt

        raise InputCorrupt(details={"reason": str(exc)}) from exc
    with archive:
        for member in zip_members(archive, max_files=max_files, max_bytes=max_bytes):
            try:
                with archive.open(member.info) as source:
                    yield (
                        member.name,
                        store_document(files, source, max_bytes=max_bytes, filename=member.name),
                    )
            except InclusioError as exc:
                yield member.name, exc
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
                from inclusio.errors import InputCorrupt, as_inclusio_error, is_disk_full

                if is_disk_full(exc):  # the server's disk, not the member: the whole batch stops
                    raise as_inclusio_error(exc) from exc
                yield member.name, InputCorrupt(details={"reason": f"{type(exc).__name__}: {exc}"[:200]})
