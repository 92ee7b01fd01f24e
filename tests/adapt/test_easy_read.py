"""The offline easy-to-read pass: sentences split, enumerations as lists, nothing lost."""

from __future__ import annotations

import re
from collections import Counter

from inclusio.adapt.easy_read import apply_easy_read
from inclusio.analysis.readability import score_document
from inclusio.model.document import (
    Adaptation,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Provenance,
    SourceInfo,
    Table,
    TableCell,
)
from inclusio.model.view import reading_blocks
from inclusio.profiles.schema import AdaptationSettings

SETTINGS = AdaptationSettings(
    level="easy_read", max_sentence_words=15, one_sentence_per_line=True, enumerations_as_lists=True
)
STAMP = "2024-09-02T08:00:00+00:00"

LONG_MAIS = (
    "La photosynthèse se déroule dans les chloroplastes des cellules végétales, mais elle dépend "
    "aussi de la quantité d'eau disponible dans le sol."
)
ENUM_COLON = "Les produits de la réaction sont : le glucose, le dioxygène et l'eau."
ENUM_INLINE = "La plante a besoin de lumière, d'eau, de dioxyde de carbone et de sels minéraux."
SEMICOLON = (
    "En 1779, Jan Ingenhousz montre que les plantes produisent du dioxygène à la lumière ; "
    "il publie ses résultats à Londres la même année."
)
RELATIVE = (
    "Les feuilles des plantes vertes contiennent beaucoup de la chlorophylle, qui capte "
    "la lumière du Soleil pendant la journée."
)
EN_LONG = (
    "Water evaporates from the oceans when the Sun heats the surface, but most of it falls back "
    "as rain over the sea within 9 days."
)


def _doc() -> Document:
    return Document(
        title="Photosynthèse",
        lang="fr",
        source=SourceInfo(filename="c.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[
            Heading(id="h1", level=1, text="La photosynthèse, un processus essentiel, mais complexe et lent"),
            Paragraph(id="b1", text=LONG_MAIS + " " + ENUM_COLON),
            Paragraph(id="b2", text=ENUM_INLINE),
            Paragraph(id="b3", text=SEMICOLON + " " + RELATIVE),
            Paragraph(id="b4", text="Le Soleil brille."),
            Paragraph(id="b5", text=EN_LONG, lang="en"),
            Paragraph(id="c1", text=LONG_MAIS, role="caption"),
            Table(id="t1", rows=[[TableCell(text=LONG_MAIS)]]),
        ],
    )


def _texts(blocks: list) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            out += [f"- {item.text}" for item in block.items]
        else:
            out.append(block.plain_text())
    return out


def test_long_sentence_split_at_mais_never_starts_a_sentence_with_it() -> None:
    adapted = apply_easy_read(_doc(), SETTINGS, created_at=STAMP)
    a = adapted.find("b1").adaptation("easy_read")
    assert a is not None
    assert _texts(a.blocks) == [
        "La photosynthèse se déroule dans les chloroplastes des cellules végétales.",
        "Elle dépend aussi de la quantité d'eau disponible dans le sol.",
        "Les produits de la réaction sont :",
        "- le glucose",
        "- le dioxygène",
        "- l'eau",
    ]
    assert [b.id for b in a.blocks] == ["b1.e1", "b1.e2", "b1.e3", "b1.e4"]
    assert "split 1 sentence at 'mais'" in a.notes
    assert "turned an enumeration of 3 items into a list" in a.notes


def test_inline_enumeration_becomes_intro_and_list() -> None:
    a = apply_easy_read(_doc(), SETTINGS, created_at=STAMP).find("b2").adaptation("easy_read")
    assert a is not None
    assert _texts(a.blocks) == [
        "La plante a besoin :",
        "- de lumière",
        "- d'eau",
        "- de dioxyde de carbone",
        "- de sels minéraux",
    ]
    assert isinstance(a.blocks[1], ListBlock) and not a.blocks[1].ordered


def test_semicolon_and_relative_splits() -> None:
    a = apply_easy_read(_doc(), SETTINGS, created_at=STAMP).find("b3").adaptation("easy_read")
    assert a is not None
    assert _texts(a.blocks) == [
        "En 1779, Jan Ingenhousz montre que les plantes produisent du dioxygène à la lumière.",
        "Il publie ses résultats à Londres la même année.",
        "Les feuilles des plantes vertes contiennent beaucoup de la chlorophylle.",
        "Cette chlorophylle capte la lumière du Soleil pendant la journée.",
    ]
    assert "split 1 sentence at ';'" in a.notes and "split 1 sentence at 'qui'" in a.notes


def test_english_split_and_untouched_blocks() -> None:
    adapted = apply_easy_read(_doc(), SETTINGS, created_at=STAMP)
    a = adapted.find("b5").adaptation("easy_read")
    assert a is not None and a.lang == "en"
    assert _texts(a.blocks) == [
        "Water evaporates from the oceans when the Sun heats the surface.",
        "However, most of it falls back as rain over the sea within 9 days.",
    ]
    assert all(b.lang == "en" for b in a.blocks)
    # A short sentence, a heading, a caption and a table are left as they are.
    for block_id in ("h1", "b4", "c1", "t1"):
        assert adapted.find(block_id).adaptations == [], block_id


def test_no_number_or_capitalised_word_is_lost() -> None:
    adapted = apply_easy_read(_doc(), SETTINGS, created_at=STAMP)
    token = re.compile(r"\d+(?:[.,]\d+)?|\b[A-ZÉÈÀ][\w'’-]*")
    for block in adapted.blocks:
        a = block.adaptation("easy_read")
        if a is None:
            continue
        source = Counter(token.findall(block.plain_text()))
        result = " ".join(_texts(a.blocks))
        for word, count in source.items():
            # The pass only capitalises, never lower-cases: each occurrence must still be there.
            assert result.count(word) >= count, (block.id, word)
        # Every other source word is there too, except "et"/"and" (replaced by a list), the
        # relative pronoun "qui"/"which" (replaced by its repeated noun) and the conjunctions
        # replaced by an adverb at the head of the new sentence ("mais" -> "Pourtant,").
        src_words = [w.strip(".,;:").lower() for w in block.plain_text().split()]
        out_words = {w.strip(".,;:").lower() for w in result.replace("- ", " ").split()}
        missing = {w for w in src_words if w and w not in out_words}
        assert missing <= {"et", "and", "qui", "which", ";", "mais", "but", "car"}, (block.id, missing)


def test_provenance_is_recorded() -> None:
    a = apply_easy_read(_doc(), SETTINGS, created_at=STAMP).find("b1").adaptation("easy_read")
    assert a is not None
    p = a.provenance
    assert (p.engine, p.pass_name, p.model, p.prompt_version, p.created_at) == (
        "offline",
        "easy_read",
        None,
        "rules-1",
        STAMP,
    )
    assert p.reviewed_by is None
    # Default timestamp: now, ISO 8601 in UTC.
    b = apply_easy_read(_doc(), SETTINGS).find("b1").adaptation("easy_read")
    assert b is not None and b.provenance.created_at and b.provenance.created_at.endswith("+00:00")


def test_source_untouched_idempotent_and_reviewed_work_kept() -> None:
    doc = _doc()
    before = doc.to_json()
    once = apply_easy_read(doc, SETTINGS, created_at=STAMP)
    assert doc.to_json() == before  # the input document is not modified
    twice = apply_easy_read(once, SETTINGS, created_at=STAMP)
    assert twice.to_json() == once.to_json()  # the earlier offline adaptation is replaced
    reviewed = Adaptation(
        kind="easy_read",
        provenance=Provenance(
            engine="human", pass_name="easy_read", reviewed_by="A. Martin", reviewed_at=STAMP
        ),
        blocks=[Paragraph(id="b1.h1", text="Texte relu.")],
    )
    doc.find("b1").adaptations.append(reviewed)
    kept = apply_easy_read(doc, SETTINGS, created_at=STAMP).find("b1")
    assert kept.adaptations == [reviewed]


def test_settings_switch_lines_and_lists_off() -> None:
    plain = AdaptationSettings(
        level="easy_read", max_sentence_words=15, one_sentence_per_line=False, enumerations_as_lists=False
    )
    a = apply_easy_read(_doc(), plain, created_at=STAMP).find("b1").adaptation("easy_read")
    assert a is not None
    assert len(a.blocks) == 1 and isinstance(a.blocks[0], Paragraph)
    assert a.blocks[0].text.startswith(
        "La photosynthèse se déroule dans les chloroplastes des cellules végétales. Elle dépend aussi"
    )
    assert a.blocks[0].text.endswith(ENUM_COLON)
    assert apply_easy_read(_doc(), plain, created_at=STAMP).find("b2").adaptations == []


def test_json_round_trip_and_readability_improves() -> None:
    adapted = apply_easy_read(_doc(), SETTINGS, created_at=STAMP)
    loaded = Document.from_json(adapted.to_json())
    assert loaded == adapted
    assert [b.id for b in reading_blocks(loaded, ("easy_read",))][:6] == [
        "h1",
        "b1.e1",
        "b1.e2",
        "b1.e3",
        "b1.e4",
        "b2.e1",
    ]
    before = score_document(loaded).document
    after = score_document(loaded, ("easy_read",)).document
    assert after.words_per_sentence < before.words_per_sentence
    assert after.reading_ease is not None and before.reading_ease is not None
    assert after.reading_ease > before.reading_ease


def test_long_enumeration_after_a_colon_is_a_list_not_a_cut() -> None:
    doc = _doc()
    doc.blocks.append(
        Paragraph(
            id="b9",
            text=(
                "Les produits de la réaction sont : le glucose, le dioxygène et l'eau formée dans certaines étapes. "
                "Le glucose sert de source d'énergie, mais il sert aussi de matériau, car la plante le transforme "
                "en amidon, en cellulose et en de nombreuses autres molécules."
            ),
        )
    )
    a = apply_easy_read(doc, SETTINGS, created_at=STAMP).find("b9").adaptation("easy_read")
    assert a is not None
    assert _texts(a.blocks) == [
        "Les produits de la réaction sont :",
        "- le glucose",
        "- le dioxygène",
        "- l'eau formée dans certaines étapes",
        "Le glucose sert de source d'énergie.",
        "Il sert aussi de matériau.",
        "C'est parce que la plante le transforme :",
        "- en amidon",
        "- en cellulose",
        "- en de nombreuses autres molécules",
    ]


def test_clauses_between_commas_are_not_an_enumeration() -> None:
    doc = _doc()
    doc.blocks.append(
        Paragraph(
            id="b9",
            text=(
                "La phase sombre, appelée aussi cycle de Calvin, a lieu dans le stroma et utilise cette énergie."
            ),
        )
    )
    a = apply_easy_read(doc, SETTINGS, created_at=STAMP).find("b9").adaptation("easy_read")
    assert a is None or not any(isinstance(b, ListBlock) for b in a.blocks)
