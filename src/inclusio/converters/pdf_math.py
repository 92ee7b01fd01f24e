"""Display formulas in PDF text: which lines are mathematics, and how they are kept.

A PDF has no notion of a formula: TeX and journal typesetters draw it as many small spans in
math fonts (Computer Modern CMMI/CMSY/CMEX, Symbol, STIX, Cambria Math...), with single italic
letters, sub- and superscripts and operators. Some producers also draw it with fonts that have
no Unicode mapping, so the text comes out garbled ("WDC x,y,z ð Þ~ U0" for
"Φ_DC(x, y, z) = U_0"). What inclusio does:

* :func:`span_math_chars` scores each span: characters in a math font, math symbols, private-use
  or control characters (unmapped glyphs), and spans of one or two characters (isolated
  variables, indices) count as mathematics.
* :func:`is_display_line` takes a line as display math when at least :data:`MIN_MATH_SHARE` of
  its characters score, and it holds at most two ordinary words (so a sentence with a little
  inline math stays a sentence).
* The converter joins consecutive display lines of one column (numerator, fraction bar,
  denominator, equation number) into one :class:`~inclusio.model.Formula` with their text as
  found and an image of the region (a PNG rendered at :data:`FORMULA_DPI`) as the resource:
  a reader sees the formula as printed, and the text is there for search and speech.
* LaTeX and MathML are **not** recovered: the glyph positions are not enough to rebuild a
  formula's tree reliably, and a wrong MathML is worse than an honest image. A group must
  contain at least one operator, math-font glyph or italic letter, so a column of numbers is
  never taken for a formula.
"""

from __future__ import annotations

import re
from typing import Any

MIN_MATH_SHARE = 0.45
FORMULA_DPI = 150
MAX_WORDS = 2

_MATH_FONT = re.compile(
    r"(?i)(^|[+_-])(cm(mi|sy|ex|bsy)|msam|msbm|eufm|rsfs|esint|stix|symbol|mt(mi|sy|ex)|"
    r"cambria ?math|latinmodernmath|lmmath|texgyre\w*math|mathematicalpi|euclid|math)"
)
_MATH_SYMBOLS = frozenset(
    "=+−×÷±∓∑∏∫∮∂∇√∞≤≥≠≈≡∼∝∈∉∋⊂⊃⊆⊇∪∩∧∨¬∀∃∄→←↔⇒⇐⇔↦⟨⟩‖∥⊥∠′″°·⋅∘⊗⊕αβγδεζηθϑικλμνξπϖρϱσςτυφϕχψωΓΔΘΛΞΠΣΥΦΨΩ<>^~|"
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_OPERATOR = frozenset("=+−×÷±∑∏∫∂√∞≤≥≠≈≡∼∈⊂∪∩→⇒⇔<>~^")


def _is_italic(span: dict[str, Any]) -> bool:
    font = span.get("font", "")
    return (
        bool(span.get("flags", 0) & 2) or font.endswith((".I", "-It", "-Italic", "Italic")) or "Ital" in font
    )


def is_math_font(font: str) -> bool:
    """True for fonts made for mathematics (Computer Modern math, Symbol, STIX, Cambria Math...)."""
    return bool(_MATH_FONT.search(font.split("+")[-1]))


def span_math_chars(span: dict[str, Any]) -> tuple[int, bool]:
    """(Characters of ``span`` that look like mathematics, whether it holds a strong math signal)."""
    text = span.get("text", "")
    stripped = "".join(text.split())
    if not stripped:
        return 0, False
    if is_math_font(span.get("font", "")):
        return len(stripped), True
    count = 0
    strong = False
    for ch in stripped:
        code = ord(ch)
        if ch in _MATH_SYMBOLS or 0xE000 <= code <= 0xF8FF or code < 0x20:
            count += 1
            strong = strong or ch in _OPERATOR or code < 0x20 or 0xE000 <= code <= 0xF8FF
    if len(stripped) <= 2 and count < len(stripped):
        # An isolated letter or index: a variable in italic, a subscript, a superscript.
        if _is_italic(span) and stripped.isalpha():
            strong = True
        return len(stripped), strong
    return count, strong


def is_display_line(text: str, math_share: float) -> bool:
    """A line that is a piece of displayed mathematics rather than prose (see the module docstring)."""
    if math_share < MIN_MATH_SHARE:
        return False
    words = [
        w
        for w in _WORD.findall(text)
        if w.lower() not in ("cos", "sin", "tan", "exp", "log", "lim", "max", "min")
    ]
    return len(words) <= MAX_WORDS
