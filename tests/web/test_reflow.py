"""Every page reflows (WCAG 1.4.10): at 320 CSS px, and at 640 px with 200 % zoom, the page never scrolls
sideways; a wide table scrolls inside its own labelled, keyboard-reachable region instead; the student's
profile preview stays inside its card. axe-core finds 0 violations at 320 px.

The pages are the real ones of one server (tests/web/conftest.py): sign-in, password, student home, a job page,
teacher home, the teacher's preview of the corpus's dense census table, the staff dashboard and the review
workspace of a job made from a course written here with a ten-column table and a long unbroken address.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from test_journeys import JOB_TIMEOUT_MS, axe_clean, sign_in
from web_fixtures import PASSWORD, ROOT, Server

CORPUS = ROOT.parent / "shared" / "corpus"
CENSUS = CORPUS / "table-census-en.pdf"

NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}
"""640 CSS px at device scale 2: what a 1280-px window shows at 200 % zoom."""


def wide_course() -> bytes:
    """A course page a narrow screen finds hard: a ten-column table of long words and a long address."""
    cells = "".join(f"<th>Trimestre{n}Semaine{n}</th>" for n in range(10))
    row = "".join(f"<td>{n * 1234567}</td>" for n in range(10))
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Budget du laboratoire de '
        "biologie cellulaire</title></head><body><h1>Budget du laboratoire de biologie cellulaire</h1>"
        "<p>Les dépenses du laboratoire sont présentées dans le tableau suivant, trimestre par trimestre, "
        "pour que chacun puisse les comparer avec celles de l'année précédente.</p>"
        f"<table><thead><tr>{cells}</tr></thead><tbody><tr>{row}</tr><tr>{row}</tr></tbody></table>"
        "<p>Les pièces justificatives sont sur https://intranet.example.org/laboratoire/biologie-cellulaire/"
        "budget/pieces-justificatives/2026/trimestre-quatre/version-definitive-validee.</p>"
        "</body></html>"
    ).encode()


@pytest.fixture(scope="module")
def job_id(server: Server) -> Iterator[str]:
    """A finished job of student1 (HTML and the document's JSON, so staff can review it)."""
    with httpx.Client(base_url=server.base, timeout=30) as client:
        token = client.post("/auth/token", data={"username": "student1", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        answer = client.post(
            "/jobs",
            headers=headers,
            files={"file": ("budget-laboratoire.html", wide_course(), "text/html")},
            data={"profile": "dyslexia", "outputs": "html,json"},
        )
        assert answer.status_code in (200, 201, 202), answer.text
        job = answer.json()["id"]
        deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000
        while (status := client.get(f"/jobs/{job}", headers=headers).json()["status"]) not in (
            "succeeded",
            "partial",
            "failed",
        ):
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.3)
        assert status in ("succeeded", "partial"), server.logs()
    yield job


def overflow(page: Any) -> dict[str, Any]:
    """How far the page scrolls sideways, and which elements stick out of the viewport (to say why)."""
    return page.evaluate("""() => {
        const root = document.documentElement, width = root.clientWidth;
        const out = [];
        for (const el of document.querySelectorAll("body *")) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && !el.closest("[role=region], .visually-hidden, .skip")) {
                out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                         (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "") +
                         " right=" + Math.round(box.right));
            }
        }
        return {scroll: root.scrollWidth, client: width, out: out.slice(0, 8)};
    }""")


def assert_reflows(page: Any, what: str) -> None:
    page.wait_for_load_state()
    found = overflow(page)
    assert found["scroll"] <= found["client"] + 1, f"{what} scrolls sideways: {found}"
    # A table wider than its place is in a scroll region a keyboard can reach, with a name.
    bad = page.evaluate("""() => [...document.querySelectorAll("main table")].filter(t => {
        const parent = t.parentElement;
        if (t.scrollWidth <= parent.clientWidth + 1) return false;
        const region = t.closest("[role=region]");
        return !(region && ["auto", "scroll"].includes(getComputedStyle(region).overflowX) &&
                 region.tabIndex === 0 &&
                 (region.getAttribute("aria-label") || region.getAttribute("aria-labelledby")));
    }).map(t => t.className || t.querySelector("caption")?.textContent || "table")""")
    assert bad == [], f"{what}: wide tables outside a scroll region: {bad}"


def check_both_widths(page: Any, what: str) -> None:
    """The page as it is, at 640 px (200 % zoom: the context's scale is 2), then at 320 px with axe-core."""
    page.set_viewport_size(ZOOMED)
    assert_reflows(page, f"{what} at 640 px, 200 %")
    page.set_viewport_size(NARROW)
    assert_reflows(page, f"{what} at 320 px")
    axe_clean(page, f"{what} at 320 px")


def visit(page: Any, url: str, what: str) -> None:
    page.set_viewport_size(ZOOMED)
    page.goto(url)
    check_both_widths(page, what)


def zoomed_context(browser: Any) -> Any:
    return browser.new_context(viewport=ZOOMED, device_scale_factor=2)


@pytest.mark.slow  # a teacher preview of the census table and a job: about 40 s on a quiet machine
def test_every_page_reflows(browser: Any, server: Server, job_id: str) -> None:
    base = server.base
    anonymous = zoomed_context(browser)
    page = anonymous.new_page()
    visit(page, f"{base}/web/sign-in", "sign-in")
    anonymous.close()

    student = zoomed_context(browser)
    page = student.new_page()
    sign_in(page, server, "student1")
    visit(page, f"{base}/web/student", "student home")
    for viewport in (ZOOMED, NARROW):  # the profile's live preview stays inside its card
        page.set_viewport_size(viewport)
        inside = page.evaluate("""() => {
            const box = document.getElementById("preview").getBoundingClientRect();
            const card = document.getElementById("preview").closest(".card").getBoundingClientRect();
            return [box.left >= card.left - 1 && box.right <= card.right + 1, box.right, card.right];
        }""")
        assert inside[0], f"the profile preview leaves its card at {viewport}: {inside}"
    # At 320 px the table of the student's documents scrolls inside its region, which the keyboard scrolls.
    region = page.locator("main [role=region]:has(table.jobs)").first
    assert region.evaluate("r => r.scrollWidth > r.clientWidth && r.tabIndex === 0"), "no scrolling region"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    assert page.evaluate("document.documentElement.scrollLeft") == 0  # the page itself did not move
    visit(page, f"{base}/web/jobs/{job_id}", "job page")
    visit(page, f"{base}/web/password", "password page")
    student.close()

    teacher = zoomed_context(browser)
    page = teacher.new_page()
    sign_in(page, server, "teacher1")
    visit(page, f"{base}/web/teacher", "teacher home")
    page.locator("input[type=file]").first.set_input_files(str(CENSUS))
    page.locator("form:has(input[type=file]) button[type=submit]").first.click()
    page.wait_for_load_state()
    page.locator("h1", has_text=CENSUS.name).first.wait_for(timeout=JOB_TIMEOUT_MS)
    # the preview itself, with its tables (a page waiting for it opens it when it is ready)
    page.locator("main table").first.wait_for(state="attached", timeout=JOB_TIMEOUT_MS)
    page.wait_for_load_state()
    check_both_widths(page, "teacher preview")
    teacher.close()

    staff = zoomed_context(browser)
    page = staff.new_page()
    sign_in(page, server, "staff1")
    visit(page, f"{base}/web/staff", "staff dashboard")
    visit(page, f"{base}/web/review/{job_id}", "review workspace")
    staff.close()


TEMPLATES = ROOT / "src" / "inclusio" / "web" / "templates"
QUEUE_TABLE = "_queue_table.html"
"""Its macro's table is put in a region by its callers: staff.html (table_region) and the poll's rows fragment,
which the page's script puts inside that same region (#queue-jobs)."""


def test_every_table_of_the_templates_is_inside_the_table_region_macro() -> None:
    """A table outside a region may break its words at 320 px instead of scrolling (issue 17): every ``<table``
    of the templates opens inside ``{% call table_region(...) %}`` ... ``{% endcall %}``."""
    import re

    call = re.compile(r"{%-?\s*call(?:\([^)]*\))?\s+table_region\(")
    end = re.compile(r"{%-?\s*endcall\s*-?%}")
    outside = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if path.name == QUEUE_TABLE:
            continue
        for table in re.finditer(r"<table\b", text):
            before = text[: table.start()]
            opened = [m.end() for m in call.finditer(before)]
            if not opened or end.search(before, opened[-1]):
                outside.append(f"{path.name}:{before.count(chr(10)) + 1}")
    assert outside == [], f"tables outside table_region: {outside}"
    staff = (TEMPLATES / "staff.html").read_text(encoding="utf-8")
    assert re.search(r"call table_region\([^%]*id=\"queue-jobs\"[^%]*%}{{ queue_table\(", staff)
