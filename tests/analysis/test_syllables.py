"""French written syllables and English CMU syllables, word by word."""

from __future__ import annotations

import pytest

from inclusio.analysis.syllables import count_syllables, count_syllables_en, count_syllables_fr

# Expected counts are written syllables (the mute final e counts after a consonant).
FRENCH = {
    "école": 3,
    "ami": 2,
    "idée": 2,
    "table": 2,
    "université": 5,
    "photosynthèse": 5,
    "chlorophylle": 4,
    "oiseau": 2,
    "eau": 1,
    "beaucoup": 2,
    "réalité": 4,
    "créée": 2,
    "théâtre": 3,
    "poème": 3,
    "naïf": 2,
    "Noël": 2,
    "maïs": 2,
    "payer": 2,
    "crayon": 2,
    "yeux": 1,
    "style": 2,
    "guerre": 2,
    "langue": 2,
    "guide": 2,
    "que": 1,
    "quatre": 2,
    "jusqu'à": 2,
    "l'eau": 1,
    "l’oxygène": 4,
    "arc-en-ciel": 3,
    "parlent": 2,
    "tables": 2,
    "joie": 1,
    "vie": 1,
    "rue": 1,
    "nation": 2,
    "premier": 2,
    "aérien": 3,
    "pitié": 2,
    "société": 3,
    "cacao": 3,
    "août": 1,
    "oasis": 3,
    "situation": 4,
    "cuisine": 3,
    "lentement": 3,
    "feuille": 2,
    "œuvre": 2,
    "cœur": 1,
    "soleil": 2,
    "lumière": 3,
    "énergie": 3,
    "géologie": 4,
    "dioxyde": 3,
    "hydrogène": 4,
    "mitochondrie": 4,
    "aiguë": 2,
    "aujourd’hui": 3,
    "peut-être": 3,
    "ÉCOLE": 3,
    "km": 1,
    "2024": 1,
}


@pytest.mark.parametrize(("word", "expected"), sorted(FRENCH.items()))
def test_french_written_syllables(word: str, expected: int) -> None:
    assert count_syllables_fr(word) == expected


def test_french_counter_beats_pyphen_on_the_known_undercounts() -> None:
    import pyphen

    dic = pyphen.Pyphen(lang="fr")
    words = ["école", "ami", "idée", "table", "université"]
    pyphen_total = sum(len(dic.positions(w)) + 1 for w in words)
    ours = sum(count_syllables_fr(w) for w in words)
    assert ours == 3 + 2 + 2 + 2 + 5
    assert pyphen_total < ours


ENGLISH = {
    "water": 2,
    "cycle": 2,
    "evaporation": 5,
    "the": 1,
    "precipitation": 5,
    "cloud": 1,
    "table": 2,
    "make": 1,
    "beautiful": 3,
    "well-known": 2,
    "groundwater": 3,
    "1984": 1,
}


@pytest.mark.parametrize(("word", "expected"), sorted(ENGLISH.items()))
def test_english_syllables(word: str, expected: int) -> None:
    assert count_syllables_en(word) == expected


def test_english_unknown_word_falls_back_to_a_heuristic() -> None:
    # Not in the CMU dictionary: vowel groups minus the silent final e.
    assert count_syllables_en("inclusiomake") == 4
    assert count_syllables_en("zorblable") == 3


def test_punctuation_has_no_syllable_and_language_picks_the_counter() -> None:
    assert count_syllables_fr("«") == 0
    assert count_syllables_en("—") == 0
    assert count_syllables("table", "fr-FR") == 2
    assert count_syllables("make", "en-GB") == 1
