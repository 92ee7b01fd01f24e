"""Acronyms in the staff review (issue #11, rule T8): an entry whose meaning comes from inclusio's acronym lexicon
(origin "lexicon", flagged glossary.lexicon) and an acronym nobody defines (origin "acronym", to define) hold the
release back like any glossary entry; staff approve, correct or remove a lexicon entry, define or remove the
other, one by one or at once (approve by origin "lexicon").

No worker: the Document is a made course adapted here by the offline engine and put in a job's folder as a
worker leaves it (tests/api/test_glossary_bulk.py releases the photosynthesis sample, lexicon entries included,
on a worker).
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from review_helpers import _error, lexicon_course, stored_job
from service_helpers import api_client

from inclusio.config import Settings
from inclusio.model.document import Document, GlossaryEntry
from inclusio.model.flags import glossary_removed
from inclusio.model.view import student_glossary
from inclusio.store.jobs import JobStore


def _glossary(client: TestClient, job_id: str) -> dict[str, GlossaryEntry]:
    doc = Document.model_validate(client.get(f"/jobs/{job_id}/document").json())
    return {e.term: e for e in doc.glossary}


def test_staff_approve_correct_or_remove_lexicon_entries_and_define_an_unknown_acronym(
    settings: Settings,
) -> None:
    staff = api_client(settings, "staff")  # the release message goes to the (unconsumed) embedded queue
    store = JobStore.from_settings(settings)
    job_id = stored_job(settings, store, lexicon_course(settings))
    before = _glossary(staff, job_id)
    lexicon = sorted(t for t, e in before.items() if e.origin == "lexicon")
    assert lexicon == ["ADN", "CO2", "HTML"]
    assert all([f.code for f in before[t].flags] == ["glossary.lexicon"] for t in lexicon)
    assert before["XQZ"].origin == "acronym" and before["XQZ"].definition is None

    # The gate counts them (3 meanings to check, 1 acronym to define), in both languages.
    gate = _error(staff.post(f"/jobs/{job_id}/release"), 409)
    assert sorted(gate["details"]["terms"]) == ["ADN", "CO2", "HTML", "XQZ"]
    # The bulk preview offers the lexicon's meanings by their origin; the flagged count says all are flagged.
    preview = staff.post(f"/jobs/{job_id}/glossary", json={"action": "approve", "origin": "lexicon"}).json()
    assert preview["done"] is False and sorted(preview["terms"]) == lexicon and preview["flagged"] == 3

    # Approved as it is: reviewed, the machine's meaning kept.
    answer = staff.post(f"/jobs/{job_id}/glossary/HTML/approve")
    assert answer.status_code == 200, answer.text
    html = _glossary(staff, job_id)["HTML"]
    assert html.provenance.reviewed_by and html.definition == before["HTML"].definition
    assert html.origin == "lexicon" and not html.needs_review
    # Corrected: the person's text, verified against the document (no finding here), reviewed.
    answer = staff.put(
        f"/jobs/{job_id}/glossary/ADN", json={"definition": "La molécule qui porte les gènes."}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["entry"]["provenance"]["engine"] == "human"
    # Removed: out of the student's glossary, kept for the staff.
    assert staff.delete(f"/jobs/{job_id}/glossary/CO2").status_code == 200
    # The acronym nobody defines: staff write its meaning.
    answer = staff.put(f"/jobs/{job_id}/glossary/XQZ", json={"definition": "Le code d'essai du laboratoire."})
    assert answer.status_code == 200, answer.text
    assert answer.json()["glossary"]["unreviewed"] == 0

    after = _glossary(staff, job_id)
    assert glossary_removed(after["CO2"])
    assert sorted(e.term for e in student_glossary(list(after.values()))) == ["ADN", "HTML", "XQZ"]
    assert after["ADN"].definition == "La molécule qui porte les gènes."
    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    store.dispose()


def test_lexicon_entries_approved_at_once(settings: Settings) -> None:
    staff = api_client(settings, "staff")
    store = JobStore.from_settings(settings)
    job_id = stored_job(settings, store, lexicon_course(settings))
    done = staff.post(
        f"/jobs/{job_id}/glossary",
        json={"action": "approve", "origin": "lexicon", "confirm": True, "count": 3},
    ).json()
    assert done["done"] and sorted(done["terms"]) == ["ADN", "CO2", "HTML"]
    assert done["glossary"]["unreviewed"] == 1  # XQZ: to define, not approvable
    after = _glossary(staff, job_id)
    assert all(after[t].provenance.reviewed_by for t in ("ADN", "CO2", "HTML"))
    assert after["XQZ"].needs_review and not after["XQZ"].provenance.reviewed_by
    # An acronym to define has nothing to approve.
    assert _error(staff.post(f"/jobs/{job_id}/glossary/XQZ/approve"), 400)["code"] == "request.invalid"
    store.dispose()
