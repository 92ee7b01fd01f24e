"""One settings object, read once from environment variables (prefix ``INCLUSIO_``).

No other module reads the environment: they receive a :class:`Settings` (or a job context
built from it). Switching from the embedded default (SQLite, broker-less queue, offline
engine) to production (PostgreSQL, Redis or RabbitMQ, Mistral) is configuration only.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "inclusio"


def _default_profiles_dir() -> Path:
    """Top-level ``profiles/`` of a source checkout, else the copy a wheel installs in ``share/``."""
    checkout = PACKAGE_DIR.parent.parent / "profiles"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "inclusio" / "profiles"


class Settings(BaseSettings):
    """All settings. Each field is the environment variable ``INCLUSIO_<NAME>`` unless noted."""

    model_config = SettingsConfigDict(env_prefix="INCLUSIO_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    """Where the database (SQLite default), the broker-less queue, uploads and artifacts live."""
    database_url: str | None = None
    """SQLAlchemy URL; default ``sqlite:///<data_dir>/inclusio.db``. Production: ``postgresql+psycopg://...``."""
    broker_url: str | None = None
    """Celery broker; default ``sqla+sqlite:///<data_dir>/broker.db`` (no server). Production: ``redis://`` or ``amqp://``."""
    profiles_dir: Path = Field(default_factory=_default_profiles_dir)

    engine: Literal["offline", "mistral"] = "offline"
    """Adaptation engine: ``offline`` (rules, nothing leaves the machine) or ``mistral`` (opt-in)."""
    mistral_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("INCLUSIO_MISTRAL_API_KEY", "MISTRAL_API_KEY")
    )
    mistral_server_url: str | None = None
    """Mistral API or a self-hosted server speaking the same HTTP API (without ``/v1``)."""
    mistral_model_text: str = "mistral-small-latest"
    mistral_model_vision: str = "pixtral-12b-latest"
    mistral_model_ocr: str = "mistral-ocr-latest"
    """OCR model for images of text (alt-text pass)."""
    mistral_pass_models: dict[str, str] = Field(default_factory=dict)
    """Per-pass model override, JSON: ``{"glossary": "mistral-large-latest"}``; else text/vision model."""
    llm_concurrency: int = Field(default=4, ge=1, le=64)
    """Calls in flight at once, per job."""
    llm_requests_per_minute: int = Field(default=120, ge=1)
    llm_tokens_per_minute: int = Field(default=500_000, ge=100)
    llm_timeout_s: float = Field(default=60.0, gt=0)
    """Timeout of one HTTP call to the model."""
    llm_max_attempts: int = Field(default=4, ge=1, le=10)
    """Attempts per call (429, 5xx, timeouts and refused connections are retried with backoff)."""
    llm_retry_budget_s: float = Field(default=60.0, ge=0)
    """Longest time one call may spend waiting between attempts (a longer ``Retry-After`` gives up)."""
    llm_batch_tokens: int = Field(default=4000, ge=50)
    """Blocks of a section are sent together up to about this many tokens (the prompt is paid once)."""
    llm_cache: bool = True
    """Cache model answers in ``<data_dir>/llm-cache.sqlite3`` (a re-run costs no call)."""
    llm_price_per_million_tokens: float = Field(default=0.0, ge=0)
    """What a million prompt + completion tokens cost (the service report's estimate; 0: no estimate)."""
    llm_price_currency: str = Field(default="EUR", min_length=1, max_length=8)

    max_upload_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    """Documents with more pages or slides are refused with ``input.too_large``."""
    max_image_pixels: int = 50_000_000
    """Images larger than this are skipped (reported) rather than decoded."""

    quality_checks: bool = True
    """Run the easy-to-read rule checker and the faithfulness check in every job (spaCy, ~2-10 s to load)."""
    pdf_tables: bool = True
    """Detect ruled tables in PDFs (~10 % of PDF conversion time); off when tables are not wanted."""
    validate_ace: bool = True
    """Also run DAISY Ace (needs Chromium and tools/ace; missing ones are reported, not fatal)."""
    validate_epub: bool = True
    """Run EPUBCheck on every EPUB a job writes (needs Java; a missing Java is reported, not fatal)."""

    speech_voice_fr: str = "fr"
    speech_voice_en: str = "en"
    """espeak-ng voices per language (the ``espeak`` engine, and the fallback of ``piper``)."""
    tts_engine: Literal["espeak", "piper"] = "espeak"
    """Speech engine: ``espeak`` (espeak-ng: fast, robotic) or ``piper`` (neural voices from ``voices_dir``
    and voice packages, the ``piper`` extra); under ``piper`` a language without a Piper voice is read by
    espeak-ng with a ``tts.voice_fallback`` warning. ``inclusio voices list`` shows the installed voices."""
    voices_dir: Path | None = None
    """A folder of Piper voices an administrator downloaded: ``<id>.onnx`` beside ``<id>.onnx.json`` (and
    the voice's MODEL_CARD, for its licence); sub-folders are searched too (see docs/audio.md)."""
    piper_threads: int = Field(default=0, ge=0, le=64)
    """ONNX Runtime threads per Piper voice; 0 lets ONNX Runtime choose (one per physical core)."""
    lame_bitrate_kbps: int = 48
    speech_workers: int = Field(default=0, ge=0, le=64)
    """Sections synthesised and encoded at the same time within one job (each one runs its own ``lame``);
    0: one per core. Lower it when several workers share a machine."""
    speech_cache_dir: Path | None = None
    """A folder where synthesised sections are kept under the hash of their spoken text, voice, rate and
    bitrate, shared by every job (another learner with the same text, voice and rate reuses them). Unset:
    each job keeps them in its own folder (``.stages/speech``), for its re-runs only."""
    pronunciations: Path | None = None
    """A YAML pronunciation list (``written: spoken``, per language) used by every audio output, on top
    of a ``<input stem>.pronunciations.yaml`` next to the input (see docs/audio.md)."""

    organisation: str | None = None
    """The deploying organisation (``INCLUSIO_ORGANISATION``). When set, an EPUB that passes EPUBCheck and
    DAISY Ace gets the WCAG 2.1 AA conformance claim with ``a11y:certifiedBy`` = this name; unset, no claim."""

    # -- service: retention, watchdog, people (service issue) ------------------------------------
    retention_days: int = 90
    """``inclusio cleanup`` deletes finished jobs (row and files) older than this; 0 keeps them forever."""
    job_stuck_seconds: int = 600
    """Watchdog: a running job without a heartbeat, or a queued job not taken, for this long is re-sent."""
    job_max_attempts: int = 3
    """A job whose worker died this many times is failed with ``job.worker_lost`` instead of re-sent."""
    watchdog_interval_seconds: float = 30.0
    """How often ``serve`` and each ``worker`` run the stuck-job watchdog."""
    institution: str = "default"
    """Institution of local accounts (staff see every job of their institution)."""
    admin_username: str = "admin"
    admin_password: SecretStr | None = None
    """First admin's password; unset: ``inclusio serve`` creates the admin with a random one and prints it once."""
    token_hours: float = 12.0
    """Lifetime of the bearer tokens ``POST /auth/token`` hands out."""
    oidc_issuer: str | None = None
    """The identity provider's issuer (``iss``); set it with the JWKS to accept its tokens."""
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    """``https://idp/.../certs`` or a path to a JWKS JSON file."""
    oidc_role_claim: str = "roles"
    oidc_institution_claim: str = "institution"
    oidc_username_claim: str = "preferred_username"
    metrics_public: bool = False
    """``/metrics`` without a token (for a scraper on a private network); else staff or admin only."""
    max_batch_files: int = 200
    cookie_secure: bool | None = None
    """Web pages: the session cookie's ``Secure`` flag; unset: set when the request came over HTTPS."""
    secret_key: SecretStr | None = None
    """Server secret that signs the web forms' CSRF tokens (bound to the session); unset: a random key made once
    in ``<data_dir>/secret.key`` (0600). Several API hosts without a shared data folder must set the same value."""
    frame_ancestors: str = ""
    """Sites allowed to show the pages in a frame (an LMS), space-separated origins (``https://moodle.univ.example``
    or ``'self'``); empty: no framing at all (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``)."""
    signin_free_failures: int = Field(default=3, ge=0)
    """Wrong passwords allowed per account before each further attempt must wait (a growing delay)."""
    signin_delay_s: float = Field(default=1.0, ge=0)
    """First wait after the free failures; it doubles with each further failure."""
    signin_max_delay_s: float = Field(default=60.0, ge=0)
    """The longest wait between two attempts on one account or from one address."""
    signin_lock_failures: int = Field(default=10, ge=1)
    """Wrong passwords on one account (within ``signin_window_minutes``) that lock it (``auth.locked``)."""
    signin_lock_minutes: float = Field(default=30.0, ge=0)
    """How long a lock lasts; 0: until an administrator lifts it (``inclusio users unlock``)."""
    signin_window_minutes: float = Field(default=15.0, gt=0)
    """Failures older than this (and no lock) are forgotten."""
    signin_address_free_failures: int = Field(default=20, ge=0)
    """Wrong passwords from one network address (any account) before its attempts are slowed (a campus NAT
    shares one address: kept higher than the per-account figure)."""
    signin_address_lock_failures: int = Field(default=100, ge=1)
    """Wrong passwords from one address that lock it for ``signin_lock_minutes`` (0: until an admin lifts it)."""

    # -- telling a learner that a document is ready (issue #16: inclusio/notify.py) ----------------------
    base_url: str | None = None
    """The address people open the pages at (``https://inclusio.univ.example``): the link in the e-mails.
    Unset: the mail says to sign in, without a link."""
    smtp_host: str | None = None
    """The mail server; unset: no e-mail is ever sent (the notification list on the student's page stays)."""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "inclusio@localhost"
    """The sender address of the mails."""
    smtp_starttls: bool = True
    """Upgrade the connection with STARTTLS (checked certificate) before signing in and sending."""
    smtp_timeout_s: float = Field(default=10.0, gt=0)
    smtp_max_attempts: int = Field(default=4, ge=1, le=20)
    """Tries of one mail (the first and the retries, 30 s, 60 s, 120 s... apart) before it is given up
    (warning ``notify.email_failed``); a mail never fails its job."""
    smtp_retry_seconds: float = Field(default=30.0, ge=0)
    """The wait before the first retry of a mail; it doubles with each further one."""

    @field_validator("frame_ancestors")
    @classmethod
    def _check_frame_ancestors(cls, value: str) -> str:
        sources = value.split()
        for source in sources:
            if source not in ("'self'",) and not re.fullmatch(
                r"https?://[A-Za-z0-9.*-]+(:[0-9]{1,5})?/?", source
            ):
                raise ValueError(
                    f"INCLUSIO_FRAME_ANCESTORS: {source!r} is not an origin (https://host[:port]) or 'self'"
                )
        return " ".join(sources)

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'inclusio.db'}"

    def resolved_broker_url(self) -> str:
        return self.broker_url or f"sqla+sqlite:///{self.data_dir / 'broker.db'}"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once. Tests build their own :class:`Settings` instead."""
    return Settings()
