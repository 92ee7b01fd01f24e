"""The glossary forms of the review workspace without a browser (the journey in test_review_glossary.py uses
Chromium): the English page, each action's notice, a forged form and a student are refused."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from markupsafe import escape
from review_helpers import stored_job
from service_helpers import make_settings, make_user
from test_release_states import _signed_in
from web_fixtures import PASSWORD

from inclusio.api import review
from inclusio.model import Flag
from inclusio.model.document import Document, GlossaryEntry, Paragraph, Provenance, SourceInfo
from inclusio.model.flags import glossary_removed
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore
from inclusio.warning_codes import warning_text


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _job(settings: object, store: JobStore) -> str:
    made = Provenance(engine="offline", pass_name="glossary")
    doc = Document(
        title="Cours",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[Paragraph(id="p1", text="Le stroma est dans le chloroplaste. La plante fait du glucose.")],
        glossary=[
            GlossaryEntry(term="chloroplaste", definition="Une partie verte de la cellule.", provenance=made),
            GlossaryEntry(term="glucose", definition="Un sucre.", provenance=made),
            GlossaryEntry(
                term="stroma",
                origin="frequency",
                provenance=made,
                flags=[
                    Flag(
                        code="glossary.to_define",
                        reason=warning_text("glossary.to_define", "en", term="stroma"),
                        reason_fr=warning_text("glossary.to_define", "fr", term="stroma"),
                    )
                ],
            ),
        ],
    )
    return stored_job(settings, store, doc)  # type: ignore[arg-type]


def test_the_glossary_forms_in_english_their_notices_and_refusals(tmp_path: Path) -> None:
    from inclusio.server import create_app

    settings = make_settings(tmp_path)
    make_user(settings, "staff", username="rania", password=PASSWORD)
    make_user(settings, "student", username="lea", password=PASSWORD)
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    store.migrate()
    job_id = _job(settings, store)
    client = TestClient(create_app(settings))
    _signed_in(client, "rania")
    client.get("/web/lang/en")
    # A notice's number that is a digit to str.isdigit() but no integer ("²") is ignored, not a crash.
    assert client.get(f"/web/review/{job_id}", params={"done": "term_saved", "n": "²"}).status_code == 200
    page = client.get(f"/web/review/{job_id}").text
    assert "Review first: 1 glossary term(s) to define or check" in page
    assert (
        str(escape(warning_text("glossary.to_define", "en", term="stroma"))) in page and "— To define" in page
    )
    assert "1 glossary term(s) to define or check are not reviewed yet." in page
    assert "I confirm the release with 0 flagged block(s) and 1 glossary term(s) not reviewed" in page
    # The term to define comes first: its anchor (g-3, by term) before the others'.
    assert page.index('id="g-3"') < page.index('id="g-1"') < page.index('id="g-2"')

    def post(data: dict[str, str], csrf: str | None = None) -> object:
        body = {"csrf_token": csrf if csrf is not None else _csrf(page), **data}
        return client.post(f"/web/review/{job_id}/glossary", data=body, follow_redirects=False)

    answer = post(
        {"term": "stroma", "n": "3", "action": "define", "definition": "Le liquide du chloroplaste."}
    )
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == f"/web/review/{job_id}?done=term_saved&n=3#g-3"  # type: ignore[attr-defined]
    page = client.get(answer.headers["location"]).text  # type: ignore[attr-defined]
    assert "Definition of “stroma” saved." in page and "No term left to define or check." in page
    assert "Reviewed by rania on" in page and 'id="accept-unreviewed"' not in page
    answer = post({"term": "glucose", "n": "2", "action": "remove"})
    page = client.get(answer.headers["location"]).text  # type: ignore[attr-defined]
    assert "“glucose” removed from the glossary." in page
    assert "Removed from the glossary by rania: the student will not see it" in page
    answer = post({"term": "chloroplaste", "n": "1", "action": "approve"})
    assert "Definition of “chloroplaste” approved." in client.get(answer.headers["location"]).text  # type: ignore[attr-defined]
    doc = review.load_document(files, store.get(job_id))
    by_term = {e.term: e for e in doc.glossary}
    assert (
        by_term["stroma"].definition == "Le liquide du chloroplaste."
        and by_term["stroma"].provenance.engine == "human"
    )
    assert glossary_removed(by_term["glucose"]) and by_term["chloroplaste"].provenance.reviewed_by == "rania"

    # Refused: an unknown action, a forged form, a student.
    assert post({"term": "stroma", "action": "drop"}).status_code == 400  # type: ignore[attr-defined]
    assert post({"term": "stroma", "action": "remove"}, csrf="forged").status_code in (400, 403)  # type: ignore[attr-defined]
    assert not glossary_removed(
        next(e for e in review.load_document(files, store.get(job_id)).glossary if e.term == "stroma")
    )
    student = TestClient(create_app(settings))
    _signed_in(student, "lea")
    refused = student.post(
        f"/web/review/{job_id}/glossary",
        data={"csrf_token": _csrf(student.get("/web/student").text), "term": "stroma", "action": "remove"},
        follow_redirects=False,
    )
    assert refused.status_code in (303, 403, 404), refused.text
    assert not refused.headers.get("location", "").startswith(f"/web/review/{job_id}?done")
    assert not glossary_removed(
        next(e for e in review.load_document(files, store.get(job_id)).glossary if e.term == "stroma")
    )
    store.dispose()
