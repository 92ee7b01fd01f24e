"""Numbers and dates are read as values, whatever their spelling."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inclusio.analysis.numbers_dates import find_dates, find_numbers, find_roman


def values(text: str, lang: str) -> list[Decimal]:
    return [n.value for n in find_numbers(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1 000 cellules", "fr", ["1000"]),
        ("1\u00a0000 cellules", "fr", ["1000"]),
        ("1\u202f000 cellules", "fr", ["1000"]),
        ("1.000 ans", "fr", ["1000"]),
        ("mille cellules", "fr", ["1000"]),
        ("3,5 mm", "fr", ["3.5"]),
        ("3.5 mm", "en", ["3.5"]),
        ("1,000 cells", "en", ["1000"]),
        ("vingt-deux élèves et quatre-vingt-dix profs", "fr", ["22", "90"]),
        ("deux cents", "fr", ["200"]),
        ("two hundred and five", "en", ["205"]),
        ("il fait -5 °C", "fr", ["-5"]),
        ("de 20-100", "fr", ["20", "100"]),
        ("6 CO2 + 6 H2O", "fr", ["6", "6"]),
        ("au XIXe siècle", "fr", ["19"]),
        ("une plante, un arbre", "fr", []),
        ("one plant", "en", []),
        ("Ce n'est pas Le cas", "fr", []),
    ],
)
def test_numbers_are_read_as_values(text: str, lang: str, expected: list[str]) -> None:
    assert values(text, lang) == [Decimal(v) for v in expected]


def test_a_scale_word_gives_the_product_too() -> None:
    (number,) = find_numbers("1,5 million d'habitants", "fr")
    assert number.values == (Decimal("1.5"), Decimal("1500000"))


def test_roman_numerals_are_not_acronyms_or_articles() -> None:
    assert [n.text for n in find_roman("World War II, Henry VIII, le CD, le CM, Ce, Le, I am")] == [
        "II",
        "VIII",
    ]
    assert [n.value for n in find_roman("Ier siècle, XIXe")] == [1, 19]


@pytest.mark.parametrize(
    ("text", "lang", "reading"),
    [
        ("le 12/03/2024.", "fr", (12, 3, 2024)),
        ("le 12 mars 2024", "fr", (12, 3, 2024)),
        ("le 1er mars", "fr", (1, 3, None)),
        ("en mars 2024", "fr", (None, 3, 2024)),
        ("on 2024-03-12", "en", (12, 3, 2024)),
        ("on March 12, 2024", "en", (12, 3, 2024)),
        ("on 12 March 2024", "en", (12, 3, 2024)),
    ],
)
def test_dates_in_any_spelling(text: str, lang: str, reading: tuple[int | None, int, int | None]) -> None:
    (date,) = find_dates(text, lang)
    assert reading in date.readings


def test_a_month_alone_is_not_a_date() -> None:
    assert find_dates("en mars, il pleut", "fr") == []
    assert find_dates("you may go", "en") == []
