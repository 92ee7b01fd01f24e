"""SVG pictures and MathML formulas rebuilt from an allow-list: no active content, no external reference.

A document can bring two kinds of XML that a browser or a reading system *runs* rather than shows:
SVG (a picture: ``<script>``, ``onload=``, ``<foreignObject>`` holding HTML, ``<a href="javascript:">``,
``<animate attributeName="href">``, ``<image href="http://...">``, ``@import`` in a ``<style>``) and
MathML (``href``, ``<annotation-xml>`` holding HTML or SVG). Both are sanitised **once, at ingestion**
(:meth:`inclusio.model.DocumentBuilder.add_resource` for every SVG a converter keeps; the HTML and
Word converters for MathML), and again by the writers before anything goes into an EPUB or HTML page.

Why an allow-list rebuild and not rasterising SVG: a course diagram stays sharp at the 200-400 %
zoom low-vision readers use, its ``<title>``/``<desc>`` and text stay readable by assistive
technologies, and EPUB 3 takes SVG as a core media type; rasterising would need a renderer that
itself reads the hostile file (MuPDF's SVG reader). The rebuild is a *copy* of the elements and
attributes we know (a deny-list misses the next trick): anything else is left out, never repaired.

What a sanitised SVG contains: elements of the SVG namespace from :data:`SVG_ELEMENTS` (shapes, text,
gradients, patterns, clip paths, masks, markers, filters, ``use``); attributes from
:data:`SVG_ATTRIBUTES` in no namespace, plus ``xml:lang``/``xml:space``; ``href`` and ``xlink:href``
only as an internal fragment (``#id``), or on ``<image>`` a ``data:`` URI of a PNG, JPEG, GIF or WebP
picture; ``url(...)`` in attribute values and styles only as ``url(#id)``; a ``<style>`` element or
``style`` attribute only without ``@import``, ``url()`` to anything else, ``expression(`` or
``javascript:``. Left out: scripts, every ``on*`` handler, ``foreignObject``, ``a`` (its content is
kept), animation (``animate``, ``set``...), comments, processing instructions, DTDs (a DOCTYPE is
refused: entities are never expanded), elements of other namespaces (editor metadata).

What a sanitised MathML contains: the MathML elements of :data:`MATHML_ELEMENTS` and the
presentation attributes of :data:`MATHML_ATTRIBUTES`; ``annotation-xml`` (it can hold HTML or SVG),
links, ``style`` and anything else are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
SVG_MEDIA_TYPE = "image/svg+xml"
MAX_SVG_BYTES = 5 * 1024 * 1024
"""A course diagram is kilobytes; larger SVG is refused (the tree would cost ~10x in memory)."""
MAX_SVG_ELEMENTS = 100_000

SVG_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "title",
        "desc",
        "switch",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "pattern",
        "clipPath",
        "mask",
        "marker",
        "image",
        "style",
        "filter",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
    }
)
_UNWRAP = frozenset({"a"})
"""Elements left out whose content is kept (a link's text and shapes are part of the picture)."""

SVG_ATTRIBUTES = frozenset(
    {
        # core, structure, accessibility
        "id",
        "class",
        "lang",
        "tabindex",
        "role",
        "aria-label",
        "aria-labelledby",
        "aria-describedby",
        "aria-hidden",
        "version",
        "baseProfile",
        "width",
        "height",
        "x",
        "y",
        "viewBox",
        "preserveAspectRatio",
        "transform",
        "style",
        "type",
        "media",
        "href",
        # geometry
        "d",
        "pathLength",
        "points",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "fr",
        "dx",
        "dy",
        "rotate",
        "textLength",
        "lengthAdjust",
        "startOffset",
        "method",
        "spacing",
        "side",
        # paint and presentation
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "color",
        "display",
        "visibility",
        "overflow",
        "clip",
        "clip-path",
        "clip-rule",
        "mask",
        "filter",
        "marker-start",
        "marker-mid",
        "marker-end",
        "paint-order",
        "vector-effect",
        "shape-rendering",
        "text-rendering",
        "image-rendering",
        "color-interpolation",
        "color-interpolation-filters",
        "stop-color",
        "stop-opacity",
        "flood-color",
        "flood-opacity",
        "lighting-color",
        "mix-blend-mode",
        "isolation",
        # text
        "font-family",
        "font-size",
        "font-size-adjust",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "text-anchor",
        "text-decoration",
        "dominant-baseline",
        "alignment-baseline",
        "baseline-shift",
        "letter-spacing",
        "word-spacing",
        "writing-mode",
        "direction",
        "unicode-bidi",
        # gradients, patterns, clips, markers
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "offset",
        "patternUnits",
        "patternContentUnits",
        "patternTransform",
        "clipPathUnits",
        "maskUnits",
        "maskContentUnits",
        "markerUnits",
        "markerWidth",
        "markerHeight",
        "refX",
        "refY",
        "orient",
        # filters
        "filterUnits",
        "primitiveUnits",
        "in",
        "in2",
        "result",
        "stdDeviation",
        "mode",
        "values",
        "operator",
        "k1",
        "k2",
        "k3",
        "k4",
        "order",
        "kernelMatrix",
        "divisor",
        "bias",
        "targetX",
        "targetY",
        "edgeMode",
        "preserveAlpha",
        "surfaceScale",
        "diffuseConstant",
        "specularConstant",
        "specularExponent",
        "kernelUnitLength",
        "scale",
        "xChannelSelector",
        "yChannelSelector",
        "radius",
        "baseFrequency",
        "numOctaves",
        "seed",
        "stitchTiles",
        "tableValues",
        "slope",
        "intercept",
        "amplitude",
        "exponent",
        "azimuth",
        "elevation",
        "z",
        "pointsAtX",
        "pointsAtY",
        "pointsAtZ",
        "limitingConeAngle",
        "requiredFeatures",
        "requiredExtensions",
        "systemLanguage",
    }
)

MATHML_ELEMENTS = frozenset(
    {
        "math",
        "mi",
        "mn",
        "mo",
        "mtext",
        "mspace",
        "ms",
        "mglyph",
        "mrow",
        "mfrac",
        "msqrt",
        "mroot",
        "mstyle",
        "merror",
        "mpadded",
        "mphantom",
        "mfenced",
        "menclose",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mmultiscripts",
        "mprescripts",
        "none",
        "mtable",
        "mtr",
        "mtd",
        "mlabeledtr",
        "maligngroup",
        "malignmark",
        "mstack",
        "mlongdiv",
        "msgroup",
        "msrow",
        "mscarries",
        "mscarry",
        "msline",
        "semantics",
        "annotation",
    }
)
MATHML_ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "dir",
        "display",
        "displaystyle",
        "scriptlevel",
        "mathvariant",
        "mathsize",
        "mathcolor",
        "mathbackground",
        "fence",
        "separator",
        "separators",
        "stretchy",
        "symmetric",
        "largeop",
        "movablelimits",
        "accent",
        "accentunder",
        "lspace",
        "rspace",
        "minsize",
        "maxsize",
        "form",
        "linethickness",
        "bevelled",
        "numalign",
        "denomalign",
        "columnalign",
        "rowalign",
        "columnspan",
        "rowspan",
        "columnlines",
        "rowlines",
        "columnspacing",
        "rowspacing",
        "frame",
        "framespacing",
        "equalrows",
        "equalcolumns",
        "align",
        "width",
        "height",
        "depth",
        "voffset",
        "notation",
        "encoding",
        "alttext",
        "open",
        "close",
        "lquote",
        "rquote",
        "linebreak",
        "indentalign",
        "charalign",
        "charspacing",
        "stackalign",
        "position",
        "shift",
        "location",
        "crossout",
        "longdivstyle",
        "decimalpoint",
        "altimg-width",
        "altimg-height",
    }
)

_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_BAD_CSS = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding|</|\\", re.IGNORECASE)
_FRAGMENT = re.compile(r"^#[A-Za-z_][\w.:-]*$")
_RASTER_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE)


RASTER_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def raster_type(data: bytes) -> str | None:
    """The raster type the first bytes prove (PNG, JPEG, GIF, WebP), else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


class UnsafeMarkup(ValueError):
    """The bytes are not a well-formed SVG (or MathML) we can rebuild safely: the picture is left out."""


@dataclass
class Sanitised:
    """A sanitised picture and what was left out of it (element or attribute names, for the report)."""

    data: bytes
    removed: list[str] = field(default_factory=list)


def _local(node: Any) -> tuple[str | None, str]:
    qname = etree.QName(node)
    return qname.namespace, qname.localname


def _urls_internal(text: str) -> bool:
    """Whether every ``url(...)`` in ``text`` names an internal fragment (``url(#grad)``)."""
    compact = re.sub(r"\s", "", text).lower()
    found = list(_URL.finditer(text))
    if compact.count("url(") != len(found):  # an unterminated or odd url( is refused, not guessed
        return False
    return all(_FRAGMENT.match(m.group(2).strip()) for m in found)


def css_is_safe(text: str) -> bool:
    """Whether CSS text loads nothing: no ``@import``, ``url()`` only to ``#fragment``, no script URL."""
    return not _BAD_CSS.search(text) and _urls_internal(text)


def _value_is_safe(name: str, value: str, element: str) -> bool:
    if "\\" in value:  # a CSS escape could spell url( or javascript: in a presentation attribute
        return False
    if name == "href":
        return bool(_FRAGMENT.match(value.strip())) or (
            element == "image" and bool(_RASTER_DATA.match(value.strip()))
        )
    if name == "style":
        return css_is_safe(value)
    lowered = value.lower()
    if "url" not in lowered and "script" not in lowered:  # the common case: a number, a colour, a path
        return True
    return _urls_internal(value) and "javascript:" not in re.sub(r"\s", "", value).lower()


def _parse(data: bytes, what: str) -> Any:
    """The XML tree of ``data``: no DTD, no entity, no network, no comment; libxml2's depth limit (256) kept."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise UnsafeMarkup(f"{what} declares a DTD or entities")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        return etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnsafeMarkup(f"{what} is not well-formed XML: {exc}") from exc


def sanitize_svg(data: bytes) -> Sanitised:
    """``data`` rebuilt from the SVG allow-list (see the module docstring). Raises :class:`UnsafeMarkup`.

    The result always has the SVG namespace as its default namespace and ``xlink`` declared when
    used. Idempotent: a sanitised picture comes back unchanged, with nothing removed.
    """
    if len(data) > MAX_SVG_BYTES:
        raise UnsafeMarkup(f"the SVG picture is larger than {MAX_SVG_BYTES // (1024 * 1024)} MB")
    root = _parse(data, "the SVG picture")
    namespace, local = _local(root)
    if namespace != SVG_NS or local != "svg":
        raise UnsafeMarkup("the picture's root element is not <svg> in the SVG namespace")
    removed: list[str] = []
    count = 0

    def copy_attributes(source: Any, target: Any, element: str) -> None:
        for key, value in source.attrib.items():
            ns, name = _local(key) if key.startswith("{") else (None, key)
            if ns == XML_NS and name in ("lang", "space"):
                target.set(key, value)
                continue
            if ns == XLINK_NS and name == "href":
                if _value_is_safe("href", value, element):
                    target.set(f"{{{XLINK_NS}}}href", value)
                else:
                    removed.append(f"{element}@xlink:href")
                continue
            if (
                ns is not None
                or name not in SVG_ATTRIBUTES
                or name.lower().startswith("on")
                or not _value_is_safe(name, value, element)
            ):
                removed.append(f"{element}@{name}")
                continue
            target.set(name, value)

    def copy_children(source: Any, target: Any) -> Any:
        """Copy the allowed children of ``source`` into ``target``; the last element copied, or None."""
        nonlocal count
        last = None
        for child in source:
            count += 1
            if count > MAX_SVG_ELEMENTS:
                raise UnsafeMarkup(f"the SVG picture has more than {MAX_SVG_ELEMENTS} elements")
            if not isinstance(child.tag, str):
                continue
            ns, name = _local(child)
            if ns == SVG_NS and name in _UNWRAP:
                removed.append(name)
                last = _add_text(target, last, child.text)  # the link's content stays, the link goes
                inner = copy_children(child, target)
                last = inner if inner is not None else last
                last = _add_text(target, last, child.tail)
                continue
            allowed = ns == SVG_NS and name in SVG_ELEMENTS
            if allowed and name == "style" and not css_is_safe("".join(child.itertext())):
                allowed = False
            if not allowed:
                removed.append(name if ns in (SVG_NS, None) else f"{{{ns}}}{name}")
                last = _add_text(target, last, child.tail)
                continue
            element = etree.SubElement(target, f"{{{SVG_NS}}}{name}")
            copy_attributes(child, element, name)
            element.text = child.text if name != "style" else "".join(child.itertext())
            copy_children(child, element)
            element.tail = child.tail
            last = element
        return last

    out = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS, "xlink": XLINK_NS})
    copy_attributes(root, out, "svg")
    out.text = root.text
    copy_children(root, out)
    etree.cleanup_namespaces(out, top_nsmap={None: SVG_NS})
    clean = etree.tostring(out, xml_declaration=True, encoding="utf-8")
    return Sanitised(data=clean, removed=sorted(set(removed)))


def _add_text(target: Any, last: Any, text: str | None) -> Any:
    """Append ``text`` after ``last`` (or inside ``target`` when nothing was copied yet); returns ``last``."""
    if text:
        if last is None:
            target.text = (target.text or "") + text
        else:
            last.tail = (last.tail or "") + text
    return last


def sanitize_mathml(text: str) -> str | None:
    """A MathML ``<math>`` rebuilt from the MathML allow-list, or None when ``text`` is not MathML.

    The result has MathML as its default namespace (a missing namespace is added). Elements that are
    not MathML (``script``, HTML, SVG, ``annotation-xml``) are left out with their content; attributes
    outside :data:`MATHML_ATTRIBUTES` (``href``, ``on*``, ``style``) are dropped.
    """

    try:
        root = _parse(text.strip().encode("utf-8"), "the formula")
    except UnsafeMarkup:
        return None
    namespace, local = _local(root)
    if local != "math" or namespace not in (None, MATHML_NS):
        return None

    def copy(source: Any, parent: Any | None) -> Any:
        tag = f"{{{MATHML_NS}}}{_local(source)[1]}"
        attrib = {
            k: v
            for k, v in source.attrib.items()
            if not k.startswith("{") and k in MATHML_ATTRIBUTES and "javascript:" not in v.lower()
        }
        element = (
            etree.Element(tag, attrib, nsmap={None: MATHML_NS})
            if parent is None
            else etree.SubElement(parent, tag, attrib)
        )
        element.text = source.text
        for child in source:
            if not isinstance(child.tag, str):
                continue
            ns, name = _local(child)
            if ns in (None, MATHML_NS) and name in MATHML_ELEMENTS:
                copy(child, element).tail = child.tail
        return element

    return etree.tostring(copy(root, None), encoding="unicode")


EMPTY_SVG = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
)


def safe_image_data(media_type: str, data: bytes) -> bytes:
    """``data`` as a writer may put it in a book or page: an SVG rebuilt again from the allow-list
    (defence in depth: a Document can come from a JSON file, not only from our converters), an empty
    SVG if it cannot be rebuilt; other pictures unchanged."""
    if media_type != SVG_MEDIA_TYPE:
        return data
    try:
        return sanitize_svg(data).data
    except UnsafeMarkup:
        return EMPTY_SVG
