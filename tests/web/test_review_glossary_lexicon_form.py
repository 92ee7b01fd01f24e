"""Acronym entries in the review workspace's glossary forms, without a browser (issue #11, rule T8): a meaning
taken from inclusio's acronym lexicon is listed first with its reason (who chose it, from what), and staff
approve, correct or remove it with the same forms as any definition; an acronym nobody defines is a term to
define. The Document is a made course adapted here by the offline engine."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from markupsafe import escape
from review_helpers import lexicon_course, stored_job
from service_helpers import make_settings, make_user
from test_release_states import _signed_in
from web_fixtures import PASSWORD

from inclusio.api import review
from inclusio.model.flags import glossary_removed
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_lexicon_entries_are_reviewed_with_the_glossary_forms(tmp_path: Path) -> None:
    from inclusio.server import create_app

    settings = make_settings(tmp_path)
    make_user(settings, "staff", username="rania", password=PASSWORD)
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    store.migrate()
    doc = lexicon_course(settings)
    job_id = stored_job(settings, store, doc)
    client = TestClient(create_app(settings))
    _signed_in(client, "rania")
    client.get("/web/lang/fr")
    page = client.get(f"/web/review/{job_id}").text
    # Each lexicon entry's reason, in French, names the acronym and where its meaning comes from.
    adn = next(e for e in doc.glossary if e.term == "ADN")
    assert adn.flags[0].reason_fr and "usage: biology" in adn.flags[0].reason_fr
    assert str(escape(adn.flags[0].reason_fr)) in page
    assert "4 terme(s) du glossaire à définir ou à vérifier" in page  # ADN, CO2, HTML to check; XQZ to define
    # The form's anchor number: the entry's place in the glossary sorted by term.
    n = {term: i for i, term in enumerate(sorted((e.term for e in doc.glossary), key=str.lower), start=1)}

    def post(data: dict[str, str]) -> str:
        body = {"csrf_token": _csrf(page), **data}
        answer = client.post(f"/web/review/{job_id}/glossary", data=body, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        return client.get(answer.headers["location"]).text

    page = post({"term": "HTML", "n": str(n["HTML"]), "action": "approve"})
    page = post(
        {
            "term": "ADN",
            "n": str(n["ADN"]),
            "action": "define",
            "definition": "La molécule qui porte les gènes.",
        }
    )
    page = post({"term": "CO2", "n": str(n["CO2"]), "action": "remove"})
    page = post(
        {
            "term": "XQZ",
            "n": str(n["XQZ"]),
            "action": "define",
            "definition": "Le code d'essai du laboratoire.",
        }
    )
    assert "4 terme(s) du glossaire" not in page

    by_term = {e.term: e for e in review.load_document(files, store.get(job_id)).glossary}
    assert by_term["HTML"].provenance.reviewed_by == "rania" and by_term["HTML"].origin == "lexicon"
    html = next(e for e in doc.glossary if e.term == "HTML")
    assert by_term["HTML"].definition == html.definition  # approved as the lexicon gave it
    assert by_term["ADN"].definition == "La molécule qui porte les gènes."
    assert by_term["ADN"].provenance.engine == "human"
    assert glossary_removed(by_term["CO2"])
    assert by_term["XQZ"].definition == "Le code d'essai du laboratoire."
    assert not any(e.needs_review for e in by_term.values())
    store.dispose()
