"""What the audio version says: headings, sentences, tables, figures, notes, page numbers, languages."""

from __future__ import annotations

from pathlib import Path

from inclusio.model import (
    Adaptation,
    Code,
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
    SourceInfo,
    Table,
    TableCell,
)
from inclusio.profiles import load_profile
from inclusio.writers.speech_text import SpeechUnit, speech_sections

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
SOURCE = SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64)


def doc_of(*blocks, lang: str = "fr", title: str | None = "Cours") -> Document:
    return Document(title=title, lang=lang, source=SOURCE, blocks=list(blocks))


def texts(doc: Document, profile: str = "dyslexia") -> list[str]:
    return [u.text for s in speech_sections(doc, load_profile(profile, PROFILES)) for u in s.units]


def test_headings_paragraphs_and_lists_become_sentences_per_top_section() -> None:
    doc = doc_of(
        Paragraph(id="b1", text="Avant-propos. Lisez tout."),
        Heading(id="b2", level=1, text="La cellule"),
        Paragraph(id="b3", text="Elle vit. Elle meurt, p. ex. par apoptose."),
        Heading(id="b4", level=2, text="Le noyau"),
        ListBlock(
            id="b5",
            items=[
                ListItem(text="ADN"),
                ListItem(text="Nucléole", children=ListBlock(id="b6", items=[ListItem(text="ARN")])),
            ],
        ),
        Heading(id="b7", level=1, text="Les tissus"),
        Paragraph(id="b8", text="Ils forment les organes."),
    )
    sections = speech_sections(doc, load_profile("dyslexia", PROFILES))
    assert [s.title for s in sections] == [None, "La cellule", "Les tissus"]
    assert [s.heading_id for s in sections] == [None, "b2", "b7"]
    assert [u.text for u in sections[0].units] == ["Avant-propos.", "Lisez tout."]
    assert [u.text for u in sections[1].units] == [
        "La cellule",
        "Elle vit.",
        "Elle meurt, p. ex. par apoptose.",
        "Le noyau",
        "ADN",
        "Nucléole",
        "ARN",
    ]
    assert sections[1].units[-1] == SpeechUnit("fr", "ARN", "b5")


def test_a_table_is_read_row_by_row_with_its_column_headers() -> None:
    h = lambda t: TableCell(text=t, header=True)  # noqa: E731
    c = lambda t: TableCell(text=t)  # noqa: E731
    doc = doc_of(
        Table(
            id="t1",
            caption="Population",
            rows=[[h("Pays"), h("Habitants")], [c("France"), c("68 M")], [c("Belgique"), c("")]],
        )
    )
    assert texts(doc) == ["Tableau : Population.", "Pays : France ; Habitants : 68 M.", "Pays : Belgique."]


def test_a_table_without_headers_in_english() -> None:
    doc = doc_of(
        Table(
            id="t1",
            rows=[
                [TableCell(text="a"), TableCell(text="b")],
                [TableCell(text="c"), TableCell(text="d", col_span=2)],
            ],
        ),
        lang="en",
    )
    assert texts(doc) == ["Table.", "Row 1: a, b.", "Row 2: c, d."]


def test_figures_are_announced_with_their_best_description() -> None:
    reviewed = Adaptation(
        kind="alt_text",
        text="Schéma d'une cellule animale",
        provenance=Provenance(engine="human", pass_name="alt_text"),
    )
    doc = doc_of(
        Figure(id="f1", alt="Une cellule", caption="Figure 1"),
        Figure(id="f2", alt="Une cellule", adaptations=[reviewed]),
        Figure(id="f3", caption="Le cycle de Krebs"),
        Figure(id="f4"),
        Figure(id="f5", alt="Filet décoratif", decorative=True),
        Figure(id="f6", alt="Un graphe", long_description="Les ventes montent de 2010 à 2020.", lang="en"),
    )
    assert texts(doc) == [
        "Figure : Une cellule.",
        "Figure : Schéma d'une cellule animale.",
        "Figure : Le cycle de Krebs.",
        "Figure sans description.",
        "Figure: Un graphe.",
    ]
    # The blind profile asks for extended descriptions: the long description follows.
    assert texts(doc, "blind")[-2:] == ["Figure: Un graphe.", "Les ventes montent de 2010 à 2020."]


def test_notes_formulas_and_code() -> None:
    doc = doc_of(
        Paragraph(id="p1", text="Diapositive."),
        Note(id="n1", kind="speaker", text="Insistez ici. Puis posez une question."),
        Note(id="n2", kind="footnote", label="1", text="Voir Dupont, 2020."),
        Note(id="n3", kind="comment", text="TODO relire"),
        Formula(id="m1", text="E = mc²"),
        Formula(id="m2", text="\\frac{a}{b}"),
        Paragraph(id="c1", text="for i in range(3): print(i)", role="code"),
    )
    assert texts(doc) == [
        "Diapositive.",
        "Notes de l'orateur.",
        "Insistez ici.",
        "Puis posez une question.",
        "Note 1.",
        "Voir Dupont, 2020.",
        "Formule : E = mc².",
        "Formule : voir le document écrit.",
        "Exemple de code, 1 ligne, non lu.",
    ]
    english = doc_of(Note(id="n1", kind="speaker", text="Stress this."), lang="en")
    assert texts(english) == ["Speaker notes.", "Stress this."]


def test_page_numbers_are_read_only_for_the_blind_profile() -> None:
    doc = doc_of(
        PageMarker(id="p1", number=1),
        Heading(id="h", level=1, text="Titre"),
        Paragraph(id="a", text="Texte."),
        PageMarker(id="p2", number=2, label="xii"),
        PageMarker(id="p3", number=3, kind="slide"),
        Paragraph(id="b", text="Suite."),
    )
    assert texts(doc, "dyslexia") == ["Titre", "Texte.", "Suite."]
    assert texts(doc, "blind") == ["Page 1.", "Titre", "Texte.", "Page xii.", "Diapositive 3.", "Suite."]


def test_each_unit_carries_its_block_language() -> None:
    doc = doc_of(
        Heading(id="h", level=1, text="Citation"),
        Paragraph(id="q", lang="en", text="To be or not to be. That is the question.", role="quote"),
        Note(id="n", lang="en-GB", kind="speaker", text="Read slowly."),
        Paragraph(id="p", text="Fin de la citation."),
    )
    units = [u for s in speech_sections(doc, load_profile("dyslexia", PROFILES)) for u in s.units]
    assert [(u.lang, u.text) for u in units] == [
        ("fr", "Citation"),
        ("en", "To be or not to be."),
        ("en", "That is the question."),
        ("en-GB", "Speaker notes."),
        ("en-GB", "Read slowly."),
        ("fr", "Fin de la citation."),
    ]


def test_a_document_with_only_page_furniture_says_nothing() -> None:
    doc = doc_of(
        PageMarker(id="p1", number=1), Paragraph(id="x", text="   "), Figure(id="f", decorative=True)
    )
    assert speech_sections(doc, load_profile("dyslexia", PROFILES)) == []


def test_a_page_or_slide_change_is_announced_in_the_section_it_opens() -> None:
    doc = doc_of(
        PageMarker(id="s1", number=1, kind="slide"),
        Heading(id="h1", level=1, text="Un"),
        Paragraph(id="a", text="Texte."),
        PageMarker(id="s2", number=2, kind="slide"),
        Heading(id="h2", level=1, text="Deux"),
        Paragraph(id="b", text="Suite."),
        PageMarker(id="s3", number=3, kind="slide"),
    )
    sections = speech_sections(doc, load_profile("blind", PROFILES))
    assert [[u.text for u in s.units] for s in sections] == [
        ["Diapositive 1.", "Un", "Texte."],
        ["Diapositive 2.", "Deux", "Suite.", "Diapositive 3."],
    ]


def test_a_cell_spanning_rows_is_read_in_each_row() -> None:
    h = lambda t, span=1: TableCell(text=t, header=True, col_span=span)  # noqa: E731
    c = lambda t, rows=1: TableCell(text=t, row_span=rows)  # noqa: E731
    doc = doc_of(
        Table(
            id="t",
            rows=[
                [h("Groupe"), h("Nom"), h("Note")],
                [c("A", rows=2), c("Léa"), c("15")],
                [c("Marc"), c("12")],  # "A" is left out by the model: it spans from the row above
                [c("B"), c("Zoé"), c("")],
            ],
        )
    )
    assert texts(doc) == [
        "Tableau.",
        "Groupe : A ; Nom : Léa ; Note : 15.",
        "Groupe : A ; Nom : Marc ; Note : 12.",
        "Groupe : B ; Nom : Zoé.",
    ]


CODE = "<table>\n  <tr>\n    <td>Colonne 1. Colonne 2.</td>\n  </tr>\n</table>"


def test_code_is_announced_and_skipped_by_default_in_both_languages() -> None:
    french = doc_of(Paragraph(id="p1", text="Un tableau :"), Code(id="c1", text=CODE, language="html"))
    assert texts(french) == ["Un tableau :", "Exemple de code, 5 lignes, non lu."]
    english = doc_of(Code(id="c1", text="print(1)"), lang="en")
    assert texts(english) == ["Code example, 1 line, skipped."]
    assert texts(doc_of(Code(id="c1", text="\n  \n"))) == []


def test_code_is_read_line_by_line_when_the_profile_says_so() -> None:
    profile = load_profile("blind", PROFILES)
    profile = profile.model_copy(update={"speech": profile.speech.model_copy(update={"read_code": True})})
    doc = doc_of(Code(id="c1", text=CODE, language="html"))
    units = [u for s in speech_sections(doc, profile) for u in s.units]
    # One unit per line, as written (the sentence "Colonne 1. Colonne 2." inside a line is not split).
    assert [u.text for u in units] == [
        "Exemple de code, 5 lignes.",
        "<table>",
        "<tr>",
        "<td>Colonne 1. Colonne 2.</td>",
        "</tr>",
        "</table>",
        "Fin du code.",
    ]
    assert {u.block_id for u in units} == {"c1"}
