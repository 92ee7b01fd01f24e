"""Speech with libespeak-ng, through pyttsx3's own ctypes binding, in synchronous mode.

Why not ``pyttsx3.save_to_file``: above a few sentences it returns before writing and the audio
lands under the next call's file name (see PITFALLS §3). Why not the ``espeak-ng`` CLI: the
library gives the PCM and the sample rate directly, one process start fewer per sentence, and
the same voices.

libespeak-ng holds one global engine per process and is not thread-safe, so this module keeps a
single lazily initialised engine behind a lock; every :class:`EspeakSynthesizer` shares it. After a
``fork`` (Celery prefork workers) the child gets a fresh lock; the engine itself is plain memory in
synchronous mode (no audio thread), so the child can keep using it.
"""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from inclusio.errors import StageError, ToolMissing
from inclusio.tts.base import Clip, SpeechAudio

if TYPE_CHECKING:
    from inclusio.config import Settings

_EVENT_LIST_TERMINATED = 0
_EVENT_SAMPLERATE = 8  # espeakEVENT_SAMPLERATE: id.number is the voice's sample rate
_BUFFER_MS = 500


@dataclass
class _Engine:
    """The process's one libespeak-ng instance and what the callback collects."""

    lib: ModuleType
    sample_rate: int
    chunks: list[bytes] = field(default_factory=list)
    voice: str | None = None
    rate: int | None = None
    known_voices: dict[str, bool] = field(default_factory=dict)
    callback: Any = None


_lock = threading.Lock()
_engine: _Engine | None = None


def _reset_lock_after_fork() -> None:
    # A lock held by another thread at fork time would stay locked forever in the child.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_after_fork)


def _load_engine() -> _Engine:
    """Initialise libespeak-ng once per process (caller holds the lock)."""
    global _engine
    if _engine is not None:
        return _engine
    try:
        from pyttsx3.drivers import _espeak as lib
    except (OSError, RuntimeError, AttributeError) as exc:
        # pyttsx3 raises RuntimeError when no libespeak(-ng) shared library can be loaded.
        raise ToolMissing(
            "The speech library libespeak-ng is not installed. Install the Debian packages "
            "'espeak-ng' and 'libespeak-ng1' (apt-get install espeak-ng libespeak-ng1).",
            message_fr=(
                "La bibliothèque de synthèse vocale libespeak-ng n'est pas installée. Installez les "
                "paquets Debian « espeak-ng » et « libespeak-ng1 »."
            ),
            details={"tool": "libespeak-ng", "debian_packages": ["espeak-ng", "libespeak-ng1"]},
        ) from exc
    sample_rate = lib.Initialize(lib.AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS)
    if sample_rate <= 0:
        raise ToolMissing(
            "libespeak-ng could not start (its voice data may be missing). Reinstall the Debian packages "
            "'espeak-ng' and 'espeak-ng-data'.",
            message_fr=(
                "libespeak-ng n'a pas pu démarrer (ses données de voix manquent peut-être). Réinstallez "
                "les paquets Debian « espeak-ng » et « espeak-ng-data »."
            ),
            details={"tool": "libespeak-ng", "debian_packages": ["espeak-ng", "espeak-ng-data"]},
        )
    engine = _Engine(lib=lib, sample_rate=sample_rate)

    def on_audio(wav: Any, n_samples: int, events: Any) -> int:
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            if events[i].type == _EVENT_SAMPLERATE and events[i].id.number > 0:
                engine.sample_rate = events[i].id.number
            i += 1
        if wav and n_samples > 0:
            engine.chunks.append(ctypes.string_at(wav, n_samples * 2))
        return 0  # 0 = go on

    # pyttsx3 keeps the ctypes callback object alive in a module global; keep our own reference too.
    engine.callback = on_audio
    lib.SetSynthCallback(on_audio)
    _engine = engine
    return engine


def primary_lang(lang: str) -> str:
    """``fr-CA`` -> ``fr``; empty -> ``fr`` (the product's first language)."""
    return (lang or "fr").replace("_", "-").split("-")[0].lower() or "fr"


class EspeakSynthesizer:
    """A :class:`~inclusio.tts.base.Synthesizer` on libespeak-ng.

    ``voices`` maps a primary language subtag to an espeak-ng voice name (``{"fr": "fr", "en": "en"}``;
    ``mb-fr1`` for MBROLA). A language without an entry uses the espeak-ng voice of the same name
    (``de``, ``es``...) when it exists. One clip per sentence: each sentence is one synthesis call
    with an end-of-sentence pause, and its clip spans exactly its samples.
    """

    name = "espeak-ng"

    def __init__(self, voices: dict[str, str] | None = None) -> None:
        self.voices = dict(voices or {"fr": "fr", "en": "en"})

    @classmethod
    def from_settings(cls, settings: Settings) -> EspeakSynthesizer:
        """Voices from ``settings.speech_voice_fr`` and ``settings.speech_voice_en``."""
        return cls({"fr": settings.speech_voice_fr, "en": settings.speech_voice_en})

    @classmethod
    def for_profile(cls, settings: Settings, profile_voice: str | None, doc_lang: str) -> EspeakSynthesizer:
        """Voices from the settings, with the profile's ``speech.voice`` for the document's language."""
        synth = cls.from_settings(settings)
        if profile_voice:
            synth.voices[primary_lang(doc_lang)] = profile_voice
        return synth

    def voice_for(self, lang: str) -> str:
        """The espeak-ng voice name used for ``lang``."""
        primary = primary_lang(lang)
        return self.voices.get(primary, primary)

    def _select_voice(self, engine: _Engine, voice: str) -> bool:
        if engine.voice == voice:
            return True
        ok = engine.lib.SetVoiceByName(voice.encode("utf-8")) == 0
        engine.known_voices[voice] = ok
        # After a failed selection espeak-ng's current voice is unknown: select again next time.
        engine.voice = voice if ok else None
        engine.rate = None  # a new voice resets the rate
        return ok

    def has_voice(self, lang: str) -> bool:
        """Whether espeak-ng has the voice for ``lang`` (selecting it once to find out)."""
        voice = self.voice_for(lang)
        with _lock:
            engine = _load_engine()
            if voice not in engine.known_voices:
                self._select_voice(engine, voice)
            return engine.known_voices[voice]

    def synthesize(self, sentences: list[str], lang: str, rate_wpm: int) -> SpeechAudio:
        """Speak ``sentences`` with the voice for ``lang`` at ``rate_wpm`` (see the Synthesizer protocol)."""
        voice = self.voice_for(lang)
        with _lock:
            engine = _load_engine()
            if not self._select_voice(engine, voice):
                raise StageError(
                    f"No espeak-ng voice '{voice}' for language '{lang}'. Install it (see 'espeak-ng --voices') "
                    "or set INCLUSIO_SPEECH_VOICE_FR / INCLUSIO_SPEECH_VOICE_EN to an installed voice.",
                    message_fr=(
                        f"Aucune voix espeak-ng « {voice} » pour la langue « {lang} ». Installez-la "
                        "(voir « espeak-ng --voices ») ou choisissez une voix installée avec "
                        "INCLUSIO_SPEECH_VOICE_FR / INCLUSIO_SPEECH_VOICE_EN."
                    ),
                    details={"voice": voice, "lang": lang},
                )
            if engine.rate != rate_wpm:
                engine.lib.SetParameter(engine.lib.RATE, rate_wpm, 0)
                engine.rate = rate_wpm
            return self._speak(engine, sentences)

    @staticmethod
    def _speak(engine: _Engine, sentences: list[str]) -> SpeechAudio:
        lib = engine.lib
        pcm = bytearray()
        clips: list[Clip] = []
        sample_rate = engine.sample_rate
        for sentence in sentences:
            engine.chunks.clear()
            status = lib.Synth(sentence, flags=lib.CHARS_UTF8 | lib.ENDPAUSE)
            lib.Synchronize()
            if status != 0:
                raise StageError(
                    f"espeak-ng failed on a sentence (status {status}).",
                    message_fr=f"espeak-ng a échoué sur une phrase (code {status}).",
                    details={"sentence": sentence[:200], "status": status},
                )
            if engine.sample_rate != sample_rate and pcm:
                # The rate can only change with the voice, which is fixed during this call.
                raise StageError("espeak-ng changed its sample rate in the middle of a voice.")
            sample_rate = engine.sample_rate
            start = len(pcm) // 2
            for chunk in engine.chunks:
                pcm += chunk
            engine.chunks.clear()
            end = len(pcm) // 2
            clips.append(Clip(start / sample_rate, end / sample_rate, sentence))
        return SpeechAudio(pcm=bytes(pcm), sample_rate=sample_rate, clips=clips)
