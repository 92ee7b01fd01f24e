"""A flagged block reaches a person (issue #11), in a real browser: staff open a job whose document has a
flagged block, see it first with its reason (French, then English), try to release and are refused with
the code, edit the block, and release; the student's EPUB then says every machine-written passage is
reviewed or unflagged. axe-core finds 0 violations on every state of the page.

The job is made by the real pipeline (offline engine, on the worker); then a number of one of its
adaptations is changed, as a faulty model would, and the verifier's findings on it are its flags.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from test_journeys import JOB_TIMEOUT_MS, SAMPLES, axe_clean, check_page, release_and_download_epub, sign_in
from web_fixtures import Server


def _falsify_last_number(server: Server, job_id: str) -> tuple[str, list[Any]]:
    """Change a number in the last easy-to-read adaptation holding one, as a faulty model would, and flag it
    with what the verifier says of it (saved as the reviewer's draft); its block id and flags."""
    from inclusio.analysis.verify import verify
    from inclusio.api import review
    from inclusio.store.files import FileStore
    from inclusio.store.jobs import JobStore

    store, files = JobStore.from_settings(server.settings), FileStore.from_settings(server.settings)
    job = store.get(job_id)
    doc = review.load_document(files, job)
    for block in reversed(doc.blocks):
        adaptation = block.adaptation("easy_read")
        first = adaptation.blocks[0] if adaptation is not None and adaptation.blocks else None
        number = re.search(r"\d+", getattr(first, "text", "") or "")
        if adaptation is not None and first is not None and number is not None:
            break
    else:
        raise AssertionError("no easy-to-read adaptation holds a number")
    text = first.text[: number.start()] + str(int(number.group()) + 1) + first.text[number.end() :]  # type: ignore[union-attr]
    changed = [first.model_copy(update={"text": text}), *adaptation.blocks[1:]]
    answer = "\n".join(b.plain_text() for b in changed)
    flags = [
        f.flag() for f in verify(block.plain_text(), answer, pass_name="easy_read", lang=doc.lang).findings
    ]
    assert flags and all(f.code.startswith("verify.") and f.reason_fr for f in flags), flags
    block.adaptations = [
        a.model_copy(update={"blocks": changed, "flags": flags}) if a is adaptation else a
        for a in block.adaptations
    ]
    review.save_document(files, job, doc)
    store.dispose()
    return block.id, flags


def _remove_glossary_terms(server: Server, job_id: str) -> int:
    """Remove the glossary's terms to define (as staff would; test_review_glossary.py does it in the page): this
    journey is about a flagged block, and those terms would hold the release back too."""
    from inclusio.api import review
    from inclusio.auth.policy import Principal
    from inclusio.model.flags import unreviewed_glossary
    from inclusio.store.files import FileStore
    from inclusio.store.jobs import JobStore

    store, files = JobStore.from_settings(server.settings), FileStore.from_settings(server.settings)
    job = store.get(job_id)
    doc = review.load_document(files, job)
    terms = [entry.term for entry in unreviewed_glossary(doc)]
    for term in terms:
        review.remove_term(doc, term, Principal("staff1", "staff1", "staff", server.institution))
    review.save_document(files, job, doc)
    store.dispose()
    return len(terms)


def _submit_and_wait(page: Any, server: Server) -> str:
    page.get_by_label("Documents (plusieurs fichiers possibles)").set_input_files(
        [str(SAMPLES / "cours-photosynthese-fr.pdf")]
    )
    page.get_by_label("Nom du lot").fill("Relecture signalée")
    page.get_by_label("Profil du lot").select_option("easy-read")
    page.get_by_role("button", name="Envoyer le lot").click()
    page.wait_for_load_state()
    link = page.get_by_role("link", name="Relire cours-photosynthese-fr.pdf").first
    try:
        link.wait_for(timeout=JOB_TIMEOUT_MS * 2)
    except Exception:  # noqa: BLE001 - show the logs of the server and worker
        raise AssertionError(server.logs()) from None
    return str(link.get_attribute("href")).split("/web/review/")[1]


def test_staff_see_the_flagged_block_first_edit_it_and_release(
    browser: Any, server: Server, shots: Path, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "staff1")
    job_id = _submit_and_wait(page, server)
    flagged_id, flags = _falsify_last_number(server, job_id)
    assert _remove_glossary_terms(server, job_id) >= 1

    # The flagged block comes first, marked in words (heading, reasons), listed in the summary at the top.
    page.goto(f"{server.base}/web/review/{job_id}")
    summary = page.locator("#flags")
    assert summary.get_by_role("heading").inner_text() == "⚠ À relire en priorité : 1 bloc(s) signalé(s)"
    blocks = page.locator("section.block")
    first = blocks.first
    n = first.get_attribute("id")
    assert "flagged" in (first.get_attribute("class") or "")
    heading = first.get_by_role("heading", level=2).inner_text()
    assert heading.endswith("— Signalé, à relire"), heading
    assert summary.get_by_role("link").all_inner_texts() == [heading.split(" ⚠")[0].split(" —")[0].strip()]
    assert summary.get_by_role("link").get_attribute("href") == f"#{n}"
    reasons = first.locator("div.flags")
    assert reasons.locator("p").inner_text() == "Pourquoi ce texte est signalé :"
    assert reasons.locator("li").all_inner_texts() == [f.reason_fr for f in flags]
    # The reasons are part of the text field's description (heard with it), and the rest is in reading order.
    textarea = first.get_by_label("Texte facile à lire")
    assert reasons.get_attribute("id") in (textarea.get_attribute("aria-describedby") or "").split()
    numbers = [int(str(b.get_attribute("id"))[2:]) for b in blocks.all()]
    assert numbers[0] > numbers[1] and numbers[1:] == sorted(numbers[1:]), (
        numbers
    )  # moved before earlier ones
    assert page.get_by_role("heading", name="Les autres blocs, dans l'ordre de lecture").count() == 1
    assert first.locator("form").first.get_attribute("action") == f"/web/review/{job_id}/blocks/{flagged_id}"
    check_page(page, shots, "staff-review-flagged")

    # The same page in English gives the English reason.
    page.get_by_role("link", name="Read this page in English").click()
    page.wait_for_load_state()
    assert page.locator("section.block").first.locator("div.flags li").all_inner_texts() == [
        f.reason for f in flags
    ]
    assert page.locator("#flags").get_by_role("heading").inner_text() == "⚠ Review first: 1 flagged block(s)"
    axe_clean(page, "review with a flagged block (English)")
    page.get_by_role("link", name="Lire cette page en français").click()
    page.wait_for_load_state()

    # Releasing now is refused: the page comes back with the reason and the code, next to the button.
    page.get_by_role("button", name="Publier la version relue").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(f"/web/review/{job_id}?refused=1")
    alert = page.get_by_role("alert")
    assert alert.inner_text().splitlines()[0] == (
        "1 bloc(s) signalé(s) ne sont pas encore relus. Relisez-les (en "
        "haut de la page), ou cochez la case pour publier quand même."
    )
    assert "Code de l'erreur : review.unreviewed_flags" in alert.inner_text()
    assert page.get_by_label(re.compile("Je confirme la publication avec 1 bloc")).is_checked() is False
    axe_clean(page, "review (release refused)")

    # Editing the flagged block reviews it: the flag is cleared (kept as history), nothing is left to review.
    first = page.locator(f"#{n}")
    first.get_by_label("Texte facile à lire").fill("La plante fabrique du sucre avec la lumière.")
    first.get_by_role("button", name="Enregistrer et approuver").click()
    page.wait_for_load_state()
    assert page.locator("#flags").inner_text() == "Aucun bloc signalé à relire."
    edited = page.locator(f"#{n}")
    assert "flagged" not in (edited.get_attribute("class") or "")
    assert edited.locator("div.flags p").inner_text() == "Signalement levé par la relecture :"
    assert "Approuvé par staff1" in edited.locator("p.state-approved").inner_text()
    assert page.get_by_label(re.compile("Je confirme la publication")).count() == 0
    axe_clean(page, "review (flag cleared)")

    # Release: accepted now; the student's EPUB says no passage is left flagged.
    epub = release_and_download_epub(page, server, job_id, tmp_path / "released.epub")
    with zipfile.ZipFile(epub) as book:
        opf = next(book.read(name).decode() for name in book.namelist() if name.endswith(".opf"))
        pages = "".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xhtml"))
    summary_text = re.search(r'property="schema:accessibilitySummary">([^<]*)<', opf)
    assert summary_text, opf[:2000]
    said = summary_text.group(1)
    assert re.search(r"Ce document contient \d+ passages? écrits? par une machine ; ", said), said
    assert "signalés dans le texte" not in said and "signalé dans le texte" not in said, said
    assert "La plante fabrique du sucre avec la lumière." in pages and "unreviewed-note" not in pages
    context.close()
