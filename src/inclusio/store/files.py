"""Local-folder file storage: originals by content hash, artifacts per job.

Layout under the root (``settings.data_dir``)::

    originals/<sha[:2]>/<sha256>     every uploaded original, stored once per content
    jobs/<job_id>/...                what one job wrote (EPUB, HTML, MP3, report)
    tmp/                             uploads being received (moved into place when complete)

No user-supplied name is ever used as a path: originals are named by their hash, job folders by
the job id (checked to be hex), artifact names come from the job row. Every path handed out is
checked to lie under the root. A shared folder or S3-compatible storage can replace this class
later behind the same methods.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from inclusio.errors import InputEmpty, InputTooLarge

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StoredOriginal:
    """An original file once stored: its hash, its size and where it is (relative to the root)."""

    sha256: str
    size: int
    relpath: str


class FileStore:
    """Files of the service under one root folder."""

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

    def save_original(self, source: BinaryIO, *, max_bytes: int) -> StoredOriginal:
        """Stream ``source`` into the store, hashing while writing; at most ``max_bytes``.

        Raises :class:`~inclusio.errors.InputTooLarge` past ``max_bytes`` and
        :class:`~inclusio.errors.InputEmpty` for 0 bytes; nothing is kept in either case. The
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
                            message_fr=(f"Le fichier dépasse {max_bytes // (1024 * 1024)} Mo, la limite de ce "
                                        "serveur. Découpez le document en parties et déposez-les."),
                            details={"max_bytes": max_bytes})
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise InputEmpty()
            sha = digest.hexdigest()
            relpath = f"originals/{sha[:2]}/{sha}"
            final = self._inside(relpath)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_path, final)  # atomic on one file system; same content if it existed
            return StoredOriginal(sha256=sha, size=size, relpath=relpath)
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
