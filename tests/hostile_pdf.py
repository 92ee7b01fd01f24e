"""Hand-written PDFs whose object graph loops (page tree, parent chain, bookmarks), for the hostile-input tests.

Each file is built object by object with a correct cross-reference table, so MuPDF reads it as
written (no repair) and meets the loop itself.
"""

from __future__ import annotations

TEXT = "La photosynthèse transforme la lumière en énergie chimique dans les feuilles."
"""The page's text (long enough to count as a text page), Latin-1 encodable for a Type 1 font."""

FONT = 9
CATALOG = 1
PAGES = 2


def build(objects: dict[int, str]) -> bytes:
    """A PDF file holding ``objects`` (number -> body), object 1 being the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number].encode("latin-1") + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += (
            f"{offsets[number]:010d} 00000 n \n" if number in offsets else "0000000000 65535 f \n"
        ).encode()
    out += f"trailer\n<< /Size {size} /Root {CATALOG} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _content(text: str) -> str:
    data = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
    return f"<< /Length {len(data.encode('latin-1'))} >>\nstream\n{data}\nendstream"


def _page(parent: int, contents: int) -> str:
    return (
        f"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 612 792] "
        f"/Resources << /Font << /F1 {FONT} 0 R >> >> /Contents {contents} 0 R >>"
    )


def _base(**extra: str) -> dict[int, str]:
    objects = {
        FONT: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        5: _content(TEXT),
    }
    objects.update({int(k[1:]): v for k, v in extra.items()})
    return objects


def kids_back_to_ancestor() -> bytes:
    """The root's child /Pages node lists the root among its /Kids, after one real page."""
    return build(
        _base(
            o1="<< /Type /Catalog /Pages 2 0 R >>",
            o2="<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
            o3="<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 2 0 R] /Count 2 >>",
            o4=_page(3, 5),
        )
    )


def kids_back_to_ancestor_first() -> bytes:
    """The loop comes before any page: no page can be reached."""
    return build(
        _base(
            o1="<< /Type /Catalog /Pages 2 0 R >>",
            o2="<< /Type /Pages /Kids [3 0 R] /Count 3 >>",
            o3="<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 3 >>",
            o4=_page(3, 5),
        )
    )


def kids_loop_with_huge_count() -> bytes:
    """A looping tree that claims a million pages: MuPDF refuses to count them ("Invalid number of pages")."""
    return build(
        _base(
            o1="<< /Type /Catalog /Pages 2 0 R >>",
            o2="<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 1000000 >>",
            o3="<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 2 0 R] /Count 999999 >>",
            o4=_page(3, 5),
        )
    )


def parent_loop() -> bytes:
    """Two /Pages nodes each other's /Parent: inheriting the page's attributes walks in a circle."""
    return build(
        _base(
            o1="<< /Type /Catalog /Pages 2 0 R >>",
            o2="<< /Type /Pages /Parent 3 0 R /Kids [3 0 R] /Count 1 >>",
            o3="<< /Type /Pages /Parent 2 0 R /Kids [4 0 R] /Count 1 >>",
            o4=_page(3, 5),
        )
    )


def _with_outline(items: dict[int, str]) -> bytes:
    objects = _base(
        o1="<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
        o2="<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        o4=_page(2, 5),
    )
    objects.update(items)
    return build(objects)


def outline_child_loop() -> bytes:
    """Bookmarks whose /First child points back to its own parent (an /Outlines loop)."""
    return _with_outline(
        {
            6: "<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 2 >>",
            7: "<< /Title (Un) /Parent 6 0 R /First 8 0 R /Last 8 0 R /Dest [4 0 R /Fit] >>",
            8: "<< /Title (Deux) /Parent 7 0 R /First 7 0 R /Last 7 0 R /Dest [4 0 R /Fit] >>",
        }
    )


def outline_prev_next_loop() -> bytes:
    """Three bookmarks whose /Next chain comes back to the second one (a /Prev-/Next loop)."""
    return _with_outline(
        {
            6: "<< /Type /Outlines /First 7 0 R /Last 10 0 R /Count 3 >>",
            7: "<< /Title (Un) /Parent 6 0 R /Next 8 0 R /Dest [4 0 R /Fit] >>",
            8: "<< /Title (Deux) /Parent 6 0 R /Prev 7 0 R /Next 10 0 R /Dest [4 0 R /Fit] >>",
            10: "<< /Title (Trois) /Parent 6 0 R /Prev 8 0 R /Next 8 0 R /Dest [4 0 R /Fit] >>",
        }
    )


def outline_sound() -> bytes:
    """The same bookmarks without a loop (the control: MuPDF reads them)."""
    return _with_outline(
        {
            6: "<< /Type /Outlines /First 7 0 R /Last 8 0 R /Count 2 >>",
            7: "<< /Title (Un) /Parent 6 0 R /Next 8 0 R /Dest [4 0 R /Fit] >>",
            8: "<< /Title (Deux) /Parent 6 0 R /Prev 7 0 R /Dest [4 0 R /Fit] >>",
        }
    )
