"""One synthesis per job (issue 18): the EPUB's read-along and the MP3s share each section's audio.

A real espeak-ng engine is wrapped by a synthesiser that counts its calls; the job runs end to end
(PDF made here, converted, adapted, rendered); the MP3s are decoded by ffmpeg/ffprobe.
"""

from __future__ import annotations

import json
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from inclusio.config import Settings
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile
from inclusio.pymupdf_setup import load
from inclusio.tts.base import Clip, SpeechAudio
from inclusio.tts.espeak import EspeakSynthesizer
from inclusio.writers import speech_audio
from inclusio.writers.audio_checks import check_frames, check_mp3
from inclusio.writers.speech_audio import mp3_frames

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
FRAME_S = 576 / 22050
SMIL = "{http://www.w3.org/ns/SMIL}"
PAGES = {
    "La cellule": [
        "La cellule est l'unité de base du vivant.",
        "Elle contient un noyau qui porte l'ADN.",
        "La membrane protège la cellule.",
    ],
    "Les mitochondries": [
        "Les mitochondries produisent l'énergie de la cellule.",
        "Elles respirent avec l'oxygène.",
    ],
    "La division": ["Les cellules se divisent en deux.", "Ainsi naissent de nouveaux tissus."],
}


class CountingSynth:
    """The real espeak-ng engine, counting its calls and what each one said (thread-safe)."""

    def __init__(self) -> None:
        self.real = EspeakSynthesizer()
        self.name = self.real.name
        self.said: list[tuple[str, ...]] = []
        self._lock = threading.Lock()

    @property
    def calls(self) -> int:
        return len(self.said)

    def voice_for(self, lang: str) -> str:
        return self.real.voice_for(lang)

    def has_voice(self, lang: str) -> bool:
        return self.real.has_voice(lang)

    def synthesize(self, sentences: list[str], lang: str, rate_wpm: int) -> SpeechAudio:
        with self._lock:
            self.said.append(tuple(sentences))
        return self.real.synthesize(sentences, lang, rate_wpm)


def course_pdf(path: Path) -> Path:
    pymupdf = load()
    doc = pymupdf.open()
    for title, sentences in PAGES.items():
        page = doc.new_page()
        page.insert_text((72, 90), title, fontsize=22, fontname="hebo")
        for line, sentence in enumerate(sentences):
            page.insert_text((72, 140 + 18 * line), sentence, fontsize=11, fontname="helv")
    doc.set_metadata({"title": "Biologie"})
    doc.save(path)
    return path


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingSynth:
    synth = CountingSynth()
    monkeypatch.setattr(speech_audio, "default_synthesizer", lambda ctx, lang: synth)
    return synth


def job(
    tmp_path: Path,
    out: str,
    profile: str = "dyslexia",
    outputs: tuple[str, ...] = ("epub", "mp3"),
    **settings: object,
):
    source = tmp_path / "cours.pdf"
    if not source.exists():
        course_pdf(source)
    options = {"validate_epub": False, "validate_ace": False, **settings}
    return run_job(
        source,
        load_profile(profile, PROFILES),
        tmp_path / out,
        settings=Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES, **options),
        outputs=list(outputs),
    )


def delivered(out: Path) -> list[Path]:
    """The files a learner gets (the stage records left out)."""
    return sorted(p for p in out.rglob("*") if p.is_file() and ".stages" not in p.parts)


def decoded_seconds(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        check=True,
        text=True,
    )
    return float(out.stdout)


def decoded_samples(path: Path) -> int:
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return len(pcm) // 2


@pytest.mark.slow
def test_one_synthesis_per_job_then_none_on_a_rerun(tmp_path: Path, counting: CountingSynth) -> None:
    first = job(tmp_path, "out")
    assert first.status == "succeeded", first.errors
    timings = json.loads((tmp_path / "out" / "cours.audio.json").read_text())
    said_in_mp3 = [clip["text"] for section in timings["sections"] for clip in section["clips"]]
    # Every sentence of the audio version was synthesised once, plus the EPUB's three page
    # announcements (the dyslexia profile does not read page numbers in the MP3): nothing twice.
    said = [sentence for call in counting.said for sentence in call]
    assert sorted(said) == sorted([*said_in_mp3, "Page 1.", "Page 2.", "Page 3."])
    assert len(counting.said) == len(set(counting.said))
    assert first.report["stages"]["speech"]["engine_calls"] == counting.calls
    book = zipfile.ZipFile(tmp_path / "out" / "cours.epub")
    assert "EPUB/audio/pages.mp3" in book.namelist()

    # A re-run into the same folder whose outputs were lost (a crash) synthesises nothing.
    calls = counting.calls
    for mp3 in (tmp_path / "out").rglob("*.mp3"):
        if ".stages" not in mp3.parts:
            mp3.unlink()
    (tmp_path / "out" / "cours.epub").unlink()
    again = job(tmp_path, "out")
    assert again.status == "succeeded" and "render.mp3" not in again.reused
    assert counting.calls == calls
    assert json.loads((tmp_path / "out" / "cours.audio.json").read_text()) == timings


@pytest.mark.slow
def test_another_learner_with_the_same_voice_and_rate_reuses_the_shared_speech(
    tmp_path: Path, counting: CountingSynth
) -> None:
    shared = tmp_path / "speech-cache"
    assert job(tmp_path, "first", speech_cache_dir=shared).status == "succeeded"
    calls = counting.calls
    assert calls > 0
    # Another job (another folder, no stage records in common), same text, voice and rate.
    assert job(tmp_path, "second", speech_cache_dir=shared).status == "succeeded"
    assert counting.calls == calls
    # Another rate is another audio.
    assert job(tmp_path, "slower", profile="adhd", speech_cache_dir=shared).status == "succeeded"
    assert counting.calls > calls


@pytest.mark.slow
def test_the_full_mp3_is_the_sections_joined_and_the_overlays_play_the_same_files(
    tmp_path: Path, counting: CountingSynth
) -> None:
    result = job(tmp_path, "out")
    assert result.status == "succeeded", result.errors
    out = tmp_path / "out"
    timings = json.loads((out / "cours.audio.json").read_text())
    sections = [out / section["file"] for section in timings["sections"]]
    assert len(sections) == 3
    full = out / "cours.mp3"
    # Frame-exact join: the full file's frames are the sections' frames, in order, byte for byte.
    frames = [(mp3_frames(p.read_bytes()), p.read_bytes()) for p in sections]
    full_data = full.read_bytes()
    full_frames = mp3_frames(full_data)
    assert full_data[full_frames.start : full_frames.end] == b"".join(d[f.start : f.end] for f, d in frames)
    # Decoded by ffmpeg: the full file lasts the sum of the sections, within one frame.
    parts = [decoded_seconds(p) for p in sections]
    assert decoded_seconds(full) == pytest.approx(sum(parts), abs=FRAME_S)
    assert decoded_samples(full) == pytest.approx(sum(decoded_samples(p) for p in sections), abs=576)
    for part, section in zip(parts, timings["sections"], strict=True):
        assert part == pytest.approx(section["duration_s"], abs=FRAME_S)
    assert timings["duration_s"] == pytest.approx(decoded_seconds(full), abs=FRAME_S)
    # The writer's own checks agree: decoding the full file (ffmpeg) finds the sum of the sections,
    # walking each section's frames finds its duration; a copy cut short is caught by both.
    expected = sum(section["duration_s"] for section in timings["sections"])
    assert [w["code"] for w in check_mp3(full, expected_s=expected, words=0, rate_wpm=150)] == []
    for path, section in zip(sections, timings["sections"], strict=True):
        assert check_frames(path, expected_s=section["duration_s"]) == []
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(full_data[: len(full_data) * 2 // 3])
    assert [w["code"] for w in check_frames(cut, expected_s=expected)] == ["audio.truncated"]
    assert "audio.truncated" in [
        w["code"] for w in check_mp3(cut, expected_s=expected, words=0, rate_wpm=150)
    ]

    # The EPUB's read-along plays the same files as the MP3 sections, at the same clip times.
    book = zipfile.ZipFile(out / "cours.epub")
    section_frames = [d[f.start : f.end] for f, d in frames]
    for smil_name in sorted(n for n in book.namelist() if n.endswith(".smil")):
        smil = etree.fromstring(book.read(smil_name))
        own = [a for a in smil.iter(f"{SMIL}audio") if "pages.mp3" not in a.get("src")]
        audio = book.read("EPUB/" + own[0].get("src").removeprefix("../"))
        index = section_frames.index(audio)  # the very frames of one MP3 section
        # copied into the book as it is (stored: MP3 does not compress, and it is never held whole in memory)
        assert (
            book.getinfo("EPUB/" + own[0].get("src").removeprefix("../")).compress_type == zipfile.ZIP_STORED
        )
        clips = timings["sections"][index]["clips"]
        assert [(a.get("clipBegin"), a.get("clipEnd")) for a in own] == [
            (clock(c["start_s"]), clock(c["end_s"])) for c in clips
        ]


class BrokenSynth(CountingSynth):
    """Fails on what its second call says, every time it is asked again (until ``how`` is "fixed"):
    the engine crashes, or returns audio whose timings do not match the sentences."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.bad: tuple[str, ...] | None = None

    def synthesize(self, sentences: list[str], lang: str, rate_wpm: int) -> SpeechAudio:
        audio = super().synthesize(sentences, lang, rate_wpm)
        if self.calls == 2:
            self.bad = tuple(sentences)
        if self.how == "fixed" or tuple(sentences) != self.bad:
            return audio
        if self.how == "crash":
            raise RuntimeError("voice model returned NaN")
        # one timing missing: the read-along and the timings file would point at the wrong sentences
        return SpeechAudio(audio.pcm, audio.sample_rate, audio.clips[:-1] or [Clip(0.0, 99.0, "?")])


@pytest.mark.slow
@pytest.mark.parametrize("how", ["crash", "corrupt"])
def test_a_failed_synthesis_leaves_the_job_partial_with_a_stable_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    synth = BrokenSynth(how)
    monkeypatch.setattr(speech_audio, "default_synthesizer", lambda ctx, lang: synth)
    result = job(tmp_path, "out", speech_workers=1)
    assert result.status == "partial"
    [error] = result.errors
    assert error["stage"] == "render.mp3" and error["code"] == "stage.failed"
    assert error["details"]["engine"] == "espeak-ng"
    assert ("RuntimeError" if how == "crash" else "sentence timings") in error["details"]["reason"]
    assert "synthèse vocale" in error["message_fr"]
    # The speech stage met the failure first and left it to the writers; no MP3 half made.
    assert result.report["stages"]["speech"]["left_to_writers"] == "stage.failed"
    out = tmp_path / "out"
    assert [p.name for p in delivered(out)] == ["cours.epub"]
    # The EPUB is delivered without read-along, and says so.
    assert "epub.read_along_failed" in [w["code"] for w in result.warnings if w["stage"] == "render.epub"]
    with zipfile.ZipFile(out / "cours.epub") as book:
        assert not [n for n in book.namelist() if n.endswith((".smil", ".mp3"))]
    # Only whole sections were kept (the first one at least); a re-run with a working engine makes
    # only what is missing: 4 sections (3 of the course, 1 of the EPUB's page announcements).
    stored = sorted((out / ".stages" / "speech").iterdir())
    assert all(p.suffix in (".json", ".mp3") for p in stored)
    kept = len([p for p in stored if p.suffix == ".json"])
    assert 1 <= kept < 4
    synth.how = "fixed"
    before = synth.calls
    again = job(tmp_path, "out", speech_workers=1)
    assert again.status == "succeeded", again.errors
    assert synth.calls - before == 4 - kept


@pytest.mark.slow
def test_a_damaged_stored_section_is_made_again(tmp_path: Path, counting: CountingSynth) -> None:
    assert job(tmp_path, "out", outputs=("mp3",)).status == "succeeded"
    calls = counting.calls
    out = tmp_path / "out"
    store = out / ".stages" / "speech"
    mp3s = sorted(store.glob("*.mp3"))
    assert len(mp3s) == 3 and calls == 3  # three short sections, one engine call each
    cut = mp3s[0]
    cut.write_bytes(cut.read_bytes()[:-100])  # a copy cut short
    (store / f"{mp3s[1].stem}.json").write_text("{not json")  # metadata lost in a crash
    # a description that parses but does not hold clip times (written by someone else in a shared store)
    meta = json.loads((store / f"{mp3s[2].stem}.json").read_text())
    (store / f"{mp3s[2].stem}.json").write_text(
        json.dumps({**meta, "clips": [[None, "x"]] * len(meta["clips"])})
    )
    for path in delivered(out):
        path.unlink()
    again = job(tmp_path, "out", outputs=("mp3",))
    assert again.status == "succeeded", again.errors
    assert counting.calls == calls + 3  # the three damaged sections made again
    timings = json.loads((out / "cours.audio.json").read_text())
    for section in timings["sections"]:
        assert check_frames(out / section["file"], expected_s=section["duration_s"]) == []
    assert not [w for w in again.warnings if w["code"] == "audio.truncated"]


@pytest.mark.slow
def test_validation_beside_the_renders_gives_the_report_it_gives_after_them(
    tmp_path: Path, counting: CountingSynth
) -> None:
    """EPUBCheck and Ace started right after the EPUB (beside the MP3 and HTML renders) give the same
    validation, errors, warnings and conformance claim as when they run after every render."""
    checks = {"validate_epub": True, "validate_ace": True, "organisation": "Université de test"}
    beside = job(tmp_path, "beside", outputs=("epub", "mp3", "html"), **checks)
    after = job(tmp_path, "after", outputs=("mp3", "html", "epub"), **checks)
    assert beside.status == after.status == "succeeded", (beside.errors, after.errors)
    assert beside.report["stages"]["validate.start"]["started"] is True
    assert "validate.start" not in after.report["stages"]
    assert beside.report["validation"] == after.report["validation"]
    assert beside.report["validation"]["epubcheck"]["ran"] and beside.report["validation"]["ace"]["claim"]

    def validate_notes(result) -> list[tuple[str, str]]:  # noqa: ANN001
        return sorted(
            (w["code"], w["message"]) for w in result.warnings + result.errors if w["stage"] == "validate"
        )

    assert validate_notes(beside) == validate_notes(after)
    for name in ("beside", "after"):
        with zipfile.ZipFile(tmp_path / name / "cours.epub") as book:
            opf = book.read(next(n for n in book.namelist() if n.endswith(".opf")))
            assert "Université de test".encode() in opf  # the claim Ace's pass wrote in
            # Ace's rewrite copied the MP3s as they were (stored), frames intact
            for info in book.infolist():
                if info.filename.endswith(".mp3"):
                    assert info.compress_type == zipfile.ZIP_STORED
                    assert mp3_frames(book.read(info)).frames > 0
    # A re-run takes the validation back from its record (the claimed EPUB is the one rendered).
    again = job(tmp_path, "beside", outputs=("epub", "mp3", "html"), **checks)
    assert again.status == "succeeded", again.errors
    assert "validate" in again.reused and "render.epub" in again.reused
    assert again.report["stages"]["validate.start"]["started"] is False
    assert again.report["validation"] == json.loads(json.dumps(beside.report["validation"]))


@pytest.mark.slow
def test_piper_without_a_french_voice_reads_with_espeak_and_says_so_even_from_the_store(
    tmp_path: Path,
) -> None:
    """INCLUSIO_TTS_ENGINE=piper reaches the job's speech (the registry's English voice is the only
    Piper voice here): the French course is read by espeak-ng, never silence, and both outputs carry
    tts.voice_fallback, also on a re-run that finds every section stored (0 engine calls)."""
    import piper  # noqa: F401 - the piper extra, installed by scripts/setup.sh --test: fail if missing

    first = job(tmp_path, "out", tts_engine="piper")
    assert first.status == "succeeded", first.errors
    timings = json.loads((tmp_path / "out" / "cours.audio.json").read_text())
    assert timings["engine"] == "piper" and timings["voices"] == {"fr": "espeak-ng:fr"}
    assert first.report["stages"]["speech"]["engine_calls"] > 0

    def fallbacks(result) -> set[str]:  # noqa: ANN001
        return {w["stage"] for w in result.warnings if w["code"] == "tts.voice_fallback"}

    assert fallbacks(first) == {"render.mp3", "render.epub"}
    for path in delivered(tmp_path / "out"):
        path.unlink()
    again = job(tmp_path, "out", tts_engine="piper")
    assert again.status == "succeeded", again.errors
    assert again.report["stages"]["speech"]["engine_calls"] == 0
    assert fallbacks(again) == {"render.mp3", "render.epub"}


def clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"0:{millis // 60000:02d}:{millis % 60000 // 1000:02d}.{millis % 1000:03d}"
