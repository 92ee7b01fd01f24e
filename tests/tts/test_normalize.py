"""Text prepared for the ear: numbers, units, dates, abbreviations, citations, pronunciation lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.errors import InputError
from inclusio.tts.normalize import Pronunciations, roman_to_int, speakable


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Il coûte 1 000 € de plus.", "Il coûte 1000 euros de plus."),
        ("Il coûte 1\u202f000\u00a0000 €.", "Il coûte 1000000 euros."),
        ("Une hausse de 3,5 %.", "Une hausse de 3,5 pour cent."),
        ("Le 12/03/2024 à 9 h.", "Le 12 mars 2024 à 9 heures."),
        ("Le 01/05/2023.", "Le premier mai 2023."),
        ("Il roule à 90 km/h.", "Il roule à 90 kilomètres par heure."),
        ("M. Dupont et Mme Durand.", "Monsieur Dupont et Madame Durand."),
        ("Au XIXe siècle.", "Au dix-neuvième siècle."),
        (
            "Au XXIe siècle, la 1re fois, le 2e jour, le 1er mai.",
            "Au vingt et unième siècle, la première fois, le deuxième jour, le premier mai.",
        ),
        ("Une cellule de 10 µm à 25 °C.", "Une cellule de 10 micromètres à 25 degrés Celsius."),
        (
            "Voir p. 12, p. ex. le chap. 3, cf. fig. 2.",
            "Voir page 12, par exemple le chapitre 3, voir figure 2.",
        ),
        (
            "Comme l'a montré Dupont (Dupont, 2019), la cellule [12] vit.",
            "Comme l'a montré Dupont, la cellule vit.",
        ),
        ("Deux études (Dupont et al., 2019 ; Martin 2020) [3, 5-7].", "Deux études."),
        ("Le mot MIV reste, et M. reste seul.", "Le mot MIV reste, et M. reste seul."),
    ],
)
def test_french(written: str, spoken: str) -> None:
    assert speakable(written, "fr") == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("It costs $1,000, i.e. 3.5% more.", "It costs 1000 dollars, that is 3.5 percent more."),
        (
            "On 2024-03-12, e.g. Dr. Smith ran 1 km in 5 min.",
            "On 12 March 2024, for example Doctor Smith ran 1 kilometre in 5 minutes.",
        ),
        ("Cells (Smith & Jones, 2020a) grow [3].", "Cells grow."),
        (
            "On 03/25/2024 (month first: 25 cannot be a month).",
            "On 25 March 2024 (month first: 25 cannot be a month).",
        ),
        ("See Fig. 3 and p. 4, No. 5 vs. 6.", "See figure 3 and page 4, number 5 versus 6."),
    ],
)
def test_english(written: str, spoken: str) -> None:
    assert speakable(written, "en-GB") == spoken


def test_roman_numerals_must_be_well_formed() -> None:
    assert roman_to_int("XIX") == 19 and roman_to_int("XXI") == 21 and roman_to_int("IV") == 4
    assert roman_to_int("IIII") is None and roman_to_int("VX") is None
    # a lone capital + e is a word ("Le", "Ce"), a numeral only before "siècle" and the like
    assert (
        speakable("Le Ve siècle, François Ier, Le Ce De.", "fr")
        == "Le cinquième siècle, François premier, Le Ce De."
    )


def test_a_sentence_made_only_of_a_citation_is_not_emptied() -> None:
    assert speakable("[12]", "fr") == "[12]"


def test_the_pronunciation_list_applies_whole_words_per_language(tmp_path: Path) -> None:
    course = tmp_path / "cours.pronunciations.yaml"
    course.write_text(
        "fr:\n  ADN: a dé ène\n  Krebs: crèbsse\n'*':\n  CRISPR: crispeur\nen:\n  DNA: D N A\n",
        encoding="utf-8",
    )
    site = tmp_path / "site.yaml"
    site.write_text("fr:\n  ADN: acide désoxyribonucléique\n  ARN: a erre ène\n", encoding="utf-8")
    table = Pronunciations.load(site, course, tmp_path / "absent.yaml", None)
    assert speakable("L'ADN, l'ARN et le cycle de Krebs (CRISPR), pas ADNc.", "fr", table) == (
        "L'a dé ène, l'a erre ène et le cycle de crèbsse (crispeur), pas ADNc."
    )
    assert speakable("DNA and CRISPR, not ADN.", "en", table) == "D N A and crispeur, not ADN."


@pytest.mark.parametrize("content", ["- a\n- b\n", "fr: [ADN]\n", "fr: {ADN: [x]}\n", "fr: {ADN: 'x'\n"])
def test_a_bad_pronunciation_list_is_a_clear_input_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "cours.pronunciations.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        Pronunciations.load(path)
    assert "cours.pronunciations.yaml" in info.value.message and "docs/audio.md" in info.value.message_fr
