"""The pages' language: the browser's ``Accept-Language`` until the person chooses (the switch's cookie wins),
French by default; text people typed keeps its own ``lang`` on a page of another language (WCAG 3.1.1, 3.1.2).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from test_journeys import axe_clean
from web_fixtures import PASSWORD, ROOT, Server

from inclusio.web.session import TEMPLATES, negotiate_lang
from inclusio.web.user_text import markup_translator, text_language


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "fr"),
        ("", "fr"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-CA", "fr"),
        ("de-DE, en;q=0.5, fr;q=0.4", "en"),  # German is not offered: the better of the two others
        ("en;q=0.5, fr;q=0.8", "fr"),  # q-values, not the order, decide
        ("en;q=0.8, fr;q=0.8", "en"),  # equal preferences: the first one
        ("en;q=0, fr;q=0.1", "fr"),  # q=0 refuses English
        ("en;q=0", "fr"),
        ("de, es", "fr"),  # nothing we offer: French
        ("en;q=abc", "fr"),  # malformed q: not a preference
        ("*", "fr"),
        ("EN-us", "en"),
    ],
)
def test_accept_language_is_negotiated(header: str | None, lang: str) -> None:
    assert negotiate_lang(header) == lang


def test_an_english_browser_gets_english_until_it_chooses_french(browser: Any, server: Server) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{server.base}/web/sign-in")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    axe_clean(page, "sign-in (English browser)")
    # The person chooses French: the choice wins over the browser's language, on every page after.
    page.get_by_role("link", name="Lire cette page en français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Connexion"
    page.goto(f"{server.base}/web/sign-in")
    assert page.locator("html").get_attribute("lang") == "fr"
    context.close()

    french = browser.new_context(locale="fr-FR")
    page = french.new_page()
    page.goto(f"{server.base}/web/sign-in")
    assert page.locator("html").get_attribute("lang") == "fr"
    # ...and a French browser that chooses English keeps English.
    page.get_by_role("link", name="Read this page in English").click()
    page.wait_for_load_state()
    page.goto(f"{server.base}/web/sign-in")
    assert page.locator("html").get_attribute("lang") == "en"
    french.close()


def test_no_accept_language_is_french_and_the_answer_varies_on_it(server: Server) -> None:
    plain = httpx.get(f"{server.base}/web/sign-in")
    assert '<html lang="fr"' in plain.text
    english = httpx.get(f"{server.base}/web/sign-in", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en"' in english.text
    vary = {v.strip().lower() for v in english.headers["vary"].split(",")}
    assert "accept-language" in vary and "cookie" in vary  # no shared cache serves one language to the other
    chosen = httpx.get(
        f"{server.base}/web/sign-in",
        headers={"Accept-Language": "en-US,en;q=0.9"},
        cookies={"inclusio_lang": "fr"},
    )
    assert '<html lang="fr"' in chosen.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La photosynthèse", "fr"),
        ("Cours 3 : la cellule végétale", "fr"),
        ("Introduction à la biologie", "fr"),
        ("The water cycle", "en"),
        ("Chapter 2: cells", "en"),
        ("handout-water-cycle-en.docx", None),  # nothing to tell by: no lang, the page's
        ("BIO-101", None),
    ],
)
def test_the_language_of_a_typed_title(text: str, lang: str | None) -> None:
    assert text_language(text) == lang


def test_user_text_carries_its_own_lang_on_a_page_of_another_language() -> None:
    render = TEMPLATES.env.from_string("<p>{{ title|user_text }}</p>").render
    # A teacher's French title on an English page: marked French, escaped.
    assert render(lang="en", title="La photosynthèse") == '<p><span lang="fr">La photosynthèse</span></p>'
    assert render(lang="fr", title="La photosynthèse") == "<p>La photosynthèse</p>"  # same language: as is
    assert render(lang="fr", title="The water cycle") == '<p><span lang="en">The water cycle</span></p>'
    assert render(lang="en", title="BIO-101") == "<p>BIO-101</p>"  # cannot tell: the page's language
    escaped = render(lang="en", title="<b>Été</b> & co")
    assert escaped == '<p><span lang="fr">&lt;b&gt;Été&lt;/b&gt; &amp; co</span></p>'
    # The caller may know the document's language (it wins over the guess).
    given = TEMPLATES.env.from_string("{{ title|user_text('en-GB') }}").render(lang="fr", title="Cours 3")
    assert given == '<span lang="en">Cours 3</span>'


def test_a_typed_title_inside_a_translated_sentence() -> None:
    tm = markup_translator("en")
    template = TEMPLATES.env.from_string("{{ tm('open_job', name=title|user_text) }}")
    html = template.render(lang="en", tm=tm, title="La <photosynthèse>")
    assert '<span lang="fr">La &lt;photosynthèse&gt;</span>' in html
    assert "<photosynthèse>" not in html


def test_a_teachers_french_title_is_marked_french_on_an_english_page(browser: Any, server: Server) -> None:
    """The teacher shares a course titled in French; a student whose browser is English sees the title marked
    French in the shared documents, in their own documents and on the job page (axe checks the lang values)."""

    course = (ROOT / "samples" / "cours-photosynthese-fr.pdf").read_bytes()
    with httpx.Client(base_url=server.base, timeout=30) as client:

        def token(user: str) -> dict[str, str]:
            answer = client.post("/auth/token", data={"username": user, "password": PASSWORD})
            return {"Authorization": f"Bearer {answer.json()['access_token']}"}

        teacher = token("teacher1")
        shared = client.post(
            "/shares",
            headers=teacher,
            files={"file": ("photosynthese.pdf", course, "application/pdf")},
            data={"title": "La photosynthèse des plantes", "course": "BIO-101"},
        )
        assert shared.status_code in (200, 201), shared.text
        english = client.post(
            "/shares",
            headers=teacher,
            files={"file": ("water.pdf", course, "application/pdf")},
            data={"title": "The water cycle", "course": "BIO-102"},
        )
        assert english.status_code in (200, 201), english.text
        job = client.post(
            f"/shares/{shared.json()['id']}/jobs",
            headers=token("student2"),
            data={"profile": "dyslexia", "outputs": "html"},
        )
        assert job.status_code == 202, job.text
        job_id = job.json()["id"]

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{server.base}/web/sign-in")
    page.get_by_label("User name").fill("student2")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    french = page.locator("table.shares th[scope=row] span[lang=fr]", has_text="La photosynthèse des plantes")
    assert french.count() == 1
    # the English title on the English page needs no mark
    assert (
        page.locator("table.shares th[scope=row]", has_text="The water cycle").locator("[lang]").count() == 0
    )
    mine = page.locator("table.jobs th[scope=row] span[lang=fr]", has_text="La photosynthèse des plantes")
    assert mine.count() == 1
    assert (
        page.get_by_role("link", name="Open La photosynthèse des plantes").locator("span[lang=fr]").count()
        == 1
    )
    axe_clean(page, "student home (English) with French titles")
    page.goto(f"{server.base}/web/jobs/{job_id}")
    assert page.locator("h1 span[lang=fr]").inner_text() == "La photosynthèse des plantes"
    axe_clean(page, "job page (English) with a French title")
    # The same pages in French: the French title is the page's language, the English one is marked.
    page.get_by_role("link", name="Lire cette page en français").click()
    page.wait_for_load_state()
    assert page.locator("h1 [lang]").count() == 0
    page.goto(f"{server.base}/web/student")
    assert page.locator("table.shares th[scope=row] span[lang=en]", has_text="The water cycle").count() == 1
    context.close()
