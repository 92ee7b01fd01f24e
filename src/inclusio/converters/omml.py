"""Office Math (OMML, ``m:oMath``) -> MathML and a linear text, for Word equations.

Microsoft ships an XSLT for this (``OMML2MML.XSL``) with Office only, so it cannot be used
here. This converter covers what course documents use: runs (``m:r``), fractions (``m:f``),
superscripts, subscripts and both (``m:sSup``, ``m:sSub``, ``m:sSubSup``, ``m:sPre``),
radicals (``m:rad``), delimiters (``m:d``), n-ary operators (``m:nary``: sums, integrals),
functions (``m:func``), accents and bars (``m:acc``, ``m:bar``), limits (``m:limLow``,
``m:limUpp``), group characters (``m:groupChr``), matrices and equation arrays (``m:m``,
``m:eqArr``). Any other element becomes an ``mrow`` of its converted children, so its
content is kept even when its layout is not.

The linear text is what a reader hears or sees when MathML is not shown:
``(a + b)/(2)``, ``x^(2)``, ``√(x)``, ``∑_(i=1)^(n) i``.
"""

from __future__ import annotations

import re
from typing import Any

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MATHML = "http://www.w3.org/1998/Math/MathML"

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]|\S", re.UNICODE)
_NARY_DEFAULT = "∫"


def _m(name: str) -> str:
    return f"{{{M}}}{name}"


def _child(el: Any, name: str) -> Any:
    return el.find(_m(name)) if el is not None else None


def _prop(el: Any, pr: str, name: str, default: str | None = None) -> str | None:
    """``m:val`` of ``el/m:<pr>/m:<name>`` (``m:begChr``, ``m:chr``...), else ``default``."""
    node = _child(_child(el, pr), name)
    if node is None:
        return default
    return node.get(_m("val"), default)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(r: Any, *, as_identifier: bool = False) -> tuple[str, str]:
    text = "".join(t.text or "" for t in r.iter(_m("t")))
    normal = _child(_child(r, "rPr"), "nor") is not None
    if not text.strip():
        return "", text
    if normal:
        return f"<mtext>{_esc(text)}</mtext>", text
    if as_identifier:
        return f"<mi>{_esc(text.strip())}</mi>", text
    parts = []
    for token in _TOKEN.findall(text):
        if token[0].isdigit():
            parts.append(f"<mn>{_esc(token)}</mn>")
        elif token.isalpha():
            parts.append(f"<mi>{_esc(token)}</mi>")
        else:
            parts.append(f"<mo>{_esc(token)}</mo>")
    return "".join(parts), text


def _row(el: Any, *, as_identifier: bool = False) -> tuple[str, str]:
    """Children of ``el`` (an ``m:e``, ``m:num``... or ``m:oMath``) as one ``mrow`` and their linear text."""
    if el is None:
        return "<mrow/>", ""
    mathml, linear = [], []
    for child in el:
        ml, lin = _element(child, as_identifier=as_identifier)
        mathml.append(ml)
        linear.append(lin)
    inner = "".join(mathml)
    return (inner if _one_element(inner) else f"<mrow>{inner}</mrow>"), "".join(linear)


def _one_element(markup: str) -> bool:
    """Whether ``markup`` is exactly one element (then it needs no ``mrow``: ``mfrac`` takes 2 children)."""
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return len(etree.fromstring(f"<r>{markup}</r>", parser=parser)) == 1
    except etree.XMLSyntaxError:
        return False


def _group(text: str) -> str:
    """Parenthesise a linear sub-expression unless it is one number or one letter (``x^2``, ``x^(2n)``)."""
    text = text.strip()
    return text if re.fullmatch(r"\d+(?:[.,]\d+)?|[^\W\d_]", text) else f"({text})"


def _nary(el: Any) -> tuple[str, str]:
    """An n-ary operator (sum, product, integral...) with its limits, as (MathML, linear text)."""
    op = _prop(el, "naryPr", "chr", _NARY_DEFAULT) or _NARY_DEFAULT
    sub, sub_t = _row(_child(el, "sub"))
    sup, sup_t = _row(_child(el, "sup"))
    body, body_t = _row(_child(el, "e"))
    has_sub = bool(sub_t.strip()) and _prop(el, "naryPr", "subHide") not in ("1", "on", "true")
    has_sup = bool(sup_t.strip()) and _prop(el, "naryPr", "supHide") not in ("1", "on", "true")
    mo = f'<mo largeop="true">{_esc(op)}</mo>'
    under = _prop(el, "naryPr", "limLoc") == "undOvr" or op in "∑∏∐⋃⋂"
    if has_sub and has_sup:
        script = f"<munderover>{mo}{sub}{sup}</munderover>" if under else f"<msubsup>{mo}{sub}{sup}</msubsup>"
    elif has_sub:
        script = f"<munder>{mo}{sub}</munder>" if under else f"<msub>{mo}{sub}</msub>"
    elif has_sup:
        script = f"<mover>{mo}{sup}</mover>" if under else f"<msup>{mo}{sup}</msup>"
    else:
        script = mo
    linear = op + (f"_{_group(sub_t)}" if has_sub else "") + (f"^{_group(sup_t)}" if has_sup else "")
    return f"<mrow>{script}{body}</mrow>", f"{linear} {body_t}"


def _element(el: Any, *, as_identifier: bool = False) -> tuple[str, str]:  # noqa: C901, PLR0911, PLR0912
    """One OMML element as (MathML, linear text)."""
    tag = el.tag.split("}")[-1] if isinstance(el.tag, str) else ""
    if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{M}}}"):
        if isinstance(el.tag, str) and el.tag == f"{{{W}}}r":  # a Word run inside math (rare)
            text = "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))
            return (f"<mtext>{_esc(text)}</mtext>", text) if text else ("", "")
        return "", ""
    if tag.endswith("Pr"):  # properties: layout only
        return "", ""
    if tag == "r":
        return _run(el, as_identifier=as_identifier)
    if tag == "f":
        num, num_t = _row(_child(el, "num"))
        den, den_t = _row(_child(el, "den"))
        if _prop(el, "fPr", "type") == "lin":
            return f"<mrow>{num}<mo>/</mo>{den}</mrow>", f"{num_t}/{den_t}"
        return f"<mfrac>{num}{den}</mfrac>", f"{_group(num_t)}/{_group(den_t)}"
    if tag in ("sSup", "sSub", "sSubSup"):
        base, base_t = _row(_child(el, "e"))
        sub, sub_t = _row(_child(el, "sub"))
        sup, sup_t = _row(_child(el, "sup"))
        if tag == "sSup":
            return f"<msup>{base}{sup}</msup>", f"{base_t}^{_group(sup_t)}"
        if tag == "sSub":
            return f"<msub>{base}{sub}</msub>", f"{base_t}_{_group(sub_t)}"
        return f"<msubsup>{base}{sub}{sup}</msubsup>", f"{base_t}_{_group(sub_t)}^{_group(sup_t)}"
    if tag == "sPre":
        base, base_t = _row(_child(el, "e"))
        sub, sub_t = _row(_child(el, "sub"))
        sup, sup_t = _row(_child(el, "sup"))
        return (
            f"<mmultiscripts>{base}<mprescripts/>{sub}{sup}</mmultiscripts>",
            f"_{_group(sub_t)}^{_group(sup_t)}{base_t}",
        )
    if tag == "rad":
        base, base_t = _row(_child(el, "e"))
        degree, degree_t = _row(_child(el, "deg"))
        hidden = _prop(el, "radPr", "degHide") in ("1", "on", "true")
        if degree_t.strip() and not hidden:
            return f"<mroot>{base}{degree}</mroot>", f"root({degree_t}, {base_t})"
        return f"<msqrt>{base}</msqrt>", f"√{_group(base_t)}"
    if tag == "d":
        begin = _prop(el, "dPr", "begChr", "(") or ""
        end = _prop(el, "dPr", "endChr", ")") or ""
        separator = _prop(el, "dPr", "sepChr", "|") or "|"
        parts = [_row(e) for e in el.findall(_m("e"))]
        inner = f"<mo>{_esc(separator)}</mo>".join(p[0] for p in parts)
        open_mo = f"<mo>{_esc(begin)}</mo>" if begin else ""
        close_mo = f"<mo>{_esc(end)}</mo>" if end else ""
        return (
            f"<mrow>{open_mo}{inner}{close_mo}</mrow>",
            f"{begin}{separator.join(p[1] for p in parts)}{end}",
        )
    if tag == "nary":
        return _nary(el)
    if tag == "func":
        name, name_t = _row(_child(el, "fName"), as_identifier=True)
        arg, arg_t = _row(_child(el, "e"))
        return f"<mrow>{name}<mo>&#x2061;</mo>{arg}</mrow>", f"{name_t} {arg_t}" if arg_t[
            :1
        ] in "([" else f"{name_t}({arg_t})"
    if tag in ("acc", "bar", "groupChr"):
        base, base_t = _row(_child(el, "e"))
        if tag == "acc":
            mark = _prop(el, "accPr", "chr", "\u0302") or "\u0302"
            return f'<mover accent="true">{base}<mo>{_esc(mark)}</mo></mover>', f"{base_t}{mark}"
        if tag == "bar":
            below = _prop(el, "barPr", "pos", "top") == "bot"
            return (
                (f"<munder>{base}<mo>_</mo></munder>", base_t)
                if below
                else (f'<mover accent="true">{base}<mo>¯</mo></mover>', f"{base_t}¯")
            )
        mark = _prop(el, "groupChrPr", "chr", "⏟") or "⏟"
        below = _prop(el, "groupChrPr", "pos", "bot") == "bot"
        wrap = "munder" if below else "mover"
        return f"<{wrap}>{base}<mo>{_esc(mark)}</mo></{wrap}>", base_t
    if tag in ("limLow", "limUpp"):
        base, base_t = _row(_child(el, "e"))
        limit, limit_t = _row(_child(el, "lim"))
        if tag == "limLow":
            return f"<munder>{base}{limit}</munder>", f"{base_t}_{_group(limit_t)}"
        return f"<mover>{base}{limit}</mover>", f"{base_t}^{_group(limit_t)}"
    if tag in ("m", "eqArr"):
        rows = el.findall(_m("mr")) if tag == "m" else [[e] for e in el.findall(_m("e"))]
        mathml_rows, linear_rows = [], []
        for row in rows:
            cells = [_row(e) for e in (row.findall(_m("e")) if tag == "m" else row)]
            mathml_rows.append("<mtr>" + "".join(f"<mtd>{c[0]}</mtd>" for c in cells) + "</mtr>")
            linear_rows.append(", ".join(c[1] for c in cells))
        linear = "; ".join(linear_rows)
        return f"<mtable>{''.join(mathml_rows)}</mtable>", f"[{linear}]" if tag == "m" else linear
    # m:box, m:borderBox, m:phant, m:e, m:oMath and anything new: keep the content.
    return _row(el, as_identifier=as_identifier)


def omml_to_mathml(omath: Any, *, display: bool = False) -> tuple[str, str]:
    """(MathML ``<math>`` element as text, linear text) for one ``m:oMath`` element.

    ``display`` sets ``display="block"`` (equations on their own line, ``m:oMathPara``).
    """
    inner, linear = _row(omath)
    block = ' display="block"' if display else ""
    linear = " ".join(linear.split())
    return f'<math xmlns="{MATHML}"{block}>{inner}</math>', linear


def math_paragraph(oparas: Any) -> list[Any]:
    """The ``m:oMath`` elements of an ``m:oMathPara`` (one per displayed line)."""
    return list(oparas.iter(_m("oMath")))
