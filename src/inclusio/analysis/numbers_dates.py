"""Numbers and dates found in French and English text, with their values, for the checks.

Used by the easy-to-read rules (T9 big numbers, T10 numbers in words, T11 Roman numerals,
T12 dates) and by the faithfulness check, which compares values, not spellings: "1 000",
"1000", "1\u00a0000", "mille" and (English) "1,000" are all 1000; French "3,5" and English "3.5"
are both 3.5.

Numbers (:func:`find_numbers`)
------------------------------
* digits, read in the text's language: French groups thousands with a space, a no-break
  space, a narrow no-break space or a period followed by exactly three digits ("1.000"), and
  writes decimals with a comma ("3,5"; a period followed by 1, 2 or 4+ digits is read as a
  decimal point too: "3.5"); English groups with commas (exactly three digits) or spaces and
  writes decimals with a period;
* a minus sign counts when it follows a space or an opening bracket ("−5 °C"), never in a
  range ("20-100");
* digits after a letter (CO2, H2O, C6H12O6) are not numbers: they are symbols; digits before
  letters are ("5km", "1er", "XIXe" below);
* number words, compounds included ("six", "vingt-deux", "quatre-vingt-dix", "deux cents",
  "twenty-one"), but not the articles "un"/"une" nor "one"; "neuf" (also "new") only next to
  a digit-free context is ambiguous and is read as a number (faithfulness compares values,
  so an extra value never causes a flag);
* "1,5 million", "2 milliards", "3 thousand": the number and its product are both values;
* Roman numerals: two letters or more ("XIX", "IV"), or with an ordinal suffix ("XIXe",
  "Ier"), or before "siècle"/"century". Runs of C, D, M alone ("CD", "CM", "MM") are acronyms.

Dates (:func:`find_dates`)
--------------------------
``12/03/2024`` (day first in French, month first in English when the first part is at most
12: both readings are kept), ISO ``2024-03-12``, "12 mars 2024", "1er mars", "mars 2024",
"March 12, 2024", "12 March 2024", "March 2024". A month name alone is not a date ("en mars").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_SPACE_CLASS = "[ \u00a0\u202f]"

_FR_NUMBER = re.compile(
    r"(?<![\w,.])(?P<int>\d{1,3}(?:(?:" + _SPACE_CLASS + r"|\.)\d{3})+(?![\d.]\d)|\d+)"
    r"(?:(?P<sep>[,.])(?P<dec>\d+))?(?!\d)"
)
_EN_NUMBER = re.compile(
    r"(?<![\w,.])(?P<int>\d{1,3}(?:(?:," + r"|" + _SPACE_CLASS + r")\d{3})+(?![\d,]\d)|\d+)"
    r"(?:(?P<sep>\.)(?P<dec>\d+))?(?!\d)"
)

FR_NUMBER_WORDS: dict[str, int] = {
    "zéro": 0,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,
    "huitante": 80,
    "octante": 80,
    "nonante": 90,
    "cent": 100,
    "cents": 100,
    "mille": 1000,
}
EN_NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}
# Inside a compound only ("vingt et un", "quatre-vingt-un", "one hundred").
_COMPOUND_ONLY = {"fr": {"un": 1, "une": 1, "et": None}, "en": {"one": 1, "a": None, "and": None}}
_SCALES = {
    "fr": {"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9},
    "en": {
        "million": 10**6,
        "millions": 10**6,
        "billion": 10**9,
        "billions": 10**9,
        "thousand": 1000,
        "thousands": 1000,
    },
}

_ROMAN = re.compile(
    r"\b(?P<roman>(?=[IVXLCDM]+\b|[IVXLC]+(?:er|re|e|ème|ᵉ|ᵉʳ|st|nd|rd|th)\b)"
    r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
    r"(?P<suffix>er|re|e|ème|ᵉ|ᵉʳ|st|nd|rd|th)?\b"
    r"(?P<century>\s+(?:siècles?|century|centuries))?"
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def lang_root(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True)
class NumberMatch:
    """A number in a text: where it is, as written, and its value(s)."""

    start: int
    end: int
    text: str
    value: Decimal
    kind: str
    """``digits``, ``words`` or ``roman``."""
    also: tuple[Decimal, ...] = ()
    """Other values the same words stand for ("1,5 million": 1.5 and 1 500 000)."""

    @property
    def values(self) -> tuple[Decimal, ...]:
        return (self.value, *self.also)


def normalise_decimal(value: Decimal) -> Decimal:
    """``3.50`` -> ``3.5``, ``1E+3`` -> ``1000`` (so equal values compare and print alike)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def _digits_value(match: re.Match[str], lang: str) -> Decimal | None:
    integer = re.sub(r"[ \u00a0\u202f.,]", "", match.group("int"))
    dec = match.group("dec")
    try:
        return normalise_decimal(Decimal(f"{integer}.{dec}" if dec else integer))
    except InvalidOperation:
        return None


def roman_value(text: str) -> int | None:
    """Value of a valid Roman numeral (upper case), else None."""
    total, prev = 0, 0
    for ch in reversed(text):
        value = _ROMAN_VALUES.get(ch)
        if value is None:
            return None
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total or None


def find_roman(text: str) -> list[NumberMatch]:
    """Roman numerals (see the module docstring): "XIX", "XIXe siècle", "Ier", "II"."""
    out: list[NumberMatch] = []
    for match in _ROMAN.finditer(text):
        roman = match.group("roman")
        if not roman:
            continue
        suffix, century = match.group("suffix") or "", bool(match.group("century"))
        marked = bool(suffix) or century
        if len(roman) < 2 and not (century or (roman == "I" and suffix in ("er", "re", "ᵉʳ", "st"))):
            continue  # "I" (pronoun), "V" (volt), "Ce", "Le", "De": not numerals; "Ier", "V siècle" are
        if set(roman) <= {"C", "D", "M"} and not marked:
            continue  # "CD", "CM", "MM": acronyms far more often than numbers
        value = roman_value(roman)
        if value is None:
            continue
        end = match.end("suffix") if match.group("suffix") else match.end("roman")
        out.append(NumberMatch(match.start(), end, text[match.start() : end], Decimal(value), "roman"))
    return out


_WORD_RUN = re.compile(r"[^\W\d_]+(?:[-\s][^\W\d_]+)*")
_TOKEN = re.compile(r"[^\W\d_]+")


def _words_value(words: list[str], lang: str) -> int | None:
    """Value of a run of number words ("quatre-vingt-dix", "two hundred and five"), else None."""
    table = FR_NUMBER_WORDS if lang == "fr" else EN_NUMBER_WORDS
    extra = _COMPOUND_ONLY[lang]
    total = current = 0
    seen = False
    for word in words:
        if word in table:
            value = table[word]
        elif word in extra and extra[word] is not None:
            value = extra[word]  # type: ignore[assignment]
        else:
            continue  # "et", "and"
        seen = True
        if value == 100:
            current = max(current, 1) * 100
        elif value == 1000:
            total += max(current, 1) * 1000
            current = 0
        elif value == 20 and current % 100 == 4 and lang == "fr":
            current += 76  # quatre-vingt: 4 x 20
        else:
            current += value
    return total + current if seen else None


def _number_word_runs(text: str, lang: str) -> list[NumberMatch]:
    table = FR_NUMBER_WORDS if lang == "fr" else EN_NUMBER_WORDS
    extra = _COMPOUND_ONLY[lang]
    tokens = list(_TOKEN.finditer(text))
    out: list[NumberMatch] = []
    i = 0
    while i < len(tokens):
        if tokens[i].group(0).lower() not in table:
            i += 1
            continue
        j = i + 1
        # Extend the run over number words and joiners ("et", "and", "un" inside a compound),
        # only across a space or a hyphen.
        while j < len(tokens):
            gap = text[tokens[j - 1].end() : tokens[j].start()]
            word = tokens[j].group(0).lower()
            if gap not in (" ", "-") or not (word in table or word in extra):
                break
            j += 1
        while (
            j - 1 > i
            and tokens[j - 1].group(0).lower() not in table
            and _COMPOUND_ONLY[lang].get(tokens[j - 1].group(0).lower()) is None
        ):
            j -= 1  # a run never ends on a joiner ("deux et")
        words = [t.group(0).lower() for t in tokens[i:j]]
        if words in (["cent"], ["cents"]) and i and tokens[i - 1].group(0).lower() in ("pour", "per"):
            i = j
            continue  # "pour cent", "per cent": the percent sign in words, not a hundred
        value = _words_value(words, lang)
        if value is not None:
            start, end = tokens[i].start(), tokens[j - 1].end()
            out.append(NumberMatch(start, end, text[start:end], Decimal(value), "words"))
        i = j
    return out


def find_numbers(text: str, lang: str, *, words: bool = True, roman: bool = True) -> list[NumberMatch]:
    """Numbers in ``text`` read in ``lang`` (fr or en; other languages are read like English).

    Sorted by position, never overlapping. ``words``/``roman``: include number words and
    Roman numerals.
    """
    root = "fr" if lang_root(lang) == "fr" else "en"
    pattern = _FR_NUMBER if root == "fr" else _EN_NUMBER
    scales = _SCALES[root]
    out: list[NumberMatch] = []
    for match in pattern.finditer(text):
        value = _digits_value(match, root)
        if value is None:
            continue
        start = match.start()
        before = text[max(0, start - 2) : start]
        if before[-1:] in ("-", "−") and (len(before) < 2 or before[0] in " (\u00a0"):
            value, start = -value, start - 1
        out.append(
            _with_scale(
                NumberMatch(start, match.end(), text[start : match.end()], value, "digits"), text, scales
            )
        )
    if words:
        for number in _number_word_runs(text, root):
            out.append(_with_scale(number, text, scales))
    if roman:
        out.extend(find_roman(text))
    out.sort(key=lambda n: (n.start, -n.end))
    kept: list[NumberMatch] = []
    for number in out:
        if kept and number.start < kept[-1].end:
            continue
        kept.append(number)
    return kept


def _with_scale(number: NumberMatch, text: str, scales: dict[str, int]) -> NumberMatch:
    match = re.match(r"[ \u00a0\u202f]+(?:de |d'|of )?([^\W\d_]+)", text[number.end :])
    if match and match.group(1).lower() in scales:
        scaled = normalise_decimal(number.value * scales[match.group(1).lower()])
        return NumberMatch(
            number.start, number.end, number.text, number.value, number.kind, (*number.also, scaled)
        )
    return number


def scale_words(lang: str) -> frozenset[str]:
    """Words that make a number big: "million", "milliard" / "million", "billion"."""
    return frozenset(_SCALES["fr" if lang_root(lang) == "fr" else "en"]) - {"thousand", "thousands"}


# -- dates ----------------------------------------------------------------------------------------

_MONTHS_FR = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fév": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
}
_MONTHS_EN = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTHS = {**_MONTHS_FR, **_MONTHS_EN}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[/.-]\d)")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_DAY_MONTH = re.compile(
    r"(?i)\b(?:(?P<day>1er|1re|\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>" + _MONTH_ALT + r")\b\.?"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\b,?)?(?:\s+(?P<year>\d{4})\b)?"
)


@dataclass(frozen=True)
class DateMatch:
    """A date in a text, as written, with every (day, month, year) reading of it."""

    start: int
    end: int
    text: str
    readings: tuple[tuple[int | None, int, int | None], ...]
    numeric: bool
    """Written with digits only ("12/03/2024"): rule T12 wants it in full."""


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


def find_dates(text: str, lang: str) -> list[DateMatch]:
    """Dates in ``text`` (see the module docstring), sorted, never overlapping."""
    root = lang_root(lang)
    out: list[DateMatch] = []
    for m in _NUMERIC_DATE.finditer(text):
        a, b, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        readings: list[tuple[int | None, int, int | None]] = []
        if root == "en" and 1 <= a <= 12 and 1 <= b <= 31:
            readings.append((b, a, year))
        if 1 <= b <= 12 and 1 <= a <= 31:
            readings.append((a, b, year))
        if root != "en" and not readings and 1 <= a <= 12 and 1 <= b <= 31:
            readings.append((b, a, year))
        if readings:
            out.append(DateMatch(m.start(), m.end(), m.group(0), tuple(readings), True))
    for m in _ISO_DATE.finditer(text):
        month, day = int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            out.append(DateMatch(m.start(), m.end(), m.group(0), ((day, month, int(m.group(1))),), True))
    for m in _DAY_MONTH.finditer(text):
        month_word = m.group("month")
        month = _MONTHS[month_word.lower()]
        day_text = m.group("day") or m.group("day2")
        year_text = m.group("year")
        if not day_text and not year_text:
            continue  # "en mars", "may": not a date by itself
        if (
            month_word.lower() in ("mar", "may", "jun", "sept", "oct", "nov", "dec", "jan")
            and month_word.islower()
            and root == "en"
        ):
            continue  # lower-case "may" is a verb; abbreviations are capitalised in English
        if month_word.lower() == "mai" and root == "en":
            continue
        day = 1 if day_text and day_text.lower() in ("1er", "1re") else (int(day_text) if day_text else None)
        if day is not None and not 1 <= day <= 31:
            continue
        end = m.end()
        while end > m.start() and text[end - 1] in " ,":
            end -= 1
        out.append(
            DateMatch(
                m.start(),
                end,
                text[m.start() : end],
                ((day, month, int(year_text) if year_text else None),),
                False,
            )
        )
    out.sort(key=lambda d: (d.start, -d.end))
    kept: list[DateMatch] = []
    for date in out:
        if kept and date.start < kept[-1].end:
            continue
        kept.append(date)
    return kept


def same_date(source: DateMatch, other: DateMatch) -> bool:
    """Whether ``other`` states ``source``: same month, and the day and year ``source`` gives."""
    for d1, m1, y1 in source.readings:
        for d2, m2, y2 in other.readings:
            if m1 == m2 and (d1 is None or d1 == d2) and (y1 is None or y1 == y2):
                return True
    return False


def fold(text: str) -> str:
    """Case-, apostrophe-, dash- and space-insensitive form of a text, for matching names and terms."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("‑", "-")
    return re.sub(r"\s+", " ", text).strip()
