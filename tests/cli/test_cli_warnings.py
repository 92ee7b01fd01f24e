"""Warnings printed by `inclusio convert` name their place (slide 2, page 4), in the locale's language
(issue 17: "warnings do not say which slide")."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from inclusio.cli import app
from inclusio.config import get_settings


def _deck(path: Path) -> Path:
    """Two slides; the second holds a picture whose only description is its file name (no alt text)."""
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches

    picture = path.parent / "schema.png"
    Image.new("RGB", (120, 80), (30, 120, 200)).save(picture)
    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Le cycle de l'eau"
    first.placeholders[1].text = "L'eau s'évapore puis retombe en pluie."
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Le schéma"
    second.shapes.add_picture(str(picture), Inches(1), Inches(2))
    deck.save(path)
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _deck(tmp_path_factory.mktemp("deck") / "cours.pptx")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en_GB.UTF-8", "[image.alt_missing] slide 2: An image"), ("fr_FR.UTF-8", "diapositive 2 : Une image")],
)
def test_a_warning_names_its_slide_in_the_locales_language(
    deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", lang)
    monkeypatch.setenv("INCLUSIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INCLUSIO_QUALITY_CHECKS", "false")
    monkeypatch.setenv("COLUMNS", "300")
    get_settings.cache_clear()
    try:
        args = ["convert", str(deck), "--profile", "dyslexia", "--to", "html", "--out", str(tmp_path / "out")]
        result = CliRunner().invoke(app, args)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert expected in " ".join(result.output.split()), result.output
