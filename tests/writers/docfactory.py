"""Small Documents built in code for the writer tests (one of every block kind, known counts)."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from inclusio.model import (
    Adaptation,
    Document,
    Figure,
    Formula,
    Heading,
    ListBlock,
    ListItem,
    Note,
    PageMarker,
    Paragraph,
    Provenance,
    Resource,
    SourceInfo,
    Table,
    TableCell,
)
from inclusio.profiles import Profile
from inclusio.writers.base import RenderContext

PROFILE_NAMES = ("blind", "dyslexia", "easy-read", "low-vision")
"""The profiles shipped in ``profiles/``: every writer test runs with each."""

MakeContext = Callable[[Path, Profile, Document], RenderContext]
"""The ``make_ctx`` fixture: ``make_ctx(out_dir, profile, source_document)``."""


def tiny_png(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 4) -> bytes:
    """A valid size x size PNG of one colour, made with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PAGE_COUNT = 3
"""Page markers in :func:`sample_document`."""
ALT_TEXT = "Schéma de la cellule : noyau au centre, membrane autour."


def sample_document(lang: str = "fr") -> Document:
    """A French course document with every block kind the writers render.

    Headings: h1, h2, then an h4 that skips level 3 (must come out as h3), then h1 again.
    Figures: one with alt, one decorative, one with neither alt nor caption, one with only a
    caption. Three page markers, a speaker note, a footnote, an English paragraph, a table
    with a header row, a row header and row/column spans, a nested list and a formula.
    """
    red, blue, green = tiny_png((200, 30, 30)), tiny_png((30, 30, 200)), tiny_png((30, 160, 30))
    resources = {
        "img-red": Resource(media_type="image/png", data=red),
        "img-blue": Resource(media_type="image/png", data=blue),
        "img-green": Resource(media_type="image/png", data=green),
    }
    blocks = [
        Paragraph(id="b1", text="Cours de biologie — Licence 1", role="title"),
        PageMarker(id="b2", number=1),
        Heading(id="b3", level=1, text="La cellule"),
        Paragraph(id="b4", text="La cellule est l'unité de base du vivant.\nElle contient un noyau."),
        Figure(id="b5", image="img-red", alt=ALT_TEXT, caption="Figure 1. Une cellule animale."),
        Heading(id="b6", level=2, text="Les organites"),
        ListBlock(
            id="b7",
            items=[
                ListItem(text="Le noyau"),
                ListItem(
                    text="Les mitochondries",
                    children=ListBlock(
                        id="b7a",
                        ordered=True,
                        items=[
                            ListItem(text="membrane externe"),
                            ListItem(text="membrane interne"),
                        ],
                    ),
                ),
                ListItem(text="Le réticulum"),
            ],
        ),
        Heading(id="b8", level=4, text="Un détail sauté"),
        Paragraph(id="b9", text="The cell is the basic unit of life.", lang="en"),
        Note(id="b10", kind="footnote", label="1", text="Voir le chapitre 3 du manuel."),
        PageMarker(id="b11", number=2),
        Heading(id="b12", level=1, text="Mesures"),
        Table(
            id="b13",
            caption="Tableau 1. Tailles moyennes",
            rows=[
                [TableCell(text="Organite", header=True), TableCell(text="Taille", header=True, col_span=2)],
                [TableCell(text="Noyau", header=True), TableCell(text="6", row_span=2), TableCell(text="µm")],
                [TableCell(text="Mitochondrie", header=True), TableCell(text="µm")],
            ],
        ),
        Formula(id="b14", text="v = d / t"),
        Figure(id="b15", image="img-blue", decorative=True),
        Figure(id="b16", image="img-green"),
        Figure(id="b17", image="img-red", caption="Figure 4. Croissance des cultures."),
        Note(
            id="b18",
            kind="speaker",
            text="Rappeler la différence entre procaryote et eucaryote.\nDurée : 5 min.",
        ),
        PageMarker(id="b19", number=3, label="iii"),
        Paragraph(id="b20", text="Fin du chapitre."),
    ]
    return Document(
        title="La cellule et ses mesures",
        lang=lang,
        authors=["Équipe pédagogique"],
        source=SourceInfo(
            filename="cours-biologie.pdf",
            media_type="application/pdf",
            sha256=hashlib.sha256(b"cours-biologie").hexdigest(),
            pages=PAGE_COUNT,
        ),
        blocks=blocks,
        resources=resources,
    )


def easy_read_document() -> Document:
    """:func:`sample_document` with an easy-to-read adaptation (offline engine, not reviewed) on b4."""
    doc = sample_document()
    block = doc.find("b4")
    block.adaptations = [
        Adaptation(
            kind="easy_read",
            provenance=Provenance(engine="offline", pass_name="easy_read", prompt_version="rules-1"),
            blocks=[
                Paragraph(id="b4-e1", text="La cellule est la base du vivant."),
                Paragraph(id="b4-e2", text="La cellule a un noyau."),
            ],
        )
    ]
    return doc
