"""The CLI's help names the input formats of the converter registry (not a list of its own)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from inclusio.cli import app
from inclusio.converters.registry import CONVERTERS, formats_label


@pytest.mark.parametrize("command", ["convert", "score"])
def test_file_help_lists_every_registered_format(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "400", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert formats_label("en") in text
    assert all(converter.label in text for converter in CONVERTERS)


@pytest.mark.parametrize("command", ["convert", "batch"])
def test_to_help_lists_every_output_of_the_writer_registry(command: str) -> None:
    """`--help` listed 5 of the 7 outputs (issue 17): it now names the writer registry's, report included."""
    from inclusio.profiles import ALL_OUTPUTS
    from inclusio.writers.registry import output_names

    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "400", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert f"outputs among {', '.join(output_names())}" in text
    assert set(output_names()) == set(
        ALL_OUTPUTS
    )  # every output `--to` accepts has a writer (or is the report)
