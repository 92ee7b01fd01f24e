"""Text prepared for the ear: what espeak-ng would misread is rewritten before synthesis.

:func:`speakable` is applied to every sentence just before it is synthesised (audio and EPUB
read-along alike); the written text is never changed. The rules, French and English (this
docstring is the spec):

* **citation markers** are dropped: numeric ``[12]``, ``[3, 5-7]`` and author-year
  ``(Dupont, 2019)``, ``(Dupont et al., 2019 ; Martin 2020)``, ``(Smith & Jones, 2020a)``;
* **the course's pronunciation list** comes first (see :class:`Pronunciations`): whole words,
  case-sensitive, ``ADN: a dé ène``;
* **abbreviations**: ``M. Dupont`` -> ``Monsieur Dupont``, ``Mme``, ``Mlle``, ``MM.``, ``Dr``, ``Pr``,
  ``p. ex.``, ``c.-à-d.``, ``cf.``, ``env.``, ``etc.``, ``n° 5``, ``p. 12``, ``chap.``, ``fig.``, ``vol.``;
  English ``e.g.``, ``i.e.``, ``etc.``, ``vs.``, ``Mr.``/``Mrs.``/``Dr.``/``Prof.``, ``Fig.``, ``p. 12``,
  ``No. 5``;
* **numbers**: thousands separators (``1 000``, ``1 000`` with a narrow space, English ``1,000``) are
  removed so the number is read whole; French decimals ``3,5`` are left to the French voice
  ("trois virgule cinq"); ``%`` -> ``pour cent`` / ``percent``; currency after or before a number
  (``1 000 €``, ``$5``) -> ``euros``, ``dollars``...;
* **units** after a number: ``km/h``, ``m/s``, ``km``, ``m``, ``cm``, ``mm``, ``µm``, ``nm``, ``kg``, ``g``,
  ``mg``, ``L``, ``mL``, ``°C``, ``K``, ``kWh``, ``W``, ``kW``, ``V``, ``Hz``, ``MHz``, ``Go``/``GB``,
  ``Mo``/``MB``, ``h``, ``min``, ``s``, ``ms`` (singular after 1 in English; French plural is silent);
* **dates**: ``12/03/2024`` and ``2024-03-12`` -> ``12 mars 2024`` / ``12 March 2024`` (day first,
  unless the second number cannot be a month);
* **ordinals**: French ``1er``, ``1re``, ``2e``, ``3ème``, ``XIXe siècle``, ``XXIe`` -> ``premier``,
  ``première``, ``deuxième``, ``troisième``, ``dix-neuvième siècle``; English ``19th`` is read well by
  the voice and left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from inclusio.errors import InputError

# -- citations ------------------------------------------------------------------------------

_NUMERIC_CITATION = re.compile(r"\s?\[\d+(?:\s*[-–,;]\s*\d+)*\]")
_AUTHOR = r"[A-ZÀ-Ý][\w'’\-]+(?:\s+(?:et\s+al\.?|and|&|et)\s*(?:[A-ZÀ-Ý][\w'’\-]+)?)?"
_AUTHOR_YEAR = rf"{_AUTHOR},?\s+(?:\d{{4}}[a-z]?|s\.\s?d\.|n\.d\.)(?:,\s*p+\.\s*\d+(?:-\d+)?)?"
_AUTHOR_CITATION = re.compile(rf"\s?\((?:{_AUTHOR_YEAR})(?:\s*[;,]\s*(?:{_AUTHOR_YEAR}))*\)")

# -- abbreviations (applied in order; each pattern is anchored on word boundaries) ----------

_ABBREVIATIONS: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "fr": [
        (re.compile(p), r)
        for p, r in (
            (r"\bM\.(?=\s+[A-ZÀ-Ý])", "Monsieur"),
            (r"\bMM\.(?=\s+[A-ZÀ-Ý])", "Messieurs"),
            (r"\bMmes\b\.?", "Mesdames"),
            (r"\bMme\b\.?", "Madame"),
            (r"\bMlles\b\.?", "Mesdemoiselles"),
            (r"\bMlle\b\.?", "Mademoiselle"),
            (r"\bDr\b\.?(?=\s+[A-ZÀ-Ý])", "Docteur"),
            (r"\bPr\b\.?(?=\s+[A-ZÀ-Ý])", "Professeur"),
            (r"\bp\.\s?ex\.", "par exemple"),
            (r"\bc\.-à-d\.", "c'est-à-dire"),
            (r"\bcf\.", "voir"),
            (r"\benv\.(?=\s*\d)", "environ"),
            (r"\betc\.", "et cetera."),
            (r"\bn[°º]\s?(?=\d)", "numéro "),
            (r"\bpp?\.\s?(?=\d)", "page "),
            (r"\bchap\.\s?(?=\d|[IVX])", "chapitre "),
            (r"\b[Ff]ig\.\s?(?=\d)", "figure "),
            (r"\bvol\.\s?(?=\d)", "volume "),
        )
    ],
    "en": [
        (re.compile(p), r)
        for p, r in (
            (r"\be\.g\.,?", "for example"),
            (r"\bi\.e\.,?", "that is"),
            (r"\betc\.", "et cetera."),
            (r"\bvs\.?(?=\s)", "versus"),
            (r"\bMr\.?(?=\s+[A-Z])", "Mister"),
            (r"\bMrs\.?(?=\s+[A-Z])", "Missis"),
            (r"\bDr\.?(?=\s+[A-Z])", "Doctor"),
            (r"\bProf\.?(?=\s+[A-Z])", "Professor"),
            (r"\b[Ff]igs?\.\s?(?=\d)", "figure "),
            (r"\bpp?\.\s?(?=\d)", "page "),
            (r"\bNo\.\s?(?=\d)", "number "),
            (r"\bch\.\s?(?=\d)", "chapter "),
        )
    ],
}

# -- numbers, currencies, units ---------------------------------------------------------------

_THOUSANDS_FR = re.compile(r"(?<![\d,.])(\d{1,3})(?:[ \u00a0\u202f](\d{3}))+(?![\d])")
_THOUSANDS_EN = re.compile(r"(?<![\d.])(\d{1,3})(?:,(\d{3}))+(?![\d,]\d)")
_NUMBER = r"\d+(?:[.,]\d+)?"

_WORDS = {
    "fr": {"%": "pour cent", "€": "euros", "$": "dollars", "£": "livres", "¥": "yens", "per": "par"},
    "en": {"%": "percent", "€": "euros", "$": "dollars", "£": "pounds", "¥": "yen", "per": "per"},
}

# unit -> (French, English singular, English plural)
_UNITS: dict[str, tuple[str, str, str]] = {
    "km": ("kilomètres", "kilometre", "kilometres"),
    "m": ("mètres", "metre", "metres"),
    "cm": ("centimètres", "centimetre", "centimetres"),
    "mm": ("millimètres", "millimetre", "millimetres"),
    "µm": ("micromètres", "micrometre", "micrometres"),
    "μm": ("micromètres", "micrometre", "micrometres"),
    "nm": ("nanomètres", "nanometre", "nanometres"),
    "kg": ("kilogrammes", "kilogram", "kilograms"),
    "g": ("grammes", "gram", "grams"),
    "mg": ("milligrammes", "milligram", "milligrams"),
    "L": ("litres", "litre", "litres"),
    "l": ("litres", "litre", "litres"),
    "mL": ("millilitres", "millilitre", "millilitres"),
    "ml": ("millilitres", "millilitre", "millilitres"),
    "°C": ("degrés Celsius", "degree Celsius", "degrees Celsius"),
    "K": ("kelvins", "kelvin", "kelvins"),
    "kWh": ("kilowattheures", "kilowatt hour", "kilowatt hours"),
    "W": ("watts", "watt", "watts"),
    "kW": ("kilowatts", "kilowatt", "kilowatts"),
    "V": ("volts", "volt", "volts"),
    "Hz": ("hertz", "hertz", "hertz"),
    "MHz": ("mégahertz", "megahertz", "megahertz"),
    "Go": ("gigaoctets", "gigabyte", "gigabytes"),
    "GB": ("gigaoctets", "gigabyte", "gigabytes"),
    "Mo": ("mégaoctets", "megabyte", "megabytes"),
    "MB": ("mégaoctets", "megabyte", "megabytes"),
    "h": ("heures", "hour", "hours"),
    "min": ("minutes", "minute", "minutes"),
    "s": ("secondes", "second", "seconds"),
    "ms": ("millisecondes", "millisecond", "milliseconds"),
}
_UNIT_NAMES = sorted(_UNITS, key=len, reverse=True)
_UNIT_ALT = "|".join(re.escape(u) for u in _UNIT_NAMES)
_RATE = re.compile(rf"({_NUMBER})\s?({_UNIT_ALT})/({_UNIT_ALT})(?![\w/])")
_UNIT = re.compile(rf"({_NUMBER})\s?({_UNIT_ALT})(?![\w/²³])")
_PERCENT = re.compile(rf"({_NUMBER})\s?%")
_CURRENCY_AFTER = re.compile(rf"({_NUMBER})\s?([€$£¥])")
_CURRENCY_BEFORE = re.compile(rf"([€$£¥])\s?({_NUMBER})")

# -- dates and ordinals --------------------------------------------------------------------------

_MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_DATE_SLASH = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Two numerals at least ("XIXe"), or one before a word that counts ("Ve siècle"), or "Ier"/"Ire"
# ("François Ier"): a lone capital + e ("Le", "Ce") is a word, not a numeral.
_ROMAN = re.compile(
    r"\b(?:([IVXLC]{2,})(e|er|re|ème)|([IVXLC])(e|ème)(?=\s+(?:siècle|millénaire|arrondissement|"
    r"république|dynastie|legion|légion))|(I)(er|re))\b"
)
_ORDINAL_FR = re.compile(r"\b(\d+)(er|re|ère|e|ème|è)\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    """``XIX`` -> 19; None for something that is not a well-formed numeral up to 399."""
    total = 0
    values = [_ROMAN_VALUES[c] for c in text]
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total if 0 < total < 400 and _int_to_roman(total) == text else None


def _int_to_roman(number: int) -> str:
    out = ""
    for value, letters in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out += letters
            number -= value
    return out


def _ordinal_fr(number: int, feminine: bool) -> str:
    from num2words import num2words

    if number == 1:
        return "première" if feminine else "premier"
    return str(num2words(number, lang="fr", to="ordinal"))


def _date(day: int, month: int, year: str, lang: str) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    month_name = _MONTHS[lang][month - 1]
    if lang == "fr":
        return f"{'premier' if day == 1 else day} {month_name} {year}"
    return f"{day} {month_name} {year}"


# -- the pronunciation list -------------------------------------------------------------------------


@dataclass
class Pronunciations:
    """A course's own readings: ``{lang: {written: spoken}}``, ``"*"`` for every language.

    YAML form (``cours.pronunciations.yaml`` next to the input, or ``INCLUSIO_PRONUNCIATIONS``)::

        fr:
          ADN: a dé ène
          Krebs: crèbsse
        en:
          DNA: D N A
        "*":
          CRISPR: crispeur

    Replacements are whole words and case-sensitive, longest first.
    """

    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, *paths: Path | None) -> Pronunciations:
        """Merge the YAML files that exist (later files win); raise :class:`InputError` for a bad one."""
        import yaml

        merged: dict[str, dict[str, str]] = {}
        for path in paths:
            if path is None or not Path(path).is_file():
                continue
            try:
                data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise _bad_list(Path(path), f"not valid YAML ({exc})") from exc
            if not isinstance(data, dict):
                raise _bad_list(Path(path), "the top level must map a language (fr, en, *) to a list")
            for lang, table in data.items():
                if not isinstance(table, dict) or not all(
                    isinstance(k, str) and isinstance(v, str | int | float) for k, v in table.items()
                ):
                    raise _bad_list(Path(path), f"'{lang}' must map written words to how they are said")
                merged.setdefault(str(lang), {}).update({k: str(v) for k, v in table.items()})
        return cls(merged)

    def apply(self, text: str, lang: str) -> str:
        table = {**self.entries.get("*", {}), **self.entries.get(lang, {})}
        if not table:
            return text
        pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)) + r")(?!\w)"
        )
        return pattern.sub(lambda m: table[m.group(1)], text)


def _bad_list(path: Path, why: str) -> InputError:
    return InputError(
        f"The pronunciation list {path.name} is invalid: {why}. Fix it (see docs/audio.md) or remove it.",
        message_fr=(
            f"La liste de prononciation {path.name} est invalide : {why}. Corrigez-la (voir "
            "docs/audio.md) ou supprimez-la."
        ),
        details={"file": str(path)},
    )


# -- the one entry point ---------------------------------------------------------------------


def speakable(text: str, lang: str, pronunciations: Pronunciations | None = None) -> str:
    """``text`` rewritten for the voice of ``lang`` (see the module docstring). Never empty if ``text`` is not."""
    primary = "fr" if lang.lower().startswith("fr") else "en"
    out = _NUMERIC_CITATION.sub("", text)
    out = _AUTHOR_CITATION.sub("", out)
    if pronunciations is not None:
        out = pronunciations.apply(out, primary)
    for pattern, replacement in _ABBREVIATIONS[primary]:
        out = pattern.sub(replacement, out)
    out = _dates(out, primary)
    if primary == "fr":
        out = _THOUSANDS_FR.sub(
            lambda m: m.group(0).replace(" ", "").replace("\u00a0", "").replace("\u202f", ""), out
        )
        out = _ROMAN.sub(_roman_ordinal, out)
        out = _ORDINAL_FR.sub(lambda m: _ordinal_fr(int(m.group(1)), m.group(2) in ("re", "ère")), out)
    else:
        out = _THOUSANDS_EN.sub(lambda m: m.group(0).replace(",", ""), out)
    words = _WORDS[primary]
    out = _PERCENT.sub(lambda m: f"{m.group(1)} {words['%']}", out)
    out = _CURRENCY_AFTER.sub(lambda m: f"{m.group(1)} {words[m.group(2)]}", out)
    out = _CURRENCY_BEFORE.sub(lambda m: f"{m.group(2)} {words[m.group(1)]}", out)
    out = _RATE.sub(
        lambda m: (
            f"{m.group(1)} {_unit(m.group(2), m.group(1), primary)} {words['per']} "
            f"{_unit(m.group(3), '1', primary)}"
        ),
        out,
    )
    out = _UNIT.sub(lambda m: f"{m.group(1)} {_unit(m.group(2), m.group(1), primary)}", out)
    out = re.sub(r"[ \t]{2,}", " ", out).strip()
    return out or text


def _unit(unit: str, number: str, lang: str) -> str:
    fr, en_one, en_many = _UNITS[unit]
    if lang == "fr":
        return fr.rstrip("s") if number in ("1", "0") and fr.endswith("s") and unit != "Hz" else fr
    return en_one if number == "1" else en_many


def _roman_ordinal(match: re.Match[str]) -> str:
    numeral = match.group(1) or match.group(3) or match.group(5)
    suffix = match.group(2) or match.group(4) or match.group(6)
    number = roman_to_int(numeral)
    if number is None:
        return match.group(0)
    return _ordinal_fr(number, suffix == "re")


def _dates(text: str, lang: str) -> str:
    def slash(m: re.Match[str]) -> str:
        first, second = int(m.group(1)), int(m.group(2))
        day, month = (second, first) if second > 12 >= first else (first, second)
        return _date(day, month, m.group(3), lang) or m.group(0)

    def iso(m: re.Match[str]) -> str:
        return _date(int(m.group(3)), int(m.group(2)), m.group(1), lang) or m.group(0)

    return _DATE_ISO.sub(iso, _DATE_SLASH.sub(slash, text))
