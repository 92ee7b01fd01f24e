"""The glossary in the staff review, continued (issue #11): a bilingual glossary's translations written by staff,
and many terms reviewed at once (every term still to define removed, every machine definition of one origin
approved), each entry stamped as the single action does, confirmed with the number of terms, in the audit log.

No worker: a Document put in a job's folder as a worker leaves it; the last test releases the sample
(photosynthesis, easy-to-read, offline engine) on a worker after one bulk action, as staff would.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from review_helpers import _error, _wait_release, stored_job
from service_helpers import api_client, submit, wait_finished

from inclusio.api import review
from inclusio.config import Settings
from inclusio.model import Flag
from inclusio.model.document import Document, GlossaryEntry, Paragraph, Provenance, SourceInfo
from inclusio.model.flags import glossary_removed, unreviewed_glossary
from inclusio.store.accounts import UserStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
TEXT = (
    "La photosynthèse se fait dans le chloroplaste. Le stroma est le liquide du chloroplaste. "
    "La plante fabrique du glucose et de l'amidon avec la lumière. Les stomates sont des orifices."
)
DOUBT = Flag(
    code="verify.added_fact",
    reason="the number 12 is not in the source",
    reason_fr="le nombre 12 n'est pas dans la source",
)
TO_DEFINE = Flag(code="glossary.to_define", reason="no definition", reason_fr="pas de définition")


def _entry(
    term: str,
    definition: str | None,
    *,
    origin: str = "document",
    engine: str = "offline",
    flags: list[Flag] | None = None,
    translations: dict[str, str] | None = None,
    reviewed_by: str | None = None,
) -> GlossaryEntry:
    made = Provenance(engine=engine, pass_name="glossary", reviewed_by=reviewed_by)
    return GlossaryEntry(
        term=term,
        definition=definition,
        origin=origin,  # type: ignore[arg-type]
        blocks=["p1"],
        provenance=made,
        flags=flags or [],
        translations=translations or {},
    )


def _job(settings: Settings, store: JobStore, profile: str, glossary: list[GlossaryEntry]) -> str:
    doc = Document(
        title="Cours",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[Paragraph(id="p1", text=TEXT)],
        glossary=glossary,
    )
    return stored_job(settings, store, doc, profile)


def _glossary(client: TestClient, job_id: str) -> dict[str, GlossaryEntry]:
    doc = Document.model_validate(client.get(f"/jobs/{job_id}/document").json())
    return {e.term: e for e in doc.glossary}


def _audit(store: JobStore, action: str) -> list[dict[str, object]]:
    return [dict(e.details or {}) for e in UserStore(store.engine).audit_entries() if e.action == action]


def test_staff_remove_every_term_to_define_and_approve_the_documents_definitions_at_once(
    settings: Settings,
) -> None:
    staff = api_client(settings, "staff")  # the release message goes to the (unconsumed) embedded queue
    store = JobStore.from_settings(settings)
    job_id = _job(
        settings,
        store,
        "easy-read",
        [
            _entry("amidon", None, origin="frequency", flags=[TO_DEFINE]),
            _entry("chloroplaste", "Une partie de la cellule qui a 12 membranes.", flags=[DOUBT]),
            _entry("glucose", "Un sucre.", origin="model", engine="mistral"),
            _entry("photosynthèse", "La plante fabrique du sucre avec la lumière."),
            _entry("stomates", None, origin="frequency", flags=[TO_DEFINE]),
            _entry("stroma", None, origin="frequency", flags=[TO_DEFINE]),
            _entry("orifices", "De petits trous.", engine="human", reviewed_by="rania"),
        ],
    )
    assert staff.get(f"/jobs/{job_id}").json()["review"]["glossary_unreviewed"] == 4

    # Without confirm: which terms it would change, nothing changed.
    preview = staff.post(f"/jobs/{job_id}/glossary", json={"action": "remove_undefined"})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["done"] is False and body["terms"] == ["amidon", "stomates", "stroma"]
    assert body["glossary"] == {"entries": 7, "unreviewed": 4, "removed": 0}
    assert not any(glossary_removed(e) for e in _glossary(staff, job_id).values())

    # Confirmed with a number the reviewer was not shown (the glossary changed since): refused, nothing done.
    stale = staff.post(
        f"/jobs/{job_id}/glossary", json={"action": "remove_undefined", "confirm": True, "count": 2}
    )
    error = _error(stale, 400)
    assert error["code"] == "request.invalid" and error["details"] == {"field": "count", "count": 3}
    assert "3 term(s) match now, not 2" in error["message"] and "3 terme(s)" in error["message_fr"]
    assert not any(glossary_removed(e) for e in _glossary(staff, job_id).values())
    assert _audit(store, "review.glossary_remove_undefined") == []

    # Confirmed: each term removed as the single action removes it (reviewed by the staff, flags as history).
    done = staff.post(
        f"/jobs/{job_id}/glossary", json={"action": "remove_undefined", "confirm": True, "count": 3}
    ).json()
    assert done["done"] is True and done["terms"] == ["amidon", "stomates", "stroma"]
    assert done["glossary"] == {"entries": 7, "unreviewed": 1, "removed": 3}
    entries = _glossary(staff, job_id)
    staff_name = entries["amidon"].provenance.reviewed_by
    assert staff_name and staff_name != "rania"
    for term in ("amidon", "stomates", "stroma"):
        entry = entries[term]
        assert glossary_removed(entry) and not entry.needs_review
        assert entry.provenance.engine == "human" and entry.provenance.reviewed_at
        assert [f.code for f in entry.flags] == ["glossary.to_define"]
    assert _audit(store, "review.glossary_remove_undefined") == [{"count": 3}]
    # Asked again: nothing left to remove, nothing recorded.
    again = staff.post(f"/jobs/{job_id}/glossary", json={"action": "remove_undefined", "confirm": True})
    assert again.json()["terms"] == [] and _audit(store, "review.glossary_remove_undefined") == [{"count": 3}]

    # The release is still held back by the flagged definition; approving the document's own definitions
    # (one flagged) lifts it; the model's definition is another origin and stays as it was.
    assert _error(staff.post(f"/jobs/{job_id}/release"), 409)["details"]["terms"] == ["chloroplaste"]
    preview = staff.post(f"/jobs/{job_id}/glossary", json={"action": "approve", "origin": "document"}).json()
    assert preview["terms"] == ["chloroplaste", "photosynthèse"] and preview["flagged"] == 1
    approved = staff.post(
        f"/jobs/{job_id}/glossary",
        json={"action": "approve", "origin": "document", "confirm": True, "count": 2},
    ).json()
    assert approved["done"] and approved["glossary"]["unreviewed"] == 0
    entries = _glossary(staff, job_id)
    for term in ("chloroplaste", "photosynthèse"):
        made = entries[term].provenance
        assert made.engine == "offline" and made.reviewed_by == staff_name and made.reviewed_at
    assert [f.code for f in entries["chloroplaste"].flags] == ["verify.added_fact"]  # kept as history
    assert entries["glucose"].provenance.reviewed_by is None
    assert entries["orifices"].provenance.reviewed_by == "rania"  # a person's entry is not stamped again
    assert _audit(store, "review.glossary_approve") == [{"count": 2}]
    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    store.dispose()


def test_bulk_requests_that_make_no_sense_are_refused_and_students_cannot_use_them(
    settings: Settings,
) -> None:
    staff = api_client(settings, "staff")
    store = JobStore.from_settings(settings)
    job_id = _job(
        settings, store, "easy-read", [_entry("stroma", None, origin="frequency", flags=[TO_DEFINE])]
    )
    url = f"/jobs/{job_id}/glossary"
    assert staff.post(url, json={"action": "forget"}).status_code in (400, 422)
    assert staff.post(url, json={"action": "approve", "origin": "frequency"}).status_code in (400, 422)
    refused = _error(staff.post(url, json={"action": "remove_undefined", "origin": "document"}), 400)
    assert refused["details"]["field"] == "origin"
    assert staff.post(url, json={"action": "remove_undefined", "count": -1}).status_code in (400, 422)
    student = api_client(settings, "student")
    assert student.post(url, json={"action": "remove_undefined", "confirm": True}).status_code in (403, 404)
    assert not glossary_removed(_glossary(staff, job_id)["stroma"])
    store.dispose()


def test_staff_write_a_terms_translation_in_a_bilingual_glossary(settings: Settings) -> None:
    staff = api_client(settings, "staff")
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    job_id = _job(
        settings,
        store,
        "fle",  # French as a foreign language: a bilingual glossary (French -> English)
        [
            _entry("chloroplaste", "Une partie de la cellule qui a 12 membranes.", flags=[DOUBT]),
            _entry(
                "photosynthèse",
                "La plante fabrique du sucre avec la lumière.",
                origin="model",
                engine="mistral",
                translations={"en": "fotosinthesis"},
            ),
            _entry("stroma", None, origin="frequency", flags=[TO_DEFINE], translations={"en": "stroma"}),
        ],
    )
    url = f"/jobs/{job_id}/glossary/photosynthèse/translation"
    answer = staff.put(url, json={"translation": "  photo\nsynthesis "})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["entry"]["translations"] == {"en": "photo synthesis"}
    assert body["entry"]["definition"] == "La plante fabrique du sucre avec la lumière."
    assert body["entry"]["provenance"]["engine"] == "mistral" and body["entry"]["provenance"]["reviewed_by"]
    answer = staff.put(url, json={"translation": "photosynthesis", "lang": "en"})
    assert answer.json()["entry"]["translations"] == {"en": "photosynthesis"}
    saved = review.load_document(files, store.get(job_id))
    assert next(e for e in saved.glossary if e.term == "photosynthèse").translations == {
        "en": "photosynthesis"
    }

    # Refused: a language the glossary does not have, an empty or long translation, a term not there.
    wrong = _error(staff.put(url, json={"translation": "Photosynthese", "lang": "de"}), 400)
    assert wrong["details"] == {"field": "lang", "allowed": ["en"]}
    assert _error(staff.put(url, json={"translation": " \n "}), 400)["details"] == {"field": "translation"}
    assert staff.put(url, json={"translation": "x" * 121}).status_code in (400, 422)
    assert staff.put(url, json={"translation": "a", "lang": "en/../x"}).status_code in (400, 422)
    assert _error(
        staff.put(f"/jobs/{job_id}/glossary/amidon/translation", json={"translation": "starch"}), 404
    )
    # A term to define, or a flagged definition not reviewed: the definition first.
    for term in ("stroma", "chloroplaste"):
        refused = _error(
            staff.put(f"/jobs/{job_id}/glossary/{term}/translation", json={"translation": "x"}), 400
        )
        assert refused["details"] == {"term": term} and "definition" in refused["message"]
    assert staff.post(f"/jobs/{job_id}/glossary/chloroplaste/approve").status_code == 200
    done = staff.put(f"/jobs/{job_id}/glossary/chloroplaste/translation", json={"translation": "chloroplast"})
    assert done.status_code == 200 and done.json()["entry"]["translations"] == {"en": "chloroplast"}
    assert staff.delete(f"/jobs/{job_id}/glossary/chloroplaste").status_code == 200
    removed = staff.put(
        f"/jobs/{job_id}/glossary/chloroplaste/translation", json={"translation": "chloroplast"}
    )
    assert _error(removed, 400)["details"] == {"term": "chloroplaste"}
    # Students read, never write.
    student = api_client(settings, "student")
    assert student.put(url, json={"translation": "light"}).status_code in (403, 404)
    assert _glossary(staff, job_id)["photosynthèse"].translations == {"en": "photosynthesis"}

    # A profile without a bilingual glossary: no translation to write.
    plain = _job(settings, store, "easy-read", [_entry("glucose", "Un sucre.")])
    refused = _error(
        staff.put(f"/jobs/{plain}/glossary/glucose/translation", json={"translation": "glucose"}), 400
    )
    assert refused["details"] == {"field": "lang", "allowed": []}
    store.dispose()


def test_the_sample_is_released_after_one_bulk_removal(settings: Settings, start_worker: object) -> None:
    """The photosynthesis sample for the easy-to-read profile, offline: its terms to define were the reason a
    release needed one action per term; one confirmed bulk removal lets it through, none reaches the student."""
    worker = start_worker(settings)  # type: ignore[operator]
    staff = api_client(settings, "staff")
    job_id = submit(staff, SAMPLES / "cours-photosynthese-fr.pdf", profile="easy-read", outputs="json,html")
    assert wait_finished(staff, job_id, worker)["status"] == "succeeded"
    doc = Document.model_validate(staff.get(f"/jobs/{job_id}/document").json())
    pending = unreviewed_glossary(doc)
    to_define = sorted(e.term for e in pending if not e.definition)
    # The acronyms and symbols the course never defines ("CO2", "CC0") get the acronym lexicon's meaning,
    # flagged glossary.lexicon: a person confirms those too.
    lexicon = sorted(e.term for e in pending if e.origin == "lexicon")
    assert all(e.flags[0].code == "glossary.lexicon" for e in pending if e.origin == "lexicon")
    assert len(to_define) >= 10 and len(pending) == len(to_define) + len(lexicon), [e.term for e in pending]
    gate = _error(staff.post(f"/jobs/{job_id}/release"), 409)["details"]
    assert gate["glossary_terms"] == len(pending)

    preview = staff.post(f"/jobs/{job_id}/glossary", json={"action": "remove_undefined"}).json()
    assert sorted(preview["terms"]) == to_define
    done = staff.post(
        f"/jobs/{job_id}/glossary",
        json={"action": "remove_undefined", "confirm": True, "count": len(preview["terms"])},
    ).json()
    assert done["glossary"]["unreviewed"] == len(lexicon) and done["glossary"]["removed"] == len(to_define)
    if lexicon:
        approved = staff.post(
            f"/jobs/{job_id}/glossary",
            json={"action": "approve", "origin": "lexicon", "confirm": True, "count": len(lexicon)},
        ).json()
        assert sorted(approved["terms"]) == lexicon and approved["glossary"]["unreviewed"] == 0
    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    job = _wait_release(staff, job_id, worker, lambda page: True)
    assert job["release"]["state"] == "released", job
    page = staff.get(f"/jobs/{job_id}/artifacts/html").text
    assert "Définition à écrire" not in page
    released = Document.model_validate(staff.get(f"/jobs/{job_id}/document").json())
    assert unreviewed_glossary(released) == []
    assert sorted(e.term for e in released.glossary if glossary_removed(e)) == to_define
