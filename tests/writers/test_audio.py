"""The audio writer with real espeak-ng and real lame: MP3s that decode, chapters, timings."""

from __future__ import annotations

import json
import subprocess
import wave
from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.errors import StageError, ToolMissing
from inclusio.model import Document, Figure, Heading, Note, PageMarker, Paragraph, SourceInfo
from inclusio.profiles import load_profile
from inclusio.tts.espeak import EspeakSynthesizer
from inclusio.writers.audio import AudioWriter, LameStream, _resample
from inclusio.writers.base import RenderContext

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
SOURCE = SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64)
SENTENCES_FR = [
    "La cellule est l'unité de base du vivant.",
    "Elle contient un noyau.",
    "Le noyau porte l'ADN.",
    "Les mitochondries produisent l'énergie.",
    "La membrane protège la cellule.",
    "Elle laisse passer l'eau.",
    "Les ribosomes fabriquent les protéines.",
    "Le cytoplasme remplit la cellule.",
    "Les cellules se divisent.",
    "Ainsi naissent de nouveaux tissus.",
]


def render(doc: Document, tmp_path: Path, profile: str = "dyslexia", **settings: object):
    out = tmp_path / f"out-{profile}"
    progress: list[tuple[float, str]] = []
    ctx = RenderContext(
        out_dir=out,
        basename="cours",
        profile=load_profile(profile, PROFILES),
        settings=Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES, **settings),
        source=doc,
        progress=lambda f, m: progress.append((f, m)),
    )
    artifacts = AudioWriter().write(doc, ctx)
    timings = json.loads((out / "cours.audio.json").read_text(encoding="utf-8"))
    return {a.name: a for a in artifacts}, timings, progress


def decoded_seconds(mp3: Path, tmp_path: Path) -> float:
    """Decode with lame itself (a required tool) and measure the WAV: proves the MP3 is playable."""
    wav = tmp_path / (mp3.stem + ".decoded.wav")
    subprocess.run(["lame", "--quiet", "--decode", str(mp3), str(wav)], check=True)
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def chapter_doc(n_sentences: int, *, lang: str = "fr") -> Document:
    return Document(
        title="Biologie",
        lang=lang,
        source=SOURCE,
        authors=["A. Martin"],
        blocks=[
            PageMarker(id="p1", number=1),
            Heading(id="h1", level=1, text="La cellule"),
            Paragraph(id="b1", text=" ".join(SENTENCES_FR[:n_sentences])),
            PageMarker(id="p2", number=2),
            Heading(id="h2", level=1, text="Les tissus"),
            Paragraph(id="b2", text="Les tissus forment les organes."),
        ],
    )


@pytest.mark.slow
def test_mp3s_decode_and_their_length_grows_with_the_text(tmp_path: Path) -> None:
    short, short_timings, _ = render(chapter_doc(2), tmp_path / "short")
    long, long_timings, progress = render(chapter_doc(10), tmp_path / "long")
    assert set(long) == {"mp3", "mp3-01", "mp3-02", "audio-timings"}
    assert long["mp3"].path.name == "cours.mp3" and long["mp3"].media_type == "audio/mpeg"
    assert long["mp3-01"].path.relative_to(long["mp3"].path.parent) == Path("audio/cours-01.mp3")

    short_s = decoded_seconds(short["mp3"].path, tmp_path)
    long_s = decoded_seconds(long["mp3"].path, tmp_path)
    assert short_s > 3 and long_s > short_s + 8  # eight more sentences, each over a second
    # The timings describe the audio actually encoded (within the encoder's padding).
    assert long_s == pytest.approx(long_timings["duration_s"], abs=0.15)
    assert short_s == pytest.approx(short_timings["duration_s"], abs=0.15)
    # Per-section files add up to the full file.
    parts = [decoded_seconds(long[name].path, tmp_path) for name in ("mp3-01", "mp3-02")]
    for part, section in zip(parts, long_timings["sections"], strict=True):
        assert part == pytest.approx(section["duration_s"], abs=0.15)
    assert sum(parts) == pytest.approx(long_s, abs=0.3)
    # Progress as sections are synthesised, once per section written, then done.
    messages = [m for _, m in progress]
    assert [m for m in messages if "synthesised" in m] == [
        "Audio: 1/2 sections synthesised",
        "Audio: 2/2 sections synthesised",
    ]
    assert [m for m in messages if m.startswith("Audio: section")] == [
        "Audio: section 1/2",
        "Audio: section 2/2",
    ]
    assert progress[-1][0] == 1.0
    assert [f for f, _ in progress] == sorted(f for f, _ in progress)


@pytest.mark.slow
def test_timings_are_monotonic_and_end_with_the_audio(tmp_path: Path) -> None:
    _, timings, _ = render(chapter_doc(10), tmp_path)
    assert timings["sample_rate"] == 22050
    assert timings["voices"] == {"fr": "fr"}
    previous_end = 0.0
    for section in timings["sections"]:
        assert section["start_s"] == pytest.approx(previous_end, abs=0.002)
        clips = section["clips"]
        # Times in the decoded file: the speech starts after the encoder's delay (1105 samples) and
        # the file ends after the last clip with the last frame's padding (under two frames).
        assert clips[0]["start_s"] == pytest.approx(1105 / 22050, abs=0.001)
        for before, after in zip(clips, clips[1:], strict=False):
            assert before["start_s"] < before["end_s"] <= after["start_s"]
        assert 0 < section["duration_s"] - clips[-1]["end_s"] < 2 * 576 / 22050 + 0.001
        previous_end = section["end_s"]
    assert previous_end == pytest.approx(timings["duration_s"], abs=0.002)
    first = timings["sections"][0]
    assert (
        first["title"] == "La cellule"
        and first["heading_id"] == "h1"
        and first["file"] == "audio/cours-01.mp3"
    )
    assert [c["text"] for c in first["clips"]] == ["La cellule", *SENTENCES_FR]
    assert {c["block_id"] for c in first["clips"]} == {"h1", "b1"}


@pytest.mark.slow
def test_the_full_mp3_has_id3_chapters_at_the_section_boundaries(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    artifacts, timings, _ = render(chapter_doc(4), tmp_path)
    tags = ID3(str(artifacts["mp3"].path))
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Biologie" and str(tags["TLAN"]) == "fra"
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp1", "chp2"]
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == ["La cellule", "Les tissus"]
    assert chapters[0].start_time == 0
    assert chapters[1].start_time == round(timings["sections"][1]["start_s"] * 1000)
    assert chapters[1].end_time == round(timings["duration_s"] * 1000)
    # Each section file carries its own title and track number.
    second = ID3(str(artifacts["mp3-02"].path))
    assert str(second["TIT2"]) == "Les tissus" and str(second["TRCK"]) == "2/2"
    assert str(second["TALB"]) == "Biologie"


@pytest.mark.slow
def test_page_numbers_are_spoken_only_for_the_blind_profile(tmp_path: Path) -> None:
    doc = chapter_doc(2)
    _, plain, _ = render(doc, tmp_path, "dyslexia")
    _, blind, _ = render(doc, tmp_path, "blind")
    spoken = lambda t: [c["text"] for s in t["sections"] for c in s["clips"]]  # noqa: E731
    assert not any(text.startswith("Page") for text in spoken(plain))
    assert spoken(blind)[0] == "Page 1." and "Page 2." in spoken(blind)
    assert blind["rate_wpm"] == 220 and plain["rate_wpm"] == 150


@pytest.mark.slow
def test_french_course_quoting_english_uses_both_voices(tmp_path: Path) -> None:
    doc = Document(
        title="Shakespeare",
        lang="fr",
        source=SOURCE,
        blocks=[
            Heading(id="h", level=1, text="Une citation"),
            Paragraph(id="q", lang="en", role="quote", text="To be or not to be. That is the question."),
            Paragraph(id="p", text="Fin de la citation."),
            Note(id="n", kind="speaker", lang="de", text="Langsam lesen."),
            Paragraph(id="x", lang="tlh", text="Une langue sans voix."),
        ],
    )
    artifacts, timings, _ = render(doc, tmp_path)
    assert timings["voices"] == {"de": "de", "en": "en", "fr": "fr"}
    clips = timings["sections"][0]["clips"]
    assert [c["lang"] for c in clips] == ["fr", "en", "en", "fr", "de", "de", "tlh"]
    # The language without a voice (Klingon) is read by the document's voice, and the audio is whole.
    assert decoded_seconds(artifacts["mp3"].path, tmp_path) == pytest.approx(timings["duration_s"], abs=0.15)


@pytest.mark.slow
def test_an_english_document_gets_english_words_and_tags(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    doc = Document(
        title=None,
        lang="en",
        source=SOURCE,
        blocks=[Paragraph(id="a", text="The cell is the unit of life."), Figure(id="f", alt="A cell")],
    )
    artifacts, timings, _ = render(doc, tmp_path)
    assert [c["text"] for c in timings["sections"][0]["clips"]] == [
        "The cell is the unit of life.",
        "Figure: A cell.",
    ]
    assert timings["sections"][0]["title"] == "Start"
    assert str(ID3(str(artifacts["mp3"].path))["TLAN"]) == "eng"


def test_a_document_with_nothing_to_read_is_a_stage_error(tmp_path: Path) -> None:
    doc = Document(
        lang="fr", source=SOURCE, blocks=[PageMarker(id="p1", number=1), Figure(id="f", decorative=True)]
    )
    with pytest.raises(StageError) as info:
        render(doc, tmp_path)
    assert info.value.code == "stage.failed"
    assert "nothing to read" in info.value.message and "rien à lire" in info.value.message_fr
    assert not (tmp_path / "out-dyslexia" / "cours.mp3").exists()


def test_missing_lame_names_the_debian_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH where lame really is not found
    with pytest.raises(ToolMissing) as info:
        render(chapter_doc(1), tmp_path)
    assert info.value.code == "system.tool_missing"
    assert "'lame'" in info.value.message and info.value.details["debian_packages"] == ["lame"]


class FailingOnSecondCall:
    """Fault injection at the edge: the real espeak synthesizer, failing on its second call."""

    def __init__(self) -> None:
        self.real = EspeakSynthesizer()
        self.calls = 0

    def has_voice(self, lang: str) -> bool:
        return self.real.has_voice(lang)

    def synthesize(self, sentences: list[str], lang: str, rate_wpm: int):
        self.calls += 1
        if self.calls == 2:
            raise StageError("espeak-ng failed on a sentence (status -1).")
        return self.real.synthesize(sentences, lang, rate_wpm)


def test_a_failure_in_the_second_section_leaves_no_half_written_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    doc = chapter_doc(2)
    ctx = RenderContext(
        out_dir=out,
        basename="cours",
        profile=load_profile("dyslexia", PROFILES),
        settings=Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES),
        source=doc,
    )
    synth = FailingOnSecondCall()
    with pytest.raises(StageError):
        AudioWriter(synth).write(doc, ctx)
    assert synth.calls == 2  # one section per call, made side by side: one was made, the other failed
    outputs = [p for p in out.rglob("*") if ".stages" not in p.parts and p.is_file()]
    assert outputs == [] and not (out / "cours.audio.json").exists()
    # The section that was made is whole and kept (nothing half-written); a re-run makes only the other.
    stored = sorted(p.suffix for p in (out / ".stages" / "speech").iterdir())
    assert stored == [".json", ".mp3"]
    again = FailingOnSecondCall()
    again.calls = 5  # never fails again
    artifacts = {a.name: a for a in AudioWriter(again).write(doc, ctx)}
    assert again.calls == 6 and set(artifacts) == {"mp3", "mp3-01", "mp3-02", "audio-timings"}


def test_a_configured_voice_that_is_missing_fails_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    doc = chapter_doc(2)
    ctx = RenderContext(
        out_dir=out,
        basename="cours",
        profile=load_profile("dyslexia", PROFILES),
        settings=Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES, speech_voice_fr="no-such-voice"),
        source=doc,
    )
    with pytest.raises(StageError) as info:
        AudioWriter().write(doc, ctx)
    assert "no-such-voice" in info.value.message
    assert not list(out.rglob("*.mp3"))


def test_the_profiles_voice_is_used_for_the_documents_language(tmp_path: Path) -> None:
    # The profile asks for espeak-ng's Belgian French voice; a voice that does not exist proves the
    # profile's choice is really the one asked for (the settings' French voice exists).
    base = load_profile("dyslexia", PROFILES)
    settings = Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES)
    doc = chapter_doc(1)
    good = base.model_copy(update={"speech": base.speech.model_copy(update={"voice": "fr-be"})})
    ctx = RenderContext(out_dir=tmp_path / "a", basename="cours", profile=good, settings=settings, source=doc)
    assert AudioWriter().write(doc, ctx)
    missing = base.model_copy(update={"speech": base.speech.model_copy(update={"voice": "zz-profile-voice"})})
    ctx = RenderContext(
        out_dir=tmp_path / "b", basename="cours", profile=missing, settings=settings, source=doc
    )
    with pytest.raises(StageError) as info:
        AudioWriter().write(doc, ctx)
    assert "zz-profile-voice" in info.value.message


def test_16_khz_speech_is_resampled_for_the_mp3(tmp_path: Path) -> None:
    # What an MBROLA voice (16 kHz) gives: real espeak speech brought down to 16 kHz.
    audio = EspeakSynthesizer().synthesize(["Bonjour à tous, ceci est un essai."], "fr", 165)
    pcm16 = _resample(audio.pcm, audio.sample_rate, 16000)
    assert len(pcm16) // 2 == round(audio.n_samples * 16000 / audio.sample_rate)
    stream = LameStream("lame", tmp_path / "x.mp3", 16000, 48)
    stream.write(pcm16)
    stream.finish()
    subprocess.run(
        ["lame", "--quiet", "--decode", str(tmp_path / "x.mp3"), str(tmp_path / "x.wav")], check=True
    )
    with wave.open(str(tmp_path / "x.wav")) as w:
        assert w.getframerate() == 22050
        assert w.getnframes() / 22050 == pytest.approx(audio.duration_s, abs=0.1)


@pytest.mark.slow
def test_text_is_prepared_for_the_ear_with_the_course_pronunciations(tmp_path: Path) -> None:
    source = tmp_path / "cours.pdf"
    source.write_bytes(b"%PDF-1.7")  # never read: only its name locates the pronunciation list
    (tmp_path / "cours.pronunciations.yaml").write_text("fr:\n  ADN: a dé ène\n", encoding="utf-8")
    doc = Document(
        title="Biologie",
        lang="fr",
        source=SOURCE,
        blocks=[
            Heading(id="h1", level=1, text="Le coût"),
            Paragraph(id="b1", text="Le séquençage de l'ADN coûte 1 000 € [12]. Il est fait le 12/03/2024."),
            Figure(id="f1", caption="Figure 3. Un séquenceur."),
        ],
    )
    out = tmp_path / "out"
    ctx = RenderContext(
        out_dir=out,
        basename="cours",
        profile=load_profile("dyslexia", PROFILES),
        settings=Settings(data_dir=tmp_path / "data", profiles_dir=PROFILES),
        source=doc,
        input_path=source,
    )
    artifacts = {a.name: a for a in AudioWriter().write(doc, ctx)}
    clips = json.loads((out / "cours.audio.json").read_text(encoding="utf-8"))["sections"][0]["clips"]
    assert [c.get("spoken", c["text"]) for c in clips] == [
        "Le coût",
        "Le séquençage de l'a dé ène coûte 1000 euros.",
        "Il est fait le 12 mars 2024.",
        "Figure : Un séquenceur.",
    ]
    assert clips[1]["text"] == "Le séquençage de l'ADN coûte 1 000 € [12]."  # the written sentence is kept
    assert artifacts["mp3"].warnings == []  # the automatic checks found nothing wrong
