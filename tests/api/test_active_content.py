"""No active content reaches a reader or a staff browser (issue #19), end to end on a hostile page built here.

A student's HTML page carries an SVG data URI with ``<script>``, handlers, ``foreignObject`` and an
``<a href="javascript:">``, MathML with handlers and an HTML ``annotation-xml``. It goes through the real
pipeline (run_job), then the job's files are served by the real routes: the review workspace's picture
route and the artifact download. Plus the ``reading`` form field's bounds through ``POST /jobs``.
"""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from lxml import html as lxml_html
from service_helpers import api_client, make_settings

from inclusio.config import Settings
from inclusio.model import Document
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile
from inclusio.server import create_app
from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore

PASSWORD = "mot-de-passe-1"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" '
    'height="80" onload="alert(document.cookie)"><title>Cycle de la cellule</title>'
    "<script>fetch('/web/staff?steal='+document.cookie)</script>"
    '<foreignObject width="100" height="50"><body xmlns="http://www.w3.org/1999/xhtml">'
    "<script>alert(2)</script></body></foreignObject>"
    '<a href="javascript:alert(3)"><text x="5" y="20">Noyau</text></a>'
    '<set attributeName="onmouseover" to="alert(4)"/>'
    '<rect width="50" height="30" fill="#2a6" onclick="alert(5)"/></svg>'
)
EVIL_MATH = (
    '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi onclick="alert(6)" href="javascript:alert(7)">x'
    '</mi><mo>+</mo><mn>1</mn><annotation-xml encoding="application/xhtml+xml"><script>alert(8)</script>'
    "</annotation-xml></math>"
)
ACTIVE = re.compile(rb"<script|\bon[a-z]+\s*=|foreignObject|javascript:|<iframe|<set\b", re.IGNORECASE)


def hostile_page(path: Path) -> Path:
    svg64 = base64.b64encode(EVIL_SVG.encode()).decode()
    path.write_text(
        "<!doctype html><html lang=fr><head><title>Cours</title><script>alert(0)</script></head>"
        '<body onload="alert(1)"><h1>La cellule</h1><p>La cellule est l\'unité de base du vivant.</p>'
        f'<figure><img src="data:image/svg+xml;base64,{svg64}" alt="Schéma de la cellule" onerror="alert(9)">'
        "<figcaption>Le cycle</figcaption></figure>"
        f'<p><img src="data:image/png;base64,{base64.b64encode(PNG).decode()}" alt="Point"></p>'
        f'<p>{EVIL_MATH}</p><iframe src="javascript:alert(10)"></iframe></body></html>',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The hostile page through run_job (EPUB validated by EPUBCheck), once for the module."""
    tmp = tmp_path_factory.mktemp("hostile")
    settings = Settings(data_dir=tmp / "data", validate_epub=True, validate_ace=False)
    out = tmp / "out"
    result = run_job(
        hostile_page(tmp / "cours.html"),
        load_profile("dyslexia", settings.profiles_dir),
        out,
        settings=settings,
        outputs=["epub", "html", "json", "report"],
    )
    assert result.status == "succeeded", result.errors
    return {
        "out": out,
        "result": result,
        "doc": Document.from_json((out / "cours.document.json").read_text()),
    }


def test_the_document_keeps_the_drawing_without_its_active_content(converted: dict[str, Any]) -> None:
    doc = converted["doc"]
    svgs = [r for r in doc.resources.values() if r.media_type == "image/svg+xml"]
    assert len(svgs) == 1
    clean = svgs[0].data
    assert not ACTIVE.search(clean), clean
    tree = etree.fromstring(clean)
    assert tree.findtext("{http://www.w3.org/2000/svg}title") == "Cycle de la cellule"
    assert b"Noyau" in clean and b"<rect" in clean  # the link's text and the shapes stay
    assert "image.active_content_removed" in {i.code for i in doc.issues}
    formulas = [b for b in doc.blocks if b.type == "formula"]
    assert formulas and formulas[0].mathml and not ACTIVE.search(formulas[0].mathml.encode())
    assert "annotation-xml" not in formulas[0].mathml and "<mi>x</mi>" in formulas[0].mathml


def test_the_epub_declares_no_script_and_contains_none(converted: dict[str, Any]) -> None:
    report = json.loads((converted["out"] / "cours.report.json").read_text())
    assert report["validation"]["epubcheck"]["errors"] == 0, report["validation"]
    with zipfile.ZipFile(converted["out"] / "cours.epub") as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        properties = " ".join(
            i.get("properties") or "" for i in opf.iter("{http://www.idpf.org/2007/opf}item")
        )
        assert "scripted" not in properties and "remote-resources" not in properties
        assert any(n.endswith(".svg") for n in book.namelist())
        for name in book.namelist():
            if name.endswith((".xhtml", ".svg", ".opf", ".smil")):
                assert not ACTIVE.search(book.read(name)), name


def test_the_html_page_has_no_script_handler_or_active_svg(converted: dict[str, Any]) -> None:
    page = (converted["out"] / "cours.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(page)
    assert not tree.findall(".//script") and not tree.findall(".//iframe")
    assert not [
        k for el in tree.iter() if isinstance(el.tag, str) for k in el.attrib if k.lower().startswith("on")
    ]
    for img in tree.iter("img"):
        src = img.get("src", "")
        if src.startswith("data:image/svg+xml;base64,"):
            assert not ACTIVE.search(base64.b64decode(src.split(",", 1)[1]))


def test_without_active_content_strips_what_a_writer_never_makes() -> None:
    from inclusio.writers.epub3 import _never_scripted, without_active_content

    page = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b'<body onload="x()"><script>x()</script><a href="javascript:x()">a</a><p>ok</p></body></html>'
    )
    clean = without_active_content(page)
    assert not ACTIVE.search(clean) and b"<p>ok</p>" in clean and b"<!DOCTYPE html>" in clean
    untouched = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>ok</p></body></html>'
    assert without_active_content(untouched) is untouched
    opf = etree.fromstring(
        b'<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
        b'<item id="a" properties="scripted mathml"/><item id="b" properties="scripted"/>'
        b"</manifest></package>"
    )
    _never_scripted(opf)
    items = list(opf.iter("{http://www.idpf.org/2007/opf}item"))
    assert items[0].get("properties") == "mathml" and items[1].get("properties") is None


# -- serving the job's files ---------------------------------------------------------------------------


def _job_with_outputs(settings: Settings, out: Path) -> str:
    """A finished job whose folder holds the run's outputs; its records *lie* about the media types."""
    store = JobStore.from_settings(settings)
    store.migrate()
    job = store.create(
        profile_id="dyslexia",
        filename="cours.html",
        input_sha256="0" * 64,
        input_path="originals/00/" + "0" * 64,
        input_bytes=1,
        outputs=["epub", "html", "json"],
        institution="default",
    )
    folder = settings.data_dir / "jobs" / job.id
    folder.mkdir(parents=True)
    for name in ("cours.document.json", "cours.epub", "cours.html"):
        (folder / name).write_bytes((out / name).read_bytes())
    store.start(job.id)
    store.finish(
        job.id,
        status="succeeded",
        artifacts={
            "json": {"file": "cours.document.json", "media_type": "text/html"},
            "epub": {"file": "cours.epub", "media_type": "text/html"},
            "html": {"file": "cours.html", "media_type": "image/png"},
        },
    )
    store.dispose()
    return job.id


def _sign_in(client: TestClient, username: str) -> None:
    def token(page: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, page[:300]
        return found.group(1)

    answer = client.post(
        "/web/sign-in",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": token(client.get("/web/sign-in").text),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]


def _assert_sandboxed(answer: Any) -> None:
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.headers["content-security-policy"].startswith("sandbox")


def test_the_review_picture_route_never_serves_the_svg_as_a_live_page(
    tmp_path: Path, converted: dict[str, Any]
) -> None:
    settings = make_settings(tmp_path)
    job_id = _job_with_outputs(settings, converted["out"])
    client = TestClient(create_app(settings, enqueue=lambda _kind, _job: None))
    store = JobStore.from_settings(settings)
    UserStore(store.engine).create_user("relecteur", role="staff", institution="default", password=PASSWORD)
    store.dispose()
    _sign_in(client, "relecteur")
    doc = converted["doc"]
    figures = {doc.resources[b.image].media_type: b.id for b in doc.blocks if b.type == "figure" and b.image}
    svg = client.get(f"/web/review/{job_id}/images/{figures['image/svg+xml']}")
    assert svg.status_code == 200 and not ACTIVE.search(svg.content)
    assert svg.headers["content-type"] == "image/svg+xml"
    _assert_sandboxed(svg)
    png = client.get(f"/web/review/{job_id}/images/{figures['image/png']}")
    assert png.status_code == 200 and png.content == PNG
    assert png.headers["content-type"] == "image/png" and png.headers["x-content-type-options"] == "nosniff"
    assert png.headers["content-disposition"].startswith("inline;")


def test_a_picture_is_sent_with_the_type_its_bytes_prove() -> None:
    from inclusio.api.file_responses import picture_response

    lying = picture_response(b"<html><script>alert(1)</script></html>", "image/png", filename="b1.png")
    assert lying.media_type == "application/octet-stream"
    assert lying.headers["content-disposition"].startswith("attachment;")
    assert lying.headers["content-security-policy"].startswith("sandbox")
    real = picture_response(PNG, "image/svg+xml", filename="b2.svg")
    assert real.media_type == "image/png" and "content-security-policy" not in real.headers


def test_artifacts_are_served_with_our_types_as_sandboxed_attachments(
    tmp_path: Path, converted: dict[str, Any]
) -> None:
    settings = make_settings(tmp_path)
    job_id = _job_with_outputs(settings, converted["out"])
    client = api_client(settings, "admin", enqueue=lambda _kind, _job: None)
    expected = {
        "html": "text/html; charset=utf-8",
        "epub": "application/epub+zip",
        "json": "application/json",
    }
    for name, media_type in expected.items():
        answer = client.get(f"/jobs/{job_id}/artifacts/{name}")
        assert answer.status_code == 200, answer.text[:300]
        assert answer.headers["content-type"] == media_type  # not the record's lie
        _assert_sandboxed(answer)
    web_download = client.get(f"/jobs/{job_id}/artifacts/html")
    assert 'filename="cours.html"' in web_download.headers["content-disposition"]
    document = client.get(f"/jobs/{job_id}/document")  # the review API: the pictures travel in base64
    assert document.status_code == 200 and document.headers["content-type"] == "application/json"
    assert document.headers["x-content-type-options"] == "nosniff"
    assert document.headers["content-security-policy"].startswith("sandbox")


# -- the reading form field ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reading", "code"),
    [
        ("[" * 100_000 + "]" * 100_000, "request.reading_too_complex"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "request.reading_too_complex"),
        ('{"font_family": "' + "A" * 10_000_000 + '"}', None),
        ('{"font_family": "Arial</style><script>alert(1)</script>"}', "request.invalid"),
        ('{"font_family": "Arial /*"}', "request.invalid"),
        ('{"colors": {"text": "red"}}', "request.invalid"),
    ],
)
def test_post_jobs_refuses_hostile_reading_settings_with_a_code_never_a_500(
    tmp_path: Path, small_pdf: Path, reading: str, code: str | None
) -> None:
    settings = make_settings(tmp_path)
    client = api_client(settings, "student", enqueue=lambda _kind, _job: None)
    with small_pdf.open("rb") as fh:
        answer = client.post(
            "/jobs",
            files={"file": ("cours.pdf", fh, "application/pdf")},
            data={"profile": "dyslexia", "reading": reading},
        )
    assert answer.status_code in (400, 413), answer.text[:300]
    error = answer.json()["error"]
    if code is not None:
        assert error["code"] == code
    else:  # 10 MB: refused before parsing, by our bound or the form parser's part limit
        assert error["code"] in ("request.reading_too_complex", "request.invalid", "input.too_large")
    assert error["message"] and error["message_fr"]
    assert client.get("/jobs").json() == []  # nothing was queued


@pytest.mark.parametrize(
    "cookie",
    [
        "[" * 100_000,
        '{"a":' * 5_000,
        '{"font": "</style><script>alert(1)</script>", "size": "abc", "line": [1], "letter": {"x": 1}}',
        "not json",
    ],
)
def test_a_hostile_display_cookie_gives_the_normal_student_page(tmp_path: Path, cookie: str) -> None:
    settings = make_settings(tmp_path)
    client = TestClient(create_app(settings, enqueue=lambda _kind, _job: None))
    store = JobStore.from_settings(settings)
    UserStore(store.engine).create_user("etudiante", role="student", institution="default", password=PASSWORD)
    store.dispose()
    client.cookies.set("inclusio_reading", cookie)
    page = client.get("/web/sign-in")  # the one page that reads the cookie (nobody is signed in)
    assert page.status_code == 200, page.text[:300]
    assert "alert(1)" not in page.text and "--reader-" not in page.text
    _sign_in(client, "etudiante")
    client.cookies.set("inclusio_reading", cookie)
    page = client.get("/web/student")
    assert page.status_code == 200, page.text[:300]
    assert "alert(1)" not in page.text and "--reader-" not in page.text


def test_script_and_style_sources_inside_text_never_become_the_documents_text() -> None:
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.html_input import html_to_document

    page = (
        "<html><body><p>Bonjour<script>alert(1)</script> <style>p{}</style>le monde<noscript>n</noscript></p>"
        "<ul><li>un<script>deux()</script></li></ul><table><tr><td>case<iframe>cadre</iframe></td></tr></table>"
        '<p>Formule <svg xmlns="http://www.w3.org/2000/svg"><script>svg()</script><text>étiquette</text></svg></p>'
        "</body></html>"
    )
    doc = html_to_document(
        page, ConvertContext(filename="cours.html"), media_type="text/html", converter="test"
    )
    text = " | ".join(b.plain_text() for b in doc.blocks)
    assert text == "Bonjour le monde | un | case | Formule étiquette"
