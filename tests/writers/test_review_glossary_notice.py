"""The student's copy counts the glossary's machine-made definitions too (issue #11): how many, how many a
person reviewed, how many are flagged and not reviewed (a release staff confirmed with ``accept_unreviewed``);
each of those is marked in the glossary. Exact sentences in French and English, read from the EPUB's
accessibility summary and the HTML page the writers make; EPUBCheck and DAISY Ace still pass.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docfactory import MakeContext, sample_document
from lxml import etree, html
from test_review_notice import FR_CONFIRMED, FR_FLAGGED, flagged_document

from inclusio.model import Document, Flag, GlossaryEntry, Provenance, adapted_document
from inclusio.model.flags import machine_definitions
from inclusio.model.view import student_glossary
from inclusio.profiles import Profile
from inclusio.writers.epub3 import Epub3Writer
from inclusio.writers.html import HtmlWriter
from inclusio.writers.xhtml import review_sentences

NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
FR_DEFINITIONS = (  # partly reviewed: the count a person reviewed, then the flagged ones left
    "Le glossaire contient 3 définitions faites par une machine ; 1 a été relue par une personne ; 1 n'a pas "
    "encore été relue par une personne et elle est signalée dans le glossaire."
)
EN_DEFINITIONS = (
    "The glossary contains 3 machine-made definitions; 1 has been reviewed by a person; 1 has not been reviewed "
    "by a person yet and is marked in the glossary."
)
FR_CONFIRMED_DEFINITIONS = (
    "Cette version a été publiée par l'équipe d'accompagnement en sachant que ces définitions signalées "
    "n'étaient pas relues."
)
EN_CONFIRMED_DEFINITIONS = (
    "The support staff released this version knowing these flagged definitions were not reviewed."
)
FR_CONFIRMED_BOTH = (
    "Cette version a été publiée par l'équipe d'accompagnement en sachant que ces passages et ces "
    "définitions signalés n'étaient pas relus."
)
FR_MARK = (
    "À vérifier : cette définition a été faite par une machine et n'a pas encore été relue par une personne."
)
EN_MARK = "To check: this definition was made by a machine and has not been reviewed by a person yet."
INVENTED = "Une partie de la cellule qui a 12 membranes."


def _entry(
    term: str,
    definition: str | None,
    *,
    engine: str = "offline",
    reviewed: bool = False,
    flagged: bool = False,
) -> GlossaryEntry:
    flags = (
        [
            Flag(
                code="verify.added_fact",
                reason="the number 12 is not in the source",
                reason_fr="le nombre 12…",
            )
        ]
        if flagged
        else []
    )
    return GlossaryEntry(
        term=term,
        definition=definition,
        origin="document" if engine == "offline" else "model",
        flags=flags,
        provenance=Provenance(engine=engine, pass_name="glossary", reviewed_by="rania" if reviewed else None),
    )


def with_glossary(doc: Document) -> Document:
    """Six entries: three machine-made definitions a student gets (one flagged and not reviewed, one reviewed
    as it is, one unflagged), one a person wrote, one a person removed, one still to define."""
    doc.glossary = [
        _entry("mitochondrie", INVENTED, engine="mistral", flagged=True),
        _entry("noyau", "La partie de la cellule qui garde l'ADN.", reviewed=True, flagged=True),
        _entry("organite", "Une petite partie de la cellule."),
        _entry("réticulum", "Un réseau de membranes dans la cellule.", engine="human", reviewed=True),
        _entry("eucaryote", None, engine="human", reviewed=True),
        _entry("procaryote", None),
    ]
    return doc


def test_machine_definitions_count_what_the_student_gets() -> None:
    entries = student_glossary(with_glossary(sample_document()).glossary)
    assert [e.term for e in entries] == ["mitochondrie", "noyau", "organite", "réticulum"]
    assert machine_definitions(entries) == {"machine": 3, "reviewed": 1, "flagged": 1}
    assert machine_definitions([]) == {"machine": 0, "reviewed": 0, "flagged": 0}


@pytest.mark.parametrize(
    ("definitions", "lang", "confirmed", "expected"),
    [
        ({"machine": 3, "reviewed": 1, "flagged": 1}, "fr", False, [FR_DEFINITIONS]),
        ({"machine": 3, "reviewed": 1, "flagged": 1}, "en", False, [EN_DEFINITIONS]),
        ({"machine": 3, "reviewed": 1, "flagged": 1}, "fr", True, [FR_DEFINITIONS, FR_CONFIRMED_DEFINITIONS]),
        (
            {"machine": 3, "reviewed": 1, "flagged": 1},
            "en-GB",
            True,
            [EN_DEFINITIONS, EN_CONFIRMED_DEFINITIONS],
        ),
        (
            {"machine": 4, "reviewed": 0, "flagged": 2},
            "fr",
            False,
            [
                "Le glossaire contient 4 définitions faites par une machine ; 2 n'ont pas encore été relues par une "
                "personne et elles sont signalées dans le glossaire."
            ],
        ),
        (
            {"machine": 1, "reviewed": 1, "flagged": 0},
            "fr",
            True,  # nothing flagged: no confirmation sentence
            ["Le glossaire contient 1 définition faite par une machine ; elle a été relue par une personne."],
        ),
        (
            {"machine": 5, "reviewed": 2, "flagged": 0},
            "fr",
            False,
            [
                "Le glossaire contient 5 définitions faites par une machine ; 2 ont été relues par une personne ; "
                "les 3 autres n'ont pas été relues, mais la vérification automatique n'y a rien signalé."
            ],
        ),
        (
            {"machine": 2, "reviewed": 0, "flagged": 0},
            "en",
            False,
            [
                "The glossary contains 2 machine-made definitions; they have not been reviewed by a person but the "
                "automatic check flagged nothing in them."
            ],
        ),
        ({"machine": 0, "reviewed": 0, "flagged": 0}, "fr", True, []),
    ],
)
def test_definition_sentences_in_french_and_english(
    definitions: dict[str, int], lang: str, confirmed: bool, expected: list[str]
) -> None:
    none = {"machine": 0, "reviewed": 0, "flagged": 0}
    assert review_sentences(none, lang, release_confirmed=confirmed, definitions=definitions) == expected


def test_flagged_passages_and_definitions_released_together_are_both_named() -> None:
    passages = {"machine": 3, "reviewed": 0, "flagged": 1}
    definitions = {"machine": 3, "reviewed": 1, "flagged": 1}
    said = review_sentences(passages, "fr", release_confirmed=True, definitions=definitions)
    assert said == [FR_FLAGGED, FR_DEFINITIONS, FR_CONFIRMED_BOTH]
    # Only the passages flagged: the sentence about passages, as before.
    said = review_sentences(passages, "fr", release_confirmed=True, definitions={**definitions, "flagged": 0})
    assert said[-1] == FR_CONFIRMED


def _epub(
    tmp: Path, doc: Document, profile: Profile, make_ctx: MakeContext
) -> tuple[Path, str, etree._Element]:
    ctx = replace(make_ctx(tmp, profile, doc), release_confirmed=True)
    [artifact] = Epub3Writer().write(adapted_document(doc, profile.adaptation_kinds), ctx)
    with zipfile.ZipFile(artifact.path) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        glossary = etree.fromstring(book.read("EPUB/glossary.xhtml"))
    [summary] = [m.text for m in opf.iterfind(".//opf:meta[@property='schema:accessibilitySummary']", NS)]
    return artifact.path, summary, glossary


def _marked(entries: list[etree._Element]) -> list[str]:
    """The terms whose definition is followed by the unreviewed note (``dt`` text, in order)."""
    out = []
    for dt in entries:
        following = dt.getnext()
        while following is not None and following.tag.endswith("dd"):
            if "unreviewed-note" in (following.get("class") or ""):
                out.append("".join(dt.itertext()))
            following = following.getnext()
    return out


def test_a_confirmed_release_epub_counts_the_definitions_and_marks_the_flagged_one(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    _, summary, glossary = _epub(tmp_path, with_glossary(sample_document()), profiles["easy-read"], make_ctx)
    assert f"{FR_DEFINITIONS} {FR_CONFIRMED_DEFINITIONS}" in summary, summary
    assert "passages écrits par une machine" not in summary  # the sample has no adapted passage
    terms = glossary.findall(".//x:dt", NS)
    assert ["".join(t.itertext()) for t in terms] == ["mitochondrie", "noyau", "organite", "réticulum"]
    assert _marked(terms) == ["mitochondrie"]
    [note] = glossary.xpath("//x:dd[@class='unreviewed-note']", namespaces=NS)
    assert "".join(note.itertext()) == FR_MARK
    assert "".join(note.getprevious().itertext()) == INVENTED  # right after the flagged definition


def test_once_reviewed_the_epub_says_so_and_marks_nothing(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    doc = with_glossary(sample_document())
    doc.glossary = [
        e.model_copy(update={"provenance": e.provenance.model_copy(update={"reviewed_by": "rania"})})
        for e in doc.glossary
    ]
    _, summary, glossary = _epub(tmp_path, doc, profiles["easy-read"], make_ctx)
    assert (
        "Le glossaire contient 3 définitions faites par une machine ; toutes ont été relues par une personne."
    ) in summary
    assert "Cette version a été publiée" not in summary
    assert not glossary.xpath("//x:dd[@class='unreviewed-note']", namespaces=NS)


def test_english_html_page_counts_and_marks_the_definitions_with_the_passages(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    profile = profiles["easy-read"]
    doc = with_glossary(flagged_document("en"))
    ctx = replace(make_ctx(tmp_path, profile, doc), release_confirmed=True)
    [artifact] = HtmlWriter().write(adapted_document(doc, profile.adaptation_kinds), ctx)
    page = html.fromstring(artifact.path.read_bytes())
    footer = page.xpath("//footer/p")[0].text_content()
    assert (
        "This document contains 3 machine-written passages; 1 has not been reviewed by a person yet and is marked "
        "in the text. "
        f"{EN_DEFINITIONS} "
        "The support staff released this version knowing these flagged passages and definitions were not reviewed."
    ) in footer, footer
    assert EN_DEFINITIONS in page.xpath("//meta[@name='description']/@content")[0]
    notes = page.xpath("//section[@role='doc-glossary']//dd[@class='unreviewed-note']")
    assert [n.text_content() for n in notes] == [EN_MARK]
    assert notes[0].getprevious().text_content() == INVENTED
    assert page.xpath("//p[@class='unreviewed-note']")  # the passage's note is still there


@pytest.mark.slow
def test_a_book_with_a_flagged_definition_passes_epubcheck_and_ace(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    from inclusio.validate.ace import check_epub_ace
    from inclusio.validate.epubcheck import check_epub

    path, summary, _ = _epub(tmp_path, with_glossary(flagged_document()), profiles["easy-read"], make_ctx)
    assert FR_DEFINITIONS in summary and FR_CONFIRMED_BOTH in summary
    result = check_epub(path)
    assert (result.errors, result.fatals) == (0, 0), result.messages
    ace = check_epub_ace(path)
    assert ace.passed, ace.violations
