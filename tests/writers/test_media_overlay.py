"""Read-along EPUBs: SMIL clips on id'd sentences, times from the synthesis, audio that matches them."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docfactory import PAGE_COUNT, MakeContext, sample_document
from lxml import etree

from inclusio.model import adapted_document
from inclusio.profiles import Profile
from inclusio.writers.epub3 import Epub3Writer
from inclusio.writers.media_overlay import ACTIVE_CLASS, clock

SMIL = "{http://www.w3.org/ns/SMIL}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "s": "http://www.w3.org/ns/SMIL",
}


def seconds(value: str) -> float:
    h, m, s = value.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def decoded_seconds(data: bytes, tmp: Path) -> float:
    mp3 = tmp / "clip.mp3"
    mp3.write_bytes(data)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(mp3)],
        capture_output=True,
        check=True,
        text=True,
    )
    return float(out.stdout.strip())


@pytest.fixture(scope="module")
def book(
    tmp_path_factory: pytest.TempPathFactory, profiles: dict[str, Profile], make_ctx: MakeContext
) -> zipfile.ZipFile:
    profile = profiles["dyslexia"]
    assert "mp3" in profile.outputs  # the profile asks for audio: the EPUB reads along
    doc = sample_document()
    out = tmp_path_factory.mktemp("read-along")
    [artifact] = Epub3Writer().write(
        adapted_document(doc, profile.adaptation_kinds), make_ctx(out, profile, doc)
    )
    return zipfile.ZipFile(artifact.path)


def smil_files(book: zipfile.ZipFile) -> list[str]:
    return sorted(n for n in book.namelist() if n.endswith(".smil"))


def test_every_xhtml_file_has_its_overlay_and_durations(book: zipfile.ZipFile) -> None:
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
    parts = [i for i in items.values() if i.get("href", "").startswith("part-")]
    assert parts and all(i.get("media-overlay") in items for i in parts)
    durations = {
        m.get("refines"): seconds(m.text) for m in opf.iterfind(".//opf:meta[@property='media:duration']", NS)
    }
    total = durations.pop(None)
    assert set(durations) == {f"#{i.get('media-overlay')}" for i in parts}
    assert total == pytest.approx(sum(durations.values()), abs=0.01)
    assert opf.findtext(".//opf:meta[@property='media:active-class']", namespaces=NS) == ACTIVE_CLASS
    assert ACTIVE_CLASS in book.read("EPUB/style/inclusio.css").decode()


def test_clips_increase_are_contiguous_and_end_with_the_audio(book: zipfile.ZipFile, tmp_path: Path) -> None:
    pages: list[tuple[float, float]] = []
    for name in smil_files(book):
        smil = etree.fromstring(book.read(name))
        audios = smil.findall(f".//{SMIL}audio")
        assert audios, name
        by_file: dict[str, list[tuple[float, float]]] = {}
        for a in audios:
            by_file.setdefault(a.get("src"), []).append(
                (seconds(a.get("clipBegin")), seconds(a.get("clipEnd")))
            )
        # the part's own MP3, and the page announcements' (the dyslexia profile does not read page numbers)
        own = f"../audio/{Path(name).stem}.mp3"
        assert set(by_file) <= {own, "../audio/pages.mp3"}
        pages += by_file.get("../audio/pages.mp3", [])
        times = by_file[own]
        # times in the decoded MP3: the speech starts after lame's delay (1105 samples at 22.05 kHz)
        assert times[0][0] == pytest.approx(1105 / 22050, abs=0.0015)
        for (begin, end), (next_begin, _) in zip(times, times[1:], strict=False):
            assert begin < end and end == pytest.approx(next_begin, abs=0.0015)
        mp3 = book.read("EPUB/" + own.removeprefix("../"))
        # the file ends with the last frame's padding (under two frames); never shorter than the clips
        assert times[-1][1] <= decoded_seconds(mp3, tmp_path) <= times[-1][1] + 0.06
    assert len(pages) == PAGE_COUNT and pages == sorted(pages)
    for (begin, end), (next_begin, _) in zip(pages, pages[1:], strict=False):
        assert begin < end and end == pytest.approx(next_begin, abs=0.0015)
    assert pages[-1][1] <= decoded_seconds(book.read("EPUB/audio/pages.mp3"), tmp_path) <= pages[-1][1] + 0.06


def test_every_clip_points_at_an_element_that_exists_and_sentences_are_spans(book: zipfile.ZipFile) -> None:
    spans = 0
    for name in smil_files(book):
        for text in etree.fromstring(book.read(name)).iter(f"{SMIL}text"):
            file, fragment = text.get("src").removeprefix("../").split("#")
            xhtml = etree.fromstring(book.read(f"EPUB/{file}"))
            [target] = xhtml.xpath(f"//*[@id='{fragment}']")
            if target.tag.endswith("span") and target.get("role") != "doc-pagebreak":
                spans += 1
                assert target.get(EPUB_TYPE) is None  # ebooklib would list it in the page-list
    assert spans >= 10


def test_page_numbers_are_in_the_overlay_and_skippable(book: zipfile.ZipFile) -> None:
    pars = [p for name in smil_files(book) for p in etree.fromstring(book.read(name)).iter(f"{SMIL}par")]
    pages = [p for p in pars if p.get(EPUB_TYPE) == "pagebreak"]
    assert len(pages) == PAGE_COUNT
    nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
    listed = [
        a.get("href").split("#")[1] for a in nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    ]
    assert [p.find(f"{SMIL}text").get("src").split("#")[1] for p in pages] == listed
    # the footnote and the table are marked so that reading systems can skip or escape them
    assert {p.get(EPUB_TYPE) for p in pars} >= {"pagebreak", "footnote", "table", "figure", "aside"}


def test_sentence_spans_follow_the_text(book: zipfile.ZipFile) -> None:
    xhtml = etree.fromstring(book.read("EPUB/part-002.xhtml"))
    [para] = xhtml.xpath("//x:p[@id='b4']", namespaces=NS)
    assert ["".join(s.itertext()) for s in para.xpath("./x:span", namespaces=NS)] == [
        "La cellule est l'unité de base du vivant.",
        "Elle contient un noyau.",
    ]
    assert para.xpath("./x:br", namespaces=NS)  # the source's line break is kept between them


def test_clock_values() -> None:
    assert clock(0) == "0:00:00.000" and clock(61.2345) == "0:01:01.234" and clock(3725.5) == "1:02:05.500"
    assert re.fullmatch(r"\d+:\d\d:\d\d\.\d{3}", clock(12.0))
