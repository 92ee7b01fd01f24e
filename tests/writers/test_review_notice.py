"""The student's copy says what a machine wrote and what no person has reviewed yet (issue #11).

The EPUB's accessibility summary and the HTML page say it in the document's language (exact
sentences, French and English); each flagged, unreviewed passage is preceded by a visible note in
the text (so a screen-reader user hears it too); EPUBCheck and DAISY Ace still pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docfactory import MakeContext, sample_document
from lxml import etree, html

from inclusio.model import Adaptation, Document, Flag, Paragraph, Provenance, adapted_document
from inclusio.model.flags import machine_passages, unreviewed_starts
from inclusio.profiles import Profile
from inclusio.writers.epub3 import Epub3Writer
from inclusio.writers.html import HtmlWriter
from inclusio.writers.xhtml import review_sentences

NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}

FR_FLAGGED = (
    "Ce document contient 3 passages écrits par une machine ; 1 n'a pas encore été relu par une "
    "personne et il est signalé dans le texte."
)
EN_FLAGGED = (
    "This document contains 3 machine-written passages; 1 has not been reviewed by a person yet and is "
    "marked in the text."
)
FR_ALL = "Ce document contient 3 passages écrits par une machine ; tous ont été relus par une personne."
EN_ALL = "This document contains 3 machine-written passages; all have been reviewed by a person."
FR_NOTE = (
    "À vérifier : le passage suivant a été écrit par une machine et n'a pas encore été relu par une personne."
)
EN_NOTE = "To check: the next passage was written by a machine and has not been reviewed by a person yet."
FR_CONFIRMED = (
    "Cette version a été publiée par l'équipe d'accompagnement en sachant que ces passages signalés "
    "n'étaient pas relus."
)


def _rewrite(
    block_id: str,
    text: str,
    *,
    flags: list[Flag] | None = None,
    reviewed: bool = False,
    engine: str = "offline",
) -> Adaptation:
    return Adaptation(
        kind="easy_read",
        blocks=[Paragraph(id=f"{block_id}-e1", text=text)],
        flags=flags or [],
        provenance=Provenance(
            engine=engine,
            pass_name="easy_read",
            prompt_version="rules-1",
            reviewed_by="staff1" if reviewed else None,
            reviewed_at="2026-12-07T01:00:00+00:00" if reviewed else None,
        ),
    )


def flagged_document(lang: str = "fr", *, reviewed: bool = False) -> Document:
    """Three machine-written passages (b4 flagged, b9 and b20 not), one human-written (b1)."""
    doc = sample_document(lang)
    flag = Flag(
        code="verify.number_changed", reason="the number 6 became 7", reason_fr="le nombre 6 est devenu 7"
    )
    doc.find("b4").adaptations = [
        _rewrite("b4", "La cellule est la base du vivant. Elle a 7 noyaux.", flags=[flag], reviewed=reviewed)
    ]
    doc.find("b9").adaptations = [_rewrite("b9", "The cell is the base of life.", reviewed=reviewed)]
    doc.find("b20").adaptations = [_rewrite("b20", "Le chapitre est fini.", reviewed=reviewed)]
    doc.find("b1").adaptations = [_rewrite("b1", "Cours de biologie", engine="human", reviewed=True)]
    return doc


def test_machine_passages_count_what_the_reader_gets(profiles: dict[str, Profile]) -> None:
    kinds = profiles["easy-read"].adaptation_kinds
    assert machine_passages(flagged_document(), kinds) == {"machine": 3, "reviewed": 0, "flagged": 1}
    assert machine_passages(flagged_document(reviewed=True), kinds) == {
        "machine": 3,
        "reviewed": 3,
        "flagged": 0,
    }
    assert unreviewed_starts(flagged_document(), kinds) == {"b4-e1"}
    # A profile that shows no easy-to-read text shows no machine-written passage.
    assert machine_passages(flagged_document(), profiles["dyslexia"].adaptation_kinds)["machine"] == 0


@pytest.mark.parametrize(
    ("passages", "lang", "expected"),
    [
        ({"machine": 3, "reviewed": 0, "flagged": 1}, "fr", [FR_FLAGGED]),
        ({"machine": 3, "reviewed": 0, "flagged": 1}, "en", [EN_FLAGGED]),
        ({"machine": 3, "reviewed": 3, "flagged": 0}, "fr", [FR_ALL]),
        ({"machine": 3, "reviewed": 3, "flagged": 0}, "en-GB", [EN_ALL]),
        (
            {"machine": 12, "reviewed": 0, "flagged": 3},
            "fr",
            [
                "Ce document contient 12 passages écrits par une machine ; 3 n'ont pas encore été relus par une personne "
                "et ils sont signalés dans le texte."
            ],
        ),
        (
            {"machine": 1, "reviewed": 1, "flagged": 0},
            "fr",
            ["Ce document contient 1 passage écrit par une machine ; il a été relu par une personne."],
        ),
        (
            {"machine": 2, "reviewed": 0, "flagged": 0},
            "en",
            [
                "This document contains 2 machine-written passages; they have not been reviewed by a person but the "
                "automatic check flagged nothing in them."
            ],
        ),
        (
            {"machine": 23, "reviewed": 16, "flagged": 0},
            "fr",
            [
                "Ce document contient 23 passages écrits par une machine ; 16 ont été relus par une personne ; les 7 autres "
                "n'ont pas été relus, mais la vérification automatique n'y a rien signalé."
            ],
        ),
        (
            {"machine": 2, "reviewed": 1, "flagged": 0},
            "en",
            [
                "This document contains 2 machine-written passages; 1 has been reviewed by a person; the other one has not, "
                "but the automatic check flagged nothing in it."
            ],
        ),
        (  # partly reviewed with flagged passages left: both counts (issue #16: "3 of 21" is said)
            {"machine": 21, "reviewed": 3, "flagged": 5},
            "fr",
            [
                "Ce document contient 21 passages écrits par une machine ; 3 ont été relus par une personne ; 5 "
                "n'ont pas encore été relus par une personne et ils sont signalés dans le texte."
            ],
        ),
        (
            {"machine": 21, "reviewed": 1, "flagged": 1},
            "en",
            [
                "This document contains 21 machine-written passages; 1 has been reviewed by a person; 1 has not "
                "been reviewed by a person yet and is marked in the text."
            ],
        ),
        ({"machine": 0, "reviewed": 0, "flagged": 0}, "fr", []),
    ],
)
def test_review_sentences_in_french_and_english(
    passages: dict[str, int], lang: str, expected: list[str]
) -> None:
    assert review_sentences(passages, lang) == expected


def _epub(
    tmp: Path, doc: Document, profile: Profile, make_ctx: MakeContext, *, confirmed: bool = False
) -> tuple[Path, str, list[str]]:
    from dataclasses import replace

    ctx = replace(make_ctx(tmp, profile, doc), release_confirmed=confirmed)
    [artifact] = Epub3Writer().write(adapted_document(doc, profile.adaptation_kinds), ctx)
    import zipfile

    with zipfile.ZipFile(artifact.path) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        texts = [
            "".join(p.itertext())
            for name in book.namelist()
            if name.endswith(".xhtml") and "part-" in name
            for p in etree.fromstring(book.read(name)).iterfind(".//x:p", NS)
        ]
    [summary] = [m.text for m in opf.iterfind(".//opf:meta[@property='schema:accessibilitySummary']", NS)]
    return artifact.path, summary, texts


def test_epub_says_what_is_unreviewed_and_marks_it_in_the_text(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    _, summary, texts = _epub(tmp_path, flagged_document(), profiles["easy-read"], make_ctx)
    assert FR_FLAGGED in summary and FR_CONFIRMED not in summary
    # The note comes right before the flagged passage, once; the unflagged passages have none.
    assert texts.count(FR_NOTE) == 1
    index = texts.index(FR_NOTE)
    assert texts[index + 1] == "La cellule est la base du vivant. Elle a 7 noyaux."


def test_epub_after_review_says_reviewed_and_marks_nothing(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    _, summary, texts = _epub(tmp_path, flagged_document(reviewed=True), profiles["easy-read"], make_ctx)
    assert FR_ALL in summary and "signalé dans le texte" not in summary
    assert FR_NOTE not in texts


def test_epub_of_a_confirmed_release_says_so(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    _, summary, _ = _epub(tmp_path, flagged_document(), profiles["easy-read"], make_ctx, confirmed=True)
    assert f"{FR_FLAGGED} {FR_CONFIRMED}" in summary


def test_english_html_page_says_it_in_english(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    profile = profiles["easy-read"]
    doc = flagged_document("en")
    [artifact] = HtmlWriter().write(
        adapted_document(doc, profile.adaptation_kinds), make_ctx(tmp_path, profile, doc)
    )
    page = html.fromstring(artifact.path.read_bytes())
    [footer] = page.xpath("//footer/p")
    assert EN_FLAGGED in footer.text_content()
    assert EN_FLAGGED in page.xpath("//meta[@name='description']/@content")[0]
    notes = page.xpath("//p[@class='unreviewed-note']")
    assert [n.text_content() for n in notes] == [EN_NOTE]
    following = notes[0].getnext()
    assert (
        following.tag == "p"
        and following.text_content() == "La cellule est la base du vivant. Elle a 7 noyaux."
    )


@pytest.mark.slow
def test_flagged_book_passes_epubcheck_and_ace(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    from inclusio.validate.ace import check_epub_ace
    from inclusio.validate.epubcheck import check_epub

    path, _, texts = _epub(tmp_path, flagged_document(), profiles["easy-read"], make_ctx, confirmed=True)
    assert FR_NOTE in texts
    result = check_epub(path)
    assert (result.errors, result.fatals) == (0, 0), result.messages
    ace = check_epub_ace(path)
    assert ace.passed, ace.violations


def test_a_flagged_translation_shown_beside_its_block_is_counted_and_marked(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    base = profiles["dyslexia"]
    profile = base.model_copy(
        update={"translation": base.translation.model_copy(update={"target": "en", "mode": "parallel"})}
    )
    assert profile.parallel_kinds == ("translation",)
    doc = sample_document()
    flag = Flag(
        code="verify.untranslated",
        reason="the term 'noyau' is left in French",
        reason_fr="le terme « noyau » n'est pas traduit",
    )
    for block_id, text, flags in (
        ("b4", "The cell is the basic unit of life. It contains a noyau.", [flag]),
        ("b20", "End of the chapter.", []),
    ):
        doc.find(block_id).adaptations = [
            Adaptation(
                kind="translation",
                lang="en",
                flags=flags,
                blocks=[Paragraph(id=f"{block_id}-t1", text=text, lang="en")],
                provenance=Provenance(
                    engine="mistral", pass_name="translation", model="mistral-small-latest"
                ),
            )
        ]
    assert machine_passages(doc, profile.adaptation_kinds, profile.parallel_kinds) == {
        "machine": 2,
        "reviewed": 0,
        "flagged": 1,
    }
    assert unreviewed_starts(doc, profile.adaptation_kinds) == set()  # the note goes with the translation
    view = adapted_document(doc, profile.adaptation_kinds, profile.parallel_kinds)
    [artifact] = HtmlWriter().write(view, make_ctx(tmp_path, profile, doc))
    page = html.fromstring(artifact.path.read_bytes())
    notes = page.xpath("//p[@class='unreviewed-note']")
    assert len(notes) == 1
    [note] = notes
    assert note.text_content() == FR_NOTE
    assert note.getnext().text_content() == "The cell is the basic unit of life. It contains a noyau."
    assert (
        "Ce document contient 2 passages écrits par une machine ; 1 n'a pas encore été relu par une personne "
        "et il est signalé dans le texte."
    ) in page.xpath("//footer/p")[0].text_content()
