"""The French-as-a-foreign-language job, through the real SDK against the local Mistral-protocol server:
the EPUB and the HTML page show each translated block beside its French original (lang on each side),
a bilingual glossary, EPUBCheck and DAISY Ace at 0; a block whose translation failed stays French alone;
``replace`` mode shows the translation instead.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree, html
from mistral_server import MistralServer, _data

from inclusio.adapt.engine import adapt_document
from inclusio.config import Settings
from inclusio.model import Document, Heading, Paragraph, adapted_document, parallel_blocks
from inclusio.model.document import Adaptation, Provenance, SourceInfo
from inclusio.pipeline import run_job
from inclusio.pipeline.job import JobResult
from inclusio.profiles import Profile, load_profile

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

COURSE = """# La photosynthèse

La chlorophylle capte la lumière du Soleil dans les feuilles des plantes vertes.

Les forêts couvrent 31 % des terres émergées, soit 4 milliards d'hectares en 2020.

## Les besoins de la plante

La plante a besoin d'eau, de lumière et de dioxyde de carbone pour la photosynthèse.

Le stomate laisse entrer le gaz dans la feuille.
"""


def _settings(server: MistralServer, tmp_path: Path, **extra: object) -> Settings:
    # The translation model drops numbers ("dropfacts"): the paragraph with 31 %, 4 and 2020 is refused
    # twice and stays untranslated; the other blocks are translated.
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "profiles_dir": PROFILES,
        "quality_checks": False,
        "engine": "mistral",
        "mistral_server_url": server.url,
        "mistral_api_key": "test-key",
        "llm_timeout_s": 5,
        "mistral_pass_models": {"translation": "dropfacts"},
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


def _course(tmp_path: Path) -> Path:
    path = tmp_path / "cours-photosynthese.md"
    path.write_text(COURSE, encoding="utf-8")
    return path


def _translated(doc: Document) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Ids of the translated headings and paragraphs -> (French, English); ids of those left French."""
    done: dict[str, tuple[str, str]] = {}
    failed: list[str] = []
    for block in doc.blocks:
        if not isinstance(block, Heading | Paragraph):
            continue
        adaptation = block.adaptation("translation")
        if adaptation is None or not adaptation.blocks:  # refused: no translated block (or none at all)
            failed.append(block.id)
        else:
            done[block.id] = (block.text, adaptation.blocks[0].plain_text())
    return done, failed


def _shown(doc: Document, profile: Profile) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """The reader's view: ids of the elements shown with a translation -> (French, English) as shown (the
    French is the plain-language rewrite, B1), and the ids of the elements shown for the refused block."""
    view = adapted_document(doc, profile.adaptation_kinds, profile.parallel_kinds)
    _, failed = _translated(doc)
    pairs = {
        b.id: (b.plain_text(), parallel_blocks(b)[0].plain_text()) for b in view.blocks if parallel_blocks(b)
    }
    refused = [b.id for b in view.blocks if b.id == failed[0] or b.id.startswith(f"{failed[0]}.")]
    return pairs, refused


def _pair(root: etree._Element, block_id: str) -> tuple[etree._Element, etree._Element] | None:
    [element] = root.xpath("//*[@id=$i]", i=block_id)
    pair = element.getparent().getparent()
    if "parallel" not in (pair.get("class") or "").split():
        return None
    original, translation = list(pair)
    return original, translation


def _words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _translation_words(side: etree._Element) -> str:
    """The translated text of a pair's translation side (a "not reviewed" note may come before it)."""
    return " ".join(
        _words(p) for p in side.xpath(".//*[contains(concat(' ', @class, ' '), ' translation ')]")
    )


@pytest.fixture(scope="module")
def fle() -> Profile:
    return load_profile("fle", PROFILES)


@pytest.fixture(scope="module")
def parallel_job(tmp_path_factory: pytest.TempPathFactory, fle: Profile) -> tuple[JobResult, MistralServer]:
    tmp = tmp_path_factory.mktemp("fle")
    with MistralServer() as server:
        result = run_job(
            _course(tmp),
            fle,
            tmp / "out",
            settings=_settings(server, tmp),
            outputs=["epub", "html", "report"],
        )
        return result, server


def test_the_job_translates_through_the_sdk_and_keeps_the_refused_block_french(
    parallel_job: tuple[JobResult, MistralServer],
) -> None:
    result, server = parallel_job
    assert result.status == "succeeded", result.errors
    translate_calls = [
        r for r in server.calls() if r["body"]["messages"][0]["content"].startswith("You translate")
    ]
    assert translate_calls and all(r["model"] == "dropfacts" for r in translate_calls)
    done, failed = _translated(result.document)
    assert len(done) == 5 and len(failed) == 1  # 2 headings + 3 paragraphs translated
    assert "31 %" in result.document.find(failed[0]).plain_text()
    assert any(w.get("pass") == "translation" and failed[0] in w.get("blocks", []) for w in result.warnings)
    validation = result.report["validation"]
    assert validation["epubcheck"]["ran"] and validation["epubcheck"]["errors"] == 0
    assert validation["epubcheck"]["fatals"] == 0
    assert validation["ace"]["ran"] and validation["ace"]["violations"] == 0, validation["ace"]["messages"]


def test_the_epub_shows_each_translation_beside_its_original(
    parallel_job: tuple[JobResult, MistralServer], fle: Profile
) -> None:
    result, _ = parallel_job
    done, _ = _translated(result.document)
    pairs, refused = _shown(result.document, fle)
    assert sorted(english for _, english in pairs.values()) == sorted(english for _, english in done.values())
    with zipfile.ZipFile(result.artifact("epub").path) as book:
        names = sorted(n for n in book.namelist() if n.startswith("EPUB/part-"))
        parts = [etree.fromstring(book.read(name)) for name in names if name.endswith(".xhtml")]
        glossary = etree.fromstring(book.read("EPUB/glossary.xhtml"))
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
    by_id = {
        e.get("id"): part for part in parts for e in part.iter() if isinstance(e.tag, str) and e.get("id")
    }
    for block_id, (french, english) in pairs.items():
        pair = _pair(by_id[block_id], block_id)
        assert pair is not None, block_id
        original, translation = pair
        assert (original.get("lang"), original.get(XML_LANG)) == ("fr", "fr")
        assert (translation.get("lang"), translation.get(XML_LANG)) == ("en", "en")
        assert _words(original) == " ".join(french.split()) and _translation_words(translation) == " ".join(
            english.split()
        )
        assert english.startswith("[en] ")
    assert refused and all(_pair(by_id[i], i) is None for i in refused)
    toc = [_words(a) for a in nav.iter(f"{XHTML}a")]
    assert "La photosynthèse" in toc and not any(t.startswith("[en]") for t in toc)
    spans = {_words(s): s.get("lang") for s in glossary.iter(f"{XHTML}span") if s.get(XML_LANG)}
    assert spans.get("chlorophyll") == "en"


def test_the_html_page_shows_each_translation_beside_its_original(
    parallel_job: tuple[JobResult, MistralServer], fle: Profile
) -> None:
    result, _ = parallel_job
    pairs, refused = _shown(result.document, fle)
    assert len(pairs) == 5
    root = html.fromstring(result.artifact("html").path.read_bytes())
    for block_id, (french, english) in pairs.items():
        pair = _pair(root, block_id)
        assert pair is not None, block_id
        original, translation = pair
        assert original.get("lang") == "fr" and translation.get("lang") == "en"
        assert _words(original) == " ".join(french.split()) and _translation_words(translation) == " ".join(
            english.split()
        )
    assert refused and all(_pair(root, i) is None for i in refused)
    assert "31 %" in " ".join(_words(root.xpath("//*[@id=$i]", i=i)[0]) for i in refused)
    headings = root.xpath("//main//*[self::h1 or self::h2 or self::h3]")
    assert not any(_words(h).startswith("[en]") for h in headings)
    [word] = root.xpath("//dd[@class='glossary-translation']/span[@lang='en' and text()='chlorophyll']")
    dt = word.getparent().getprevious()
    assert dt.tag == "dt" and _words(dt).lower() == "chlorophylle"


def test_replace_mode_shows_the_translation_instead(tmp_path: Path, fle: Profile) -> None:
    replace = fle.model_copy(update={"translation": fle.translation.model_copy(update={"mode": "replace"})})
    with MistralServer() as server:
        result = run_job(
            _course(tmp_path),
            replace,
            tmp_path / "out",
            settings=_settings(server, tmp_path, validate_epub=False),
            outputs=["html", "epub"],
        )
    assert result.status == "succeeded", result.errors
    done, failed = _translated(result.document)
    root = html.fromstring(result.artifact("html").path.read_bytes())
    assert not root.xpath("//*[contains(@class, 'parallel')]")
    ids = set(root.xpath("//main//@id"))
    for block_id, (_, english) in done.items():
        heading = isinstance(result.document.find(block_id), Heading)
        [shown] = root.xpath("//*[@id=$i]", i=block_id if heading else f"{block_id}.t1")
        assert shown.get("lang") == "en" and _words(shown) == " ".join(english.split())
        assert f"{block_id}.e1" not in ids  # the French (plain-language) version is not shown
    # The refused block is shown in French (its plain-language version), without a lang of its own.
    kept = [e for e in root.xpath("//main//*[@id]") if e.get("id").startswith(f"{failed[0]}.")]
    assert kept and all(e.get("lang") is None for e in kept) and "31 %" in " ".join(_words(e) for e in kept)
    with zipfile.ZipFile(result.artifact("epub").path) as book:
        part = etree.fromstring(book.read("EPUB/part-001.xhtml"))
    english = [e for e in part.iter() if isinstance(e.tag, str) and e.get("lang") == "en"]
    assert english and all(e.get(XML_LANG) == "en" for e in english)


def _reviewed_plain(block_id: str, text: str) -> Adaptation:
    """A plain-language rewrite a person wrote (kept by the rewrite pass, shown to the reader)."""
    made = Provenance(
        engine="human", pass_name="plain", reviewed_by="staff1", reviewed_at="2026-01-01T00:00:00"
    )
    return Adaptation(
        kind="plain",
        provenance=made,
        lang="fr",
        blocks=[Paragraph(id=f"{block_id}.h1", text=text, lang="fr")],
    )


def test_the_translation_is_made_from_the_text_shown_beside_it_and_verified_against_it(
    tmp_path: Path, fle: Profile
) -> None:
    """Issue #11: the pair a student reads says the same thing. The B1 rewrite is shown, so it is the rewrite
    that is translated (not the original paragraph), and the verifier checks the translation against it: a
    number of the rewrite the translation drops is refused, though the original paragraph has no number."""
    source = SourceInfo(filename="cours.md", media_type="text/markdown", sha256="0" * 64)
    original = "Les stomates, orifices microscopiques de l'épiderme foliaire, régulent les échanges gazeux."
    counted = "Les feuilles respirent par leurs petits trous."
    doc = Document(
        title="Cours",
        lang="fr",
        source=source,
        blocks=[
            Heading(id="h1", level=1, text="Les feuilles"),
            Paragraph(
                id="p1", text=original, adaptations=[_reviewed_plain("p1", "La feuille a des petits trous.")]
            ),
            Paragraph(
                id="p2", text=counted, adaptations=[_reviewed_plain("p2", "Une feuille a 300 petits trous.")]
            ),
        ],
    )
    with MistralServer() as server:
        settings = _settings(server, tmp_path, mistral_pass_models={"translation": "dropfacts"})
        result = adapt_document(doc, fle, settings)
        sent = [
            _data(r["body"]["messages"][-1]["content"])[1]
            for r in server.calls()
            if r["body"]["messages"][0]["content"].startswith("You translate")
        ]
    texts = {k: v for data in sent for s in data["sections"] for k, v in s["blocks"].items()}
    assert texts["p1"] == "La feuille a des petits trous."  # the rewrite shown, not the original paragraph
    assert texts["p2"] == "Une feuille a 300 petits trous." and texts["h1"] == "Les feuilles"
    out = result.document
    first = out.find("p1").adaptation("translation")
    assert first is not None and first.blocks and not first.flags
    assert first.blocks[0].plain_text() == "[en] La feuille a des petits trous."
    # The model dropped "300" from the rewrite: refused (asked again, then left out and flagged).
    second = out.find("p2").adaptation("translation")
    assert second is not None and not second.blocks and second.needs_review
    assert [f.code for f in second.flags] == ["adapt.model_fallback"]
    assert "300" in " ".join(f.reason for f in second.flags)
    view = adapted_document(out, fle.adaptation_kinds, fle.parallel_kinds)
    shown = {b.id: b for b in view.blocks}
    assert shown["p1.h1"].plain_text() == "La feuille a des petits trous."
    assert parallel_blocks(shown["p1.h1"])[0].plain_text() == "[en] La feuille a des petits trous."
    assert not parallel_blocks(shown["p2.h1"])


def test_a_translation_a_person_reviewed_is_kept_when_the_document_is_adapted_again(
    tmp_path: Path, fle: Profile
) -> None:
    source = SourceInfo(filename="cours.md", media_type="text/markdown", sha256="0" * 64)
    made = Provenance(engine="human", pass_name="translation", reviewed_by="staff1", reviewed_at="2026-01-01")
    mine = Adaptation(
        kind="translation",
        provenance=made,
        lang="en",
        blocks=[Paragraph(id="p1.h1", text="The leaf breathes.", lang="en")],
    )
    doc = Document(
        title="Cours",
        lang="fr",
        source=source,
        blocks=[Paragraph(id="p1", text="La feuille respire.", adaptations=[mine])],
    )
    with MistralServer() as server:
        result = adapt_document(doc, fle, _settings(server, tmp_path))
        asked = [r for r in server.calls() if r["body"]["messages"][0]["content"].startswith("You translate")]
    assert not asked
    kept = result.document.find("p1").adaptation("translation")
    assert kept is not None and kept.provenance.reviewed_by == "staff1"
    assert kept.blocks[0].plain_text() == "The leaf breathes."


def test_regenerating_a_translation_in_the_review_translates_the_rewrite_shown(
    tmp_path: Path, fle: Profile
) -> None:
    """The review's "regenerate" runs the translation pass alone (the rewrite pass is off): it still translates
    the block's rewrite, the text shown beside the translation."""
    from inclusio.api import review

    source = SourceInfo(filename="cours.md", media_type="text/markdown", sha256="0" * 64)
    doc = Document(
        title="Cours",
        lang="fr",
        source=source,
        blocks=[
            Paragraph(
                id="p1",
                text="Les stomates, orifices microscopiques de l'épiderme foliaire, régulent les échanges gazeux.",
                adaptations=[_reviewed_plain("p1", "La feuille a des petits trous.")],
            )
        ],
    )
    with MistralServer() as server:
        fresh = review.regenerate_block(doc, "p1", "translation", fle, _settings(server, tmp_path))
    assert fresh is not None and fresh.blocks and not fresh.provenance.reviewed_by
    assert fresh.blocks[0].plain_text() == "[en] La feuille a des petits trous."
    assert [a.kind for a in doc.find("p1").adaptations] == ["plain", "translation"]
