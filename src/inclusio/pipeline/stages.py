"""Finished stages of a job, recorded by the hash of their inputs so that a re-run skips them.

A job run again into the same folder (the CLI after a crash, the next attempt of a job whose
worker was killed: it takes the earlier attempt's folder over, see
:meth:`inclusio.store.files.FileStore.resume_attempt`) reuses what is already done. Each stage's
output is stored under a key, the SHA-256 of everything it depends on; a record is written
atomically after its stage finished, so a record on disk always describes a whole output::

    <out_dir>/.stages/
      convert-<key>.json      the converted Document (when the caller keeps no document cache)
      analyse-<key>.json      readability and easy-to-read rule hits of the source
      adapted-<key>.json      the adapted Document
      adapt-<key>.json        the adapt stage's report, warnings, LLM tokens, sha256 of adapted-<key>.json
      render.<name>-<key>.json  one writer's artifacts, each with its sha256
      validate-<key>.json     EPUBCheck and Ace results for one EPUB (keyed by the EPUB's final sha256)

What goes into the keys (:class:`StageKeys`):

* every stage: the code (a fingerprint of the installed package's files, prompts included, so a new
  release or an edited checkout never reuses an older result), the input (the file's sha256, or
  the given Document's), the conversion key and the user's file name;
* analyse: whether the quality checks run;
* adapt: the profile as JSON (reading adjustments included), every setting that can change an
  output (not the operational ones: database, broker, rate limits, timeouts, retention...), the
  engine, whether a model is configured, each pass's model and the prompt versions;
* render: the adapted Document's sha256 (not the adapt key: a model may answer differently when
  the adapt stage is redone) with the job's file name (the adapted Document holds none: the outputs
  take their title and source name from it), the writer, the render settings and the pronunciation lists;
* validate: the EPUB's sha256 and the validation settings (EPUBCheck, Ace, organisation).

A writer's artifacts are reused only when each file's sha256 on disk is the one recorded: a
deleted, truncated or half-written file makes that writer run again (and the validation too, if
it was the EPUB). A failed writer or validator records nothing, so a re-run tries it again.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inclusio.store.files import STAGE_RECORDS_DIR, write_atomic
from inclusio.writers.base import Artifact

if TYPE_CHECKING:
    from inclusio.config import Settings
    from inclusio.model import Document
    from inclusio.profiles import Profile

HASH_CHUNK = 1024 * 1024

OPERATIONAL_SETTINGS = frozenset(
    {
        # where things are and how the service runs: no output depends on them
        "data_dir",
        "database_url",
        "broker_url",
        "profiles_dir",
        "max_upload_bytes",
        "max_batch_files",
        "retention_days",
        "job_stuck_seconds",
        "job_max_attempts",
        "watchdog_interval_seconds",
        "institution",
        "admin_username",
        "admin_password",
        "token_hours",
        "oidc_issuer",
        "oidc_audience",
        "oidc_jwks_url",
        "oidc_role_claim",
        "oidc_institution_claim",
        "oidc_username_claim",
        "metrics_public",
        "cookie_secure",
        # how fast the model is called, not what it is asked (the key itself is a secret: never hashed)
        "mistral_api_key",
        "llm_concurrency",
        "llm_requests_per_minute",
        "llm_tokens_per_minute",
        "llm_timeout_s",
        "llm_max_attempts",
        "llm_retry_budget_s",
        "llm_cache",
        # how many sections are made at once and where they are kept: the audio is the same
        "speech_workers",
        "speech_cache_dir",
        # telling the learner that a document is ready: no output depends on it
        "base_url",
        "smtp_host",
        "smtp_port",
        "smtp_user",
        "smtp_password",
        "smtp_from",
        "smtp_starttls",
        "smtp_timeout_s",
        "smtp_max_attempts",
        "smtp_retry_seconds",
    }
)
"""Settings left out of the keys. Any other setting, including one added later, invalidates a record."""
VALIDATE_SETTINGS = ("validate_epub", "validate_ace", "organisation")
"""Settings only the validate stage depends on (out of the adapt and render keys)."""
PRONUNCIATIONS_SUFFIX = ".pronunciations.yaml"


def digest(*parts: Any) -> str:
    """The SHA-256 (hex) of ``parts`` as canonical JSON."""
    material = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of a file's content, read in chunks."""
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


@cache
def code_fingerprint() -> str:
    """A SHA-256 over the files of the installed ``inclusio`` package (code, prompts, templates, CSS).

    Computed once per process (~40 ms for 1.4 MB). The version string alone would let a checkout
    edited between two runs reuse results of the older code.
    """
    import inclusio

    root = Path(inclusio.__file__).resolve().parent
    sha = hashlib.sha256(inclusio.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            sha.update(path.relative_to(root).as_posix().encode())
            sha.update(b"\0")
            sha.update(path.read_bytes())
    return sha.hexdigest()


def _settings_material(
    settings: Settings, *, exclude: frozenset[str] | tuple[str, ...] = ()
) -> dict[str, Any]:
    values = settings.model_dump(mode="json", exclude=set(OPERATIONAL_SETTINGS) | set(exclude))
    if settings.pronunciations is not None:  # the list's content matters, not where it is
        path = Path(settings.pronunciations)
        values["pronunciations"] = file_sha256(path) if path.is_file() else f"missing:{path}"
    return values


def _engine_material(settings: Settings) -> dict[str, Any]:
    from inclusio.llm import model_for, remote_configured
    from inclusio.llm.prompts import load_prompt, prompt_names

    return {
        "engine": settings.engine,
        "remote": remote_configured(settings),
        "models": {
            name: model_for(settings, name)
            for name in ("easy_read", "plain", "glossary", "summary", "alt_text", "ocr", "translation")
        },
        "prompts": {name: load_prompt(name).version for name in prompt_names()},
    }


class StageKeys:
    """The keys of one job's stages (see the module doc for what goes into each)."""

    def __init__(
        self,
        *,
        input_id: str,
        conversion: str,
        filename: str,
        profile: Profile,
        settings: Settings,
        input_path: Path | None,
    ) -> None:
        self.base = digest("job", code_fingerprint(), input_id, conversion, filename)
        self.convert = digest("convert", self.base)
        self.analyse = digest("analyse", self.base, settings.quality_checks)
        self._outputs = digest(
            profile.model_dump(mode="json"), _settings_material(settings, exclude=VALIDATE_SETTINGS)
        )
        self.adapt = digest("adapt", self.base, self._outputs, _engine_material(settings))
        companion = input_path.with_name(input_path.stem + PRONUNCIATIONS_SUFFIX) if input_path else None
        self._companion = file_sha256(companion) if companion is not None and companion.is_file() else None
        self._validate = digest({name: getattr(settings, name) for name in VALIDATE_SETTINGS})

    @classmethod
    def for_job(
        cls,
        *,
        input_path: Path,
        document: Document | None,
        filename: str,
        profile: Profile,
        settings: Settings,
    ) -> StageKeys:
        from inclusio.pipeline.job import conversion_key

        if document is not None:
            input_id = "document:" + hashlib.sha256(document.to_json(indent=None).encode("utf-8")).hexdigest()
        else:
            input_id = "file:" + file_sha256(input_path)
        return cls(
            input_id=input_id,
            conversion=conversion_key(settings),
            filename=filename,
            profile=profile,
            settings=settings,
            input_path=input_path,
        )

    def to_json(self) -> dict[str, str | None]:
        """The keys as JSON, for the child process that runs the spaCy stages (``analysis_process``)."""
        return dict(vars(self))

    @classmethod
    def from_json(cls, values: dict[str, str | None]) -> StageKeys:
        """The keys :meth:`to_json` gave, without hashing the input again."""
        keys = cls.__new__(cls)
        vars(keys).update(values)
        return keys

    def render(self, writer: str, adapted_sha256: str) -> str:
        """The key of one writer's output, for the adapted Document whose JSON has ``adapted_sha256``."""
        return digest("render", code_fingerprint(), writer, adapted_sha256, self._outputs, self._companion)

    def validate(self, epub_sha256: str) -> str:
        """The key of the validation of the EPUB whose content has ``epub_sha256``."""
        return digest("validate", code_fingerprint(), epub_sha256, self._validate)


class StageRecords:
    """The ``.stages/`` folder of one output folder (records and saved Documents, by stage and key),
    with the keys of the job being run."""

    def __init__(self, out_dir: Path, keys: StageKeys) -> None:
        self.out_dir = out_dir
        self.folder = out_dir / STAGE_RECORDS_DIR
        self.keys = keys

    def path(self, stage: str, key: str) -> Path:
        return self.folder / f"{stage}-{key}.json"

    def load(self, stage: str, key: str) -> dict[str, Any] | None:
        """The record of ``stage`` under ``key``, or None (none yet, or unreadable)."""
        path = self.path(stage, key)
        try:
            record = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("key") == key else None

    def save(self, stage: str, key: str, record: dict[str, Any]) -> None:
        """Write the record atomically, and remove the records of ``stage`` under other keys (stale)."""
        data = json.dumps({**record, "key": key}, ensure_ascii=False, default=str).encode("utf-8")
        write_atomic(self.path(stage, key), data)
        self.forget(stage, except_key=key)

    def save_bytes(self, stage: str, key: str, data: bytes) -> str:
        """Write a stage's output file (a Document); returns its sha256."""
        write_atomic(self.path(stage, key), data)
        self.forget(stage, except_key=key)
        return hashlib.sha256(data).hexdigest()

    def load_bytes(self, stage: str, key: str, sha256: str) -> bytes | None:
        """A stage's output file, only if its content has ``sha256``."""
        try:
            data = self.path(stage, key).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def forget(self, stage: str, *, except_key: str | None = None) -> None:
        if not self.folder.is_dir():
            return
        for path in self.folder.glob(f"{stage}-*.json"):
            if path.name != f"{stage}-{except_key}.json" and len(path.name) == len(stage) + 70:
                path.unlink(missing_ok=True)

    # -- a writer's artifacts ------------------------------------------------------------------------

    def save_artifacts(self, writer: str, key: str, artifacts: list[Artifact]) -> None:
        """Record a writer's artifacts (path relative to the output folder, sha256 of each file)."""
        root = self.out_dir.resolve()
        entries = []
        for artifact in artifacts:
            path = Path(artifact.path).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                return  # an artifact outside the folder cannot be checked later: record nothing
            entries.append(
                {
                    "name": artifact.name,
                    "file": path.relative_to(root).as_posix(),
                    "media_type": artifact.media_type,
                    "warnings": artifact.warnings,
                    "sha256": file_sha256(path),
                }
            )
        self.save(f"render.{writer}", key, {"artifacts": entries})

    def load_artifacts(self, writer: str, key: str) -> list[Artifact] | None:
        """The artifacts recorded for ``writer`` under ``key``, if every file is still the one recorded."""
        record = self.load(f"render.{writer}", key)
        if record is None or not record.get("artifacts"):
            return None
        artifacts = []
        for entry in record["artifacts"]:
            path = self.out_dir / entry["file"]
            if not path.is_file() or file_sha256(path) != entry["sha256"]:
                return None
            artifacts.append(
                Artifact(
                    name=entry["name"],
                    path=path,
                    media_type=entry["media_type"],
                    warnings=list(entry.get("warnings") or []),
                )
            )
        return artifacts

    def update_artifact_sha(self, writer: str, key: str, path: Path) -> None:
        """Record the new content of an artifact changed after its writer (the EPUB's conformance claim)."""
        record = self.load(f"render.{writer}", key)
        if record is None:
            return
        relpath = Path(path).resolve().relative_to(self.out_dir.resolve()).as_posix()
        for entry in record["artifacts"]:
            if entry["file"] == relpath:
                entry["sha256"] = file_sha256(path)
        self.save(f"render.{writer}", key, record)
