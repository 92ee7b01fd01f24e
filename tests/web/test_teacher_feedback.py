"""The teacher's feedback in a real browser (issue 17): the upload redirects to a page that shows the preview's
progress (a link without JavaScript, polling with it), then one accessibility score and one readability verdict,
the findings ordered by cost, each located with a thumbnail and the fix per tool, readability on passages only,
the preview found again from the teacher's documents, and a new version compared with the previous one.
At 1280 and 320 px, axe 0 in every state. The screenshots of docs/screenshots/teacher-feedback*.png come from
here (INCLUSIO_WEB_SCREENSHOTS=1)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from test_journeys import JOB_TIMEOUT_MS, axe_clean, check_page, sign_in, snap
from web_fixtures import Server

LONG = (
    "La photosynthèse permet aux plantes de fabriquer leur nourriture à partir de la lumière du soleil. "
    "Les feuilles captent cette lumière grâce à un pigment vert appelé chlorophylle. "
    "La plante prend aussi de l'eau dans le sol par ses racines et du gaz carbonique dans l'air. "
    "Avec ces éléments, elle produit du sucre qui la nourrit et elle rejette de l'oxygène. "
    "Cet oxygène est celui que nous respirons chaque jour, et il vient en grande partie des océans. "
    "Sans photosynthèse, la vie sur la Terre serait très différente de celle que nous connaissons. "
    "Les animaux mangent les plantes, et d'autres animaux les mangent à leur tour. "
)


def make_deck(path: Path, *, fixed: bool) -> Path:
    """Five slides: one-word ones, a long one, a picture without alt text on slide 3 (described in the
    ``fixed`` version, which has a new picture without alt text on slide 5) and one described on slide 4."""
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slides: list[tuple[str, str, tuple[int, int, int] | None, str | None]] = [
        ("Exercice 1", "Exercice", None, None),
        ("La photosynthèse", LONG, None, None),
        (
            "Le schéma",
            "",
            (200, 40, 40),
            "Schéma : la feuille reçoit la lumière et rejette de l'oxygène." if fixed else None,
        ),
        ("La feuille", "", (40, 160, 40), "Une feuille verte au soleil."),
        ("TP", "TP", (40, 40, 200) if fixed else None, None),
    ]
    for n, (title, body, colour, alt) in enumerate(slides):
        slide = deck.slides.add_slide(deck.slide_layouts[1 if body else 5])
        slide.shapes.title.text = title
        if body:
            slide.placeholders[1].text = body
        if colour is not None:
            image = path.parent / f"{path.stem}-{n}.png"
            Image.new("RGB", (240, 140), colour).save(image)
            picture = slide.shapes.add_picture(str(image), Inches(1), Inches(2.5))
            if alt:
                picture._element.nvPicPr.cNvPr.set("descr", alt)
    deck.save(path)
    return path


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("decks")
    return make_deck(folder / "photosynthese.pptx", fixed=False), make_deck(
        folder / "photosynthese-v2.pptx", fixed=True
    )


def no_sideways_scroll(page: Any, what: str) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{what} scrolls sideways at {width[1]} px: {width[0]}"


def wait_for_preview(page: Any, name: str, *, click: bool) -> None:
    """Until the page is the preview of ``name``: following the page's own link (no JavaScript), or letting
    its script open it."""
    deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000
    while page.locator("h1").inner_text() != f"Retour sur le document : {name}":
        assert time.monotonic() < deadline, page.content()[:2000]
        if click:
            time.sleep(1)
            page.get_by_role("link", name="Actualiser la page pour voir si l'aperçu est prêt").click()
            page.wait_for_load_state()
        else:
            page.wait_for_timeout(500)


@pytest.mark.slow  # the server makes two previews (spaCy's first load included): 1-3 min on a busy machine
def test_the_preview_runs_as_a_job_and_shows_located_findings_without_javascript(
    browser: Any, server: Server, shots: Path, decks: tuple[Path, Path]
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server, "teacher1")
    page.get_by_label("Document (PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown)").set_input_files(str(decks[0]))
    page.get_by_role("button", name="Analyser et convertir").click()
    page.wait_for_load_state()
    # post/redirect/get: the browser is on the preview's own address at once, the work goes on behind
    assert re.search(r"/web/teacher/preview/[0-9a-f]+$", page.url), page.url
    job_id = page.url.rsplit("/", 1)[1]
    if page.locator("h1").inner_text().startswith("Aperçu en préparation"):
        assert (
            page.locator("progress").count() == 1 and "Étape" in page.locator("#preview-stage").inner_text()
        )
    wait_for_preview(page, decks[0].name, click=True)

    # One score, one verdict at the top.
    figures = page.locator(".headline-figures li").all_inner_texts()
    assert re.fullmatch(r"Accessibilité : \d+ sur 100", figures[0]), figures
    assert re.fullmatch(r"Lisibilité : .+ \((\d+) sur 100\)", figures[1]), figures
    ease = int(re.search(r"\((\d+) sur 100\)", figures[1]).group(1))  # type: ignore[union-attr]
    assert 0 <= ease <= 100
    # The findings: the picture without alt text, on slide 3, with its thumbnail and the fix in each tool.
    finding = page.locator("article.finding").first
    assert finding.locator("h3").inner_text() == "1. Les images ont une alternative textuelle (1 sur 2)"
    assert finding.locator(".places li").all_inner_texts() == ["diapositive 3"]
    thumb = finding.locator("img.thumb")
    assert thumb.get_attribute("src").startswith("data:image/png;base64,")  # type: ignore[union-attr]
    assert thumb.evaluate("img => img.naturalWidth") > 0  # shown: the page's policy allows it
    assert finding.locator("dl.tools dt").all_inner_texts() == ["PowerPoint", "Word", "LibreOffice"]
    assert "texte de remplacement" in finding.locator("dl.tools dd").first.inner_text()
    # Readability: one-word slides are measured with their neighbours or marked too short; bars in 0..100.
    rows = page.locator("table.passages tbody tr")
    texts = [" ".join(r.split()) for r in rows.all_inner_texts()]
    assert any(t.startswith("Exercice 1 diapositive 1 1") for t in texts), texts
    values = [v.text_content() for v in page.locator("svg.chart text.value").all()]
    assert values and all(0 <= int(v or "-1") <= 100 for v in values), values
    assert page.locator("svg.chart rect.bar").count() == 1  # 120 words: one passage, not a bar per slide

    # Reloading asks for the page again (no second upload), and the preview stays in the teacher's documents.
    page.reload()
    assert page.locator("h1").inner_text() == f"Retour sur le document : {decks[0].name}"
    page.goto(f"{server.base}/web/teacher")
    page.get_by_role("link", name=f"Aperçu de {decks[0].name}").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/web/teacher/preview/{job_id}")
    context.close()

    # With JavaScript (axe runs in the page): axe 0 at 1280 px, and at 320 px nothing scrolls sideways
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server, "teacher1")
    page.goto(f"{server.base}/web/teacher/preview/{job_id}")
    check_page(page, shots, "teacher-feedback")
    page.set_viewport_size({"width": 320, "height": 800})
    no_sideways_scroll(page, "teacher preview")
    axe_clean(page, "teacher preview at 320 px")
    snap(page, shots, "teacher-feedback-320")
    page.goto(f"{server.base}/web/teacher")
    no_sideways_scroll(page, "teacher home")
    axe_clean(page, "teacher home with the documents list at 320 px")
    context.close()


@pytest.mark.slow
def test_a_new_version_shows_what_was_fixed_what_is_new_and_what_is_still_there(
    browser: Any, server: Server, shots: Path, decks: tuple[Path, Path]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server, "teacher1")
    page.get_by_role("link", name=f"Nouvelle version de {decks[0].name}").first.click()
    page.wait_for_load_state()
    wait_for_preview(page, decks[0].name, click=True)
    page.get_by_label("Nouvelle version (PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown)").set_input_files(
        str(decks[1])
    )
    page.get_by_role("button", name="Envoyer et comparer").click()
    page.wait_for_load_state()
    # the link between the versions is stored (document_versions), not only in the address
    assert re.search(r"/web/teacher/preview/[0-9a-f]+$", page.url), page.url
    if page.locator("h1").inner_text().startswith("Aperçu en préparation"):
        check_page(page, shots, "teacher-feedback-progress")
    wait_for_preview(page, decks[1].name, click=False)  # the page's script opens the preview when it is ready

    diff = page.locator("#diff")
    assert diff.locator("h3").all_inner_texts() == ["Corrigé (1)", "Nouveau (1)", "Toujours là (0)"]
    assert diff.locator("ul.diff-fixed li").all_inner_texts() == [
        "Les images ont une alternative textuelle — diapositive 3"
    ]
    assert diff.locator("ul.diff-new li").all_inner_texts() == [
        "Les images ont une alternative textuelle — diapositive 5"
    ]
    assert re.fullmatch(
        r"Accessibilité : \d+ → \d+ sur 100\. Lisibilité : .+ → .+\.",
        diff.locator(".diff-scores").inner_text(),
    )
    check_page(page, shots, "teacher-feedback-new-version")
    page.set_viewport_size({"width": 320, "height": 800})
    no_sideways_scroll(page, "the comparison")
    axe_clean(page, "the comparison at 320 px")

    # In English, the same page in the reader's words
    page.goto(f"{server.base}/web/lang/en?next={quote(page.url.split(server.base, 1)[1], safe='')}")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Feedback on the document: {decks[1].name}"
    assert page.locator("#diff h3").first.inner_text() == "Fixed (1)"
    assert page.locator("article.finding .places li").first.inner_text() == "slide 5"
    axe_clean(page, "the comparison in English at 320 px")
    context.close()


def test_another_teachers_preview_is_not_found(browser: Any, server: Server) -> None:
    import httpx

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "student1")
    answer = page.goto(f"{server.base}/web/teacher/preview/{'a' * 32}")
    assert answer is not None and answer.status in (403, 404)
    context.close()
    assert httpx.get(
        f"{server.base}/web/teacher/preview/{'a' * 32}/status", follow_redirects=False
    ).status_code in (
        303,
        401,
        403,
    )
