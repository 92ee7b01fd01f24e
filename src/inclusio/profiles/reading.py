"""A learner's reading settings are *values*, never CSS: font names from a list, numbers in ranges.

The ``reading`` part of a profile (and a learner's adjustments over it: the ``reading`` form field of
``POST /jobs`` and ``POST /shares/{id}/jobs``, the web pages' display cookie) ends up inside a style
sheet, an HTML ``<style>`` element and the EPUB. So nothing a learner types is ever copied there:

* ``font_family`` is a comma list of names from :data:`FONT_NAMES` (case, quotes and spaces do not
  matter); it is stored as the canonical stack (``Verdana, 'Atkinson Hyperlegible', sans-serif``)
  and the CSS is written from those canonical names only (:func:`css_font_stack`);
* numbers are bounded by :class:`inclusio.profiles.schema.ReadingSettings` (``font_size_rem`` 0.8-4,
  ...); colours are ``#rrggbb``; ``text_align`` is ``left`` or ``start``; unknown keys are refused;
* the JSON text is bounded **before** it is parsed (:func:`parse_reading_json`): at most
  :data:`MAX_READING_BYTES` bytes and :data:`MAX_READING_DEPTH` levels of nesting, counted by a scan
  that never recurses, so a 10 MB body or ``[[[[...`` 100 000 deep is refused with
  ``request.reading_too_complex`` instead of exhausting memory or Python's recursion limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

from inclusio.errors import ReadingTooComplex, RequestInvalid

MAX_READING_BYTES = 4096
"""Every reading setting with long values is ~400 bytes of JSON."""
MAX_READING_DEPTH = 3
"""``{"colors": {"text": "#000000"}}`` is depth 2; one level of slack."""

_GENERIC = (
    "sans-serif",
    "serif",
    "monospace",
    "cursive",
    "system-ui",
    "-apple-system",
    "ui-sans-serif",
    "ui-serif",
    "ui-monospace",
    "ui-rounded",
    "math",
)
_NAMED = (
    "Arial",
    "Verdana",
    "Tahoma",
    "Helvetica",
    "Georgia",
    "Times New Roman",
    "Trebuchet MS",
    "Calibri",
    "Segoe UI",
    "Roboto",
    "Open Sans",
    "Lato",
    "Noto Sans",
    "DejaVu Sans",
    "Liberation Sans",
    "Liberation Serif",
    "Century Gothic",
    "Comic Sans MS",
    "Atkinson Hyperlegible",
    "OpenDyslexic",
    "Luciole",
    "Lexend",
    "Andika",
    "Source Sans Pro",
    "Fira Sans",
    "STIX Two Math",
    "Cambria Math",
)
FONT_NAMES: dict[str, str] = {re.sub(r"[\s'\"]", "", name).lower(): name for name in (*_GENERIC, *_NAMED)}
"""Accepted font family names, keyed by their lower-case spelling without spaces or quotes."""
FONT_CHOICES: tuple[str, ...] = (*_NAMED, *_GENERIC)
MAX_FONTS = 8


def _key(name: str) -> str:
    return re.sub(r"[\s'\"]", "", name).lower()


def normalise_font_stack(value: str) -> str:
    """``"verdana,  'atkinson hyperlegible',SANS-SERIF"`` -> ``"Verdana, Atkinson Hyperlegible, sans-serif"``.

    Raises ``ValueError`` naming the first unknown font (a name outside :data:`FONT_NAMES`, or
    anything else: ``Arial</style>``, ``x;}body{...``, a CSS comment).
    """
    if not isinstance(value, str) or len(value) > 300:
        raise ValueError("font_family must be a short comma list of font names")
    names = [part.strip() for part in value.split(",")]
    if not names or len(names) > MAX_FONTS or any(not n for n in names):
        raise ValueError(f"font_family must be 1 to {MAX_FONTS} font names separated by commas")
    canonical = []
    for name in names:
        if not re.fullmatch(r"""['"]?[A-Za-z0-9 -]+['"]?""", name) or _key(name) not in FONT_NAMES:
            shown = name[:40]
            raise ValueError(f"unknown font {shown!r}; accepted: {', '.join(FONT_CHOICES)}")
        canonical.append(FONT_NAMES[_key(name)])
    return ", ".join(canonical)


def css_font_stack(value: str) -> str:
    """The CSS ``font-family`` value for a (validated) stack: names with a space quoted, generics bare."""
    out = []
    for name in normalise_font_stack(value).split(", "):
        out.append(f"'{name}'" if " " in name else name)
    return ", ".join(out)


def json_depth_ok(raw: str, max_depth: int) -> bool:
    """Whether the nesting of ``[``/``{`` in JSON text ``raw`` stays within ``max_depth`` (strings skipped).

    A linear scan, no recursion: it runs *before* the parser, so a deep document never reaches it.
    """
    depth = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif char in "]}":
            depth -= 1
    return True


def parse_reading_json(raw: str | bytes | None, *, field: str = "reading") -> dict[str, Any] | None:
    """The ``reading`` JSON object, bounded before parsing; None when empty.

    Raises ``request.reading_too_complex`` (size or depth over the bounds) or ``request.invalid``
    (not a JSON object). The values themselves are checked by the profile schema
    (:func:`inclusio.profiles.with_reading`).
    """
    if raw is None:
        return None
    size = len(raw.encode("utf-8", errors="replace") if isinstance(raw, str) else raw)
    if size > MAX_READING_BYTES:
        raise ReadingTooComplex(details={"field": field, "bytes": size, "limit_bytes": MAX_READING_BYTES})
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    if not text.strip():
        return None
    if not json_depth_ok(text, MAX_READING_DEPTH):
        raise ReadingTooComplex(details={"field": field, "limit_depth": MAX_READING_DEPTH})
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise RequestInvalid(
            "The 'reading' field must be a JSON object, e.g. {\"font_size_rem\": 1.4}.",
            message_fr='Le champ « reading » doit être un objet JSON, par ex. {"font_size_rem": 1.4}.',
            details={"field": field},
        ) from exc
    if not isinstance(value, dict):
        raise RequestInvalid(
            "The 'reading' field must be a JSON object.",
            message_fr="Le champ « reading » doit être un objet JSON.",
            details={"field": field},
        )
    return value


def page_prefs(raw: str | None, fonts: set[str] | frozenset[str] | dict[str, str]) -> dict[str, Any]:
    """A web reader's display cookie as checked values only (``font`` key, ``size`` %, ``line``, ``letter``).

    Anything else, out of range, of the wrong type, too large or too deep is dropped; never raises.
    """
    try:
        value = parse_reading_json(raw, field="cookie") or {}
    except (ReadingTooComplex, RequestInvalid):
        return {}
    out: dict[str, Any] = {}
    if isinstance(value.get("font"), str) and value["font"] in fonts:
        out["font"] = value["font"]
    for key, low, high in (("size", 80, 300), ("line", 1.0, 3.0), ("letter", 0.0, 0.5)):
        number = value.get(key)
        if isinstance(number, int | float) and not isinstance(number, bool) and low <= number <= high:
            out[key] = number
    return out
