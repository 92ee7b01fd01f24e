"""The Document model: exact JSON round trip, versioning, sections derived from headings."""

from __future__ import annotations

import json

import pytest

from inclusio.errors import ModelVersionError
from inclusio.model import (
    SCHEMA_VERSION,
    Adaptation,
    BBox,
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
    SourceRef,
    Table,
    TableCell,
    reading_blocks,
)


def full_document() -> Document:
    """A document with every block type, nested lists, an adaptation and an image."""
    ref = SourceRef(page=1, bbox=BBox(x0=72.0, y0=90.5, x1=523.3, y1=120.25))
    return Document(
        title="La photosynthèse",
        lang="fr",
        authors=["Équipe pédagogique"],
        source=SourceInfo(
            filename="cours.pdf",
            media_type="application/pdf",
            sha256="ab" * 32,
            pages=2,
            converter="pdf/pymupdf-2.0",
        ),
        blocks=[
            PageMarker(id="b1", number=1, label="i", source=SourceRef(page=1)),
            Heading(id="b2", level=1, text="La photosynthèse", source=ref),
            Paragraph(
                id="b3",
                text="Les plantes vertes fabriquent leur matière organique, grâce à la lumière.",
                adaptations=[
                    Adaptation(
                        kind="easy_read",
                        provenance=Provenance(
                            engine="offline",
                            pass_name="easy_read",
                            prompt_version="rules-1",
                            created_at="2026-11-28T12:00:00+00:00",
                        ),
                        blocks=[
                            Paragraph(id="b3.e1", text="Les plantes vertes fabriquent leur matière."),
                            Paragraph(id="b3.e2", text="Elles utilisent la lumière."),
                        ],
                        notes=["split at ','"],
                    )
                ],
            ),
            ListBlock(
                id="b4",
                ordered=True,
                items=[
                    ListItem(text="Lumière", children=ListBlock(id="b4.1", items=[ListItem(text="visible")])),
                    ListItem(text="Eau"),
                ],
            ),
            Table(
                id="b5",
                caption="Besoins",
                rows=[
                    [TableCell(text="Élément", header=True), TableCell(text="Rôle", header=True)],
                    [TableCell(text="CO₂", row_span=2), TableCell(text="carbone", col_span=1)],
                ],
            ),
            Figure(
                id="b6",
                image="img-1",
                caption="Figure 1 : une feuille",
                alt="Schéma d'une feuille",
                decorative=False,
                long_description="Une feuille reçoit la lumière du soleil.",
            ),
            Formula(id="b7", text="6 CO2 + 6 H2O → C6H12O6 + 6 O2", latex=r"6\,CO_2"),
            Note(id="b8", kind="speaker", text="Insister sur le rôle de la chlorophylle."),
            Heading(id="b9", level=2, text="The Calvin cycle", lang="en"),
            Paragraph(id="b10", text="Carbon fixation happens in the stroma.", lang="en"),
        ],
        resources={"img-1": Resource(media_type="image/png", data=b"\x89PNG\r\n\x1a\n\x00\x01binary\xff")},
    )


def test_json_round_trip_is_exact() -> None:
    doc = full_document()
    text = doc.to_json()
    again = Document.from_json(text)
    assert again == doc
    assert again.to_json() == text
    assert again.resources["img-1"].data == b"\x89PNG\r\n\x1a\n\x00\x01binary\xff"
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION


def test_blocks_keep_their_types_and_nested_lists() -> None:
    again = Document.from_json(full_document().to_json())
    assert [b.type for b in again.blocks] == [
        "page",
        "heading",
        "paragraph",
        "list",
        "table",
        "figure",
        "formula",
        "note",
        "heading",
        "paragraph",
    ]
    lst = again.find("b4")
    assert isinstance(lst, ListBlock)
    assert lst.items[0].children is not None and lst.items[0].children.items[0].text == "visible"


def test_unknown_schema_version_is_refused_with_a_code() -> None:
    data = json.loads(full_document().to_json())
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ModelVersionError) as info:
        Document.from_json(json.dumps(data))
    assert info.value.code == "model.version"
    assert "Convert the original file again" in info.value.message


def test_unknown_field_is_refused() -> None:
    data = json.loads(full_document().to_json())
    data["blocks"][1]["colour"] = "red"
    with pytest.raises(ValueError, match="colour"):
        Document.from_json(json.dumps(data))


def test_sections_nest_by_heading_level() -> None:
    doc = full_document()
    sections = doc.sections()
    # The page marker before the first heading makes a preamble section.
    assert [s.title for s in sections] == [None, "La photosynthèse"]
    main = sections[1]
    assert [c.title for c in main.children] == ["The Calvin cycle"]
    assert [b.id for b in main.blocks] == ["b3", "b4", "b5", "b6", "b7", "b8"]
    assert [b.id for b in main.all_blocks()] == ["b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10"]


def test_reading_blocks_apply_the_requested_adaptation_only() -> None:
    doc = full_document()
    assert [b.id for b in reading_blocks(doc)][:4] == ["b1", "b2", "b3", "b4"]
    adapted = [b.id for b in reading_blocks(doc, ("easy_read",))]
    assert adapted[:5] == ["b1", "b2", "b3.e1", "b3.e2", "b4"]


def test_block_language_falls_back_to_the_document() -> None:
    doc = full_document()
    assert doc.block_lang(doc.find("b10")) == "en"
    assert doc.block_lang(doc.find("b3")) == "fr"
