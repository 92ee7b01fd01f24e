"""No fetch from a document (issue #19): a linked picture is served on 127.0.0.1 and no request may arrive.

LibreOffice loads an ODT's linked pictures over HTTP while converting (measured before the fix: one
GET per conversion, from the worker and from the API's preview). Each test starts a tiny HTTP server in
a thread, builds a hostile document naming it, runs the real path (run_job, the teacher's preview page)
and checks the server's log is empty. The server itself is checked first: a request to it is recorded,
so an empty log means nothing was asked, not a deaf server.
"""

from __future__ import annotations

import base64
import http.server
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.converters import odf
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile

REPO = Path(__file__).resolve().parents[2]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class LinkServer:
    """An HTTP server on 127.0.0.1 that answers every GET with a PNG and records the paths asked."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.end_headers()
                self.wfile.write(PNG)

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LinkServer:
        self.thread.start()
        with urllib.request.urlopen(f"{self.url}/self-check", timeout=5) as answer:  # the server does hear
            assert answer.read() == PNG
        assert self.hits == ["/self-check"]
        self.hits.clear()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    with LinkServer() as server:
        yield server


def linked_odt(path: Path, url: str) -> Path:
    """An ODT whose picture is a link (``xlink:show="embed"``, loaded on open) and a linked section."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
        '<office:body><office:text><text:h text:outline-level="1">La cellule</text:h>'
        "<text:p>La cellule est l'unité de base du vivant.</text:p>"
        '<text:p><draw:frame draw:name="schema" svg:width="2cm" svg:height="2cm">'
        f'<draw:image xlink:href="{url}/linked-picture.png" xlink:type="simple" xlink:show="embed" '
        'xlink:actuate="onLoad"/></draw:frame></text:p>'
        f'<text:section text:name="annexe"><text:section-source xlink:href="{url}/linked-section.odt" '
        'xlink:type="simple"/></text:section>'
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), odf.ODT)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def hostile_html(path: Path, url: str) -> Path:
    """A page naming the server in every way a page can: pictures, SVG inside a data URI, CSS, frames."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" '
        f'height="40"><image xlink:href="{url}/svg-image.png" width="10" height="10"/>'
        f'<style>@import url({url}/svg.css);</style><rect width="40" height="40" fill="url({url}/p#x)"/></svg>'
    )
    page = (
        "<!doctype html><html lang=fr><head><title>Cours</title>"
        f'<link rel="stylesheet" href="{url}/page.css"><script src="{url}/page.js"></script></head><body>'
        "<h1>La cellule</h1><p>La cellule est l'unité de base du vivant.</p>"
        f'<img src="{url}/remote.png" alt="Schéma distant">'
        f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" alt="Schéma">'
        f'<iframe src="{url}/frame.html"></iframe><object data="{url}/object.swf"></object>'
        f'<p style="background: url({url}/bg.png)">Le noyau contient l\'ADN.</p></body></html>'
    )
    path.write_text(page, encoding="utf-8")
    return path


def test_a_private_network_namespace_is_available_here() -> None:
    """The first layer is really on in this environment (root: ``unshare --net``)."""
    prefix = odf.network_sandbox()
    assert prefix and Path(prefix[0]).name == "unshare" and "--net" in prefix


def test_run_job_on_an_odt_with_a_linked_picture_fetches_nothing(
    tmp_path: Path, link_server: LinkServer
) -> None:
    source = linked_odt(tmp_path / "cours.odt", link_server.url)
    settings = Settings(data_dir=tmp_path / "data", validate_epub=False)
    result = run_job(
        source,
        load_profile("dyslexia", settings.profiles_dir),
        tmp_path / "out",
        settings=settings,
        outputs=["json"],
    )
    assert result.status in ("succeeded", "partial"), result.errors
    assert link_server.hits == []
    text = (tmp_path / "out" / "cours.document.json").read_text(encoding="utf-8")
    assert "La cellule est l'unité de base du vivant." in text


def test_libreoffice_settings_alone_still_load_no_link(
    tmp_path: Path, link_server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no namespace can be made (the logged fallback), LibreOffice's own settings keep links off."""
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert

    monkeypatch.setattr(odf, "network_sandbox", lambda: ())
    doc = convert(linked_odt(tmp_path / "cours.odt", link_server.url), ConvertContext(filename="cours.odt"))
    assert doc.title and link_server.hits == []


def test_the_fallback_is_logged_when_no_namespace_can_be_made(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    odf.network_sandbox.cache_clear()
    monkeypatch.setattr(odf, "_SANDBOXES", (["unshare", "--no-such-option"],))
    try:
        with caplog.at_level("WARNING", logger="inclusio.converters.odf"):
            assert odf.network_sandbox() == ()
        assert "WITH network access" in caplog.text
    finally:
        odf.network_sandbox.cache_clear()


def test_html_and_markdown_name_the_server_in_every_way_and_nothing_is_fetched(
    tmp_path: Path, link_server: LinkServer
) -> None:
    settings = Settings(data_dir=tmp_path / "data", validate_epub=False)
    profile = load_profile("dyslexia", settings.profiles_dir)
    page = hostile_html(tmp_path / "cours.html", link_server.url)
    notes = tmp_path / "notes.md"
    notes.write_text(
        f"# Notes\n\nLe noyau.\n\n![distant]({link_server.url}/md.png)\n\n"
        f'<img src="{link_server.url}/md-html.png">\n',
        encoding="utf-8",
    )
    for source in (page, notes):
        result = run_job(
            source, profile, tmp_path / source.stem, settings=settings, outputs=["epub", "html", "json"]
        )
        assert result.status in ("succeeded", "partial"), result.errors
    assert link_server.hits == []
    # ... and the outputs name it nowhere either (nothing a reader's device could fetch later).
    for out in (tmp_path / "cours", tmp_path / "notes"):
        for path in out.glob("*.html"):
            assert link_server.url not in path.read_text(encoding="utf-8")
        for path in out.glob("*.epub"):
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    assert link_server.url.encode() not in book.read(name), name


def test_the_teachers_preview_page_converts_a_linked_odt_without_fetching(
    tmp_path: Path, link_server: LinkServer, request: pytest.FixtureRequest
) -> None:
    from fastapi.testclient import TestClient

    from inclusio.server import create_app
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    settings = Settings(data_dir=tmp_path / "data", validate_epub=False)
    client = TestClient(create_app(settings, enqueue=lambda _kind, _job: None))
    store = JobStore.from_settings(settings)
    UserStore(store.engine).create_user(
        "prof-odt", role="teacher", institution="default", password="mot-de-passe-1"
    )
    store.dispose()

    def token(html: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert found, html[:300]
        return found.group(1)

    signed = client.post(
        "/web/sign-in",
        data={
            "username": "prof-odt",
            "password": "mot-de-passe-1",
            "csrf_token": token(client.get("/web/sign-in").text),
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text[:300]
    source = linked_odt(tmp_path / "cours.odt", link_server.url)
    # the preview is a Celery task (inclusio.preview): a real worker on the same settings makes it
    from service_helpers import RunningWorker

    worker = RunningWorker(settings, tmp_path / "worker.log")
    request.addfinalizer(worker.stop)
    with source.open("rb") as fh:
        answer = client.post(
            "/web/teacher/preview",
            data={"csrf_token": token(client.get("/web/teacher").text)},
            files={"file": ("cours.odt", fh, "application/vnd.oasis.opendocument.text")},
        )
    assert answer.status_code == 200, answer.text[:500]
    # the post redirects to the preview's page, which shows its progress until the preview is made
    status = str(answer.url).split("?")[0] + "/status"
    deadline = time.monotonic() + 120
    while client.get(status).json()["state"] == "running":
        assert time.monotonic() < deadline, "the preview was not made in 2 minutes:\n" + worker.log()[-3000:]
        time.sleep(0.5)
    assert client.get(status).json()["state"] == "done", worker.log()[-3000:]
    page = client.get(answer.url)
    assert "La cellule" in page.text  # the preview was made from the converted ODT
    assert link_server.hits == []


def test_when_unshare_net_alone_fails_the_user_namespace_variant_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``unshare --net`` alone needs root; the probe then takes ``--map-root-user --net`` (a user namespace)."""
    odf.network_sandbox.cache_clear()
    monkeypatch.setattr(
        odf, "_SANDBOXES", (["unshare", "--no-such-option"], ["unshare", "--map-root-user", "--net"])
    )
    try:
        assert odf.network_sandbox()[1:] == ("--map-root-user", "--net")
    finally:
        odf.network_sandbox.cache_clear()


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None or not Path("/usr/bin/python3").exists(),
    reason="needs root to become nobody, and a system python3",
)
def test_an_unprivileged_user_gets_a_namespace_that_reaches_nothing(link_server: LinkServer) -> None:
    """What a worker running as an ordinary user gets here: only ``lo``, and not even 127.0.0.1 answers."""
    as_nobody = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "unshare",
        "--map-root-user",
        "--net",
    ]
    done = subprocess.run(
        [*as_nobody, "cat", "/proc/net/dev"], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert [line.split(":")[0].strip() for line in done.stdout.splitlines()[2:] if ":" in line] == ["lo"]
    fetch = subprocess.run(
        [
            *as_nobody,
            "/usr/bin/python3",
            "-c",
            f"import urllib.request; urllib.request.urlopen('{link_server.url}/ns', timeout=3)",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert fetch.returncode != 0 and ("Network is unreachable" in fetch.stderr or "refused" in fetch.stderr)
    assert link_server.hits == []
