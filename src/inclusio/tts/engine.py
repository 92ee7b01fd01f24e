"""The one place a synthesiser is built: the engine setting, the profile's voices, the fallback.

Writers (audio, EPUB read-along) and benches call :func:`synthesizer_for` instead of building an
engine themselves. ``INCLUSIO_TTS_ENGINE=espeak`` (the default) gives espeak-ng with the settings'
voices and the profile's ``speech.voice``. ``piper`` gives Piper voices (``INCLUSIO_VOICES_DIR`` and
voice packages), the profile's ``speech.voices`` choosing among them per language, with espeak-ng
as the fallback for a language without a Piper voice (a ``tts.voice_fallback`` warning, never silence).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from inclusio.tts.base import Synthesizer
from inclusio.tts.espeak import EspeakSynthesizer

if TYPE_CHECKING:
    from inclusio.config import Settings

ENGINES = ("espeak", "piper")


def synthesizer_for(settings: Settings, speech: Any, doc_lang: str) -> Synthesizer:
    """The synthesiser for a job: ``settings.tts_engine``, the profile's ``speech`` settings
    (:class:`inclusio.profiles.schema.SpeechSettings`: ``voice`` for espeak-ng, ``voices`` for Piper) and
    the document's language. Raises :class:`~inclusio.errors.ToolMissing` when Piper is chosen but not
    installed (the writer fails with that coded error rather than silently using another voice)."""
    espeak = EspeakSynthesizer.for_profile(settings, getattr(speech, "voice", None), doc_lang)
    if settings.tts_engine != "piper":
        return espeak
    from inclusio.tts.piper import piper_synthesizer, require_piper

    require_piper()
    return piper_synthesizer(settings, getattr(speech, "voices", None), fallback=espeak)


def voice_warnings(synth: Synthesizer, langs: Iterable[str]) -> list[dict[str, Any]]:
    """The coded warnings about the voices that read ``langs`` (the voice languages a job used): a
    language that Piper has no voice for and espeak-ng read (``tts.voice_fallback``), a profile's voice
    that is not installed (``tts.voice_not_installed``). Empty for espeak-ng alone."""
    method = getattr(synth, "voice_warnings", None)
    return list(method(langs)) if method is not None else []
