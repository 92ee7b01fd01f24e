"""The Document model (depends on nothing else in inclusio but :mod:`inclusio.errors`)."""

from inclusio.model.builder import DocumentBuilder
from inclusio.model.document import (
    SCHEMA_VERSION,
    Adaptation,
    BBox,
    Block,
    ConversionIssue,
    Document,
    Figure,
    Flag,
    Formula,
    GlossaryEntry,
    Heading,
    ListBlock,
    ListItem,
    Note,
    PageMarker,
    Paragraph,
    Provenance,
    Resource,
    Section,
    SourceInfo,
    SourceRef,
    Table,
    TableCell,
    build_sections,
)
from inclusio.model.view import PARALLEL, adapted_document, parallel_blocks, reading_blocks

__all__ = [
    "SCHEMA_VERSION", "Adaptation", "BBox", "Block", "ConversionIssue", "Document", "DocumentBuilder",
    "Figure", "Flag", "Formula", "GlossaryEntry", "Heading", "ListBlock", "ListItem", "Note", "PageMarker", "Paragraph",
    "Provenance", "Resource", "Section", "SourceInfo", "SourceRef", "Table", "TableCell",
    "PARALLEL", "adapted_document", "build_sections", "parallel_blocks", "reading_blocks",
]
