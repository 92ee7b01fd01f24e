"""The rule-based sentence splitter used by readability and the easy-to-read pass."""

from __future__ import annotations

import pytest

from inclusio.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bonjour. Je suis là ! Pourquoi ? Parce que.",
            ["Bonjour.", "Je suis là !", "Pourquoi ?", "Parce que."],
        ),
        (
            "Il est né en 52 av. J.-C. à Rome. Puis il part.",
            ["Il est né en 52 av. J.-C. à Rome.", "Puis il part."],
        ),
        (
            "Voir p. ex. la figure 2. La valeur vaut 3.5 mètres. Fin…",
            ["Voir p. ex. la figure 2.", "La valeur vaut 3.5 mètres.", "Fin…"],
        ),
        ("M. Dupont arrive. Il salue Mme Durand.", ["M. Dupont arrive.", "Il salue Mme Durand."]),
        ("« Quoi ? » dit-il. Il part.", ["« Quoi ? » dit-il.", "Il part."]),
        ("Les plantes (arbres, etc.). Elles poussent.", ["Les plantes (arbres, etc.).", "Elles poussent."]),
        ("Dr. Smith came, i.e. the doctor. She left.", ["Dr. Smith came, i.e. the doctor.", "She left."]),
        ("Une ligne\ncoupée. Fin\n\nNouveau paragraphe", ["Une ligne coupée.", "Fin", "Nouveau paragraphe"]),
        ("Sans point final", ["Sans point final"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_no_word_is_lost() -> None:
    text = "Le 12 mai, M. Martin (CNRS) a dit : « Oui ! » Puis... rien. 3.14 est pi ? Oui."
    assert " ".join(split_sentences(text)).split() == text.split()
