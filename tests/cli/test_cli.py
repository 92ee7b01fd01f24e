"""The `inclusio` command, run as a real process (as a user would)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def inclusio(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INCLUSIO_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "inclusio.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_profiles_list_shows_the_shipped_profiles(tmp_path: Path) -> None:
    run = inclusio("profiles", "list", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    for name in ("easy-read", "dyslexia", "low-vision", "blind", "Dyslexie"):
        assert name in run.stdout


def test_convert_writes_the_requested_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = inclusio(
        "convert",
        str(SAMPLES / "handout-water-cycle-en.docx"),
        "--profile",
        "dyslexia",
        "--out",
        str(out),
        "--to",
        "json,report",
        tmp_path=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads((out / "handout-water-cycle-en.report.json").read_text(encoding="utf-8"))
    assert report["status"] == "succeeded"
    assert report["input"]["lang"].split("-")[0] == "en"
    assert (out / "handout-water-cycle-en.document.json").is_file()
    # One progress bar per stage is drawn on stderr.
    for stage in ("convert", "analyse", "adapt", "render", "report"):
        assert stage in run.stderr


def test_convert_of_an_encrypted_pdf_exits_with_the_input_code(tmp_path: Path) -> None:
    import pymupdf

    locked = tmp_path / "verrouille.pdf"
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "Secret de cours")
        doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="etudiant", owner_pw="prof")
    run = inclusio(
        "convert", str(locked), "--profile", "blind", "--out", str(tmp_path / "out"), tmp_path=tmp_path
    )
    assert run.returncode == 3
    assert "input.encrypted" in run.stderr
    assert "mot de passe" in run.stderr  # the French message is shown too


def test_unknown_profile_exits_4_and_lists_profiles(tmp_path: Path) -> None:
    run = inclusio(
        "convert",
        str(SAMPLES / "handout-water-cycle-en.docx"),
        "--profile",
        "nope",
        "--out",
        str(tmp_path / "out"),
        tmp_path=tmp_path,
    )
    assert run.returncode == 4
    assert "profile.not_found" in run.stderr and "easy-read" in run.stderr


def test_missing_file_exits_3(tmp_path: Path) -> None:
    run = inclusio("convert", str(tmp_path / "absent.pdf"), "--profile", "blind", tmp_path=tmp_path)
    assert run.returncode == 3 and "No file at" in run.stderr


@pytest.mark.parametrize("sample", ["cours-photosynthese-fr.pdf", "handout-water-cycle-en.docx"])
def test_score_prints_readability_per_section(tmp_path: Path, sample: str) -> None:
    run = inclusio("score", str(SAMPLES / sample), "--json", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    scores = json.loads(run.stdout)
    assert len(scores["sections"]) >= 2 and scores["passages"]
    assert scores["words"] > 100 and scores["measured"] and 0 <= scores["reading_ease"] <= 100
    expected = "kandel" if sample.endswith("fr.pdf") else "flesch"
    assert expected in scores["formula"]
