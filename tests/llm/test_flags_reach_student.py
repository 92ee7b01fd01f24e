"""Flags made by the real pipeline reach the report and the student's copy (issue #11).

The Mistral path runs through the real SDK against the local server in its ``dropfacts`` mode: the
model's rewrites lose their numbers, the verifier refuses them, the offline result is used and flagged
(``adapt.model_fallback``). The report lists those flags; the HTML page says, in French, how many
passages a machine wrote and how many are flagged and unreviewed, and marks each in the text; once a
person has approved every passage, rendering the reviewed document again says they are all reviewed.
"""

from __future__ import annotations

import re
from pathlib import Path

from mistral_server import MistralServer

from inclusio.api.review import approve_block, approve_term
from inclusio.auth.policy import Principal
from inclusio.config import Settings
from inclusio.model.flags import machine_passages, unreviewed_blocks
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
PDF = ROOT / "samples" / "cours-photosynthese-fr.pdf"
NOTE_FR = (
    "À vérifier : le passage suivant a été écrit par une machine et n'a pas encore été relu par une personne."
)


def test_fallback_flags_are_reported_said_and_marked_until_a_person_reviews(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        profiles_dir=PROFILES,
        validate_epub=False,
        quality_checks=False,
        engine="mistral",
        mistral_server_url=mistral_server.url,
        mistral_api_key="test-key",
        mistral_model_text="mistral-small+dropfacts",
        llm_timeout_s=5,
    )
    profile = load_profile("easy-read", PROFILES)
    result = run_job(PDF, profile, tmp_path / "out", settings=settings, outputs=["json", "html", "report"])
    assert result.status == "succeeded", result.errors
    doc = result.document
    assert doc is not None

    # The report: every flag with its block, kind, code, reasons, engine and review state; the summary.
    review = result.report["review"]
    fallback = [e for e in review["blocks"] if e["code"] == "adapt.model_fallback"]
    assert fallback, review["summary"]
    assert all(
        e["kind"] == "easy_read"
        and e["engine"] == "offline"
        and not e["reviewed"]
        and e["reason"]
        and e["reason_fr"]
        for e in fallback
    )
    assert review["summary"]["by_code"]["adapt.model_fallback"] == len(fallback)
    flagged = unreviewed_blocks(doc)
    assert review["summary"]["unreviewed_blocks"] == len(flagged) >= len({e["block_id"] for e in fallback})

    # The HTML page: the sentence with the counts of the document as rendered, and one note per flagged passage.
    page = result.artifact("html").path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    counts = machine_passages(doc, profile.adaptation_kinds)
    assert counts["flagged"] == len(flagged) > 1 and counts["machine"] > counts["flagged"]
    sentence = (
        f"Ce document contient {counts['machine']} passages écrits par une machine ; {counts['flagged']} "
        "n'ont pas encore été relus par une personne et ils sont signalés dans le texte."
    )
    footer = re.search(r'<footer><p class="provenance">(.*?)</p></footer>', page, re.S)
    assert footer and sentence.replace("'", "&#x27;") in footer.group(1), (
        footer.group(1) if footer else page[-800:]
    )
    assert page.count('<p class="unreviewed-note">') == counts["flagged"]
    assert page.count(NOTE_FR.replace("'", "&#x27;")) == counts["flagged"]

    # A person approves every passage; the reviewed document rendered again (as a release does) says so.
    who = Principal(id="s", username="staff1", role="staff", institution="default")
    for block in doc.blocks:
        for kind in profile.adaptation_kinds:  # the rewrite, key points, alt texts: every passage shown
            if block.adaptation(kind) is not None:
                approve_block(doc, block.id, kind, who)
    # ... and the glossary's flagged machine definitions (the acronym lexicon's meanings carry their own flag).
    for entry in list(doc.glossary):
        if entry.flags and entry.definition and not entry.provenance.reviewed_by:
            approve_term(doc, entry.term, who)
    again = run_job(
        PDF, profile, tmp_path / "released", settings=settings, outputs=["html", "report"], document=doc
    )
    assert again.status == "succeeded", again.errors
    page = again.artifact("html").path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    footer = re.search(r'<footer><p class="provenance">(.*?)</p></footer>', page, re.S)
    assert footer and (
        f"Ce document contient {counts['machine']} passages écrits par une machine ; tous ont été "
        "relus par une personne."
    ) in footer.group(1), footer.group(1) if footer else page[-800:]
    assert 'class="unreviewed-note"' not in page
    summary = again.report["review"]["summary"]
    assert summary["unreviewed_blocks"] == 0 and summary["by_code"]["adapt.model_fallback"] == len(fallback)
