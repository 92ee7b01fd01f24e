"""One synthesis per job: each section's speech synthesised once, encoded once, kept by its content.

The audio of a job is made of *sections*: lists of :class:`~inclusio.writers.speech_text.SpeechUnit`
(one top-level section of the document, or the page announcements of the EPUB's read-along). A
:class:`SpeechStore` turns each list into one MP3 file (frames only: no ID3 tag, no LAME/Xing
frame) and the time of each unit in it, and keeps both in a folder under a key, the SHA-256 of
everything the audio depends on: the spoken texts (after :func:`~inclusio.tts.normalize.speakable`
and the pronunciation list), the voice language of each, the engine and its voices, the rate and
the bitrate. So:

* the MP3 writer (per-section files and the full file) and the EPUB's media overlays ask for the
  same sections and get the same files: the text is synthesised once per job;
* a re-run, or another learner whose profile gives the same text, voice and rate, finds the files
  and synthesises nothing;
* the full MP3 is the section files joined frame by frame (:func:`join_mp3`): same encoder settings,
  no second encoding, and its decoded length is the sum of the sections'.

Sections are made in parallel (:meth:`SpeechStore.make_all`, ``settings.speech_workers`` at a time,
one per core by default): a worker thread synthesises its section (the engine may serialise calls,
espeak-ng does: it is fast) and pipes the PCM into its own ``lame`` process, so the encoders, which
cost most of the CPU, run on every core.

Times: clip times are measured on the PCM (samples / sample rate) and shifted by the encoder's
delay (:data:`ENCODER_DELAY_SAMPLES`, lame 3.100's 576 + the decoder's 529 samples), so they are
times in the decoded MP3 file. A section's duration is its frames x samples per frame / sample rate,
which is what a decoder (ffmpeg) gives; it includes the encoder's delay and its last frame's padding.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from array import array
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from inclusio.errors import InclusioError, StageError, ToolMissing
from inclusio.store.files import STAGE_RECORDS_DIR, write_atomic
from inclusio.tts.base import SpeechAudio, Synthesizer
from inclusio.tts.normalize import Pronunciations, speakable
from inclusio.writers.base import RenderContext
from inclusio.writers.speech_text import SpeechUnit

CHUNK_SENTENCES = 40
"""Sentences per synthesis call: bounds the PCM held in memory per worker (typically 3-4 MB; at most
~45 MB, since :func:`~inclusio.text.sentences.split_sentences` caps a sentence at 400 characters)."""

ENCODER_DELAY_SAMPLES = 1105
"""Samples of silence before the first PCM sample in a decoded lame 3.100 MP3 without a LAME tag
(576 encoder delay + 529 decoder delay; measured with ffmpeg: tests/writers/test_audio.py,
tests/writers/test_media_overlay.py and tests/pipeline/test_speech_once.py check it on decoded files)."""

MP3_SAMPLE_RATE = 22050
"""Every MP3 is encoded at this rate (lame resamples other voices' audio), so sections can be joined."""

STORE_VERSION = 2
"""Part of every key: a change in how sections are made (encoder options, timing rules) bumps it.
2: clip times rounded to the millisecond in the store (one rounding for the timings file and SMIL)."""


def _resample(pcm: bytes, src_rate: int, dst_rate: int) -> bytes:
    """Linear-interpolation resampling of mono 16-bit PCM.

    Only needed when two voices of one section have different rates (an MBROLA voice at 16 kHz
    beside an espeak voice at 22.05 kHz); plain Python, so slow, but that mix is rare.
    """
    if src_rate == dst_rate or not pcm:
        return pcm
    samples = array("h")
    samples.frombytes(pcm)
    n_out = max(1, round(len(samples) * dst_rate / src_rate))
    step = src_rate / dst_rate
    last = len(samples) - 1
    out = array("h", bytes(2 * n_out))
    for i in range(n_out):
        pos = i * step
        j = int(pos)
        if j >= last:
            out[i] = samples[last]
        else:
            frac = pos - j
            out[i] = int(samples[j] + (samples[j + 1] - samples[j]) * frac)
    return out.tobytes()


class LameStream:
    """A running ``lame`` reading raw mono 16-bit little-endian PCM on stdin, writing frames only.

    ``-t``: no LAME/Xing tag frame, so files made with the same settings can be joined frame by
    frame into one valid stream (:func:`join_mp3`).
    """

    def __init__(self, lame: str, out: Path, sample_rate: int, bitrate_kbps: int) -> None:
        self.out = out
        args = [lame, "--quiet", "-t", "-r", "-s", f"{sample_rate / 1000:g}", "--bitwidth", "16"]
        args += ["--signed", "--little-endian", "-m", "m", "-b", str(bitrate_kbps)]
        if sample_rate != MP3_SAMPLE_RATE:
            # 16 kHz MP3 at 48 kb/s sounds worse and plays badly in some players (PITFALLS §3); and every
            # section must have one layout to be joined, whatever voice (engine) read it.
            args += ["--resample", f"{MP3_SAMPLE_RATE / 1000:g}"]
        # Closed in finish() or kill(); a file, not a pipe, so a chatty lame can never block on it.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._proc = subprocess.Popen(
            [*args, "-", str(out)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr
        )

    def write(self, pcm: bytes) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(pcm)
        except BrokenPipeError:
            self.finish()  # raises with lame's own message

    def finish(self) -> None:
        """Close the input and wait; raise :class:`StageError` if lame failed."""
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._proc.stdin.close()
        code = self._proc.wait()
        self._stderr.seek(0)
        message = self._stderr.read().decode("utf-8", "replace").strip()[-500:]
        self._stderr.close()
        if code != 0 or not self.out.is_file():
            raise StageError(
                f"The MP3 encoder (lame) failed on {self.out.name} (exit {code}): {message}",
                message_fr=f"L'encodeur MP3 (lame) a échoué sur {self.out.name} (code {code}) : {message}",
                details={"file": self.out.name, "exit_code": code},
            )

    def kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if not self._stderr.closed:
            self._stderr.close()


def require_lame() -> str:
    """The path of ``lame``; raises :class:`ToolMissing` naming the Debian package when it is absent."""
    lame = shutil.which("lame")
    if lame is None:
        raise ToolMissing(
            "The MP3 encoder 'lame' is not installed. Install the Debian package 'lame' (apt-get install lame).",
            message_fr="L'encodeur MP3 « lame » n'est pas installé. Installez le paquet Debian « lame ».",
            details={"tool": "lame", "debian_packages": ["lame"]},
        )
    return lame


@dataclass
class SpeechRun:
    lang: str
    units: list[SpeechUnit]


def speech_runs(units: list[SpeechUnit], voice_lang: dict[str, str]) -> list[SpeechRun]:
    """Consecutive units with the same voice language, in chunks of at most CHUNK_SENTENCES."""
    runs: list[SpeechRun] = []
    for unit in units:
        lang = voice_lang[unit.lang]
        if runs and runs[-1].lang == lang and len(runs[-1].units) < CHUNK_SENTENCES:
            runs[-1].units.append(unit)
        else:
            runs.append(SpeechRun(lang, [unit]))
    return runs


# -- MP3 frames ----------------------------------------------------------------------------------

_BITRATES = {  # kb/s by bitrate index, layer III: MPEG-1, then MPEG-2/2.5
    1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}


@dataclass(frozen=True)
class Mp3Frames:
    """Where the audio frames of an MP3 file are, and what they hold."""

    start: int
    end: int
    frames: int
    sample_rate: int
    samples_per_frame: int
    layout: tuple[int, int, int]
    """(MPEG version bits, sample rate index, channel mode): what must match to join two files."""

    @property
    def duration_s(self) -> float:
        return self.frames * self.samples_per_frame / self.sample_rate


def _id3v2_size(data: bytes) -> int:
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    return 10 + size + (10 if data[5] & 0x10 else 0)


def mp3_frames(data: bytes) -> Mp3Frames:
    """Walk the layer III frames of ``data`` (after an ID3v2 tag, before an ID3v1 tag).

    Raises :class:`StageError` when the bytes are not a clean sequence of frames of one layout.
    """
    pos = start = _id3v2_size(data)
    end = len(data) - (128 if data[-128:-125] == b"TAG" else 0)
    frames, layout, rate, spf = 0, None, 0, 0
    while pos + 4 <= end:
        h = int.from_bytes(data[pos : pos + 4], "big")
        version, layer, br_index, sr_index = (h >> 19) & 3, (h >> 17) & 3, (h >> 12) & 15, (h >> 10) & 3
        if h >> 21 != 0x7FF or version == 1 or layer != 1 or br_index in (0, 15) or sr_index == 3:
            raise StageError(
                f"Not an MP3 frame at byte {pos}.",
                message_fr=f"Pas une trame MP3 à l'octet {pos}.",
                details={"offset": pos},
            )
        this = (version, sr_index, (h >> 6) & 3)
        if layout is None:
            layout, rate = this, _RATES[version][sr_index]
            spf = 1152 if version == 3 else 576
        elif this != layout:
            raise StageError(
                "The MP3 changes its sample rate or channels in the middle.",
                message_fr="Le MP3 change de fréquence ou de canaux en cours de route.",
                details={"offset": pos},
            )
        bitrate = _BITRATES[1 if version == 3 else 2][br_index] * 1000
        pos += (144 if version == 3 else 72) * bitrate // rate + ((h >> 9) & 1)
        frames += 1
    if layout is None or pos != end:
        raise StageError(
            "The MP3 file is empty or ends in the middle of a frame.",
            message_fr="Le fichier MP3 est vide ou se termine au milieu d'une trame.",
            details={"offset": pos},
        )
    return Mp3Frames(start, end, frames, rate, spf, layout)


def join_mp3(parts: list[Path], out: Path) -> float:
    """Join MP3 files made with the same settings into ``out``, frame by frame (no re-encoding).

    Tags of the parts are left out. Returns the joined file's duration (the sum of the parts').
    Raises :class:`StageError` when a part is not clean frames or its layout differs.
    """
    layout = None
    total = 0.0
    with open(out, "wb") as sink:
        for part in parts:
            data = part.read_bytes()
            frames = mp3_frames(data)
            if layout is not None and frames.layout != layout:
                raise StageError(
                    f"{part.name} was not encoded like the other sections.",
                    message_fr=f"{part.name} n'a pas été encodé comme les autres sections.",
                    details={"file": part.name},
                )
            layout = frames.layout
            sink.write(data[frames.start : frames.end])
            total += frames.duration_s
    return total


# -- the store -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionAudio:
    """One section's MP3 (frames only, shared: copy it before tagging) and its units' times in it."""

    key: str
    mp3: Path
    duration_s: float
    sample_rate: int
    clips: list[tuple[float, float]]
    """(start_s, end_s) of each unit, in order, in the decoded MP3."""
    spoken: list[str]
    """What the voice said for each unit (its text prepared for the ear)."""


ProgressFn = Callable[[float, str], None]


class SpeechStore:
    """Sections' audio in ``folder`` under the hash of their content (see the module docstring).

    A unit is read by the voice of its language when the engine has one, else by the document's
    (``doc_lang``), else by the French one (:meth:`voice_language`). ``workers``: sections made at the same time (``None``: one per core).
    ``calls`` counts the engine calls this store made (0 when everything was found).
    """

    def __init__(
        self,
        folder: Path,
        synth: Synthesizer,
        *,
        doc_lang: str,
        rate_wpm: int,
        bitrate_kbps: int,
        pronunciations: Pronunciations | None = None,
        workers: int | None = None,
    ) -> None:
        self.folder = folder
        self.synth = synth
        self.doc_lang = doc_lang
        self.rate_wpm = rate_wpm
        self.bitrate_kbps = bitrate_kbps
        self.pronunciations = pronunciations
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.calls = 0
        self.voice_lang: dict[str, str] = {}
        self._fallback: str | None = None
        self._lock = threading.Lock()

    def voice_language(self, lang: str) -> str:
        """The language whose voice reads ``lang``: itself, else the document's, else French."""
        if lang not in self.voice_lang:
            if self._fallback is None:
                self._fallback = self.doc_lang if self.synth.has_voice(self.doc_lang) else "fr"
            self.voice_lang[lang] = lang if self.synth.has_voice(lang) else self._fallback
        return self.voice_lang[lang]

    def voice_warnings(self) -> list[dict[str, Any]]:
        """The engine's coded warnings about the voices this store's sections were read with
        (``tts.voice_fallback``, ``tts.voice_not_installed``): the same whether they were synthesised
        now or found stored."""
        from inclusio.tts.engine import voice_warnings

        return voice_warnings(self.synth, sorted(set(self.voice_lang.values())))

    def spoken(self, units: list[SpeechUnit]) -> list[tuple[str, str]]:
        """(voice language, spoken text) of each unit."""
        return [(self.voice_language(u.lang), speakable(u.text, u.lang, self.pronunciations)) for u in units]

    def key(self, units: list[SpeechUnit]) -> str:
        return self._key(self.spoken(units))

    def _key(self, spoken: list[tuple[str, str]]) -> str:
        """The hash the section is stored under: the spoken texts, voices, engine, rate and bitrate."""
        identity = engine_identity(self.synth, sorted({lang for lang, _ in spoken}))
        material = [STORE_VERSION, identity, self.rate_wpm, self.bitrate_kbps, spoken]
        return hashlib.sha256(json.dumps(material, ensure_ascii=False).encode("utf-8")).hexdigest()

    def get(self, units: list[SpeechUnit]) -> SectionAudio | None:
        """The stored audio of ``units``, or None when it was never made (or its files are damaged)."""
        spoken = self.spoken(units)
        key = self._key(spoken)
        meta_path, mp3 = self.folder / f"{key}.json", self.folder / f"{key}.mp3"
        try:  # a description that does not read as one (damaged, or written by someone else) is remade
            meta = json.loads(meta_path.read_text("utf-8"))
            if mp3.stat().st_size != meta["bytes"] or len(meta["clips"]) != len(units):
                return None
            clips = [(float(a), float(b)) for a, b in meta["clips"]]
            duration, rate = float(meta["duration_s"]), int(meta["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not all(0 <= a <= b <= duration + 1 for a, b in clips):
            return None
        return SectionAudio(key, mp3, duration, rate, clips, [text for _, text in spoken])

    def make_all(
        self, sections: list[list[SpeechUnit]], progress: ProgressFn | None = None
    ) -> list[SectionAudio]:
        """The audio of every section, in order: stored ones taken back, the others made in parallel.

        Raises what the engine and :class:`LameStream` raise; a failed section leaves no file behind
        (sections already finished stay stored: they are whole).
        """
        found = {index: self.get(units) for index, units in enumerate(sections)}
        todo = {index: units for index, units in enumerate(sections) if found[index] is None}
        if todo:
            lame = require_lame()
            self.folder.mkdir(parents=True, exist_ok=True)
            total = sum(len(units) for units in todo.values()) or 1
            done = sections_done = 0
            with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="speech") as pool:
                futures: dict[Future[SectionAudio], int] = {
                    pool.submit(self._make, units, lame): index for index, units in todo.items()
                }
                pending = set(futures)
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                    for future in finished:
                        if future.exception() is not None:
                            for other in pending:
                                other.cancel()
                            raise future.exception()  # type: ignore[misc]
                        found[futures[future]] = future.result()
                        done += len(todo[futures[future]])
                        sections_done += 1
                        if progress is not None:
                            progress(done / total, f"Audio: {sections_done}/{len(todo)} sections synthesised")
        return [found[index] for index in range(len(sections))]  # type: ignore[misc]

    def _synthesize(self, texts: list[str], lang: str) -> SpeechAudio:
        """One engine call, checked: an engine that crashes or returns audio that does not match the
        sentences (no sample rate, a half sample, not one clip per sentence, clips out of the audio)
        raises :class:`StageError` (``stage.failed``) naming the engine, never a bare exception."""
        engine = getattr(self.synth, "name", type(self.synth).__name__)
        with self._lock:
            self.calls += 1
        try:
            audio = self.synth.synthesize(texts, lang, self.rate_wpm)
        except InclusioError:
            raise
        except Exception as exc:  # noqa: BLE001 - an engine's own failure becomes a coded one
            raise _synthesis_failed(engine, lang, f"{type(exc).__name__}: {exc}") from exc
        problem = None
        if audio.sample_rate <= 0 or len(audio.pcm) % 2:
            problem = f"PCM of {len(audio.pcm)} bytes at {audio.sample_rate} Hz"
        elif len(audio.clips) != len(texts):
            problem = f"{len(audio.clips)} sentence timings for {len(texts)} sentences"
        elif any(not 0 <= c.start_s <= c.end_s <= audio.duration_s + 0.001 for c in audio.clips):
            problem = "sentence timings outside the audio"
        if problem is not None:
            raise _synthesis_failed(engine, lang, problem)
        return audio

    def _make(self, units: list[SpeechUnit], lame: str) -> SectionAudio:
        """Synthesise and encode one section into the store (the mp3 first, its metadata last)."""
        spoken = self.spoken(units)
        key = self._key(spoken)
        part = self.folder / f"{key}.{os.getpid()}.{id(units)}.part"
        stream: LameStream | None = None
        sample_rate: int | None = None
        samples = 0
        clips: list[tuple[float, float]] = []
        try:
            for run in speech_runs(units, self.voice_lang):
                texts = [text for _, text in spoken[len(clips) : len(clips) + len(run.units)]]
                audio = self._synthesize(texts, run.lang)
                if sample_rate is None:
                    sample_rate = audio.sample_rate
                    stream = LameStream(lame, part, sample_rate, self.bitrate_kbps)
                pcm = _resample(audio.pcm, audio.sample_rate, sample_rate)
                offset = samples / sample_rate
                clips += [(offset + c.start_s, offset + c.end_s) for c in audio.clips]
                assert stream is not None
                stream.write(pcm)
                samples += len(pcm) // 2
            assert stream is not None
            stream.finish()
            frames = mp3_frames(part.read_bytes())
        except BaseException:
            if stream is not None:
                stream.kill()
            part.unlink(missing_ok=True)
            raise
        delay = ENCODER_DELAY_SAMPLES / frames.sample_rate
        meta = {
            # to the millisecond, once: the timings file and the SMIL clocks then say the same times
            "clips": [[round(a + delay, 3), round(b + delay, 3)] for a, b in clips],
            "duration_s": frames.duration_s,
            "sample_rate": frames.sample_rate,
            "bytes": part.stat().st_size,
        }
        mp3 = self.folder / f"{key}.mp3"
        os.replace(part, mp3)
        write_atomic(self.folder / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        timed = [(float(a), float(b)) for a, b in meta["clips"]]
        return SectionAudio(
            key, mp3, frames.duration_s, frames.sample_rate, timed, [text for _, text in spoken]
        )


def _synthesis_failed(engine: str, lang: str, reason: str) -> StageError:
    return StageError(
        f"Speech synthesis failed ({engine}, language {lang}): {reason}. The other outputs are still "
        "available; try again, or report this document.",
        message_fr=f"La synthèse vocale a échoué ({engine}, langue {lang}) : {reason}. Les autres résultats "
        "restent disponibles ; réessayez, ou signalez ce document.",
        details={"engine": engine, "lang": lang, "reason": reason},
    )


def engine_identity(synth: Synthesizer, voice_langs: list[str]) -> dict[str, Any]:
    """What names the voice: the engine's name and, per voice language, its voice (when it says)."""
    voice_for = getattr(synth, "voice_for", None)
    return {
        "engine": getattr(synth, "name", type(synth).__name__),
        "voices": {lang: str(voice_for(lang)) if voice_for else lang for lang in voice_langs},
    }


def load_pronunciations(ctx: RenderContext) -> Pronunciations:
    """The course's pronunciation list: ``INCLUSIO_PRONUNCIATIONS``, then ``<input>.pronunciations.yaml``."""
    return Pronunciations.load(ctx.settings.pronunciations, ctx.companion(".pronunciations.yaml"))


def default_synthesizer(ctx: RenderContext, doc_lang: str) -> Synthesizer:
    """The job's speech engine (:func:`inclusio.tts.engine.synthesizer_for`): ``INCLUSIO_TTS_ENGINE``, the
    profile's ``speech`` voices, espeak-ng as the fallback of a language without a Piper voice."""
    from inclusio.tts.engine import synthesizer_for

    return synthesizer_for(ctx.settings, ctx.profile.speech, doc_lang)


def store_folder(ctx: RenderContext) -> Path:
    """``INCLUSIO_SPEECH_CACHE_DIR`` when set (shared by jobs), else the job folder's stage records."""
    return ctx.settings.speech_cache_dir or ctx.out_dir / STAGE_RECORDS_DIR / "speech"


def job_store(ctx: RenderContext, doc_lang: str, synth: Synthesizer | None = None) -> SpeechStore:
    """The store every audio user of one job shares (same engine, voices, rate, bitrate, pronunciations)."""
    return SpeechStore(
        store_folder(ctx),
        synth if synth is not None else default_synthesizer(ctx, doc_lang),
        doc_lang=doc_lang,
        rate_wpm=ctx.profile.speech.rate_wpm,
        bitrate_kbps=ctx.settings.lame_bitrate_kbps,
        pronunciations=load_pronunciations(ctx),
        workers=ctx.settings.speech_workers or None,
    )
