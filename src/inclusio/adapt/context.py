"""What every adaptation pass receives: the settings, the profile, the model session (or none).

A pass never decides by itself whether to call a model: :attr:`AdaptContext.session` is None
for the offline engine (the default), so nothing leaves the machine unless the engine was
configured (see :func:`inclusio.llm.remote_configured`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from inclusio.errors import InclusioError
from inclusio.model.document import Provenance

if TYPE_CHECKING:
    from inclusio.config import Settings
    from inclusio.llm.cache import LLMCache
    from inclusio.llm.session import LLMSession
    from inclusio.profiles.schema import Profile

OFFLINE_ENGINE = "offline"
REVIEW_NOTE = "needs review"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class AdaptContext:
    settings: Settings
    profile: Profile
    session: LLMSession | None = None
    cache: LLMCache | None = None
    created_at: str = field(default_factory=now_iso)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def remote(self) -> bool:
        return self.session is not None

    def model(self, pass_name: str) -> str:
        from inclusio.llm import model_for

        return model_for(self.settings, pass_name)

    def provenance(
        self,
        pass_name: str,
        *,
        engine: str = OFFLINE_ENGINE,
        model: str | None = None,
        prompt_version: str | None = None,
    ) -> Provenance:
        return Provenance(
            engine=engine,
            pass_name=pass_name,
            model=model,
            prompt_version=prompt_version,
            created_at=self.created_at,
        )

    def warn(self, error: InclusioError, *, pass_name: str, blocks: list[str] | None = None) -> None:
        """Record a coded warning (the job goes on; the report lists it)."""
        entry: dict[str, Any] = {"stage": "adapt", "pass": pass_name, **error.to_dict()}
        if blocks:
            entry["blocks"] = blocks[:50]
        with self._lock:
            self.warnings.append(entry)

    def cache_get(self, key: str) -> Any | None:
        return self.cache.get(key) if self.cache is not None else None

    def cache_put(self, key: str, value: Any, *, pass_name: str, model: str, prompt_version: str) -> None:
        if self.cache is not None:
            self.cache.put(key, value, pass_name=pass_name, model=model, prompt_version=prompt_version)
