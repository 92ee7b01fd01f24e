"""No adaptation pass touches program code: the corpus web-course deck through the easy-to-read profile.

Before code blocks existed, the easy-to-read pass split ``<p>Lorem ... </p>`` into sentences and the
glossary linked words inside HTML tags. The deck is converted by the real converter and adapted by
the offline engine with the profile's own passes (rewrite, glossary, key points).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.adapt.acronyms import find_acronyms
from inclusio.adapt.definitions import find_definition
from inclusio.adapt.easy_read import apply_easy_read
from inclusio.adapt.engine import adapt_document
from inclusio.config import Settings
from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model import Code, Document, Paragraph, SourceInfo, adapted_document
from inclusio.profiles import load_profile
from inclusio.profiles.schema import AdaptationSettings
from inclusio.writers.xhtml import FragmentRenderer

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
STAMP = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def deck(corpus_dir: Path) -> Document:
    path = corpus_dir / "slides-fr-web-course.pptx"
    return convert(path, ConvertContext(filename=path.name))


def test_easy_read_glossary_and_key_points_leave_code_alone(deck: Document, tmp_path: Path) -> None:
    profile = load_profile("easy-read", PROFILES)
    profile = profile.model_copy(update={"glossary": profile.glossary.model_copy(update={"enabled": True})})
    before = {b.id: b.text for b in deck.blocks if isinstance(b, Code)}
    result = adapt_document(deck, profile, Settings(data_dir=tmp_path), created_at=STAMP)
    doc = result.document
    codes = [b for b in doc.blocks if isinstance(b, Code)]
    assert {b.id: b.text for b in codes} == before and len(codes) >= 20
    assert all(not b.adaptations for b in codes)
    # The glossary pass ran (hard words of the slides' prose) and took no word from the code.
    assert doc.glossary
    code_ids = set(before)
    prose = " ".join(b.plain_text().lower() for b in doc.blocks if not isinstance(b, Code))
    for entry in doc.glossary:
        assert not code_ids & set(entry.blocks), entry.term
        assert entry.term.lower() in prose, entry.term

    # What the reader gets: the code exactly, no glossary link or sentence span inside it.
    view = adapted_document(doc, profile.adaptation_kinds)
    renderer = FragmentRenderer(
        view,
        epub=False,
        image_src=lambda key, resource: key,
        read_along=True,
        glossary_href=(lambda ident: f"#{ident}") if view.glossary else None,
    )
    for block in view.blocks:
        if isinstance(block, Code):
            markup = renderer.render(block)
            assert "<a " not in markup and "<span" not in markup
            assert markup.count("\n") == block.text.count("\n")


def test_easy_read_splits_the_prose_and_never_the_code(deck: Document) -> None:
    long = (
        "Une page web est un fichier texte que le navigateur lit, mais elle contient aussi des balises "
        "qui disent au navigateur comment afficher chaque partie du texte."
    )
    doc = deck.model_copy(update={"blocks": [*deck.blocks, Paragraph(id="long", text=long)]})
    settings = AdaptationSettings(
        level="easy_read", max_sentence_words=12, one_sentence_per_line=True, enumerations_as_lists=True
    )
    adapted = apply_easy_read(doc, settings, created_at=STAMP)
    assert adapted.find("long").adaptation("easy_read") is not None
    lorem = next(b for b in adapted.blocks if isinstance(b, Code) and b.text.startswith("<p>Lorem"))
    assert not lorem.adaptations
    assert all(not b.adaptations for b in adapted.blocks if isinstance(b, Code))


def test_definitions_and_acronyms_are_not_read_from_code() -> None:
    doc = Document(
        lang="fr",
        source=SourceInfo(filename="c.md", media_type="text/markdown", sha256="0" * 64),
        blocks=[
            Paragraph(id="b1", text="Le navigateur affiche la page."),
            Code(
                id="b2", text="# Un balisage est un ensemble de balises.\nHyper Text Markup Language (HTML)"
            ),
        ],
    )
    assert find_definition(doc, "balisage") is None
    assert find_acronyms(doc) == {}
    # The same sentence in prose is read: the skip is for code only.
    prose = doc.model_copy(
        update={"blocks": [Paragraph(id="b3", text="Hyper Text Markup Language (HTML) décrit les pages.")]}
    )
    assert "HTML" in find_acronyms(prose)
