"""Local-folder file storage: originals by content hash, artifacts per job.

Layout under the root (``settings.data_dir``)::

    originals/<sha[:2]>/<sha256>     every uploaded original, stored once per content
    jobs/<job_id>/...                what one job wrote (EPUB, HTML, MP3, report)
    jobs/.work/<job_id>-<lease>/     an attempt's outputs while it runs (moved into place when recorded);
                                     its ``.stages/`` records the finished stages, so the next attempt of a
                                     job whose worker died takes the folder over and skips them
    cache/documents/<sha>-<key>.json the converted Document of an original (readability preview)
    tmp/                             uploads being received (moved into place when complete)

No user-supplied name is ever used as a path: originals are named by their hash, job folders by
the job id (checked to be hex), artifact names come from the job row. Every path handed out is
checked to lie under the root. A shared folder or S3-compatible storage can replace this class
later behind the same methods (:class:`Storage` is the interface the service uses).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from inclusio.errors import InputEmpty, InputTooLarge, as_inclusio_error, is_disk_full

CHUNK_BYTES = 1024 * 1024
STAGE_RECORDS_DIR = ".stages"
"""The folder inside a job's output folder where :mod:`inclusio.pipeline.stages` records finished stages."""


def _read_umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
"""The process's umask, read once at import (reading it means setting it: not done while threads write)."""


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader (or the next attempt of a job whose process was killed) sees the old file or the whole new
    one, never half of it. The one atomic-write helper of the project: the pipeline's caches and stage
    records and the writers use it. The file gets the permissions ``open()`` would give it (the
    process's umask), like every other output; ``private`` keeps the temporary file's owner-only mode
    (the file store's data: learners' documents).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if not private:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@dataclass(frozen=True)
class StoredOriginal:
    """An original file once stored: its hash, its size and where it is (relative to the root)."""

    sha256: str
    size: int
    relpath: str


class Storage(Protocol):
    """What the service needs from file storage (a local or shared folder today).

    Every name handed in is one the service made (a hash, a job id, a lease, a name recorded in
    the job row); implementations still refuse any path outside their root.
    """

    def save_original(
        self, source: BinaryIO, *, max_bytes: int, check: Callable[[Path], None] | None = None
    ) -> StoredOriginal: ...
    def original_path(self, relpath: str) -> Path: ...
    def delete_original(self, sha256: str) -> bool: ...
    def attempt_dir(self, job_id: str, lease: str) -> Path: ...
    def resume_attempt(self, job_id: str, lease: str) -> Path: ...
    def publish_attempt(self, job_id: str, lease: str, keep: set[str] | None = None) -> Path: ...
    def discard_attempt(self, job_id: str, lease: str) -> None: ...
    def artifact_path(self, job_id: str, file: str) -> Path: ...
    def delete_job(self, job_id: str) -> bool: ...
    def document_cache_path(self, sha256: str, key: str) -> Path: ...


class FileStore:
    """Files of the service under one root folder (implements :class:`Storage`)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @classmethod
    def from_settings(cls, settings: Any) -> FileStore:
        return cls(Path(settings.data_dir))

    def _inside(self, relpath: str | Path) -> Path:
        """``root / relpath``, refusing anything that would land outside the root."""
        path = (self.root / relpath).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"path {str(relpath)!r} is outside the storage root")
        return path

    # -- originals ----------------------------------------------------------------------------

    def save_original(
        self, source: BinaryIO, *, max_bytes: int, check: Callable[[Path], None] | None = None
    ) -> StoredOriginal:
        """Stream ``source`` into the store, hashing while writing; at most ``max_bytes``.

        Raises :class:`~inclusio.errors.InputTooLarge` past ``max_bytes`` and
        :class:`~inclusio.errors.InputEmpty` for 0 bytes; nothing is kept in either case, nor when
        ``check(path)`` (content sniffing) raises for the received file. The
        file is written to ``tmp/`` and moved into place atomically, so a reader never sees a
        half-written original; storing the same content twice keeps one copy.
        """
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:
                        raise InputTooLarge(
                            f"The file is larger than {max_bytes // (1024 * 1024)} MB, the limit of this "
                            "server. Split the document into parts and upload them.",
                            message_fr=(
                                f"Le fichier dépasse {max_bytes // (1024 * 1024)} Mo, la limite de ce "
                                "serveur. Découpez le document en parties et déposez-les."
                            ),
                            details={"max_bytes": max_bytes},
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise InputEmpty()
            if check is not None:
                check(tmp_path)
            sha = digest.hexdigest()
            relpath = f"originals/{sha[:2]}/{sha}"
            final = self._inside(relpath)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_path, final)  # atomic on one file system; same content if it existed
            return StoredOriginal(sha256=sha, size=size, relpath=relpath)
        except OSError as exc:
            if is_disk_full(exc):  # a typed error the API and the web pages show (system.disk_full)
                raise as_inclusio_error(exc) from exc
            raise
        finally:
            tmp_path.unlink(missing_ok=True)

    @contextmanager
    def spooled(self, source: BinaryIO, *, max_bytes: int) -> Iterator[tuple[Path, str, int]]:
        """Receive ``source`` into a temporary file (size limit, sha256) that is deleted afterwards.

        For uploads the service reads once and does not keep (the readability preview).
        """
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="spool-")
        tmp_path = Path(tmp_name)
        try:
            try:
                with os.fdopen(fd, "wb") as out:
                    while chunk := source.read(CHUNK_BYTES):
                        size += len(chunk)
                        if size > max_bytes:
                            raise InputTooLarge(details={"max_bytes": max_bytes})
                        digest.update(chunk)
                        out.write(chunk)
            except OSError as exc:
                if is_disk_full(exc):
                    raise as_inclusio_error(exc) from exc
                raise
            if size == 0:
                raise InputEmpty()
            yield tmp_path, digest.hexdigest(), size
        finally:
            tmp_path.unlink(missing_ok=True)

    def save_original_path(self, path: Path, *, max_bytes: int) -> StoredOriginal:
        """:meth:`save_original` for a file already on disk (CLI, batch folder, tests)."""
        with path.open("rb") as source:
            return self.save_original(source, max_bytes=max_bytes)

    def original_path(self, relpath: str) -> Path:
        """The absolute path of a stored original, from the job row's ``input_path``."""
        return self._inside(relpath)

    # -- job folders --------------------------------------------------------------------------

    def job_dir(self, job_id: str) -> Path:
        """The folder for one job's outputs (not created)."""
        if not job_id or len(job_id) > 64 or not all(c in "0123456789abcdef" for c in job_id):
            raise ValueError(f"not a job id: {job_id[:70]!r}")
        return self._inside(f"jobs/{job_id}")

    def artifact_path(self, job_id: str, file: str) -> Path:
        """The absolute path of ``file`` (as recorded in the job row) inside the job's folder."""
        folder = self.job_dir(job_id)
        path = (folder / file).resolve()
        if not path.is_relative_to(folder) or path == folder:
            raise ValueError(f"artifact {file!r} is outside its job folder")
        return path

    def clear_job_dir(self, job_id: str) -> Path:
        """An empty folder for the job (a retried job starts clean)."""
        folder = self.job_dir(job_id)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        return folder

    def delete_job(self, job_id: str) -> bool:
        """Remove the job's outputs and any attempt folder it left; ``True`` if something was removed."""
        removed = False
        folder = self.job_dir(job_id)
        if folder.exists():
            shutil.rmtree(folder)
            removed = True
        work = self.root / "jobs" / ".work"
        if work.is_dir():
            for leftover in work.glob(f"{job_id}-*"):
                shutil.rmtree(leftover, ignore_errors=True)
                removed = True
        return removed

    # -- attempts: outputs appear all at once, or not at all ------------------------------------

    def _attempt_folder(self, job_id: str, lease: str) -> Path:
        self.job_dir(job_id)  # validates the id
        if not lease or not all(c in "0123456789abcdef" for c in lease) or len(lease) > 64:
            raise ValueError(f"not a lease: {lease[:70]!r}")
        return self._inside(f"jobs/.work/{job_id}-{lease}")

    def attempt_dir(self, job_id: str, lease: str) -> Path:
        """An empty folder where one attempt of the job writes its outputs (under the same root)."""
        folder = self._attempt_folder(job_id, lease)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        return folder

    def resume_attempt(self, job_id: str, lease: str) -> Path:
        """The folder of a new attempt: one an earlier attempt of the job left, taken over, or a new one.

        An attempt whose worker died (kill -9, a machine lost) leaves its folder with the stages it
        finished recorded (``.stages/``); renaming it to the new lease lets ``run_job`` skip them.
        The most recently changed folder is taken (the last attempt); older ones are removed. The
        rename also cuts off an attempt presumed dead that is in fact still running: every path it
        opens from then on is gone, and it cannot record anything (its lease is lost).
        """
        folder = self._attempt_folder(job_id, lease)
        work = self.root / "jobs" / ".work"
        earlier = (
            sorted(
                (p for p in work.glob(f"{job_id}-*") if p.is_dir() and p != folder),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            if work.is_dir()
            else []
        )
        if folder.exists():
            shutil.rmtree(folder)
        if earlier:
            os.replace(earlier[0], folder)
            for other in earlier[1:]:
                shutil.rmtree(other, ignore_errors=True)
        else:
            folder.mkdir(parents=True)
        return folder

    def publish_attempt(self, job_id: str, lease: str, keep: set[str] | None = None) -> Path:
        """Move the attempt's folder to ``jobs/<job_id>`` (a rename: readers never see half of it).

        The stage records (``.stages/``) are dropped: a finished job is never run again. ``keep``,
        when given, is the set of files (relative paths) the job recorded: anything else, such as
        the half-written leftovers of an earlier attempt this one took over, is removed first.
        """
        work = self._inside(f"jobs/.work/{job_id}-{lease}")
        final = self.job_dir(job_id)
        if not work.exists() and final.exists():
            return final  # moved by this attempt's first try, whose commit failed: the recording is retried
        shutil.rmtree(work / STAGE_RECORDS_DIR, ignore_errors=True)
        if keep is not None:
            for path in sorted(work.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                relpath = path.relative_to(work).as_posix()
                if path.is_dir() and not path.is_symlink():
                    if not any(path.iterdir()):
                        path.rmdir()
                elif relpath not in keep:
                    path.unlink()
        trash = None
        if final.exists():  # a release's old outputs, or an earlier attempt that died before recording
            trash = self._inside(f"jobs/.work/trash-{uuid.uuid4().hex}")
            os.replace(final, trash)
        # Right after the first rename (the old folder is removed later): a download finds no folder only
        # between the two renames, not while a large folder is deleted.
        os.replace(work, final)
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)
        for other in (self.root / "jobs" / ".work").glob(f"{job_id}-*"):
            shutil.rmtree(other, ignore_errors=True)  # attempts of this job that died: nobody reads them
        return final

    def discard_attempt(self, job_id: str, lease: str) -> None:
        shutil.rmtree(self._inside(f"jobs/.work/{job_id}-{lease}"), ignore_errors=True)

    # -- originals and their cached conversion -----------------------------------------------------

    def delete_original(self, sha256: str) -> bool:
        """Remove a stored original and its cached conversions (when no job uses it any more)."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256")
        removed = False
        path = self._inside(f"originals/{sha256[:2]}/{sha256}")
        if path.exists():
            path.unlink()
            removed = True
        cache = self.root / "cache" / "documents"
        if cache.is_dir():
            for cached in cache.glob(f"{sha256}-*.json"):
                cached.unlink(missing_ok=True)
                removed = True
        return removed

    def document_cache_path(self, sha256: str, key: str) -> Path:
        """Where the Document converted from original ``sha256`` with settings ``key`` is cached."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256) or not key.isalnum():
            raise ValueError("bad cache key")
        return self._inside(f"cache/documents/{sha256}-{key}.json")

    def write_atomic(self, path: Path, data: bytes) -> None:
        """:func:`write_atomic` for a path inside the root (refused outside it)."""
        write_atomic(
            self._inside(path.relative_to(self.root) if path.is_absolute() else path), data, private=True
        )

    # -- housekeeping --------------------------------------------------------------------------

    def originals(self) -> Iterator[str]:
        """The hashes of every stored original."""
        folder = self.root / "originals"
        if folder.is_dir():
            for path in folder.glob("*/*"):
                if path.is_file():
                    yield path.name

    def stale_temporaries(self, older_than_seconds: float) -> list[Path]:
        """Upload and attempt leftovers older than this (a process died while writing them)."""
        cutoff = time.time() - older_than_seconds
        found: list[Path] = []
        for folder in (self.root / "tmp", self.root / "jobs" / ".work"):
            if folder.is_dir():
                found += [p for p in folder.iterdir() if p.stat().st_mtime < cutoff]
        return found

    def all_files(self) -> list[Path]:
        """Every file under the root (tests check that deletion leaves none behind)."""
        return [p for p in self.root.rglob("*") if p.is_file()] if self.root.exists() else []
