"""Glossary entries in the staff review (issue #11): a term "to define" or a flagged definition holds the release
back like a flagged block; staff write or correct a definition (verified like any generated text, but a person's
text counts as reviewed), approve one as it is, or remove the term; after the release the student's copy has the
staff's definition and never a removed term.

The first test needs no worker (a Document put in a job's folder as a worker leaves it); the second runs the real
pipeline (offline engine) on a sample and releases it on a worker.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from lxml import html
from review_helpers import _error, _wait_release, stored_job
from service_helpers import api_client, submit, wait_finished

from inclusio.api import review
from inclusio.config import Settings
from inclusio.model import Flag
from inclusio.model.document import Document, GlossaryEntry, Paragraph, Provenance, SourceInfo
from inclusio.model.flags import glossary_removed, unreviewed_glossary
from inclusio.model.view import student_glossary
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore

TEXT = (
    "La photosynthèse se fait dans le chloroplaste. Le stroma est le liquide du chloroplaste. "
    "La plante fabrique du glucose avec la lumière."
)


def _entry(term: str, definition: str | None, flags: list[Flag] | None = None) -> GlossaryEntry:
    made = Provenance(engine="offline", pass_name="glossary", prompt_version="rules-1")
    origin = "document" if definition else "frequency"
    return GlossaryEntry(
        term=term, definition=definition, origin=origin, blocks=["p1"], provenance=made, flags=flags or []
    )


def _job_with_glossary(settings: Settings, store: JobStore) -> str:
    """A finished job whose Document has a term to define, a flagged definition and a clean one."""
    doubtful = Flag(
        code="verify.added_fact",
        reason="the number 12 is not in the source",
        reason_fr="le nombre 12 n'est pas dans la source",
    )
    doc = Document(
        title="Cours",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[Paragraph(id="p1", text=TEXT)],
        glossary=[
            _entry("chloroplaste", "Une partie de la cellule qui a 12 membranes.", [doubtful]),
            _entry("glucose", "Un sucre."),
            _entry(
                "stroma",
                None,
                [Flag(code="glossary.to_define", reason="no definition", reason_fr="pas de définition")],
            ),
        ],
    )
    return stored_job(settings, store, doc)


def _document(client: TestClient, job_id: str) -> Document:
    return Document.model_validate(client.get(f"/jobs/{job_id}/document").json())


def test_staff_define_approve_and_remove_terms_and_the_gate_counts_the_glossary(settings: Settings) -> None:
    staff = api_client(settings, "staff")  # the release message goes to the (unconsumed) embedded queue
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    job_id = _job_with_glossary(settings, store)
    counts = staff.get(f"/jobs/{job_id}").json()["review"]
    assert counts["glossary_unreviewed"] == 2 and counts["unreviewed_blocks"] == 0

    # Refused: the term to define and the flagged definition are not reviewed; said in both languages.
    error = _error(staff.post(f"/jobs/{job_id}/release"), 409)
    assert error["code"] == "review.unreviewed_flags"
    assert error["details"]["glossary_terms"] == 2 and sorted(error["details"]["terms"]) == [
        "chloroplaste",
        "stroma",
    ]
    assert "2 glossary term(s) to define or check" in error["message"]
    assert "2 terme(s) du glossaire à définir ou à vérifier" in error["message_fr"]
    assert "flagged block" not in error["message"]

    # A definition with a figure the document does not hold: saved (a person wrote it) with the finding.
    answer = staff.put(f"/jobs/{job_id}/glossary/stroma", json={"definition": "Le liquide qui a 42 enzymes."})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["findings"] and all(f["code"].startswith("verify.") for f in body["findings"])
    assert any("42" in f["reason"] for f in body["findings"]) and all(
        f["reason_fr"] for f in body["findings"]
    )
    assert body["entry"]["provenance"]["engine"] == "human" and body["entry"]["provenance"]["reviewed_by"]
    assert body["glossary"] == {"entries": 3, "unreviewed": 1, "removed": 0}
    # Corrected: no finding; the draft's flags stay as history, cleared.
    answer = staff.put(
        f"/jobs/{job_id}/glossary/Stroma",
        json={"definition": "  Le liquide\n à l'intérieur du chloroplaste. "},
    )
    assert answer.status_code == 200 and answer.json()["findings"] == []
    entry = next(e for e in _document(staff, job_id).glossary if e.term == "stroma")
    assert entry.definition == "Le liquide à l'intérieur du chloroplaste." and not entry.needs_review
    assert "glossary.to_define" in [f.code for f in entry.flags]

    # Wrong requests: a term that is not there, an empty definition, approving a term without definition.
    assert _error(staff.put(f"/jobs/{job_id}/glossary/amidon", json={"definition": "Un sucre."}), 404)[
        "code"
    ] == ("request.not_found")
    assert _error(staff.put(f"/jobs/{job_id}/glossary/stroma", json={"definition": " "}), 400)["details"] == {
        "field": "definition"
    }
    too_long = staff.put(f"/jobs/{job_id}/glossary/stroma", json={"definition": "x" * 401})
    assert _error(too_long, 400)["code"] == "request.invalid"

    # The flagged definition approved as it is: nothing left to review, the release is queued.
    answer = staff.post(f"/jobs/{job_id}/glossary/chloroplaste/approve")
    assert answer.status_code == 200 and answer.json()["glossary"]["unreviewed"] == 0
    assert staff.get(f"/jobs/{job_id}").json()["review"]["glossary_unreviewed"] == 0
    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    assert review.accepted_release(files, job_id) is None

    # Removing a term: kept in the Document, reviewed, without definition; never in the student's glossary.
    answer = staff.delete(f"/jobs/{job_id}/glossary/glucose")
    assert answer.status_code == 200 and answer.json()["glossary"] == {
        "entries": 3,
        "unreviewed": 0,
        "removed": 1,
    }
    doc = _document(staff, job_id)
    removed = next(e for e in doc.glossary if e.term == "glucose")
    assert glossary_removed(removed) and not removed.needs_review
    assert [e.term for e in student_glossary(doc.glossary)] == ["chloroplaste", "stroma"]
    assert _error(staff.post(f"/jobs/{job_id}/glossary/glucose/approve"), 400)["code"] == "request.invalid"
    store.dispose()


def test_a_term_defined_by_staff_reaches_the_released_copy_and_removed_terms_stay_out(
    settings: Settings, small_pdf: Path, start_worker: object
) -> None:
    worker = start_worker(settings)  # type: ignore[operator]
    staff = api_client(settings, "staff")
    job_id = submit(staff, small_pdf, profile="easy-read", outputs="json,html,report")
    assert wait_finished(staff, job_id, worker)["status"] == "succeeded"
    made = _document(staff, job_id)
    to_define = [e.term for e in unreviewed_glossary(made) if not e.definition]
    assert len(to_define) >= 2, [e.term for e in made.glossary]
    first_html = staff.get(f"/jobs/{job_id}/artifacts/html").content
    assert not set(_glossary_terms(first_html)) & set(to_define)  # "to define" never reaches the student

    refused = _error(staff.post(f"/jobs/{job_id}/release"), 409)
    assert refused["details"]["glossary_terms"] == len(unreviewed_glossary(made))
    term, *others = to_define
    definition = f"Mot du cours de biologie : {term} (définition relue par une personne)."
    assert staff.put(f"/jobs/{job_id}/glossary/{term}", json={"definition": definition}).status_code == 200
    for other in others:
        assert staff.delete(f"/jobs/{job_id}/glossary/{other}").status_code == 200
    for entry in unreviewed_glossary(_document(staff, job_id)):  # flagged definitions of the document's own
        assert staff.post(f"/jobs/{job_id}/glossary/{entry.term}/approve").status_code == 200
    assert staff.get(f"/jobs/{job_id}").json()["review"]["glossary_unreviewed"] == 0

    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    job = _wait_release(staff, job_id, worker, lambda page: True)
    assert job["release"]["state"] == "released", job
    page = staff.get(f"/jobs/{job_id}/artifacts/html").content
    shown = _glossary_terms(page)
    assert shown[term] == definition and not set(others) & set(shown)
    # The release ran the glossary pass again: the staff's entries are kept, nothing to review came back.
    released = _document(staff, job_id)
    kept = next(e for e in released.glossary if e.term == term)
    assert kept.definition == definition and kept.provenance.engine == "human" and kept.provenance.reviewed_by
    assert all(glossary_removed(e) for e in released.glossary if e.term in others)
    assert unreviewed_glossary(released) == []
    report: dict[str, Any] = json.loads(staff.get(f"/jobs/{job_id}/artifacts/report").content)
    assert report["review"]["summary"]["glossary_unreviewed"] == 0


def _glossary_terms(page: bytes) -> dict[str, str]:
    """Term -> definition of the HTML page's glossary (``section[role=doc-glossary]``)."""
    root = html.fromstring(page)
    out: dict[str, str] = {}
    for dt in root.xpath("//section[@role='doc-glossary']//dt"):
        dd = dt.getnext()
        while dd is not None and "glossary-translation" in (dd.get("class") or ""):
            dd = dd.getnext()
        out[" ".join(dt.text_content().split())] = (
            " ".join(dd.text_content().split()) if dd is not None else ""
        )
    return out


def review_glossary(client: TestClient, job_id: str) -> int:
    """Review every glossary entry that holds the release back, as staff would: approve a flagged definition,
    remove a term without one. Returns how many there were."""
    entries = unreviewed_glossary(_document(client, job_id))
    for entry in entries:
        if entry.definition:
            answer = client.post(f"/jobs/{job_id}/glossary/{entry.term}/approve")
        else:
            answer = client.delete(f"/jobs/{job_id}/glossary/{entry.term}")
        assert answer.status_code == 200, answer.text
    return len(entries)


def test_a_release_confirmed_with_terms_unreviewed_records_them(settings: Settings) -> None:
    from types import SimpleNamespace

    from inclusio.jobs.attempt import _ReleaseRun
    from inclusio.pipeline.spine import review_section
    from inclusio.profiles import load_profile

    staff = api_client(settings, "staff")  # the release message goes to the (unconsumed) embedded queue
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    job_id = _job_with_glossary(settings, store)
    answer = staff.post(f"/jobs/{job_id}/release", json={"accept_unreviewed": True})
    assert answer.status_code == 202, answer.text
    accepted = review.accepted_release(files, job_id)
    assert accepted is not None and accepted["flagged_blocks"] == 0 and accepted["glossary_terms"] == 2
    assert sorted(accepted["terms"]) == ["chloroplaste", "stroma"]
    from inclusio.store.accounts import UserStore

    entries = [e for e in UserStore(store.engine).audit_entries() if e.action == "release.accept_unreviewed"]
    assert [e.details for e in entries] == [{"count": 2}]  # blocks and terms (plain counts only)
    # The released report and the job's message say so.
    doc = review.load_document(files, store.get(job_id))
    confirmed = review_section(doc, accepted)["release_confirmed"]
    assert confirmed == {"by": accepted["by"], "at": accepted["at"], "flagged_blocks": 0, "glossary_terms": 2}
    run = _ReleaseRun(
        job=SimpleNamespace(released_by="rania"),
        lease="lease",
        store=store,
        files=files,
        settings=settings,
        doc=doc,
        profile=load_profile("easy-read", settings.profiles_dir),
        accepted=accepted,
    )
    assert run.message().endswith(
        f"; 0 flagged block(s) and 2 glossary term(s) released unreviewed, confirmed by {accepted['by']}"
    )
    store.dispose()
