"""Many glossary terms at once, and a bilingual glossary's translation, in a real browser (issue #11).

Staff open the photosynthesis sample made for French as a foreign language (offline engine: a dozen and more
terms "to define", no translation): one confirmed action removes every term to define (the browser does not
send the form until the confirmation is ticked), the definitions still flagged are approved by origin in the
same way, staff write a term's English translation, and release. The student's EPUB glossary holds the
translation (in its own language) and none of the removed terms; its accessibility summary counts the
glossary's machine-made definitions; EPUBCheck finds nothing. axe-core finds 0 violations on every state.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree
from test_journeys import JOB_TIMEOUT_MS, SAMPLES, axe_clean, check_page, release_and_download_epub, sign_in
from web_fixtures import Server

from inclusio.validate.epubcheck import check_epub

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _submit_fle(page: Any, server: Server) -> str:
    page.get_by_label("Documents (plusieurs fichiers possibles)").set_input_files(
        [str(SAMPLES / "cours-photosynthese-fr.pdf")]
    )
    page.get_by_label("Nom du lot").fill("Glossaire bilingue")
    page.get_by_label("Profil du lot").select_option("fle")
    page.get_by_role("button", name="Envoyer le lot").click()
    page.wait_for_load_state()
    link = page.get_by_role("link", name="Relire cours-photosynthese-fr.pdf").first
    try:
        link.wait_for(timeout=JOB_TIMEOUT_MS * 2)
    except Exception:  # noqa: BLE001 - show the logs of the server and worker
        raise AssertionError(server.logs()) from None
    return str(link.get_attribute("href")).split("/web/review/")[1]


def _to_define(page: Any) -> list[str]:
    """The terms marked "À définir" in the glossary, as the page shows them."""
    heads = page.locator("#glossary div.term.flagged h3").all()
    return [h.locator("span").first.inner_text() for h in heads if h.inner_text().endswith("— À définir")]


def test_staff_remove_the_terms_to_define_at_once_translate_a_term_and_release(
    browser: Any, server: Server, shots: Path, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "staff1")
    job_id = _submit_fle(page, server)
    page.goto(f"{server.base}/web/review/{job_id}")
    removed = _to_define(page)
    n = len(removed)
    assert n >= 10, removed

    # One form for them all: its button and its confirmation name the number; the terms are listed.
    bulk = page.locator("#bulk-remove_undefined-all")
    button = bulk.get_by_role("button", name=f"Retirer les {n} terme(s) sans définition")
    box = bulk.get_by_label(
        f"Je confirme : retirer du glossaire de l'étudiant·e les {n} terme(s) sans définition (je peux "
        "encore en définir un ensuite)."
    )
    bulk.get_by_text(f"Voir les {n} terme(s) concerné(s)").click()
    assert sorted(bulk.locator("details p").inner_text().split(", ")) == sorted(removed)
    check_page(page, shots, "staff-review-glossary-bulk")
    # Not ticked: the browser does not send the form; nothing changes.
    button.click()
    assert box.evaluate("e => e.validity.valueMissing") is True
    assert page.url.endswith(f"/web/review/{job_id}") and len(_to_define(page)) == n
    box.check()
    button.click()
    page.wait_for_load_state()
    assert page.locator("p.notice").inner_text() == f"{n} terme(s) sans définition retiré(s) du glossaire."
    assert _to_define(page) == []
    shown = page.locator("#glossary p.state").filter(has_text="Retiré du glossaire par staff1")
    assert shown.count() == n

    # Definitions still flagged (those the machine chose itself): approved by origin, confirmed the same way.
    while page.locator("#glossary div.term.flagged").count():
        forms = page.locator("#glossary-bulk form[id^='bulk-approve']")
        assert forms.count(), page.locator("#glossary div.term.flagged h3").all_inner_texts()
        form = forms.first
        count = int(str(form.locator("input[name=count]").get_attribute("value")))
        form.get_by_role("checkbox").check()
        form.get_by_role("button").click()
        page.wait_for_load_state()
        assert page.locator("p.notice").inner_text() == f"{count} définition(s) approuvée(s)."
    assert page.locator("#glossary-none").inner_text() == "Aucun terme à définir ou à vérifier."
    axe_clean(page, "review (glossary reviewed at once)")

    # The English translation of a term the document defines.
    field = page.get_by_label("Traduction de « chlorophylle » (en)")
    assert field.get_attribute("lang") == "en" and field.get_attribute("readonly") is None
    field.fill("chlorophyll")
    page.locator("#glossary div.term").filter(has=field).get_by_role(
        "button", name="Enregistrer la traduction"
    ).click()
    page.wait_for_load_state()
    assert page.locator("p.notice").inner_text() == "Traduction de « chlorophylle » enregistrée."
    assert page.get_by_label("Traduction de « chlorophylle » (en)").input_value() == "chlorophyll"
    check_page(page, shots, "staff-review-glossary-translated")

    epub = release_and_download_epub(page, server, job_id, tmp_path / "released.epub")
    with zipfile.ZipFile(epub) as book:
        glossary = etree.fromstring(book.read("EPUB/glossary.xhtml"))
        opf = next(book.read(name).decode() for name in book.namelist() if name.endswith(".opf"))
    terms = {" ".join("".join(dt.itertext()).split()): dt for dt in glossary.iter(f"{XHTML}dt")}
    assert not set(removed) & set(terms), terms.keys()
    translation = terms["chlorophylle"].getnext()
    assert "glossary-translation" in (translation.get("class") or "")
    [word] = [span for span in translation.iter(f"{XHTML}span") if span.get("lang") == "en"]
    assert word.text == "chlorophyll" and word.get(XML_LANG) == "en"
    said = re.search(r'property="schema:accessibilitySummary">([^<]*)<', opf)
    assert said, opf[:2000]
    counted = re.search(r"Le glossaire contient (\d+) définitions? faites? par une machine ; ", said.group(1))
    assert counted and int(counted.group(1)) == len(terms), said.group(1)
    assert "signalée" not in said.group(1) and b"unreviewed-note" not in etree.tostring(glossary)
    checked = check_epub(epub)
    assert checked.errors == 0 and checked.fatals == 0, checked.messages
    context.close()
