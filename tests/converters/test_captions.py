"""Caption paragraphs next to figures and tables become their captions; PDF ligatures are undone."""

from __future__ import annotations

from pathlib import Path

from inclusio.converters.base import ConvertContext
from inclusio.converters.captions import attach_captions
from inclusio.converters.registry import convert
from inclusio.model import Figure, Heading, Paragraph, Table, TableCell


def test_caption_after_a_figure_and_before_a_table_are_attached() -> None:
    blocks = [
        Paragraph(id="b1", text="Texte."),
        Figure(id="b2", image=None),
        Paragraph(id="b3", text="Figure 2 : la feuille en coupe"),
        Paragraph(id="b4", text="Tableau 1 - besoins de la plante"),
        Table(id="b5", rows=[[TableCell(text="a", header=True)]]),
        Paragraph(id="b6", text="Figure 9 dans le texte ne suit aucune figure."),
    ]
    out = attach_captions(blocks)
    assert [b.id for b in out] == ["b1", "b2", "b5", "b6"]
    assert out[1].caption == "Figure 2 : la feuille en coupe"
    assert out[2].caption == "Tableau 1 - besoins de la plante"


def test_a_figure_with_a_caption_keeps_it_and_a_table_caption_is_not_a_figure_caption() -> None:
    blocks = [
        Figure(id="b1", caption="Déjà là"),
        Paragraph(id="b2", text="Figure 1 : autre"),
        Paragraph(id="b3", text="Texte."),
        Figure(id="b4"),
        Paragraph(id="b5", text="Tableau 3 : pas une figure"),
    ]
    out = attach_captions(blocks)
    assert [b.id for b in out] == ["b1", "b2", "b3", "b4", "b5"]
    assert out[0].caption == "Déjà là" and out[3].caption is None


def test_sample_pdf_figure_and_table_get_their_captions_and_ligatures_are_gone(samples_dir: Path) -> None:
    doc = convert(samples_dir / "cours-photosynthese-fr.pdf", ConvertContext(filename="cours.pdf"))
    figure = next(b for b in doc.blocks if isinstance(b, Figure))
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert figure.caption and figure.caption.startswith("Figure 1")
    assert table.caption and table.caption.startswith("Tableau 1")
    text = "\n".join(b.plain_text() for b in doc.blocks)
    assert not any(ch in text for ch in "\ufb00\ufb01\ufb02\ufb03\ufb04")
    # With the ligature undone, the bookmark matches and numbering gives the level.
    heading = next(b for b in doc.blocks if isinstance(b, Heading) and b.text.startswith("4."))
    assert heading.text == "4. Les facteurs qui influencent la photosynthèse" and heading.level == 1
