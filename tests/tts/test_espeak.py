"""libespeak-ng through pyttsx3's binding: real voices, real PCM, timings from the samples."""

from __future__ import annotations

import multiprocessing
import threading
import wave
from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.errors import StageError
from inclusio.tts.espeak import EspeakSynthesizer, primary_lang

FR = ["Bonjour à tous.", "La cellule est l'unité de base du vivant.", "Elle contient un noyau."]
EN = ["Hello everyone.", "The cell is the basic unit of life.", "It contains a nucleus."]


@pytest.fixture(scope="module")
def synth() -> EspeakSynthesizer:
    return EspeakSynthesizer.from_settings(Settings())


def _assert_clips_consistent(audio, texts: list[str]) -> None:
    assert [clip.text for clip in audio.clips] == texts
    assert audio.clips[0].start_s == 0.0
    for before, after in zip(audio.clips, audio.clips[1:], strict=False):
        assert before.start_s < before.end_s <= after.start_s
    assert audio.clips[-1].end_s == pytest.approx(audio.duration_s, abs=1e-9)


@pytest.mark.parametrize(("lang", "texts"), [("fr", FR), ("en", EN), ("en-GB", EN), ("fr-CA", FR)])
def test_french_and_english_voices_give_speech_with_one_clip_per_sentence(synth, lang, texts) -> None:
    audio = synth.synthesize(texts, lang, 165)
    assert audio.sample_rate == 22050  # espeak-ng's own voices; taken from the engine, not assumed
    # Three short sentences at 165 wpm last a few seconds, not milliseconds and not minutes.
    assert 2.0 < audio.duration_s < 15.0
    assert (
        max(
            abs(int.from_bytes(audio.pcm[i : i + 2], "little", signed=True))
            for i in range(0, len(audio.pcm), 200)
        )
        > 1000
    ), "audible, not silence"
    _assert_clips_consistent(audio, texts)


def test_the_wav_written_has_the_duration_of_the_clips(synth, tmp_path: Path) -> None:
    audio = synth.synthesize(FR, "fr", 165)
    path = tmp_path / "s.wav"
    audio.write_wav(path)
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert wav.getframerate() == audio.sample_rate
        seconds = wav.getnframes() / wav.getframerate()
    assert audio.clips[-1].end_s == pytest.approx(seconds, abs=1e-6)


def test_a_faster_rate_gives_shorter_audio(synth) -> None:
    slow = synth.synthesize(FR, "fr", 120)
    fast = synth.synthesize(FR, "fr", 300)
    assert fast.duration_s < 0.75 * slow.duration_s


def test_voices_switch_back_and_forth(synth) -> None:
    # The same French text read by the English voice sounds (and lasts) clearly different; espeak-ng's
    # output varies by a few samples from call to call, so durations are compared, not bytes.
    french = synth.synthesize(FR[1:], "fr", 165).duration_s
    english = synth.synthesize(FR[1:], "en", 165).duration_s
    again = synth.synthesize(FR[1:], "fr", 165).duration_s
    assert abs(english - french) > 0.15 * french
    assert again == pytest.approx(french, rel=0.02)


def test_empty_input_gives_empty_audio(synth) -> None:
    audio = synth.synthesize([], "fr", 165)
    assert audio.pcm == b"" and audio.clips == [] and audio.duration_s == 0.0


def test_a_language_without_a_voice_is_reported(synth) -> None:
    assert synth.has_voice("fr") and synth.has_voice("en")
    assert synth.has_voice("de")  # no setting needed: espeak-ng's voice of the same name
    assert not synth.has_voice("zz")
    with pytest.raises(StageError) as info:
        synth.synthesize(["Bonjour."], "zz", 165)
    assert info.value.code == "stage.failed"
    assert "zz" in info.value.message
    # The engine is still usable after a failed voice selection.
    assert synth.synthesize(FR[:1], "fr", 165).duration_s > 0.3


def test_a_configured_voice_that_is_not_installed_is_reported() -> None:
    synth = EspeakSynthesizer({"fr": "no-such-voice"})
    with pytest.raises(StageError) as info:
        synth.synthesize(["Bonjour."], "fr", 165)
    assert "INCLUSIO_SPEECH_VOICE_FR" in info.value.message


def test_threads_share_the_engine_safely(synth) -> None:
    expected = {
        lang: synth.synthesize(texts, lang, 165).duration_s for lang, texts in (("fr", FR), ("en", EN))
    }
    results: list[tuple[str, float, list[str]]] = []

    def work(lang: str, texts: list[str]) -> None:
        for _ in range(3):
            audio = synth.synthesize(texts, lang, 165)
            results.append((lang, audio.duration_s, [clip.text for clip in audio.clips]))

    threads = [threading.Thread(target=work, args=args) for args in (("fr", FR), ("en", EN))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6
    # Interleaved calls would mix voices or audio buffers: each result has its own voice's length.
    for lang, duration, texts in results:
        assert duration == pytest.approx(expected[lang], rel=0.02)
        assert texts == (FR if lang == "fr" else EN)


def _speak_in_child(queue) -> None:
    audio = EspeakSynthesizer().synthesize(["Bonjour depuis un processus enfant."], "fr", 165)
    queue.put(audio.duration_s)


def test_a_forked_worker_process_can_speak_after_the_parent_did(synth) -> None:
    synth.synthesize(FR[:1], "fr", 165)  # the parent's engine is initialised (as in a Celery parent)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_speak_in_child, args=(queue,))
    child.start()
    duration = queue.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert duration > 0.5


def test_primary_lang() -> None:
    assert primary_lang("fr-CA") == "fr"
    assert primary_lang("EN_gb") == "en"
    assert primary_lang("") == "fr"
