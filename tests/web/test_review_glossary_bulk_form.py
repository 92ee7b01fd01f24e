"""The review page's bulk glossary forms and a bilingual glossary's translation field, without a browser (the
journey in test_review_glossary_bulk.py uses Chromium), on jobs a real worker made: a DOCX written here and the
photosynthesis sample, sent as a staff batch for French as a foreign language (bilingual glossary, English),
and the DOCX again for the easy-to-read profile (no translation).

What is checked on the draft the page saved and in the audit log: nothing changes without the confirmation,
nor when another reviewer changed the glossary since the page was shown; confirmed, every term to define is
removed (stamped by the reviewer), every machine definition of one origin approved, one audit entry per bulk
action with its count; a translation is saved (refused, in the page's language, while the definition is
missing); a forged form, an unknown action and a student are refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from fastapi.testclient import TestClient
from service_helpers import make_user
from test_release_states import _signed_in
from web_fixtures import PASSWORD, Server

from inclusio.api import review
from inclusio.config import Settings
from inclusio.model.document import Document, GlossaryEntry
from inclusio.model.flags import glossary_removed
from inclusio.store.accounts import UserStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobFilter, JobStore

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SAMPLE = "cours-photosynthese-fr.pdf"
DOCX = "cellule.docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JOB_TIMEOUT_S = 480.0


@dataclass
class Made:
    settings: Settings
    store: JobStore
    files: FileStore
    jobs: dict[tuple[str, str], str]
    """(file name, profile) -> job id."""
    institution: str
    """This module's, on tests/web's shared server (its jobs and audit entries are the module's)."""


def _cell_docx(path: Path) -> None:
    """A French course page: two terms the document defines (an apposition with "c'est-à-dire", "X est un
    ..."), rare words the offline glossary keeps with no definition ("to define"), an acronym it does not
    define."""
    made = docx.Document()
    made.core_properties.language = "fr-FR"
    made.add_heading("La cellule végétale", 1)
    made.add_paragraph(
        "La chlorophylle est un pigment vert qui capte la lumière du soleil. Le chloroplaste, c'est-à-dire "
        "le petit organe vert de la cellule, contient la chlorophylle."
    )
    made.add_paragraph(
        "Dans le stroma, la plante fabrique du glucose. Le glucose est stocké sous forme d'amidon dans les "
        "amyloplastes. La cellulose forme la paroi. Les stomates laissent entrer le dioxyde de carbone."
    )
    made.add_heading("Les échanges", 1)
    made.add_paragraph(
        "Le xylème transporte la sève brute. Le phloème transporte la sève élaborée. L'ADN de la cellule se "
        "trouve dans le noyau. La transpiration fait monter la sève dans le xylème et le phloème."
    )
    made.save(str(path))


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _batch(client: TestClient, profile: str, uploads: list[Path]) -> None:
    """A staff batch sent through the staff page's form (the review workspace needs the Document: json)."""
    files = [
        ("files", (p.name, p.read_bytes(), DOCX_TYPE if p.suffix == ".docx" else "application/pdf"))
        for p in uploads
    ]
    answer = client.post(
        "/web/staff/batch",
        data={
            "csrf_token": _csrf(client.get("/web/staff").text),
            "target": "profile",
            "profile": profile,
            "outputs": ["json"],
            "name": f"Glossaire {profile}",
        },
        files=files,
    )
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def made(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    """The three jobs, made by tests/web's shared worker; the pages are this process's app on its database."""
    from inclusio.server import create_app

    tmp = tmp_path_factory.mktemp("bulk")
    settings = server.settings
    for role, name in (("staff", "rania"), ("staff", "sam"), ("student", "lea")):
        make_user(settings, role, username=name, password=PASSWORD, institution=server.institution)
    store = JobStore.from_settings(settings)
    try:
        _cell_docx(tmp / DOCX)
        client = TestClient(create_app(settings))
        _signed_in(client, "rania")
        _batch(client, "fle", [tmp / DOCX, SAMPLES / SAMPLE])
        _batch(client, "easy-read", [tmp / DOCX])
        deadline = time.monotonic() + JOB_TIMEOUT_S
        while True:
            jobs = store.list(JobFilter(institution=server.institution), limit=10)
            if len(jobs) == 3 and all(j.status in ("succeeded", "partial", "failed") for j in jobs):
                break
            if server.worker.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the jobs did not finish: {[j.status for j in jobs]}\n{server.logs()}")
            time.sleep(0.2)
        assert all(j.status == "succeeded" for j in jobs), [(j.filename, j.status, j.errors) for j in jobs]
        yield Made(
            settings,
            store,
            FileStore.from_settings(settings),
            {(j.filename, j.profile_id): j.id for j in jobs},
            server.institution,
        )
    finally:
        store.dispose()


def _client(made: Made, username: str, lang: str = "fr") -> TestClient:
    from inclusio.server import create_app

    client = TestClient(create_app(made.settings))
    _signed_in(client, username)
    client.get(f"/web/lang/{lang}")
    return client


def _doc(made: Made, job_id: str) -> Document:
    return review.load_document(made.files, made.store.get(job_id))


def _by_term(made: Made, job_id: str) -> dict[str, GlossaryEntry]:
    return {e.term: e for e in _doc(made, job_id).glossary}


def _to_define(doc: Document) -> list[str]:
    return sorted(e.term for e in doc.glossary if not e.provenance.reviewed_by and not e.definition)


def _machine_defined(doc: Document, origin: str) -> list[str]:
    return sorted(
        e.term
        for e in doc.glossary
        if e.origin == origin
        and e.definition
        and not e.provenance.reviewed_by
        and e.provenance.engine != "human"
    )


def _bulk_forms(html: str) -> dict[str, dict[str, Any]]:
    """The bulk forms of the page by id: their hidden fields, legend, listed terms, confirmation and button."""
    page = lxml.html.fromstring(html)
    out = {}
    for form in page.xpath('//div[@id="glossary-bulk"]//form'):
        fields = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
        box = form.xpath(".//input[@type='checkbox']")[0]
        label = form.xpath(f".//label[@for='{box.get('id')}']")[0]
        out[form.get("id")] = {
            **fields,
            "legend": form.xpath(".//fieldset/legend")[0].text_content().strip(),
            "terms": sorted(form.xpath(".//details/p")[0].text_content().split(", ")),
            "confirm": " ".join(label.text_content().split()),
            "required": box.get("required") is not None,
            "button": form.xpath(".//button")[0].text_content().strip(),
        }
    return out


def _alert(html: str) -> str:
    [problem] = lxml.html.fromstring(html).xpath('//div[@id="bulk-problem"][@role="alert"]')
    return " ".join(problem.text_content().split())


def _notice(html: str) -> str:
    [notice] = lxml.html.fromstring(html).xpath('//p[@class="notice"][@role="status"]')
    return " ".join(notice.text_content().split())


def _term_number(html: str, term: str) -> str:
    """The n of a term's form on the page (its anchor g-n)."""
    page = lxml.html.fromstring(html)
    [form] = page.xpath(f'//*[@id="glossary"]//form[.//input[@name="term"][@value="{term}"]]')
    return str(form.xpath('.//input[@name="n"]')[0].get("value"))


def _audit(made: Made, action: str) -> list[tuple[str, dict[str, Any]]]:
    """(actor user name, details) of each audit entry of ``action``, oldest first."""
    users = UserStore(made.store.engine)
    names = {u.id: u.username for u in users.list(institution=made.institution)}
    entries = [e for e in users.audit_entries(institution=made.institution) if e.action == action]
    return [(names[e.actor_id], dict(e.details or {})) for e in reversed(entries)]


def test_staff_remove_the_terms_to_define_approve_by_origin_and_translate_in_french(made: Made) -> None:
    job_id = made.jobs[(DOCX, "fle")]
    rania, sam = _client(made, "rania"), _client(made, "sam")
    url = f"/web/review/{job_id}"
    page = rania.get(url).text
    doc = _doc(made, job_id)
    to_define = _to_define(doc)
    assert {"stroma", "xylème", "phloème"} <= set(to_define), to_define
    assert {"chlorophylle", "chloroplaste"} <= set(_machine_defined(doc, "document"))
    forms = _bulk_forms(page)
    n = len(to_define)
    removal = forms["bulk-remove_undefined-all"]
    assert removal == {
        "csrf_token": _csrf(page),
        "action": "remove_undefined",
        "origin": "",
        "count": str(n),
        "legend": "Les termes à définir",
        "terms": to_define,
        "confirm": f"Je confirme : retirer du glossaire de l'étudiant·e les {n} terme(s) sans définition (je "
        "peux encore en définir un ensuite).",
        "required": True,
        "button": f"Retirer les {n} terme(s) sans définition",
    }
    # One approval form per origin with machine definitions nobody reviewed, its count from the draft.
    origins = {o for o in review.APPROVABLE_ORIGINS if _machine_defined(doc, o)}
    assert {k for k in forms if k.startswith("bulk-approve-")} == {f"bulk-approve-{o}" for o in origins}
    document = forms["bulk-approve-document"]
    assert document["terms"] == _machine_defined(doc, "document")
    assert document["legend"] == "Les définitions tirées du document"
    assert document["button"] == f"Approuver les {len(document['terms'])} définition(s) tirées du document"
    # A term still to define: its translation is read-only (the definition first) and the server refuses it.
    tree = lxml.html.fromstring(page)
    [field] = tree.xpath("//input[@id=$id]", id=f"tr-{_term_number(page, 'stroma')}")
    assert field.get("lang") == "en" and field.get("readonly") is not None
    [label] = tree.xpath("//label[@for=$id]", id=field.get("id"))
    assert label.text_content() == "Traduction de « stroma » (en)"

    def post(client: TestClient, path: str, data: dict[str, str], html: str) -> Any:
        return client.post(f"{url}{path}", data={"csrf_token": _csrf(html), **data}, follow_redirects=False)

    refused = post(
        rania, "/glossary", {"term": "stroma", "action": "translate", "translation": "stroma"}, page
    )
    assert refused.status_code == 400 and "La définition de ce terme manque" in refused.text
    assert _by_term(made, job_id)["stroma"].translations == {}

    # Not confirmed: nothing changes, the page says why in an alert above the forms.
    answer = post(rania, "/glossary/bulk", {"action": "remove_undefined", "count": str(n)}, page)
    assert answer.headers["location"] == f"{url}?done=bulk_unconfirmed#glossary-bulk"
    assert _alert(rania.get(answer.headers["location"]).text) == (
        "Rien n'a été changé : cochez la case de confirmation avant de valider."
    )
    assert (
        _to_define(_doc(made, job_id)) == to_define and _audit(made, "review.glossary_remove_undefined") == []
    )

    # Another reviewer defines "stroma" while the first one's page still says n: her confirmation is refused.
    sam_page = sam.get(url).text
    defined = post(
        sam,
        "/glossary",
        {
            "term": "stroma",
            "n": _term_number(sam_page, "stroma"),
            "action": "define",
            "definition": "Le liquide à l'intérieur du chloroplaste.",
        },
        sam_page,
    )
    assert defined.status_code == 303
    answer = post(
        rania, "/glossary/bulk", {"action": "remove_undefined", "count": str(n), "confirm": "yes"}, page
    )
    assert answer.headers["location"] == f"{url}?done=bulk_changed#glossary-bulk"
    page = rania.get(answer.headers["location"]).text
    assert _alert(page).startswith(
        "Rien n'a été changé : le glossaire a changé depuis l'affichage de la page."
    )
    assert _to_define(_doc(made, job_id)) == [t for t in to_define if t != "stroma"]
    assert _bulk_forms(page)["bulk-remove_undefined-all"]["count"] == str(n - 1)

    # Confirmed with the number now shown: every term to define removed by rania, one audit entry.
    answer = post(
        rania, "/glossary/bulk", {"action": "remove_undefined", "count": str(n - 1), "confirm": "yes"}, page
    )
    assert answer.headers["location"] == f"{url}?done=bulk_removed&n={n - 1}#glossary-h"
    page = rania.get(answer.headers["location"]).text
    assert _notice(page) == f"{n - 1} terme(s) sans définition retiré(s) du glossaire."
    entries = _by_term(made, job_id)
    for term in to_define:
        if term == "stroma":
            assert entries[term].definition == "Le liquide à l'intérieur du chloroplaste."
            assert entries[term].provenance.reviewed_by == "sam" and not glossary_removed(entries[term])
        else:
            assert glossary_removed(entries[term]) and entries[term].provenance.reviewed_by == "rania", term
            assert entries[term].provenance.reviewed_at
    assert _to_define(_doc(made, job_id)) == []
    assert _audit(made, "review.glossary_remove_undefined") == [("rania", {"count": n - 1})]
    assert "bulk-remove_undefined-all" not in _bulk_forms(page)

    # Each origin's machine definitions approved at once, as they are, by rania.
    approved: list[tuple[str, dict[str, Any]]] = []
    for origin in sorted(origins):
        form = _bulk_forms(page)[f"bulk-approve-{origin}"]
        expected = _machine_defined(_doc(made, job_id), origin)
        assert form["terms"] == expected and form["count"] == str(len(expected))
        before = {t: _by_term(made, job_id)[t].definition for t in expected}
        answer = post(
            rania,
            "/glossary/bulk",
            {"action": "approve", "origin": origin, "count": form["count"], "confirm": "yes"},
            page,
        )
        page = rania.get(answer.headers["location"]).text
        assert _notice(page) == f"{len(expected)} définition(s) approuvée(s)."
        entries = _by_term(made, job_id)
        assert {t: entries[t].definition for t in expected} == before
        assert all(entries[t].provenance.reviewed_by == "rania" for t in expected)
        approved.append(("rania", {"count": len(expected)}))
    assert _audit(made, "review.glossary_approve") == approved
    assert "Aucun terme à définir ou à vérifier." in page and 'id="glossary-bulk"' not in page

    # The definition reviewed: its English translation is written and saved.
    number = _term_number(page, "chlorophylle")
    tree = lxml.html.fromstring(page)
    [field] = tree.xpath("//input[@id=$id]", id=f"tr-{number}")
    assert field.get("readonly") is None and field.get("value") == ""
    answer = post(
        rania,
        "/glossary",
        {"term": "chlorophylle", "n": number, "action": "translate", "translation": "  chlorophyll "},
        page,
    )
    assert answer.headers["location"] == f"{url}?done=term_translated&n={number}#g-{number}"
    page = rania.get(answer.headers["location"]).text
    assert _notice(page) == "Traduction de « chlorophylle » enregistrée."
    assert (
        lxml.html.fromstring(page).xpath("//input[@id=$id]", id=f"tr-{number}")[0].get("value")
        == "chlorophyll"
    )
    entry = _by_term(made, job_id)["chlorophylle"]
    assert entry.translations == {"en": "chlorophyll"} and entry.provenance.reviewed_by == "rania"


def test_the_english_page_its_refusals_and_a_definition_saved_with_its_translation(made: Made) -> None:
    job_id = made.jobs[(SAMPLE, "fle")]
    staff = _client(made, "rania", "en")
    url = f"/web/review/{job_id}"
    page = staff.get(url).text
    to_define = _to_define(_doc(made, job_id))
    n = len(to_define)
    assert n >= 10, to_define
    removal = _bulk_forms(page)["bulk-remove_undefined-all"]
    assert removal["legend"] == "The terms to define" and removal["terms"] == to_define
    assert removal["confirm"] == (
        f"I confirm: remove the {n} term(s) without a definition from the student's glossary (I can still "
        "define one afterwards)."
    )
    assert removal["button"] == f"Remove the {n} term(s) without a definition"
    assert "Review several terms at once" in page and f"See the {n} term(s) concerned" in page

    def post(client: TestClient, path: str, data: dict[str, str], csrf: str | None = None) -> Any:
        body = {"csrf_token": _csrf(page) if csrf is None else csrf, **data}
        return client.post(f"{url}{path}", data=body, follow_redirects=False)

    # Refused, each in English, nothing changed: a translation before its definition, an unknown action,
    # a forged form, a student.
    term = to_define[0]
    refused = post(staff, "/glossary", {"term": term, "action": "translate", "translation": "word"})
    assert refused.status_code == 400 and "This term&#39;s definition is missing" in refused.text
    refused = post(staff, "/glossary/bulk", {"action": "forget", "count": "1", "confirm": "yes"})
    assert refused.status_code == 400 and "Unknown action on many glossary terms" in refused.text
    refused = post(
        staff, "/glossary/bulk", {"action": "remove_undefined", "count": str(n), "confirm": "yes"}, "x"
    )
    assert refused.status_code in (400, 403) and "done=bulk" not in refused.headers.get("location", "")
    student = _client(made, "lea", "en")
    refused = student.post(
        f"{url}/glossary/bulk",
        data={
            "csrf_token": _csrf(student.get("/web/student").text),
            "action": "remove_undefined",
            "count": str(n),
            "confirm": "yes",
        },
        follow_redirects=False,
    )
    assert refused.status_code in (303, 403, 404) and "done=bulk" not in refused.headers.get("location", "")
    assert _to_define(_doc(made, job_id)) == to_define
    assert [e for e in _audit(made, "review.glossary_remove_undefined") if e[1] == {"count": n}] == []

    # A term to define written with its translation in one go (the "save the definition" button).
    number = _term_number(page, term)
    answer = post(
        staff,
        "/glossary",
        {
            "term": term,
            "n": number,
            "action": "define",
            "definition": "Un mot du cours.",
            "translation": "word",
        },
    )
    assert answer.headers["location"] == f"{url}?done=term_saved&n={number}#g-{number}"
    assert f"Definition of “{term}” saved." in staff.get(answer.headers["location"]).text
    entry = _by_term(made, job_id)[term]
    assert entry.definition == "Un mot du cours." and entry.translations == {"en": "word"}
    assert entry.provenance.engine == "human" and entry.provenance.reviewed_by == "rania"


def test_a_profile_without_bilingual_glossary_shows_no_translation_field(made: Made) -> None:
    job_id = made.jobs[(DOCX, "easy-read")]
    page = _client(made, "rania").get(f"/web/review/{job_id}").text
    doc = _doc(made, job_id)
    assert doc.glossary and all(not e.translations for e in doc.glossary)
    assert 'name="translation"' not in page and "Traduction de" not in page
    assert _bulk_forms(page)["bulk-remove_undefined-all"]["terms"] == _to_define(doc)
