"""The tiny French/English guesser picks the right language on ordinary course sentences."""

from inclusio.converters.lang import guess_language, resolve_language


def test_french_sentence_is_french() -> None:
    assert (
        guess_language("Les cellules de l'organisme sont constituées d'une membrane et d'un noyau.") == "fr"
    )


def test_english_sentence_is_english() -> None:
    assert (
        guess_language("The cells of the body are made of a membrane and a nucleus, which is at the centre.")
        == "en"
    )


def test_no_words_gives_the_default() -> None:
    assert guess_language("12 345 — 678", default="en") == "en"


def test_a_wrong_declaration_loses_to_a_long_text() -> None:
    text = "Le cours présente les bases de la chimie et les réactions qui sont étudiées en classe. " * 10
    lang, overridden = resolve_language("en-US", text)
    assert lang == "fr" and overridden == "en-US"  # the declaration that lost, for lang.declared_mismatch
    assert resolve_language("fr-FR", text) == ("fr-FR", None)
