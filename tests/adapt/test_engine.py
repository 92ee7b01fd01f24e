"""adapt_document: offline by default, Mistral when configured; provenance, cache, fallbacks, injection."""

from __future__ import annotations

from pathlib import Path

import pytest
from course import INJECTION, course
from mistral_server import MistralServer

from inclusio.adapt.engine import adapt_document
from inclusio.config import Settings
from inclusio.model.document import Document, Figure, Paragraph
from inclusio.model.view import reading_blocks
from inclusio.profiles import load_profile

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
STAMP = "2024-09-02T08:00:00+00:00"


def _mistral(server: MistralServer, tmp_path: Path, **extra: object) -> Settings:
    return Settings(
        data_dir=tmp_path,
        engine="mistral",
        mistral_server_url=server.url,
        mistral_api_key="k",
        llm_timeout_s=2,
        **extra,
    )


def _texts(doc: Document, kind: str, block_id: str) -> list[str]:
    adaptation = doc.find(block_id).adaptation(kind)
    assert adaptation is not None, f"no {kind} adaptation on {block_id}"
    return [b.plain_text() for b in adaptation.blocks]


# -- offline (the default) ---------------------------------------------------------------------------


def test_offline_is_the_default_and_labels_everything_it_makes(tmp_path: Path) -> None:
    result = adapt_document(
        course(), load_profile("easy-read", PROFILES), Settings(data_dir=tmp_path), created_at=STAMP
    )
    doc = result.document
    assert result.stats["engine"] == "offline" and "llm" not in result.stats
    assert not (tmp_path / "llm-cache.sqlite3").exists()  # no model, no cache
    adaptations = [a for b in doc.blocks for a in b.adaptations]
    assert {a.kind for a in adaptations} == {"easy_read", "summary", "alt_text"}
    assert all(a.provenance.engine == "offline" and a.provenance.created_at == STAMP for a in adaptations)
    assert _texts(doc, "easy_read", "p4")[:2] == [
        "Les produits de la réaction sont :",
        "le glucose\nle dioxygène\nl'eau",
    ]


def test_offline_writes_out_acronyms_the_document_defines(tmp_path: Path) -> None:
    doc = course()
    doc.blocks.insert(
        1, Paragraph(id="p0", text="L'Organisation mondiale de la santé (OMS) suit la qualité de l'air.")
    )
    doc.blocks.insert(2, Paragraph(id="p00", text="L'OMS publie un rapport chaque année."))
    result = adapt_document(doc, load_profile("easy-read", PROFILES), Settings(data_dir=tmp_path))
    assert _texts(result.document, "easy_read", "p00") == [
        "L'Organisation mondiale de la santé (OMS) publie un rapport chaque année."
    ]
    assert (
        "wrote out OMS from the document's own definition"
        in result.document.find("p00").adaptation("easy_read").notes
    )
    oms = next(e for e in result.document.glossary if e.term == "OMS")
    assert oms.definition == "Organisation mondiale de la santé" and oms.origin == "document"
    assert result.stats["acronyms"] == ["OMS"]


def test_offline_glossary_uses_the_documents_own_definitions_and_flags_the_rest(tmp_path: Path) -> None:
    glossary = adapt_document(
        course(), load_profile("easy-read", PROFILES), Settings(data_dir=tmp_path)
    ).document.glossary
    by_term = {e.term: e for e in glossary}
    assert by_term["chlorophylle"].definition == "Le pigment vert qui capte la lumière du Soleil."
    assert by_term["chlorophylle"].origin == "document" and by_term["chlorophylle"].blocks == ["p1"]
    assert by_term["amidon"].definition is None and by_term["amidon"].origin == "frequency"
    assert "lumière" not in by_term and "plante" not in by_term  # everyday words
    assert all(e.provenance.engine == "offline" for e in glossary)


def test_offline_alt_text_from_caption_and_ocr_needs_review(tmp_path: Path) -> None:
    doc = adapt_document(course(), load_profile("blind", PROFILES), Settings(data_dir=tmp_path)).document
    chart = doc.find("f1").adaptation("alt_text")
    assert chart.blocks[0].alt == "Courbe de production de dioxygène au cours de la journée"
    assert any("needs review" in n for n in chart.notes)
    text_image = doc.find("f2").adaptation("alt_text").blocks[0]
    assert isinstance(text_image, Figure) and "glucose" in (text_image.long_description or "")
    assert doc.find("f3").adaptations == []  # the author's alt text is kept


def test_plain_level_offline_says_words_were_not_simplified(tmp_path: Path) -> None:
    result = adapt_document(course(), load_profile("adhd", PROFILES), Settings(data_dir=tmp_path))
    adaptation = result.document.find("p1").adaptation("plain")
    assert adaptation is not None and any("words not simplified" in n for n in adaptation.notes)
    summary = result.document.find("h2").adaptation("summary")
    assert summary is not None and summary.blocks[0].id == "h2" and "extractive" in summary.notes[0]


def test_mistral_without_key_or_server_stays_offline_and_says_so(tmp_path: Path) -> None:
    result = adapt_document(
        course(),
        load_profile("easy-read", PROFILES),
        Settings(data_dir=tmp_path, engine="mistral", mistral_api_key=None, mistral_server_url=None),
    )
    assert result.stats["engine"] == "offline"
    assert [w["code"] for w in result.warnings] == ["llm.not_configured"]


def test_fle_offline_reports_that_translation_needs_the_model(tmp_path: Path) -> None:
    result = adapt_document(course(), load_profile("fle", PROFILES), Settings(data_dir=tmp_path))
    assert "adapt.translation_unavailable" in [w["code"] for w in result.warnings]
    assert result.document.glossary  # the rest was still done


# -- Mistral (local server) ---------------------------------------------------------------------------


def test_mistral_adaptations_record_their_provenance(mistral_server: MistralServer, tmp_path: Path) -> None:
    result = adapt_document(
        course(), load_profile("easy-read", PROFILES), _mistral(mistral_server, tmp_path), created_at=STAMP
    )
    doc = result.document
    adaptation = doc.find("p3").adaptation("easy_read")
    assert adaptation.provenance.model_dump(exclude_none=True) == {
        "engine": "mistral",
        "pass_name": "easy_read",
        "model": "mistral-small-latest",
        "prompt_version": "easy_read-4",
        "created_at": STAMP,
    }
    assert doc.find("f1").adaptation("alt_text").provenance.model == "pixtral-12b-latest"
    assert doc.find("h2").adaptation("summary").provenance.prompt_version == "summary-2"
    # The symbols the course never defines ("CO2", "O2"...) get the acronym lexicon's meaning, not the model's.
    assert {e.origin for e in doc.glossary} == {"document", "model", "lexicon"}
    assert all(e.provenance.engine == "offline" for e in doc.glossary if e.origin == "lexicon")
    llm = result.stats["llm"]
    assert llm["calls"] == len(mistral_server.calls()) + len(mistral_server.calls("/v1/ocr"))
    assert llm["prompt_tokens"] > llm["source_tokens"] > 0 and result.warnings == []


def test_a_rerun_and_a_second_learner_with_the_same_settings_cost_no_call(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = _mistral(mistral_server, tmp_path)
    first = adapt_document(course(), load_profile("easy-read", PROFILES), settings)
    calls = len(mistral_server.requests)
    assert calls > 0
    again = adapt_document(course(), load_profile("easy-read", PROFILES), settings)
    assert len(mistral_server.requests) == calls and again.stats["llm"]["calls"] == 0
    assert again.stats["llm"]["cache_hits"] > 0
    assert (
        again.document.find("p3").adaptation("easy_read").provenance
        == first.document.find("p3").adaptation("easy_read").provenance
    )  # same answer, same record
    # A learner = easy-read + a bigger font: fonts do not change the text, so nothing is asked again.
    (tmp_path / "lea.yaml").write_text(
        "base: easy-read\nname: {fr: Léa, en: Léa}\nreading: {font_size_rem: 1.6}\n", encoding="utf-8"
    )
    adapt_document(course(), load_profile("lea", tmp_path), settings)
    assert len(mistral_server.requests) == calls
    # A changed sentence limit changes the rewrite: only the rewrite is asked again.
    (tmp_path / "max.yaml").write_text(
        "base: easy-read\nname: {fr: M, en: M}\nadaptation: {max_sentence_words: 10}\n", encoding="utf-8"
    )
    adapt_document(course(), load_profile("max", tmp_path), settings)
    assert {r["body"]["messages"][0]["content"][:11] for r in mistral_server.requests[calls:]} == {
        "You rewrite"
    }


def test_retries_are_transparent_to_the_result(mistral_server: MistralServer, tmp_path: Path) -> None:
    settings = _mistral(mistral_server, tmp_path, mistral_model_text="flaky429-1+flaky500-1")
    result = adapt_document(course(), load_profile("adhd", PROFILES), settings)
    assert result.warnings == [] and result.stats["llm"]["retries"] >= 1
    assert result.document.find("p1").adaptation("plain").provenance.engine == "mistral"


def test_an_invalid_answer_is_asked_again_once_then_offline_and_flagged(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = _mistral(mistral_server, tmp_path, mistral_model_text="badjson")
    result = adapt_document(course(), load_profile("easy-read", PROFILES), settings)
    adaptation = result.document.find("p4").adaptation("easy_read")
    assert adaptation.provenance.engine == "offline"
    assert any("llm.answer_invalid" in n and "needs review" in n for n in adaptation.notes)
    warning = next(w for w in result.warnings if w["pass"] == "easy_read")
    assert warning["code"] == "llm.answer_invalid" and "p4" in warning["blocks"]
    rewrite_calls = [
        r for r in mistral_server.calls() if r["body"]["messages"][0]["content"].startswith("You rewrite")
    ]
    assert len(rewrite_calls) == 2  # one batch, asked again once


def test_an_answer_that_drops_numbers_is_refused(mistral_server: MistralServer, tmp_path: Path) -> None:
    settings = _mistral(mistral_server, tmp_path, mistral_model_text="dropfacts")
    result = adapt_document(course(), load_profile("easy-read", PROFILES), settings)
    p2 = result.document.find("p2").adaptation("easy_read")
    assert p2.provenance.engine == "offline" and "31" in " ".join(b.plain_text() for b in p2.blocks)
    reasons = next(w for w in result.warnings if w["code"] == "llm.answer_invalid")
    assert "the number 31 ('31 %') is missing" in str(reasons)  # the verifier names the fact
    # p1 has no number: the model's answer stands
    assert result.document.find("p1").adaptation("easy_read").provenance.engine == "mistral"


def test_an_unreachable_server_falls_back_for_every_pass(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        engine="mistral",
        mistral_server_url="http://127.0.0.1:9",
        llm_max_attempts=2,
        llm_timeout_s=1,
    )
    result = adapt_document(course(), load_profile("easy-read", PROFILES), settings)
    assert result.stats["llm"]["calls"] <= 3 * 2  # the circuit opened after 3 failed calls
    assert {w["code"] for w in result.warnings} == {"llm.unavailable"}
    assert result.document.find("p4").adaptation("easy_read").provenance.engine == "offline"
    assert result.document.find("f1").adaptation("alt_text") is not None


def test_instructions_inside_the_document_are_data_not_orders(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    settings = _mistral(mistral_server, tmp_path, mistral_model_text="inject", mistral_model_vision="inject")
    result = adapt_document(course(injection=True), load_profile("easy-read", PROFILES), settings)
    rewrite = [
        r for r in mistral_server.calls() if r["body"]["messages"][0]["content"].startswith("You rewrite")
    ]
    system, user = (m["content"] for m in rewrite[0]["body"]["messages"][:2])
    assert "PIRATÉ" not in system and system.startswith("You rewrite")  # the instructions are the prompt file
    data = user.split("<<<DATA\n", 1)[1]
    assert INJECTION.replace("« ", "").split(" ")[0] in data and user.index("Ignore") > user.index("<<<DATA")
    # The compromised model obeyed: its answer is refused, the block keeps its real content, flagged.
    px = result.document.find("px").adaptation("easy_read")
    shown = " ".join(b.plain_text() for b in px.blocks)
    assert "PIRATÉ »" in shown and "stomates" in shown and shown.strip() != "PIRATÉ"
    assert px.provenance.engine == "offline" and any("needs review" in n for n in px.notes)
    assert not any(b.plain_text() == "PIRATÉ" for b in reading_blocks(result.document, ("easy_read",)))


def test_alt_text_from_the_vision_model_and_ocr_for_an_image_of_text(
    mistral_server: MistralServer, tmp_path: Path
) -> None:
    doc = course()
    doc.find("f2").caption = "Texte des étapes"  # type: ignore[union-attr]
    result = adapt_document(doc, load_profile("blind", PROFILES), _mistral(mistral_server, tmp_path))
    chart = result.document.find("f1").adaptation("alt_text").blocks[0]
    assert isinstance(chart, Figure) and chart.alt and not chart.decorative
    assert "Heure | Dioxygène (mL)" in (chart.long_description or "")  # extended detail: data table
    [vision] = [
        r
        for r in mistral_server.calls()
        if r["body"]["messages"][0]["content"].startswith("You describe") and "Courbe" in str(r["body"])
    ]
    user = vision["body"]["messages"][1]["content"]
    assert user[1]["type"] == "image_url" and user[1]["image_url"].startswith("data:image/png;base64,")
    assert '"course":"La photosynthèse"' in user[0]["text"] and "chloroplastes" not in user[0]["text"]
    text_image = result.document.find("f2").adaptation("alt_text")
    assert text_image.blocks[0].long_description == mistral_server.ocr_text
    assert len(mistral_server.calls("/v1/ocr")) == 1
    assert result.document.find("f3").adaptations == []


def test_fle_translation_and_bilingual_glossary(mistral_server: MistralServer, tmp_path: Path) -> None:
    result = adapt_document(course(), load_profile("fle", PROFILES), _mistral(mistral_server, tmp_path))
    p5 = result.document.find("p5").adaptation("translation")
    assert p5.lang == "en" and p5.blocks[0].lang == "en" and "1779" in p5.text
    heading = result.document.find("h2").adaptation("translation").blocks[0]
    assert heading.id == "h2"
    by_term = {e.term: e for e in result.document.glossary}
    assert by_term["chlorophylle"].translations == {"en": "chlorophyll"}
    assert by_term["chlorophylle"].origin == "document"  # the document's definition wins
    # parallel mode: the reader still reads French
    assert "translation" not in load_profile("fle", PROFILES).adaptation_kinds


@pytest.mark.parametrize("profile", ["easy-read", "adhd", "fle", "blind", "dyslexia", "low-vision"])
def test_every_profile_round_trips_through_json(profile: str, tmp_path: Path) -> None:
    doc = adapt_document(course(), load_profile(profile, PROFILES), Settings(data_dir=tmp_path)).document
    assert Document.from_json(doc.to_json()) == doc
