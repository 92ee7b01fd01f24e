"""An installed copy (a wheel) has the library, the Celery wiring and the profiles."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_ships_workers_and_profiles(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("inclusio-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "inclusio/pipeline/job.py" in names
    assert "workers/celery_app.py" in names and "workers/tasks.py" in names
    profiles = {n.rsplit("/", 1)[-1] for n in names if "/share/inclusio/profiles/" in n}
    assert {"easy-read.yaml", "dyslexia.yaml", "low-vision.yaml", "blind.yaml"} <= profiles
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "inclusio = inclusio.cli:app" in zipfile.ZipFile(wheel).read(entry_points).decode()
