"""``POST /preview/readability`` and ``inclusio score`` give the teacher's feedback's readability (issue #17):
sections pooled into passages of 100 words or more, one verdict, every score in the scale's range (0-100),
sections measured in no passage marked ``too_short`` instead of a raw score (Kandel-Moles gives -383 for
"Exercice 1"), and a document under 100 words too short as a whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from service_helpers import api_client, make_settings

from inclusio.analysis.readability import score_document
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
)


def deck(path: Path, slides: list[tuple[str, str]]) -> Path:
    from pptx import Presentation

    presentation = Presentation()
    for title, body in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1 if body else 5])
        slide.shapes.title.text = title
        if body:
            slide.placeholders[1].text = body
    presentation.save(path)
    return path


@pytest.fixture
def decks(tmp_path: Path) -> dict[str, Path]:
    return {
        "mixed": deck(
            tmp_path / "mixed.pptx",
            [("Exercice 1", "Exercice"), ("La photosynthèse", LONG), ("TP", "TP"), ("Bilan", LONG)],
        ),
        "short": deck(tmp_path / "short.pptx", [("Exercice 1", "Exercice"), ("TP", "TP")]),
    }


def check_mixed(summary: dict, *, raw_negative: bool = True) -> None:
    assert summary["measured"] is True and summary["min_words"] == 100
    assert summary["formula"] == "kandel-moles" and summary["lang"] == "fr"
    assert 0 <= summary["reading_ease"] <= 100 and summary["verdict"] in (
        "very_easy",
        "easy",
        "fairly_easy",
        "standard",
        "fairly_difficult",
        "difficult",
        "very_difficult",
    )
    assert summary["passages"] and all(0 <= p["reading_ease"] <= 100 for p in summary["passages"])
    first = next(s for s in summary["sections"] if s["title"] == "Exercice 1")
    assert first["title"] == "Exercice 1" and first["place"] == ["slide", 1] and first["words"] == 1
    # the one-word slide is measured in the passage it was pooled into, not on its own
    assert first["too_short"] is False and first["passage"] == 0
    for section in summary["sections"]:
        assert section["too_short"] == (section["passage"] is None)
        assert "reading_ease" not in section  # no score of its own: its passage's
    assert sum(len(p["sections"]) for p in summary["passages"]) == sum(
        1 for s in summary["sections"] if s["passage"] is not None
    )


def test_the_raw_per_section_score_is_negative_where_the_summary_is_in_range(decks: dict[str, Path]) -> None:
    doc = convert(decks["mixed"], ConvertContext.from_settings(Settings(), "mixed.pptx"))
    raw = score_document(doc)
    assert min(s.scores.reading_ease for s in raw.sections if s.scores.reading_ease is not None) < 0


def test_the_api_gives_passages_one_verdict_and_marks_what_is_too_short(
    tmp_path: Path, decks: dict[str, Path]
) -> None:
    client = api_client(make_settings(tmp_path), "teacher", enqueue=lambda _kind, _job: None)
    answer = client.post("/preview/readability", files={"file": ("m.pptx", decks["mixed"].read_bytes())})
    assert answer.status_code == 200, answer.text
    check_mixed(answer.json())
    short = client.post("/preview/readability", files={"file": ("s.pptx", decks["short"].read_bytes())})
    summary = short.json()
    assert summary["measured"] is False and summary["reading_ease"] is None and summary["verdict"] is None
    assert summary["passages"] == [] and all(s["too_short"] for s in summary["sections"])
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"too_short", "passage", "words"} <= set(schema["SectionScore"]["properties"])
    assert "verdict" in schema["ReadabilitySummary"]["properties"]


def _score(*args: str, tmp_path: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INCLUSIO_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "160"}
    env.update({"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang})
    return subprocess.run(
        [sys.executable, "-m", "inclusio.cli", "score", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_the_command_line_gives_the_same_numbers(tmp_path: Path, decks: dict[str, Path]) -> None:
    run = _score(str(decks["mixed"]), "--json", tmp_path=tmp_path, lang="C.UTF-8")
    assert run.returncode == 0, run.stderr
    check_mixed(json.loads(run.stdout))
    table = _score(str(decks["mixed"]), tmp_path=tmp_path, lang="fr_FR.UTF-8")
    assert table.returncode == 0, table.stderr
    assert "Document entier :" in table.stdout and "sur 100" in table.stdout
    assert "-" + "3" not in table.stdout.replace("0-100", "")  # no raw negative score anywhere
    short = _score(str(decks["short"]), tmp_path=tmp_path, lang="en_GB.UTF-8")
    assert short.returncode == 0, short.stderr
    assert "too short to measure" in short.stdout
    assert "Whole document: too short to measure (2 words; at least 100 are needed)." in " ".join(
        short.stdout.split()
    )
