"""Reading settings are values, never CSS (issue #19): hostile fonts refused, JSON bounded before parsing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from inclusio.errors import ProfileInvalid, ReadingTooComplex, RequestInvalid
from inclusio.profiles import load_profile, load_profile_file, with_reading
from inclusio.profiles.reading import (
    MAX_READING_BYTES,
    css_font_stack,
    json_depth_ok,
    normalise_font_stack,
    page_prefs,
    parse_reading_json,
)
from inclusio.writers.css import profile_css

PROFILES = Path(__file__).resolve().parents[2] / "profiles"

HOSTILE_FONTS = [
    "Arial</style><script>alert(document.cookie)</script>",
    "Arial /* ",
    "Arial; } body { display: none",
    "Arial, url(http://127.0.0.1/x)",
    "\\41 rial",
    "Arial\n</style>",
    "Comic Sans MS, expression(alert(1))",
    "",
    "Arial,,Verdana",
]


@pytest.mark.parametrize("font", HOSTILE_FONTS)
def test_a_hostile_font_family_is_refused_with_the_field_named(font: str) -> None:
    profile = load_profile("dyslexia", PROFILES)
    with pytest.raises(ProfileInvalid) as caught:
        with_reading(profile, {"font_family": font})
    assert "reading.font_family" in caught.value.message
    assert caught.value.message_fr.startswith("réglages de lecture")


def test_known_fonts_are_accepted_in_any_spelling_and_written_in_canonical_form() -> None:
    profile = with_reading(
        load_profile("dyslexia", PROFILES),
        {"font_family": "  opendyslexic,'ATKINSON hyperlegible' ,sans-serif"},
    )
    assert profile.reading.font_family == "OpenDyslexic, Atkinson Hyperlegible, sans-serif"
    assert css_font_stack(profile.reading.font_family) == "OpenDyslexic, 'Atkinson Hyperlegible', sans-serif"
    css = profile_css(profile)
    assert "font-family: OpenDyslexic, 'Atkinson Hyperlegible', sans-serif;" in css


@pytest.mark.parametrize(
    "reading",
    [
        {"font_size_rem": 40},
        {"font_size_rem": "NaN"},
        {"font_size_rem": float("inf")},
        {"line_height": -1},
        {"colors": {"text": "red;}</style>"}},
        {"colors": {"background": "#fff"}},
        {"text_align": "justify"},
        {"max_line_chars": "70ch"},
        {"unknown": 1},
        {"colors": {"text": "#000000", "extra": "#000000"}},
    ],
)
def test_every_other_field_is_a_bounded_value(reading: dict) -> None:
    with pytest.raises(ProfileInvalid):
        with_reading(load_profile("dyslexia", PROFILES), reading)


def test_a_profile_file_with_a_hostile_font_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pirate.yaml"
    path.write_text(
        "name: {fr: P, en: P}\ndescription: {fr: P, en: P}\n"
        'reading:\n  font_family: "Arial</style><script>alert(1)</script>"\n',
        encoding="utf-8",
    )
    with pytest.raises(ProfileInvalid, match="font_family"):
        load_profile_file(path)


def test_every_shipped_profile_still_loads_and_its_css_is_only_our_rules() -> None:
    for path in sorted(PROFILES.glob("*.yaml")):
        profile = load_profile_file(path)
        css = profile_css(profile)
        assert "</" not in css and "/*" not in css.split("*/", 1)[1] and "@import" not in css
        assert normalise_font_stack(profile.reading.font_family) == profile.reading.font_family


def test_the_html_output_of_a_valid_profile_has_one_style_element_and_no_script(tmp_path: Path) -> None:
    from inclusio.config import Settings
    from inclusio.model import Document, Paragraph, SourceInfo
    from inclusio.writers.base import RenderContext
    from inclusio.writers.html import HtmlWriter

    doc = Document(
        title="Cours",
        lang="fr",
        blocks=[Paragraph(id="b1", text="Texte du cours.")],
        source=SourceInfo(filename="cours.html", media_type="text/html", sha256="0" * 64),
    )
    profile = with_reading(
        load_profile("dyslexia", PROFILES), {"font_family": "Luciole, serif", "font_size_rem": 2}
    )
    ctx = RenderContext(
        profile=profile,
        out_dir=tmp_path,
        basename="cours",
        source=doc,
        settings=Settings(data_dir=tmp_path / "data"),
    )
    page = HtmlWriter().render(doc, ctx)
    tree = lxml_html.fromstring(page)
    assert len(tree.findall(".//style")) == 1 and not tree.findall(".//script")
    assert re.search(r"font-family: Luciole, serif;", tree.find(".//style").text)


# -- the JSON text, bounded before parsing ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"colors": {"text": {"x": {"y": 1}}}}',
    ],
)
def test_deep_json_is_refused_before_parsing(raw: str) -> None:
    with pytest.raises(ReadingTooComplex) as caught:
        parse_reading_json(raw)
    assert caught.value.code == "request.reading_too_complex" and caught.value.http_status == 400
    assert "imbriqués" in caught.value.message_fr


def test_a_ten_megabyte_json_is_refused_before_parsing() -> None:
    raw = '{"font_family": "' + "A" * 10_000_000 + '"}'
    with pytest.raises(ReadingTooComplex) as caught:
        parse_reading_json(raw)
    assert caught.value.details["bytes"] > MAX_READING_BYTES


def test_brackets_inside_strings_do_not_count_and_normal_settings_pass() -> None:
    assert json_depth_ok('{"a": "[[[[[[[[[[{{{{{{{"}', 3)
    assert not json_depth_ok('{"a": [[[1]]]}', 3)
    assert parse_reading_json('{"font_size_rem": 1.4, "colors": {"text": "#000000"}}') == {
        "font_size_rem": 1.4,
        "colors": {"text": "#000000"},
    }
    assert parse_reading_json("  ") is None
    with pytest.raises(RequestInvalid) as caught:
        parse_reading_json("[1, 2]")
    assert caught.value.code == "request.invalid"


def test_the_web_display_cookie_keeps_only_checked_values() -> None:
    fonts = {"sans": "Arial", "dys": "OpenDyslexic"}
    assert page_prefs('{"font": "dys", "size": 150, "line": 2, "letter": 0.1}', fonts) == {
        "font": "dys",
        "size": 150,
        "line": 2,
        "letter": 0.1,
    }
    assert page_prefs('{"font": "</style>", "size": "abc", "line": [1], "letter": true}', fonts) == {}
    assert page_prefs("[" * 50_000, fonts) == {}
    assert page_prefs('{"size": 10000}', fonts) == {}
    assert page_prefs("not json", fonts) == {}
