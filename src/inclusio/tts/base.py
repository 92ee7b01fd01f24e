"""The speech-synthesis interface: sentences in, mono 16-bit PCM with per-sentence timings out."""

from __future__ import annotations

import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Clip:
    """Where one sentence sits in the audio, in seconds from the start of that audio."""

    start_s: float
    end_s: float
    text: str


@dataclass
class SpeechAudio:
    """Mono, signed 16-bit little-endian PCM at ``sample_rate``, with one :class:`Clip` per sentence.

    Clip times come from the synthesis itself (cumulative samples / sample rate), so they are exact
    for the PCM here; they are increasing and the last clip ends at :attr:`duration_s`.
    """

    pcm: bytes
    sample_rate: int
    clips: list[Clip] = field(default_factory=list)

    @property
    def n_samples(self) -> int:
        return len(self.pcm) // 2

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate if self.sample_rate else 0.0

    def write_wav(self, path: Path) -> None:
        """Write the PCM as a mono 16-bit WAV file."""
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(self.pcm)


class Synthesizer(Protocol):
    """Turns sentences into speech.

    ``synthesize`` reads ``sentences`` in order, in language ``lang`` (BCP 47: ``fr``, ``en-GB``...;
    the primary subtag picks the voice) at ``rate_wpm`` words per minute, and returns their audio
    with one clip per sentence (same order, same texts). An empty list gives empty audio.

    ``has_voice`` says whether a voice exists for ``lang``; callers fall back to another language
    rather than failing on a short quotation in a language without a voice.

    Raises :class:`inclusio.errors.ToolMissing` when the speech engine is not installed and
    :class:`inclusio.errors.StageError` when there is no voice for ``lang`` or synthesis fails.
    Implementations must be safe to call from several threads (they may serialise the calls).
    Writers build theirs with :func:`inclusio.tts.engine.synthesizer_for` (the engine setting, the
    profile's voices, the fallback) and report :func:`inclusio.tts.engine.voice_warnings` for the
    languages they read (``tts.voice_fallback``: a language read by espeak-ng instead of the chosen
    engine; ``tts.voice_not_installed``: a profile's voice that is missing). An engine may offer
    ``voice_warnings(langs)`` and ``voice_for(lang)``; both are optional.
    """

    def has_voice(self, lang: str) -> bool: ...

    def synthesize(self, sentences: list[str], lang: str, rate_wpm: int) -> SpeechAudio: ...
