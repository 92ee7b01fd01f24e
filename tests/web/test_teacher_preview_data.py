"""What the teacher's preview is made of, without a browser (issue 17): the easy-to-read draft panel shows
prose (never the web course's code), and the comparison of two versions keys findings on what survives an
edit (the image, the text), not on block ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model.document import is_code
from inclusio.web.i18n import translator
from inclusio.web.preview import compare, draft_pairs, findings_view, readability_view


@pytest.mark.slow  # the easy-to-read rules load spaCy: 10-50 s depending on the load
def test_the_web_courses_draft_panel_is_prose_and_never_code(corpus_dir: Path) -> None:
    from inclusio.pipeline.spine import adapt_source
    from inclusio.profiles import load_profile

    settings = Settings()
    path = corpus_dir / "slides-fr-web-course.pptx"
    source = convert(path, ConvertContext.from_settings(settings, path.name))
    code = [b.plain_text() for b in source.blocks if is_code(b)]
    assert len(code) >= 20  # the course is full of HTML and CSS examples
    easy = load_profile("easy-read", settings.profiles_dir)
    drafted = adapt_source(source, easy, settings.model_copy(update={"engine": "offline"})).document
    pairs, unchanged = draft_pairs(source, drafted, easy.adaptation.level)
    assert pairs and unchanged > 0
    shown = [line for p in pairs for line in (*p["source"], *p["draft"])]
    assert not any(c.strip() and c.strip() in line for c in code for line in shown if len(c.strip()) > 12)
    # prose: each pair's draft is sentences or list items in the document's language, located on its slide
    assert all(p["place"] and p["place"][0] == "slide" for p in pairs)
    assert any(line.startswith("• ") for p in pairs for line in p["draft"])  # the outline stays a list
    # nested items keep their nesting (indented), none is lost
    outline = next(p for p in pairs if len(p["source"]) > 5)
    assert len([line for line in outline["source"] if line.lstrip("\u2003").startswith("• ")]) == len(
        outline["source"]
    )


def _audit(images: list[tuple[str, int]]) -> dict:
    """An audit's JSON with one alt_text finding per (image key, slide)."""
    findings = [
        {"block_id": f"b{n}", "place": ["slide", s], "excerpt": "", "image": key}
        for n, (key, s) in enumerate(images)
    ]
    check = {
        "id": "alt_text",
        "ok": not images,
        "share": 1.0 if images else 0.0,
        "weight": 3,
        "title_en": "Images have a text alternative",
        "title_fr": "Les images ont une alternative textuelle",
        "fix_en": "",
        "fix_fr": "",
        "count": len(images),
        "total": len(images),
        "blocks": [],
        "findings": findings,
        "tool_fixes": {},
    }
    return {"score": 80, "checks": [check], "order": ["alt_text"] if images else []}


def test_two_versions_are_compared_by_image_not_by_block_id() -> None:
    before = {"findings": findings_view(_audit([("img-a", 3), ("img-b", 4)]), {}, "fr")}
    after = {"findings": findings_view(_audit([("img-b", 5), ("img-c", 6)]), {}, "fr")}  # slides moved
    diff = compare(before, after)
    assert [f["place"] for f in diff["fixed"]] == ["diapositive 3"]
    assert [f["place"] for f in diff["new"]] == ["diapositive 6"]
    assert [f["place"] for f in diff["still"]] == ["diapositive 5"]  # the same image, now on slide 5


def test_a_document_too_short_to_measure_says_so_and_draws_no_bar() -> None:
    data = {
        "document": {"reading_ease": -383.0, "words": 3, "words_per_sentence": 1.0},
        "measured": False,
        "sections": [
            {"heading_id": "h", "title": "Exercice 1", "words": 1, "place": ["slide", 1], "passage": None}
        ],
        "passages": [],
    }
    for lang, verdict in (("fr", "trop court pour être mesuré"), ("en", "too short to measure")):
        view = readability_view(data, translator(lang), lang)
        assert (view["verdict"], view["ease"], view["chart"]["bars"]) == (verdict, None, [])
        assert view["rows"][0]["too_short"] and view["rows"][0]["ease"] == "—"
