"""Markdown input: structure through markdown-it-py, and how a plain-text format is recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert, detect
from inclusio.errors import InputCorrupt, InputUnsupported
from inclusio.model import Code, Document, Figure, Heading, ListBlock, Paragraph, Table

COURSE = """# La photosynthèse

Les plantes vertes fabriquent leur matière organique à partir de la lumière, de l'eau et du gaz carbonique.

## Les étapes

1. La lumière est captée par la chlorophylle.
2. L'eau est coupée en deux :
   - l'oxygène est rejeté ;
   - l'hydrogène est gardé.
3. Le sucre est fabriqué.

| Facteur | Effet |
|---------|:-----:|
| Lumière | augmente |
| Froid   | diminue  |

![Schéma d'une feuille](feuille.png)

> La vie sur Terre dépend de la photosynthèse.

```python
print("chlorophylle")
```

### En anglais

<p lang="en">Photosynthesis turns light into chemical energy.</p>
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("md") / "photosynthese.md"
    path.write_text(COURSE, encoding="utf-8")
    return convert(path, ConvertContext(filename=path.name))


def test_headings_and_title(course: Document) -> None:
    assert [(h.level, h.text) for h in course.headings()] == [
        (1, "La photosynthèse"),
        (2, "Les étapes"),
        (3, "En anglais"),
    ]
    assert course.title == "La photosynthèse"
    assert course.lang == "fr"
    assert course.source.media_type == "text/markdown"


def test_nested_ordered_list(course: Document) -> None:
    lst = next(b for b in course.blocks if isinstance(b, ListBlock))
    assert lst.ordered
    assert [i.text for i in lst.items] == [
        "La lumière est captée par la chlorophylle.",
        "L'eau est coupée en deux :",
        "Le sucre est fabriqué.",
    ]
    nested = lst.items[1].children
    assert nested is not None and not nested.ordered
    assert [i.text for i in nested.items] == ["l'oxygène est rejeté ;", "l'hydrogène est gardé."]


def test_table_image_quote_code_and_language(course: Document) -> None:
    table = next(b for b in course.blocks if isinstance(b, Table))
    assert [[(c.text, c.header) for c in row] for row in table.rows] == [
        [("Facteur", True), ("Effet", True)],
        [("Lumière", False), ("augmente", False)],
        [("Froid", False), ("diminue", False)],
    ]
    figure = next(b for b in course.blocks if isinstance(b, Figure))
    assert figure.alt == "Schéma d'une feuille" and figure.image is None
    assert [i.code for i in course.issues] == ["image.not_embedded"]
    roles = {b.role: b.text for b in course.blocks if isinstance(b, Paragraph) and b.role != "body"}
    assert roles == {"quote": "La vie sur Terre dépend de la photosynthèse."}
    assert [(b.text, b.language) for b in course.blocks if isinstance(b, Code)] == [
        ('print("chlorophylle")', "python")
    ]
    english = [b for b in course.blocks if b.lang]
    assert [(b.lang, b.plain_text()) for b in english] == [
        ("en", "Photosynthesis turns light into chemical energy.")
    ]


def test_markdown_without_extension_is_recognised_by_its_structure(tmp_path: Path) -> None:
    """The service stores uploads under their hash: no extension, so the content must say it."""
    path = tmp_path / "3f2a9c"
    path.write_text("Introduction\n\n## Première partie\n\nDu texte.\n", encoding="utf-8")
    assert detect(path).name == "markdown"
    doc = convert(path, ConvertContext(filename="notes"))
    assert [h.text for h in doc.headings()] == ["Première partie"]


def test_plain_text_is_markdown_only_with_a_md_name(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_text("Un simple texte, sans aucune structure.\nDeuxième ligne.\n", encoding="utf-8")
    with pytest.raises(InputUnsupported):
        detect(path)
    doc = convert(path, ConvertContext(filename="notes.md"))
    assert [b.plain_text() for b in doc.blocks] == ["Un simple texte, sans aucune structure. Deuxième ligne."]
    assert isinstance(doc.blocks[0], Paragraph) and not any(isinstance(b, Heading) for b in doc.blocks)


def test_binary_or_latin1_named_md_is_not_markdown(tmp_path: Path) -> None:
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputUnsupported):
        convert(binary, ConvertContext(filename=binary.name))
    latin = tmp_path / "ancien.md"
    latin.write_bytes("# Été\n\nChâteau.\n".encode("latin-1"))
    with pytest.raises((InputUnsupported, InputCorrupt)):
        convert(latin, ConvertContext(filename=latin.name))
