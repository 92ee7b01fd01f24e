"""Rare words come from wordfreq's offline lists, with lemmas rescuing inflected everyday words."""

from __future__ import annotations

from inclusio.analysis.rare_words import is_rare, rare_words, zipf


def test_word_frequencies_are_available_offline() -> None:
    assert zipf("cellule", "fr") > 4.0
    assert zipf("mitochondrie", "fr") < 2.5
    assert zipf("water", "en") > 5.0


def test_rare_and_everyday_words() -> None:
    assert is_rare("mitochondrie", "fr") is not None
    assert is_rare("cellule", "fr") is None
    assert is_rare("captée", "fr") is not None
    assert is_rare("captée", "fr", lemma="capter") is None  # an inflected form of an everyday verb
    assert is_rare("elles-mêmes", "fr") is None  # each part judged on its own


def test_names_acronyms_and_glossary_words_are_not_judged() -> None:
    found = rare_words("Les stomates de Priestley gardent le CO2 et l'ADN.", "fr", skip=[])
    assert [w.word for w in found] == ["stomates"]
    assert rare_words("Les stomates de Priestley.", "fr", skip=["Stomates"]) == []


def test_a_language_without_a_word_list_gives_no_rare_words() -> None:
    assert rare_words("Tlhingan Hol", "tlh") == []
