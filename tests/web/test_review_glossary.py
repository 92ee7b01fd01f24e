"""Glossary terms in the staff review (issue #11), in a real browser: staff open a job whose glossary has terms
"to define", see them first with their reason, write a definition (the automatic check's remarks on a figure the
document does not hold are shown; the corrected definition has none), remove the other terms, and release; the
student's EPUB glossary then holds the staff's definition and none of the removed terms, and EPUBCheck finds
nothing. axe-core finds 0 violations on the page.

The job is made by the real pipeline (offline engine, on the worker) from the photosynthesis sample.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree
from test_journeys import axe_clean, check_page, release_and_download_epub, sign_in
from test_review_flags import _submit_and_wait
from web_fixtures import Server

from inclusio.validate.epubcheck import check_epub
from inclusio.warning_codes import warning_text

XHTML = "{http://www.w3.org/1999/xhtml}"


def remove_pending_terms(page: Any) -> int:
    """Press "Retirer ce terme du glossaire" on each term still to review; returns how many were removed."""
    done = 0
    while (pending := page.locator("#glossary div.term.flagged")).count():
        pending.first.get_by_role("button", name="Retirer ce terme du glossaire").click()
        page.wait_for_load_state()
        done += 1
        assert done < 60
    return done


def test_staff_define_a_term_remove_the_others_and_the_epub_glossary_shows_it(
    browser: Any, server: Server, shots: Path, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "staff1")
    job_id = _submit_and_wait(page, server)

    # The terms to define come first in the glossary, marked in words, with their reason.
    page.goto(f"{server.base}/web/review/{job_id}")
    glossary = page.locator("#glossary")
    title = glossary.get_by_role("heading", level=2).inner_text()
    pending = glossary.locator("div.term.flagged")
    count = pending.count()
    assert (
        count >= 2
        and title == f"⚠ À relire en priorité : {count} terme(s) du glossaire à définir ou à vérifier"
    )
    first = pending.first
    assert first.get_by_role("heading", level=3).inner_text().endswith("— À définir")
    term = first.get_by_role("heading", level=3).locator("span").first.inner_text()
    reasons = first.locator("div.flags li").all_inner_texts()
    assert reasons == [warning_text("glossary.to_define", "fr", term=term)], reasons
    n = str(first.get_attribute("id"))
    field = first.get_by_label(f"Définition de « {term} »")
    assert field.input_value() == "" and field.get_attribute("maxlength") == "400"
    check_page(page, shots, "staff-review-glossary")

    # A definition with a figure the document does not hold: saved (a person wrote it), with the check's remark.
    field.fill(f"Un mot du cours qui désigne 4321 choses, dont le {term}.")
    first.get_by_role("button", name="Enregistrer la définition").click()
    page.wait_for_load_state()
    assert page.locator("p.notice").inner_text() == f"Définition de « {term} » enregistrée."
    entry = page.locator(f"#{n}")
    assert "flagged" not in (entry.get_attribute("class") or "")
    remarks = entry.locator("div.flags")
    assert (
        remarks.locator("p").inner_text()
        == "Remarques de la vérification automatique (levées par la relecture) :"
    )
    assert any("4321" in text for text in remarks.locator("li").all_inner_texts()), remarks.inner_text()
    assert "Relu par staff1" in entry.locator("p.state").inner_text()
    # Corrected: the staff's text is the definition; nothing is left to define for this term.
    definition = f"Mot du cours de biologie : {term}, expliqué par une personne."
    entry.get_by_label(f"Définition de « {term} »").fill(definition)
    entry.get_by_role("button", name="Enregistrer la définition").click()
    page.wait_for_load_state()
    assert page.locator(f"#{n}").get_by_label(f"Définition de « {term} »").input_value() == definition
    assert page.locator("#glossary div.term.flagged").count() == count - 1
    axe_clean(page, "review (glossary term defined)")

    # Release is refused while terms are left to define; then the others are removed and it is accepted.
    page.get_by_role("button", name="Publier la version relue").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert").inner_text()
    assert f"{count - 1} terme(s) du glossaire à définir ou à vérifier ne sont pas encore relus." in alert
    assert "Code de l'erreur : review.unreviewed_flags" in alert
    removed = [t.inner_text() for t in page.locator("#glossary div.term.flagged h3 > span:first-child").all()]
    assert remove_pending_terms(page) == count - 1
    assert page.locator("#glossary-none").inner_text() == "Aucun terme à définir ou à vérifier."
    assert (
        page.locator("#glossary p.state").filter(has_text="Retiré du glossaire par staff1").count()
        == count - 1
    )
    axe_clean(page, "review (glossary reviewed)")

    # The student's EPUB: the staff's definition in the glossary, no removed term; EPUBCheck finds nothing.
    epub = release_and_download_epub(page, server, job_id, tmp_path / "released.epub")
    with zipfile.ZipFile(epub) as book:
        root = etree.fromstring(book.read("EPUB/glossary.xhtml"))
    entries = {
        " ".join("".join(dt.itertext()).split()): " ".join("".join(_definition(dt).itertext()).split())
        for dt in root.iter(f"{XHTML}dt")
    }
    assert entries[term] == definition, entries
    assert not set(removed) & set(entries), (removed, entries)
    checked = check_epub(epub)
    assert checked.errors == 0 and checked.fatals == 0, checked.messages
    assert not re.search(r"Définition à écrire", "".join(entries.values()))
    context.close()


def _definition(dt: Any) -> Any:
    """The ``dd`` holding the definition of ``dt`` (after its translation, if any)."""
    dd = dt.getnext()
    while dd is not None and "glossary-translation" in (dd.get("class") or ""):
        dd = dd.getnext()
    return dd
