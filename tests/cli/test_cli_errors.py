"""No traceback for a person's mistake, in any `inclusio` subcommand (issue 17): every error has its code.

The subcommands are enumerated from the real Typer app, so a new one is covered without touching this file:
each gets an unknown option, and each of its parameters a wrong value of its kind (a missing file, a folder
for a file and a file for a folder, an existing file as the output folder, a wrong profile, a wrong output).
The other parameters get valid values, so the wrong one is what fails; no case converts anything.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from inclusio.cli import app
from inclusio.config import get_settings
from inclusio.errors import _all_error_classes

ROOT = Path(__file__).resolve().parents[2]
DOCX = ROOT / "samples" / "handout-water-cycle-en.docx"
KNOWN_CODES = {cls.code for cls in _all_error_classes()} - {"internal.error"}
CODE = re.compile(r"\[([a-z_]+\.[a-z_]+)\]")


def leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """``(words, command)`` of every runnable subcommand of ``command`` (groups walked down)."""
    sub = getattr(command, "commands", None)
    if sub is None:
        yield path, command
        return
    for name, child in sorted(sub.items()):
        yield from leaves(child, (*path, name))


COMMANDS = list(leaves(typer.main.get_command(app)))


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli-errors")
    folder = root / "cours"
    folder.mkdir()
    (folder / "volcans.md").write_text("# Les volcans\n\nUn volcan rejette de la lave.\n", encoding="utf-8")
    (root / "afile.txt").write_text("not a folder")
    os.mkfifo(root / "tube.pdf")  # reading it would wait forever for a writer
    return {
        "root": root,
        "folder": folder,
        "file": root / "afile.txt",
        "missing": root / "absent.pdf",
        "pipe": root / "tube.pdf",
    }


def _is_path(param: Any) -> bool:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    return annotation is Path or param.name in {"file", "folder"}


def _valid(param: Any, places: dict[str, Path]) -> str:
    """A value that passes ``param``'s checks (so another parameter's wrong value is what fails)."""
    if param.name == "folder":
        return str(places["folder"])
    if _is_path(param) and param.name == "out":
        return str(places["root"] / "out")
    if _is_path(param):
        return str(DOCX)
    return {"profile": "blind", "to": "json"}.get(param.name or "", "nobody-here")


def _wrong(param: Any, places: dict[str, Path]) -> list[str]:
    """Wrong values for ``param``, of its kind."""
    if param.name == "out":
        return [str(places["file"])]
    if param.name == "folder":
        return [str(places["missing"]), str(places["file"])]
    if _is_path(param):
        return [str(places["missing"]), str(places["folder"]), str(places["pipe"])]
    return {"profile": ["nope"], "to": ["epub,bogus"]}.get(param.name or "", [])


def _argv(words: tuple[str, ...], command: Any, places: dict[str, Path], bad: Any, value: str) -> list[str]:
    """``words`` with every required parameter valid, and ``bad`` set to ``value``."""
    argv = list(words)
    for param in command.params:
        if param is not bad and not param.required:
            continue
        text = value if param is bad else _valid(param, places)
        argv += [text] if param.param_type_name == "argument" else [param.opts[0], text]
    return argv


def cases(places: dict[str, Path]) -> Iterator[list[str]]:
    for words, command in COMMANDS:
        yield [*words, "--no-such-option"]
        for param in command.params:
            for value in _wrong(param, places):
                yield _argv(words, command, places, param, value)


def test_every_subcommand_is_enumerated() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {
        "convert",
        "score",
        "batch",
        "serve",
        "worker",
        "profiles list",
        "users token",
        "db current",
    } <= names


def test_every_subcommand_answers_bad_arguments_with_a_code_and_no_traceback(
    places: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INCLUSIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    runner, seen = CliRunner(), []
    try:
        for argv in cases(places):
            result = runner.invoke(app, argv)
            text = result.output
            codes = set(CODE.findall(text)) & KNOWN_CODES
            assert result.exit_code not in (0, 1), (argv, result.exit_code, text)
            assert codes, (argv, text)
            assert isinstance(result.exception, SystemExit), (argv, result.exception)
            assert "Traceback" not in text, (argv, text)
            seen.append((argv[0], *sorted(codes)))
        folder = runner.invoke(app, ["convert", str(places["folder"]), "--profile", "blind"]).output
    finally:
        get_settings.cache_clear()
    found = {code for _command, *codes in seen for code in codes}
    expected = {
        "cli.usage",
        "input.not_found",
        "input.is_folder",
        "input.not_a_folder",
        "input.unreadable",  # a named pipe given as FILE: said at once instead of waiting for a writer
        "output.not_a_folder",
    }
    assert expected | {"profile.not_found", "request.invalid"} <= found, found
    assert "inclusio batch" in " ".join(folder.split())  # a folder given to convert: use batch


def test_the_issues_example_in_a_real_process(places: dict[str, Path], tmp_path: Path) -> None:
    """`convert X.docx --out afile` (an existing file) ended in a traceback; the tests above run in-process."""
    env = {"INCLUSIO_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    argv = ["convert", str(DOCX), "--profile", "blind", "--out", str(places["file"])]
    run = subprocess.run(
        [sys.executable, "-m", "inclusio.cli", *argv], capture_output=True, text=True, env=env, timeout=120
    )
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert run.returncode == 2 and "[output.not_a_folder]" in run.stderr
    assert "fichier existant" in run.stderr  # the French message too
