"""Facts of a source block are found in its adaptation, or flagged for review."""

from __future__ import annotations

import json

from analysisdocs import adapted_doc

from inclusio.analysis.faithfulness import check_faithfulness
from inclusio.model.document import Adaptation, Provenance


def missing(report: object) -> list[tuple[str, str]]:
    return [(fact.kind, fact.text) for block in report.blocks for fact in block.missing]  # type: ignore[attr-defined]


def test_a_dropped_number_is_caught(fr_nlp: object) -> None:
    doc = adapted_doc(
        [("Une cellule contient de 20 à 100 chloroplastes.", "Une cellule contient 20 chloroplastes.")]
    )
    report = check_faithfulness(doc)
    assert missing(report) == [("number", "100")]
    (block,) = report.blocks
    assert block.needs_review and block.block_id == "b1" and block.adaptation_kind == "easy_read"
    assert report.summary.blocks_to_review == 1
    assert report.summary.facts_checked["number"] == 2 and report.summary.facts_missing["number"] == 1


def test_kept_numbers_are_not_flagged_whatever_their_spelling(fr_nlp: object) -> None:
    doc = adapted_doc(
        [
            ("La forêt compte 1 000 arbres.", "La forêt a 1000 arbres."),
            ("La forêt compte mille arbres.", "La forêt a 1\u00a0000 arbres."),
            ("La molécule est faite de six atomes.", "La molécule a 6 atomes."),
            ("Cela date du XIXe siècle.", "Cela date du 19e siècle."),
            ("La feuille mesure 3,5 cm.", "La feuille mesure 3,5 cm."),
            ("La ville a 1 500 000 habitants.", "La ville a 1,5 million d'habitants."),
        ]
    )
    report = check_faithfulness(doc)
    assert missing(report) == []
    assert report.summary.blocks_checked == 6 and report.summary.blocks_to_review == 0


def test_french_decimal_comma_equals_english_decimal_point_in_a_translation() -> None:
    doc = adapted_doc(
        [("La feuille mesure 3,5 cm et pèse 1 000 mg.", "The leaf is 3.5 cm long and weighs 1,000 mg.")],
        kind="translation",
        adaptation_lang="en",
    )
    assert missing(check_faithfulness(doc)) == []
    changed = adapted_doc(
        [("La feuille mesure 3,5 cm.", "The leaf is 35 cm long.")], kind="translation", adaptation_lang="en"
    )
    assert missing(check_faithfulness(changed)) == [("number", "3,5")]


def test_a_renamed_entity_is_flagged_and_a_kept_one_is_not(fr_nlp: object) -> None:
    doc = adapted_doc(
        [
            (
                "En 1774, Joseph Priestley découvre le dioxygène à Birmingham.",
                "En 1774, Jean Priestley découvre le dioxygène à Birmingham.",
            ),
            (
                "Jean-Baptiste van Helmont a pesé un saule en Belgique.",
                "Jean-Baptiste van Helmont a pesé un arbre en Belgique.",
            ),
        ]
    )
    report = check_faithfulness(doc)
    assert missing(report) == [("entity", "Joseph Priestley")]
    assert report.ner == {"fr": True}
    assert report.blocks[0].checked["entity"] >= 2  # Joseph Priestley, Birmingham
    assert not report.blocks[1].needs_review


def test_dates_match_in_any_spelling_and_a_changed_date_is_flagged(fr_nlp: object) -> None:
    doc = adapted_doc(
        [
            ("L'examen a lieu le 12/03/2024.", "L'examen a lieu le 12 mars 2024."),
            ("L'examen a lieu le 12 mars 2024.", "L'examen a lieu le 12 avril 2024."),
        ]
    )
    report = check_faithfulness(doc)
    assert missing(report) == [("date", "12 mars 2024")]
    assert report.blocks[1].missing[0].value == "2024-03-12"


def test_glossary_terms_must_survive(fr_nlp: object) -> None:
    doc = adapted_doc(
        [
            ("Les stomates laissent entrer le gaz.", "Les petits trous laissent entrer le gaz."),
            ("Le chloroplaste capte la lumière.", "Les chloroplastes captent la lumière."),
        ]
    )
    report = check_faithfulness(doc, glossary=["stomate", "chloroplaste"])
    assert missing(report) == [("term", "stomate")]
    assert report.summary.facts_checked["term"] == 2


def test_english_without_a_model_uses_patterns_and_says_so() -> None:
    doc = adapted_doc(
        [
            (
                "In 1779, Jan Ingenhousz showed that 3 leaves need light.",
                "In 1779, Jan Ingenhousz showed that leaves need light.",
            ),
            ("Melvin Calvin worked in Berkeley.", "Calvin worked in California."),
        ],
        lang="en",
    )
    report = check_faithfulness(doc)
    assert report.ner == {"en": False}
    assert report.notes and "patterns only" in report.notes[0]
    assert missing(report) == [("number", "3"), ("entity", "Melvin Calvin"), ("entity", "Berkeley")]


def test_alt_texts_and_summaries_are_not_checked_unless_asked(fr_nlp: object) -> None:
    doc = adapted_doc([("La feuille a 100 stomates.", "La feuille a des trous.")], kind="summary")
    doc.blocks[0].adaptations.append(
        Adaptation(
            kind="alt_text", provenance=Provenance(engine="test", pass_name="alt"), text="Une feuille."
        )
    )
    assert check_faithfulness(doc).summary.blocks_checked == 0
    asked = check_faithfulness(doc, kinds=["summary"])
    assert missing(asked) == [("number", "100")]


def test_the_report_is_json(fr_nlp: object) -> None:
    doc = adapted_doc(
        [("Une cellule contient 100 chloroplastes.", "Une cellule contient des chloroplastes.")]
    )
    data = json.loads(json.dumps(check_faithfulness(doc).model_dump()))
    assert data["blocks"][0]["missing"][0] == {"kind": "number", "text": "100", "value": "100", "label": None}
    assert data["models"] == {"fr": "fr_core_news_sm-3.8.0"}


def test_the_documents_own_glossary_terms_are_checked(fr_nlp: object) -> None:
    from inclusio.model.document import GlossaryEntry

    doc = adapted_doc([("Les stomates laissent entrer le gaz.", "Les petits trous laissent entrer le gaz.")])
    doc.glossary.append(
        GlossaryEntry(
            term="stomates", origin="course", provenance=Provenance(engine="test", pass_name="glossary")
        )
    )
    assert missing(check_faithfulness(doc)) == [("term", "stomates")]


def test_a_huge_block_is_checked_with_patterns(fr_nlp: object) -> None:
    source = "Joseph Priestley mesure 12 feuilles. " * 4000  # 148 000 characters
    report = check_faithfulness(adapted_doc([(source, "Joseph Priestley mesure des feuilles.")]))
    assert missing(report) == [("number", "12")]
