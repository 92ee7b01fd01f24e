"""The offline easy-to-read engine against the rule checker, on French sentences written for this test.

The corpus figures (bench/easy_read.py, docs/quality.md) are what the engine was tuned on; these
sentences are not. Each construction (relative clause, apposition, concessive and causal clauses,
enumeration, two main clauses joined by a comma, an example at the end of a sentence, numbers in
words in a list) is checked through the real spaCy parse and the real rule checker: no rule
failure is left in the output, no sentence starts with a bare conjunction, each keeps a subject,
and every number and name of the source is still there.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from test_split import BARE, SETTINGS, _has_subject, _sentences

from inclusio.adapt.easy_read import adapt_list, adapt_paragraph, is_contents_line
from inclusio.adapt.engine import adapt_document
from inclusio.adapt.split import split_once
from inclusio.analysis.easy_read_rules import check_rules, check_text
from inclusio.config import Settings
from inclusio.model.document import Document, Heading, ListBlock, ListItem, Paragraph, SourceInfo
from inclusio.profiles import load_profile

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
STAMP = "2024-09-02T08:00:00+00:00"
FACT = re.compile(r"\d+(?:[.,]\d+)?|\b[A-ZÉÈÀ][\w'’-]*")
CONNECTORS = {"Bien", "Mais", "Car", "Parce", "Quand"}

# One sentence per construction, each longer than the profile's limit (15 words), and the start
# each output sentence must have (the subject repeated, the connector made an adverb).
OWN = {
    "relative": (
        "Le jardin botanique de Nantes, qui reçoit chaque printemps plus de 300 classes, propose des "
        "visites guidées le mercredi après-midi.",
        ["Le jardin botanique de Nantes propose", "Ce jardin botanique reçoit"],
    ),
    "where": (
        "La salle 204, où les étudiants passent leurs examens de fin d'année, sera repeinte pendant les "
        "vacances de juillet.",
        ["La salle 204 sera repeinte", "Dans cette salle, les étudiants passent"],
    ),
    "apposition": (
        "Louis Pasteur, un chimiste né à Dole en 1822, a mis au point le vaccin contre la rage en 1885 "
        "avec son équipe.",
        ["Louis Pasteur a mis au point", "Louis Pasteur est un chimiste"],
    ),
    "concessive": (
        "Bien que la bibliothèque universitaire ferme à 18 heures le samedi, les étudiants de master "
        "peuvent réserver une salle de travail.",
        ["La bibliothèque universitaire ferme", "Pourtant, les étudiants de master"],
    ),
    "causal": (
        "Les abeilles disparaissent peu à peu dans certaines régions de France, car les pesticides "
        "affaiblissent leurs colonies pendant l'hiver.",
        ["Les abeilles disparaissent", "C'est parce que les pesticides"],
    ),
    "mais": (
        "Les chercheurs ont mesuré la température de l'eau pendant trois mois, mais ils n'ont trouvé "
        "aucune variation importante.",
        ["Les chercheurs ont mesuré la température de l'eau pendant 3 mois.", "Pourtant, ils"],
    ),
    "means": (
        "Les étudiants de licence ont réussi, grâce aux séances de tutorat du jeudi, leur examen final de "
        "statistiques.",
        ["Les étudiants de licence ont réussi leur examen final de statistiques.", "C'est grâce aux séances"],
    ),
    "cause_at_end": (
        "Les trains régionaux de la ligne Nantes-Angers ont circulé avec beaucoup de retard hier soir, à "
        "cause de la neige.",
        ["Les trains régionaux de la ligne Nantes-Angers ont circulé", "C'est à cause de la neige."],
    ),
    "comma_splice": (
        "Le technicien vérifie les 12 microscopes du laboratoire chaque vendredi, il remplace aussi les "
        "lampes usées.",
        ["Le technicien vérifie", "Il remplace aussi les lampes usées."],
    ),
    "comma_splice_cela": (
        "Les élèves ont rangé tout le matériel de chimie avant la sonnerie de midi, cela leur a pris "
        "dix minutes.",
        ["Les élèves ont rangé", "Cela leur a pris 10 minutes."],
    ),
}


def _facts_kept(source: str, sentences: list[str]) -> None:
    joined = " ".join(sentences)
    for fact, count in Counter(FACT.findall(source)).items():
        if fact not in CONNECTORS:
            assert joined.count(fact) >= count, (fact, joined)


def _no_failure(sentences: list[str]) -> None:
    for sentence in sentences:
        fails = [
            (h.rule, h.excerpt) for s in check_text(sentence, "fr") for h in s.hits if h.severity == "fail"
        ]
        assert fails == [], (sentence, fails)
        assert not BARE.match(sentence), sentence


@pytest.mark.parametrize("shape", sorted(OWN))
def test_own_sentences_are_split_into_sentences_that_pass_the_rule_checker(shape: str) -> None:
    source, starts = OWN[shape]
    assert len(source.split()) > SETTINGS.max_sentence_words
    sentences = _sentences(source)
    assert [s for s in sentences if not any(s.startswith(start) for start in starts)] == [], sentences
    assert len(sentences) == len(starts), sentences
    for sentence in sentences:
        assert _has_subject(sentence), sentence
    _no_failure(sentences)
    _facts_kept(source, sentences)


def test_an_enumeration_becomes_a_list_and_passes_the_rule_checker() -> None:
    source = "Pour préparer la pâte à crêpes, il faut de la farine, des œufs, du lait et une pincée de sel."
    assert [h.rule for s in check_text(source, "fr") for h in s.hits if h.rule == "T18"] == ["T18"]
    assert _sentences(source) == [
        "Pour préparer la pâte à crêpes, il faut :",
        "de la farine",
        "des œufs",
        "du lait",
        "une pincée de sel",
    ]


def test_an_example_ending_a_sentence_gets_its_own_line() -> None:
    source = (
        "Pour ouvrir un compte à la bibliothèque, présentez votre carte d'étudiant à l'accueil du "
        "rez-de-chaussée, comme par exemple une carte Izly."
    )
    sentences = _sentences(source)
    assert sentences == [
        "Pour ouvrir un compte à la bibliothèque, présentez votre carte d'étudiant à l'accueil du "
        "rez-de-chaussée.",
        "Par exemple : une carte Izly.",
    ]
    _facts_kept(source, sentences)
    # An example in the middle of a sentence is not cut out (its clause would lose its end).
    middle = (
        "Choisissez un nom d'utilisateur, par exemple pingouin, et notez-le dans votre carnet de "
        "notes personnel."
    )
    found = split_once(middle, "fr")
    assert found is None or not any(part.startswith("Par exemple") for part in found[0])


@pytest.mark.parametrize(
    "sentence",
    [
        # A subordinate clause before the comma: its pronoun is the main clause's, not a new sentence.
        "Quand la température de la serre baisse fortement pendant la nuit, elle ferme automatiquement "
        "ses fenêtres.",
        "Si vous avez fini le premier exercice de la feuille avant la fin du cours, vous pouvez commencer "
        "le deuxième.",
        # No verb before the comma: a fronted phrase, not a clause.
        "Pendant les vacances scolaires de la Toussaint en Bretagne, nous visitons souvent le musée de la mer.",
    ],
)
def test_a_comma_before_a_pronoun_is_not_always_two_sentences(sentence: str) -> None:
    found = split_once(sentence, "fr")
    assert found is None or found[1] != ",", found


def test_list_items_get_digits_and_no_bare_conjunction() -> None:
    block = ListBlock(
        id="l1",
        lang="fr",
        items=[
            ListItem(text="Deux grands types de cellules"),
            ListItem(text="Et trois sortes de tissus végétaux"),
            ListItem(
                text="Le noyau", children=ListBlock(id="l2", items=[ListItem(text="Quatre chromosomes ici")])
            ),
        ],
    )
    adaptation = adapt_list(block, "fr", STAMP)
    assert adaptation is not None and adaptation.provenance.engine == "offline"
    (shown,) = adaptation.blocks
    assert isinstance(shown, ListBlock)
    assert [i.text for i in shown.items] == [
        "2 grands types de cellules",
        "3 sortes de tissus végétaux",
        "Le noyau",
    ]
    assert (
        shown.items[2].children is not None and shown.items[2].children.items[0].text == "4 chromosomes ici"
    )
    assert block.items[0].text == "Deux grands types de cellules"  # the source is not changed
    assert adapt_list(ListBlock(id="l3", items=[ListItem(text="La membrane")]), "fr") is None


def test_the_engine_adapts_lists_and_the_reader_view_has_no_number_in_words(tmp_path: Path) -> None:
    doc = Document(
        title="Cours",
        lang="fr",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[
            Heading(id="h1", level=1, text="La cellule"),
            Paragraph(id="p1", text="La cellule est la plus petite unité du vivant."),
            ListBlock(
                id="l1", items=[ListItem(text="Deux grands types de cellules"), ListItem(text="Un noyau")]
            ),
        ],
    )
    profile = load_profile("easy-read", PROFILES)
    before = check_rules(doc).summary.hits_by_rule.get("T10", {})
    adapted = adapt_document(
        doc, profile, Settings(data_dir=tmp_path, engine="offline"), created_at=STAMP
    ).document
    after = check_rules(adapted, adaptation_kinds=profile.adaptation_kinds).summary.hits_by_rule.get(
        "T10", {}
    )
    assert before.get("fail") == 1 and after.get("fail", 0) == 0
    assert adapted.find("l1").adaptation("easy_read").blocks[0].items[0].text == "2 grands types de cellules"


def test_a_table_of_contents_line_is_not_cut() -> None:
    line = "2.4.1 Réglages du pare-feu . . . . . . . . . . . . . . . . . . . . . . . . . . . . 57"
    assert is_contents_line(line) and is_contents_line("3 Conclusion ........ 12")
    assert adapt_paragraph(Paragraph(id="t", text=line), "fr", SETTINGS, STAMP) is None
    numbered = "1.18 Les trois parties du cours . . . . . . . . . . . . . . . . . 40"
    adaptation = adapt_paragraph(Paragraph(id="n", text=numbered), "fr", SETTINGS, STAMP)
    assert adaptation is not None and [b.plain_text() for b in adaptation.blocks] == [
        numbered.replace("trois", "3")
    ]
    assert not is_contents_line("La réunion a lieu en salle 12.")


def test_an_enumeration_of_names_keeps_each_name_whole() -> None:
    source = (
        "Le laboratoire utilise des logiciels venus de Mozilla, Apache, Free Software Foundation, Python "
        "Software Foundation, Eclipse et de nombreux autres projets."
    )
    (intro, *items) = _sentences(source)
    assert intro.endswith(":") and "Mozilla" not in intro
    assert "Free Software Foundation" in items and "Python Software Foundation" in items
    assert items[-1] == "de nombreux autres projets"


@pytest.mark.parametrize(
    "text",
    [
        "Il écrit dans un cahier qui, croit-elle, sert et plaît beaucoup.",
        # The scan's OCR turned "çà et là" into "¢a et la": its commas are still a clause's, not a list's.
        "Il travaille dans un atelier qui, pense-t-il, diminue ¢a et la la qualité de son travail.",
    ],
)
def test_commas_around_a_clause_piece_are_not_an_enumeration(text: str) -> None:
    adaptation = adapt_paragraph(Paragraph(id="c", text=text), "fr", SETTINGS, STAMP)
    assert adaptation is None or not any(isinstance(b, ListBlock) for b in adaptation.blocks), adaptation


def test_a_subordinate_clause_alone_is_never_made_a_sentence() -> None:
    source = (
        "When the students finish the last exercise of the worksheet, then they can hand in their copy "
        "and leave the room early."
    )
    adaptation = adapt_paragraph(Paragraph(id="w", text=source), "en", SETTINGS, STAMP)
    sentences = [b.plain_text() for b in adaptation.blocks] if adaptation else [source]
    assert "When the students finish the last exercise of the worksheet." not in sentences
    assert all(not re.match(r"When [^,]*\.$", s) for s in sentences), sentences
    _facts_kept(source, sentences)
