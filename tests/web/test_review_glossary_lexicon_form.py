"""Acronym entries in the review workspace's glossary forms, without a browser (issue #11, rule T8): a meaning
taken from inclusio's acronym lexicon is listed first with its reason (who chose it, from what), and staff
approve, correct or remove it with the same forms as any definition; an acronym nobody defines is a term to
define. The Document is a made course adapted here by the offline engine."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import PASSWORD
from fastapi.testclient import TestClient
from markupsafe import escape
from service_helpers import make_settings, make_user
from test_release_states import _signed_in

from inclusio.adapt.engine import adapt_document
from inclusio.api import review
from inclusio.config import Settings
from inclusio.model.document import Document, Heading, Paragraph, SourceInfo
from inclusio.model.flags import glossary_removed
from inclusio.profiles import load_profile
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _adapted(settings: Settings) -> Document:
    source = Document(
        title="La cellule et le web",
        lang="fr",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[
            Heading(id="h1", level=1, text="La cellule et le web"),
            Paragraph(id="p1", text="Le noyau contient l'ADN de la cellule. L'ADN porte les gènes."),
            Paragraph(
                id="p2", text="Une page web est écrite en HTML. Le code XQZ du laboratoire sert aux tests."
            ),
            Paragraph(id="p3", text="La plante prend le CO2 de l'air pour fabriquer du sucre."),
        ],
    )
    profile = load_profile("easy-read", PROFILES)
    return adapt_document(source, profile, settings, created_at="2024-09-02T08:00:00+00:00").document


def _job(settings: Settings, store: JobStore, doc: Document) -> str:
    job = store.create(
        profile_id="easy-read",
        filename="cours.pdf",
        input_sha256="0" * 64,
        input_path="originals/00/" + "0" * 64,
        input_bytes=1,
        outputs=["json"],
        institution="default",
    )
    folder = settings.data_dir / "jobs" / job.id
    folder.mkdir(parents=True)
    (folder / "cours.document.json").write_text(doc.to_json())
    store.start(job.id)
    store.finish(
        job.id,
        status="succeeded",
        artifacts={"json": {"file": "cours.document.json", "media_type": "application/json"}},
    )
    return job.id


def test_lexicon_entries_are_reviewed_with_the_glossary_forms(tmp_path: Path) -> None:
    from inclusio.server import create_app

    settings = make_settings(tmp_path)
    make_user(settings, "staff", username="rania", password=PASSWORD)
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    store.migrate()
    doc = _adapted(settings)
    job_id = _job(settings, store, doc)
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
