"""Parallel text (the French-as-a-foreign-language translation beside the French) in the reader's view and
every writer: HTML, EPUB (with read-along), audio units, large print and braille.

The document is built here with translations shaped exactly as :mod:`inclusio.adapt.translation` makes
them (the pass itself, through the real SDK, is tested in ``tests/llm/test_fle_job.py``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docfactory import MakeContext
from lxml import etree, html

from inclusio.config import Settings
from inclusio.model import (
    PARALLEL,
    Adaptation,
    Block,
    Document,
    Flag,
    GlossaryEntry,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Provenance,
    SourceInfo,
    adapted_document,
    parallel_blocks,
    reading_blocks,
)
from inclusio.profiles import Profile, load_profile
from inclusio.writers.html import HtmlWriter
from inclusio.writers.speech_text import block_units, own_units, speech_sections

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PROV = Provenance(engine="mistral", pass_name="translation", model="mistral-small-latest", prompt_version="1")

FRENCH = {
    "p1": "La chlorophylle capte la lumière du Soleil. Elle donne aux feuilles leur couleur verte.",
    "p2": "Les forêts couvrent 31 % des terres émergées.",
    "p3": "La plante fabrique du glucose avec de l'eau et du dioxyde de carbone.",
}
ENGLISH = {
    "h1": "Photosynthesis",
    "p1": "Chlorophyll captures the Sun's light. It gives leaves their green colour.",
    "h2": "What the plant needs",
    "p3": "The plant makes glucose from water and carbon dioxide.",
}


def _translate(block: Heading | Paragraph) -> None:
    """What the translation pass adds to a block (a heading's translation keeps the heading's id)."""
    text = ENGLISH[block.id]
    shown = block.model_copy(
        update={
            "text": text,
            "lang": "en",
            "adaptations": [],
            "id": block.id if isinstance(block, Heading) else f"{block.id}.t1",
        }
    )
    block.adaptations.append(
        Adaptation(
            kind="translation",
            provenance=PROV,
            lang="en",
            text=text,
            blocks=[shown],
            notes=["translated by a language model; not reviewed by a person"],
        )
    )


def fle_document() -> Document:
    """Two sections; every heading and paragraph translated except p2 (its translation failed)."""
    blocks: list[Block] = [
        Heading(id="h1", level=1, text="La photosynthèse"),
        Paragraph(id="p1", text=FRENCH["p1"]),
        Paragraph(id="p2", text=FRENCH["p2"]),
        Heading(id="h2", level=2, text="Les besoins de la plante"),
        Paragraph(id="p3", text=FRENCH["p3"]),
        ListBlock(id="l1", items=[ListItem(text="la lumière"), ListItem(text="l'eau")]),
    ]
    for block in blocks:
        if block.id in ENGLISH:
            _translate(block)  # type: ignore[arg-type]
    glossary = [
        GlossaryEntry(
            term="chlorophylle",
            definition="Matière verte des feuilles.",
            translations={"en": "chlorophyll"},
            provenance=PROV,
        ),
        GlossaryEntry(term="glucose", definition="Un sucre.", provenance=PROV),
    ]
    return Document(
        title="La photosynthèse",
        lang="fr",
        blocks=blocks,
        glossary=glossary,
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="1" * 64),
    )


@pytest.fixture(scope="module")
def fle(settings: Settings) -> Profile:
    return load_profile("fle", settings.profiles_dir)


def _replace(profile: Profile) -> Profile:
    return profile.model_copy(
        update={"translation": profile.translation.model_copy(update={"mode": "replace"})}
    )


def _view(profile: Profile, doc: Document | None = None) -> Document:
    doc = doc or fle_document()
    return adapted_document(doc, profile.adaptation_kinds, profile.parallel_kinds)


# -- the reader's view -----------------------------------------------------------------------------


def test_parallel_view_keeps_the_french_and_attaches_the_translation(fle: Profile) -> None:
    source = fle_document()
    view = _view(fle, source)
    assert fle.parallel_kinds == ("translation",) and "translation" not in fle.adaptation_kinds
    assert [b.id for b in view.blocks] == ["h1", "p1", "p2", "h2", "p3", "l1"]
    assert [b.plain_text() for b in view.blocks[1:3]] == [FRENCH["p1"], FRENCH["p2"]]
    beside = parallel_blocks(view.find("p1"))
    assert [(b.lang, b.plain_text()) for b in beside] == [("en", ENGLISH["p1"])]
    assert parallel_blocks(view.find("p2")) == []  # its translation failed: the original alone
    assert parallel_blocks(view.find("l1")) == []  # lists are not translated
    # The stored document never carries the view's parallel adaptation.
    assert all(a.kind != PARALLEL for b in source.blocks for a in b.adaptations)


def test_replace_view_shows_the_translation_instead(fle: Profile) -> None:
    replace = _replace(fle)
    assert replace.parallel_kinds == () and "translation" in replace.adaptation_kinds
    view = _view(replace)
    shown = {b.id: (b.lang, b.plain_text()) for b in view.blocks}
    assert shown["p1.t1"] == ("en", ENGLISH["p1"]) and shown["h1"] == ("en", ENGLISH["h1"])
    assert shown["p2"] == (None, FRENCH["p2"])  # failed: French stays
    assert "p1" not in shown and not any(parallel_blocks(b) for b in view.blocks)


def test_a_rewritten_block_gets_its_translation_after_its_last_part(fle: Profile) -> None:
    doc = fle_document()
    p1 = doc.find("p1")
    rewrite = [
        Paragraph(id="p1.e1", text="La chlorophylle capte la lumière."),
        Paragraph(id="p1.e2", text="Elle rend les feuilles vertes."),
    ]
    p1.adaptations.insert(
        0,
        Adaptation(
            kind="easy_read", provenance=PROV.model_copy(update={"pass_name": "easy_read"}), blocks=rewrite
        ),
    )
    view = adapted_document(doc, ("easy_read",), fle.parallel_kinds)
    assert [b.id for b in view.blocks][:3] == ["h1", "p1.e1", "p1.e2"]
    assert (
        parallel_blocks(view.blocks[1]) == []
        and parallel_blocks(view.blocks[2])[0].plain_text() == ENGLISH["p1"]
    )
    assert (
        reading_blocks(doc, ("easy_read",))[2].adaptations == []
    )  # without parallel kinds: nothing attached


# -- HTML --------------------------------------------------------------------------------------------


def _html(tmp_path: Path, profile: Profile, make_ctx: MakeContext) -> html.HtmlElement:
    source = fle_document()
    [artifact] = HtmlWriter().write(_view(profile, source), make_ctx(tmp_path, profile, source))
    return html.fromstring(artifact.path.read_bytes())


def _pair(root: etree._Element, block_id: str, ns: str = "") -> tuple[etree._Element, etree._Element]:
    """The original and translation sides of the parallel pair holding the element ``block_id``."""
    [element] = root.xpath("//*[@id=$i]", i=block_id)
    pair = element.getparent().getparent()
    assert pair.get("class", "").split()[0] == "parallel", etree.tostring(pair)
    original, translation = list(pair)
    assert original.get("class") == "parallel-original" and translation.get("class") == "parallel-translation"
    return original, translation


def test_html_shows_each_translated_block_after_its_original_with_lang(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext
) -> None:
    root = _html(tmp_path, fle, make_ctx)
    for block_id in ("p1", "p3"):
        original, translation = _pair(root, block_id)
        assert original.get("lang") == "fr" and translation.get("lang") == "en"
        assert " ".join(original.text_content().split()) == FRENCH[block_id]
        assert translation.text_content().strip() == ENGLISH[block_id]
    # p2's translation failed: shown alone, outside any pair; the list too.
    for block_id in ("p2", "l1"):
        [element] = root.xpath("//*[@id=$i]", i=block_id)
        assert element.getparent().tag == "section" and not element.xpath(
            "ancestor::div[contains(@class,'parallel')]"
        )
    # The glossary term is linked in the French only.
    original, translation = _pair(root, "p1")
    assert original.xpath(".//a[@role='doc-glossref']") and not translation.xpath(".//a")


def test_html_translated_headings_are_not_second_headings(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext
) -> None:
    root = _html(tmp_path, fle, make_ctx)
    headings = root.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")
    assert [h.text_content() for h in headings] == [
        "La photosynthèse",
        "Les besoins de la plante",
        "Glossaire",
    ]
    for heading_id in ("h1", "h2"):
        original, translation = _pair(root, heading_id)
        assert original[0].tag in ("h1", "h2") and original.get("lang") == "fr"
        [p] = translation
        assert p.tag == "p" and "heading-translation" in p.get("class") and translation.get("lang") == "en"
        assert p.text_content() == ENGLISH[heading_id]
    toc = [a.text_content() for a in root.xpath("//nav[@class='toc']//a")]
    assert toc == ["La photosynthèse", "Les besoins de la plante", "Glossaire"]
    assert "traduction est un brouillon" in root.xpath("//footer")[0].text_content()


def test_a_flagged_unreviewed_translation_says_so_before_it(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext
) -> None:
    source = fle_document()
    flagged = source.find("p3").adaptation("translation")
    flagged.flags = [
        Flag(
            code="verify.added_fact",
            reason="the answer adds 'from water'",
            reason_fr="la réponse ajoute « from water »",
        )
    ]
    [artifact] = HtmlWriter().write(_view(fle, source), make_ctx(tmp_path, fle, source))
    root = html.fromstring(artifact.path.read_bytes())
    _, translation = _pair(root, "p3")
    note, text = list(translation)
    assert note.get("class") == "unreviewed-note" and note.get("lang") == "fr"
    assert note.text_content().startswith("À vérifier") and text.text_content() == ENGLISH["p3"]
    _, unflagged = _pair(root, "p1")
    assert not unflagged.xpath(".//*[@class='unreviewed-note']")
    # Reviewed by a person: no note any more.
    flagged.provenance = flagged.provenance.model_copy(update={"reviewed_by": "prof1"})
    [again] = HtmlWriter().write(_view(fle, source), make_ctx(tmp_path / "reviewed", fle, source))
    assert not html.fromstring(again.path.read_bytes()).xpath("//*[@class='unreviewed-note']")


def test_html_bilingual_glossary(tmp_path: Path, fle: Profile, make_ctx: MakeContext) -> None:
    root = _html(tmp_path, fle, make_ctx)
    [dl] = root.xpath("//section[@role='doc-glossary']/dl")
    children = [(c.tag, c.get("class"), " ".join(c.text_content().split())) for c in dl]
    assert children == [
        ("dt", None, "chlorophylle"),
        ("dd", "glossary-translation", "Traduction : chlorophyll"),
        ("dd", None, "Matière verte des feuilles."),
        ("dt", None, "glucose"),
        ("dd", None, "Un sucre."),
    ]
    [word] = dl.xpath(".//dd[@class='glossary-translation']/span[@lang='en']")
    assert word.text == "chlorophyll"


def test_html_replace_mode(tmp_path: Path, fle: Profile, make_ctx: MakeContext) -> None:
    root = _html(tmp_path, _replace(fle), make_ctx)
    assert not root.xpath("//div[contains(@class,'parallel')]")
    [p1] = root.xpath("//p[@id='p1.t1']")
    assert p1.get("lang") == "en" and p1.text_content() == ENGLISH["p1"]
    [h1] = root.xpath("//h1[@id='h1']")
    assert h1.get("lang") == "en" and h1.text_content() == ENGLISH["h1"]
    [p2] = root.xpath("//p[@id='p2']")
    assert p2.get("lang") is None and p2.text_content() == FRENCH["p2"]
    assert FRENCH["p1"] not in root.text_content()


# -- EPUB --------------------------------------------------------------------------------------------


def _epub(tmp_path: Path, profile: Profile, make_ctx: MakeContext) -> Path:
    from inclusio.writers.epub3 import Epub3Writer

    source = fle_document()
    [artifact] = Epub3Writer().write(_view(profile, source), make_ctx(tmp_path, profile, source))
    return artifact.path


def test_epub_pairs_have_lang_and_xml_lang_and_read_along_speaks_both(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext
) -> None:
    path = _epub(tmp_path, fle, make_ctx)
    with zipfile.ZipFile(path) as book:
        part = etree.fromstring(book.read("EPUB/part-001.xhtml"))
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        glossary = etree.fromstring(book.read("EPUB/glossary.xhtml"))
        smil = book.read("EPUB/smil/part-001.smil").decode("utf-8")
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    languages = [e.text for e in opf.iter("{http://purl.org/dc/elements/1.1/}language")]
    assert languages == ["fr", "en"]  # the book's language first, then the translation's
    for block_id in ("h1", "p1", "p3"):
        original, translation = _pair(part, block_id)
        assert (original.get("lang"), original.get(XML_LANG)) == ("fr", "fr")
        assert (translation.get("lang"), translation.get(XML_LANG)) == ("en", "en")
        assert "".join(translation.itertext()).strip() == ENGLISH[block_id]
    headings = [
        e for e in part.iter() if isinstance(e.tag, str) and re.fullmatch(rf"{re.escape(XHTML)}h\d", e.tag)
    ]
    assert ["".join(h.itertext()) for h in headings] == ["La photosynthèse", "Les besoins de la plante"]
    toc = ["".join(a.itertext()) for a in nav.iter(f"{XHTML}a")]
    assert (
        "Photosynthesis" not in toc
        and "What the plant needs" not in toc
        and "Les besoins de la plante" in toc
    )
    [word] = [s for s in glossary.iter(f"{XHTML}span") if s.get(XML_LANG) == "en"]
    assert word.text == "chlorophyll" and word.get("lang") == "en"
    # Read-along: every sentence of the translation is a span the SMIL points at.
    _, translation = _pair(part, "p1")
    spans = [s.get("id") for s in translation.iter(f"{XHTML}span") if s.get("id")]
    assert len(spans) == 2 and all(f'part-001.xhtml#{span}"' in smil for span in spans)


@pytest.mark.parametrize("mode", ["parallel", "replace"])
def test_translated_epub_passes_epubcheck_and_ace(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext, mode: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from inclusio.validate.ace import check_epub_ace
    from inclusio.validate.epubcheck import check_epub

    path = _epub(tmp_path, fle if mode == "parallel" else _replace(fle), make_ctx)
    with ThreadPoolExecutor(max_workers=2) as pool:
        epubcheck, ace = pool.submit(check_epub, path), pool.submit(check_epub_ace, path)
        result, ace_result = epubcheck.result(), ace.result()
    assert result.valid, [m for m in result.messages if m.get("severity") in ("ERROR", "FATAL")]
    assert ace_result.passed, ace_result.violations


# -- audio, large print, braille ------------------------------------------------------------------


def test_audio_reads_the_french_then_the_translation_in_its_language(fle: Profile) -> None:
    view = _view(fle)
    units = block_units(view.find("p1"), view, fle)
    assert [(u.lang, u.text, u.block_id) for u in units] == [
        ("fr", "La chlorophylle capte la lumière du Soleil.", "p1"),
        ("fr", "Elle donne aux feuilles leur couleur verte.", "p1"),
        ("en", "Chlorophyll captures the Sun's light.", "p1"),
        ("en", "It gives leaves their green colour.", "p1"),
    ]
    assert [u.lang for u in own_units(view.find("p1"), view, fle)] == ["fr", "fr"]
    assert [u.lang for u in block_units(view.find("p2"), view, fle)] == ["fr"]
    [section] = speech_sections(view, fle)  # h2 is a sub-section of h1
    texts = [u.text for u in section.units]
    assert texts[:2] == ["La photosynthèse", "Photosynthesis"]
    assert texts[texts.index("Les besoins de la plante") + 1] == "What the plant needs"
    assert FRENCH["p2"] in texts and texts[texts.index(FRENCH["p2"]) + 1] == "Les besoins de la plante"


def test_the_mp3_reads_each_translation_after_its_french_in_the_english_voice(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext
) -> None:
    import json

    from inclusio.writers.audio import AudioWriter

    source = fle_document()
    AudioWriter().write(_view(fle, source), make_ctx(tmp_path, fle, source))
    timings = json.loads((tmp_path / "cours.audio.json").read_text(encoding="utf-8"))
    assert timings["voices"] == {"en": "en", "fr": "fr"} and timings["rate_wpm"] == fle.speech.rate_wpm
    clips = [c for section in timings["sections"] for c in section["clips"]]
    assert [(c["lang"], c["text"]) for c in clips if c["block_id"] == "p1"] == [
        ("fr", "La chlorophylle capte la lumière du Soleil."),
        ("fr", "Elle donne aux feuilles leur couleur verte."),
        ("en", "Chlorophyll captures the Sun's light."),
        ("en", "It gives leaves their green colour."),
    ]
    assert [c["lang"] for c in clips if c["block_id"] == "p2"] == ["fr"]
    assert all(
        a["end_s"] <= b["start_s"]
        for a, b in zip(clips, clips[1:], strict=False)
        if a["block_id"] == b["block_id"]
    )


def test_large_print_and_braille_render_the_parallel_view(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext
) -> None:
    import shutil

    import pymupdf

    from inclusio.writers.braille import BrailleWriter
    from inclusio.writers.large_print import LargePrintWriter

    source = fle_document()
    view = _view(fle, source)
    [pdf] = LargePrintWriter().write(view, make_ctx(tmp_path, fle, source))
    text = " ".join("".join(page.get_text() for page in pymupdf.open(pdf.path)).split())
    assert FRENCH["p1"] in text and ENGLISH["p1"] in text
    assert text.index(FRENCH["p1"]) < text.index(ENGLISH["p1"]) < text.index(FRENCH["p2"])
    # The translation is indented and in the profile's link colour, so it reads apart from the French.
    lines = [
        (line["bbox"][0], line["spans"][0]["color"], line["spans"][0]["text"])
        for block in pymupdf.open(pdf.path)[0].get_text("dict")["blocks"]
        for line in block.get("lines", [])
    ]
    french = next(line for line in lines if line[2].startswith("La chlorophylle"))
    english = next(line for line in lines if line[2].startswith("Chlorophyll"))
    assert english[0] > french[0] + 10 and english[1] == int(fle.reading.colors.link[1:], 16) != french[1]
    # liblouis is installed by scripts/setup.sh (a braille output needs it): its absence is a failure.
    assert shutil.which("lou_translate") is not None, "liblouis is missing: run scripts/setup.sh"
    # Braille is transcribed in French only: the same file as without the translation.
    [brf] = BrailleWriter().write(view, make_ctx(tmp_path / "parallel", fle, source))
    [plain] = BrailleWriter().write(adapted_document(source), make_ctx(tmp_path / "french", fle, source))
    assert brf.path.read_bytes().strip() and brf.path.read_bytes() == plain.path.read_bytes()


# -- the layout in a browser ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

_GEOMETRY = """() => {
    const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
                                                                    right: r.right}; };
    const pair = document.getElementById("p1").closest(".parallel");
    return {scroll: document.documentElement.scrollWidth, width: window.innerWidth,
            original: box(pair.children[0]), translation: box(pair.children[1]),
            fontPx: parseFloat(getComputedStyle(pair).fontSize)};
}"""


def test_the_pair_sits_side_by_side_when_wide_and_stacks_without_horizontal_scroll(
    tmp_path: Path, fle: Profile, make_ctx: MakeContext
) -> None:
    """Chromium at 320 and 1280 CSS px, text at 100 % and 200 %: never a horizontal scroll; side by side
    on a wide screen (even at 200 %), original above its translation on a narrow one; axe finds nothing."""
    from playwright import sync_api  # the test extra: a missing install fails, never skips

    assert CHROMIUM.exists() and AXE.exists(), "Debian's chromium and tools/axe (npm ci --prefix tools/axe)"
    source = fle_document()
    [artifact] = HtmlWriter().write(_view(fle, source), make_ctx(tmp_path, fle, source))
    page_html = artifact.path.read_text(encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            for width, zoom in ((320, 100), (320, 200), (1280, 100), (1280, 200)):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.set_content(page_html)
                page.evaluate(f"document.documentElement.style.fontSize = '{zoom}%'")
                g = page.evaluate(_GEOMETRY)
                assert g["scroll"] <= g["width"], (width, zoom, g)
                original, translation = g["original"], g["translation"]
                if width == 320:
                    assert translation["top"] >= original["bottom"] - 1, (width, zoom, g)
                else:
                    assert (
                        abs(translation["top"] - original["top"]) < 1
                        and translation["left"] >= original["right"]
                    )
                if (width, zoom) == (320, 100):
                    page.evaluate(AXE.read_text(encoding="utf-8"))
                    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
                        .violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))""")
                    assert violations == []
                page.close()
        finally:
            browser.close()
