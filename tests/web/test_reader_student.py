"""The reader's gaps closed for the student (issue #16): the profile's fonts served and applied, folded key
points not read aloud, and read-along highlighting for every profile that has it, page announcements included.

* No browser: a course made here (a PDF with a title page, page-start headings, a page going on after its
  heading and a blank last page) is run for every profile with audio; every sentence the audio says is
  highlighted in the reader (the blind profile's "Page 3." announcements too).
* Chromium (Debian's, through Playwright): the OpenDyslexic file is fetched from the server (200, font/otf,
  cached) and is the text's font; a folded "Points clés" box is skipped by the player, read when unfolded;
  the blind profile's page announcement is highlighted while it is said; axe-core 0 violations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_helpers import make_settings, make_user, submit, wait_finished
from test_journeys import JOB_TIMEOUT_MS, SAMPLES, axe_clean, check_page, sign_in
from web_fixtures import PASSWORD, Server, watch_fonts

from inclusio.model import Document
from inclusio.profiles import list_profiles, load_profile
from inclusio.web.reader import build_book, font_faces_css

# One job with audio of the 3-page sample (~15-40 s on a loaded machine), two small ones, ~30 s in the browser.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
OPEN_DYSLEXIC = "/web/fonts/OpenDyslexic-Regular.otf"
ATKINSON = (
    ("AtkinsonHyperlegible-Regular.ttf", "normal", "normal"),
    ("AtkinsonHyperlegible-Italic.ttf", "normal", "italic"),
    ("AtkinsonHyperlegible-Bold.ttf", "bold", "normal"),
    ("AtkinsonHyperlegible-BoldItalic.ttf", "bold", "italic"),
)


def course_pdf(path: Path) -> Path:
    """A 6-page course: a title page, two sections starting at the top of a page and going on over the next
    page, and a blank page at the end (a page with nothing but its number to announce)."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 60), "La plante et ses organes", fontsize=26)
    page.insert_text((72, 100), "Un cours de biologie pour la premiere annee.", fontsize=11)
    for heading, body in (
        ("Les racines", "Les racines puisent l'eau du sol. Elles fixent la plante."),
        ("Les feuilles", "Les feuilles captent la lumiere. Elles respirent aussi."),
    ):
        page = doc.new_page()
        page.insert_text((72, 90), heading, fontsize=20)
        page.insert_text((72, 130), body, fontsize=11)
        doc.new_page().insert_text((72, 90), body.replace("Les ", "Ces ", 1), fontsize=11)
    doc.new_page()
    doc.save(path)
    return path


# -- every profile with read-along: every said sentence highlighted (no browser) ----------------------------


def test_every_profile_with_audio_highlights_every_sentence_it_says(tmp_path: Path) -> None:
    from inclusio.pipeline import run_job

    source = course_pdf(tmp_path / "plante.pdf")
    settings = make_settings(tmp_path)
    with_audio = [p for p in list_profiles(PROFILES) if "mp3" in p.outputs]
    assert {p.id for p in with_audio} >= {"blind", "adhd", "dyslexia"}
    assert any(p.speech.read_page_numbers for p in with_audio)  # a profile that announces pages is tested
    for listed in with_audio:
        profile = load_profile(listed.id, PROFILES)
        out = tmp_path / profile.id
        result = run_job(source, profile, out, settings=settings, outputs=["mp3", "json"])
        assert result.status == "succeeded", (profile.id, result.errors)
        timings = json.loads(next(out.glob("*.audio.json")).read_text())
        names = {s["file"]: f"mp3-{i:02d}" for i, s in enumerate(timings["sections"], start=1)}
        doc = Document.from_json(next(out.glob("*.document.json")).read_bytes())
        book = build_book(doc, profile, timings, names)
        said = {s["file"]: [c for c in s["clips"] if c["end_s"] > c["start_s"]] for s in timings["sections"]}
        by_audio = {names[f]: clips for f, clips in said.items()}
        assert [s.audio for s in book.sections if s.clips] == list(by_audio), profile.id  # each section plays
        for section in book.sections:
            clips = by_audio[section.audio]  # type: ignore[index]
            assert [(c.start_s, c.end_s) for c in section.clips] == [
                (float(c["start_s"]), float(c["end_s"])) for c in clips
            ], (profile.id, section.title)
            for clip in section.clips:  # each highlights an element of its own section
                assert f'id="{clip.target}"' in str(section.html), (profile.id, clip)
        pages = [c for s in said.values() for c in s if c["text"].startswith("Page ")]
        if profile.speech.read_page_numbers:
            assert len(pages) == 6, profile.id  # the blank page is announced too
            assert (
                sum(1 for s in book.sections for c in s.clips if "pagebreak" in _class_of(s, c.target)) == 6
            )
        else:
            assert pages == [], profile.id


def _class_of(section: Any, target: str) -> str:
    html = str(section.html)
    at = html.index(f'id="{target}"')
    start = html.rindex("<", 0, at)
    return html[start : html.index(">", at)]


# -- in the browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jobs(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A student's three finished jobs: the sample course with audio (ADHD: key points), the course made here
    with audio for the blind profile (page announcements), and the same with OpenDyslexic asked."""
    folder = tmp_path_factory.mktemp("reader_student")
    source = course_pdf(folder / "plante.pdf")
    _, token = make_user(
        server.settings, "student", username="fontreader", password=PASSWORD, institution=server.institution
    )
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.base, headers=headers, timeout=30) as api:
        points = submit(api, SAMPLES / "cours-photosynthese-fr.pdf", profile="adhd", outputs="mp3,json")
        blind = submit(api, source, profile="blind", outputs="mp3,json")
        with source.open("rb") as fh:
            answer = api.post(
                "/jobs",
                files={"file": ("plante.pdf", fh, "application/pdf")},
                data={
                    "profile": "dyslexia",
                    "outputs": "json",
                    "reading": json.dumps({"font_family": "OpenDyslexic, Verdana, sans-serif"}),
                },
            )
        assert answer.status_code == 202, answer.text
        font = answer.json()["id"]
        for job_id in (points, blind, font):
            job = wait_finished(api, job_id, server.worker, timeout=JOB_TIMEOUT_MS / 1000 + 60)
            assert job["status"] == "succeeded", server.logs()
    yield {"points": points, "blind": blind, "font": font}


def test_the_font_file_is_served_with_its_type_and_cached(server: Server) -> None:
    css = httpx.get(f"{server.base}/web/fonts/faces.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.text == font_faces_css() and f"url('{OPEN_DYSLEXIC}')" in css.text
    answer = httpx.get(f"{server.base}{OPEN_DYSLEXIC}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "font/otf"
    assert answer.content[:4] == b"OTTO"  # an OpenType font with CFF outlines, the Debian package's file
    assert "max-age=" in answer.headers["cache-control"] and answer.headers["etag"]
    again = httpx.get(f"{server.base}{OPEN_DYSLEXIC}", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    for wrong in ("OpenDyslexic-Regular.ttf", "passwd", "faces.js"):
        refused = httpx.get(f"{server.base}/web/fonts/{wrong}")
        assert refused.status_code == 404 and "font.not_found" in refused.text, wrong
    # Atkinson Hyperlegible, from the Python package (issue #16): its four TrueType files, each with its rule.
    for name, weight, style in ATKINSON:
        rule = (
            f"@font-face {{ font-family: 'Atkinson Hyperlegible'; src: url('/web/fonts/{name}') "
            f"format('truetype'); font-weight: {weight}; font-style: {style}; font-display: swap; }}"
        )
        assert rule in css.text, name
        answer = httpx.get(f"{server.base}/web/fonts/{name}")
        assert answer.status_code == 200 and answer.headers["content-type"] == "font/ttf", name
        assert answer.content[:4] == b"\x00\x01\x00\x00"  # TrueType outlines
        assert "Atkinson Hyperlegible".encode("utf-16-be") in answer.content  # its name table


def test_the_reader_uses_and_fetches_the_profiles_font(
    browser: Any, server: Server, shots: Path, jobs: dict[str, str]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "fontreader")
    fetched = watch_fonts(page)
    page.goto(f"{server.base}/web/read/{jobs['font']}")
    text = page.locator("#reader-text")
    assert text.evaluate("e => getComputedStyle(e).fontFamily") == "OpenDyslexic, Verdana, sans-serif"
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    assert page.evaluate("() => document.fonts.check('16px OpenDyslexic')")
    faces = page.evaluate(
        "() => Array.from(document.fonts).filter(f => f.family.includes('OpenDyslexic')).map(f => f.status)"
    )
    assert "loaded" in faces  # the server's file is the font in use (not only a name in a stack)
    assert (f"{server.base}{OPEN_DYSLEXIC}", 200, "font/otf") in fetched
    check_page(page, shots, "reader-font")
    # A profile whose stack names no font the server has (ADHD: Verdana, Arial): no font file is fetched.
    context.close()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "fontreader")
    fetched.clear()
    page.on("response", lambda r: fetched.append((r.url, r.status, "")) if "/web/fonts/" in r.url else None)
    page.goto(f"{server.base}/web/read/{jobs['points']}")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    family = page.locator("#reader-text").evaluate("e => getComputedStyle(e).fontFamily")
    assert family == "Verdana, Arial, sans-serif"  # the ADHD profile's stack
    assert [url for url, _, _ in fetched] == [f"{server.base}/web/fonts/faces.css"]  # no font file fetched
    context.close()


FOLDED_CLIPS = """(sec) => {
  const s = document.getElementById(sec);
  const clips = JSON.parse(s.dataset.clips);
  const inBox = (id) => Boolean(document.getElementById(id).closest('details'));
  const first = clips.findIndex(c => inBox(c[0]));
  const last = clips.length - 1 - [...clips].reverse().findIndex(c => inBox(c[0]));
  return {box: clips.slice(first, last + 1).map(c => c[0]), start: clips[first][1], end: clips[last][2],
          after: clips[last + 1][0], afterEnd: clips[last + 1][2]};
}"""
WATCH = """() => {
  window.__lit = [];
  new MutationObserver(ms => ms.forEach(m => {
    if (m.target.classList && m.target.classList.contains('reading')) window.__lit.push(m.target.id);
  })).observe(document.getElementById('reader-text'), {attributes: true, attributeFilter: ['class'], subtree: true});
}"""


def test_folded_key_points_are_not_read_and_unfolded_ones_are(
    browser: Any, server: Server, shots: Path, jobs: dict[str, str]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "fontreader")
    page.goto(f"{server.base}/web/read/{jobs['points']}")
    box = page.locator("#sec-2 details.summary")
    assert box.count() == 1 and box.get_attribute("open") is not None
    clips = page.evaluate(FOLDED_CLIPS, "sec-2")
    assert len(clips["box"]) >= 3  # "Points clés :" and its points
    page.get_by_label("Vitesse").select_option("2.0")
    page.evaluate(WATCH)

    # Folded: from the heading, the player goes from the last sentence before the box to the one after it.
    box.locator("summary").click()
    assert box.get_attribute("open") is None
    page.locator("#sec-2 [data-b]").first.click()
    page.wait_for_function(
        "(t) => { const a = document.querySelector('#sec-2 audio'); return !a.paused && a.currentTime > t; }",
        arg=clips["start"] + 0.3,
        timeout=JOB_TIMEOUT_MS,
    )
    page.wait_for_function("(id) => window.__lit.includes(id)", arg=clips["after"], timeout=JOB_TIMEOUT_MS)
    page.keyboard.press("Alt+Shift+P")
    lit = page.evaluate("() => window.__lit")
    assert not set(lit) & set(clips["box"]), lit  # nothing folded was highlighted: it was not played
    check_page(page, shots, "reader-folded-playing")

    # Unfolded again: the same start reads the key points (the check above can fail).
    box.locator("summary").click()
    assert box.get_attribute("open") is not None
    page.evaluate("() => { window.__lit = []; }")
    page.locator("#sec-2 [data-b]").first.click()
    page.wait_for_function("(id) => window.__lit.includes(id)", arg=clips["box"][1], timeout=JOB_TIMEOUT_MS)
    page.keyboard.press("Alt+Shift+P")
    context.close()


def test_the_blind_profiles_page_announcements_are_highlighted_as_they_are_said(
    browser: Any, server: Server, jobs: dict[str, str]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "fontreader")
    page.goto(f"{server.base}/web/read/{jobs['blind']}")
    marks = page.locator("#reader-text .pagebreak[data-b]")
    assert marks.count() == 6  # every page, the blank one too, can be started from and is highlighted
    page.evaluate(WATCH)
    page.get_by_label("Vitesse").select_option("2.0")
    page.get_by_role("button", name="Lire", exact=True).click()
    first = marks.first.get_attribute("id")
    page.wait_for_function("(id) => window.__lit.includes(id)", arg=first, timeout=JOB_TIMEOUT_MS)
    second = page.locator("#reader-text .pagebreak[data-b]").nth(1).get_attribute("id")
    page.wait_for_function("(id) => window.__lit.includes(id)", arg=second, timeout=JOB_TIMEOUT_MS)
    page.keyboard.press("Alt+Shift+P")
    axe_clean(page, "blind profile reading along")
    context.close()
