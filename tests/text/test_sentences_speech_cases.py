"""The sentence splitter: French and English, abbreviations, initials, decimals, quotes."""

from __future__ import annotations

import pytest

from inclusio.text.sentences import split_sentences

CASES = [
    # French
    ("M. Dupont est arrivé. Il pleut.", ["M. Dupont est arrivé.", "Il pleut."]),
    ("On utilise p. ex. le fer. Puis le cuivre.", ["On utilise p. ex. le fer.", "Puis le cuivre."]),
    ("Le taux est de 3.5 %. Il baisse.", ["Le taux est de 3.5 %.", "Il baisse."]),
    (
        "Fruits, légumes, etc. Rien d'autre.",
        ["Fruits, légumes, etc.", "Rien d'autre."],
    ),  # etc. + capital ends it
    ("Voir fig. 3 et p. 12. Fin.", ["Voir fig. 3 et p. 12.", "Fin."]),
    ("Mme. Martin et Dr. Roux. Ils enseignent.", ["Mme. Martin et Dr. Roux.", "Ils enseignent."]),
    ("Vraiment ? Oui ! Bien sûr… Ensuite.", ["Vraiment ?", "Oui !", "Bien sûr…", "Ensuite."]),
    (
        "« Bonjour. » Il sourit. « Ça va ? » demanda-t-il.",
        ["« Bonjour. »", "Il sourit.", "« Ça va ? » demanda-t-il."],
    ),
    ("En 1789. 2 ans plus tard, la suite.", ["En 1789.", "2 ans plus tard, la suite."]),
    ("Écrit vers 50 av. J.-C. Il reste célèbre.", ["Écrit vers 50 av. J.-C. Il reste célèbre."]),
    ("Le résultat est 0,5. Élevé.", ["Le résultat est 0,5.", "Élevé."]),
    # English
    ("Use tools, e.g. a hammer. Then stop.", ["Use tools, e.g. a hammer.", "Then stop."]),
    ("Dr. Smith came. He left!", ["Dr. Smith came.", "He left!"]),
    ("J. K. Rowling wrote it. Yes.", ["J. K. Rowling wrote it.", "Yes."]),
    ("The U.S.A. is big. I said no. Then ok.", ["The U.S.A. is big.", "I said no.", "Then ok."]),
    (
        "Mr. and Mrs. Brown, i.e. the owners. They agree.",
        ["Mr. and Mrs. Brown, i.e. the owners.", "They agree."],
    ),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
    ("Pi is about 3.14159. It never ends.", ["Pi is about 3.14159.", "It never ends."]),
    # Line breaks: wrapping is a space, a blank line ends a sentence.
    ("Line one\nstill one. Two.\n\nThree", ["Line one still one.", "Two.", "Three"]),
    ("", []),
    ("   \n\n  ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_lower_case_after_a_full_stop_is_not_a_new_sentence() -> None:
    assert split_sentences("Il a dit ok. puis rien.") == ["Il a dit ok. puis rien."]


def test_a_very_long_sentence_is_cut_at_a_comma_and_nothing_is_lost() -> None:
    text = ", ".join(f"élément {i}" for i in range(200)) + "."
    parts = split_sentences(text, max_chars=120)
    assert len(parts) > 5
    assert all(len(p) <= 120 for p in parts)
    assert all(p.endswith(",") for p in parts[:-1])
    assert " ".join(parts) == text


def test_one_enormous_word_is_still_bounded() -> None:
    parts = split_sentences("x" * 1000, max_chars=300)
    assert all(len(p) <= 300 for p in parts)
    assert "".join(parts) == "x" * 1000
