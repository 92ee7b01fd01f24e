"""Run DAISY Ace 1.4.6 (the ``@daisy/ace-cli`` npm package) on an EPUB, and add the conformance claim.

Ace checks accessibility (EPUBCheck checks the format, see :mod:`inclusio.validate.epubcheck`). It
runs axe-core in a headless Chromium: Debian's ``chromium-headless-shell`` (or ``chromium``), never a
browser Puppeteer downloads (STANDARDS §2), one content document at a time (:data:`DOCUMENTS_AT_ONCE`). Ace is installed in the checkout's ``tools/ace/`` (``package.json`` and
``package-lock.json`` committed, ``node_modules`` not)::

    cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci

The conformance claim (``dcterms:conformsTo`` = ``EPUB Accessibility 1.1 - WCAG 2.1 Level AA`` and
``a11y:certifiedBy``) is written **only** by :func:`check_and_claim`, after the book passed EPUBCheck
and Ace with no violation, and only when the deploying organisation is configured
(``INCLUSIO_ORGANISATION``): an Ace pass is necessary, not sufficient, and the organisation that sets
its name takes responsibility for the claim. The claim is added to the finished book (its OPF is
rewritten in place), so the book that was checked and the book delivered differ only by three
metadata lines.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inclusio.errors import StageError, ToolMissing

if TYPE_CHECKING:
    from inclusio.config import Settings

ACE_VERSION = "1.4.6"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
DEFAULT_TIMEOUT_S = 300.0
"""Upper bound for one run (Ace opens every XHTML file of the book in Chromium)."""

_CHECKOUT = Path(__file__).resolve().parents[3]
_LOCAL_ACE = _CHECKOUT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
_IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass(frozen=True)
class AceResult:
    """What Ace said about one book.

    ``violations`` has one entry per failed rule and location: ``rule`` (``image-alt``,
    ``epub-lang``...), ``impact`` (``minor`` ... ``critical``), ``description``, ``file`` and
    ``pointer`` (a CSS selector or CFI). ``missing_metadata`` is Ace's list of absent
    accessibility metadata (the claim fields are always missing before :func:`check_and_claim`).
    """

    outcome: str
    violations: list[dict[str, str]] = field(default_factory=list)
    missing_metadata: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Ace's own verdict (``earl:outcome`` = ``pass``) and no violation: the CI gate."""
        return self.outcome == "pass" and not self.violations

    def by_impact(self) -> dict[str, int]:
        counts = Counter(v["impact"] for v in self.violations)
        return {impact: counts[impact] for impact in _IMPACTS if counts[impact]}


def _missing(what: str) -> ToolMissing:
    return ToolMissing(
        f"DAISY Ace cannot run: {what}. Install Chromium (Debian: apt-get install chromium-headless-shell, "
        "or chromium) and Ace "
        "(cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci), or run scripts/setup.sh.",
        message_fr=(
            f"DAISY Ace ne peut pas être lancé : {what}. Installez Chromium (Debian : apt-get install "
            "chromium-headless-shell, ou chromium) et Ace (cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci), "
            "ou lancez scripts/setup.sh."
        ),
        details={"tool": "ace", "debian_packages": ["chromium-headless-shell", "nodejs", "npm"]},
    )


def ace_command() -> list[str]:
    """The command that starts ``ace-cli``: the checkout's ``tools/ace`` copy, else one on ``PATH``."""
    if _LOCAL_ACE.is_file():
        node = shutil.which("node")
        if node is None:
            raise _missing("'node' is not on PATH")
        return [str(_LOCAL_ACE)]
    on_path = shutil.which("ace-cli") or shutil.which("ace")
    if on_path is None:
        raise _missing(f"{_LOCAL_ACE} does not exist and no 'ace-cli' is on PATH")
    return [on_path]


def chromium_path() -> str:
    """Debian's headless Chromium (``chromium-headless-shell``, the same engine without the browser's user
    interface: about 200 MiB less per run on a 265-page book), else ``chromium``, ``chromium-browser`` or
    Chrome on ``PATH``."""
    for name in ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise _missing("no 'chromium' on PATH")


DOCUMENTS_AT_ONCE = 1
"""Content documents Ace checks at the same time, each in its own Chromium page (Ace's own default is 4).
One at a time keeps Chromium at one renderer: on the 265-page manual Ace's processes peaked at 996 MiB
with 4 (Chromium 860 MiB) and 518 MiB with 1 and ``chromium-headless-shell`` (``bench/job.py``,
docs/audio.md); the checks and the report are the same, only slower on a many-core machine."""

_ONE_AT_A_TIME = """'use strict';
// Preloaded into ace-cli's Node (node --require): how many content documents Ace checks at once.
try {
  const { createRequire } = require('module');
  const path = require('path');
  const load = createRequire(path.resolve(process.argv[1]));
  load('@daisy/ace-axe-runner-puppeteer').concurrency = parseInt(process.env.INCLUSIO_ACE_DOCUMENTS, 10);
} catch (error) {
  // Another Ace layout: it runs with its own default.
}
"""


def _node_command(command: list[str], folder: Path) -> list[str]:
    """``command`` run by Node with :data:`_ONE_AT_A_TIME` preloaded (written into ``folder``)."""
    node = shutil.which("node")
    if node is None:
        return command
    preload = folder / "documents-at-once.js"
    preload.write_text(_ONE_AT_A_TIME, encoding="utf-8")
    return [node, "--require", str(preload), str(Path(command[0]).resolve()), *command[1:]]


def parse_report(data: dict[str, Any]) -> AceResult:
    """An :class:`AceResult` from Ace's ``report.json`` (EARL JSON-LD)."""
    violations: list[dict[str, str]] = []
    for document in data.get("assertions", []) or []:
        subject = str((document.get("earl:testSubject") or {}).get("url", ""))
        for assertion in document.get("assertions", []) or []:
            result = assertion.get("earl:result") or {}
            if result.get("earl:outcome") != "fail":
                continue
            test = assertion.get("earl:test") or {}
            pointer = result.get("earl:pointer") or {}
            css = pointer.get("css") or pointer.get("cfi") or ""
            violations.append(
                {
                    "rule": str(test.get("dct:title", "")),
                    "impact": str(test.get("earl:impact", "unknown")),
                    "description": str(result.get("dct:description", "")).strip(),
                    "file": subject,
                    "pointer": ", ".join(css) if isinstance(css, list) else str(css),
                }
            )
    outcome = str((data.get("earl:result") or {}).get("earl:outcome", "fail"))
    missing = list((data.get("a11y-metadata") or {}).get("missing", []) or [])
    return AceResult(outcome=outcome, violations=violations, missing_metadata=missing)


def check_epub_ace(path: Path | str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> AceResult:
    """Run ``ace-cli -f -s -o <tmp> <path>`` with Debian's Chromium and read ``report.json``.

    Raises :class:`ToolMissing` when Node, Ace or Chromium is missing, and :class:`StageError`
    when Ace times out or writes no report. A book with violations is a normal result: check
    :attr:`AceResult.passed`.
    """
    command = ace_command()
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium_path(), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    book = Path(path).resolve()  # Ace runs in a temporary folder: a relative path would point nowhere
    if not book.is_file():
        raise StageError(
            f"Ace: {book} does not exist.",
            message_fr=f"Ace : {book} n'existe pas.",
            details={"path": str(book)},
        )
    with tempfile.TemporaryDirectory(prefix="ace-") as tmp:
        out = Path(tmp) / "report"
        # Ace (through Puppeteer) writes a profile and caches under HOME: keep them in the temp dir.
        env["HOME"] = tmp
        env["INCLUSIO_ACE_DOCUMENTS"] = str(DOCUMENTS_AT_ONCE)
        try:
            completed = subprocess.run(
                [*_node_command(command, Path(tmp)), "-f", "-s", "-o", str(out), str(book)],
                env=env,
                capture_output=True,
                timeout=timeout_s,
                check=False,
                cwd=tmp,
            )
        except subprocess.TimeoutExpired as exc:
            raise StageError(
                f"DAISY Ace took longer than {timeout_s:.0f} s on {book.name} and was stopped.",
                message_fr=f"DAISY Ace a dépassé {timeout_s:.0f} s sur {book.name} et a été arrêté.",
                details={"path": str(book), "timeout_s": timeout_s},
            ) from exc
        report = out / "report.json"
        if not report.is_file():
            tail = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip()[-1500:]
            raise StageError(
                f"DAISY Ace wrote no report (exit code {completed.returncode}): {tail}",
                message_fr=f"DAISY Ace n'a produit aucun rapport (code {completed.returncode}).",
                details={"path": str(book), "exit_code": completed.returncode},
            )
        data = json.loads(report.read_text(encoding="utf-8"))
    return parse_report(data)


# -- the claim --------------------------------------------------------------------------------

_OPF_NS = "http://www.idpf.org/2007/opf"
_NO_EVALUATION = {
    "Aucune évaluation de conformité n'a encore été faite.": "Conformité WCAG 2.1 AA déclarée par {org} le {date} après vérification par EPUBCheck et DAISY "
    "Ace {ace} (aucune violation).",
    "No conformance evaluation has been made yet.": "WCAG 2.1 AA conformance claimed by {org} on {date} after checks with EPUBCheck and DAISY Ace "
    "{ace} (no violation).",
}


def add_conformance_claim(path: Path, organisation: str, *, date: dt.date | None = None) -> None:
    """Add ``dcterms:conformsTo`` and ``a11y:certifiedBy`` to the EPUB at ``path`` (in place).

    The accessibility summary's "no conformance evaluation" sentence is replaced by who claimed
    conformance, when, and after which checks. Idempotent: a book that already has the claim is
    left as it is. Callers must only call this for a book that passed EPUBCheck and Ace (see
    :func:`check_and_claim`).
    """
    from lxml import etree

    from inclusio.writers.epub3 import OPF_PATH, rewrite_package

    organisation = " ".join(organisation.split())
    if not organisation:
        raise ValueError("organisation must not be empty")
    when = (date or dt.date.today()).isoformat()

    def claim(data: bytes) -> bytes:
        tree = etree.fromstring(data)
        metadata = tree.find(f"{{{_OPF_NS}}}metadata")
        assert metadata is not None
        props = {m.get("property") for m in metadata.iterfind(f"{{{_OPF_NS}}}meta")}
        if "dcterms:conformsTo" in props:
            return data
        for meta in metadata.iterfind(f"{{{_OPF_NS}}}meta[@property='schema:accessibilitySummary']"):
            text = meta.text or ""
            for old, new in _NO_EVALUATION.items():
                text = text.replace(old, new.format(org=organisation, date=when, ace=ACE_VERSION))
            meta.text = text
        for prop, value in (("dcterms:conformsTo", CONFORMS_TO), ("a11y:certifiedBy", organisation)):
            meta = etree.SubElement(metadata, f"{{{_OPF_NS}}}meta", {"property": prop})
            meta.text = value
        return etree.tostring(tree, xml_declaration=True, encoding="utf-8", pretty_print=True)

    rewrite_package(path, {OPF_PATH: claim})


def check_and_claim(path: Path, settings: Settings, *, epubcheck_valid: bool) -> dict[str, Any]:
    """The validate step for one EPUB: run Ace, and claim conformance when everything passed.

    Returns the report entry: ``ran``, ``outcome``, ``violations`` (count), ``by_impact``,
    ``messages`` (the first 20 violations) and ``claim`` (True when the claim was added, which
    needs ``epubcheck_valid``, an Ace pass and ``settings.organisation``). Raises like
    :func:`check_epub_ace`.
    """
    result = check_epub_ace(path)
    claimed = bool(
        result.passed and epubcheck_valid and settings.organisation and settings.organisation.strip()
    )
    if claimed:
        assert settings.organisation is not None
        add_conformance_claim(path, settings.organisation)
    return {
        "ran": True,
        "version": ACE_VERSION,
        "outcome": result.outcome,
        "violations": len(result.violations),
        "by_impact": result.by_impact(),
        "messages": result.violations[:20],
        "claim": claimed,
        "certified_by": settings.organisation if claimed else None,
    }


def violation_summary(result: AceResult) -> str:
    """``3 violation(s): image-alt (serious) x2, epub-lang (serious)`` for logs and errors."""
    counts = Counter((v["rule"], v["impact"]) for v in result.violations)
    parts = [f"{rule} ({impact})" + (f" x{n}" if n > 1 else "") for (rule, impact), n in counts.items()]
    return f"{len(result.violations)} violation(s): " + ", ".join(parts) if parts else "no violation"
