"""Automatic checks on a finished MP3: decoded length, truncation, long silences, speaking rate.

Each check returns warnings (``code``, ``message``, ``severity``), never raises for a bad audio
file: the audio is still delivered and the report says what looks wrong. The MP3 is decoded by
``ffmpeg`` (Debian ``ffmpeg``), which also finds silences (``silencedetect``) without loading the
PCM into Python.

* ``audio.truncated``: the decoded file is shorter than the PCM sent to the encoder (by more
  than ``TRUNCATION_TOLERANCE_S``);
* ``audio.long_silence``: a silence of ``LONG_SILENCE_S`` or more (below ``SILENCE_DB``);
* ``audio.rate_unexpected``: the duration is far from what the word count and the profile's rate
  predict (below half or above twice: tables and announcements add words, pauses add time);
* a section file, made of the same frames as the full file, is checked by walking its frames
  (:func:`check_frames`, no decoding): ``audio.truncated`` when it is cut or shorter than expected;
* ``audio.checks_skipped`` (info): ``ffmpeg`` is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusio.warning_codes import warning_text

TRUNCATION_TOLERANCE_S = 0.25
LONG_SILENCE_S = 3.0
SILENCE_DB = -50
_TIMEOUT_S = 600.0
_DURATION = re.compile(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)")
_SILENCE = re.compile(r"silence_end: ([\d.]+) \| silence_duration: ([\d.]+)")


@dataclass
class AudioCheck:
    """What ffmpeg found in one file: decoded duration (s) and silences as (start_s, duration_s)."""

    path: Path
    decoded_s: float
    silences: list[tuple[float, float]] = field(default_factory=list)


def _warning(code: str, fields: dict[str, Any], severity: str = "warning", **details: Any) -> dict[str, Any]:
    """The warning ``code`` with its catalogue messages (``fields`` fill them in) and its raw ``details``."""
    return {
        "code": code,
        "message": warning_text(code, "en", **fields),
        "message_fr": warning_text(code, "fr", **fields),
        "severity": severity,
        **({"details": details} if details else {}),
    }


def analyse_mp3(path: Path, *, min_silence_s: float = LONG_SILENCE_S) -> AudioCheck | None:
    """Decode ``path`` with ffmpeg (null output): its duration and its long silences; None without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    completed = subprocess.run(
        [
            ffmpeg,
            "-hide_banner",
            "-nostats",
            "-stats_period",
            "1000",
            "-i",
            str(path),
            "-af",
            f"silencedetect=noise={SILENCE_DB}dB:d={min_silence_s}",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        timeout=_TIMEOUT_S,
        check=False,
    )
    text = completed.stderr.decode("utf-8", "replace")
    # "-stats_period" keeps ffmpeg quiet but it still prints the final progress line with time=.
    times = _DURATION.findall(text)
    decoded = 0.0
    if times:
        h, m, s = times[-1]
        decoded = int(h) * 3600 + int(m) * 60 + float(s)
    silences = [(float(end) - float(duration), float(duration)) for end, duration in _SILENCE.findall(text)]
    return AudioCheck(path=path, decoded_s=decoded, silences=silences)


def check_mp3(path: Path, *, expected_s: float, words: int, rate_wpm: int) -> list[dict[str, Any]]:
    """The warnings for one MP3 whose PCM lasted ``expected_s`` and that reads ``words`` words."""
    check = analyse_mp3(path)
    if check is None:
        return [_warning("audio.checks_skipped", {}, "info")]
    out: list[dict[str, Any]] = []
    if check.decoded_s < expected_s - TRUNCATION_TOLERANCE_S:
        out.append(
            _warning(
                "audio.truncated",
                {"file": path.name, "decoded_s": f"{check.decoded_s:.1f}", "expected_s": f"{expected_s:.1f}"},
                file=path.name,
                decoded_s=round(check.decoded_s, 2),
                expected_s=round(expected_s, 2),
            )
        )
    for start, duration in check.silences:
        out.append(
            _warning(
                "audio.long_silence",
                {"file": path.name, "duration_s": f"{duration:.1f}", "start_s": f"{start:.1f}"},
                file=path.name,
                start_s=round(start, 2),
                duration_s=round(duration, 2),
            )
        )
    if words >= 20 and rate_wpm > 0:
        predicted = words / rate_wpm * 60
        if not predicted / 2 <= check.decoded_s <= predicted * 2:
            out.append(
                _warning(
                    "audio.rate_unexpected",
                    {
                        "file": path.name,
                        "decoded_s": f"{check.decoded_s:.0f}",
                        "words": words,
                        "rate_wpm": rate_wpm,
                        "predicted_s": f"{predicted:.0f}",
                    },
                    file=path.name,
                    decoded_s=round(check.decoded_s, 2),
                    predicted_s=round(predicted, 2),
                )
            )
    return out


def check_frames(path: Path, *, expected_s: float) -> list[dict[str, Any]]:
    """``audio.truncated`` when ``path`` is not whole MP3 frames lasting ``expected_s`` (no decoding)."""
    from inclusio.errors import StageError
    from inclusio.writers.speech_audio import mp3_frames

    try:
        found = mp3_frames(path.read_bytes()).duration_s
    except (OSError, StageError):
        found = 0.0
    if found >= expected_s - TRUNCATION_TOLERANCE_S:
        return []
    fields = {"file": path.name, "decoded_s": f"{found:.1f}", "expected_s": f"{expected_s:.1f}"}
    return [
        _warning(
            "audio.truncated",
            fields,
            file=path.name,
            decoded_s=round(found, 2),
            expected_s=round(expected_s, 2),
        )
    ]
