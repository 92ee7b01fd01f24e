"""The EPUB 3 writer: structure, navigation, accessibility metadata, and EPUBCheck on real builds."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

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

from inclusio.model import (
    Document,
    Figure,
    Heading,
    Note,
    PageMarker,
    Paragraph,
    Resource,
    SourceInfo,
    adapted_document,
)
from inclusio.profiles import Profile
from inclusio.validate.epubcheck import check_epub
from inclusio.writers.epub3 import Epub3Writer, book_identifier, wants_read_along
from inclusio.writers.xhtml import output_heading_levels, split_top_sections

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


class Book:
    """An EPUB opened for inspection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.opf = etree.fromstring(self.zip.read("EPUB/content.opf"))
        self.nav = etree.fromstring(self.zip.read("EPUB/nav.xhtml"))

    def metas(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]

    def spine_files(self) -> list[str]:
        hrefs = {i.get("id"): i.get("href") for i in self.opf.iterfind(".//opf:manifest/opf:item", NS)}
        return [
            hrefs[r.get("idref")]
            for r in self.opf.iterfind(".//opf:spine/opf:itemref", NS)
            if r.get("linear") != "no"
        ]

    def xhtml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"EPUB/{name}"))

    def documents(self) -> list[etree._Element]:
        return [self.xhtml(name) for name in self.spine_files()]

    def find_all(self, xpath: str) -> list[etree._Element]:
        return [el for doc in self.documents() for el in doc.xpath(xpath, namespaces=NS)]


def build(tmp: Path, profile: Profile, make_ctx: MakeContext, source: Document) -> tuple[Book, Epub3Writer]:
    writer = Epub3Writer()
    view = adapted_document(source, profile.adaptation_kinds)
    [artifact] = writer.write(view, make_ctx(tmp, profile, source))
    assert artifact.name == "epub" and artifact.path == tmp / "cours.epub"
    assert artifact.media_type == "application/epub+zip"
    assert artifact.warnings == writer.warnings
    return Book(artifact.path), writer


@pytest.fixture(scope="module", params=PROFILE_NAMES)
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    profiles: dict[str, Profile],
    make_ctx: MakeContext,
) -> tuple[Book, Epub3Writer, Profile]:
    profile = profiles[request.param]
    source = easy_read_document() if profile.adaptation.level == "easy_read" else sample_document()
    book, writer = build(tmp_path_factory.mktemp(f"epub-{profile.id}"), profile, make_ctx, source)
    return book, writer, profile


# -- package ---------------------------------------------------------------------------------


def test_mimetype_comes_first_and_is_stored(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    first = book.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert book.zip.read("mimetype") == b"application/epub+zip"


def test_package_has_xml_lang_and_identity(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, profile = built
    assert book.opf.get(XML_LANG) == "fr"
    assert book.opf.findtext(".//dc:language", namespaces=NS) == "fr"
    assert book.opf.findtext(".//dc:title", namespaces=NS) == "La cellule et ses mesures"
    identifier = book.opf.findtext(".//dc:identifier", namespaces=NS)
    assert identifier == book_identifier(hashlib.sha256(b"cours-biologie").hexdigest(), profile.id)
    assert identifier.startswith("urn:uuid:")
    [modified] = book.metas("dcterms:modified")
    assert modified.endswith("Z") and len(modified) == 20


def test_accessibility_metadata_describes_the_content(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, profile = built
    # read-along audio (media overlays) for every profile that asks for audio
    audio = ["auditory"] if wants_read_along(profile) else []
    assert book.metas("schema:accessMode") == ["textual", "visual", *audio]
    # one image has only a placeholder: text alone is not sufficient
    assert book.metas("schema:accessModeSufficient") == ["textual,visual"]
    assert book.metas("schema:accessibilityFeature") == [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "pageNavigation",
        "pageBreakMarkers",
        *(["synchronizedAudioText"] if audio else []),
    ]
    assert book.metas("schema:accessibilityHazard") == ["none"]
    [summary] = book.metas("schema:accessibilitySummary")
    assert "1 image(s) sans description" in summary
    assert "légende" in summary
    assert f"{PAGE_COUNT} pages" in summary
    # no conformance claim without a real evaluation
    assert book.metas("dcterms:conformsTo") == [] and book.metas("a11y:certifiedBy") == []


def test_page_break_source_names_the_source_file(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    sha = hashlib.sha256(b"cours-biologie").hexdigest()
    [source] = book.metas("pageBreakSource")
    assert "cours-biologie.pdf" in source and sha in source
    assert book.opf.findtext(".//dc:source", namespaces=NS) == source


def test_easy_read_book_says_it_is_an_unreviewed_draft(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, profile = built
    [summary] = book.metas("schema:accessibilitySummary")
    if profile.adaptation.level == "easy_read":
        assert "brouillon généré par le moteur hors ligne (règles), non relu par une personne" in summary
        texts = ["".join(p.itertext()) for p in book.find_all("//x:p")]
        assert "La cellule a un noyau." in texts
        assert not any(t and "unité de base" in t for t in texts)
    else:
        assert "brouillon" not in summary


# -- navigation ------------------------------------------------------------------------------


def test_toc_is_nested_in_reading_order(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    [toc] = book.nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    top = [a.text for a in toc.xpath("./x:ol/x:li/x:a", namespaces=NS)]
    assert top == ["Début du document", "La cellule", "Mesures"]
    nested = toc.xpath("./x:ol/x:li[2]/x:ol/x:li/x:a", namespaces=NS)
    assert [a.text for a in nested] == ["Les organites"]
    deeper = toc.xpath("./x:ol/x:li[2]/x:ol/x:li/x:ol/x:li/x:a", namespaces=NS)
    assert [a.text for a in deeper] == ["Un détail sauté"]
    # every link resolves to an element of the right file
    for a in toc.iter(f"{{{NS['x']}}}a"):
        name, _, fragment = a.get("href").partition("#")
        if fragment:
            assert book.xhtml(name).xpath(f"//*[@id='{fragment}']"), a.get("href")


def test_landmarks_have_toc_and_bodymatter(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    [landmarks] = book.nav.xpath("//x:nav[@epub:type='landmarks']", namespaces=NS)
    types = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert types["toc"] == "nav.xhtml"
    assert types["bodymatter"] == book.spine_files()[0]


def test_page_list_links_every_marker_and_nothing_else(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    [pages] = book.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    assert pages.get("role") == "doc-pagelist"
    links = pages.xpath(".//x:a", namespaces=NS)
    # footnotes also carry epub:type: they must not leak into the page-list (ebooklib trap)
    assert [a.text for a in links] == ["1", "2", "iii"]
    for a in links:
        name, _, fragment = a.get("href").partition("#")
        [marker] = book.xhtml(name).xpath(f"//*[@id='{fragment}']")
        assert marker.get("role") == "doc-pagebreak" and marker.get(EPUB_TYPE) == "pagebreak"
        assert marker.get("aria-label") == a.text
    assert len(book.find_all("//*[@epub:type and @id]")) == PAGE_COUNT


# -- content ---------------------------------------------------------------------------------


def test_every_document_has_lang_title_and_css(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    for doc in book.documents():
        assert doc.get("lang") == "fr" and doc.get(XML_LANG) == "fr"
        assert doc.findtext("x:head/x:title", namespaces=NS)
        assert doc.xpath("x:head/x:link[@rel='stylesheet']/@href", namespaces=NS) == ["style/inclusio.css"]


def test_headings_skip_no_level(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, writer, _ = built
    levels = [int(h.tag[-1]) for h in book.find_all("//x:h1|//x:h2|//x:h3|//x:h4|//x:h5|//x:h6")]
    assert levels == [1, 2, 3, 1]
    clamped = [w for w in writer.warnings if w["code"] == "heading.level_clamped"]
    assert [(w["block_id"], w["severity"]) for w in clamped] == [("b8", "info")]


def test_foreign_passage_has_its_lang(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    [english] = book.find_all("//x:p[@lang='en']")
    assert "".join(english.itertext()) == "The cell is the basic unit of life."


def test_table_headers_have_scope_and_spans(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    [table] = book.find_all("//x:table")
    assert table.findtext("x:caption", namespaces=NS) == "Tableau 1. Tailles moyennes"
    assert [th.get("scope") for th in table.xpath(".//x:thead//x:th", namespaces=NS)] == ["col", "col"]
    assert [th.get("scope") for th in table.xpath(".//x:tbody//x:th", namespaces=NS)] == ["row", "row"]
    assert table.xpath(".//x:th[@colspan='2']/text()", namespaces=NS) == ["Taille"]
    assert table.xpath(".//x:td[@rowspan='2']/text()", namespaces=NS) == ["6"]


def test_images_alt_texts_and_warnings(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, writer, _ = built
    imgs = book.find_all("//x:figure/x:img")
    assert [(i.get("alt"), i.get("role")) for i in imgs] == [
        (ALT_TEXT, None),
        ("", "presentation"),
        ("Image sans description", None),
        ("Figure 4. Croissance des cultures.", None),
    ]
    for img in imgs:
        assert book.zip.read(f"EPUB/{img.get('src')}").startswith(b"\x89PNG")
    codes = {(w["code"], w["block_id"]) for w in writer.warnings}
    assert ("image.alt_missing", "b16") in codes and ("image.alt_from_caption", "b17") in codes
    # the same picture used twice is stored once
    assert len([n for n in book.zip.namelist() if n.startswith("EPUB/images/")]) == 3


def test_notes_lists_formula(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    [footnote] = book.find_all("//x:aside[@epub:type='footnote']")
    assert footnote.get("role") == "doc-footnote" and footnote.get("id") is None
    assert "Voir le chapitre 3" in "".join(footnote.itertext())
    [speaker] = book.find_all("//x:aside[contains(@class, 'speaker-notes')]")
    assert speaker.findtext("x:p[@class='note-label']", namespaces=NS) == "Notes de l'orateur"
    assert not speaker.xpath(".//x:h1|.//x:h2|.//x:h3|.//x:h4", namespaces=NS)
    [outer] = book.find_all("//x:ul[@id='b7']")
    assert ["".join(li.itertext()) for li in outer.xpath("./x:li[2]/x:ol/x:li", namespaces=NS)] == [
        "membrane externe",
        "membrane interne",
    ]
    assert book.find_all("//x:span[@class='formula']/text()") == ["v = d / t"]


def test_profile_css_is_in_the_book(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, profile = built
    css = book.zip.read("EPUB/style/inclusio.css").decode()
    size = f"{profile.reading.font_size_rem:.3f}".rstrip("0").rstrip(".")
    assert f"font-size: {size}rem;" in css
    assert f"max-width: {profile.reading.max_line_chars}ch;" in css
    assert "hyphens: none;" in css
    assert "!important" not in css


# -- variants ----------------------------------------------------------------------------------


def _doc(blocks: list, resources: dict | None = None, lang: str = "fr") -> Document:
    return Document(
        title=None,
        lang=lang,
        blocks=blocks,
        resources=resources or {},
        source=SourceInfo(
            filename="diapos.pptx", media_type="application/vnd.ms-powerpoint", sha256="ab" * 32
        ),
    )


def test_english_document_uses_english_placeholders(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    book, _ = build(tmp_path, profiles["blind"], make_ctx, sample_document(lang="en"))
    assert "Image without description" in [i.get("alt") for i in book.find_all("//x:img")]
    assert book.opf.get(XML_LANG) == "en"
    [summary] = book.metas("schema:accessibilitySummary")
    assert "without description" in summary


def test_fully_described_book_claims_alternative_text(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    doc = _doc(
        [Heading(id="h", level=1, text="Titre"), Figure(id="f", image="img", alt="Un cercle rouge.")],
        {"img": Resource(media_type="image/png", data=tiny_png())},
    )
    book, writer = build(tmp_path, profiles["blind"], make_ctx, doc)
    assert "alternativeText" in book.metas("schema:accessibilityFeature")
    assert book.metas("schema:accessModeSufficient") == ["textual,visual", "textual"]
    # no page markers: no page-list and no page claims
    assert not book.nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    assert book.metas("pageBreakSource") == []
    assert "pageNavigation" not in book.metas("schema:accessibilityFeature")
    assert writer.warnings == []


def test_awkward_document_still_gives_a_book(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    """No heading, control characters, an unsupported and a missing image, slides, an empty heading."""
    doc = _doc(
        [
            PageMarker(id="s1", number=1, kind="slide"),
            Paragraph(id="p 1", text="Ligne\x0bsuivante\x00 & <balise>"),
            Heading(id="e", level=2, text="   "),
            Figure(id="f1", image="tiff", alt="Un graphique."),
            Figure(id="f2", image="absent", caption="Légende seule."),
            Note(id="n", kind="comment", text="Relire."),
            PageMarker(id="s2", number=2, kind="slide"),
            Paragraph(id="p2", text="Suite."),
        ],
        {"tiff": Resource(media_type="image/tiff", data=b"II*\x00")},
    )
    book, writer = build(tmp_path, profiles["dyslexia"], make_ctx, doc)
    [part] = book.documents()
    assert part.xpath("//x:h1/text()", namespaces=NS) == ["diapos"]
    assert part.xpath("//x:p[@id='p-1']//text()", namespaces=NS) == ["Ligne", "suivante & <balise>"]
    assert part.xpath("//x:p[@id='p-1']/x:span/@id", namespaces=NS)  # read-along span around the sentence
    assert {w["code"] for w in writer.warnings} >= {
        "heading.empty",
        "image.unsupported_format",
        "image.missing",
    }
    assert book.metas("schema:accessMode") == ["textual", "auditory"]
    assert [a.text for a in book.nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)] == [
        "1",
        "2",
    ]
    [summary] = book.metas("schema:accessibilitySummary")
    assert "2 diapositives" in summary


# -- helpers shared with the HTML writer --------------------------------------------------------


def test_heading_levels_are_clamped_to_the_parent() -> None:
    def levels(*source: int) -> list[int]:
        headings = [Heading(id=f"h{i}", level=lvl, text="t") for i, lvl in enumerate(source)]
        out = output_heading_levels(headings)
        return [out[id(h)] for h in headings]

    assert levels(1, 2, 3) == [1, 2, 3]
    assert levels(1, 3, 2, 4, 1) == [1, 2, 2, 3, 1]
    assert levels(2, 3, 1, 2) == [1, 2, 1, 2]
    assert levels(3, 1, 6) == [1, 1, 2]


def test_chunks_match_the_models_top_sections() -> None:
    doc = sample_document()
    chunks = split_top_sections(doc.blocks)
    assert len(chunks) == len(doc.top_sections())
    assert [c.heading.text if c.heading else None for c in chunks] == [None, "La cellule", "Mesures"]
    # the page marker just before "Mesures" opens the "Mesures" file
    assert isinstance(chunks[2].blocks[0], PageMarker) and chunks[2].blocks[0].number == 2


# -- EPUBCheck -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_epubcheck_passes_for_every_profile(built: tuple[Book, Epub3Writer, Profile]) -> None:
    book, _, _ = built
    result = check_epub(book.path)
    assert result.valid and result.available
    assert (result.errors, result.fatals) == (0, 0), result.messages


def test_the_profiles_fonts_are_embedded_with_their_licences_and_pass_epubcheck(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    """A profile naming Atkinson Hyperlegible (the Python package's TTF files, issue #16) and OpenDyslexic
    (Debian's OTF files) gets both in the book: each file as the package holds it with its own media type, the
    licences beside them, an ``@font-face`` per file in the style sheet; EPUBCheck passes."""
    from inclusio.profiles import with_reading
    from inclusio.writers.fonts import CATALOGUE

    stack = "'Atkinson Hyperlegible', OpenDyslexic, Verdana, sans-serif"
    profile = with_reading(profiles["dyslexia"], {"font_family": stack})
    book, writer = build(tmp_path, profile, make_ctx, sample_document())
    assert not [w for w in writer.warnings if w["code"] == "font.not_installed"]
    items = {i.get("href"): i.get("media-type") for i in book.opf.iterfind(".//opf:manifest/opf:item", NS)}
    css = book.zip.read("EPUB/style/inclusio.css").decode("utf-8")
    expected = {
        "atkinsonhyperlegible": ("font/ttf", 4, "SIL OPEN FONT LICENSE"),
        "opendyslexic": ("font/otf", 2, ""),
    }
    for key, (media_type, count, licence_words) in expected.items():
        family = CATALOGUE[key]
        assert family.installed() and len(family.faces) == count
        for face in family.faces:
            assert items[f"fonts/{face.path.name}"] == media_type
            assert book.zip.read(f"EPUB/fonts/{face.path.name}") == face.path.read_bytes()
            assert f"src: url('../fonts/{face.path.name}');\n  font-weight: {face.weight};\n" in css
        licence = [name for name in items if name.startswith("fonts/") and name.endswith("-LICENCE.txt")]
        assert any(book.zip.read(f"EPUB/{name}") == family.licence_file.read_bytes() for name in licence)
        assert licence_words in family.licence_file.read_text(encoding="utf-8")
    faces = CATALOGUE["atkinsonhyperlegible"].faces
    assert {(f.weight, f.style) for f in faces} == {
        (w, s) for w in ("normal", "bold") for s in ("normal", "italic")
    }
    assert all(f.path.read_bytes()[:4] == b"\x00\x01\x00\x00" for f in faces)  # TrueType outlines
    result = check_epub(book.path)
    assert (result.errors, result.fatals) == (0, 0), result.messages


@pytest.mark.slow
def test_epubcheck_passes_on_awkward_and_english_books(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    doc = _doc(
        [
            PageMarker(id="s1", number=1, kind="slide"),
            Paragraph(id="p 1", text="Ligne\x0bsuivante\x00 & <balise>"),
            Figure(id="f1", image="tiff", alt="Un graphique."),
            Figure(id="f2", image="absent"),
            Heading(id="h", level=3, text="Plus loin"),
            Note(id="n", kind="footnote", label="*", text="Note."),
        ],
        {"tiff": Resource(media_type="image/tiff", data=b"II*\x00")},
    )
    awkward, _ = build(tmp_path / "a", profiles["easy-read"], make_ctx, doc)
    english, _ = build(tmp_path / "b", profiles["low-vision"], make_ctx, sample_document(lang="en"))
    for book in (awkward, english):
        result = check_epub(book.path)
        assert (result.errors, result.fatals) == (0, 0), result.messages


# -- real documents --------------------------------------------------------------------------------


def _convert(path: Path) -> Document:
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert

    return convert(path, ConvertContext(filename=path.name))


@pytest.mark.parametrize("name", ["fixture-word.docx", "fixture-slides-notes.pptx"])
def test_converted_corpus_documents_have_lang_headings_and_page_list(
    name: str, corpus_dir: Path, tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    source = _convert(corpus_dir / name)
    book, _ = build(tmp_path, profiles["blind"], make_ctx, source)
    assert book.opf.get(XML_LANG) == source.lang
    assert book.opf.findtext(".//dc:language", namespaces=NS) == source.lang
    headings = book.find_all("//x:h1|//x:h2|//x:h3|//x:h4|//x:h5|//x:h6")
    assert headings, "a converted course document has headings"
    levels = [int(h.tag[-1]) for h in headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    markers = source.page_markers()
    page_links = book.nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    assert len(page_links) == len(markers)
    # EPUBCheck and Ace on these books: tests/writers/test_ace.py (the gate over samples and corpus)


# -- MathML, summaries, glossary -----------------------------------------------------------------


def _rich_document() -> Document:
    from inclusio.model import Adaptation, Formula, GlossaryEntry, Provenance

    provenance = Provenance(engine="offline", pass_name="test")
    doc = sample_document()
    doc.blocks.append(
        Formula(
            id="m1",
            text="E = m c²",
            mathml=("<math><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></math>"),
        )
    )
    doc.blocks.append(
        Formula(id="m2", text="x < y", mathml="<math><mi>x</mi><script>alert(1)</script></math>")
    )
    heading = doc.find("b3")
    heading.adaptations = [
        Adaptation(kind="summary", provenance=provenance, text="La cellule est la base du vivant.")
    ]
    doc.glossary = [
        GlossaryEntry(term="noyau", definition="Le centre de la cellule.", provenance=provenance),
        GlossaryEntry(term="organites", provenance=provenance),
    ]
    return doc


def test_mathml_summaries_and_glossary(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    profile = profiles["easy-read"].model_copy(update={"outputs": ["epub"]})
    book, writer = build(tmp_path, profile, make_ctx, _rich_document())
    [math] = [el for doc in book.documents() for el in doc.iter("{http://www.w3.org/1998/Math/MathML}math")]
    assert math.get("alttext") == "E = m c²" and math.get("display") == "block"
    items = {i.get("href"): i for i in book.opf.iterfind(".//opf:manifest/opf:item", NS)}
    assert [h for h, i in items.items() if "mathml" in (i.get("properties") or "")] == ["part-003.xhtml"]
    assert "formula.mathml_invalid" in {w["code"] for w in writer.warnings}  # the one with a script
    assert "MathML" in book.metas("schema:accessibilityFeature")
    [summary] = book.find_all("//x:aside[@class='summary']")
    assert "La cellule est la base du vivant." in "".join(summary.itertext())
    glossary = book.xhtml("glossary.xhtml")
    assert glossary.xpath("//x:section/@epub:type", namespaces=NS) == ["glossary"]
    # "organites" has no definition: it stays in the Document for the staff, never in the book.
    assert [dt.text for dt in glossary.xpath("//x:dt", namespaces=NS)] == ["noyau"]
    assert "Définition à écrire." not in "".join(glossary.itertext())
    links = book.find_all("//x:a[@role='doc-glossref']")
    assert {a.get("href").split("#")[0] for a in links} == {"glossary.xhtml"} and len(links) >= 1
    assert not any("organites" in "".join(a.itertext()) for a in links)
    ids = set(glossary.xpath("//x:dt/@id", namespaces=NS))
    assert {a.get("href").split("#")[1] for a in links} <= ids
    assert book.spine_files()[-1] == "glossary.xhtml"
    assert "glossary" in book.nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)


@pytest.mark.slow
def test_rich_book_passes_epubcheck_and_ace(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    from inclusio.validate.ace import check_epub_ace

    book, _ = build(tmp_path, profiles["dyslexia"], make_ctx, _rich_document())
    result = check_epub(book.path)
    assert (result.errors, result.fatals) == (0, 0), result.messages
    ace = check_epub_ace(book.path)
    assert ace.passed, ace.violations
