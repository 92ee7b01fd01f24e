"""Easy-to-read rule checker, per sentence, for sources (teacher preview) and outputs (QA).

Rules (STANDARDS §3; ids are the standard's): a hit names the rule, its severity (``warn`` or
``fail``), the span in the sentence, a message and a suggestion in English and French.

====  ===============================  ===========================================================  ========
rule  what                             how (French; English in brackets when it differs)             severity
====  ===============================  ===========================================================  ========
T1    short sentences                  words (textstat's count, as readability): > 15 warn, > 20 fail  warn/fail
T2    one idea per sentence            syntax: more than one finite verb (``VerbForm=Fin``), or a     warn
                                       clause link the parser may have missed (mais, car, donc, dont,
                                       lorsque, parce que..., "et il/elle..."); without syntax: any
                                       connector (also qui, que, ", et" [but, because, which, who,
                                       although, when...]); any ``;``
T3    one sentence per line            2nd and later sentences of one paragraph or list item          warn
T4    everyday words                   wordfreq Zipf < 3.5, lemma too (:mod:`.rare_words`)             warn
T8    no acronyms, abbreviations       ``[A-ZÉÈ...]{2,6}`` words, dotted acronyms, symbols (CO2), ``etc.``, fail
                                       ``cf.``, ``c.-à-d.``, ``p. ex.``, ``M.`` + name [``e.g.``, ``i.e.``...];
                                       not everyday words in a line written in capitals ("TABLE DES
                                       MATIÈRES"), not code names (``$HOME``, ``LANG=``)
T9    no percentages, big numbers      ``%``, ``pour cent`` [percent], ≥ 1 000, million, milliard      fail
                                       (years 1000–2099 written without separator are dates, not big;
                                       identifiers are not quantities: ISBN, version, leading zero)
T10   numbers in digits                number words, not the articles un/une [one]                    fail
T11   no Roman numerals                "XIX", "XIXe siècle", "Ier" (:func:`.numbers_dates.find_roman`) warn
T12   dates in full                    ``12/03/2024``, ISO dates, abbreviated months                  warn
T14   no special characters            ``\\ & < > § # * / … { } [ ]``, ``...``, parentheses (``;`` is  warn
                                       T2's, ``%`` T9's)
T15   positive sentences               ``ne/n' … pas/plus/jamais/rien/personne/aucun/guère/ni``,       warn;
                                       "aucun … ne"; [not, n't, never, no, nothing, nobody...]; two    double:
                                       negations, or one with sans/non or a negative adjective         fail
                                       (impossible, inutile...) = double negation
T16   active voice                     syntax: ``aux:pass``/``nsubj:pass`` on a participle whose    warn
                                       lemma is a known verb; without syntax: être + past
                                       participle + "par" [be + participle (-ed or irregular)]
T17   simple tenses                    syntax: ``Mood=Sub`` after "que", ``Mood=Cnd``, indicative       warn
                                       ``Tense=Past`` with a passé simple ending; without syntax: conditional endings and passé
                                       simple forms of être/avoir/faire [would, might, had + participle]
T18   lists, not enumerations          ≥ 3 commas (not decimal commas)                                  warn
====  ===============================  ===========================================================  ========

Not automatic here (review only, or elsewhere): T5 (same word, glossary), T6 (metaphors), T7
(foreign words), T13 (pronouns), T19 (titles, sections), T20 (examples), layout rules.

Syntax comes from spaCy (:mod:`.nlp`: ``fr_core_news_sm`` for French). English has no model
(see :mod:`.nlp`), and French falls back to the regex rules when the model is not installed:
the report's ``syntax`` flag and ``notes`` say which rules ran without syntax. Rules marked †
in STANDARDS (guide practice, not the standard's text) warn; the standard's own rules fail.

What is checked in a document: the text a learner reads (see
:func:`inclusio.analysis.readability.readable_units`: body paragraphs, quotes, captions, list
items, footnotes) plus headings. Each unit is split into sentences by
:func:`inclusio.text.sentences.split_sentences`, the splitter of the readability scores and of
the easy-to-read pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from inclusio.analysis import nlp as nlp_mod
from inclusio.analysis import numbers_dates as nd
from inclusio.analysis import rare_words as rw
from inclusio.analysis.nlp import lang_root, lemma, load_pipeline, model_name
from inclusio.model.document import Block, Document, Heading

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

Severity = Literal["warn", "fail"]
MAX_PARSED_CHARS = 5000
"""Longer sentences are checked with the regex rules only (bounded parser memory)."""
RULE_IDS = ("T1", "T2", "T3", "T4", "T8", "T9", "T10", "T11", "T12", "T14", "T15", "T16", "T17", "T18")
RULE_TITLES: dict[str, tuple[str, str]] = {
    "T1": ("Short sentences", "Phrases courtes"),
    "T2": ("One idea per sentence", "Une idée par phrase"),
    "T3": ("One sentence per line", "Une phrase par ligne"),
    "T4": ("Everyday words", "Mots de tous les jours"),
    "T8": ("No acronyms or abbreviations", "Pas de sigles ni d'abréviations"),
    "T9": ("No percentages or big numbers", "Pas de pourcentages ni de grands nombres"),
    "T10": ("Numbers in digits", "Nombres en chiffres"),
    "T11": ("No Roman numerals", "Pas de chiffres romains"),
    "T12": ("Dates in full", "Dates écrites en entier"),
    "T14": ("No special characters", "Pas de caractères spéciaux"),
    "T15": ("Positive sentences", "Phrases positives"),
    "T16": ("Active voice", "Voix active"),
    "T17": ("Simple tenses", "Temps simples"),
    "T18": ("Lists, not enumerations", "Des listes, pas des énumérations"),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleConfig(_Frozen):
    """Thresholds of the checker (⚙ project defaults of STANDARDS §3)."""

    warn_words: int = Field(default=15, ge=1)
    """T1: a sentence with more words warns."""
    fail_words: int = Field(default=20, ge=1)
    """T1: a sentence with more words fails."""
    rare_zipf: float = Field(default=rw.RARE_ZIPF, ge=0, le=8)
    """T4: words below this wordfreq Zipf frequency are rare."""
    big_number: int = Field(default=1000, ge=1)
    """T9: numbers from this value up are big."""
    enumeration_commas: int = Field(default=3, ge=1)
    """T18: a sentence with this many commas is an enumeration."""
    use_syntax: bool = True
    """False: regex rules only, even when a spaCy model is installed."""
    disabled: tuple[str, ...] = ()
    """Rule ids not to check."""


class RuleHit(_Frozen):
    """One rule broken in one sentence."""

    rule: str
    severity: Severity
    start: int | None = None
    """Span in the sentence text (None: the whole sentence)."""
    end: int | None = None
    excerpt: str = ""
    message_en: str
    message_fr: str
    suggestion_en: str
    suggestion_fr: str


class SentenceCheck(_Frozen):
    """A sentence with at least one hit."""

    index: int
    """Position of the sentence in its block (0-based, over all its units)."""
    text: str
    words: int
    hits: list[RuleHit]


class BlockRules(_Frozen):
    """The hits of one block (for an adaptation: one block of it, ``part_id``)."""

    block_id: str
    """Id of the source block (also when an adaptation of it was checked)."""
    part_id: str | None = None
    """Id of the adapted block checked, when it is not the source block."""
    block_type: str
    lang: str
    sentences_checked: int
    sentences: list[SentenceCheck]
    """Only the sentences with hits."""


class RuleSummary(_Frozen):
    sentences: int
    sentences_with_fail: int
    sentences_with_warn_only: int
    clean_sentences: int
    hits_by_rule: dict[str, dict[str, int]]
    """``{"T1": {"warn": 3, "fail": 2}, ...}``."""
    acronyms_explained: dict[str, int] = Field(default_factory=dict)
    """T8: uses of an acronym the glossary explains, by how the reader meets its meaning: ``glossary`` (an
    entry the document or a person gave), ``text`` (a machine meaning of inclusio's acronym lexicon, not
    yet approved by staff, written in brackets in the text: the student reads it there), ``unreviewed``
    (that machine meaning only in the glossary: a T8 warning, not counted as explained)."""


class RuleReport(_Frozen):
    """The checker's result for a document (``model_dump()`` goes into the JSON report)."""

    adaptation_kinds: tuple[str, ...] = ()
    """Empty: the source was checked; else the reader's view with these adaptations."""
    syntax: dict[str, bool]
    """Per language root: whether a spaCy model gave syntax (T2, T16, T17 and proper nouns)."""
    models: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    config: RuleConfig
    summary: RuleSummary
    blocks: list[BlockRules]
    """Blocks with at least one hit, in reading order."""


# -- messages ---------------------------------------------------------------------------------------


def _hit(
    rule: str,
    severity: Severity,
    span: tuple[int, int] | None,
    text: str,
    en: str,
    fr: str,
    sug_en: str,
    sug_fr: str,
) -> RuleHit:
    start, end = span if span else (None, None)
    return RuleHit(
        rule=rule,
        severity=severity,
        start=start,
        end=end,
        excerpt=text[start:end] if span else "",
        message_en=en,
        message_fr=fr,
        suggestion_en=sug_en,
        suggestion_fr=sug_fr,
    )


@dataclass
class _Sentence:
    text: str
    lang: str
    """Language root."""
    words: int
    config: RuleConfig
    glossary: frozenset[str]
    position: int = 0
    """Index of the sentence within its unit (T3)."""
    doc: SpacyDoc | None = None
    hits: list[RuleHit] = field(default_factory=list)
    unreviewed: dict[str, bool] = field(default_factory=dict)
    """Glossary terms (lower case) whose meaning is the acronym lexicon's, not approved by staff: whether
    the reader's text writes that meaning in brackets somewhere (T8)."""
    explained: Counter[str] = field(default_factory=Counter)
    """T8: uses of a glossary acronym, by how its meaning reaches the reader (:class:`RuleSummary`)."""

    @property
    def fr(self) -> bool:
        return self.lang == "fr"


# -- rules ----------------------------------------------------------------------------------------


def _t1(s: _Sentence) -> None:
    cfg = s.config
    if s.words > cfg.fail_words:
        severity: Severity = "fail"
    elif s.words > cfg.warn_words:
        severity = "warn"
    else:
        return
    s.hits.append(
        _hit(
            "T1",
            severity,
            None,
            s.text,
            f"Sentence of {s.words} words (warn above {cfg.warn_words}, fail above {cfg.fail_words}).",
            f"Phrase de {s.words} mots (alerte au-delà de {cfg.warn_words}, échec au-delà de {cfg.fail_words}).",
            "Split it into short sentences.",
            "Coupez-la en phrases courtes.",
        )
    )


_CONNECTORS = {
    "fr": re.compile(
        r"(?i)\b(?:mais|car|donc|qui|que|qu['’]|dont|lorsque|lorsqu['’]|quand|puisque|puisqu['’]"
        r"|parce que|parce qu['’]|tandis que|alors que|bien que|afin que|pendant que)|, et\b"
        r"|\bet (?:il|elle|ils|elles|on|nous|vous|je|j['’]|tu)\b"
    ),
    "en": re.compile(
        r"(?i)\b(?:but|because|which|who|whom|whose|although|though|while|whereas|when|unless"
        r"|since|so that)\b|, and\b|, so\b"
    ),
}


_CLAUSE_LINKS = {
    "fr": re.compile(
        r"(?i)\b(?:mais|car|donc|dont|lorsque|lorsqu['’]|puisque|puisqu['’]|parce que|parce qu['’]"
        r"|tandis que|alors que|bien que|afin que|pendant que)\b"
        r"|\bet (?:il|elle|ils|elles|on|nous|vous|je|j['’]|tu)\b"
    ),
    "en": re.compile(
        r"(?i)\b(?:but|because|although|though|whereas|unless|so that)\b"
        r"|\band (?:it|he|she|they|we|you|I)\b"
    ),
}


def _t2(s: _Sentence) -> None:
    semicolon = s.text.find(";")
    if semicolon >= 0:
        s.hits.append(
            _hit(
                "T2",
                "warn",
                (semicolon, semicolon + 1),
                s.text,
                "A semicolon joins two ideas.",
                "Un point-virgule relie deux idées.",
                "Make two sentences.",
                "Faites deux phrases.",
            )
        )
        return
    if s.doc is not None:
        finite = [t for t in s.doc if "Fin" in t.morph.get("VerbForm")]
        if len(finite) <= 1:
            # The small model misses verbs in short sentences ("capte" as a noun): unambiguous
            # clause links still count (not "et", "que", "qui", which also join words).
            match = _CLAUSE_LINKS.get(s.lang, _CLAUSE_LINKS["en"]).search(s.text)
            if match and match.start() > 0:
                word = match.group(0).strip(", ")
                s.hits.append(
                    _hit(
                        "T2",
                        "warn",
                        (match.start(), match.end()),
                        s.text,
                        f"'{word}' links two ideas.",
                        f"« {word} » relie deux idées.",
                        "Keep one idea per sentence.",
                        "Gardez une idée par phrase.",
                    )
                )
            return
        first = finite[0].i
        link = next(
            (
                t
                for t in s.doc[first + 1 :]
                if t.pos_ in ("CCONJ", "SCONJ") or "Rel" in t.morph.get("PronType")
            ),
            None,
        )
        token = link or finite[1]
        span = (token.idx, token.idx + len(token.text))
        verbs = ", ".join(t.text for t in finite)
        s.hits.append(
            _hit(
                "T2",
                "warn",
                span,
                s.text,
                f"{len(finite)} conjugated verbs ({verbs}): more than one idea.",
                f"{len(finite)} verbes conjugués ({verbs}) : plus d'une idée.",
                "Keep one idea per sentence.",
                "Gardez une idée par phrase.",
            )
        )
        return
    pattern = _CONNECTORS.get(s.lang)
    match = pattern.search(s.text) if pattern else None
    if match and match.start() > 0:
        word = match.group(0).strip(", ")
        s.hits.append(
            _hit(
                "T2",
                "warn",
                (match.start(), match.end()),
                s.text,
                f"'{word}' links two ideas (found without syntax analysis).",
                f"« {word} » relie deux idées (trouvé sans analyse syntaxique).",
                "Keep one idea per sentence.",
                "Gardez une idée par phrase.",
            )
        )


def _t3(s: _Sentence) -> None:
    if s.position > 0:
        s.hits.append(
            _hit(
                "T3",
                "warn",
                None,
                s.text,
                "Another sentence on the same line.",
                "Une autre phrase sur la même ligne.",
                "Start each sentence on a new line.",
                "Commencez chaque phrase sur une nouvelle ligne.",
            )
        )


def _t4(s: _Sentence) -> None:
    root = s.lang
    if not rw.has_word_list(root):
        return
    threshold = s.config.rare_zipf
    found: list[tuple[int, int, str, float]] = []
    if s.doc is not None:
        for token in s.doc:
            if token.pos_ in ("PROPN", "NUM", "PUNCT", "SYM", "X"):
                continue
            if token.i > 0 and token.text[:1].isupper():
                continue  # the small model misses many names; a capital inside a sentence is one
            word = token.text.strip("-'’")
            if not rw.WORD.fullmatch(word) or word.lower() in s.glossary:
                continue
            # The lemma only for a word rare as written (it can only rescue one): most words need none.
            value = rw.is_rare(word, root, threshold=threshold)
            if value is not None:
                value = rw.is_rare(word, root, lemma=lemma(token) or None, threshold=threshold)
            if value is not None:
                found.append((token.idx, token.idx + len(token.text), word, value))
    else:
        found = [
            (r.start, r.end, r.word, r.zipf)
            for r in rw.rare_words(s.text, root, threshold=threshold, skip=s.glossary)
        ]
    for start, end, word, value in found:
        s.hits.append(
            _hit(
                "T4",
                "warn",
                (start, end),
                s.text,
                f"Rare word '{word}' (frequency {value:.1f} < {threshold}).",
                f"Mot rare « {word} » (fréquence {value:.1f} < {threshold}).",
                "Use an everyday word, or explain it (glossary).",
                "Utilisez un mot courant, ou expliquez-le (glossaire).",
            )
        )


_ACRONYM = re.compile(
    r"\b[A-ZÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ]{2,6}s?\b|\b(?:[A-Z]\.){2,}"
    r"|(?<![\w-])[A-Z][A-Za-z]?\d[A-Za-z0-9]*\b"
)
"""Acronyms ("ADN", "U.S.A.") and symbols or formulas ("CO2", "H2O", "C6H12O6")."""
_ABBREVIATIONS = {
    "fr": re.compile(
        r"(?i)\b(?:etc|cf|c\.-à-d|c-à-d|p\. ?ex|ex|env|resp|fig|chap|vol|éd|coll|réf|tél|approx"
        r"|av\. J\.-C|apr\. J\.-C|J\.-C)\.|\bn[°º]|(?-i:\b(?:M|Mme|Mlle|Dr|Pr)\.? (?=[A-Z]))"
        r"|(?-i:\bp\. ?(?=\d))"
    ),
    "en": re.compile(
        r"(?i)\b(?:etc|cf|e\.g|i\.e|vs|approx|fig|ch|vol|no(?=\. ?\d)|dept|esp)\."
        r"|(?-i:\b(?:Mr|Mrs|Ms|Dr|Prof)\.? (?=[A-Z]))|(?-i:\bp\. ?(?=\d))"
    ),
}


def _in_capitals(text: str) -> bool:
    """A line written in capitals ("TABLE DES MATIÈRES"): at least 2 words and no lower-case letter."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(_WORDS.findall(text)) >= 2 and bool(letters) and not any(ch.islower() for ch in letters)


_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿ]")
_CAPITALS_WORD = re.compile(r"[A-ZÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ]{2,}")
EVERYDAY_ZIPF = 4.0
"""A word in capitals of 4 letters or more is an everyday word at this frequency (English, or French
without its spaCy model's word lists)."""
EVERYDAY_SHORT_ZIPF = 5.0
"""A word in capitals of 3 letters or fewer must be this frequent ("IS", "THE"; "ADN", "UE" are not)."""


@cache
def known_acronyms() -> frozenset[str]:
    """The acronyms of inclusio's lexicon (``inclusio/data/acronyms.txt``, first field of each entry)."""
    text = files("inclusio").joinpath("data", "acronyms.txt").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return frozenset(line.split(" | ")[0].strip() for line in lines)


@cache
def _dictionary(lang: str) -> frozenset[str] | None:
    """The word forms of the spaCy model's lemmatizer lists (nouns, verbs, adjectives, adverbs), or None."""
    nlp = load_pipeline(lang) if lang == "fr" else None
    if nlp is None or "lemmatizer" not in nlp.pipe_names:
        return None
    lookups = nlp.get_pipe("lemmatizer").lookups
    if "lemma_index" not in lookups.tables:
        return None
    return frozenset(form for forms in lookups.get_table("lemma_index").values() for form in forms)


def _dictionary_word(word: str, lang: str) -> bool:
    words = _dictionary(lang)
    if words is not None:
        return word in words
    return rw.zipf(word, lang) >= (rw.RARE_ZIPF if lang == "fr" else EVERYDAY_ZIPF)


def everyday_in_capitals(text: str, start: int, end: int, lang: str) -> bool:
    """Whether the word in capitals at ``text[start:end]`` is an everyday word written in capitals (a label
    "ASTUCE", emphasis "avant de TESTER", a key "SUPER-key", a phrase "UNIX IS user friendly"), not an
    acronym. Word frequencies count acronyms too ("adn", "cnrs" are frequent), so it must: not be an acronym
    of inclusio's lexicon (:func:`known_acronyms`), have a vowel, and be a word of the sentence's language
    or of English: for French, one of the spaCy model's word lists (without the model: Zipf 3.5); for
    English, Zipf 4. A word of 3 letters or fewer ("IS", but also "IT", "US") is a word only beside another
    word in capitals and at Zipf 5 ("the IT department" keeps its acronym)."""
    word = text[start:end]
    if not word.isalpha() or not word.isupper() or word in known_acronyms():
        return False
    if word.endswith("s") and word[:-1] in known_acronyms():
        return False
    low = word.lower()
    if not _VOWEL.search(low):
        return False
    langs = dict.fromkeys([lang_root(lang), "en"])
    if len(word) > 3:
        return any(_dictionary_word(low, code) for code in langs if rw.has_word_list(code))
    beside = re.search(r"\b[A-Z]{2,}\s+$", text[:start]) or _CAPITALS_WORD.match(text[end:].lstrip())
    near = bool(beside) and text[end : end + 1] in ("", " ", ".", ",", "!", "?")
    return near and any(rw.zipf(low, code) >= EVERYDAY_SHORT_ZIPF for code in langs if rw.has_word_list(code))


def _code_name(text: str, start: int, end: int) -> bool:
    """A name written as code: a shell variable ("$HOME") or the left side of a setting ("LANG=")."""
    return text[start - 1 : start] == "$" or text[end : end + 1] == "="


def acronym_spans(
    text: str,
    lang: str,
    *,
    rare_zipf: float = rw.RARE_ZIPF,
    roman_spans: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Where rule T8 reads an acronym or a symbol in ``text`` (one sentence): "ADN", "U.S.A.", "CO2".

    Not: a Roman numeral, a name written as code ("$HOME", "LANG="), an everyday word in a line written
    in capitals ("TABLE DES MATIÈRES"). Abbreviations ("etc.") and the glossary are the rule's own
    business. The glossary pass reads the same spans (acronyms the reader meets must be explained)."""
    if roman_spans is None:
        roman_spans = [(n.start, n.end) for n in nd.find_roman(text)]
    # In a line written in capitals, an everyday word ("TABLE DES MATIÈRES") is a word, not an acronym.
    capitals = _in_capitals(text) and rw.has_word_list(lang)
    spans: list[tuple[int, int]] = []
    for match in _ACRONYM.finditer(text):
        if any(a <= match.start() < b for a, b in roman_spans):
            continue
        if _code_name(text, *match.span()):
            continue  # a variable's name is typed as it is: it cannot be written in full
        word = match.group(0).lower()
        if capitals and word.isalpha() and rw.zipf(word, lang) >= rare_zipf:
            continue
        if everyday_in_capitals(text, *match.span(), lang):
            continue  # "ASTUCE", "avant de TESTER": a word in capitals, not an acronym
        spans.append(match.span())
    return spans


def _t8(s: _Sentence, roman_spans: list[tuple[int, int]]) -> None:
    hits: list[tuple[int, int]] = []
    unreviewed: list[tuple[int, int]] = []
    for start, end in acronym_spans(s.text, s.lang, rare_zipf=s.config.rare_zipf, roman_spans=roman_spans):
        word = s.text[start:end].lower()
        term = word if word in s.glossary else word.rstrip("s")
        if term not in s.glossary:
            hits.append((start, end))
        elif term not in s.unreviewed:
            s.explained["glossary"] += 1
        elif s.unreviewed[term]:
            s.explained["text"] += 1
        else:
            s.explained["unreviewed"] += 1
            unreviewed.append((start, end))
    for start, end in unreviewed:
        word = s.text[start:end]
        s.hits.append(
            _hit(
                "T8",
                "warn",
                (start, end),
                s.text,
                f"Acronym '{word}': its meaning is in the glossary only, chosen by the machine and not yet "
                "approved by staff.",
                f"Sigle « {word} » : son sens n'est que dans le glossaire, choisi par la machine et pas encore "
                "approuvé par l'équipe.",
                "Approve or correct its glossary entry, or write it in full.",
                "Approuvez ou corrigez son entrée du glossaire, ou écrivez-le en entier.",
            )
        )
    pattern = _ABBREVIATIONS.get(s.lang)
    if pattern:
        hits += [m.span() for m in pattern.finditer(s.text) if not any(a <= m.start() < b for a, b in hits)]
    for span in sorted(hits):
        word = s.text[span[0] : span[1]]
        s.hits.append(
            _hit(
                "T8",
                "fail",
                span,
                s.text,
                f"Acronym or abbreviation '{word}'.",
                f"Sigle ou abréviation « {word} ».",
                "Write the words in full (or explain it in the glossary).",
                "Écrivez les mots en entier (ou expliquez-le dans le glossaire).",
            )
        )


_PERCENT = {
    "fr": re.compile(r"%|\bpour ?cent\b|\bpourcentages?\b", re.IGNORECASE),
    "en": re.compile(r"%|\bper ?cent\b|\bpercentages?\b", re.IGNORECASE),
}


def _is_year(number: nd.NumberMatch) -> bool:
    return (
        number.kind == "digits"
        and number.text.isdigit()
        and len(number.text) == 4
        and 1000 <= number.value < 2100
    )


_CODE_NUMBER = re.compile(r"\d+(?:-\s?\d+){2,}(?:-[\dXx])?|0\d{3,}")
"""A number made of hyphen-joined groups (an ISBN "0-201-13448-9") or with a leading zero (a phone
number, an ISBN "0932376029"): an identifier, not a quantity."""
_IDENTIFIER_BEFORE = re.compile(r"(?i)\b(?:isbn|issn|version|v|n[°º]|numéro|number|no\.?)\s*:?\s*$")


def _identifier(text: str, number: nd.NumberMatch) -> bool:
    """A number that names something (ISBN, version, phone number) rather than counting it (T9)."""
    if number.kind != "digits":
        return False
    for match in _CODE_NUMBER.finditer(text):
        if match.start() <= number.start < match.end():
            return True
    return bool(_IDENTIFIER_BEFORE.search(text[max(0, number.start - 12) : number.start]))


def _t9(s: _Sentence, numbers: Sequence[nd.NumberMatch]) -> None:
    for match in _PERCENT.get(s.lang, _PERCENT["en"]).finditer(s.text):
        s.hits.append(
            _hit(
                "T9",
                "fail",
                match.span(),
                s.text,
                f"Percentage '{match.group(0)}'.",
                f"Pourcentage « {match.group(0)} ».",
                'Say it with words a reader can picture ("half", "1 person out of 4").',
                "Dites-le avec des mots concrets (« la moitié », « 1 personne sur 4 »).",
            )
        )
    scales = nd.scale_words(s.lang)
    for match in re.finditer(r"[^\W\d_]+", s.text):
        if match.group(0).lower() in scales:
            s.hits.append(
                _hit(
                    "T9",
                    "fail",
                    match.span(),
                    s.text,
                    f"Big number '{match.group(0)}'.",
                    f"Grand nombre « {match.group(0)} ».",
                    'Compare with something the reader knows ("many", "more than the people of a city").',
                    "Comparez avec quelque chose de connu (« beaucoup », « plus que les habitants d'une ville »).",
                )
            )
    for number in numbers:
        if number.kind == "roman" or abs(number.value) < s.config.big_number or _is_year(number):
            continue
        if _identifier(s.text, number):
            continue
        s.hits.append(
            _hit(
                "T9",
                "fail",
                (number.start, number.end),
                s.text,
                f"Big number '{number.text}' (at least {s.config.big_number}).",
                f"Grand nombre « {number.text} » (au moins {s.config.big_number}).",
                'Say "many" or compare with something the reader knows.',
                "Dites « beaucoup » ou comparez avec quelque chose de connu.",
            )
        )


def _t10(s: _Sentence, numbers: Sequence[nd.NumberMatch]) -> None:
    for number in numbers:
        if number.kind != "words":
            continue
        if number.text.lower() == "neuf" and (
            s.doc is None or not any(t.idx == number.start and t.pos_ == "NUM" for t in s.doc)
        ):
            continue  # "neuf" is also "new": only a parse can tell
        if (
            number.text.lower() in ("cent", "cents")
            and re.match(r"\s", s.text[number.start - 1 : number.start])
            and s.text[max(0, number.start - 5) : number.start].lower().strip() == "pour"
        ):
            continue  # "pour cent" is T9's
        s.hits.append(
            _hit(
                "T10",
                "fail",
                (number.start, number.end),
                s.text,
                f"Number in words '{number.text}' ({number.value}).",
                f"Nombre en lettres « {number.text} » ({number.value}).",
                f"Write it in digits: {number.value}.",
                f"Écrivez-le en chiffres : {number.value}.",
            )
        )


def _t11(s: _Sentence, romans: Sequence[nd.NumberMatch]) -> None:
    for number in romans:
        s.hits.append(
            _hit(
                "T11",
                "warn",
                (number.start, number.end),
                s.text,
                f"Roman numeral '{number.text}' ({number.value}).",
                f"Chiffre romain « {number.text} » ({number.value}).",
                f"Write {number.value} in digits.",
                f"Écrivez {number.value} en chiffres.",
            )
        )


_ABBREVIATED_MONTH = {
    "fr": re.compile(r"\b(?:janv|févr|fév|avr|juil|sept|oct|nov|déc)\.(?=\s*\d)", re.IGNORECASE),
    "en": re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?(?=\s+\d)"),
}


def _t12(s: _Sentence, dates: Sequence[nd.DateMatch]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for date in dates:
        if date.numeric:
            spans.append((date.start, date.end))
    pattern = _ABBREVIATED_MONTH.get(s.lang)
    if pattern:
        spans += [m.span() for m in pattern.finditer(s.text)]
    for span in spans:
        excerpt = s.text[span[0] : span[1]]
        s.hits.append(
            _hit(
                "T12",
                "warn",
                span,
                s.text,
                f"Date not written in full '{excerpt}'.",
                f"Date abrégée « {excerpt} ».",
                'Write the date in full ("12 March 2024").',
                "Écrivez la date en entier (« 12 mars 2024 »).",
            )
        )
    return spans


_SPECIAL = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}|\.{3}|[\\&<>§#*/…(){}\[\]]")


def _t14(s: _Sentence, skip: list[tuple[int, int]]) -> None:
    for match in _SPECIAL.finditer(s.text):
        if any(a <= match.start() < b for a, b in skip):
            continue
        excerpt = match.group(0)
        what_en, what_fr = (
            ("Parentheses", "Parenthèses")
            if excerpt[:1] in "([{" and len(excerpt) > 1
            else (f"Special character '{excerpt}'", f"Caractère spécial « {excerpt} »")
        )
        s.hits.append(
            _hit(
                "T14",
                "warn",
                match.span(),
                s.text,
                f"{what_en}.",
                f"{what_fr}.",
                "Use words and simple punctuation (full stop, comma).",
                "Utilisez des mots et une ponctuation simple (point, virgule).",
            )
        )


_FR_NEG_CLOSERS = frozenset(
    {
        "pas",
        "plus",
        "jamais",
        "rien",
        "personne",
        "aucun",
        "aucune",
        "guère",
        "point",
        "nullement",
        "ni",
        "nulle",
        "nul",
    }
)
_FR_NEG_BEFORE = frozenset({"aucun", "aucune", "personne", "rien", "nul", "nulle", "jamais"})
_FR_NEG_EXTRA = frozenset({"sans", "non"})
_NEG_ADJECTIVES = {
    "fr": frozenset(
        {
            "impossible",
            "impossibles",
            "inutile",
            "inutiles",
            "incorrect",
            "incorrecte",
            "inexact",
            "inexacte",
            "improbable",
            "inconnu",
            "inconnue",
            "inconnus",
            "illégal",
            "illogique",
            "anormal",
            "anormale",
            "négligeable",
            "négligeables",
            "invisible",
            "invisibles",
            "insuffisant",
            "insuffisante",
            "incapable",
            "inhabituel",
            "inhabituelle",
        }
    ),
    "en": frozenset(
        {
            "impossible",
            "unlikely",
            "uncommon",
            "unusual",
            "unimportant",
            "incorrect",
            "unknown",
            "unnecessary",
            "unclear",
            "uncertain",
            "insignificant",
            "invisible",
            "unable",
            "unlike",
            "infrequent",
            "illegal",
            "negligible",
        }
    ),
}
_EN_NEGATORS = re.compile(r"(?i)\b(?:not|never|no|nothing|nobody|none|neither|nor|nowhere|cannot)\b|n['’]t\b")
_WORDS = re.compile(r"[^\W\d_]+['’]?", re.UNICODE)


def _t15(s: _Sentence) -> None:
    spans: list[tuple[int, int]] = []
    extra = 0
    if s.fr:
        tokens = [(m.group(0).lower().rstrip("'’"), m.start(), m.end()) for m in _WORDS.finditer(s.text)]
        used: set[int] = set()
        for i, (word, start, end) in enumerate(tokens):
            if word not in ("ne", "n"):
                continue
            closer = next(
                (
                    j
                    for j in range(i + 1, min(len(tokens), i + 9))
                    if tokens[j][0] in _FR_NEG_CLOSERS or tokens[j][0] == "que"
                ),
                None,
            )
            if closer is not None and tokens[closer][0] != "que":
                used.add(closer)
                spans.append((start, tokens[closer][2]))
                continue
            before = next(
                (j for j in range(i - 1, max(-1, i - 9), -1) if tokens[j][0] in _FR_NEG_BEFORE), None
            )
            if before is not None:
                used.add(before)
                spans.append((tokens[before][1], end))
        if spans:
            # A second negative word after a closed negation ("ne ... jamais rien"), "sans" or "non",
            # or a negative adjective make a double negation.
            extra = sum(
                1
                for j, (word, _, _) in enumerate(tokens)
                if j not in used
                and (
                    word in _FR_NEG_CLOSERS - {"plus", "point", "personne"}
                    or word in _FR_NEG_EXTRA
                    or word in _NEG_ADJECTIVES["fr"]
                )
            )
    else:
        negators = list(_EN_NEGATORS.finditer(s.text))
        neither = any(m.group(0).lower() == "neither" for m in negators)
        spans = [m.span() for m in negators if not (neither and m.group(0).lower() == "nor")]
        if spans:
            extra = sum(
                1
                for m in _WORDS.finditer(s.text)
                if m.group(0).lower() in _NEG_ADJECTIVES["en"] or m.group(0).lower() == "without"
            )
    if not spans:
        return
    total = len(spans) + extra
    if total >= 2:
        s.hits.append(
            _hit(
                "T15",
                "fail",
                spans[0],
                s.text,
                f"Double negation ({total} negative words).",
                f"Double négation ({total} mots négatifs).",
                'Say it positively ("not impossible" -> "possible").',
                "Dites-le de façon positive (« pas impossible » -> « possible »).",
            )
        )
        return
    s.hits.append(
        _hit(
            "T15",
            "warn",
            spans[0],
            s.text,
            "Negative sentence.",
            "Phrase négative.",
            "Say it positively when you can.",
            "Dites-le de façon positive quand c'est possible.",
        )
    )


_PARTICIPLE_EN = (
    r"(?:\w{2,}ed|made|done|given|taken|seen|known|shown|found|built|written|held|kept|left|lost"
    r"|paid|put|said|sent|set|told|thought|brought|bought|caught|taught|understood|chosen"
    r"|driven|eaten|fallen|forgotten|grown|hidden|spoken|stolen|thrown|worn|born|drawn|spread"
    r"|cut|read|led|fed|heard|meant|met|sold|shut|begun|broken|frozen|sung|won|struck|hit)"
)
_PASSIVE = {
    "en": re.compile(
        r"(?i)\b(?:am|is|are|was|were|be|been|being|gets?|got)\s+(?:\w+ly\s+)?" + _PARTICIPLE_EN + r"\b"
    ),
    "fr": re.compile(
        r"(?i)\b(?:est|sont|était|étaient|sera|seront|fut|furent|être|été)\s+(?:\w+\s+)?"
        r"\w+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ites|rt|rte|rts|rtes)\s+par\b"
    ),
}


def _participle(token: object) -> bool:
    """A real past participle: the small model also parses "sont vertes" as a passive (lemma "verter")."""
    t = token
    if t.pos_ != "VERB" or "Part" not in t.morph.get("VerbForm"):  # type: ignore[attr-defined]
        return False
    return rw.zipf(lemma(t), "fr") >= 2.0 or t.lower_.endswith(("é", "ée", "és", "ées"))  # type: ignore[attr-defined]


def _t16(s: _Sentence) -> None:
    span: tuple[int, int] | None = None
    if s.doc is not None:
        aux = next((t for t in s.doc if t.dep_ == "aux:pass"), None)
        subj = next((t for t in s.doc if t.dep_ == "nsubj:pass"), None)
        if aux is not None and _participle(aux.head):
            head = aux.head
            lo, hi = min(aux.idx, head.idx), max(aux.idx + len(aux.text), head.idx + len(head.text))
            span = (lo, hi)
        elif subj is not None and _participle(subj.head):
            head = subj.head
            span = (head.idx, head.idx + len(head.text))
    else:
        match = _PASSIVE.get(s.lang, _PASSIVE["en"]).search(s.text)
        span = match.span() if match else None
    if span is None:
        return
    s.hits.append(
        _hit(
            "T16",
            "warn",
            span,
            s.text,
            "Passive voice.",
            "Voix passive.",
            'Say who does what: "the plant makes sugar".',
            "Dites qui fait quoi : « la plante fabrique du sucre ».",
        )
    )


_TENSES_FR = re.compile(
    r"(?i)\b(?!\w*trait\b)\w{2,}(?:rais|rait|rions|riez|raient)\b"
    r"|\b(?:fut|furent|eut|eurent|fit|firent|dut|durent|put|purent|vint|vinrent|\w+èrent)\b"
)
_TENSES_EN = re.compile(r"(?i)\b(?:would|might)\b|\bhad\s+(?:\w+ly\s+)?(?:been|" + _PARTICIPLE_EN + r")\b")


_PASSE_SIMPLE_ENDING = re.compile(
    r"(?:a|as|âmes|âtes|èrent|is|it|îmes|îtes|irent|us|ut|ûmes|ûtes|urent"
    r"|int|ins|înmes|inrent)$"
)
"""Endings of the passé simple: the small model also tags some presents ("sert") as past."""


def _t17(s: _Sentence) -> None:
    found: list[tuple[tuple[int, int], str, str]] = []
    if s.doc is not None:
        first_que = next((w.i for w in s.doc if w.lower_ in ("que", "qu'", "qu’")), len(s.doc))
        for t in s.doc:
            if "Fin" not in t.morph.get("VerbForm"):
                continue
            mood, tense = t.morph.get("Mood"), t.morph.get("Tense")
            span = (t.idx, t.idx + len(t.text))
            if "Sub" in mood:
                # The small model tags many present indicatives as subjunctive ("elle pousse"):
                # a French subjunctive follows "que", so without one before the verb it is not.
                if first_que < t.i:
                    found.append((span, "subjunctive", "subjonctif"))
            elif "Cnd" in mood:
                found.append((span, "conditional", "conditionnel"))
            elif "Ind" in mood and "Past" in tense and _PASSE_SIMPLE_ENDING.search(t.lower_):
                found.append((span, "simple past (passé simple)", "passé simple"))
    else:
        pattern = _TENSES_FR if s.fr else _TENSES_EN
        found = [(m.span(), "complex tense", "temps complexe") for m in pattern.finditer(s.text)]
    for span, en, fr in found:
        word = s.text[span[0] : span[1]]
        s.hits.append(
            _hit(
                "T17",
                "warn",
                span,
                s.text,
                f"'{word}': {en}.",
                f"« {word} » : {fr}.",
                "Use the present, the perfect (passé composé) or the future.",
                "Utilisez le présent, le passé composé ou le futur.",
            )
        )


def _t18(s: _Sentence) -> None:
    commas = [
        m.start()
        for m in re.finditer(r",", s.text)
        if not (
            m.start() > 0
            and s.text[m.start() - 1].isdigit()
            and s.text[m.start() + 1 : m.start() + 2].isdigit()
        )
    ]
    if len(commas) < s.config.enumeration_commas:
        return
    s.hits.append(
        _hit(
            "T18",
            "warn",
            (commas[0], commas[-1] + 1),
            s.text,
            f"Enumeration ({len(commas)} commas).",
            f"Énumération ({len(commas)} virgules).",
            "Make a list, one item per line.",
            "Faites une liste, un élément par ligne.",
        )
    )


def _check(s: _Sentence) -> None:
    off = set(s.config.disabled)
    numbers = nd.find_numbers(s.text, s.lang, roman=False)
    romans = nd.find_roman(s.text)
    dates = nd.find_dates(s.text, s.lang)
    roman_spans = [(n.start, n.end) for n in romans]
    date_spans = [(d.start, d.end) for d in dates if d.numeric]
    # Digits inside numeric dates are the date's (T12), not big numbers.
    numbers = [n for n in numbers if not any(a <= n.start < b for a, b in date_spans)]
    steps = [
        ("T1", lambda: _t1(s)),
        ("T2", lambda: _t2(s)),
        ("T3", lambda: _t3(s)),
        ("T4", lambda: _t4(s)),
        ("T8", lambda: _t8(s, roman_spans)),
        ("T9", lambda: _t9(s, numbers)),
        ("T10", lambda: _t10(s, numbers)),
        ("T11", lambda: _t11(s, romans)),
    ]
    for rule, run in steps:
        if rule not in off:
            run()
    t12_spans = _t12(s, dates) if "T12" not in off else date_spans
    for rule, run in (
        ("T14", lambda: _t14(s, t12_spans)),
        ("T15", lambda: _t15(s)),
        ("T16", lambda: _t16(s)),
        ("T17", lambda: _t17(s)),
        ("T18", lambda: _t18(s)),
    ):
        if rule not in off:
            run()


# -- driving ----------------------------------------------------------------------------------------


def _count_words(sentence: str) -> int:
    from textstat.backend.selections import list_words

    return len(list_words(sentence))


@dataclass
class _Unit:
    """The sentences of one text unit, and which block (and adapted part) they belong to."""

    block_id: str
    part_id: str | None
    block_type: str
    lang: str
    sentences: list[_Sentence]


def _make_sentences(
    text: str, lang: str, config: RuleConfig, glossary: frozenset[str], *, split: bool = True
) -> list[_Sentence]:
    from inclusio.text.sentences import split_sentences

    # A heading is one line whatever its punctuation ("1. Introduction" is not two sentences).
    parts = split_sentences(text) if split else ([" ".join(text.split())] if text.strip() else [])
    return [
        _Sentence(
            text=sentence,
            lang=lang,
            words=_count_words(sentence),
            config=config,
            glossary=glossary,
            position=i,
        )
        for i, sentence in enumerate(parts)
    ]


def _parse(sentences: list[_Sentence], config: RuleConfig) -> dict[str, bool]:
    """Check every sentence (:func:`_check`), each parsed by spaCy first when its language has a model;
    returns syntax per language. A sentence's parse is dropped once it is checked: holding the parses of a
    whole document at once (7,000 sentences on a 265-page manual) was most of the job's memory."""
    syntax: dict[str, bool] = {}
    checked: set[int] = set()
    by_lang: dict[str, list[_Sentence]] = {}
    for s in sentences:
        by_lang.setdefault(s.lang, []).append(s)
    for lang, group in by_lang.items():
        nlp = load_pipeline(lang) if config.use_syntax else None
        syntax[lang] = nlp is not None
        if nlp is None:
            continue
        # A "sentence" longer than MAX_PARSED_CHARS (a PDF without punctuation) is checked without
        # syntax: the parser's memory grows with it, and it fails T1 anyway.
        group = [s for s in group if len(s.text) <= MAX_PARSED_CHARS]
        # NER is not used by the rules (names are PROPN or capitalised): skip it, ~30 % faster. The few
        # lemmas the rules read are made on demand (nlp.lemma): the lemmatizer over every token was 4.4 s.
        parsed_docs = nlp.pipe((s.text for s in group), batch_size=256, disable=list(nlp_mod.RULES_PARSE_OFF))
        for s, parsed in zip(group, parsed_docs, strict=True):
            s.doc = parsed
            _check(s)
            s.doc = None
            checked.add(id(s))
    for s in sentences:
        if id(s) not in checked:
            _check(s)
    return syntax


def _unit_texts(block: Block) -> list[str]:
    from inclusio.analysis.readability import readable_units

    if isinstance(block, Heading):
        return [block.text] if block.text.strip() else []
    return readable_units(block)


def _summary(units: Sequence[_Unit]) -> RuleSummary:
    by_rule: dict[str, Counter[str]] = {}
    explained: Counter[str] = Counter()
    total = fails = warns = 0
    for unit in units:
        for s in unit.sentences:
            total += 1
            explained.update(s.explained)
            severities = {h.severity for h in s.hits}
            if "fail" in severities:
                fails += 1
            elif severities:
                warns += 1
            for h in s.hits:
                by_rule.setdefault(h.rule, Counter())[h.severity] += 1
    ordered = {rule: dict(sorted(by_rule[rule].items())) for rule in RULE_IDS if rule in by_rule}
    return RuleSummary(
        sentences=total,
        sentences_with_fail=fails,
        sentences_with_warn_only=warns,
        clean_sentences=total - fails - warns,
        hits_by_rule=ordered,
        acronyms_explained=dict(sorted(explained.items())),
    )


def _notes(syntax: dict[str, bool], config: RuleConfig) -> list[str]:
    notes: list[str] = []
    for lang, has in sorted(syntax.items()):
        if has:
            continue
        why = "disabled by configuration" if not config.use_syntax else "no spaCy model installed for it"
        notes.append(
            f"{lang}: checked without syntax ({why}): T2 from connectors, T16 from patterns, "
            "T17 from verb endings; proper nouns guessed from capitals"
        )
    return notes


def _glossary(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(t.strip().lower() for t in terms if t and t.strip())


def _unreviewed_meanings(doc: Document, sentences: Sequence[_Sentence]) -> dict[str, bool]:
    """Glossary acronyms (lower case) whose meaning is inclusio's acronym lexicon's and no person approved
    it (flagged ``glossary.lexicon``): whether one of ``sentences`` writes it in brackets after the acronym
    ("l'ADN (acide désoxyribonucléique)"), as the easy-to-read rewrite does at the first use."""
    out: dict[str, bool] = {}
    for entry in doc.glossary:
        if not entry.definition or entry.provenance.reviewed_by:
            continue
        if not any(flag.code == "glossary.lexicon" for flag in entry.flags):
            continue
        written = re.compile(rf"(?<![\w-]){re.escape(entry.term)}s? \(")
        out[entry.term.strip().lower()] = any(written.search(s.text) for s in sentences)
    return out


def check_text(
    text: str, lang: str, *, config: RuleConfig | None = None, glossary: Iterable[str] = ()
) -> list[SentenceCheck]:
    """Check one text (any length) in ``lang``: every sentence, with or without hits, in order.

    For a text outside a document (an LLM answer before it becomes blocks, a sentence typed in
    a preview). ``glossary``: terms explained elsewhere (not flagged as rare words or acronyms).
    """
    config = config or RuleConfig()
    sentences = _make_sentences(text, lang_root(lang), config, _glossary(glossary))
    _parse(sentences, config)
    return [SentenceCheck(index=i, text=s.text, words=s.words, hits=s.hits) for i, s in enumerate(sentences)]


def check_rules(
    doc: Document,
    *,
    lang: str | None = None,
    adaptation_kinds: tuple[str, ...] = (),
    config: RuleConfig | None = None,
    glossary: Iterable[str] = (),
) -> RuleReport:
    """Check every readable sentence of ``doc`` against the easy-to-read rules.

    ``adaptation_kinds=()`` checks the source (teacher preview); ``("easy_read",)`` checks what
    the reader gets: each block is replaced by the blocks of its latest adaptation of one of
    these kinds (as :func:`inclusio.model.view.reading_blocks` does) and the hits keep the
    source block's id, with ``part_id`` naming the adapted block. ``lang`` forces one language
    for every block (default: each block's own, then the document's). Never raises for the
    text it is given; a language without a spaCy model (or a missing model) is checked with the
    regex rules and flagged in ``syntax`` and ``notes``. ``glossary``: terms explained elsewhere;
    the terms of ``doc.glossary`` that have a definition are added to it.
    """
    config = config or RuleConfig()
    # Terms the document's glossary explains are not "hard" any more (T4, T8 "unless in glossary").
    explained = [entry.term for entry in doc.glossary if entry.definition]
    terms = _glossary([*glossary, *explained])
    units: list[_Unit] = []
    for block in doc.blocks:
        replacement = None
        for kind in adaptation_kinds:
            adaptation = block.adaptation(kind)
            if adaptation is not None and adaptation.blocks:
                replacement = adaptation.blocks
                break
        parts = [(block, None)] if replacement is None else [(part, part.id) for part in replacement]
        for part, part_id in parts:
            unit_lang = lang_root(lang or part.lang or block.lang or doc.lang)
            sentences: list[_Sentence] = []
            for text in _unit_texts(part):
                sentences += _make_sentences(
                    text, unit_lang, config, terms, split=not isinstance(part, Heading)
                )
            if sentences:
                units.append(_Unit(block.id, part_id, part.type, unit_lang, sentences))
    # Every sentence checked (T3 counts sentences per unit); hits are indexed per block below.
    everything = [s for unit in units for s in unit.sentences]
    unreviewed = _unreviewed_meanings(doc, everything)
    for s in everything:
        s.unreviewed = unreviewed
    syntax = _parse(everything, config)
    blocks: list[BlockRules] = []
    for unit in units:
        checked = [
            SentenceCheck(index=i, text=s.text, words=s.words, hits=s.hits)
            for i, s in enumerate(unit.sentences)
            if s.hits
        ]
        if checked:
            blocks.append(
                BlockRules(
                    block_id=unit.block_id,
                    part_id=unit.part_id,
                    block_type=unit.block_type,
                    lang=unit.lang,
                    sentences_checked=len(unit.sentences),
                    sentences=checked,
                )
            )
    models = {lang: name for lang in syntax if syntax[lang] and (name := model_name(lang))}
    return RuleReport(
        adaptation_kinds=tuple(adaptation_kinds),
        syntax=syntax,
        models=models,
        notes=_notes(syntax, config),
        config=config,
        summary=_summary(units),
        blocks=blocks,
    )
