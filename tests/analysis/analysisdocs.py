"""Small hand-made documents for the analysis tests."""

from __future__ import annotations

from inclusio.model.document import Adaptation, Document, Paragraph, Provenance, SourceInfo


def adapted_doc(
    pairs: list[tuple[str, str]],
    *,
    lang: str = "fr",
    kind: str = "easy_read",
    adaptation_lang: str | None = None,
) -> Document:
    """A document of one paragraph per (source, adaptation) pair; the adaptation is one paragraph."""
    blocks = []
    for i, (source, adapted) in enumerate(pairs, start=1):
        adaptation = Adaptation(
            kind=kind,
            lang=adaptation_lang or lang,
            provenance=Provenance(engine="test", pass_name=kind),
            blocks=[Paragraph(id=f"b{i}.e1", text=adapted)],
        )
        blocks.append(Paragraph(id=f"b{i}", text=source, adaptations=[adaptation]))
    return Document(
        lang=lang,
        blocks=blocks,
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
    )
