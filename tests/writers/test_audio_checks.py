"""Automatic checks on finished MP3s (ffmpeg): truncation, long silences, speaking rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.tts.espeak import EspeakSynthesizer
from inclusio.writers.audio import LameStream
from inclusio.writers.audio_checks import analyse_mp3, check_mp3

SENTENCES = ["La cellule est l'unité de base du vivant.", "Elle contient un noyau et des organites."]


def _mp3(path: Path, pcm: bytes, rate: int) -> Path:
    stream = LameStream("lame", path, rate, 48)
    stream.write(pcm)
    stream.finish()
    return path


@pytest.fixture(scope="module")
def speech() -> tuple[bytes, int]:
    audio = EspeakSynthesizer().synthesize(SENTENCES, "fr", 165)
    return audio.pcm, audio.sample_rate


def test_a_good_file_has_no_warning(tmp_path: Path, speech: tuple[bytes, int]) -> None:
    pcm, rate = speech
    path = _mp3(tmp_path / "ok.mp3", pcm, rate)
    expected = len(pcm) / 2 / rate
    check = analyse_mp3(path)
    assert check is not None and check.decoded_s == pytest.approx(expected, abs=0.2)
    assert check_mp3(path, expected_s=expected, words=14, rate_wpm=165) == []


def test_a_long_silence_is_found_where_it_is(tmp_path: Path, speech: tuple[bytes, int]) -> None:
    pcm, rate = speech
    gap = bytes(2 * rate * 4)  # 4 s of digital silence
    path = _mp3(tmp_path / "gap.mp3", pcm + gap + pcm, rate)
    warnings = check_mp3(path, expected_s=(2 * len(pcm) + len(gap)) / 2 / rate, words=28, rate_wpm=165)
    [silence] = [w for w in warnings if w["code"] == "audio.long_silence"]
    assert silence["details"]["duration_s"] >= 3.9
    assert silence["details"]["start_s"] == pytest.approx(len(pcm) / 2 / rate, abs=0.6)


def test_a_cut_file_is_reported_as_truncated(tmp_path: Path, speech: tuple[bytes, int]) -> None:
    pcm, rate = speech
    path = _mp3(tmp_path / "cut.mp3", pcm, rate)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    codes = [w["code"] for w in check_mp3(path, expected_s=len(pcm) / 2 / rate, words=0, rate_wpm=165)]
    assert codes == ["audio.truncated"]


def test_a_duration_far_from_the_word_count_is_reported(tmp_path: Path, speech: tuple[bytes, int]) -> None:
    pcm, rate = speech
    path = _mp3(tmp_path / "ok.mp3", pcm, rate)
    warnings = check_mp3(path, expected_s=len(pcm) / 2 / rate, words=500, rate_wpm=165)
    assert [w["code"] for w in warnings] == ["audio.rate_unexpected"]


def test_without_ffmpeg_the_checks_are_skipped_and_said(
    tmp_path: Path, speech: tuple[bytes, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pcm, rate = speech
    path = _mp3(tmp_path / "ok.mp3", pcm, rate)
    monkeypatch.setenv("PATH", "/nonexistent")
    [warning] = check_mp3(path, expected_s=1.0, words=0, rate_wpm=165)
    assert warning["code"] == "audio.checks_skipped" and warning["severity"] == "info"
