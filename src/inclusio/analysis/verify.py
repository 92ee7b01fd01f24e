"""One verifier for every generated text, before it is accepted: :func:`verify`.

A learner reads the adapted text instead of the original and believes it. Every answer of a
pass (a rewrite, key points, a glossary definition, an alt text, a long description, a
translation), from the model or from the offline rules, goes through :func:`verify` against
its **source**, and each problem found is a :class:`Finding` with a stable code (declared once in
:data:`WARNINGS`, English + French) and a reason naming the fact ("the number 6 in '6 CO2' became
7"). A model answer with a blocking finding is refused (asked again once with the findings, then
replaced by the offline result and flagged); findings on an accepted text become
:class:`~inclusio.model.document.Flag` s on it.

Facts are **occurrences in context**, not sets: each number with its unit or neighbouring word
("6 CO2", "37 étudiants", "31 %"), years, dates, names, acronyms and symbols (patterns of
:mod:`inclusio.analysis.faithfulness`), links, e-mail addresses and phone numbers. Checks:

* **changed**: a source occurrence whose unit now carries another value ("6 CO2" -> "7 CO2"
  while "6 O2" stays), a date or year that moved, a name swapped for another;
* **added**: a number, date, name, link, e-mail or phone number found neither in the source nor
  in the context the pass allows (see :data:`POLICIES`);
* **dropped**: a fact of the source missing from the answer (only for passes that must keep
  every fact: the rewrites and the translation; a summary leaves facts out on purpose);
* **instructions**: a call to action addressed to the reader ("cliquez", "visit", "ignore the
  above", "rendez-vous sur") that the source does not contain: the mark of a model that obeyed
  text of the document instead of adapting it;
* **invented words**: per sentence of the answer, the share of its content words found in the
  source, the context and the glossary (a five-letter stem is enough: "fabrique" = "fabriquer");
  a sentence below the pass's threshold is invented. An easy-to-read rewrite uses simpler words,
  a definition explains, an alt text describes the picture: thresholds are per pass, measured by
  ``bench/verify.py`` on faithful answers (docs/quality.md);
* **unrelated**: the answer shares almost nothing with its source;
* **untranslated**: a glossary term left in the source language when the glossary gives its
  translation; **too long**: a translation far longer than its source.

Named entities come from the patterns only (no spaCy here: fast and the same on every machine).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from inclusio.analysis import numbers_dates as nd
from inclusio.analysis.faithfulness import contains_folded, find_entities, sentence_starts
from inclusio.model.document import Flag, GlossaryEntry
from inclusio.warning_codes import WARNINGS

# -- the catalogue ---------------------------------------------------------------------------------

# The verifier's warning codes and their English and French reason templates live in the one catalogue
# of warnings, :data:`inclusio.warning_codes.WARNINGS`.

_WHAT = {
    "number": ("number", "le nombre"),
    "year": ("year", "l'année"),
    "date": ("date", "la date"),
    "entity": ("name", "le nom"),
    "symbol": ("symbol", "le symbole"),
    "term": ("course term", "le terme"),
}


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Finding:
    """One problem of an answer: a stable code, its reasons, and whether it refuses the answer."""

    code: str
    reason: str
    reason_fr: str
    blocking: bool = True

    def flag(self) -> Flag:
        return Flag(code=self.code, reason=self.reason, reason_fr=self.reason_fr)


def finding(code: str, *, blocking: bool = True, **fields: object) -> Finding:
    """A finding from the catalogue, its templates filled with ``fields`` (clipped)."""
    english, french = WARNINGS[code]
    limit = 240 if code == "adapt.model_fallback" else 80
    values = {k: _clip(str(v), limit) for k, v in fields.items()}
    return Finding(code, english.format(**values), french.format(**values), blocking)


@dataclass
class Verdict:
    """What :func:`verify` found. ``accepted``: no blocking finding."""

    pass_name: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not any(f.blocking for f in self.findings)

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def reason(self, limit: int = 5) -> str | None:
        """The English reasons joined (what a repair request tells the model), None when accepted."""
        blocking = [f.reason for f in self.findings if f.blocking]
        return "; ".join(blocking[:limit]) if blocking else None

    def flags(self) -> list[Flag]:
        return [f.flag() for f in self.findings]


# -- per pass --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Which checks a pass gets (see docs/quality.md)."""

    keep_facts: bool
    """Every number, date, name of the source must be in the answer (rewrite, translation)."""
    keep_entities: str = "all"
    """``all`` names, or ``symbols`` (symbols and multi-word names: a translation renames the rest)."""
    words: float | None = None
    """Lowest share of a sentence's content words found in the source/context; None: no check."""
    words_blocking: bool = True
    extra_local: bool = False
    """Sentences after the first are held to the source alone (not the context: a whole document supports
    almost any common word)."""
    extra_sentences: float | None = None
    """For answers asked as one sentence (a definition, an alt text): the lowest share for the sentences
    after the first (an appended sentence is out of the prompt's contract)."""
    everyday: bool = False
    """Everyday words are left out of the word check (easy-to-read rewrites are made of them)."""
    ordinary: float | None = None
    """In the first sentence, words at least this frequent (Zipf, in the answer's language) are left out of
    the word check: a definition explains a term with ordinary words the document need not have ("instrument
    avec des lentilles qui permet de voir de loin"); its rare words must still come from the document."""
    unrelated: float | None = None
    """Lowest share of the answer's content words (or the source's, for rewrites) shared; None: no check."""
    facts_blocking: bool = True
    """Added numbers/dates/names refuse the answer (False for image passes: the picture may show them)."""
    cross_language: bool = False
    aligned: tuple[float, float] | None = None
    """Translations: the lowest share of a sentence's words anchored in the source (same word, cognate or
    lexicon translation; :mod:`inclusio.analysis.alignment`) when the answer keeps the source's sentence
    count, and when it has more sentences than the source."""


ORDINARY_ZIPF = 3.5
"""Words this frequent or more are ordinary, not rare (the project's rare-word line, STANDARDS §3 and
:data:`inclusio.analysis.rare_words.RARE_ZIPF`)."""

POLICIES: dict[str, Policy] = {
    "easy_read": Policy(keep_facts=True, words=0.34, unrelated=0.25, everyday=True),
    "plain": Policy(keep_facts=True, words=0.34, unrelated=0.25),
    "summary": Policy(keep_facts=False, words=0.4, unrelated=0.25),
    "glossary": Policy(
        keep_facts=False, words=0.15, extra_sentences=0.5, extra_local=True, ordinary=ORDINARY_ZIPF
    ),
    "alt_text": Policy(
        keep_facts=False, words=0.2, words_blocking=False, facts_blocking=False, extra_sentences=0.5
    ),
    "long_description": Policy(keep_facts=False, words=0.2, words_blocking=False, facts_blocking=False),
    "translation": Policy(keep_facts=True, keep_entities="symbols", cross_language=True, aligned=(0.1, 0.34)),
}
"""The checks of each pass. Thresholds tuned with ``bench/verify.py`` (docs/quality.md)."""
TOO_LONG_RATIO = 1.3
TOO_LONG_RATIOS = {("fr", "en"): 1.15}
"""Per direction (English is about 0.85 × as long as the French it translates)."""
COMMON_HEAD_ZIPF = 4.0
"""A name's last word this frequent, with a rarer word before it, is a common noun ("Yale University"),
not a family name (:func:`_distinctive_words`)."""
MIN_SENTENCE_WORDS = 3
EVERYDAY_ZIPF = 5.5
"""Words this frequent (about one in 30,000 words of running text or more) are everyday words."""
LEFT_CHARS = 10
"""Characters before a number that place it (a number changed in place keeps them)."""
RIGHT_CHARS = 20
"""Characters after a number that place it, when two words or more and at least
:data:`RIGHT_MIN_CHARS` of them are alike ("(2) It couples to..." renumbered "(3) It couples to...")."""
RIGHT_MIN_CHARS = 12

# -- facts in context ------------------------------------------------------------------------------

_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"«»]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|fr|io|info|"
    r"biz|xyz|ly|gouv\.fr|edu|be|ch|eu|co)\b(?:/[^\s<>\"«»]*)?"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?\d(?:[\s.-]?\d{2}){4}|0\d(?:[\s.-]?\d{2}){4})(?!\d)"
)
_UNIT = re.compile(r"[ \u00a0\u202f\-–+/()]{0,3}(%|‰|°\s?[CFK]?|€|\$|£|[^\W_][\w]*(?:[-'’][^\W_]+)*)")
PREV_WINDOW = 80
"""Characters before a number searched for the word that qualifies it (a longer word is not a unit)."""
_PREV = re.compile(r"(?:([^\W_][\w]*)[ \u00a0\u202f\-–+/()]{0,3}|\b([^\W\d_]{1,4})\.[ \u00a0]?)$")
"""The word before a number: next to it, or an abbreviation ("Fig. 1", "p. 12", "No. 3")."""
_SKIP_UNIT = {"de", "d", "des", "du", "of", "et", "and", "à", "a", "au", "to", "the", "le", "la", "les", "l"}
_SCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹", "01234567890123456789")
"""Subscript and superscript digits read as digits: "CO₂" is "CO2"."""


@lru_cache(maxsize=8)
def _ascii_digits(text: str) -> str:
    """``text`` with its subscript and superscript digits as digits. Cached: a glossary verifies each
    definition against the whole document's text, translated anew each time before (3 % of the adapt
    stage's profile on the 265-page manual); the same string object back also keeps its hash for the
    facts' cache."""
    return text.translate(_SCRIPT_DIGITS)


_PERCENT_WORDS = re.compile(r"(?i)[ \u00a0]*(?:pour[ \u00a0-]?cent|per[ \u00a0-]?cent)\b")
_ERAS = frozenset({"BC", "AD", "BCE", "CE"})
_ERA_AFTER = re.compile(
    r"(?<![\d.,])(\d{1,4})[ \u00a0]*(?:(?P<bc>BCE?|B\.\s?C\.|av\.?\s?J\.?-?\s?C\.?|avant\s+(?:J\.?-?\s?C\.?|"
    r"Jésus-Christ|notre\s+ère)|before\s+(?:Christ|the\s+common\s+era))|(?P<ad>AD|A\.\s?D\.|CE|apr\.?\s?J\.?-?\s?C\.?|"
    r"après\s+(?:J\.?-?\s?C\.?|Jésus-Christ)))(?!\w)"
)
_ERA_BEFORE = re.compile(r"\b(?:AD|A\.\s?D\.)[ \u00a0]*(\d{1,4})(?![\d.,])")
_ALWAYS_ALLOWED = {Decimal(0), Decimal(1)}
"""Values an answer may add ("1" for "une étape", a list's numbering)."""


@dataclass(frozen=True)
class Occurrence:
    """A fact where it is: its kind, how it is written (with its unit), its values, its unit key."""

    kind: str
    """``number``, ``year``, ``date``, ``entity``, ``symbol``, ``link``, ``contact``."""
    text: str
    """As written, with its unit or neighbouring word for a number ("6 CO2", "en 1779")."""
    values: tuple[str, ...]
    unit: str = ""
    bare: str = ""
    """A number as written, without its unit ("6")."""
    date: nd.DateMatch | None = None
    start: int = -1
    left: str = ""
    """The characters just before a number ("Fig. ", "10{"): the same place in another text."""
    right: str = ""
    """The characters just after a number, folded, spaces collapsed (") it couples to and"): the same
    place in another text, when the text before differs (a key point starts where its source sentence
    did not)."""


def fold_plain(text: str) -> str:
    """Folded (:func:`numbers_dates.fold`) and without accents: for matching words across spellings."""
    text = unicodedata.normalize("NFKD", nd.fold(text))
    return "".join(c for c in text if not unicodedata.combining(c))


def _masks(text: str) -> tuple[list[Occurrence], list[tuple[int, int]]]:
    out: list[Occurrence] = []
    spans: list[tuple[int, int]] = []
    for kind, pattern in (("link", _EMAIL), ("link", _URL), ("contact", _PHONE)):
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            value = m.group(0).rstrip(".,;:!?)»")
            kind_here = "contact" if kind == "contact" or "@" in value else "link"
            out.append(Occurrence(kind_here, value, (fold_plain(value),)))
            spans.append((m.start(), m.start() + len(value)))
    return out, spans


def _skipped(word: str) -> bool:
    """An article or a preposition, never a unit; a capital letter alone is one ("2D", "3D")."""
    return word.lower() in _SKIP_UNIT and not (len(word) == 1 and word.isupper())


def _unit(text: str, start: int, end: int) -> tuple[str, str]:
    """(key, written) of the word that qualifies a number: the next one, else the previous one."""
    percent = _PERCENT_WORDS.match(text, end)
    if percent:
        return "%", text[start : percent.end()]
    m = _UNIT.match(text, end)
    if m and not _skipped(m.group(1)):
        return fold_plain(m.group(1)).replace(" ", ""), text[start : m.end(1)]
    # Only the characters just before: searching the whole text before each number was quadratic in the
    # text's length (a glossary verifies each definition against the whole document).
    window = max(0, start - PREV_WINDOW)
    p = _PREV.search(text[window:start])
    word = p.group(1) or p.group(2) if p else None
    if p and word and not _skipped(word):
        return fold_plain(word), text[window + p.start() : end]
    return "", text[start:end]


def facts(text: str, lang: str) -> list[Occurrence]:
    """Every fact of ``text`` as an occurrence in context (see the module docstring)."""
    return list(_facts(text, nd.lang_root(lang)))


@lru_cache(maxsize=32)
def _facts(text: str, lang: str) -> tuple[Occurrence, ...]:
    """Cached: a glossary checks many definitions against the same document."""
    out, spans = _masks(text)
    for date in nd.find_dates(text, lang):
        if not any(a <= date.start < b for a, b in spans):
            out.append(Occurrence("date", date.text, (), bare=date.text, date=date))
            spans.append((date.start, date.end))
    for number in nd.find_numbers(text, lang):
        if any(a <= number.start < b for a, b in spans):
            continue
        key, written = _unit(text, number.start, number.end)
        is_year = (
            number.kind == "digits"
            and re.fullmatch(r"\d{4}", number.text) is not None
            and 1000 <= number.value <= 2100
            and key not in ("%", "€", "$")
        )
        out.append(
            Occurrence(
                "year" if is_year else "number",
                written,
                tuple(str(v) for v in number.values),
                key,
                number.text,
                start=number.start,
                left=text[max(0, number.start - LEFT_CHARS) : number.start],
                right=" ".join(nd.fold(text[number.end : number.end + 2 * RIGHT_CHARS]).split())[
                    :RIGHT_CHARS
                ],
            )
        )
    lower = set(re.findall(r"(?<![\w-])[^\W\d_A-ZÀ-ÖØ-Þ][^\W\d_]*", _without_links(text)))
    starts = sentence_starts(text)
    era_spans = [(m.start(), m.end()) for rx in (_ERA_AFTER, _ERA_BEFORE) for m in rx.finditer(text)]
    for span in find_entities(text, lang):
        if any(a <= span.start < b for a, b in spans):
            continue
        if span.text in _ERAS or any(a <= span.start < b for a, b in era_spans):
            continue  # "312 BC" / "312 avant Jésus-Christ": part of the year, checked with the number
        if span.label == "NAME" and " " not in span.text and span.text.lower() in lower:
            continue  # "Smallpox was declared..." after "against smallpox": a word at a sentence start
        kind = "symbol" if span.label in ("SYMBOL", "ACRONYM") else "entity"
        # "Neil Armstrong and Buzz Aldrin" are two names
        offset = span.start
        for part in re.split(r"(\s+(?:and|et)\s+)", span.text):
            if part.strip() and not re.fullmatch(r"\s+(?:and|et)\s+", part):
                out.append(
                    Occurrence(
                        kind, part, (nd.fold(part),), start=offset, left="^" if offset in starts else ""
                    )
                )
            offset += len(part)
    return tuple(out)


# -- words ------------------------------------------------------------------------------------------

_WORD = re.compile(
    r"(?:\b(?:[dlsnjmtc]|qu|jusqu|lorsqu|puisqu)['’])?([^\W\d_]{4,}(?:-[^\W\d_]+)*)", re.IGNORECASE
)
STOPWORDS = frozenset(
    [
        "avec",
        "dans",
        "pour",
        "sans",
        "sous",
        "vers",
        "chez",
        "entre",
        "leur",
        "leurs",
        "nous",
        "vous",
        "elle",
        "elles",
        "ils",
        "sont",
        "sont",
        "être",
        "était",
        "étaient",
        "ont",
        "avoir",
        "aussi",
        "plus",
        "moins",
        "très",
        "tout",
        "tous",
        "toute",
        "toutes",
        "cette",
        "ces",
        "ceux",
        "celle",
        "celui",
        "cela",
        "ceci",
        "donc",
        "mais",
        "puis",
        "alors",
        "ainsi",
        "quand",
        "comme",
        "lorsque",
        "parce",
        "dont",
        "elle",
        "même",
        "mêmes",
        "autre",
        "autres",
        "fait",
        "faire",
        "peut",
        "peuvent",
        "doit",
        "doivent",
        "être",
        "encore",
        "après",
        "avant",
        "depuis",
        "selon",
        "notre",
        "votre",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "chaque",
        "aucun",
        "aucune",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "leur",
        "sera",
        "seront",
        "with",
        "that",
        "this",
        "these",
        "those",
        "from",
        "have",
        "been",
        "were",
        "they",
        "their",
        "them",
        "what",
        "which",
        "when",
        "where",
        "there",
        "here",
        "also",
        "more",
        "most",
        "very",
        "such",
        "than",
        "then",
        "into",
        "onto",
        "about",
        "over",
        "under",
        "only",
        "other",
        "some",
        "each",
        "your",
        "will",
        "would",
        "could",
        "should",
        "does",
        "done",
        "make",
        "made",
        "just",
        "like",
        "much",
        "many",
        "cent",
        "percent",
        # approximators: "environ 11" said "à peu près 11", "près de 11", "about 11", "roughly 11"
        "environ",
        "pres",
        "presque",
        "quasi",
        "quasiment",
        "approximativement",
        "autour",
        "around",
        "roughly",
        "approximately",
        "nearly",
        "almost",
        "some",
        "circa",
    ]
)
NUMBER_WORDS = frozenset(
    unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode()
    for w in (*nd.FR_NUMBER_WORDS, *nd.EN_NUMBER_WORDS, *nd.scale_words("fr"), *nd.scale_words("en"))
)
"""Number words ("onze", "eleven", "millions"): checked as numbers, not as words ("onze fois" is "11 fois")."""
_SENT = re.compile(r"(?<=[.!?…:;])\s+|\n+")


def content_words(
    text: str, *, names: bool = True, lang: str | None = None, common: float = EVERYDAY_ZIPF
) -> list[str]:
    """Folded, accent-free words of 4 letters or more that carry meaning (elided articles removed).

    ``names=False`` leaves out capitalised words (names are checked as names, not as words) except the
    first word of ``text`` (a sentence's capital proves nothing). With ``lang``,
    everyday words (Zipf frequency ``common`` or more, :data:`EVERYDAY_ZIPF` by default: "said", "good",
    "chose", "bien") are left out too: an easy-to-read rewrite is made of them, and they tell nothing of
    where a sentence comes from. Number words ("onze", "eleven") are never content words: they are numbers.
    """
    from inclusio.analysis.rare_words import zipf

    root = nd.lang_root(lang) if lang else ""
    matches = list(_WORD.finditer(text))
    first = matches[0].start() if matches and not text[: matches[0].start()].strip(" \t\n\"«“'(") else -1
    return [
        folded
        for word, start in ((m.group(1), m.start()) for m in matches)
        if (names or not word[:1].isupper() or start == first)
        and (folded := _fold_word(word)) not in STOPWORDS
        and folded not in NUMBER_WORDS
        and not (root and zipf(word.lower(), root) >= common)
    ]


_fold_word = lru_cache(maxsize=1 << 16)(fold_plain)
"""fold_plain of one word, cached: a document's words repeat, and the word checks fold every word of the
texts they compare (a glossary definition against the whole document's text)."""


def _stem(word: str) -> str:
    return word[:5]


def _support(words: Iterable[str]) -> set[str]:
    return {_stem(w) for w in words}


@lru_cache(maxsize=32)
def _support_of(text: str) -> frozenset[str]:
    return frozenset(_support(content_words(text)))


@lru_cache(maxsize=32)
def _folds(text: str) -> tuple[str, str, frozenset[str], str]:
    """(folded, folded without accents, its words, its digits) of a text: cached, a glossary checks many
    definitions against the same document."""
    plain = fold_plain(text)
    return nd.fold(text), plain, frozenset(re.findall(r"[^\W_]+", plain)), re.sub(r"\D", "", text)


def split_text(text: str) -> list[str]:
    """The sentences (and lines) of ``text``, as the word checks read them."""
    return [s.strip() for s in _SENT.split(text) if s and s.strip()]


_sentences = split_text


# -- instructions -------------------------------------------------------------------------------------

_INSTRUCTIONS = re.compile(
    r"(?i)\b(?:"
    r"cliquez|clique(?:z)?\s+(?:ici|sur)|click|visitez|visit|rendez-vous\s+sur|allez\s+(?:sur|à\s+l['’]adresse)|"
    r"va\s+sur|go\s+to|consultez\s+(?:le\s+site|la\s+page|www|http)|ignore[sz]?\s+(?:toutes?|tout|les|ce|cette|ces|"
    r"the|all|previous|above|prior|any)|disregard|oubliez\s+(?:toutes?|les|tout)|forget\s+(?:all|everything|the)|"
    r"t[ée]l[ée]chargez|download|inscrivez-vous|sign\s+up|connectez-vous|log\s+in|abonnez-vous|subscribe|"
    r"contactez(?:-nous)?|contact\s+us|appelez(?:-nous)?|call\s+us|écrivez-nous|write\s+to\s+us|achetez|buy\s+now|"
    r"commandez|order\s+now|scannez|scan\s+the|suivez-nous|follow\s+us|partagez|share\s+this|"
    r"réponds\s+(?:seulement|uniquement)|r[ée]pondez\s+(?:seulement|uniquement)|answer\s+only|respond\s+only"
    r")\b"
)


def instructions(text: str) -> list[str]:
    """Calls to action addressed to the reader in ``text`` (folded, as found)."""
    return [nd.fold(m.group(0)) for m in _INSTRUCTIONS.finditer(text)]


# -- the checks -------------------------------------------------------------------------------------


def _of(occurrences: Iterable[Occurrence], *kinds: str) -> list[Occurrence]:
    return [o for o in occurrences if o.kind in kinds]


def _date_parts(occurrences: Iterable[Occurrence]) -> set[str]:
    parts: set[str] = set()
    for o in _of(occurrences, "date"):
        assert o.date is not None
        for day, _, year in o.date.readings:
            parts.update(str(x) for x in (day, year) if x is not None)
    return parts


_ITEMS = re.compile(r"\s*(?:,|;|\bet\b|\band\b|\bou\b|\bor\b)\s*")


def counts_items(answer: str, number: Occurrence) -> bool:
    """Whether an added small number counts the enumeration it announces ("4 choses : a, b, c et d")."""
    if number.start < 0 or len(number.values) != 1 or not number.values[0].isdigit():
        return False
    count = int(number.values[0])
    tail = answer[number.start :]
    sentence = re.split(r"(?<=[.!?])\s|\n", tail, maxsplit=1)[0]
    head, colon, items = sentence.partition(":")
    if not colon or len(head.split()) > 4 or not 2 <= count <= 12:
        return False
    return len([i for i in _ITEMS.split(items.strip().rstrip(".")) if i.strip()]) == count


def _pairs(occurrences: Iterable[Occurrence], *, units: bool = True) -> Counter[tuple[str, str]]:
    """How many times each (value, unit) is written: a fact is an occurrence, not a member of a set."""
    return Counter((o.values[0], o.unit if units else "") for o in occurrences if o.values)


def _number_deficits(
    nums_s: list[Occurrence], nums_a: list[Occurrence], units: bool
) -> tuple[list[Occurrence], list[Occurrence]]:
    """(source occurrences the answer writes fewer times, answer occurrences beyond the source's count),
    matched on (value, unit); ``units=False`` (across languages: "6 molécules" is "6 molecules") on the
    value alone. Occurrences at the same place in both texts (:func:`_same_place`) are matched first: in
    "(3) It couples..." / "(3) It causes..." where the source has "(2) It couples...", the first one is the
    changed number."""
    by_key: dict[tuple[str, str], list[Occurrence]] = {}
    for o in nums_s:
        for v in o.values:
            by_key.setdefault((v, o.unit if units else ""), []).append(o)

    def placed(o: Occurrence, others: dict[tuple[str, str], list[Occurrence]]) -> bool:
        unit = o.unit if units else ""
        return any(
            _same_place(x, o) or _same_place(o, x) for v in o.values for x in others.get((v, unit), ())
        )

    by_key_a: dict[tuple[str, str], list[Occurrence]] = {}
    for o in nums_a:
        for v in o.values:
            by_key_a.setdefault((v, o.unit if units else ""), []).append(o)
    order_s = sorted(range(len(nums_s)), key=lambda i: not placed(nums_s[i], by_key_a))
    order_a = sorted(range(len(nums_a)), key=lambda i: not placed(nums_a[i], by_key))
    return _beyond(nums_s, order_s, _pairs(nums_a, units=units), units), _beyond(
        nums_a, order_a, _pairs(nums_s, units=units), units
    )


def _beyond(
    occurrences: list[Occurrence], order: list[int], other: Counter[tuple[str, str]], units: bool
) -> list[Occurrence]:
    """The occurrences (taken in ``order``) beyond the other text's count of their (value, unit), in text
    order."""
    left = Counter(other)
    out: list[int] = []
    for i in order:
        o = occurrences[i]
        if not o.values:
            continue
        unit = o.unit if units else ""
        hit = next(((v, unit) for v in o.values if left[(v, unit)] > 0), None)
        if hit is not None:
            left[hit] -= 1
        else:
            out.append(i)
    return [occurrences[i] for i in sorted(out)]


def _same_left(s: Occurrence, a: Occurrence) -> bool:
    """The same characters just before ("Fig. 1" -> "Fig. 2", "groupe A compte 12" -> "groupe A compte 15")."""
    return len(s.left.strip()) >= 3 and s.left == a.left


def _same_right(s: Occurrence, a: Occurrence) -> bool:
    """The same words just after (a key point's "(2) It couples to..." -> "(3) It couples to...", "Various 2D
    architectures have" -> "Various 3D architectures have")."""
    n = min(len(s.right), len(a.right))
    return (
        n >= RIGHT_MIN_CHARS
        and s.right[:n] == a.right[:n]
        and len(re.findall(r"[^\W\d_]{2,}", s.right[:n])) >= 2
    )


def _same_place(s: Occurrence, a: Occurrence) -> bool:
    """The same characters just before, or the same words just after: the number changed where it stands
    (:func:`_same_left`, :func:`_same_right`)."""
    return _same_left(s, a) or _same_right(s, a)


def _check_numbers(
    src: list[Occurrence],
    ans: list[Occurrence],
    ctx: list[Occurrence],
    policy: Policy,
    answer: str = "",
    *,
    units: bool = True,
) -> list[Finding]:
    """Numbers compared as occurrences: per (value, unit), how many times the source and the answer write it.

    A source occurrence the answer no longer writes, and an answer occurrence beyond the source's count
    with the same unit, are one changed number ("2D or 3D" -> "3D or 3D": 2 in "2D" became 3). An extra
    occurrence of a pair the source has is a repetition (a rewrite may say "6 molécules" twice); a value
    of the source said with another word is kept; a value nowhere in the source nor in the context (with
    its own unit) is added.
    """
    out: list[Finding] = []
    nums_s, nums_a = _of(src, "number", "year"), _of(ans, "number", "year")
    pairs_s = {(v, o.unit) for o in nums_s for v in o.values}
    values_s = {v for o in nums_s for v in o.values}
    values_a = {v for o in nums_a for v in o.values}
    allowed = values_s | _date_parts(src + ctx) | {str(v) for v in _ALWAYS_ALLOWED}
    allowed_pairs = {(v, o.unit) for o in _of(ctx, "number", "year") for v in o.values}
    lost, extra = _number_deficits(nums_s, nums_a, units)
    used: set[int] = set()
    found_s: set[int] = set()
    for s in lost:
        changed = next(
            (
                i
                for i, a in enumerate(extra)
                if i not in used
                and (a.unit == s.unit or not units)
                and (s.unit or not units or policy.keep_facts or _same_place(s, a))
                and not set(a.values) & set(s.values)
                and (
                    policy.keep_facts
                    or not any((v, a.unit) in pairs_s for v in a.values)
                    or _same_place(s, a)
                )
            ),
            None,
        )
        if changed is not None:
            used.add(changed)
            found_s.add(id(s))
            code = "verify.date_changed" if s.kind == "year" else "verify.number_changed"
            out.append(finding(code, old=s.bare, new=extra[changed].bare, text=s.text))
        elif policy.keep_facts and not set(s.values) & values_a:
            found_s.add(id(s))
            what, what_fr = _WHAT[s.kind]
            out.append(finding("verify.fact_dropped", what=what, what_fr=what_fr, old=s.bare, text=s.text))
    reported = {id(extra[i]) for i in used}
    for i, a in enumerate(extra):
        if (
            i not in used
            and not set(a.values) & allowed
            and not any((v, a.unit) in allowed_pairs for v in a.values)
            and not counts_items(answer, a)
        ):
            reported.add(id(a))
            code = "verify.date_added" if a.kind == "year" else "verify.number_added"
            out.append(finding(code, new=a.bare, text=a.text, blocking=policy.facts_blocking))
    if units:
        out += _changed_in_place(nums_s, [a for a in nums_a if id(a) not in reported], found_s)
    return out


def _changed_in_place(nums_s: list[Occurrence], nums_a: list[Occurrence], done: set[int]) -> list[Finding]:
    """An answer number where the source writes another value with the same unit at the same place
    (:func:`_same_place`), and never this one: changed, although the source has the new value elsewhere
    ("Various 2D architectures" -> "Various 3D architectures" in key points of a text that also says "3D").
    ``done``: ids of source occurrences already reported (changed or dropped)."""
    out: list[Finding] = []
    for a in nums_a:
        # The text before places a number best: "groupe B compte 15 élèves de première année" does not
        # excuse "groupe A compte 15 élèves de première année" where the source has 12.
        there = [s for s in nums_s if s.unit == a.unit and _same_left(s, a)] or [
            s for s in nums_s if s.unit == a.unit and _same_right(s, a)
        ]
        if there and not any(set(s.values) & set(a.values) or id(s) in done for s in there):
            s = there[0]
            code = "verify.date_changed" if s.kind == "year" else "verify.number_changed"
            out.append(finding(code, old=s.bare, new=a.bare, text=s.text))
    return out


def eras(text: str) -> dict[str, set[str]]:
    """Years of ``text`` with an era, by era: ``{"bc": {"312"}, "ad": {"79"}}`` ("312 BC", "312 av. J.-C.",
    "AD 79", "79 apr. J.-C.")."""
    out: dict[str, set[str]] = {"bc": set(), "ad": set()}
    for m in _ERA_AFTER.finditer(text):
        out["bc" if m.group("bc") else "ad"].add(str(int(m.group(1))))
    for m in _ERA_BEFORE.finditer(text):
        out["ad"].add(str(int(m.group(1))))
    return out


def _written(year: str, text: str) -> bool:
    return re.search(rf"(?<![\d.,]){year}(?![\d.,]\d|\d)", text) is not None


def _check_eras(source: str, answer: str) -> list[Finding]:
    """A year before the common era stays one, in every pass: "312 BC" -> "312" or "312 AD", "312" ->
    "312 BC", "79 AD" -> "79 BC" changed the year (a key point that writes the year without its era states
    another year). A year left out altogether is the number check's; an "AD" added or left out changes
    nothing."""
    src, ans = eras(source), eras(answer)
    out: list[Finding] = []
    for year in sorted(src["bc"] - ans["bc"]):
        if year in ans["ad"]:
            out.append(finding("verify.date_changed", old=f"{year} BC", new=f"{year} AD", text=f"{year} BC"))
        elif _written(year, answer):
            out.append(finding("verify.date_changed", old=f"{year} BC", new=year, text=f"{year} BC"))
    for year in sorted(ans["bc"] - src["bc"]):
        if _written(year, source):
            old = f"{year} AD" if year in src["ad"] else year
            out.append(finding("verify.date_changed", old=old, new=f"{year} BC", text=old))
    return out


def _check_dates(
    src: list[Occurrence], ans: list[Occurrence], ctx: list[Occurrence], policy: Policy
) -> list[Finding]:
    dates_s, dates_a, dates_c = _of(src, "date"), _of(ans, "date"), _of(ctx, "date")

    def same(x: Occurrence, y: Occurrence) -> bool:
        assert x.date is not None and y.date is not None
        return nd.same_date(x.date, y.date) or nd.same_date(y.date, x.date)

    lost = [s for s in dates_s if not any(same(s, a) for a in dates_a)]
    new = [a for a in dates_a if not any(same(s, a) for s in dates_s + dates_c)]
    out: list[Finding] = []
    for s, a in zip(lost, new, strict=False):
        out.append(finding("verify.date_changed", old=s.text, new=a.text, text=s.text))
    for a in new[len(lost) :]:
        out.append(finding("verify.date_added", new=a.text, text=a.text, blocking=policy.facts_blocking))
    if policy.keep_facts:
        for s in lost[len(new) :]:
            out.append(
                finding("verify.fact_dropped", what="date", what_fr="la date", old=s.text, text=s.text)
            )
    return out


_PARTICLES = frozenset(
    ["de", "du", "des", "la", "le", "van", "von", "der", "den", "da", "di", "del", "of", "the", "and", "et"]
)


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", fold_plain(name)) if len(w) >= 3 and w not in _PARTICLES]


def _entity_in(name: str, folded: str, words: set[str]) -> bool:
    """A name is there when written the same, or when its significant words all are."""
    if contains_folded(folded, name) or (len(name) >= 4 and nd.fold(name) in folded):  # "2Center", "physics1"
        return True
    parts = _name_words(name)
    return bool(parts) and all(p in words for p in parts)


def _without_links(text: str) -> str:
    """``text`` with its links and e-mail addresses blanked: "felepin" in "www.felepin.fr" is no mention of
    the name "Georges Felepin"."""
    for pattern in (_EMAIL, _URL):
        text = pattern.sub(" ", text)
    return text


NAME_ENDINGS = frozenset(
    ["", "e", "s", "a", "o", "i", "y", "n", "es", "ie", "ia", "us", "um", "en", "an", "on"]
)
"""What may differ at the end of a short name in two languages ("Rhin"/"Rhine", "Italie"/"Italy")."""


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (short words)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def cognate(a: str, b: str) -> bool:
    """Two words that are the same name or word in two languages ("Londres"/"London", "Vésuve"/"Vesuvius",
    "photosynthèse"/"photosynthesis"): equal, or sharing their first four letters (accents removed) and
    then, for a short word (5 letters or fewer), differing only by an ending of :data:`NAME_ENDINGS`
    ("Rhin"/"Rhine"; "Mainz" is not "main"), for a longer one by at most half their letters."""
    a, b = fold_plain(a), fold_plain(b)
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[:4] != b[:4]:
        return False
    shared = 4
    while shared < min(len(a), len(b)) and a[shared] == b[shared]:
        shared += 1
    if min(len(a), len(b)) <= 5:
        return a[shared:] in NAME_ENDINGS and b[shared:] in NAME_ENDINGS
    return _edits(a, b) <= max(len(a), len(b)) // 2


def _has_cognate(word: str, by_key: dict[str, list[str]]) -> bool:
    """Whether a word of ``by_key`` (words of the other text, by their first four letters) is a cognate."""
    return any(cognate(word, other) for other in by_key.get(word[:4], ()))


def _by_key(words: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in words:
        if len(w) >= 4:
            out.setdefault(w[:4], []).append(w)
    return out


def _unmatched_names(
    names: list[Occurrence], other_words: set[str], lang: str, other: str
) -> list[Occurrence]:
    """Names none of whose words has a cognate (:func:`cognate`) or a translation
    (:mod:`inclusio.analysis.lexicon`) among ``other_words`` (words of the text in language ``other``): a
    translation renamed them, or dropped them."""
    from inclusio.analysis.lexicon import translations

    by_key = _by_key(other_words)
    keys = frozenset(by_key)
    out = []
    for o in names:
        parts = _name_words(o.text) or [fold_plain(o.text)]
        if not any(
            p in other_words
            or (len(p) >= 4 and (_has_cognate(p, by_key) or translations(p, lang, other) & keys))
            for p in parts
        ):
            out.append(o)
    return out


def _sentence_of(text: str) -> tuple[int, list[int]]:
    """(number of sentences, their start offsets) of ``text`` (:func:`inclusio.analysis.alignment.sentences`)."""
    from inclusio.analysis.alignment import sentences

    starts: list[int] = []
    at = 0
    for sentence in sentences(text):
        found = text.find(sentence, at)
        if found < 0:
            continue
        starts.append(found)
        at = found + len(sentence)
    return len(starts), starts


def _index(starts: list[int], offset: int) -> int:
    return max(0, sum(1 for s in starts if s <= offset) - 1)


def _renamed_dropped(
    src: list[Occurrence],
    ans: list[Occurrence],
    source: str,
    answer: str,
    skip: set[str],
    langs: tuple[str, str],
) -> list[Occurrence]:
    """Across languages: a source name with no cognate in the answer ("Soleil" -> "Sun", "Mainz" ->
    "Mayence") must be matched, name per name, by an answer name with no cognate in the source, in the same
    sentence when the translation keeps the source's sentences (anywhere otherwise); the rest were dropped
    ("Mayence" stands for "Mainz", not also for a dropped "Bible" of the next sentence)."""
    source_words = set(re.findall(r"[^\W\d_]+", fold_plain(_without_links(source))))
    answer_words = set(re.findall(r"[^\W\d_]+", fold_plain(_without_links(answer))))
    lost = [
        o
        for o in _unmatched_names(_of(src, "entity", "symbol"), answer_words, langs[0], langs[1])
        if nd.fold(o.text) not in skip
    ]
    # A capitalised word at a sentence start is no evidence of a renamed name ("Excavations began...").
    # Names written as in the source are matched already.
    same = {nd.fold(o.text) for o in src}
    names = [
        o
        for o in _of(ans, "entity", "symbol")
        if not (o.left == "^" and not _name_words(o.text)[1:]) and nd.fold(o.text) not in same
    ]
    new = _unmatched_names(names, source_words, langs[1], langs[0])
    count_s, starts_s = _sentence_of(source)
    count_a, starts_a = _sentence_of(answer)
    aligned = count_s == count_a and count_s > 1
    free = list(new)
    dropped: list[Occurrence] = []
    for o in lost:
        twin = next(
            (a for a in free if not aligned or _index(starts_a, a.start) == _index(starts_s, o.start)),
            None,
        )
        if twin is None:
            dropped.append(o)
        else:
            free.remove(twin)
    return dropped


def _stems(words: Iterable[str], letters: int = 5) -> set[str]:
    return {w[:letters] for w in words}


def _distinctive_words(name: str, lang: str) -> list[str]:
    """The words that tell a name of two words or more from another when its last word is a common word
    (Zipf :data:`COMMON_HEAD_ZIPF` or more, in ``lang``): its words rarer than that line ("Yale" in "Yale
    University", "Hopkins" in "Johns Hopkins University"), folded. Empty when the last word is rare or the
    rarest of the name ("Jan Ingenhousz", "William Harvey", "John Smith": the family name is the head), or
    when no word is rare ("Assemblée nationale", "Secure Shell"). Frequencies are read on the words as
    written (accents kept: "université", not "universite")."""
    from inclusio.analysis.rare_words import zipf

    if not lang:
        return []
    tokens = [t for t in re.findall(r"[^\W_]+", name) if fold_plain(t) not in _PARTICLES and len(t) >= 3]
    if len(tokens) < 2:
        return []
    freq = {fold_plain(t): zipf(t.lower(), lang) for t in tokens}
    head = freq[fold_plain(tokens[-1])]
    if head < COMMON_HEAD_ZIPF or head <= min(freq.values()):
        return []
    return [w for w, z in freq.items() if z < COMMON_HEAD_ZIPF]


def _name_kept(
    o: Occurrence,
    answer_fold: str,
    answer_words: set[str],
    across: bool,
    answer_caps: set[str] = frozenset(),
    lang: str = "",
) -> bool:
    """Whether the answer still names ``o``: a symbol as written (across languages an acronym may be
    translated, see :func:`_renamed_dropped`); a name by its last word written as a name, with a capital
    ("Ingenhousz" for "Jan Ingenhousz", "Harvey" for "William Harvey"; "Secure Shell" is not kept by "le
    shell sûr"), a single name as a word, or by a capitalised word of the same root ("Parisiens" ->
    "habitants de Paris"; "Dynamic" is not kept by "dynamics"); across languages by any of its words or a
    cognate ("Vésuve" -> "Vesuvius", "Assemblée nationale" -> "National Assembly"). A name whose last word
    is a common word and that has rare words (:func:`_distinctive_words`: "Yale University") is kept only
    by one of those, in any language: another "University" ("l'université") is no "Yale".
    ``answer_caps``: the answer's words written with a capital, folded."""
    words = _name_words(o.text)
    if o.kind == "symbol" or not words:
        return contains_folded(answer_fold, o.text)
    by_key = _by_key(answer_words) if across else {}
    distinctive = _distinctive_words(o.text, lang) if len(words) >= 2 else []
    if distinctive:
        if across:
            return any(w in answer_words or _has_cognate(w, by_key) for w in distinctive)
        return any(w in answer_caps for w in distinctive)
    if across:
        return any(w in answer_words for w in words) or any(_has_cognate(w, by_key) for w in words)
    if len(words) >= 2:
        words = words[-1:]  # the family name, the head: "Georges Felepin" -> "Georges" lost a name
    elif words[0] in answer_words:
        return True
    if any(w in answer_caps for w in words):
        return True
    stems = _stems(w for w in answer_caps if len(w) >= 5)
    return any(len(w) >= 5 and w[:5] in stems for w in words)


def _name_new(
    a: Occurrence,
    folds: list[tuple[str, str, frozenset[str], str]],
    support_words: frozenset[str],
    across: bool,
    lang: str,
    answer_lang: str,
) -> bool:
    """Whether an answer's name is in none of the support texts: as written, by all its words, by the root
    of a single word ("Commencées" at a sentence start, "commencé" in the source), or across languages by at
    least half its words through cognates and the lexicon ("National Assembly" / "Assemblée nationale")."""
    if any(_entity_in(a.text, f[0], support_words) for f in folds):
        return False
    words = _name_words(a.text)
    if not words:
        return True
    if not across:
        word = words[0]
        return not (
            len(words) == 1 and word.isalpha() and len(word) >= 5 and word[:5] in _stems(support_words)
        )
    from inclusio.analysis.alignment import anchored

    keys = frozenset(w[:4] for w in support_words if len(w) >= 4)
    found = sum(
        1 for w in words if (len(w) >= 4 or w in support_words) and anchored(w, keys, answer_lang, lang)
    )
    return found * 2 < len(words)


def _heads_shared(
    src: list[Occurrence],
    ans: list[Occurrence],
    plain_answer: str,
    answer_fold: str,
    in_answer: set[str],
    dropped: list[Occurrence],
    lang: str,
) -> list[Occurrence]:
    """Same language: names of two words or more kept only by their last word (:func:`_name_kept`) need as
    many of its capitalised occurrences in the answer as there are such names, besides the names the
    answer writes in full: "Department of Physics ... Department of Applied Physics" -> "Department of
    Physics ... Department of" lost the second name although "Physics" is still there. The names with the
    fewest of their words in the answer are the ones lost."""
    gone = {nd.fold(o.text) for o in dropped}
    by_head: dict[str, list[Occurrence]] = {}
    seen: set[str] = set()
    for o in _of(src, "entity"):
        words, key = _name_words(o.text), nd.fold(o.text)
        if (
            len(words) < 2
            or key in seen
            or key in gone
            or key in in_answer
            or contains_folded(answer_fold, o.text)
        ):
            continue
        if _distinctive_words(o.text, lang):
            continue  # kept by its rare words ("Yale"), not by its last one
        seen.add(key)
        by_head.setdefault(words[-1], []).append(o)
    if not by_head:
        return []
    caps = Counter(fold_plain(w) for w in re.findall(r"[^\W_]+", plain_answer) if w[:1].isupper())
    in_full = {nd.fold(o.text) for o in _of(src, "entity")} & in_answer
    for a in _of(ans, "entity"):
        words = _name_words(a.text)
        if len(words) >= 2 and nd.fold(a.text) in in_full:
            caps[words[-1]] -= 1
    answer_words = set(re.findall(r"[^\W_]+", fold_plain(plain_answer)))
    out: list[Occurrence] = []
    for head, names in by_head.items():
        missing = len(names) - max(0, caps[head])
        if missing > 0:
            names.sort(key=lambda o: sum(w in answer_words for w in _name_words(o.text)[:-1]))
            out += names[:missing]
    return out


def _check_entities(
    src: list[Occurrence],
    ans: list[Occurrence],
    support: Sequence[str],
    answer: str,
    policy: Policy,
    lang: str,
    *,
    across: bool = False,
    source: str = "",
    answer_lang: str = "",
) -> list[Finding]:
    def checked(o: Occurrence) -> bool:
        """A translation renames names ("Soleil" -> "Sun", "Mainz" -> "Mayence") and acronyms ("WHO" ->
        "OMS"): it keeps symbols with digits and full names as written or as cognates; a single name is
        matched name per name with a renamed one (:func:`_renamed_dropped`). In the same language every name
        stays."""
        if not across or policy.keep_entities == "all" or len(_name_words(o.text)) >= 2:
            return True
        if o.kind == "symbol":
            return any(c.isdigit() for c in o.text)
        return False

    plain_answer = _without_links(answer)
    answer_fold = nd.fold(plain_answer)
    folds = [_folds(text) for text in support if text]
    support_words = frozenset().union(*(f[2] for f in folds))
    answer_words = set(re.findall(r"[^\W_]+", fold_plain(plain_answer)))
    answer_caps = {fold_plain(w) for w in re.findall(r"[^\W_]+", plain_answer) if w[:1].isupper()}
    in_source = {nd.fold(o.text) for o in _of(src, "entity", "symbol")}
    in_answer = {nd.fold(o.text) for o in _of(ans, "entity", "symbol")}
    added = [
        a
        for a in _of(ans, "entity", "symbol")
        if checked(a)
        and nd.fold(a.text) not in in_source
        and _name_new(a, folds, support_words, across, lang, answer_lang or lang)
    ]
    dropped: list[Occurrence] = []
    if policy.keep_facts:
        for s in _of(src, "entity", "symbol"):
            if (
                checked(s)
                and nd.fold(s.text) not in in_answer
                and not _name_kept(s, answer_fold, answer_words, across, answer_caps, lang)
            ):
                dropped.append(s)
        if not across:
            dropped += _heads_shared(src, ans, plain_answer, answer_fold, in_answer, dropped, lang)
        if across:
            skip = {nd.fold(o.text) for o in _of(src, "entity", "symbol") if checked(o)}
            dropped += _renamed_dropped(src, ans, source, answer, skip, (lang, answer_lang or lang))
    out: list[Finding] = []
    for s, a in zip(dropped, added, strict=False):
        out.append(finding("verify.entity_changed", old=s.text, new=a.text))
    for a in added[len(dropped) :]:
        out.append(finding("verify.entity_added", new=a.text, blocking=policy.facts_blocking))
    for s in dropped[len(added) :]:
        what, what_fr = _WHAT[s.kind]
        out.append(finding("verify.fact_dropped", what=what, what_fr=what_fr, old=s.text, text=s.text))
    return out


def _check_links(ans: list[Occurrence], support: Sequence[str]) -> list[Finding]:
    folds = [_folds(text) for text in support if text]
    out: list[Finding] = []
    for a in _of(ans, "link", "contact"):
        digits = re.sub(r"\D", "", a.text)
        known = any(a.values[0] in f[1] or (a.kind == "contact" and digits and digits in f[3]) for f in folds)
        if not known:
            out.append(
                finding("verify.contact_added" if a.kind == "contact" else "verify.link_added", new=a.text)
            )
    return out


def _check_instructions(source: str, answer: str, policy: Policy) -> list[Finding]:
    found = instructions(answer)
    if not found:
        return []
    if policy.cross_language:
        return [] if instructions(source) else [finding("verify.instruction", text=found[0])]
    in_source = nd.fold(source)
    new = [hit for hit in found if hit not in in_source]
    return [finding("verify.instruction", text=new[0])] if new else []


def _sentence_words(sentence: str, index: int, policy: Policy | None, lang: str | None) -> list[str]:
    """The content words a sentence of an answer is checked on: everyday words left out for easy-to-read,
    ordinary words left out of a definition's first sentence (:attr:`Policy.ordinary`)."""
    if policy is None:
        return content_words(sentence, names=False, lang=lang)
    if policy.ordinary is not None and index == 0 and lang:
        return content_words(sentence, names=False, lang=lang, common=policy.ordinary)
    return content_words(sentence, names=False, lang=lang if policy.everyday else None)


def sentence_shares(
    answer: str, support_texts: Sequence[str], lang: str | None = None, pass_name: str | None = None
) -> list[float]:
    """Per sentence of ``answer`` (3 content words or more): the share of its words found in the texts
    (what the invented-sentence thresholds of :data:`POLICIES` compare; ``bench/verify.py`` prints them).
    With ``pass_name``, the words that pass checks (``lang``: the answer's language); without, everyday words
    of ``lang`` are left out."""
    support = frozenset().union(*(_support_of(t) for t in support_texts))
    policy = POLICIES[pass_name] if pass_name else None
    out: list[float] = []
    for index, sentence in enumerate(_sentences(answer)):
        words = _sentence_words(sentence, index, policy, lang)
        if len(words) >= MIN_SENTENCE_WORDS:
            out.append(sum(1 for w in words if _stem(w) in support) / len(words))
    return out


def _check_words(
    source: str,
    answer: str,
    support_texts: Sequence[str],
    policy: Policy,
    local_texts: Sequence[str] = (),
    lang: str | None = None,
) -> list[Finding]:
    support = frozenset().union(*(_support_of(t) for t in support_texts))
    local = frozenset().union(*(_support_of(t) for t in local_texts)) if policy.extra_local else support
    out: list[Finding] = []
    if policy.words is not None:
        for index, sentence in enumerate(_sentences(answer)):
            words = _sentence_words(sentence, index, policy, lang)
            if len(words) < MIN_SENTENCE_WORDS:
                continue
            extra = bool(index) and policy.extra_sentences is not None
            found = sum(1 for w in words if _stem(w) in (local if extra else support))
            lowest = policy.extra_sentences if extra else policy.words
            if found / len(words) < lowest:
                out.append(
                    finding(
                        "verify.invented_words",
                        text=sentence,
                        n=found,
                        total=len(words),
                        blocking=policy.words_blocking,
                    )
                )
                if len(out) >= 2:
                    break
    if policy.unrelated is not None:
        words = content_words(answer)
        found = sum(1 for w in words if _stem(w) in support)
        source_long = {w for w in content_words(source) if len(w) >= 6}
        kept = sum(1 for w in source_long if _stem(w) in _support(words))
        if len(words) >= 4 and found / len(words) < policy.unrelated:
            out.append(finding("verify.unrelated", n=found, total=len(words)))
        elif policy.keep_facts and len(source_long) >= 4 and kept / len(source_long) < policy.unrelated:
            out.append(finding("verify.unrelated", n=kept, total=len(source_long)))
    return out


def _glossary_parts(glossary: Iterable[GlossaryEntry | str]) -> tuple[list[str], list[GlossaryEntry]]:
    texts: list[str] = []
    entries: list[GlossaryEntry] = []
    for item in glossary:
        if isinstance(item, str):
            texts.append(item)
        else:
            entries.append(item)
            texts += [item.term, item.definition or "", *item.translations.values()]
    return texts, entries


def _check_translation(
    source: str, answer: str, lang: str, answer_lang: str, entries: Sequence[GlossaryEntry]
) -> list[Finding]:
    out: list[Finding] = []
    ratio = TOO_LONG_RATIOS.get((nd.lang_root(lang), nd.lang_root(answer_lang)), TOO_LONG_RATIO)
    if len(answer) > ratio * len(source) + 15:
        out.append(finding("verify.too_long", ratio=f"{len(answer) / max(1, len(source)):.1f}"))
    src, ans = nd.fold(source), nd.fold(answer)
    for entry in entries:
        translated = entry.translations.get(answer_lang) or entry.translations.get(nd.lang_root(answer_lang))
        if not translated or nd.fold(translated) == nd.fold(entry.term):
            continue
        if contains_folded(src, entry.term, plural=True) and contains_folded(ans, entry.term, plural=True):
            out.append(finding("verify.untranslated", old=entry.term, new=translated))
    return out


def _check_alignment(source: str, answer: str, lang: str, answer_lang: str, policy: Policy) -> list[Finding]:
    """Translations: each sentence must stand for the source (see :mod:`inclusio.analysis.alignment`)."""
    from inclusio.analysis.alignment import sentence_count, sentence_support

    if policy.aligned is None:
        return []
    more = sentence_count(answer) > sentence_count(source)
    lowest = policy.aligned[1] if more else policy.aligned[0]
    out: list[Finding] = []
    for support in sentence_support(source, answer, lang, answer_lang):
        if support.share < lowest:
            out.append(
                finding(
                    "verify.invented_words", text=support.sentence, n=support.anchored, total=support.words
                )
            )
            if len(out) >= 2:
                break
    return out


def _check_terms(source: str, answer: str, terms: Sequence[str]) -> list[Finding]:
    src, ans = nd.fold(source), nd.fold(answer)
    return [
        finding("verify.fact_dropped", what="course term", what_fr="le terme", old=t, text=t)
        for t in terms
        if t.strip() and contains_folded(src, t, plural=True) and not contains_folded(ans, t, plural=True)
    ]


def _both_readings(ans: list[Occurrence], other: list[Occurrence]) -> list[Occurrence]:
    """A translation may keep the source's number format ("4,06 milliards" in English): a number's values
    are those of both readings of the same place."""
    by_start = {o.start: o for o in other if o.kind in ("number", "year") and o.start >= 0}
    out: list[Occurrence] = []
    for o in ans:
        twin = by_start.get(o.start)
        if twin is not None and o.kind in ("number", "year"):
            o = replace(
                o,
                values=tuple(dict.fromkeys((*o.values, *twin.values))),
                text=max(o.text, twin.text, key=len),
                bare=max(o.bare, twin.bare, key=len),
            )
        out.append(o)
    return out


def verify(
    source: str,
    answer: str,
    *,
    pass_name: str,
    lang: str,
    answer_lang: str | None = None,
    context: str | Sequence[str] = "",
    glossary: Iterable[GlossaryEntry | str] = (),
    terms: Sequence[str] = (),
) -> Verdict:
    """Check ``answer`` (what a pass generated) against ``source`` (what it stands for).

    ``pass_name``: a key of :data:`POLICIES` (``easy_read``, ``plain``, ``summary``, ``glossary``,
    ``alt_text``, ``long_description``, ``translation``). ``lang`` is the source's language,
    ``answer_lang`` the answer's (a translation's target; default ``lang``). ``context``: more text
    the answer may take facts and words from (for a glossary definition, the document; for key
    points, the section's rewrite; for alt text, the surrounding text and the image's OCR text).
    ``glossary``: terms (strings or :class:`~inclusio.model.document.GlossaryEntry`, whose
    definition and translations count as known words and give the expected translations).
    ``terms``: course terms a rewrite must keep. Never raises for any text.
    """
    policy = POLICIES[pass_name]
    verdict = Verdict(pass_name)
    source, answer = _ascii_digits(source), _ascii_digits(answer)
    context = _ascii_digits(context) if isinstance(context, str) else context
    if not answer.strip():
        verdict.findings.append(finding("verify.empty"))
        return verdict
    answer_lang = answer_lang or lang
    context_text = context if isinstance(context, str) else "\n".join(context)
    glossary_texts, entries = _glossary_parts(glossary)
    support = [source, context_text, "\n".join(glossary_texts)]
    src = facts(source, lang)
    ans = facts(answer, answer_lang)
    across = policy.cross_language and nd.lang_root(answer_lang) != nd.lang_root(lang)
    if across:
        ans = _both_readings(ans, facts(answer, lang))
    ctx = facts(context_text, lang) if context_text else []
    found = verdict.findings
    found += _check_numbers(src, ans, ctx, policy, answer, units=not across)
    found += _check_dates(src, ans, ctx, policy)
    found += _check_eras(source, answer)
    found += _check_entities(
        src,
        ans,
        support,
        answer,
        policy,
        nd.lang_root(lang),
        across=across,
        source=source,
        answer_lang=nd.lang_root(answer_lang),
    )
    found += _check_links(ans, support)
    found += _check_instructions(source + "\n" + context_text, answer, policy)
    if policy.cross_language:
        found += _check_translation(source, answer, lang, answer_lang, entries)
        found += _check_alignment(source, answer, lang, answer_lang, policy)
    else:
        found += _check_words(
            source,
            answer,
            [source, context_text, "\n".join(glossary_texts)],
            policy,
            [source, "\n".join(glossary_texts)],
            answer_lang,
        )
        if policy.keep_facts:
            found += _check_terms(source, answer, terms)
    return verdict
