"""Readability measured on passages long enough to mean something (issue 17: −383 for 'Exercice 1')."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.analysis.passages import MIN_WORDS, measure_passages, shown_ease, verdict
from inclusio.config import Settings
from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert

LONG = (
    "La photosynthèse permet aux plantes de fabriquer leur nourriture à partir de la lumière du soleil. "
    "Les feuilles captent cette lumière grâce à un pigment vert appelé chlorophylle. "
    "La plante prend aussi de l'eau dans le sol par ses racines et du gaz carbonique dans l'air. "
    "Avec ces éléments, elle produit du sucre qui la nourrit et elle rejette de l'oxygène. "
    "Cet oxygène est celui que nous respirons chaque jour, et il vient en grande partie des océans. "
    "Sans photosynthèse, la vie sur la Terre serait très différente de celle que nous connaissons. "
    "Les animaux mangent les plantes, et d'autres animaux les mangent à leur tour. "
)


def make_deck(path: Path) -> Path:
    """Slides of one or two words (an exercise title, 'TP'), two long slides, and three short ones that
    make a passage together."""
    from pptx import Presentation

    deck = Presentation()
    slides = [
        ("Exercice 1", "Exercice"),
        ("La photosynthèse", LONG),
        ("TP", "TP"),
        ("Rappel", "La plante a besoin de lumière, d'eau et de gaz carbonique pour vivre et pour grandir."),
        ("Les feuilles", "Les feuilles sont vertes parce qu'elles contiennent beaucoup de chlorophylle."),
        (
            "Les racines",
            "Les racines prennent l'eau et les sels minéraux dans le sol humide autour de la plante.",
        ),
        ("La respiration", LONG.replace("photosynthèse", "respiration")),
        ("Exercice 2", "Exercice"),
    ]
    for title, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    deck.save(path)
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_deck(tmp_path_factory.mktemp("passages") / "slides.pptx")


def test_short_slides_are_pooled_or_too_short_and_every_score_is_in_range(deck: Path) -> None:
    doc = convert(deck, ConvertContext.from_settings(Settings(), deck.name))
    result = measure_passages(doc)
    by_title = {s.title: s for s in result.sections}
    assert result.measured and len(result.passages) >= 2
    # every passage has enough words, and every score shown is in 0..100
    assert all(p.scores.words >= MIN_WORDS for p in result.passages[:-1])
    assert all(0 <= shown_ease(p.scores.reading_ease) <= 100 for p in result.passages)  # type: ignore[operator]
    # a slide of one word is never a passage of its own: it is pooled with its neighbours
    assert all(
        len(result.passages[s.passage].sections) > 1
        for s in result.sections
        if s.words < 5 and s.passage is not None
    )
    # a long slide is measured with the one-word slide before it; slides 3-6 are measured together
    assert by_title["Exercice 1"].passage == by_title["La photosynthèse"].passage == 0
    assert by_title["TP"].passage == by_title["Rappel"].passage == by_title["Les racines"].passage == 1
    assert (result.passages[0].first, result.passages[0].last) == (("slide", 1), ("slide", 2))
    assert verdict(result.document.reading_ease) is not None


def test_a_document_shorter_than_a_sample_is_too_short_to_measure(tmp_path: Path) -> None:
    from pptx import Presentation

    deck = Presentation()
    for title in ("Exercice 1", "Exercice 2", "TP"):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = title.split()[0]
    deck.save(tmp_path / "short.pptx")
    doc = convert(tmp_path / "short.pptx", ConvertContext.from_settings(Settings(), "short.pptx"))
    result = measure_passages(doc)
    assert not result.measured and result.passages == []
    assert all(s.passage is None for s in result.sections)


def test_scores_are_shown_in_the_scales_range_and_banded() -> None:
    assert (shown_ease(-383.2), shown_ease(132), shown_ease(57.4), shown_ease(None)) == (0, 100, 57, None)
    assert (verdict(95), verdict(65), verdict(45), verdict(-530)) == (
        "very_easy",
        "standard",
        "difficult",
        "very_difficult",
    )


def test_the_web_course_is_measured_in_passages_of_100_words(corpus_dir: Path) -> None:
    path = corpus_dir / "slides-fr-web-course.pptx"
    doc = convert(path, ConvertContext.from_settings(Settings(), path.name))
    result = measure_passages(doc)
    # 144 words of text on 48 slides: one passage, no bar for 'Exercice 1' alone
    assert result.measured and result.document.words == 144
    assert [p.scores.words for p in result.passages] == [144]
    assert sum(1 for s in result.sections if s.passage is None) > 20
