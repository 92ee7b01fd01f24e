"""LTI in a real browser (Debian's Chromium, axe-core: 0 violations): the test platform's course page frames
inclusio; a teacher deep-links a document from it, a student launches that link inside the iframe, chooses a
profile once and downloads the EPUB; a launch tampered after signing is refused with its coded page.

One uvicorn server and one worker (embedded default) for the module, the platform on another 127.0.0.1 port
(allowed to frame the pages by INCLUSIO_FRAME_ANCESTORS). Not tests/web's shared server: these settings are
the module's own (frame-ancestors naming the platform, the platform registered, a profile without audio).
The server and the browser are started by tests/web_fixtures.py, as tests/web's are."""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import web_fixtures
from lti_test_platform import CLAIM, INSTRUCTOR, LEARNER, TestPlatform
from service_helpers import RunningWorker, make_settings, make_user

ROOT = web_fixtures.ROOT

pytestmark = pytest.mark.slow
TIMEOUT_MS = 120_000


def axe_clean(frame: Any, what: str) -> None:
    """axe-core in the frame as it is now (evaluated through DevTools: the pages' CSP refuses scripts)."""
    frame.evaluate(web_fixtures.AXE.read_text(encoding="utf-8"))
    violations = frame.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    assert violations == [], f"axe on {what}: {violations}"


def reflows(page: Any, frame: Any, what: str) -> None:
    """The frame's page at 320 CSS px wide (the platform's iframe narrowed): nothing scrolls sideways."""
    tool = page.locator("#tool")
    tool.evaluate("e => { e.width = '320'; }")
    try:
        page.wait_for_function(
            "() => document.getElementById('tool').getBoundingClientRect().width <= 330", timeout=5000
        )
        width = frame.evaluate("document.documentElement.clientWidth")
        assert width <= 320, (what, width)
        assert frame.evaluate("document.documentElement.scrollWidth") <= width, (
            f"{what} scrolls sideways at 320 px"
        )
    finally:
        tool.evaluate("e => { e.width = '900'; }")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from inclusio.store.db import Database
    from inclusio.store.lti import PlatformStore

    tmp = tmp_path_factory.mktemp("lti-journey")
    platform = TestPlatform()
    profiles = tmp / "profiles"
    shutil.copytree(ROOT / "profiles", profiles)
    # as an administrator may: this profile without audio (the journey is about the launch, not speech)
    dyslexia = profiles / "dyslexia.yaml"
    dyslexia.write_text(
        dyslexia.read_text().replace("outputs: [epub, html, mp3, report]", "outputs: [epub, html, report]")
    )
    settings = make_settings(
        tmp, quality_checks=False, validate_ace=False, profiles_dir=profiles, frame_ancestors=platform.base
    )
    db = Database.from_settings(settings)
    db.migrate()
    PlatformStore(db).add(**platform.registration(), institution="default")
    db.dispose()
    make_user(settings, "admin", username="admin-lti", password=web_fixtures.PASSWORD)
    worker = RunningWorker(settings, tmp / "worker.log")
    log = tmp / "uvicorn.log"
    try:
        # the platform's address must be known to the tool's settings (frame-ancestors) before the server
        # starts, and the platform needs the tool's: it is told once the server runs
        with web_fixtures.start_web(settings, log) as base, web_fixtures.chromium() as chromium:
            platform.tool_jwks_url = base + "/lti/jwks"
            platform.tool_url = base
            yield {
                "platform": platform,
                "base": base,
                "browser": chromium,
                "log": log,
                "worker": worker,
                "database_url": settings.resolved_database_url(),
            }
    finally:
        worker.kill()  # nothing of its shutdown is checked (RunningWorker.kill)
        platform.close()


def course(world: dict[str, Any], context: Any) -> tuple[Any, Any]:
    """The platform's course page, with the tool's frame once its launch has landed."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{world['platform'].base}/course?login={world['base']}/lti/login")
    frame = page.frame_locator("#tool")
    return page, frame


def tool_frame(page: Any, world: dict[str, Any], path: str, timeout: float = 30) -> Any:
    """The iframe's document once it shows ``path`` of the tool."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = page.locator("#tool").element_handle().content_frame()
        if frame is not None and frame.url.startswith(world["base"] + path):
            try:
                frame.wait_for_load_state()
                frame.locator("h1").wait_for(timeout=5000)
                return frame
            except Exception:  # noqa: BLE001 - navigated away meanwhile: look again
                pass
        time.sleep(0.1)
    texts = [f.locator("body").inner_text() for f in page.frames if f.url.startswith(world["base"])]
    raise AssertionError(
        f"no frame at {path}: {[f.url for f in page.frames]} {texts}\n{world['log'].read_text()[-3000:]}"
    )


def test_a_teacher_deep_links_and_a_student_opens_it_in_the_iframe(
    world: dict[str, Any], tmp_path: Path
) -> None:
    platform = world["platform"]
    # the teacher adds content: a deep-linking launch inside the course page's frame
    platform.launch_claims = {
        "sub": "prof-journey",
        "roles": [INSTRUCTOR],
        "message_type": "LtiDeepLinkingRequest",
    }
    teacher = world["browser"].new_context(locale="fr-FR")
    page, frame = course(world, teacher)
    picker = tool_frame(page, world, "/lti/deep-link/")
    assert picker.locator("h1").inner_text() == "Ajouter un document accessible au cours"
    assert "BIO-101" in picker.locator("main").inner_text()
    axe_clean(picker, "deep-linking picker")
    reflows(page, picker, "deep-linking picker")
    frame.get_by_label("Document (PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown)").set_input_files(
        str(ROOT / "samples" / "handout-water-cycle-en.docx")
    )
    frame.get_by_label("Titre montré aux étudiant·es (facultatif)").fill("Le cycle de l'eau")
    returned = len(platform.returned)
    frame.get_by_role("button", name="Ajouter au cours").last.click()
    deadline = time.monotonic() + 30
    while len(platform.returned) == returned and time.monotonic() < deadline:
        time.sleep(0.1)
    claims = platform.returned[-1]  # checked by the platform with the tool's JWKS
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["title"] == "Versions accessibles : Le cycle de l'eau"
    share_id = item["custom"]["share"]
    # the teacher opens the course's tool link: the course's documents with their audit, in the frame
    platform.launch_claims = {"sub": "prof-journey", "roles": [INSTRUCTOR]}
    page.goto(f"{platform.base}/course?login={world['base']}/lti/login")
    documents = tool_frame(page, world, "/lti/course", timeout=90)
    assert documents.locator("h1").inner_text() == "Documents du cours BIO-101"
    assert "Le cycle de l'eau" in documents.locator("main").inner_text()
    assert " sur 100" in documents.locator("main").inner_text()
    axe_clean(documents, "the course's documents (instructor)")
    reflows(page, documents, "the course's documents (instructor)")
    teacher.close()

    # a student opens the link: profile first (once), then their version, in the iframe
    platform.launch_claims = {
        "sub": "stud-journey",
        "roles": [LEARNER],
        "extra": {CLAIM + "custom": {"share": share_id}},
    }
    student = world["browser"].new_context(accept_downloads=True, locale="fr-FR")
    page, frame = course(world, student)
    choose = tool_frame(page, world, f"/lti/open/{share_id}")
    assert choose.locator("h1").inner_text() == "Choisissez votre profil de lecture"
    axe_clean(choose, "profile first")
    reflows(page, choose, "profile first")
    frame.get_by_label("Dyslexie").check()
    frame.get_by_role("button", name="Enregistrer et ouvrir le document").click()
    job = tool_frame(page, world, "/web/jobs/")
    assert job.locator("h1").inner_text() == "Le cycle de l'eau"
    try:
        job.wait_for_function(
            "() => document.getElementById('job').dataset.finished === 'true'", timeout=TIMEOUT_MS
        )
    except Exception:  # noqa: BLE001 - show the logs
        raise AssertionError(world["log"].read_text()[-3000:] + world["worker"].log()[-3000:]) from None
    job = tool_frame(page, world, "/web/jobs/")
    axe_clean(job, "student's job page in the iframe")
    reflows(page, job, "student's job page in the iframe")
    with page.expect_download() as download:
        frame.get_by_role("link", name="Télécharger le livre numérique (EPUB)").click()
    epub = tmp_path / download.value.suggested_filename
    download.value.save_as(epub)
    with zipfile.ZipFile(epub) as book:
        assert book.read("mimetype") == b"application/epub+zip"
    student.close()


def test_a_tampered_launch_is_refused_in_the_iframe(world: dict[str, Any]) -> None:
    platform = world["platform"]
    platform.launch_claims = {"sub": "stud-tamper", "roles": [LEARNER]}
    platform.tamper_launches = {"sub": "someone-else"}
    try:
        context = world["browser"].new_context(locale="fr-FR")
        page, frame = course(world, context)
        refused = tool_frame(page, world, "/lti/launch")
        assert refused.locator("h1").inner_text() == "Lancement refusé"
        assert "lti.bad_signature" in refused.get_by_role("alert").inner_text()
        axe_clean(refused, "refused launch")
        reflows(page, refused, "refused launch")
        assert not [c for c in context.cookies() if "session" in c["name"]]
        context.close()
    finally:
        platform.tamper_launches = None


def test_the_admin_page_is_clean_reflows_at_320_px_and_works_with_the_keyboard(world: dict[str, Any]) -> None:
    context = world["browser"].new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{world['base']}/web/sign-in?next=/lti/admin")
    page.get_by_label("Nom d'utilisateur").fill("admin-lti")
    page.get_by_label("Mot de passe").fill(web_fixtures.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Plateformes de cours (LTI 1.3)"
    assert world["platform"].client_id in page.locator("#platforms-h + ul").inner_text()
    axe_clean(page.main_frame, "LTI administration")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe_clean(page.main_frame, "LTI administration at 320 px")
    # every control is reached with Tab, the last one too
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.id"))
    assert {"Enregistrer la plateforme", "Changer de clé de signature", "lti-issuer", "lti-names"} <= reached
    context.close()


def test_staff_see_the_roster_in_the_iframe(world: dict[str, Any]) -> None:
    from lti_test_platform import DISABILITY, NRPS_CLAIM

    from inclusio.store.db import Database
    from inclusio.store.lti import PlatformStore

    platform = world["platform"]
    db = Database(world["database_url"])
    PlatformStore(db).add(**platform.registration(), institution="default", staff_role=DISABILITY)
    db.dispose()
    platform.members = [
        {"user_id": "stud-journey", "name": "Camille Martin", "roles": [LEARNER], "status": "Active"},
        {"user_id": "someone-new", "name": "Sacha Petit", "roles": [LEARNER], "status": "Active"},
    ]
    nrps = {
        NRPS_CLAIM: {"context_memberships_url": platform.base + "/memberships", "service_versions": ["2.0"]}
    }
    platform.launch_claims = {"sub": "staff-journey", "roles": [DISABILITY], "extra": nrps}
    context = world["browser"].new_context(locale="fr-FR")
    page, frame = course(world, context)
    roster = tool_frame(page, world, "/lti/roster/")
    assert roster.locator("h1").inner_text() == "Liste du cours BIO-101"
    assert "Sacha Petit" in roster.locator("main").inner_text()
    axe_clean(roster, "the course's roster (staff)")
    reflows(page, roster, "the course's roster (staff)")
    context.close()
