"""Offline key points (adapt/key_points.py) and glossary terms and definitions (adapt/definitions.py).

Key points never copy a paragraph's first sentence, carry the section's terms and facts, and are
left out when nothing qualifies. Glossary terms are nouns, never verbs or imperatives; a term the
document does not define is flagged ``glossary.to_define`` and kept out of the HTML and the EPUB.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from inclusio.adapt.definitions import TO_DEFINE, find_definition, flag_undefined, is_term, known_variant
from inclusio.adapt.engine import adapt_document
from inclusio.adapt.key_points import key_points
from inclusio.config import Settings
from inclusio.model.document import Document, GlossaryEntry, Heading, Paragraph, Provenance, SourceInfo
from inclusio.model.view import adapted_document, student_glossary
from inclusio.profiles import load_profile
from inclusio.text.sentences import split_sentences

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
STAMP = "2024-09-02T08:00:00+00:00"
SOURCE = SourceInfo(filename="fiche.md", media_type="text/markdown", sha256="0" * 64)


def _worksheet() -> Document:
    """A French worksheet: instructions with imperatives, a defined term, undefined rare words, figures."""
    blocks = [
        Heading(id="h1", level=1, text="Les pourcentages"),
        Heading(id="h2", level=2, text="Calculer un pourcentage"),
        Paragraph(
            id="p1",
            text=(
                "Cette fiche vous aide à calculer un pourcentage. Un pourcentage est une proportion exprimée sur "
                "une base de 100. Lisez chaque question avant de commencer."
            ),
        ),
        Paragraph(
            id="p2",
            text=(
                "Calculez la part des étudiants boursiers dans la promotion, puis arrondissez-la au dixième. "
                "Dans la promotion de 240 étudiants, 84 étudiants reçoivent une bourse du Crous, soit 35 %. "
                "La quotité (la part d'un tout) se note avec le symbole %."
            ),
        ),
        Paragraph(
            id="p3",
            text=(
                "Vérifiez votre résultat avec la calculatrice. L'hypoténuse et la sinusoïde ne servent pas ici. "
                "Le barème de 2024 donne 3 points pour un calcul juste et 1 point pour la méthode."
            ),
        ),
        Heading(id="h3", level=2, text="Remarque"),
        Paragraph(id="p4", text="Bonne chance. Relisez-vous. Prenez votre temps."),
    ]
    return Document(title="Fiche : les pourcentages", lang="fr", source=SOURCE, blocks=blocks)


def _first_sentences(doc: Document) -> set[str]:
    return {split_sentences(b.plain_text())[0] for b in doc.blocks if isinstance(b, Paragraph)}


def test_key_points_carry_terms_and_facts_and_never_copy_first_sentences(tmp_path: Path) -> None:
    profile = load_profile("easy-read", PROFILES)
    result = adapt_document(_worksheet(), profile, Settings(data_dir=tmp_path), created_at=STAMP)
    doc = result.document
    summary = doc.find("h2").adaptation("summary")
    assert summary is not None and summary.text
    points = summary.text.split("\n")
    firsts = _first_sentences(doc) | {
        split_sentences(b.plain_text())[0]
        for block in doc.blocks
        for a in block.adaptations
        if a.kind == "easy_read"
        for b in a.blocks[:1]
    }
    assert points and not set(points) & firsts, points
    assert 1 <= len(points) <= profile.summaries.max_points
    # The points are the sentences with the figures and the course terms, not the instructions.
    assert any(any(ch.isdigit() for ch in p) for p in points), points
    words = [[w for w in p.split() if any(ch.isalnum() for ch in w)] for p in points]  # "%" is not a word
    assert all(len(w) <= profile.adaptation.max_sentence_words for w in words), points
    assert not any(p.startswith(("Lisez", "Calculez", "Vérifiez")) for p in points), points
    assert "never its first lines" in summary.notes[0]


def test_a_section_with_nothing_specific_gets_no_key_points() -> None:
    doc = _worksheet()
    assert key_points(doc, "h3", 3) == []  # "Bonne chance. Relisez-vous. Prenez votre temps."
    assert key_points(doc, "missing", 3) == []


def test_key_points_counted_as_missing_in_the_stats(tmp_path: Path) -> None:
    profile = load_profile("easy-read", PROFILES)
    profile = profile.model_copy(
        update={"summaries": profile.summaries.model_copy(update={"min_section_words": 1})}
    )
    result = adapt_document(_worksheet(), profile, Settings(data_dir=tmp_path), created_at=STAMP)
    counts = result.stats["passes"]["summaries"]
    assert counts["no_key_points"] >= 1
    assert result.document.find("h3").adaptation("summary") is None


def test_verbs_and_imperatives_are_not_glossary_terms() -> None:
    assert not is_term("calculez", "Calculez la part des étudiants boursiers.", "fr")
    assert not is_term("arrondissez-la", "Puis arrondissez-la au dixième.", "fr")
    assert not is_term("respirons", "Le dioxygène de l'air que nous respirons.", "fr")
    assert not is_term("consommant", "Les animaux se nourrissent en consommant ces organismes.", "fr")
    assert is_term("hypoténuse", "L'hypoténuse et la sinusoïde ne servent pas ici.", "fr")
    assert is_term("chlorophylle", "On appelle chlorophylle le pigment vert.", "fr")
    assert not is_term("evaporating", "Water keeps evaporating.", "en")
    # One entry per noun: the plural of a term already in the glossary is not a second term.
    assert known_variant("chloroplastes", ["chloroplaste"]) and known_variant(
        "chloroplaste", ["chloroplastes"]
    )
    assert not known_variant("stroma", ["stomates"])


def test_the_glossary_defines_from_the_document_or_flags_for_the_staff(tmp_path: Path) -> None:
    doc = adapt_document(
        _worksheet(), load_profile("easy-read", PROFILES), Settings(data_dir=tmp_path), created_at=STAMP
    ).document
    by_term = {e.term.lower(): e for e in doc.glossary}
    assert by_term, "the worksheet has rare words"
    for verb in ("calculez", "arrondissez-la", "vérifiez", "lisez", "relisez-vous", "prenez"):
        assert verb not in by_term, verb
    assert by_term["quotité"].definition == "La part d'un tout."  # from the parentheses
    undefined = [e for e in doc.glossary if not e.definition]
    assert undefined, "hypoténuse and sinusoïde have no definition in the document"
    assert all(any(f.code == TO_DEFINE for f in e.flags) and e.needs_review for e in undefined)
    assert all(not any(f.code == TO_DEFINE for f in e.flags) for e in doc.glossary if e.definition)


def test_definition_patterns_and_clean_cuts() -> None:
    text = {
        "p1": "Les organites verts, les chloroplastes, contiennent un pigment, la chlorophylle, qui absorbe la lumière.",
        "p2": "De petits orifices appelés stomates laissent entrer le dioxyde de carbone.",
        "p3": (
            "La photosynthèse est un processus par lequel les organismes chlorophylliens, c'est-à-dire les "
            "plantes et les algues, transforment l'énergie lumineuse en énergie chimique."
        ),
        "p4": "Au-delà d'un certain éclairement, un autre facteur devient limitant.",
        "p5": "Mitochondrie : organite qui produit l'énergie de la cellule.",
    }
    doc = Document(lang="fr", source=SOURCE, blocks=[Paragraph(id=k, text=v) for k, v in text.items()])
    assert find_definition(doc, "chlorophylle") == ("Un pigment.", "p1")
    assert find_definition(doc, "stomates") == ("De petits orifices.", "p2")
    assert find_definition(doc, "photosynthèse") == (
        "Un processus par lequel les organismes chlorophylliens transforment l'énergie lumineuse en énergie "
        "chimique.",
        "p3",
    )
    assert find_definition(doc, "éclairement") is None  # a clause after a comma is not an apposition
    assert find_definition(doc, "Mitochondrie") == ("Organite qui produit l'énergie de la cellule.", "p5")


def _doc_with_glossary() -> Document:
    provenance = Provenance(engine="offline", pass_name="glossary", created_at=STAMP)
    doc = Document(
        title="Cours",
        lang="fr",
        source=SOURCE,
        blocks=[
            Heading(id="h1", level=1, text="Cours"),
            Paragraph(id="p1", text="Le stroma entoure les thylakoïdes du chloroplaste."),
        ],
    )
    doc.glossary = flag_undefined(
        [
            GlossaryEntry(term="stroma", definition="Le liquide du chloroplaste.", provenance=provenance),
            GlossaryEntry(term="thylakoïdes", provenance=provenance),
        ]
    )
    return doc


def test_undefined_entries_stay_in_the_document_and_out_of_the_reader_view() -> None:
    doc = _doc_with_glossary()
    assert [e.term for e in doc.glossary] == ["stroma", "thylakoïdes"]
    assert [f.code for f in doc.glossary[1].flags] == [TO_DEFINE]
    assert flag_undefined(doc.glossary)[1].flags == doc.glossary[1].flags  # flagged once
    assert [e.term for e in student_glossary(doc.glossary)] == ["stroma"]
    assert [e.term for e in adapted_document(doc).glossary] == ["stroma"]


def test_undefined_entries_are_absent_from_the_html_and_the_epub(tmp_path: Path) -> None:
    from inclusio.pipeline import run_job

    settings = Settings(data_dir=tmp_path / "data", validate_epub=False, validate_ace=False)
    profile = load_profile("easy-read", PROFILES).model_copy(update={"outputs": ["epub", "html"]})
    source = tmp_path / "cours.md"
    source.write_text(
        "# Cours\n\nLe stroma entoure les thylakoïdes du chloroplaste. On appelle stroma le liquide "
        "qui remplit le chloroplaste.\n",
        encoding="utf-8",
    )
    result = run_job(source, profile, tmp_path / "out", settings=settings, outputs=["epub", "html", "json"])
    glossary = {e.term: e for e in result.document.glossary}
    assert glossary["stroma"].definition and "thylakoïdes" in glossary
    assert not glossary["thylakoïdes"].definition and glossary["thylakoïdes"].flags[0].code == TO_DEFINE
    html = (tmp_path / "out" / "cours.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "out" / "cours.epub") as book:
        epub = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))
    for output in (html, epub):
        assert "Le liquide qui remplit le chloroplaste." in output
        assert "Définition à écrire" not in output and 'id="gl-thylako' not in output
        assert "doc-glossref" in output and not any(
            "thylakoïdes</a>" in part for part in output.split("doc-glossref")[1:]
        )
    # The staff's JSON keeps the entry, with its flag.
    assert "glossary.to_define" in (tmp_path / "out" / "cours.document.json").read_text(encoding="utf-8")
