"""Acronyms a document uses but never defines (issue #11, easy-to-read rule T8): inclusio's offline acronym
lexicon (adapt/acronym_lexicon.py, data/acronyms.txt).

The rewrite writes the lexicon's meaning in brackets at the acronym's first use in a text, in the text's
language, never inside a name, a quotation, a path or a formula, and never where the sentence would go over
rule T1's limit; the glossary lists it flagged ``glossary.lexicon`` (the machine chose the meaning: staff
confirm, correct or remove it); an acronym nobody defines is a "to define" entry for the staff only. Documents
are made here; the corpus figures are bench/easy_read.py's (docs/quality.md).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from inclusio.adapt import acronym_lexicon
from inclusio.adapt.acronym_lexicon import (
    MAX_SENTENCE_WORDS,
    acronyms_in_use,
    lexicon,
    lexicon_acronyms,
    reference_entry,
    undefined_acronyms,
    write_out,
)
from inclusio.adapt.acronyms import Acronym, find_acronyms
from inclusio.adapt.engine import adapt_document
from inclusio.adapt.rewrite import block_meanings
from inclusio.analysis.easy_read_rules import acronym_spans, check_rules, check_text
from inclusio.config import Settings
from inclusio.model.document import (
    Document,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Provenance,
    SourceInfo,
)
from inclusio.model.view import adapted_document, student_glossary
from inclusio.profiles import load_profile
from inclusio.writers.base import RenderContext
from inclusio.writers.epub3 import Epub3Writer

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
LEXICON_FILE = Path(acronym_lexicon.__file__).resolve().parents[1] / "data" / "acronyms.txt"
STAMP = "2024-09-02T08:00:00+00:00"
SOURCE = SourceInfo(filename="cours.md", media_type="text/markdown", sha256="0" * 64)
BASIS = re.compile(r"^(?:name: .+|spec: .+|law: .+|chem|edu-fr|usage: .+)$")
NS = {"x": "http://www.w3.org/1999/xhtml"}


def _lexicon_acronyms(lang: str, *shorts: str) -> dict[str, Acronym]:
    """What :func:`lexicon_acronyms` gives a document of ``lang`` for these acronyms."""
    out = {}
    for short in shorts:
        entry = lexicon()[short]
        out[short] = Acronym(
            short,
            entry.meanings[lang],
            "p1",
            origin="lexicon",
            meanings={code: entry.meanings[code] for code in entry.langs},
            basis=entry.basis,
        )
    return out


def _course(lang: str = "fr") -> Document:
    """A made course using "ADN" and "HTML" (in the lexicon) and "XQZ" (in no lexicon), never defining them."""
    if lang == "en":
        blocks = [
            Heading(id="h1", level=1, text="Cells and web pages"),
            Paragraph(id="p1", text="The nucleus holds the DNA of the cell. The DNA carries the genes."),
            Paragraph(
                id="p2", text="A web page is written in HTML. The XQZ code of the lab is used for tests."
            ),
        ]
        return Document(title="Cells", lang="en", source=SOURCE, blocks=blocks)
    blocks = [
        Heading(id="h1", level=1, text="La cellule et le web"),
        Paragraph(id="p1", text="Le noyau contient l'ADN de la cellule. L'ADN porte les gènes."),
        Paragraph(
            id="p2", text="Une page web est écrite en HTML. Le code XQZ du laboratoire sert aux tests."
        ),
        Paragraph(id="p3", text="Chaque cellule du corps garde son ADN dans le noyau."),
    ]
    return Document(title="La cellule", lang="fr", source=SOURCE, blocks=blocks)


def _adapt(doc: Document, tmp_path: Path) -> Document:
    profile = load_profile("easy-read", PROFILES)
    return adapt_document(doc, profile, Settings(data_dir=tmp_path), created_at=STAMP).document


def _rewrite(doc: Document, block_id: str) -> str:
    adaptation = doc.find(block_id).adaptation("easy_read")
    assert adaptation is not None
    return "\n".join(getattr(b, "text", "") for b in adaptation.blocks)


def _t8(doc: Document, kinds: tuple[str, ...]) -> list[str]:
    """The words rule T8 fails on in ``doc`` (the source, or the reader's view of ``kinds``)."""
    report = check_rules(doc, adaptation_kinds=kinds)
    return sorted(
        hit.excerpt
        for block in report.blocks
        for sentence in block.sentences
        for hit in sentence.hits
        if hit.rule == "T8" and hit.severity == "fail"
    )


# -- the lexicon file -------------------------------------------------------------------------------------


def test_every_line_of_the_lexicon_is_well_formed_with_no_duplicate_and_no_acronym_in_a_meaning() -> None:
    lines = [
        line
        for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert len(lines) >= 300
    shorts: Counter[str] = Counter()
    for line in lines:
        fields = line.split(" | ")
        assert len(fields) == 5, line
        short, langs, fr, en, basis = (f.strip() for f in fields)
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", short), line
        assert langs.split() and set(langs.split()) <= {"fr", "en"}, line
        assert BASIS.match(basis), line
        for lang, meaning in (("fr", fr), ("en", en)):
            assert meaning and not meaning.endswith("."), line
            # A meaning is what explains the acronym: it holds none itself (rule T8 would fail on it).
            assert acronym_spans(meaning, lang) == [], (line, lang)
            assert short.lower() not in re.findall(r"\w+", meaning.lower()), line
        shorts[short] += 1
    assert [s for s, n in shorts.items() if n > 1] == []
    known = lexicon()
    assert len(known) == len(lines)
    assert known["ADN"].langs == ("fr",) and known["DNA"].langs == ("en",)
    assert known["HTML"].meanings == {
        "fr": "langage de balisage hypertexte",
        "en": "HyperText Markup Language",
    }


# -- write_out ------------------------------------------------------------------------------------------------


def test_write_out_in_french_at_the_first_use_only() -> None:
    acronyms = _lexicon_acronyms("fr", "ADN")
    text, done = write_out("Le noyau contient l'ADN de la cellule. L'ADN porte les gènes.", acronyms, "fr")
    assert text == "Le noyau contient l'ADN (acide désoxyribonucléique) de la cellule. L'ADN porte les gènes."
    assert done == ["ADN"]
    # Already explained in the text: nothing added.
    again, done = write_out(text, acronyms, "fr")
    assert again == text and done == []


def test_write_out_in_english_in_the_texts_language() -> None:
    acronyms = _lexicon_acronyms("en", "DNA", "HTML")
    text, done = write_out("Web pages are written in HTML. HTML is easy. The cell keeps DNA.", acronyms, "en")
    assert text == (
        "Web pages are written in HTML (HyperText Markup Language). HTML is easy. "
        "The cell keeps DNA (deoxyribonucleic acid)."
    )
    assert sorted(done) == ["DNA", "HTML"]
    # The French meaning in a French text for an acronym used in both languages.
    fr, _ = write_out("La page est en HTML.", _lexicon_acronyms("fr", "HTML"), "fr")
    assert fr == "La page est en HTML (langage de balisage hypertexte)."


@pytest.mark.parametrize(
    "text",
    [
        "6 CO2 + 6 H2O → C6H12O6 + 6 O2",  # a formula line: every symbol stays as it is
        "Open the HTML Editor window.",  # a word of a longer name
        "Lancez GNU Privacy Guard.",
        'Type "HTML" in the box.',  # quoted as it is typed
        "Le fichier est dans /usr/share/HTML/aide.",  # a path
        "Save it as page.HTML today.",
        "Le texte est codé en UTF-8.",  # a compound
        "Le HTML (langage du web) est simple.",  # already followed by brackets
        "(C'est en HTML, comme toute page web.)",  # inside brackets already
    ],
)
def test_no_bracket_inside_a_name_a_quotation_a_path_or_a_formula(text: str) -> None:
    acronyms = {
        **_lexicon_acronyms("fr", "CO2", "H2O", "O2", "C6H12O6", "HTML", "GNU", "UTF"),
        **_lexicon_acronyms("en", "HTML"),
    }
    lang = "en" if text.startswith(("Open", "Type", "Save")) else "fr"
    assert write_out(text, acronyms, lang) == (text, [])


def test_nothing_is_written_into_a_bibliography_entry(tmp_path: Path) -> None:
    reference = "[2] Donald E. Knuth. TEX and METAFONT: New Directions in Typesetting. Bedford, USA, 1979."
    assert reference_entry(reference) and reference_entry("Knuth, D. E. (1979). TeX and METAFONT.")
    assert not reference_entry("Le noyau contient l'ADN. Voir [2].")
    source = Document(
        title="Références",
        lang="fr",
        source=SOURCE,
        blocks=[Paragraph(id="p1", text=reference), Paragraph(id="p2", text="Ce livre vient des USA.")],
    )
    doc = _adapt(source, tmp_path)
    first = doc.find("p1").adaptation("easy_read")
    assert first is None or "(" not in "\n".join(getattr(b, "text", "") for b in first.blocks)
    assert _rewrite(doc, "p2") == "Ce livre vient des USA (États-Unis d'Amérique)."  # its first use elsewhere


def test_the_same_symbol_outside_a_formula_is_written_out() -> None:
    text, done = write_out("La plante prend le CO2 de l'air.", _lexicon_acronyms("fr", "CO2"), "fr")
    assert text == "La plante prend le CO2 (dioxyde de carbone) de l'air." and done == ["CO2"]


def test_a_sentence_stays_within_rule_t1s_limit() -> None:
    acronyms = _lexicon_acronyms("fr", "ADN")
    meaning_words = 2  # "acide désoxyribonucléique"
    fits = "Dans chaque cellule vivante de notre corps, le noyau garde l'ADN avec beaucoup de soin tous les jours."
    too_long = "Dans chaque cellule vivante de notre corps humain, le noyau garde l'ADN avec beaucoup de soin et de calme."
    assert len(fits.split()) + meaning_words <= MAX_SENTENCE_WORDS < len(too_long.split()) + meaning_words
    written, done = write_out(fits, acronyms, "fr")
    assert done == ["ADN"] and len(written.split()) <= MAX_SENTENCE_WORDS
    assert not [
        h for s in check_text(written, "fr") for h in s.hits if h.rule == "T1" and h.severity == "fail"
    ]
    # Over the limit: left for the glossary; a later short sentence of the same text gets it.
    assert write_out(too_long, acronyms, "fr") == (too_long, [])
    text, done = write_out(f"{too_long} L'ADN porte les gènes.", acronyms, "fr")
    assert text == f"{too_long} L'ADN (acide désoxyribonucléique) porte les gènes." and done == ["ADN"]


def test_the_verifier_context_of_a_rewrite_is_the_meanings_of_its_own_acronyms() -> None:
    acronyms = {**_lexicon_acronyms("fr", "ADN", "HTML"), **_lexicon_acronyms("en", "CD")}
    assert block_meanings("Le noyau garde l'ADN.", acronyms) == ["acide désoxyribonucléique"]
    assert set(block_meanings("Deux CDs et une page HTML.", acronyms)) == {
        "langage de balisage hypertexte",
        "HyperText Markup Language",
        "disque compact",
        "compact disc",
    }
    assert block_meanings("Le PADN et le HTMLX ne sont pas des sigles connus.", acronyms) == []


# -- a made document through the engine ---------------------------------------------------------------------


def test_a_french_course_gets_meanings_written_out_glossary_entries_flagged_and_fewer_t8_failures(
    tmp_path: Path,
) -> None:
    source = _course("fr")
    used = acronyms_in_use(source)
    assert sorted(used) == ["ADN", "HTML", "XQZ"]
    meanings = lexicon_acronyms(source, find_acronyms(source), used)
    assert {k: (a.origin, a.long) for k, a in meanings.items()} == {
        "ADN": ("lexicon", "acide désoxyribonucléique"),
        "HTML": ("lexicon", "langage de balisage hypertexte"),
    }
    assert sorted(undefined_acronyms(source, meanings, used)) == ["XQZ"]

    doc = _adapt(source, tmp_path)
    assert _rewrite(doc, "p1") == (
        "Le noyau contient l'ADN (acide désoxyribonucléique) de la cellule.\nL'ADN porte les gènes."
    )
    p2 = _rewrite(doc, "p2")
    assert "HTML (langage de balisage hypertexte)" in p2 and "XQZ du laboratoire" in p2 and "XQZ (" not in p2
    # First use in the document only: p3's "son ADN" (where it would fit) is left to the glossary.
    assert write_out(source.find("p3").text, meanings, "fr")[1] == ["ADN"]
    assert doc.find("p3").adaptation("easy_read") is None
    notes = doc.find("p1").adaptation("easy_read").notes
    assert any("ADN from inclusio's acronym lexicon" in n for n in notes), notes

    glossary = {e.term: e for e in doc.glossary}
    adn, html, xqz = glossary["ADN"], glossary["HTML"], glossary["XQZ"]
    assert (adn.origin, adn.definition, adn.blocks) == ("lexicon", "Acide désoxyribonucléique.", ["p1", "p3"])
    assert html.definition == "Langage de balisage hypertexte (en anglais : HyperText Markup Language)."
    for entry in (adn, html):
        [flag] = entry.flags
        assert flag.code == "glossary.lexicon" and entry.needs_review
        assert entry.term in flag.reason and "lexicon" in flag.reason
        assert flag.reason_fr and "liste de sigles" in flag.reason_fr
    assert "usage: biology" in adn.flags[0].reason  # the basis of the meaning, for the reviewer
    assert (xqz.origin, xqz.definition, [f.code for f in xqz.flags]) == (
        "acronym",
        None,
        ["glossary.to_define"],
    )

    # T8: the source fails on every use; the reader's view only on the acronym nobody defines.
    kinds = load_profile("easy-read", PROFILES).adaptation_kinds
    assert _t8(source, ()) == ["ADN", "ADN", "ADN", "HTML", "XQZ"]
    assert _t8(doc, kinds) == ["XQZ"]


def test_a_first_use_in_a_list_item_gets_the_meaning_and_the_later_paragraph_does_not(tmp_path: Path) -> None:
    source = Document(
        title="Le web",
        lang="fr",
        source=SOURCE,
        blocks=[
            Heading(id="h1", level=1, text="Le web"),
            ListBlock(
                id="l1",
                items=[
                    ListItem(text="Les pages en HTML"),
                    ListItem(
                        text="Les styles",
                        children=ListBlock(id="l1c", items=[ListItem(text="Deux fichiers CSS")]),
                    ),
                ],
            ),
            Paragraph(id="p1", text="Le HTML décrit la page. Le CSS décrit son allure."),
        ],
    )
    doc = _adapt(source, tmp_path)
    adaptation = doc.find("l1").adaptation("easy_read")
    [shown] = adaptation.blocks
    assert [i.text for i in shown.items] == [
        "Les pages en HTML (langage de balisage hypertexte)",
        "Les styles",
    ]
    assert shown.items[1].children.items[0].text == "2 fichiers CSS (feuilles de style en cascade)"
    assert sum("acronym lexicon" in n for n in adaptation.notes) == 2 and not adaptation.flags
    assert doc.find("p1").adaptation("easy_read").blocks[0].text == "Le HTML décrit la page."
    assert "(" not in _rewrite(doc, "p1")


def test_without_the_lexicon_the_same_course_keeps_its_t8_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the lexicon brings, measured on the same made course (bench/easy_read.py --no-lexicon does this
    on the corpus)."""
    monkeypatch.setattr(acronym_lexicon, "lexicon", lambda: {})
    doc = _adapt(_course("fr"), tmp_path)
    kinds = load_profile("easy-read", PROFILES).adaptation_kinds
    assert _t8(doc, kinds) == ["ADN", "ADN", "ADN", "HTML", "XQZ"]
    assert "(" not in _rewrite(doc, "p1")
    assert sorted(e.term for e in doc.glossary if e.origin == "acronym") == ["ADN", "HTML", "XQZ"]
    assert all(e.definition is None for e in doc.glossary if e.origin == "acronym")


def test_an_english_course_gets_the_english_meanings(tmp_path: Path) -> None:
    doc = _adapt(_course("en"), tmp_path)
    assert "DNA (deoxyribonucleic acid)" in _rewrite(doc, "p1")
    assert "HTML (HyperText Markup Language)" in _rewrite(doc, "p2")
    glossary = {e.term: e for e in doc.glossary}
    assert glossary["DNA"].definition == "Deoxyribonucleic acid."
    assert glossary["HTML"].definition == "HyperText Markup Language."  # no "(in English ...)" in English
    assert glossary["XQZ"].origin == "acronym" and glossary["XQZ"].definition is None


def test_a_definition_the_document_gives_wins_over_the_lexicon(tmp_path: Path) -> None:
    source = _course("fr")
    source.blocks.insert(1, Paragraph(id="p0", text="L'Agence Digitale Nationale (ADN) publie des guides."))
    doc = _adapt(source, tmp_path)
    adn = next(e for e in doc.glossary if e.term == "ADN")
    assert adn.origin == "document" and adn.definition == "Agence Digitale Nationale" and not adn.flags
    assert "désoxyribonucléique" not in _rewrite(doc, "p1")


def test_an_acronym_the_document_spells_out_with_its_small_words_is_defined_not_to_define() -> None:
    source = _course("fr")
    source.blocks.append(
        Paragraph(id="p4", text="Retenez la règle LLSM (Lisez Le Super Manuel) avant de demander.")
    )
    found = find_acronyms(source)
    assert found["LLSM"].long == "Lisez Le Super Manuel"
    assert "LLSM" not in undefined_acronyms(source, {**found, **lexicon_acronyms(source, found)})
    # Without its small word the initials do not spell it ("Lisez Super Manuel" is LSM): not a definition.
    source.blocks[-1] = Paragraph(
        id="p4", text="Retenez la règle LLSM (Lisez Super Manuel) avant de demander."
    )
    assert "LLSM" not in find_acronyms(source)


def test_a_reviewers_decision_on_a_lexicon_entry_is_what_the_next_adaptation_uses(tmp_path: Path) -> None:
    """Staff correct, approve or remove a lexicon entry (review API); the release adapts the document again,
    reviewed entries kept as they are."""
    first = {e.term: e for e in _adapt(_course("fr"), tmp_path / "a").glossary}
    person = Provenance(engine="human", pass_name="glossary", reviewed_by="rania", reviewed_at=STAMP)

    def decided(term: str, **update: object) -> Document:
        source = _course("fr")
        source.glossary = [first[term].model_copy(update=update)]
        return source

    # Corrected: the person's short meaning is written out instead of the lexicon's; the entry is theirs.
    corrected = _adapt(decided("ADN", definition="La molécule des gènes.", provenance=person), tmp_path / "b")
    assert _rewrite(corrected, "p1").startswith(
        "Le noyau contient l'ADN (la molécule des gènes) de la cellule."
    )
    adn = next(e for e in corrected.glossary if e.term == "ADN")
    assert adn.definition == "La molécule des gènes." and not adn.needs_review
    # Approved as it is: the lexicon's meaning stays, no longer waiting for review.
    stamped = first["HTML"].provenance.model_copy(update={"reviewed_by": "rania", "reviewed_at": STAMP})
    approved = _adapt(decided("HTML", provenance=stamped), tmp_path / "c")
    html = next(e for e in approved.glossary if e.term == "HTML")
    assert html.provenance.reviewed_by == "rania" and not html.needs_review
    assert "HTML (langage de balisage hypertexte)" in _rewrite(approved, "p2")
    # Removed: not written out, not in the student's glossary, not brought back by the glossary pass.
    removed = _adapt(decided("ADN", definition=None, provenance=person), tmp_path / "d")
    assert "(" not in _rewrite(removed, "p1")
    assert "ADN" not in [e.term for e in student_glossary(removed.glossary)]
    assert [e.provenance.reviewed_by for e in removed.glossary if e.term == "ADN"] == ["rania"]


# -- the student's copy ---------------------------------------------------------------------------------------


def test_the_students_epub_shows_lexicon_entries_with_their_note_and_never_a_term_to_define(
    tmp_path: Path,
) -> None:
    profile = load_profile("easy-read", PROFILES)
    settings = Settings(data_dir=tmp_path / "data")
    doc = adapt_document(_course("fr"), profile, settings, created_at=STAMP).document
    view = adapted_document(doc, profile.adaptation_kinds)
    assert sorted(e.term for e in view.glossary) == ["ADN", "HTML"]  # XQZ (to define) is staff-only
    ctx = RenderContext(out_dir=tmp_path, basename="cours", profile=profile, settings=settings, source=doc)
    [artifact] = Epub3Writer().write(view, ctx)
    with zipfile.ZipFile(artifact.path) as book:
        glossary = etree.fromstring(book.read("EPUB/glossary.xhtml"))
        chapters = b"".join(book.read(n) for n in book.namelist() if n.endswith(".xhtml"))
    terms = ["".join(dt.itertext()) for dt in glossary.iterfind(".//x:dt", NS)]
    assert terms == ["ADN", "HTML"]
    notes = glossary.xpath("//x:dd[@class='unreviewed-note']", namespaces=NS)
    assert len(notes) == 2  # each machine-chosen meaning is followed by the "to check" note
    assert "".join(notes[0].getprevious().itertext()) == "Acide désoxyribonucléique."
    assert b"XQZ</dt>" not in chapters and "Définition à écrire".encode() not in chapters
    assert "(acide désoxyribonucléique)".encode() in chapters


# -- the model's rewrite -------------------------------------------------------------------------------------


def test_the_models_rewrite_is_given_the_blocks_meanings_and_an_answer_using_them_is_accepted(
    mistral_server: object, tmp_path: Path
) -> None:
    import json

    from inclusio.llm.prompts import DATA_CLOSE, DATA_OPEN, load_prompt

    settings = Settings(
        data_dir=tmp_path,
        engine="mistral",
        mistral_server_url=mistral_server.url,  # type: ignore[attr-defined]
        mistral_api_key="k",
        llm_timeout_s=2,
        mistral_model_text="acronyms",  # the fake model writes DATA's meanings in brackets, as asked
    )
    profile = load_profile("easy-read", PROFILES)
    doc = adapt_document(_course("fr"), profile, settings, created_at=STAMP).document
    [request] = [
        r["body"]["messages"]
        for r in mistral_server.calls()  # type: ignore[attr-defined]
        if r["body"]["messages"][0]["content"].startswith("You rewrite")
    ]
    user = request[1]["content"]
    data = json.loads(user[user.index(DATA_OPEN) + len(DATA_OPEN) : user.rindex(DATA_CLOSE)])
    # The meanings of the blocks' own acronyms, in their language; none for XQZ, which no lexicon knows.
    assert data["acronyms"] == {"ADN": "acide désoxyribonucléique", "HTML": "langage de balisage hypertexte"}
    assert "DATA.acronyms" in request[0]["content"]
    for block_id, written in (
        ("p1", "l'ADN (acide désoxyribonucléique)"),
        ("p2", "HTML (langage de balisage"),
    ):
        adaptation = doc.find(block_id).adaptation("easy_read")
        assert adaptation is not None and adaptation.provenance.engine == "mistral", block_id
        assert adaptation.provenance.prompt_version == load_prompt("easy_read").version == "easy_read-4"
        assert written in _rewrite(doc, block_id)
        assert adaptation.flags == [], adaptation.flags  # the verifier accepts the meanings it was given
