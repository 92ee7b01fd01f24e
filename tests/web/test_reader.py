"""The reader in the browser (/web/read/{job}, issue #16): one finished job with audio, shared by the module.

* No browser: the reader's sentence timings are the EPUB's media overlay clip times (SMIL of the same job).
* Chromium (Debian's, through Playwright): play, the highlighted sentence follows the audio clock, speed,
  a click on a sentence starts there, the position comes back, keyboard only, 320 px, no JavaScript;
  axe-core 0 violations in every state; screenshots ``reader-*.png``.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree, html
from service_helpers import make_user, submit, wait_finished
from test_journeys import JOB_TIMEOUT_MS, SAMPLES, axe_clean, check_page, sign_in
from web_fixtures import PASSWORD, Server

from inclusio.model import Document
from inclusio.profiles import load_profile
from inclusio.store.jobs import JobStore
from inclusio.web.reader import audio_names, build_book

# One job with audio (speech of a 3-page course, ~70 s on a loaded 2-core machine) and ~90 s of browser
# journeys in all: slow (still run in CI).
pytestmark = pytest.mark.slow

SMIL = "{http://www.w3.org/ns/SMIL}"
PROFILE = "adhd"  # key points, glossary, page numbers, and the reading ruler on by default


@pytest.fixture(scope="module")
def reader_job(server: Server) -> Iterator[dict[str, Any]]:
    """A student's finished job of the photosynthesis course: EPUB (read-along), audio and the Document."""
    user_id, token = make_user(
        server.settings, "student", username="reader1", password=PASSWORD, institution=server.institution
    )
    with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
        job_id = submit(api, SAMPLES / "cours-photosynthese-fr.pdf", profile=PROFILE, outputs="epub,mp3,json")
        job = wait_finished(api, job_id, server.worker, timeout=JOB_TIMEOUT_MS / 1000 + 60)
        assert job["status"] == "succeeded", server.logs()
        # The document JSON and the audio timings are technical files: an administrator reads them
        # (the student gets artifact.staff_only; the reader builds its page from them on the server).
        admin = {"Authorization": f"Bearer {make_user(server.settings, 'admin')[1]}"}
        files = {
            name: api.get(
                f"/jobs/{job_id}/artifacts/{name}", headers=None if name == "epub" else admin
            ).content
            for name in ("epub", "json", "audio-timings")
        }
        assert api.get(f"/jobs/{job_id}/artifacts/audio-timings").status_code == 403
        yield {"id": job_id, "files": files, "user": user_id, "token": token}


def _text(element: Any) -> str:
    """The words of an element, without the definitions the reader opens in place."""
    for pop in element.xpath(".//*[contains(concat(' ', @class, ' '), ' gloss-pop ')]"):
        pop.drop_tree()
    return " ".join(element.text_content().split())


def _reader_clips(reader_job: dict[str, Any], server: Server) -> list[list[tuple[str, float, float]]]:
    files = reader_job["files"]
    timings = json.loads(files["audio-timings"])
    store = JobStore.from_settings(server.settings)
    names = audio_names(store.get(reader_job["id"]).artifacts)  # as the job's row records them
    store.dispose()
    profile = load_profile(PROFILE, server.settings.profiles_dir)
    book = build_book(Document.from_json(files["json"]), profile, timings, names)
    out = []
    for section in book.sections:
        tree = html.fragment_fromstring(str(section.html), create_parent="div")
        out.append(
            [
                (_text(tree.get_element_by_id(c.target)), round(c.start_s, 3), round(c.end_s, 3))
                for c in section.clips
            ]
        )
    return out


def _seconds(clock: str) -> float:
    hours, minutes, seconds = clock.split(":")
    return round(int(hours) * 3600 + int(minutes) * 60 + float(seconds), 3)


def _epub_clips(epub: bytes) -> list[list[tuple[str, float, float]]]:
    """Per XHTML file with an overlay: (text of the highlighted element, clipBegin, clipEnd) of each sentence,
    page announcements left out when they are in their own file (audio/pages.mp3)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        for name in sorted(n for n in book.namelist() if n.endswith(".smil")):
            smil = etree.fromstring(book.read(name))
            clips = []
            for par in smil.iter(f"{SMIL}par"):
                text, audio = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
                if audio.get("src").endswith("pages.mp3"):
                    continue
                xhtml, target = text.get("src").split("#")
                page = html.fromstring(book.read("EPUB/" + xhtml.removeprefix("../")))
                clips.append(
                    (
                        _text(page.get_element_by_id(target)),
                        _seconds(audio.get("clipBegin")),
                        _seconds(audio.get("clipEnd")),
                    )
                )
            out.append(clips)
    return out


def test_reader_timings_are_the_epub_media_overlays(reader_job: dict[str, Any], server: Server) -> None:
    reader = [clips for clips in _reader_clips(reader_job, server) if clips]
    epub = _epub_clips(reader_job["files"]["epub"])
    assert len(reader) == len(epub) >= 5
    assert sum(len(clips) for clips in reader) > 80
    assert reader == epub


def test_reader_without_audio_is_the_text_alone(reader_job: dict[str, Any], server: Server) -> None:
    """A job without the mp3 output: the same text, no player, no clips (nothing to highlight)."""
    profile = load_profile(PROFILE, server.settings.profiles_dir)
    book = build_book(Document.from_json(reader_job["files"]["json"]), profile, None, {})
    assert not book.has_audio and all(not s.clips and s.audio is None for s in book.sections)
    assert "Les plantes vertes ne mangent pas." in str(book.sections[1].html)
    assert "data-b=" not in "".join(str(s.html) for s in book.sections)


def test_reader_keeps_a_built_book_until_its_files_change(reader_job: dict[str, Any], server: Server) -> None:
    from types import SimpleNamespace

    from inclusio.store.files import FileStore
    from inclusio.web.reader import job_book

    store = JobStore.from_settings(server.settings)
    job = store.get(reader_job["id"])
    store.dispose()
    svc = SimpleNamespace(files=FileStore.from_settings(server.settings), settings=server.settings)
    first, _ = job_book(svc, job)
    assert job_book(svc, job)[0].sections is first.sections  # a reload: built once
    assert job_book(svc, job, show_points=False)[0].sections is not first.sections  # another page
    source = svc.files.artifact_path(job.id, job.artifacts["json"]["file"])
    source.write_bytes(source.read_bytes())  # a release writes new files: the book is made again
    again, _ = job_book(svc, job)
    assert again.sections is not first.sections and [s.clips for s in again.sections] == [
        s.clips for s in first.sections
    ]


# -- in the browser -----------------------------------------------------------------------------------------

STATE = """() => {
  const current = document.getElementById('reader').dataset.current;
  if (!current) return null;
  const section = document.getElementById('sec-' + current);
  const a = section.querySelector('audio');
  const lit = document.querySelector('#reader-text .reading');
  const clips = JSON.parse(section.dataset.clips);
  return {time: a.currentTime, paused: a.paused, rate: a.playbackRate, pitch: a.preservesPitch,
          section: Number(current), lit: lit ? lit.id : null,
          intervals: lit ? clips.filter(c => c[0] === lit.id).map(c => [c[1], c[2]]) : []};
}"""


def _state(page: Any) -> dict[str, Any]:
    state = page.evaluate(STATE)
    assert state is not None, "the player has not started"
    return dict(state)


def _in_step(state: dict[str, Any]) -> None:
    """The highlighted sentence is the one whose clip holds the audio clock."""
    assert state["lit"], state
    assert any(start <= state["time"] < end for start, end in state["intervals"]), state


def _played(page: Any, seconds: float) -> None:
    page.wait_for_function(
        f"() => Array.from(document.querySelectorAll('#reader-text audio')).some(a => !a.paused && a.currentTime > {seconds})",
        timeout=JOB_TIMEOUT_MS,
    )


def test_reader_in_the_browser(browser: Any, server: Server, shots: Path, reader_job: dict[str, Any]) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "reader1")
    page.goto(f"{server.base}/web/read/{reader_job['id']}")
    assert page.locator("h1").inner_text() == "La photosynthèse : comment les plantes fabriquent leur matière"
    assert page.locator("#reader").get_attribute("class") == "reader ruler-on has-player"  # ADHD: ruler on
    assert page.locator("#player").is_visible() and page.locator("#reader-text audio").first.is_hidden()
    assert page.locator("nav.reader-toc a").count() >= 6
    assert page.locator("#reader-text .pagebreak").first.inner_text() == "page 1"
    check_page(page, shots, "reader")

    # Play: the highlighted sentence follows the audio clock.
    page.get_by_role("button", name="Lire", exact=True).click()
    _played(page, 1.0)
    _in_step(_state(page))
    page.keyboard.press("Alt+Shift+P")  # pause, the documented shortcut
    state = _state(page)
    assert state["paused"] and state["section"] == 1
    _in_step(state)
    assert page.locator("#reader-text .reading").get_attribute("aria-live") is None
    assert page.locator("[aria-live]").count() == 0  # the player never speaks over a screen reader
    check_page(page, shots, "reader-playing")

    # Speed 1.5x without pitch change, then a click on a sentence of part 3 starts there.
    page.get_by_label("Vitesse").select_option("1.5")
    sentence = page.locator("#sec-3 span[data-b]").nth(4)
    start = float(sentence.get_attribute("data-b"))
    sentence.click()
    _played(page, start + 0.5)
    page.keyboard.press("Alt+Shift+P")
    state = _state(page)
    assert (
        state["section"] == 3 and state["rate"] == 1.5 and state["pitch"] is True and state["time"] >= start
    )
    _in_step(state)

    # A glossary term opens its definition in place.
    term = page.locator("#sec-2 button.glossref").first
    term.click()
    popover = page.locator("#" + term.get_attribute("popovertarget"))
    assert popover.is_visible() and "processus" in popover.inner_text()
    check_page(page, shots, "reader-glossary")
    page.keyboard.press("Escape")
    assert popover.is_hidden()

    # The position is kept with the account: the page offers to resume where the student stopped.
    page.wait_for_timeout(300)  # the pause's save (a fetch) has landed
    page.reload()
    assert page.locator("#reader").get_attribute("data-resume-section") == "3"
    assert float(page.locator("#reader").get_attribute("data-resume-time")) >= start
    assert page.get_by_role("button", name="Reprendre").is_visible()
    assert page.get_by_label("Vitesse").input_value() == "1.5"

    # Key points hidden, then the ruler off (forms: they work without script too).
    page.get_by_role("button", name="Masquer les points clés").click()
    assert page.locator("details.summary[open]").count() == 0 and page.locator("details.summary").count() >= 3
    page.get_by_role("button", name="Désactiver la règle de lecture").click()
    assert "ruler-on" not in page.locator("#reader").get_attribute("class")
    check_page(page, shots, "reader-options")

    # The profile's style, then the student's own settings (stored with the account) apply to the text.
    text = page.locator("#reader-text")
    assert text.evaluate("e => getComputedStyle(e).fontSize") == "18.4px"  # ADHD: 1.15rem
    page.goto(f"{server.base}/web/student")
    page.get_by_label("TDAH (attention)").check()
    page.get_by_label("Taille du texte (%)").fill("140")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.goto(f"{server.base}/web/read/{reader_job['id']}")
    assert text.evaluate("e => getComputedStyle(e).fontSize") == "22.4px"
    context.close()


def test_reader_by_keyboard_at_320_px_and_200_percent_zoom(
    browser: Any, server: Server, shots: Path, reader_job: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, server, "reader1")
    page.goto(f"{server.base}/web/read/{reader_job['id']}?ruler=1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
    # Tab to the player's button and start it with the keyboard alone.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") in ("pl-play", "pl-prev"):
            break
    page.keyboard.press("Tab") if page.evaluate("document.activeElement.id") == "pl-prev" else None
    assert page.evaluate("document.activeElement.id") == "pl-play"
    page.keyboard.press("Enter")
    _played(page, 0.5)
    page.keyboard.press("Alt+Shift+P")
    _in_step(_state(page))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # next sentence
    page.wait_for_function("() => document.querySelector('#reader-text .reading') !== null")
    check_page(page, shots, "reader-320px")
    context.close()
    # 200 % zoom of a 1280 px window: 640 CSS pixels at two device pixels each.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page = context.new_page()
    sign_in(page, server, "reader1")
    page.goto(f"{server.base}/web/read/{reader_job['id']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 640
    axe_clean(page, "reader at 200 %")
    context.close()


def test_reader_without_javascript(
    browser: Any, server: Server, shots: Path, reader_job: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "reader1")
    page.goto(f"{server.base}/web/read/{reader_job['id']}")
    assert page.locator("#player").is_hidden()
    audios = page.locator("#reader-text audio[controls]")
    assert audios.count() == 6 and audios.first.is_visible()
    assert re.fullmatch(r"/web/jobs/[0-9a-f]{32}/download/mp3-01", audios.first.get_attribute("src"))
    assert "Les plantes vertes ne mangent pas." in page.locator("#sec-2").inner_text()
    assert page.locator("details.summary[open]").count() >= 3  # key points shown, and can be folded
    # The section's audio is served to its reader (the job page's download route and checks).
    answer = context.request.get(f"{server.base}{audios.first.get_attribute('src')}")
    assert answer.status == 200 and answer.headers["content-type"] == "audio/mpeg"
    context.close()
    # axe runs in the page (it needs script): the same page with the site's scripts refused instead.
    context = browser.new_context()
    page = context.new_page()
    page.route(re.compile(r"/web/static/.*\.js$"), lambda route: route.abort())
    sign_in(page, server, "reader1")
    page.goto(f"{server.base}/web/read/{reader_job['id']}")
    assert page.locator("#player").is_hidden() and page.locator("#reader-text audio").first.is_visible()
    check_page(page, shots, "reader-no-js")
    context.close()


def test_reader_is_the_job_owners(browser: Any, server: Server, reader_job: dict[str, Any]) -> None:
    """Another student gets the job page's answer (not found), and cannot store a position on it."""
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "student2")
    answer = page.goto(f"{server.base}/web/read/{reader_job['id']}")
    assert answer is not None and answer.status == 404
    context.close()


def test_reader_position_is_erased_with_the_account(
    browser: Any, server: Server, reader_job: dict[str, Any]
) -> None:
    """The last of the module: the student's position is a file of their job, gone with their account."""
    from inclusio.store.files import FileStore

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "reader1")
    page.goto(f"{server.base}/web/read/{reader_job['id']}")
    form = {"csrf_token": page.locator("#reader").get_attribute("data-csrf"), "section": "2", "time": "4.5"}
    answer = context.request.post(f"{server.base}/web/read/{reader_job['id']}/position", form=form)
    assert answer.status == 204
    saved = (
        FileStore.from_settings(server.settings).job_dir(reader_job["id"])
        / "reader"
        / f"{reader_job['user']}.json"
    )
    assert json.loads(saved.read_text()) == {"section": 2, "time": 4.5, "speed": 1.0}
    context.close()
    erased = httpx.delete(f"{server.base}/me", headers={"Authorization": f"Bearer {reader_job['token']}"})
    assert erased.status_code == 200 and erased.json()["jobs"] >= 1
    assert not saved.exists() and not saved.parent.exists()
