"""Every pass, through the real mistralai SDK and the local Mistral-protocol server, against perturbed answers.

The server answers faithfully, or perturbed when the pass's model name asks for it (``p_<kind>``,
tests/llm/perturbations.py). For each pass and each kind of perturbation: every output that differs
from the faithful run's is flagged (refused twice -> offline result + ``adapt.model_fallback``, or an
accepted text with its findings as flags), and at least one output was perturbed. The faithful run
is accepted. Then: the repair request names the finding, a repaired answer is used without a flag,
and the review's "regenerate one block" goes through the same verifier.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from course import course
from mistral_server import MistralServer

from inclusio.adapt.engine import adapt_document
from inclusio.analysis.faithfulness import adaptation_text
from inclusio.api.review import regenerate_block
from inclusio.config import Settings
from inclusio.model.document import Document, Figure, Flag, Heading, Paragraph, SourceInfo
from inclusio.profiles import load_profile

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
PASSES: dict[str, tuple[str, str]] = {
    "easy_read": ("easy-read", "easy_read"),
    "plain": ("adhd", "plain"),
    "summary": ("adhd", "summary"),
    "glossary": ("easy-read", "glossary"),
    "alt_text": ("blind", "alt_text"),
    "translation": ("fle", "translation"),
}
"""Pass (= the model setting's key) -> (profile, adaptation kind)."""
COMMON = ["number_one", "date_shift", "entity_swap", "invented_fig", "invented", "instruction", "link"]
MATRIX = (
    [(p, k) for p in ("easy_read", "plain") for k in [*COMMON, "entity_drop"]]
    + [(p, k) for p in ("summary", "glossary", "alt_text") for k in COMMON]
    + [("translation", k) for k in COMMON if k != "invented"]
    + [("translation", "untranslated")]
)
"""Not here, by design (docs/quality.md): an entity dropped from key points, a definition or an alt text
(they leave facts out on purpose); an invented sentence without figures in a translation (its words are
not compared with the source's: measured by bench/verify.py)."""


def _settings(server: MistralServer, data_dir: Path, models: dict[str, str] | None = None) -> Settings:
    return Settings(
        data_dir=data_dir,
        engine="mistral",
        mistral_server_url=server.url,
        mistral_api_key="k",
        llm_timeout_s=5,
        mistral_pass_models=models or {},
    )


def _outputs(doc: Document, kind: str) -> dict[str, tuple[str, list[Flag], str]]:
    """What the pass made, by block id (or glossary term): (text, flags, engine)."""
    if kind == "glossary":
        return {e.term: (e.definition or "", e.flags, e.provenance.engine) for e in doc.glossary}
    out: dict[str, tuple[str, list[Flag], str]] = {}
    for block in doc.blocks:
        adaptation = block.adaptation(kind)
        if adaptation is None:
            continue
        text = adaptation_text(adaptation)
        if kind == "alt_text" and adaptation.blocks and isinstance(adaptation.blocks[0], Figure):
            figure = adaptation.blocks[0]
            text = f"{figure.alt}\n{figure.long_description or ''}"
        out[block.id] = (text, adaptation.flags, adaptation.provenance.engine)
    return out


def _course() -> Document:
    doc = course()
    doc.find("f2").caption = "Expérience de Jan Ingenhousz (1779)"  # type: ignore[union-attr]  # a name, a year
    # A rare noun next to figures, so the glossary pass has a definition with a number and a year to
    # perturb (glossary terms are nouns only: the participle "émergées" of p2 is not one any more).
    doc.find("p2").text += " Le reboisement y ajoute 7 millions d'hectares par an depuis 2010."  # type: ignore[union-attr]
    return doc


def _run(server: MistralServer, data_dir: Path, pass_name: str, model: str | None = None) -> Document:
    profile = load_profile(PASSES[pass_name][0], PROFILES)
    if pass_name == "glossary":  # a term whose sentence holds a year and a name: "En 1779, Jan Ingenhousz..."
        profile = profile.model_copy(
            update={"glossary": profile.glossary.model_copy(update={"course_terms": ["résultats"]})}
        )
    models = {pass_name: model} if model else None
    return adapt_document(_course(), profile, _settings(server, data_dir, models)).document


@pytest.fixture(scope="module")
def faithful(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, tuple[str, list[Flag], str]]]:
    with MistralServer() as server:
        return {
            p: _outputs(_run(server, tmp_path_factory.mktemp(p), p), kind) for p, (_, kind) in PASSES.items()
        }


@pytest.mark.parametrize("pass_name", list(PASSES))
def test_faithful_answers_are_accepted(faithful: dict[str, Any], pass_name: str) -> None:
    outputs = faithful[pass_name]
    assert outputs
    model_made = {k: v for k, v in outputs.items() if v[2] == "mistral"}
    assert model_made, f"no model answer kept in {pass_name}"
    for key, (_, flags, _) in model_made.items():
        # A chart's data table read from the image is always flagged; nothing else is.
        assert [f.code for f in flags if f.code != "verify.unverifiable_data"] == [], (key, flags)


@pytest.mark.parametrize(("pass_name", "kind"), MATRIX)
def test_each_perturbation_is_caught_in_each_pass(
    faithful: dict[str, Any], pass_name: str, kind: str, mistral_server: MistralServer, tmp_path: Path
) -> None:
    outputs = _outputs(_run(mistral_server, tmp_path, pass_name, f"p_{kind}"), PASSES[pass_name][1])
    reference = faithful[pass_name]
    changed = 0
    for key, (text, flags, _engine) in outputs.items():
        if text == reference.get(key, ("",))[0]:
            continue  # not touched (no number, no name... to perturb; a definition the document gives)
        changed += 1
        assert [f for f in flags if f.code != "verify.unverifiable_data"], (
            f"{kind} in {pass_name}/{key} reached the reader unflagged: {text!r}"
        )
    assert changed, f"the server's {kind} perturbation changed nothing in {pass_name}"


EQUATION = "Bilan : la plante absorbe 6 CO2 et 6 H2O, et rejette 6 O2 et une molécule de glucose C6H12O6."


def _equation_doc() -> Document:
    return Document(
        title="Photosynthèse",
        lang="fr",
        source=SourceInfo(filename="c.pdf", media_type="application/pdf", sha256="1" * 64),
        blocks=[Heading(id="h1", level=1, text="Photosynthèse"), Paragraph(id="p1", text=EQUATION)],
    )


def _rewrite_calls(server: MistralServer) -> list[dict[str, Any]]:
    return [r for r in server.calls() if r["body"]["messages"][0]["content"].startswith("You rewrite")]


def test_the_repair_request_names_the_finding_and_the_repaired_answer_is_used(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = _settings(mistral_server, tmp_path, {"easy_read": "p_number_one-1"})
    doc = adapt_document(_equation_doc(), load_profile("easy-read", PROFILES), settings).document
    first, second = _rewrite_calls(mistral_server)
    assert "REFUSED" not in first["body"]["messages"][1]["content"]
    user = second["body"]["messages"][1]["content"]
    assert re.search(r"the number 6 in '6 (CO2|H2O|O2)' became 7", user), user
    assert user.index("REFUSED") > user.index("DATA>>>")  # the findings follow the data, never inside it
    adaptation = doc.find("p1").adaptation("easy_read")
    assert adaptation.provenance.engine == "mistral" and adaptation.flags == []
    assert "6 CO2" in adaptation_text(adaptation) and "7" not in adaptation_text(adaptation)


def test_an_answer_refused_twice_falls_back_to_the_offline_result_and_is_flagged(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = _settings(mistral_server, tmp_path, {"easy_read": "p_number_one"})
    result = adapt_document(_equation_doc(), load_profile("easy-read", PROFILES), settings)
    assert len(_rewrite_calls(mistral_server)) == 2  # asked again once, not more
    adaptation = result.document.find("p1").adaptation("easy_read")
    assert adaptation.provenance.engine == "offline" and adaptation.needs_review
    [flag] = [f for f in adaptation.flags if f.code == "adapt.model_fallback"]
    assert re.search(r"the number 6 in '6 (CO2|H2O|O2)' became 7", flag.reason)
    assert flag.reason_fr and "réponse du modèle" in flag.reason_fr
    assert "6 CO2" in adaptation_text(adaptation)
    assert any(w["code"] == "llm.answer_invalid" and "p1" in w["blocks"] for w in result.warnings)


def test_an_injected_instruction_obeyed_by_the_model_never_reaches_the_key_points_or_the_glossary(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = _settings(mistral_server, tmp_path, {"summary": "p_link", "glossary": "p_instruction"})
    doc = adapt_document(course(), load_profile("easy-read", PROFILES), settings).document
    for block in doc.blocks:
        summary = block.adaptation("summary")
        if summary is not None:
            assert "http" not in (summary.text or "") and "example.net" not in (summary.text or "")
    for entry in doc.glossary:
        assert "cliquez" not in (entry.definition or "").lower() and "inscrivez" not in (
            entry.definition or ""
        )
        if entry.origin == "lexicon":  # not asked of the model: the lexicon's meaning, flagged for staff
            assert [f.code for f in entry.flags] == ["glossary.lexicon"]
        elif entry.origin != "model" and entry.flags:
            assert entry.flags[0].code == "adapt.model_fallback"
    assert any(f.code == "adapt.model_fallback" for e in doc.glossary for f in e.flags)


def test_offline_outputs_are_verified_and_a_faithful_offline_draft_has_no_flag(tmp_path: Path) -> None:
    result = adapt_document(course(), load_profile("easy-read", PROFILES), Settings(data_dir=tmp_path))
    made = [a for b in result.document.blocks for a in b.adaptations]
    assert made and all(a.provenance.engine == "offline" for a in made)
    assert [(a.kind, f.reason) for a in made for f in a.flags] == []


def test_regenerating_one_block_goes_through_the_verifier(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    doc = _equation_doc()
    profile = load_profile("easy-read", PROFILES)
    fresh = regenerate_block(
        doc, "p1", "easy_read", profile, _settings(mistral_server, tmp_path, {"easy_read": "p_invented_fig"})
    )
    assert fresh is not None and fresh.provenance.engine == "offline"
    assert [f.code for f in fresh.flags] == ["adapt.model_fallback"]
    assert "1987" not in adaptation_text(fresh) and doc.find("p1").adaptation("easy_read") == fresh
