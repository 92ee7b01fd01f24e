"""The easy-to-read rule checker fires on sentences made for each rule, and not on clean ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from analysisdocs import adapted_doc

from inclusio.analysis import nlp as nlp_module
from inclusio.analysis.easy_read_rules import RuleConfig, check_rules, check_text
from inclusio.model.document import Heading


def hits(text: str, lang: str, **config: object) -> list[tuple[str, str, str]]:
    """(rule, severity, excerpt) of every hit in ``text``."""
    return [
        (h.rule, h.severity, h.excerpt)
        for s in check_text(text, lang, config=RuleConfig(**config))
        for h in s.hits
    ]


def rules(text: str, lang: str, **config: object) -> set[str]:
    return {rule for rule, _, _ in hits(text, lang, **config)}


CLEAN_FR = [
    "La plante fabrique du sucre.",
    "Elle utilise la lumière du soleil.",
    "Le cours dure 20 minutes.",
    "Les feuilles sont vertes.",
]
CLEAN_EN = ["The plant makes sugar.", "It uses the light of the sun.", "The class lasts 20 minutes."]


@pytest.mark.parametrize("sentence", CLEAN_FR)
def test_a_clean_french_sentence_breaks_no_rule(fr_nlp: object, sentence: str) -> None:
    assert hits(sentence, "fr") == []


@pytest.mark.parametrize("sentence", CLEAN_EN)
def test_a_clean_english_sentence_breaks_no_rule(sentence: str) -> None:
    assert hits(sentence, "en") == []


FRENCH_CASES = [
    ("T2", "Les racines prennent l'eau et les feuilles prennent la lumière."),
    ("T2", "La plante grandit vite quand il fait chaud."),
    ("T2", "La feuille capte la lumière et elle fabrique du sucre."),
    ("T2", "La feuille capte la lumière ; la racine absorbe l'eau."),
    ("T4", "Les stomates sont sous la feuille."),
    ("T8", "L'ADN est dans le noyau."),
    ("T8", "La cellule contient du sucre, de l'eau, etc."),
    ("T8", "La plante rejette du CO2."),
    ("T9", "Environ 45 % des plantes vivent ici."),
    ("T9", "Il y a 30 000 espèces."),
    ("T9", "Il y a deux millions d'arbres."),
    ("T10", "La photosynthèse a deux phases."),
    ("T11", "Au XIXe siècle, on a compris la respiration."),
    ("T12", "Le cours commence le 12/03/2024."),
    ("T14", "La plante (une fougère) pousse."),
    ("T14", "La plante pousse & fleurit."),
    ("T15", "La plante ne mange pas."),
    ("T16", "La lumière est captée par la feuille."),
    ("T17", "Nous pourrions observer la feuille."),
    ("T17", "Il fallut attendre longtemps."),
    ("T18", "La plante a besoin de lumière, d'eau, de sel, de chaleur et d'air."),
]


@pytest.mark.parametrize(("rule", "sentence"), FRENCH_CASES)
def test_each_rule_fires_on_a_french_sentence_made_for_it(fr_nlp: object, rule: str, sentence: str) -> None:
    assert rule in rules(sentence, "fr")


ENGLISH_CASES = [
    ("T2", "Water evaporates because the sun heats it."),
    ("T4", "Chlorophyll is green."),
    ("T8", "Some cells, e.g. the big ones, die."),
    ("T9", "About 45% of the water is salty."),
    ("T10", "There are two phases."),
    ("T11", "It happened after World War II."),
    ("T12", "The class starts on 03/12/2024."),
    ("T14", "The sea (the big one) is salty."),
    ("T15", "Water does not burn."),
    ("T16", "The light is captured by the leaf."),
    ("T17", "The plant would grow."),
    ("T18", "Rain, snow, hail, sleet and fog are water."),
]


@pytest.mark.parametrize(("rule", "sentence"), ENGLISH_CASES)
def test_each_rule_fires_on_an_english_sentence_made_for_it(rule: str, sentence: str) -> None:
    assert rule in rules(sentence, "en")


def test_sentence_length_warns_above_15_and_fails_above_20(fr_nlp: object) -> None:
    def sentence(n: int) -> str:
        words = ["la", "plante", "verte", "pousse", "bien", "dans", "le", "jardin"] * 4
        return " ".join(words[:n]).capitalize() + "."

    assert "T1" not in rules(sentence(15), "fr")
    assert ("T1", "warn", "") in hits(sentence(16), "fr")
    assert ("T1", "warn", "") in hits(sentence(20), "fr")
    assert ("T1", "fail", "") in hits(sentence(21), "fr")
    assert ("T1", "fail", "") in hits(sentence(16), "fr", warn_words=10, fail_words=12)


def test_a_double_negation_fails_and_a_single_one_warns(fr_nlp: object) -> None:
    assert ("T15", "fail", "n'est pas") in hits("Ce n'est pas impossible.", "fr")
    assert ("T15", "fail", "ne mange jamais") in hits("Il ne mange jamais rien.", "fr")
    assert ("T15", "warn", "ne mange pas") in hits("La plante ne mange pas.", "fr")
    assert "T15" not in rules("Il n'y a que 2 phases.", "fr")  # "ne ... que" restricts, it does not negate
    assert ("T15", "fail", "not") in hits("It is not impossible.", "en")


def test_glossary_words_are_neither_rare_nor_acronyms(fr_nlp: object) -> None:
    sentence = "Les stomates laissent entrer le CO2."
    assert {"T4", "T8"} <= rules(sentence, "fr")
    flagged = check_text(sentence, "fr", glossary=["stomates", "CO2"])
    assert [h.rule for s in flagged for h in s.hits] == []


def test_hits_carry_a_span_and_bilingual_messages(fr_nlp: object) -> None:
    (sentence,) = check_text("La lumière est captée par la feuille.", "fr")
    (hit,) = [h for h in sentence.hits if h.rule == "T16"]
    assert sentence.text[hit.start : hit.end] == hit.excerpt == "est captée"
    assert hit.message_en and hit.message_fr and hit.suggestion_en and hit.suggestion_fr
    assert hit.message_en != hit.message_fr


def test_without_the_model_the_checker_degrades_to_regex_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # A package name that is not installed: spacy.load really fails, the checker goes on.
    monkeypatch.setitem(nlp_module.MODELS, "fr", "fr_core_news_not_installed")
    assert nlp_module.load_pipeline("fr") is None
    doc = adapted_doc(
        [("La lumière est captée par la feuille, qui la garde.", "La feuille capte la lumière.")]
    )
    report = check_rules(doc)
    assert report.syntax == {"fr": False}
    assert report.models == {}
    assert report.notes and "without syntax" in report.notes[0]
    found = {h.rule for b in report.blocks for s in b.sentences for h in s.hits}
    assert {"T2", "T16"} <= found  # connector "qui" and "est captée par" by pattern


def test_syntax_can_be_turned_off(fr_nlp: object) -> None:
    report = check_rules(
        adapted_doc([("La plante pousse.", "La plante pousse.")]), config=RuleConfig(use_syntax=False)
    )
    assert report.syntax == {"fr": False}


def test_source_and_adaptation_are_checked_with_the_source_block_ids(fr_nlp: object) -> None:
    doc = adapted_doc(
        [("La lumière est captée par la feuille ; elle donne du sucre.", "La feuille capte la lumière.")]
    )
    doc.blocks.insert(0, Heading(id="h1", level=1, text="1. Chapitre II"))  # one line: no T3
    source = check_rules(doc)
    assert {b.block_id for b in source.blocks} == {"h1", "b1"}
    assert source.summary.hits_by_rule["T2"] == {"warn": 1}
    assert source.summary.hits_by_rule["T11"] == {"warn": 1}
    assert "T3" not in source.summary.hits_by_rule
    assert source.models == {"fr": "fr_core_news_sm-3.8.0"}
    adapted = check_rules(doc, adaptation_kinds=("easy_read",))
    assert [b.block_id for b in adapted.blocks] == ["h1"]  # the adapted paragraph is clean
    assert adapted.summary.clean_sentences == 1 and adapted.summary.sentences == 2
    assert json.loads(json.dumps(adapted.model_dump()))["adaptation_kinds"] == ["easy_read"]


def test_adapted_parts_are_named(fr_nlp: object) -> None:
    doc = adapted_doc([("Texte source.", "La lumière est captée par la feuille.")])
    report = check_rules(doc, adaptation_kinds=("easy_read",))
    (block,) = report.blocks
    assert (block.block_id, block.part_id) == ("b1", "b1.e1")


def test_the_offline_easy_read_draft_has_fewer_long_sentences(fr_nlp: object, samples_dir: Path) -> None:
    from inclusio.adapt.easy_read import apply_easy_read
    from inclusio.analysis.faithfulness import check_faithfulness
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.profiles.schema import AdaptationSettings

    doc = convert(samples_dir / "cours-photosynthese-fr.pdf", ConvertContext(filename="cours.pdf"))
    settings = AdaptationSettings(
        level="easy_read", max_sentence_words=15, one_sentence_per_line=True, enumerations_as_lists=True
    )
    adapted = apply_easy_read(doc, settings, created_at="2025-01-01T00:00:00+00:00")
    before = check_rules(adapted).summary.hits_by_rule["T1"]
    after = check_rules(adapted, adaptation_kinds=("easy_read",)).summary.hits_by_rule["T1"]
    assert after.get("fail", 0) < before.get("fail", 0)
    assert sum(after.values()) < sum(before.values())
    faithfulness = check_faithfulness(adapted)
    assert faithfulness.summary.blocks_checked >= 10
    assert faithfulness.summary.facts_checked["number"] >= 5
    assert faithfulness.summary.facts_missing["number"] == 0, [
        (b.block_id, m.text) for b in faithfulness.blocks for m in b.missing if m.kind == "number"
    ]


def test_terms_the_documents_glossary_explains_are_not_rare(fr_nlp: object) -> None:
    from inclusio.model.document import GlossaryEntry, Provenance

    doc = adapted_doc([("Les stomates sont sous la feuille.", "Les stomates sont sous la feuille.")])
    assert check_rules(doc).summary.hits_by_rule.get("T4") == {"warn": 1}
    doc.glossary.append(
        GlossaryEntry(
            term="stomates",
            definition="de petits trous de la feuille",
            provenance=Provenance(engine="test", pass_name="glossary"),
        )
    )
    assert "T4" not in check_rules(doc).summary.hits_by_rule


def test_odd_input_never_crashes(fr_nlp: object) -> None:
    huge = "la plante ne pousse " * 30_000  # 600 000 characters, no full stop: one "sentence"
    (sentence,) = check_text(huge, "fr")
    assert ("T1", "fail") in {(h.rule, h.severity) for h in sentence.hits}
    assert check_text("", "fr") == []
    assert check_text("… ; ( ) %%% \u00a0 \x00", "fr")[0].hits  # special characters, no words
    empty = adapted_doc([])
    assert check_rules(empty).summary.sentences == 0
    assert check_rules(adapted_doc([("Texte.", "Texte.")]), lang="tlh").syntax == {"tlh": False}


# False positives of T8 and T9 seen on the corpus (titles in capitals, code names, identifiers),
# with the true positives next to them: the rule still fires on what it is for.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TABLE DES MATIÈRES", []),  # a title in capitals: words, not acronyms
        ("QUELQUES ENVIRONNEMENTS DE LA CLASSE", []),
        ("SUIVI DU DOCUMENT", []),
        ("LE RÉSEAU ET LE SSH", ["SSH"]),  # a rare word in capitals is still an acronym
        # Capitals inside a lower-case line: a short word alone is an acronym, a dictionary word emphasis.
        ("Le guide DE la CLASSE est court.", ["DE"]),
        ("Afficher la variable « $HOME ».", []),  # a shell variable is typed as it is
        ("La valeur LANG=fr_FR.UTF-8 est lue.", ["UTF"]),
        ("Le HOME de l'utilisateur est lu.", []),  # an English word in capitals
    ],
)
def test_acronym_rule_skips_titles_in_capitals_and_code_names(text: str, expected: list[str]) -> None:
    assert [excerpt for rule, sev, excerpt in hits(text, "fr") if rule == "T8"] == expected


# Everyday words in capitals the manual and the slides use (a label, emphasis, a key's name, an English
# phrase in capitals) are not acronyms; real acronyms still are, short ones included ("l'IS", the tax).
@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("ASTUCE", "fr", []),
        ("Ne pas quitter l'interpréteur avant de TESTER les modifications.", "fr", []),
        ("Sous GNOME, appuyez sur la touche SUPER-key.", "fr", ["GNOME"]),
        ("« UNIX IS user friendly... »", "fr", ["UNIX"]),
        ("Press the SUPER key to open it.", "en", []),
        ("L'ADN du laboratoire du CNRS est décrit en HTML.", "fr", ["ADN", "CNRS", "HTML"]),
        ("HTML", "fr", ["HTML"]),
        ("Le taux de l'IS est de 25 pour cent.", "fr", ["IS"]),
        ("The IT department moved to the US.", "en", ["IT", "US"]),
        ("Les clients : ALK et MSD.", "fr", ["ALK", "MSD"]),
        ("Les chiffres de l'INSEE et de l'URSSAF.", "fr", ["INSEE", "URSSAF"]),
    ],
)
def test_acronym_rule_reads_everyday_words_in_capitals_as_words(
    fr_nlp: object, text: str, lang: str, expected: list[str]
) -> None:
    assert [excerpt for rule, sev, excerpt in hits(text, lang) if rule == "T8"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le livre a l'isbn 0-201-13448-9 (broché).", []),  # an ISBN names a book, it counts nothing
        ("isbn : 0932376029.", []),
        ("Ce guide (version 2.100) est en ligne.", []),
        ("Appelez le 0612345678 le matin.", []),
        ("Il y a 208164 rapports.", ["208164"]),  # a quantity is still a big number
        ("Le total est de 2.100 euros.", ["2.100"]),
        ("Il y a 30 000 espèces.", ["30 000"]),
    ],
)
def test_big_number_rule_skips_identifiers_not_quantities(text: str, expected: list[str]) -> None:
    assert [excerpt for rule, sev, excerpt in hits(text, "fr") if rule == "T9" and sev == "fail"] == expected


def _lexicon_doc(sentences: list[str], *, reviewed_by: str | None = None):  # type: ignore[no-untyped-def]
    from inclusio.model.document import Flag, GlossaryEntry, Provenance

    doc = adapted_doc([(" ".join(sentences), " ".join(sentences))])
    entry = GlossaryEntry(
        term="ADN",
        definition="acide désoxyribonucléique",
        origin="lexicon",
        blocks=["b1"],
        provenance=Provenance(engine="offline", pass_name="glossary", reviewed_by=reviewed_by),
        flags=[Flag(code="glossary.lexicon", reason="meaning from the acronym lexicon")],
    )
    return doc.model_copy(update={"glossary": [entry]})


@pytest.mark.parametrize(
    ("sentences", "reviewed_by", "explained", "t8"),
    [
        # The machine's meaning written in brackets at the first use: the student reads it in the text.
        (["L'ADN (acide désoxyribonucléique) est dans le noyau.", "L'ADN se copie."], None, {"text": 2}, []),
        # The machine's meaning only in the glossary, not approved: said so, a T8 warning (not a fail).
        (["L'ADN est dans le noyau.", "L'ADN se copie."], None, {"unreviewed": 2}, [("warn", "ADN")] * 2),
        # Approved by staff: an explanation like any glossary entry.
        (["L'ADN est dans le noyau."], "staff@univ.fr", {"glossary": 1}, []),
    ],
)
def test_acronym_rule_counts_an_unapproved_lexicon_meaning_apart(
    fr_nlp: object, sentences: list[str], reviewed_by: str | None, explained: dict[str, int], t8: list
) -> None:
    report = check_rules(_lexicon_doc(sentences, reviewed_by=reviewed_by), adaptation_kinds=("easy_read",))
    assert report.summary.acronyms_explained == explained
    found = [
        (h.severity, h.excerpt) for b in report.blocks for s in b.sentences for h in s.hits if h.rule == "T8"
    ]
    assert found == t8
