"""The language-model layer of the adaptation engine (opt-in: the offline engine is the default).

* :mod:`~inclusio.llm.base`: the one interface (:class:`LLMClient`) and the request/answer values;
* :mod:`~inclusio.llm.mistral`: the Mistral backend through the ``mistralai`` SDK (cloud or a
  self-hosted server behind the same HTTP API);
* :mod:`~inclusio.llm.session`: limits (concurrency, requests and tokens per minute), retries
  honouring ``Retry-After``, structured JSON answers asked again once, token accounting;
* :mod:`~inclusio.llm.cache`: answers cached in SQLite by content, pass, prompt version, model
  and the profile settings that matter;
* :mod:`~inclusio.llm.prompts`: versioned prompt files (``prompts/*.md``).

Remote calls happen only when :func:`remote_configured` is true: ``INCLUSIO_ENGINE=mistral`` and
an API key or a server URL. The SDK is imported only when a client is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inclusio.config import Settings
    from inclusio.llm.session import LLMSession


def remote_configured(settings: Settings) -> bool:
    """Whether the settings allow remote calls (engine ``mistral`` and a key or a server URL)."""
    return settings.engine == "mistral" and bool(settings.mistral_api_key or settings.mistral_server_url)


def session_from_settings(settings: Settings) -> LLMSession:
    """A Mistral session for one job, built from the settings (which must be :func:`remote_configured`)."""
    from inclusio.llm.mistral import MistralClient
    from inclusio.llm.session import LLMSession, SessionLimits

    key = settings.mistral_api_key.get_secret_value() if settings.mistral_api_key else None
    client = MistralClient(
        api_key=key, server_url=settings.mistral_server_url, timeout_s=settings.llm_timeout_s
    )
    return LLMSession(client, SessionLimits.from_settings(settings))


def model_for(settings: Settings, pass_name: str) -> str:
    """The model a pass uses: the per-pass override, else the vision model for alt text, else the text model."""
    if pass_name in settings.mistral_pass_models:
        return settings.mistral_pass_models[pass_name]
    if pass_name == "alt_text":
        return settings.mistral_model_vision
    if pass_name == "ocr":
        return settings.mistral_model_ocr
    return settings.mistral_model_text
