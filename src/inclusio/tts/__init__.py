"""Speech synthesis behind one small interface (:class:`Synthesizer`); espeak-ng in :mod:`inclusio.tts.espeak`."""

from inclusio.tts.base import Clip, SpeechAudio, Synthesizer

__all__ = ["Clip", "SpeechAudio", "Synthesizer"]
