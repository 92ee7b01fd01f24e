"""Readability scores: French Kandel–Moles, English Flesch, per section, offline."""

from __future__ import annotations

import socket

import pytest

from inclusio.analysis.readability import (
    kandel_moles,
    readable_units,
    score_document,
    score_text,
)
from inclusio.model.document import (
    Adaptation,
    Document,
    Figure,
    Heading,
    ListBlock,
    ListItem,
    Note,
    PageMarker,
    Paragraph,
    Provenance,
    SourceInfo,
    Table,
    TableCell,
)

EASY_FR = "Le chat dort. Il fait beau. Marie lit un livre. Le soleil brille."
HARD_FR = (
    "La photosynthèse, processus biochimique fondamental par lequel les organismes chlorophylliens "
    "transforment l'énergie lumineuse en énergie chimique, conditionne indirectement l'approvisionnement "
    "énergétique de la quasi-totalité des écosystèmes terrestres et aquatiques contemporains."
)
EASY_EN = "The cat sleeps. It is sunny. Mary reads a book. The sun is out."
HARD_EN = (
    "Photosynthesis, the fundamental biochemical process whereby chlorophyll-containing organisms "
    "transform electromagnetic radiation into chemical energy, indirectly conditions the energetic "
    "provisioning of practically every contemporary terrestrial and aquatic ecosystem."
)


def test_french_easy_text_scores_higher_than_hard_text() -> None:
    easy, hard = score_text(EASY_FR, "fr"), score_text(HARD_FR, "fr")
    assert easy.reading_ease_formula == hard.reading_ease_formula == "kandel-moles"
    assert easy.reading_ease is not None and hard.reading_ease is not None
    assert easy.reading_ease > hard.reading_ease + 60
    assert 80 < easy.reading_ease < 130
    assert -100 < hard.reading_ease < 20
    assert (easy.sentences, easy.words) == (4, 13)
    assert hard.long_sentences == 1 and easy.long_sentences == 0
    assert 1.0 < easy.syllables_per_word < 1.6 < 2.5 < hard.syllables_per_word < 3.5
    assert easy.lix is not None and hard.lix is not None and easy.lix < hard.lix


def test_english_easy_text_scores_higher_than_hard_text() -> None:
    easy, hard = score_text(EASY_EN, "en"), score_text(HARD_EN, "en")
    assert easy.reading_ease_formula == "flesch"
    assert easy.reading_ease is not None and hard.reading_ease is not None
    assert easy.reading_ease > 90 > 0 > hard.reading_ease
    assert easy.grade_level is not None and hard.grade_level is not None
    assert easy.grade_level < 3 < 16 < hard.grade_level


def test_french_shows_no_english_only_metric() -> None:
    scores = score_text(EASY_FR, "fr")
    assert scores.grade_level is None
    # No word-list metric exists in the model at all (Dale–Chall, fog... have English lists only).
    assert not {"difficult_words", "dale_chall", "gunning_fog", "spache"} & set(type(scores).model_fields)


def test_kandel_moles_on_a_hand_computed_example() -> None:
    # "La table est belle. Le chat mange." -> 7 words, 2 sentences;
    # written syllables: la 1, ta-ble 2, est 1, bel-le 2, le 1, chat 1, man-ge 2 = 10.
    scores = score_text("La table est belle. Le chat mange.", "fr")
    assert (scores.words, scores.sentences, scores.syllables) == (7, 2, 10)
    expected = 207 - 1.015 * (7 / 2) - 73.6 * (10 / 7)  # = 98.3043...
    assert scores.reading_ease == pytest.approx(expected, abs=0.01)
    assert kandel_moles(3.5, 10 / 7) == pytest.approx(98.304, abs=0.001)
    # LIX: 3.5 words/sentence + 100 * 0 long words / 7.
    assert scores.lix == pytest.approx(3.5)


def test_language_without_syllable_counter_gets_no_reading_ease() -> None:
    scores = score_text("Das Wasser fließt. Die Sonne scheint hell.", "de")
    assert scores.reading_ease is None and scores.syllables is None
    assert scores.words == 7 and scores.sentences == 2 and scores.lix is not None


def test_empty_text() -> None:
    scores = score_text("  ", "fr")
    assert scores.words == 0 and scores.reading_ease is None and scores.lix is None


def test_scoring_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """English would make textstat download NLTK's cmudict: nothing may try to."""
    import nltk

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("nltk.download called")

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("socket opened")

    monkeypatch.setattr(nltk, "download", no_download)
    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", no_download)
    en = score_text(EASY_EN + " " + HARD_EN, "en")
    fr = score_text(EASY_FR + " " + HARD_FR, "fr")
    assert en.syllables and en.syllables > 100
    assert fr.syllables and fr.syllables > 100


def _doc() -> Document:
    return Document(
        title="Test",
        lang="fr",
        source=SourceInfo(filename="t.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[
            PageMarker(id="p1", number=1),
            Paragraph(id="b0", text="Titre du cours", role="title"),
            Heading(id="h1", level=1, text="Une partie facile"),
            Paragraph(id="b1", text=EASY_FR),
            Table(id="t1", rows=[[TableCell(text="Très longue cellule incompréhensible", header=True)]]),
            Heading(id="h2", level=2, text="Une sous-partie difficile"),
            Paragraph(id="b2", text=HARD_FR),
            Note(id="n1", kind="speaker", text=HARD_FR),
            Heading(id="h3", level=1, text="English part"),
            Paragraph(id="b3", text=EASY_EN, lang="en"),
            ListBlock(
                id="l1",
                lang="en",
                items=[
                    ListItem(text="The sun is hot"),
                    ListItem(
                        text="Rain falls", children=ListBlock(id="l1a", items=[ListItem(text="It is wet")])
                    ),
                ],
            ),
            Paragraph(id="b4", text="Le vent souffle."),
            Figure(id="f1", caption="Le cycle de l'eau.", alt="Un schéma très compliqué et incompréhensible"),
        ],
    )


def test_document_scores_per_section_and_dominant_language() -> None:
    result = score_document(_doc())
    # The preamble (page marker and title) has nothing to score: no section for it.
    assert [s.title for s in result.sections] == [
        "Une partie facile",
        "Une sous-partie difficile",
        "English part",
    ]
    easy, hard, english = result.sections
    assert (easy.level, hard.level, english.level) == (1, 2, 1)
    # The level-1 section includes its sub-section; the sub-section only its own text.
    assert easy.block_ids == ["b1", "t1", "b2", "n1"]
    assert hard.block_ids == ["b2", "n1"]
    assert hard.scores.words == score_text(HARD_FR, "fr").words
    assert easy.scores.words == 13 + hard.scores.words
    assert easy.scores.reading_ease is not None and hard.scores.reading_ease is not None
    assert easy.scores.reading_ease > hard.scores.reading_ease
    # English words dominate the third section: Flesch, not Kandel–Moles.
    assert english.scores.lang == "en" and english.scores.reading_ease_formula == "flesch"
    assert english.scores.sentences == 1 + 4 + 3 + 1 + 1 - 1  # b3(4), 3 items, b4, caption
    assert result.document.lang == "fr" and result.document.reading_ease_formula == "kandel-moles"
    assert result.words_by_lang["en"] == 14 + 4 + 2 + 3
    assert result.document.words == sum(result.words_by_lang.values())


def test_excluded_blocks() -> None:
    doc = _doc()
    excluded = {"p1", "b0", "h1", "h2", "h3", "t1", "n1"}
    for block in doc.blocks:
        assert bool(readable_units(block)) is (block.id not in excluded), block.id
    footnote = Note(id="n2", kind="footnote", text="Une note.")
    assert readable_units(footnote) == ["Une note."]
    # The figure's caption is read; its alt text is not printed, so it is not scored.
    assert readable_units(doc.find("f1")) == ["Le cycle de l'eau."]


def test_document_scores_with_adaptation_applied() -> None:
    doc = _doc()
    hard = doc.find("b2")
    assert isinstance(hard, Paragraph)
    hard.adaptations.append(
        Adaptation(
            kind="easy_read",
            provenance=Provenance(engine="human", pass_name="easy_read"),
            blocks=[
                Paragraph(id="b2.e1", text="Les plantes utilisent la lumière."),
                Paragraph(id="b2.e2", text="Elles fabriquent du sucre."),
            ],
        )
    )
    source = score_document(doc)
    adapted = score_document(doc, ("easy_read",))
    assert adapted.adaptation_kinds == ("easy_read",)
    src_hard = source.sections[1].scores
    new_hard = adapted.sections[1].scores
    assert adapted.sections[1].block_ids == ["b2.e1", "b2.e2", "n1"]
    assert new_hard.reading_ease is not None and src_hard.reading_ease is not None
    assert new_hard.reading_ease > src_hard.reading_ease
    assert new_hard.long_sentences == 0 < src_hard.long_sentences
