"""SVG and MathML rebuilt from an allow-list (issue #19): each known trick, built here, comes out inert."""

from __future__ import annotations

import base64
import re

import pytest
from lxml import etree

from inclusio.model import DocumentBuilder
from inclusio.model.safe_markup import (
    EMPTY_SVG,
    MAX_SVG_BYTES,
    UnsafeMarkup,
    css_is_safe,
    safe_image_data,
    sanitize_mathml,
    sanitize_svg,
)

SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
ACTIVE = re.compile(r"<script|\bon[a-z]+\s*=|foreignObject|javascript:|@import|<animate|<set\b", re.I)


def svg(body: str, attrs: str = "") -> bytes:
    return f'<svg {SVG} width="100" height="50"{attrs}>{body}</svg>'.encode()


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<script xlink:href="http://127.0.0.1/x.js"/>',
        '<rect width="10" height="10" onclick="alert(1)"/>',
        '<g onmouseover="alert(1)"><rect width="1" height="1"/></g>',
        '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></body></foreignObject>',
        '<a href="javascript:alert(1)"><text>lien</text></a>',
        '<a xlink:href="http://127.0.0.1/"><text>lien</text></a>',
        '<animate attributeName="href" values="javascript:alert(1)"/>',
        '<set attributeName="onload" to="alert(1)"/>',
        '<image href="http://127.0.0.1/x.png" width="1" height="1"/>',
        '<image xlink:href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>',
        '<use href="http://127.0.0.1/sprite.svg#a"/>',
        "<style>@import url(http://127.0.0.1/x.css);</style>",
        "<style>rect { fill: url(http://127.0.0.1/p.png) }</style>",
        "<style>rect { background: u\\72l(http://127.0.0.1/p.png) }</style>",
        '<rect width="1" height="1" style="fill: url(http://127.0.0.1/p.png)"/>',
        '<rect width="1" height="1" fill="url(http://127.0.0.1/p.svg#g)"/>',
        '<rect width="1" height="1" filter="url( http://127.0.0.1/f.svg#f"/>',
        '<handler xmlns="http://www.w3.org/2001/xml-events">alert(1)</handler>',
        '<iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/>',
    ],
)
def test_each_trick_is_left_out_and_reported(body: str) -> None:
    result = sanitize_svg(svg(body))
    text = result.data.decode()
    assert not ACTIVE.search(text), text
    assert "127.0.0.1" not in text and "data:image/svg" not in text
    assert result.removed, "what was left out is reported"
    etree.fromstring(result.data)  # still a well-formed picture


def test_the_drawing_its_text_and_internal_references_stay() -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n0000").decode()
    source = svg(
        '<title>Cycle</title><desc>Le cycle de l\'eau</desc><defs><linearGradient id="g">'
        '<stop offset="0" stop-color="#fff"/></linearGradient><clipPath id="c"><rect width="5" height="5"/>'
        "</clipPath></defs><style>rect { fill: url(#g); }</style>"
        '<rect id="r" width="10" height="10" fill="url(#g)" clip-path="url(#c)" style="stroke: #000"/>'
        '<use xlink:href="#r" x="20"/><use href="#r" x="40"/>'
        f'<image xlink:href="data:image/png;base64,{png}" width="4" height="4"/>'
        '<a href="#r"><text x="1" y="40" xml:lang="fr">Évaporation <tspan>→ nuage</tspan></text></a>',
        ' role="img" aria-labelledby="t" viewBox="0 0 100 50"',
    )
    result = sanitize_svg(source)
    tree = etree.fromstring(result.data)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert tree.get("viewBox") == "0 0 100 50" and tree.get("role") == "img"
    assert tree.findtext("s:title", namespaces=ns) == "Cycle"
    assert tree.find(".//s:rect[@id='r']", ns).get("fill") == "url(#g)"
    assert len(tree.findall(".//s:use", ns)) == 2 and tree.find(".//s:image", ns) is not None
    assert "url(#g)" in tree.findtext("s:style", namespaces=ns)
    assert "Évaporation" in "".join(tree.itertext()) and "nuage" in "".join(tree.itertext())
    assert result.removed == ["a"]  # only the link element (its text stayed)


def test_sanitising_twice_changes_nothing() -> None:
    once = sanitize_svg(svg('<script>x</script><rect width="1" height="1" onclick="x"/><text>a</text>'))
    twice = sanitize_svg(once.data)
    assert twice.data == once.data and twice.removed == []


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        b"<html><body>not a picture</body></html>",
        b'<svg width="1">no namespace</svg>',
        b"<svg xmlns='http://www.w3.org/2000/svg'><unclosed></svg>",
        b"\x89PNG not xml",
    ],
)
def test_what_cannot_be_rebuilt_is_refused(data: bytes) -> None:
    with pytest.raises(UnsafeMarkup):
        sanitize_svg(data)
    assert safe_image_data("image/svg+xml", data) == EMPTY_SVG


def test_deep_nesting_is_refused_by_the_parser_not_a_recursion_error() -> None:
    with pytest.raises(UnsafeMarkup):
        sanitize_svg(svg("<g>" * 100_000 + "</g>" * 100_000))
    assert sanitize_mathml("<math>" + "<mrow>" * 100_000 + "</mrow>" * 100_000 + "</math>") is None
    assert sanitize_svg(svg("<g>" * 200 + "</g>" * 200)).data.count(b"<g") == 200


def test_a_huge_svg_is_refused_before_parsing() -> None:
    with pytest.raises(UnsafeMarkup, match="larger"):
        sanitize_svg(svg("<g>" + " " * MAX_SVG_BYTES + "</g>"))


def test_the_builder_sanitises_every_svg_a_converter_adds_and_leaves_rasters_alone() -> None:
    builder = DocumentBuilder()
    key = builder.add_resource(svg('<script>alert(1)</script><rect width="2" height="2"/>'), "image/svg+xml")
    assert b"<script" not in builder.resources[key].data and b"<rect" in builder.resources[key].data
    assert [i.code for i in builder.issues] == ["image.active_content_removed"]
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    assert builder.resources[builder.add_resource(png, "image/png")].data == png
    with pytest.raises(ValueError):
        builder.add_resource(b"<html/>", "image/svg+xml")


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"BM\x00\x00 a bitmap", b""])
def test_a_picture_declared_raster_must_be_one_by_its_bytes(data: bytes) -> None:
    with pytest.raises(UnsafeMarkup):
        DocumentBuilder().add_resource(data, "image/png")


def test_a_raster_picture_gets_the_type_its_bytes_prove() -> None:
    builder = DocumentBuilder()
    jpeg = b"\xff\xd8\xff\xe0" + b"0" * 20
    assert builder.resources[builder.add_resource(jpeg, "image/png")].media_type == "image/jpeg"


def test_css_check() -> None:
    assert css_is_safe("rect { fill: url(#a); stroke: url('#b') }")
    for bad in (
        "@import 'x.css';",
        "a{b:url(x.png)}",
        "a{b:url(#a) url(http://x/)}",
        "a{b:expression(1)}",
        "a{b:url(}",
        "a{behavior:url(x.htc)}",
        "a{b:\\75rl(x)}",
    ):
        assert not css_is_safe(bad), bad


# -- MathML --------------------------------------------------------------------------------------------


def test_mathml_keeps_the_formula_and_drops_handlers_links_and_foreign_content() -> None:
    source = (
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block" onclick="alert(1)">'
        '<semantics><mrow><mi href="javascript:alert(2)" mathvariant="bold">x</mi><mo>+</mo>'
        '<mn style="background:url(http://127.0.0.1/)">1</mn></mrow>'
        '<annotation encoding="application/x-tex">x+1</annotation>'
        '<annotation-xml encoding="application/xhtml+xml"><script xmlns="http://www.w3.org/1999/xhtml">'
        "alert(3)</script></annotation-xml></semantics><maction actiontype='statusline'>y</maction></math>"
    )
    clean = sanitize_mathml(source)
    assert clean is not None and not ACTIVE.search(clean) and "127.0.0.1" not in clean
    assert "annotation-xml" not in clean and "maction" not in clean and "style=" not in clean
    tree = etree.fromstring(clean)
    assert tree.get("display") == "block"
    assert tree.find(".//{http://www.w3.org/1998/Math/MathML}mi").get("mathvariant") == "bold"
    assert "x+1" in clean  # the TeX annotation (text) stays
    assert sanitize_mathml(clean) == clean


def test_mathml_without_namespace_gets_it_and_non_math_is_refused() -> None:
    clean = sanitize_mathml("<math><mi>a</mi></math>")
    assert clean == '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>a</mi></math>'
    assert sanitize_mathml("<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert sanitize_mathml("<math><mi>") is None
    assert sanitize_mathml('<!DOCTYPE math [<!ENTITY a "b">]><math>&a;</math>') is None
