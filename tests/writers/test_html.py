"""The single-page HTML writer: valid HTML5, self-contained, the same semantics as the EPUB."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import html5lib
import pytest
from docfactory import (
    ALT_TEXT,
    PAGE_COUNT,
    PROFILE_NAMES,
    MakeContext,
    easy_read_document,
    sample_document,
    tiny_png,
)
from lxml import etree
from lxml import html as lxml_html

from inclusio.model import Document, Figure, Paragraph, Resource, SourceInfo, adapted_document
from inclusio.profiles import Profile
from inclusio.writers.html import HtmlWriter


class Page:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.tree = lxml_html.fromstring(self.text)

    def all(self, xpath: str) -> list:
        return self.tree.xpath(xpath)


def build(tmp: Path, profile: Profile, make_ctx: MakeContext, source: Document) -> tuple[Page, HtmlWriter]:
    writer = HtmlWriter()
    [artifact] = writer.write(
        adapted_document(source, profile.adaptation_kinds), make_ctx(tmp, profile, source)
    )
    assert artifact.name == "html" and artifact.path == tmp / "cours.html"
    assert artifact.media_type == "text/html"
    assert artifact.warnings == writer.warnings
    return Page(artifact.path), writer


@pytest.fixture(scope="module", params=PROFILE_NAMES)
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    profiles: dict[str, Profile],
    make_ctx: MakeContext,
) -> tuple[Page, HtmlWriter, Profile]:
    profile = profiles[request.param]
    source = easy_read_document() if profile.adaptation.level == "easy_read" else sample_document()
    page, writer = build(tmp_path_factory.mktemp(f"html-{profile.id}"), profile, make_ctx, source)
    return page, writer, profile


def test_parses_as_html5_without_errors(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, _, _ = built
    parser = html5lib.HTMLParser(strict=True)  # raises on any parse error
    parser.parse(page.text)
    assert page.text.startswith("<!DOCTYPE html>\n")


def test_is_well_formed_xml_too(built: tuple[Page, HtmlWriter, Profile]) -> None:
    """The fragments are polyglot: an XML parser reads the page body without complaint."""
    page, _, _ = built
    etree.fromstring(page.text.split("\n", 1)[1].encode())


def test_lang_title_and_ids(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, _, _ = built
    assert page.tree.get("lang") == "fr"
    assert page.all("//head/title/text()") == ["La cellule et ses mesures"]
    ids = page.all("//@id")
    assert len(ids) == len(set(ids))
    assert page.all("//p[@lang='en']/text()") == ["The cell is the basic unit of life."]


def test_skip_link_toc_and_main(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, _, _ = built
    [skip] = page.all("//body/a[@class='skip-link']")
    assert skip.text == "Aller au contenu"
    [main] = page.all("//main")
    assert skip.get("href") == f"#{main.get('id')}"
    [nav] = page.all("//nav[@class='toc']")
    assert nav.get("aria-label") == "Table des matières"
    assert nav.xpath("./ol/li/a/text()") == ["La cellule", "Mesures"]
    assert nav.xpath("./ol/li[1]/ol/li/ol/li/a/text()") == ["Un détail sauté"]
    for href in nav.xpath(".//a/@href"):
        assert page.all(f"//main//*[@id='{href[1:]}']"), href


def test_headings_one_h1_per_top_section_and_no_skip(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, _, _ = built
    levels = [int(h.tag[1]) for h in page.all("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")]
    assert levels == [1, 2, 3, 1]
    assert page.all("//nav//h1|//nav//h2") == []


def test_images_are_embedded_with_alt(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, writer, _ = built
    imgs = page.all("//figure/img")
    assert [(i.get("alt"), i.get("role")) for i in imgs] == [
        (ALT_TEXT, None),
        ("", "presentation"),
        ("Image sans description", None),
        ("Figure 4. Croissance des cultures.", None),
    ]
    source = sample_document()
    for img, key in zip(imgs, ["img-red", "img-blue", "img-green", "img-red"], strict=True):
        prefix, _, payload = img.get("src").partition(",")
        assert prefix == "data:image/png;base64"
        assert base64.b64decode(payload) == source.resources[key].data
    assert not re.search(r'src="(?!data:)', page.text)  # nothing outside the file
    assert {"image.alt_missing", "image.alt_from_caption"} <= {w["code"] for w in writer.warnings}


def test_page_markers_are_discreet_and_labelled(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, _, _ = built
    markers = page.all("//span[@role='doc-pagebreak']")
    assert len(markers) == PAGE_COUNT
    assert [m.get("aria-label") for m in markers] == ["page 1", "page 2", "page iii"]
    assert all(m.get("class") == "pagebreak" for m in markers)
    assert "epub:type" not in page.text


def test_tables_notes_and_css(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, _, profile = built
    assert page.all("//thead//th/@scope") == ["col", "col"]
    assert page.all("//tbody//th/@scope") == ["row", "row"]
    [footnote] = page.all("//aside[@role='doc-footnote']")
    assert footnote.get("id") == "b10"
    assert page.all("//aside[@class='speaker-notes']/p[@class='note-label']/text()") == ["Notes de l'orateur"]
    [style] = page.all("//head/style/text()")
    assert f"max-width: {profile.reading.max_line_chars}ch;" in style
    assert f"background-color: {profile.reading.colors.background};" in style
    assert "!important" not in style


def test_footer_tells_how_the_page_was_made(built: tuple[Page, HtmlWriter, Profile]) -> None:
    page, _, profile = built
    [footer] = page.all("//footer/p/text()")
    assert "cours-biologie.pdf" in footer
    assert "Les numéros des 3 pages du document source sont indiqués dans le texte." in footer
    if profile.adaptation.level == "easy_read":
        assert "non relu par une personne" in footer
        assert "La cellule a un noyau." in page.all("//main//p/text()")
    else:
        assert "brouillon" not in footer


def test_document_without_headings_gets_its_title_as_h1(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    doc = Document(
        lang="en",
        title="Notes",
        blocks=[
            Paragraph(id="p", text="Hello."),
            Figure(id="f", image="i", alt="A red square."),
        ],
        resources={"i": Resource(media_type="image/png", data=tiny_png())},
        source=SourceInfo(filename="n.docx", media_type="application/octet-stream", sha256="0" * 64),
    )
    page, writer = build(tmp_path, profiles["low-vision"], make_ctx, doc)
    html5lib.HTMLParser(strict=True).parse(page.text)
    assert page.all("//main/h1/text()") == ["Notes"]
    assert page.all("//nav") == []  # nothing to list
    assert page.tree.get("lang") == "en"
    assert page.all("//a[@class='skip-link']/text()") == ["Skip to content"]
    assert writer.warnings == []


@pytest.mark.parametrize("name", ["fixture-word.docx", "fixture-slides-notes.pptx"])
def test_converted_corpus_documents_give_valid_pages(
    name: str, corpus_dir: Path, tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert

    source = convert(corpus_dir / name, ConvertContext(filename=name))
    page, _ = build(tmp_path, profiles["dyslexia"], make_ctx, source)
    html5lib.HTMLParser(strict=True).parse(page.text)
    assert page.tree.get("lang") == source.lang
    assert page.all("//main//h1")
    texts = " ".join(page.tree.itertext())
    for block in source.blocks[:10]:
        first_line = block.plain_text().split("\n")[0].strip()
        if first_line and block.type in ("heading", "paragraph", "list", "note"):
            assert first_line in texts, first_line
    assert all(img.get("alt") is not None for img in page.all("//img"))
